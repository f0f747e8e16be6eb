//! `shortcrust node`: a Shortcrust node (block production, JSON-RPC over HTTP and WebSocket).

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
    #[arg(long)]
    pub dev: bool,
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
