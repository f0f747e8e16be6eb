//! `shortcrust-node`: the node alone, with the flags of `shortcrust node`
//! (`[--dev] [--dir DIR] [--rpc-addr ADDR] [--genesis FILE] [--block-time MS]`).

use std::path::PathBuf;
use std::process::ExitCode;

use shortcrust_node::{RunOptions, run};

fn main() -> ExitCode {
    let mut options = RunOptions {
        dev: false,
        dir: None,
        genesis: None,
        rpc_addr: ([127, 0, 0, 1], 8645).into(),
        block_time_ms: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let parsed: Result<(), String> = match arg.as_str() {
            "--dev" => {
                options.dev = true;
                Ok(())
            }
            "--dir" => value("--dir").map(|v| options.dir = Some(PathBuf::from(v))),
            "--genesis" => value("--genesis").map(|v| options.genesis = Some(PathBuf::from(v))),
            "--rpc-addr" => value("--rpc-addr").and_then(|v| {
                v.parse()
                    .map(|a| options.rpc_addr = a)
                    .map_err(|e| format!("--rpc-addr {v}: {e}"))
            }),
            "--block-time" => value("--block-time").and_then(|v| {
                v.parse()
                    .map(|ms| options.block_time_ms = Some(ms))
                    .map_err(|e| format!("--block-time {v}: {e}"))
            }),
            other => Err(format!("unknown argument {other}")),
        };
        if let Err(e) = parsed {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}
