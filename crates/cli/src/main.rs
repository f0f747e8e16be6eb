//! `shortcrust`: run, deploy and call Shortcrust contracts from the command line.
//!
//! Output: human-readable text by default; with `--json`, exactly one JSON object on stdout
//! (also when the command fails, with the error in it). Diagnostics go to stderr.
//!
//! Exit codes: 0 success; 1 the command ran but its subject failed (a call reverted or ran out
//! of gas, a module was refused); 2 unusable input (bad arguments, unreadable file, bad hex or
//! JSON); 3 a state or VM problem (missing, foreign, corrupted or locked state directory,
//! unknown root or contract).

mod authoring;
mod bench;
mod calibrate;
mod client;
mod codec;
mod demo;
mod devnet;
mod error;
mod fixtures;
mod format;
mod gas;
mod light;
mod load;
mod measure;
mod node;
mod report;
mod run;
mod scenarios;
mod state;
mod trace_out;
mod verify;
mod workloads;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, EXIT_INPUT};
use crate::report::{Report, Shape, error_json};

/// Shortcrust: a WebAssembly VM for smart contracts with native cryptography.
#[derive(Parser, Debug)]
#[command(name = "shortcrust", version, about, long_about = None)]
struct Cli {
    /// Print exactly one JSON object on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// State directory of the stateful commands (deploy, call, query, root, commits, inspect,
    /// prove).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "SHORTCRUST_STATE",
        default_value = ".shortcrust"
    )]
    state: PathBuf,
    /// Talk to a node's JSON-RPC instead of the local state: deploy, call and query become
    /// signed transactions and node queries (also `transfer`, `tx`, `block`, `account`).
    #[arg(long, global = true, value_name = "URL", env = "SHORTCRUST_RPC")]
    rpc: Option<String>,
    /// The local key (see `shortcrust keys`) that signs transactions sent with --rpc.
    #[arg(long, global = true, value_name = "NAME", env = "SHORTCRUST_KEY")]
    key: Option<String>,
    /// Keystore directory (default ~/.shortcrust/keys). Keys are stored unencrypted: dev
    /// tooling.
    #[arg(long, global = true, value_name = "DIR", env = "SHORTCRUST_KEYS")]
    keys: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Deploy a module into a throw-away VM and call one entry point once.
    Run(run::RunArgs),
    /// Deploy the example contracts into a throw-away VM and run the showcase scenario.
    Demo,
    /// Deploy a module into the state and commit; prints the contract id.
    Deploy(state::tx::DeployArgs),
    /// Call an entry point as a transaction: committed when it succeeds.
    Call(state::tx::CallArgs),
    /// Call an entry point read-only: never commits.
    Query(state::tx::CallArgs),
    /// Print the head state root.
    Root,
    /// List the retained state roots (the commit tree).
    Commits,
    /// Show a contract: owner, code hash, entry points, storage keys and value sizes.
    Inspect(state::read::InspectArgs),
    /// Prove a storage key's value (or its absence) against a root, and check the proof.
    Prove(state::read::ProveArgs),
    /// Check a proof or signature through a contract calling the host function, with its gas.
    Verify {
        #[command(subcommand)]
        kind: verify::VerifyCommand,
    },
    /// Print the gas schedule in force: instructions, VM operations, host-function formulas.
    Gas {
        /// Protocol version whose schedule to print (default: the newest).
        #[arg(long, default_value_t = shortcrust_abi::LATEST_PROTOCOL_VERSION)]
        protocol: u32,
    },
    /// Measure what gas buys on this machine (WASM and each host function) and print the fitted
    /// schedule beside the one in force. Reports only: the schedule is frozen in code.
    Calibrate(calibrate::CalibrateArgs),
    /// Measure the performance figures of DESIGN §9 and print them beside their targets.
    Bench(bench::BenchArgs),
    /// Create a contract crate (SDK dependency, two entry points, an event, a harness test).
    New(authoring::NewArgs),
    /// Build a contract crate into a size-optimised, reproducible module; prints size and hash.
    Build(authoring::BuildArgs),
    /// Run a node: block production and JSON-RPC over HTTP and WebSocket (`--dev`: a local
    /// one-validator chain with funded dev accounts).
    Node(node::NodeArgs),
    /// Start N validators of one chain on this machine (separate processes, authenticated p2p on
    /// loopback, a shared dev genesis); prints their RPC addresses; Ctrl-C stops them.
    Devnet(devnet::DevnetArgs),
    /// Light client: check, trusting only the validator set, that a key has a value at a final
    /// block (its finalization certificate and state proof from any node, or a saved bundle).
    Light {
        #[command(subcommand)]
        command: light::LightCommand,
    },
    /// Manage local Ed25519 keys (unencrypted keystore: dev tooling).
    Keys {
        #[command(subcommand)]
        command: client::keys::KeysCommand,
    },
    /// Transfer native balance to an account or contract (needs --rpc and --key).
    Transfer(client::TransferArgs),
    /// Show a transaction and its receipt (needs --rpc).
    Tx(client::TxArgs),
    /// Show a block (needs --rpc).
    Block(client::BlockArgs),
    /// Show an account's balance and nonce (needs --rpc).
    Account(client::AccountArgs),
}

impl Command {
    fn shape(&self) -> Shape {
        match self {
            Command::Run(_) | Command::Call(_) | Command::Query(_) => Shape::Receipt,
            Command::Demo
            | Command::Deploy(_)
            | Command::Root
            | Command::Commits
            | Command::Inspect(_)
            | Command::Prove(_)
            | Command::Gas { .. }
            | Command::Calibrate(_)
            | Command::Bench(_)
            | Command::New(_)
            | Command::Build(_)
            | Command::Node(_)
            | Command::Devnet(_)
            | Command::Light { .. }
            | Command::Keys { .. }
            | Command::Transfer(_)
            | Command::Tx(_)
            | Command::Block(_)
            | Command::Account(_) => Shape::Plain,
            Command::Verify { .. } => Shape::Verify,
        }
    }

    fn execute(
        &self,
        state: &std::path::Path,
        remote: &client::Remote,
    ) -> Result<Report, CliError> {
        match self {
            Command::Run(args) => run::run(args),
            Command::Demo => demo::demo(),
            Command::Deploy(args) if remote.rpc.is_some() => client::deploy(remote, args),
            Command::Call(args) if remote.rpc.is_some() => client::call(remote, args, true),
            Command::Query(args) if remote.rpc.is_some() => client::call(remote, args, false),
            Command::Deploy(args) => state::tx::deploy(state, args),
            Command::Call(args) => state::tx::call(state, args, true),
            Command::Query(args) => state::tx::call(state, args, false),
            Command::Root => state::read::root(state),
            Command::Commits => state::read::commits(state),
            Command::Inspect(args) => state::read::inspect(state, args),
            Command::Prove(args) => state::read::prove(state, args),
            Command::Gas { protocol } => gas::schedule(*protocol),
            Command::Calibrate(args) => calibrate::calibrate(args),
            Command::Bench(args) => bench::bench(args),
            Command::Verify { kind } => verify::verify(kind),
            Command::New(args) => authoring::new(args),
            Command::Build(args) => authoring::build(args),
            Command::Node(args) => node::node(args),
            Command::Devnet(args) => devnet::devnet(args),
            Command::Light { command } => light::light(remote, command),
            Command::Keys { command } => {
                client::keys::keys(&client::keys::keystore(remote.keys.as_deref())?, command)
            }
            Command::Transfer(args) => client::transfer(remote, args),
            Command::Tx(args) => client::tx(remote, args),
            Command::Block(args) => client::block(remote, args),
            Command::Account(args) => client::account(remote, args),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let shape = cli.command.shape();
    let remote = client::Remote {
        rpc: cli.rpc.clone(),
        key: cli.key.clone(),
        keys: cli.keys.clone(),
    };
    match cli.command.execute(&cli.state, &remote) {
        Ok(report) => {
            if cli.json {
                emit(&format!("{}\n", report.json));
            } else {
                emit(&report.text);
            }
            ExitCode::from(report.exit_code())
        }
        Err(e) => {
            let message = error_message(&e);
            if cli.json {
                emit(&format!("{}\n", error_json(shape, &message)));
            }
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Writes to stdout. A closed pipe (`shortcrust gas | head`) is not an error worth a panic:
/// whatever was not read is dropped.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// The error and its chain of causes on one line.
fn error_message(e: &CliError) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// A command line clap refused. With `--json` anywhere on it, the error is also printed as one
/// JSON object on stdout so that scripts always get an object to parse.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let wants_json = std::env::args_os().any(|a| a == "--json");
    if wants_json {
        let message = e
            .kind()
            .as_str()
            .unwrap_or("invalid command line")
            .to_string();
        let detail = e.render().to_string();
        let subcommand = std::env::args().skip(1).find(|a| !a.starts_with('-'));
        let shape = match subcommand.as_deref() {
            Some("run" | "call" | "query") => Shape::Receipt,
            Some("verify") => Shape::Verify,
            _ => Shape::Plain,
        };
        let mut object = error_json(shape, &format!("{message}: {}", detail.trim()));
        if let Some(map) = object.as_object_mut() {
            map.insert("usage".into(), serde_json::Value::Bool(true));
        }
        emit(&format!("{object}\n"));
    }
    let _ = e.print();
    ExitCode::from(EXIT_INPUT)
}
