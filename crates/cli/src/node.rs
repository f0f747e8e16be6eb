//! `shortcrust node`: a Shortcrust node (block production, JSON-RPC over HTTP and WebSocket),
//! or with `--config FILE` one validator of a many-validator chain (`shortcrust devnet` writes
//! such files; the format is in `shortcrust_node::validator`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use crate::error::CliError;
use crate::report::Report;

#[derive(Args, Debug)]
pub struct NodeArgs {
    /// A one-validator development chain: funded dev accounts (their keys are printed: DEV
    /// ONLY), a block as soon as transactions arrive, a fresh temporary directory unless --dir.
    #[arg(long, conflicts_with = "config")]
    pub dev: bool,
    /// Run one validator of a many-validator chain from its configuration file (TOML: node
    /// directory, genesis, key file, p2p and RPC addresses, the validator set).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["dir", "genesis", "block_time"])]
    pub config: Option<PathBuf>,
    /// Node directory (state, compiled modules, blocks); resumed if it holds a chain.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// JSON-RPC address (HTTP and WebSocket on one port). Loopback by default; port 0 picks a
    /// free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8645")]
    pub rpc_addr: SocketAddr,
    /// Genesis file (JSON, see `shortcrust_chain::genesis`), for a new directory.
    #[arg(long, value_name = "FILE")]
    pub genesis: Option<PathBuf>,
    /// Block interval in milliseconds (default 1000; --dev: on demand, at most every 5 ms).
    #[arg(long, value_name = "MS")]
    pub block_time: Option<u64>,
}

/// Runs the node until Ctrl-C.
pub fn node(args: &NodeArgs) -> Result<Report, CliError> {
    if let Some(config) = &args.config {
        shortcrust_node::run_validator(config).map_err(|e| CliError::Vm(format!("node: {e}")))?;
        return Ok(Report {
            json: json!({"ok": true, "error": null}),
            text: "validator stopped\n".into(),
            success: true,
        });
    }
    shortcrust_node::run(shortcrust_node::RunOptions {
        dev: args.dev,
        dir: args.dir.clone(),
        genesis: args.genesis.clone(),
        rpc_addr: args.rpc_addr,
        block_time_ms: args.block_time,
    })
    .map_err(|e| CliError::Vm(format!("node: {e}")))?;
    Ok(Report {
        json: json!({"ok": true, "error": null}),
        text: "node stopped\n".into(),
        success: true,
    })
}
