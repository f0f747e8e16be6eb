//! `deploy`, `call` and `query` on the state directory.
//!
//! `deploy` and `call` run in a session on the head (or `--root`) and commit only on success:
//! the new root becomes the head. A refused deploy or a failed call commits nothing; its receipt
//! still reports the gas it used. `query` runs the same way and always drops its session.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{Value, json};
use shortcrust_vm::gas::deploy_cost;
use shortcrust_vm::{DeployError, DeployOptions};

use super::{Open, open_vm, require_contract, resolve_root, session_at};
use crate::codec;
use crate::error::CliError;
use crate::format::{gas, labelled, parse_contract_id, parse_hex, parse_hex32, read_file};
use crate::report::{Report, receipt_json, receipt_lines};
use crate::run::DEFAULT_CALL_GAS;

#[derive(Args, Debug)]
pub struct DeployArgs {
    /// The WebAssembly module to deploy.
    pub file: PathBuf,
    /// The contract's owner: 32 bytes of hex (default: 32 zero bytes, the default sender).
    #[arg(long, value_name = "HEX")]
    pub owner: Option<String>,
    /// Distinguishes deployments of the same code by the same owner.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub nonce: u64,
    /// Gas limit of the deploy (default: unlimited). The price is `gas::deploy_cost(size)`.
    #[arg(long, value_name = "N")]
    pub gas: Option<u64>,
}

/// Arguments shared by `call` and `query`.
#[derive(Args, Debug)]
pub struct CallArgs {
    /// The contract id (64 hex digits), as printed by `deploy`.
    pub id: String,
    /// The entry point to call.
    pub entry: String,
    /// The arguments as JSON (an array in order, an object by name, or a single bare value),
    /// encoded through the contract's schema.
    #[arg(value_name = "JSON_ARGS", conflicts_with = "input")]
    pub args: Option<String>,
    /// The raw input bytes in hex instead of JSON arguments.
    #[arg(long, value_name = "HEX")]
    pub input: Option<String>,
    /// Gas limit of the call.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CALL_GAS)]
    pub gas: u64,
    /// The transaction's sender, seen by the contract as its caller: 32 bytes of hex
    /// (default: 32 zero bytes).
    #[arg(long, value_name = "HEX")]
    pub sender: Option<String>,
    /// Run on this retained root instead of the head (`call` then commits a fork on it).
    #[arg(long, value_name = "ROOT")]
    pub root: Option<String>,
    #[command(flatten)]
    pub trace: crate::trace_out::TraceArgs,
}

fn account(what: &str, text: Option<&str>) -> Result<[u8; 32], CliError> {
    text.map_or(Ok([0; 32]), |t| parse_hex32(what, t))
}

pub fn deploy(state: &Path, args: &DeployArgs) -> Result<Report, CliError> {
    let code = read_file(&args.file)?;
    let owner = account("--owner", args.owner.as_deref())?;
    let vm = open_vm(state, Open::CreateIfMissing)?;
    let base = vm.store().head()?;
    let mut session = session_at(&vm, base, owner)?;
    let options = DeployOptions {
        owner,
        nonce: args.nonce,
        gas_limit: args.gas.unwrap_or(u64::MAX),
    };
    let deployed = match session.deploy(&code, options) {
        Ok(d) => d,
        Err(e) => {
            // Out of gas: the whole limit is used up. Refused after pricing: the price is due.
            let charged = match &e {
                DeployError::OutOfGas { limit, .. } => *limit,
                _ => deploy_cost(code.len()),
            };
            let message = format!("deploy failed: {e}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            return Ok(Report {
                json: json!({
                    "ok": false,
                    "error": message,
                    "gas_spent": charged,
                    "contract": null,
                    "root": base.to_string(),
                    "committed": false,
                }),
                text: labelled(&[
                    ("result".into(), message),
                    ("gas".into(), gas(charged)),
                    ("state".into(), format!("unchanged, head {base}")),
                ]),
                success: false,
            });
        }
    };
    let root = session.commit()?;
    Ok(Report {
        json: json!({
            "ok": true,
            "error": null,
            "contract": deployed.id.to_string(),
            "code_hash": hex::encode(deployed.code_hash),
            "owner": hex::encode(owner),
            "nonce": args.nonce,
            "code_bytes": code.len(),
            "gas_spent": deployed.gas_spent,
            "root": root.to_string(),
            "committed": true,
        }),
        text: labelled(&[
            ("contract".into(), deployed.id.to_string()),
            ("code hash".into(), hex::encode(deployed.code_hash)),
            ("owner".into(), hex::encode(owner)),
            ("size".into(), format!("{} bytes", code.len())),
            ("gas".into(), gas(deployed.gas_spent)),
            ("root".into(), format!("{root} (committed)")),
        ]),
        success: true,
    })
}

/// `call` (commit = true) and `query` (commit = false).
pub fn call(state: &Path, args: &CallArgs, commit: bool) -> Result<Report, CliError> {
    let id = parse_contract_id(&args.id)?;
    let sender = account("--sender", args.sender.as_deref())?;
    let raw_input = args
        .input
        .as_deref()
        .map(|h| parse_hex("--input", h))
        .transpose()?;
    let vm = open_vm(state, Open::Existing)?;
    let base = resolve_root(&vm, args.root.as_deref())?;
    require_contract(&vm, &base, &id)?;
    let mut session = session_at(&vm, base, sender)?;
    let schema = codec::contract_schema(&session, id)?;
    let input = match raw_input {
        Some(bytes) => bytes,
        None => codec::encode_args(schema.as_ref(), &args.entry, args.args.as_deref())?,
    };
    let receipt = if commit {
        session.call(id, &args.entry, &input, args.gas)?
    } else {
        session.query(id, &args.entry, &input, args.gas)?
    };
    let decoded = match &receipt.result {
        Ok(out) => codec::decode_output(schema.as_ref(), &args.entry, out),
        Err(_) => None,
    };
    let events = codec::decode_events(&session, &receipt.events);
    let committed = commit && receipt.result.is_ok();
    let root = if committed { session.commit()? } else { base };
    let state_line = match (commit, committed) {
        (false, _) => format!("unchanged (query), root {root}"),
        (true, true) => format!("{root} (committed)"),
        (true, false) => format!("unchanged (nothing committed), head {base}"),
    };
    let mut json = receipt_json(&receipt, decoded.clone());
    if let Some(map) = json.as_object_mut() {
        map.insert("contract".into(), json!(id.to_string()));
        map.insert("input".into(), json!(hex::encode(&input)));
        map.insert("root".into(), json!(root.to_string()));
        map.insert("committed".into(), Value::Bool(committed));
    }
    let mut lines = vec![
        ("contract".to_string(), id.to_string()),
        ("entry".to_string(), args.entry.clone()),
        ("input".to_string(), crate::format::hex_or_empty(&input)),
    ];
    lines.extend(receipt_lines(&receipt, decoded.as_ref()));
    codec::attach_decoded_events(&mut json, &mut lines, &events);
    lines.push(("state".to_string(), state_line));
    let mut report = Report {
        json,
        text: labelled(&lines),
        success: receipt.result.is_ok(),
    };
    crate::trace_out::attach(&mut report, &receipt, &args.trace, &args.entry)?;
    Ok(report)
}
