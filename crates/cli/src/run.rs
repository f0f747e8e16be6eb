//! `shortcrust run FILE.wasm ENTRY [--input HEX] [--gas N]`: deploy a module into a throw-away
//! in-memory VM and call one entry point once.
//!
//! Gas: the deploy runs without a gas limit (nothing is kept, so nothing needs paying for);
//! `--gas` limits the call, and `gas_spent` is the call's gas. When the module is refused at
//! deploy there is no call: `gas_spent` is then the deploy price the refused module was charged,
//! `shortcrust_vm::gas::deploy_cost(size)` (a chain charges the deploy price before validating,
//! so a rejected module still pays it).

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use shortcrust_vm::gas::deploy_cost;
use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

use crate::codec;
use crate::error::CliError;
use crate::format::{gas, labelled, parse_hex, read_file};
use crate::report::{Report, receipt_json, receipt_lines};

/// Gas limit of a call when `--gas` is not given: about a third of a second of work.
pub const DEFAULT_CALL_GAS: u64 = 1_000_000_000;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The WebAssembly module to deploy.
    pub file: PathBuf,
    /// The entry point to call (an exported `() -> ()` function).
    pub entry: String,
    /// The call's input bytes, in hex (`0x` optional).
    #[arg(long, value_name = "HEX", default_value = "")]
    pub input: String,
    /// Gas limit of the call.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CALL_GAS)]
    pub gas: u64,
    #[command(flatten)]
    pub trace: crate::trace_out::TraceArgs,
}

pub fn run(args: &RunArgs) -> Result<Report, CliError> {
    let code = read_file(&args.file)?;
    let input = parse_hex("--input", &args.input)?;
    let vm = Vm::ephemeral()?;
    let mut session = vm.session(SessionConfig::default())?;
    let deployed = match session.deploy(&code, DeployOptions::default()) {
        Ok(d) => d,
        Err(e) => {
            let charged = deploy_cost(code.len());
            // Some validation messages embed multi-line debug output: keep the error on one line.
            let message = format!("deploy failed: {e}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            return Ok(Report {
                json: json!({
                    "ok": false,
                    "error": message,
                    "gas_spent": charged,
                    "output": "",
                    "events": [],
                }),
                text: labelled(&[
                    (
                        "module".into(),
                        format!("{} ({} bytes)", args.file.display(), code.len()),
                    ),
                    ("result".into(), message),
                    ("gas".into(), format!("{} (the deploy price)", gas(charged))),
                ]),
                success: false,
            });
        }
    };
    let schema = codec::contract_schema(&session, deployed.id)?;
    let receipt = session.call(deployed.id, &args.entry, &input, args.gas)?;
    let decoded = match &receipt.result {
        Ok(out) => codec::decode_output(schema.as_ref(), &args.entry, out),
        Err(_) => None,
    };
    let mut json = receipt_json(&receipt, decoded.clone());
    if let Some(map) = json.as_object_mut() {
        map.insert("contract".into(), json!(deployed.id.to_string()));
        map.insert("deploy_gas".into(), json!(deployed.gas_spent));
    }
    let mut lines = vec![
        (
            "module".into(),
            format!("{} ({} bytes)", args.file.display(), code.len()),
        ),
        ("contract".into(), deployed.id.to_string()),
        ("deploy".into(), format!("{} gas", gas(deployed.gas_spent))),
        ("call".into(), args.entry.clone()),
    ];
    lines.extend(receipt_lines(&receipt, decoded.as_ref()));
    let events = codec::decode_events(&session, &receipt.events);
    codec::attach_decoded_events(&mut json, &mut lines, &events);
    let mut report = Report {
        success: receipt.result.is_ok(),
        text: labelled(&lines),
        json,
    };
    crate::trace_out::attach(&mut report, &receipt, &args.trace, &args.entry)?;
    Ok(report)
}
