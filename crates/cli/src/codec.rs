//! JSON arguments and outputs through a contract's schema (the SDK's `shortcrust-schema`
//! custom section, decoded by `shortcrust_sdk::schema`).

use serde_json::Value;
use shortcrust_sdk::schema::Schema;
use shortcrust_vm::{ContractId, Session};

use crate::error::CliError;

/// The schema of a deployed contract: `None` when its code carries none. A schema that is
/// present but does not parse is an error, since calling with JSON would then guess.
pub fn contract_schema(session: &Session, id: ContractId) -> Result<Option<Schema>, CliError> {
    let bytes = session
        .contract_schema(id)
        .map_err(|e| CliError::Vm(format!("reading the schema of {id}: {e}")))?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        CliError::Vm(format!(
            "the schema section of {id} is not UTF-8 text; use --input HEX"
        ))
    })?;
    Schema::parse(text).map(Some).map_err(|e| {
        CliError::Vm(format!(
            "the schema of {id} does not parse ({e}); use --input HEX"
        ))
    })
}

/// The borsh input of `entry` from JSON arguments (`text`, or no arguments when `None`).
pub fn encode_args(
    schema: Option<&Schema>,
    entry: &str,
    text: Option<&str>,
) -> Result<Vec<u8>, CliError> {
    let Some(schema) = schema else {
        return match text {
            None => Ok(Vec::new()),
            Some(_) => Err(CliError::input(
                "JSON_ARGS",
                "the contract carries no schema, so JSON arguments cannot be encoded; use --input HEX",
            )),
        };
    };
    let entry_point = schema
        .entry(entry)
        .map_err(|e| CliError::input("ENTRY", e.to_string()))?;
    let args: Value = match text {
        None => Value::Null,
        Some(t) => serde_json::from_str(t)
            .map_err(|e| CliError::input("JSON_ARGS", format!("not valid JSON ({e})")))?,
    };
    entry_point
        .encode_args(&args)
        .map_err(|e| CliError::input("JSON_ARGS", e.to_string()))
}

/// The output of `entry` as JSON, when the schema describes it and the bytes decode.
pub fn decode_output(schema: Option<&Schema>, entry: &str, output: &[u8]) -> Option<Value> {
    schema?.entry(entry).ok()?.decode_output(output).ok()
}

/// The JSON form of `input` for `entry` (for showing arguments in tables), or its hex.
pub fn describe_args(schema: Option<&Schema>, entry: &str, input: &[u8]) -> String {
    use shortcrust_sdk::schema::{Type, decode_exact};
    let described = schema.and_then(|s| s.entry(entry).ok()).and_then(|e| {
        let tuple = Type::Tuple(e.args.iter().map(|a| a.ty.clone()).collect());
        decode_exact(&tuple, input).ok()
    });
    match described {
        Some(Value::Null) => String::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
        None => hex::encode(input),
    }
}

/// Each event decoded by the schema of the contract that emitted it (`{"name", "fields"}`), or
/// `None` where that contract declares no such event.
pub fn decode_events(session: &Session, events: &[shortcrust_vm::Event]) -> Vec<Option<Value>> {
    let mut schemas: std::collections::BTreeMap<ContractId, Option<Schema>> = Default::default();
    events
        .iter()
        .map(|event| {
            let schema = schemas
                .entry(event.contract)
                .or_insert_with(|| contract_schema(session, event.contract).ok().flatten());
            schema
                .as_ref()?
                .decode_event(&event.topic, &event.data)?
                .ok()
        })
        .collect()
}

/// Adds the decoded events to a receipt's JSON (`events[i].decoded`) and text lines.
pub fn attach_decoded_events(
    json: &mut Value,
    lines: &mut Vec<(String, String)>,
    decoded: &[Option<Value>],
) {
    if let Some(events) = json.get_mut("events").and_then(Value::as_array_mut) {
        for (event, value) in events.iter_mut().zip(decoded) {
            if let (Some(map), Some(value)) = (event.as_object_mut(), value) {
                map.insert("decoded".into(), value.clone());
            }
        }
    }
    for (i, value) in decoded.iter().flatten().enumerate() {
        let label = if i == 0 { "decoded events" } else { "" };
        let name = value["name"].as_str().unwrap_or("?");
        lines.push((label.to_string(), format!("{name} {}", value["fields"])));
    }
}
