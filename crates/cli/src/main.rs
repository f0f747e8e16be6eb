//! `shortcrust`: run, deploy and call Shortcrust contracts from the command line.
//!
//! Output: human-readable text by default; with `--json`, exactly one JSON object on stdout
//! (also when the command fails, with the error in it). Diagnostics go to stderr.
//!
//! Exit codes: 0 success; 1 the command ran but its subject failed (a call reverted or ran out
//! of gas, a module was refused); 2 unusable input (bad arguments, unreadable file, bad hex or
//! JSON); 3 a state or VM problem (missing, foreign, corrupted or locked state directory,
//! unknown root or contract).

mod codec;
mod demo;
mod error;
mod format;
mod report;
mod run;

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Deploy a module into a throw-away VM and call one entry point once.
    Run(run::RunArgs),
    /// Deploy the example contracts into a throw-away VM and run the showcase scenario.
    Demo,
}

impl Command {
    fn shape(&self) -> Shape {
        match self {
            Command::Run(_) => Shape::Receipt,
            Command::Demo => Shape::Plain,
        }
    }

    fn execute(&self) -> Result<Report, CliError> {
        match self {
            Command::Run(args) => run::run(args),
            Command::Demo => demo::demo(),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let shape = cli.command.shape();
    match cli.command.execute() {
        Ok(report) => {
            if cli.json {
                println!("{}", report.json);
            } else {
                print!("{}", report.text);
            }
            ExitCode::from(report.exit_code())
        }
        Err(e) => {
            let message = error_message(&e);
            if cli.json {
                println!("{}", error_json(shape, &message));
            }
            eprintln!("error: {message}");
            ExitCode::from(e.exit_code())
        }
    }
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
        println!("{object}");
    }
    let _ = e.print();
    ExitCode::from(EXIT_INPUT)
}
