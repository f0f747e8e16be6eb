//! Gas traces: a receipt's frames as a tree, each frame's gas split into initial memory, its own
//! instructions and each host function by name; rendered as text (the CLI's `--trace`) and as a
//! flame graph of gas (`--flamegraph`, SVG by `inferno`).

use std::fmt::Write as _;

use shortcrust_vm::{CallRecord, ContractId, HostGas, Receipt};

/// One frame of a call tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub contract: ContractId,
    /// A readable name for the contract (a label given to the harness, or a short id).
    pub label: String,
    pub entry: String,
    pub gas_limit: u64,
    /// All the frame's gas, its callees' included.
    pub gas_spent: u64,
    /// Initial memory (`gas::initial_memory_cost`).
    pub memory_gas: u64,
    /// The frame's own instructions.
    pub instruction_gas: u64,
    /// Host functions, in order of first use.
    pub host_gas: Vec<HostGas>,
    /// `None` if the frame succeeded; else why it failed (rolled back).
    pub error: Option<String>,
    pub children: Vec<Frame>,
}

/// The call tree of one top-level call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The fixed price of the transaction (`gas::TX_BASE`), outside every frame.
    pub tx_base: u64,
    pub gas_spent: u64,
    pub root: Option<Frame>,
}

impl Trace {
    /// The tree of `receipt`'s frames; `label` names contracts.
    pub fn from_receipt(receipt: &Receipt, label: &dyn Fn(&ContractId) -> String) -> Trace {
        let mut records = receipt.calls.iter().peekable();
        let root = build(&mut records, label);
        let frames_gas = root.as_ref().map_or(0, |f| f.gas_spent);
        Trace {
            tx_base: receipt.gas_spent.saturating_sub(frames_gas),
            gas_spent: receipt.gas_spent,
            root,
        }
    }

    /// The path of frames from the top-level call to the deepest frame that failed first, as
    /// `label::entry` names: where a revert came from.
    pub fn failure_path(&self) -> Vec<String> {
        let mut path = Vec::new();
        let mut frame = self.root.as_ref();
        while let Some(f) = frame {
            path.push(format!("{}::{}", f.label, f.entry));
            frame = f.children.iter().find(|c| c.error.is_some());
        }
        path
    }

    /// The deepest failed frame along [`Trace::failure_path`].
    pub fn failing_frame(&self) -> Option<&Frame> {
        let mut frame = self.root.as_ref().filter(|f| f.error.is_some())?;
        while let Some(child) = frame.children.iter().find(|c| c.error.is_some()) {
            frame = child;
        }
        Some(frame)
    }

    /// The tree as indented text, one line per frame and per gas item.
    pub fn render(&self) -> String {
        let mut out = format!(
            "total {} gas (transaction base {})\n",
            group(self.gas_spent),
            group(self.tx_base)
        );
        if let Some(root) = &self.root {
            render_frame(root, "", true, &mut out);
        }
        out
    }

    /// Folded stacks (`frame;frame;item gas` per line), the input of flame graph tools.
    pub fn folded(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.tx_base > 0 {
            lines.push(format!("transaction base {}", self.tx_base));
        }
        if let Some(root) = &self.root {
            fold(root, &mut String::new(), &mut lines);
        }
        lines
    }

    /// A flame graph of gas by frame and host function, as SVG.
    pub fn flamegraph_svg(&self, title: &str) -> Result<Vec<u8>, String> {
        let lines = self.folded();
        let mut options = inferno::flamegraph::Options::default();
        options.title = title.to_string();
        options.count_name = "gas".to_string();
        // Stable colours: the same trace gives the same bytes.
        options.deterministic = true;
        let mut svg = Vec::new();
        inferno::flamegraph::from_lines(&mut options, lines.iter().map(String::as_str), &mut svg)
            .map_err(|e| format!("rendering the flame graph: {e}"))?;
        Ok(svg)
    }
}

fn build<'a>(
    records: &mut std::iter::Peekable<impl Iterator<Item = &'a CallRecord>>,
    label: &dyn Fn(&ContractId) -> String,
) -> Option<Frame> {
    let record = records.next()?;
    let mut children = Vec::new();
    while records.peek().is_some_and(|r| r.depth > record.depth) {
        match build(records, label) {
            Some(child) => children.push(child),
            None => break,
        }
    }
    let callees: u64 = children.iter().map(|c| c.gas_spent).sum();
    Some(Frame {
        contract: record.contract,
        label: label(&record.contract),
        entry: record.entry.clone(),
        gas_limit: record.gas_limit,
        gas_spent: record.gas_spent,
        memory_gas: record.memory_gas,
        instruction_gas: record.instruction_gas(callees),
        host_gas: record.host_gas.clone(),
        error: record.error.as_ref().map(|e| e.to_string()),
        children,
    })
}

/// `1234567` as `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn render_frame(frame: &Frame, prefix: &str, last: bool, out: &mut String) {
    let (branch, inner) = if prefix.is_empty() && last {
        ("", "")
    } else if last {
        ("└─ ", "   ")
    } else {
        ("├─ ", "│  ")
    };
    let status = match &frame.error {
        None => "ok".to_string(),
        Some(e) => format!("FAILED: {e}"),
    };
    let _ = writeln!(
        out,
        "{prefix}{branch}{}::{}  {} gas  [{status}]",
        frame.label,
        frame.entry,
        group(frame.gas_spent)
    );
    let child_prefix = format!("{prefix}{inner}");
    let mut items: Vec<(String, u64)> = vec![
        ("instructions".to_string(), frame.instruction_gas),
        ("initial memory".to_string(), frame.memory_gas),
    ];
    for h in &frame.host_gas {
        items.push((format!("{} ×{}", h.name, h.calls), h.gas));
    }
    let items: Vec<_> = items.into_iter().filter(|(_, g)| *g > 0).collect();
    let count = items.len() + frame.children.len();
    for (i, (name, gas)) in items.iter().enumerate() {
        let last_item = i + 1 == count;
        let mark = if last_item { "└─ " } else { "├─ " };
        let _ = writeln!(out, "{child_prefix}{mark}{name:<28} {:>14}", group(*gas));
    }
    for (i, child) in frame.children.iter().enumerate() {
        let last_child = items.len() + i + 1 == count;
        render_frame(child, &child_prefix, last_child, out);
    }
}

fn fold(frame: &Frame, stack: &mut String, lines: &mut Vec<String>) {
    let before = stack.len();
    if !stack.is_empty() {
        stack.push(';');
    }
    // `;` separates frames in folded stacks: keep it out of names.
    stack.push_str(&format!("{}::{}", frame.label, frame.entry).replace(';', ","));
    if frame.instruction_gas > 0 {
        lines.push(format!("{stack} {}", frame.instruction_gas));
    }
    if frame.memory_gas > 0 {
        lines.push(format!("{stack};initial memory {}", frame.memory_gas));
    }
    for h in &frame.host_gas {
        if h.gas > 0 {
            lines.push(format!("{stack};{} {}", h.name, h.gas));
        }
    }
    for child in &frame.children {
        fold(child, stack, lines);
    }
    stack.truncate(before);
}
