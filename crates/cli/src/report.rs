//! What a command hands back to `main`: a JSON object for `--json`, the human-readable text
//! otherwise, and whether its subject succeeded (exit code 0 or 1).
//!
//! Also the JSON shape of receipts shared by `run`, `call` and `query` (DESIGN §10):
//! `{"ok", "error", "gas_spent", "output", "events"}`, plus a few extra fields documented on
//! [`receipt_json`].

use serde_json::{Value, json};
use shortcrust_vm::{CallRecord, Event, Receipt};

use crate::error::{EXIT_FAILED, EXIT_OK};
use crate::format::{gas, hex_or_empty, printable};

/// The result of a command that ran.
pub struct Report {
    /// Printed with `--json`: exactly one object.
    pub json: Value,
    /// Printed otherwise.
    pub text: String,
    /// Whether the command's subject succeeded (exit code 0) or failed (exit code 1).
    pub success: bool,
}

impl Report {
    pub fn exit_code(&self) -> u8 {
        if self.success { EXIT_OK } else { EXIT_FAILED }
    }
}

/// Which JSON object a command prints, so that an error can be reported in the same shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `run`, `call`, `query`: `{"ok", "error", "gas_spent", "output", "events"}`.
    Receipt,
    /// `verify`: `{"valid", "status", "gas_spent"}`.
    Verify,
    /// Everything else: `{"ok", "error", ...}`.
    Plain,
}

/// The JSON object for a command that could not run at all.
pub fn error_json(shape: Shape, message: &str) -> Value {
    match shape {
        Shape::Receipt => json!({
            "ok": false,
            "error": message,
            "gas_spent": 0,
            "output": "",
            "events": [],
        }),
        Shape::Verify => json!({
            "valid": false,
            "status": null,
            "gas_spent": 0,
            "error": message,
        }),
        Shape::Plain => json!({ "ok": false, "error": message }),
    }
}

/// An event as JSON: contract id, topic and data in hex, and the topic as text when it is
/// UTF-8 (topics are usually names such as `transfer`).
pub fn event_json(event: &Event) -> Value {
    json!({
        "contract": event.contract.to_string(),
        "topic": hex::encode(&event.topic),
        "topic_utf8": std::str::from_utf8(&event.topic).ok(),
        "data": hex::encode(&event.data),
    })
}

/// One frame of a call tree as JSON.
pub fn call_record_json(record: &CallRecord) -> Value {
    json!({
        "depth": record.depth,
        "contract": record.contract.to_string(),
        "entry": record.entry,
        "gas_limit": record.gas_limit,
        "gas_spent": record.gas_spent,
        "error": record.error.as_ref().map(|e| e.to_string()),
    })
}

/// A receipt as JSON. Beyond the five fields of DESIGN §10 it carries `gas_limit`, the call
/// tree (`calls`) and, when the contract's schema decodes the output, `output_json`.
pub fn receipt_json(receipt: &Receipt, output_json: Option<Value>) -> Value {
    let (output, error) = match &receipt.result {
        Ok(out) => (hex::encode(out), None),
        Err(e) => (String::new(), Some(e.to_string())),
    };
    let mut object = json!({
        "ok": receipt.result.is_ok(),
        "error": error,
        "gas_spent": receipt.gas_spent,
        "output": output,
        "events": receipt.events.iter().map(event_json).collect::<Vec<_>>(),
        "gas_limit": receipt.gas_limit,
        "calls": receipt.calls.iter().map(call_record_json).collect::<Vec<_>>(),
    });
    if let (Some(decoded), Some(map)) = (output_json, object.as_object_mut()) {
        map.insert("output_json".into(), decoded);
    }
    object
}

/// A receipt as `label  value` lines (for [`crate::format::labelled`]): result, output, gas,
/// events and — when the call made nested calls — the call tree.
pub fn receipt_lines(receipt: &Receipt, output_json: Option<&Value>) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    match &receipt.result {
        Ok(out) => {
            lines.push(("result".to_string(), "ok".to_string()));
            lines.push(("output".to_string(), hex_or_empty(out)));
            // `()` decodes to null: nothing worth a line.
            if let Some(decoded) = output_json.filter(|v| !v.is_null()) {
                lines.push(("decoded".to_string(), decoded.to_string()));
            }
        }
        Err(e) => lines.push(("result".to_string(), format!("failed: {e}"))),
    }
    lines.push((
        "gas".to_string(),
        format!("{} of {}", gas(receipt.gas_spent), gas(receipt.gas_limit)),
    ));
    if receipt.events.is_empty() {
        lines.push(("events".to_string(), "none".to_string()));
    }
    for (i, event) in receipt.events.iter().enumerate() {
        let label = if i == 0 { "events" } else { "" };
        lines.push((
            label.to_string(),
            format!(
                "{} from {}: {}",
                printable(&event.topic),
                short_id(&event.contract.to_string()),
                hex_or_empty(&event.data)
            ),
        ));
    }
    if receipt.calls.len() > 1 {
        for (i, call) in receipt.calls.iter().enumerate() {
            let label = if i == 0 { "calls" } else { "" };
            let indent = "  ".repeat(call.depth.saturating_sub(1) as usize);
            let outcome = match &call.error {
                None => "ok".to_string(),
                Some(e) => format!("failed: {e}"),
            };
            lines.push((
                label.to_string(),
                format!(
                    "{indent}{}.{} — {outcome}, {} gas",
                    short_id(&call.contract.to_string()),
                    call.entry,
                    gas(call.gas_spent)
                ),
            ));
        }
    }
    lines
}

/// The first 8 hex digits of an id followed by an ellipsis, for tables.
pub fn short_id(id: &str) -> String {
    match id.get(..8) {
        Some(prefix) if id.len() > 8 => format!("{prefix}…"),
        _ => id.to_string(),
    }
}
