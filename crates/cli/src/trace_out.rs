//! `--trace` and `--flamegraph FILE.svg` for `run`, `call` and `query`: the call tree with gas
//! per frame split into initial memory, instructions and each host function by name, as text and
//! JSON, and a flame graph of gas (SVG, rendered by `inferno` through `shortcrust-testkit`).
//! Every failure also says where it happened: the call path to the frame that failed first.

use std::path::PathBuf;

use clap::Args;
use serde_json::{Value, json};
use shortcrust_testkit::trace::{Frame, Trace};
use shortcrust_vm::Receipt;

use crate::error::CliError;
use crate::report::Report;

/// The trace options of `run`, `call` and `query`.
#[derive(Args, Debug, Default, Clone)]
pub struct TraceArgs {
    /// Print the call tree with gas per frame, split into instructions, initial memory and each
    /// host function by name.
    #[arg(long)]
    pub trace: bool,
    /// Write a flame graph of the call's gas by frame and host function to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub flamegraph: Option<PathBuf>,
}

/// The receipt's call tree; contracts are named by the first 8 hex digits of their id.
pub fn trace_of(receipt: &Receipt) -> Trace {
    Trace::from_receipt(receipt, &|id| hex::encode(&id.0[..4]))
}

fn frame_json(frame: &Frame) -> Value {
    json!({
        "contract": frame.contract.to_string(),
        "entry": frame.entry,
        "gas_limit": frame.gas_limit,
        "gas_spent": frame.gas_spent,
        "instruction_gas": frame.instruction_gas,
        "memory_gas": frame.memory_gas,
        "host_gas": frame.host_gas.iter().map(|h| json!({"name": h.name, "calls": h.calls, "gas": h.gas})).collect::<Vec<_>>(),
        "error": frame.error,
        "children": frame.children.iter().map(frame_json).collect::<Vec<_>>(),
    })
}

/// Adds the failure path (always, for a failed call), the trace and the flame graph (when
/// asked) to `report`.
pub fn attach(
    report: &mut Report,
    receipt: &Receipt,
    args: &TraceArgs,
    title: &str,
) -> Result<(), CliError> {
    let trace = trace_of(receipt);
    if receipt.result.is_err() {
        let path = trace.failure_path();
        if let Some(map) = report.json.as_object_mut() {
            map.insert("failure_path".into(), json!(path));
        }
        if !path.is_empty() {
            report
                .text
                .push_str(&format!("failed in   {}\n", path.join(" → ")));
        }
    }
    if args.trace {
        if let Some(map) = report.json.as_object_mut() {
            map.insert(
                "trace".into(),
                json!({
                    "tx_base": trace.tx_base,
                    "gas_spent": trace.gas_spent,
                    "root": trace.root.as_ref().map(frame_json),
                }),
            );
        }
        report.text.push('\n');
        report.text.push_str(&trace.render());
    }
    if let Some(path) = &args.flamegraph {
        let svg = trace.flamegraph_svg(title).map_err(CliError::Measurement)?;
        std::fs::write(path, svg).map_err(|source| CliError::WriteFile {
            path: path.clone(),
            source,
        })?;
        if let Some(map) = report.json.as_object_mut() {
            map.insert("flamegraph".into(), json!(path.display().to_string()));
        }
        report
            .text
            .push_str(&format!("flame graph {}\n", path.display()));
    }
    Ok(())
}
