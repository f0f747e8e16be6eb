//! Why a command could not do its work, and the exit code each reason maps to.
//!
//! A contract that reverts, runs out of gas or is refused at deploy is *not* an error here: the
//! command ran and reports the failure as its result (exit code 1, see `report`). These errors
//! are the cases where the command could not run at all.

use std::path::PathBuf;

use shortcrust_store::StoreError;
use shortcrust_vm::VmError;

/// Exit code of a successful command.
pub const EXIT_OK: u8 = 0;
/// Exit code when the command ran and its subject failed: a call reverted or ran out of gas, a
/// module was refused at deploy, a proof did not check.
pub const EXIT_FAILED: u8 = 1;
/// Exit code for unusable input: bad arguments, an unreadable file, malformed hex or JSON
/// (clap's own usage errors use 2 as well).
pub const EXIT_INPUT: u8 = 2;
/// Exit code for a state or VM problem: a missing, foreign, corrupted or locked state
/// directory, an unknown root or contract, an engine failure, a measurement that could not run.
pub const EXIT_STATE: u8 = 3;

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read {}: {source}", path.display())]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}: {reason}")]
    BadInput { what: String, reason: String },
    #[error("cannot write {}: {source}", path.display())]
    WriteFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no state directory at {} (deploy a contract first, or pass --state DIR)", .0.display())]
    NoState(PathBuf),
    #[error(
        "{} is not a Shortcrust state directory (it is neither empty nor holds state/): refusing to write into it",
        .0.display()
    )]
    ForeignDirectory(PathBuf),
    #[error("contract {0} is not deployed at root {1}")]
    UnknownContract(String, String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Vm(String),
    /// `calibrate` or `bench` could not make or run what it measures (a fixture that does not
    /// verify, a contract call that fails): a bug or a broken build, never a user's input.
    #[error("measurement failed: {0}")]
    Measurement(String),
    /// `devnet` could not write its files or run its validator processes.
    #[error("devnet: {0}")]
    Devnet(String),
}

impl CliError {
    /// A malformed argument.
    pub fn input(what: impl Into<String>, reason: impl Into<String>) -> Self {
        CliError::BadInput {
            what: what.into(),
            reason: reason.into(),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::ReadFile { .. } | CliError::WriteFile { .. } | CliError::BadInput { .. } => {
                EXIT_INPUT
            }
            CliError::NoState(_)
            | CliError::ForeignDirectory(_)
            | CliError::UnknownContract(..)
            | CliError::Store(_)
            | CliError::Vm(_)
            | CliError::Measurement(_)
            | CliError::Devnet(_) => EXIT_STATE,
        }
    }
}

impl From<VmError> for CliError {
    fn from(e: VmError) -> Self {
        match e {
            // Keep the store's precise variants (locked, corrupted, unknown root, ...).
            VmError::Store(s) => CliError::Store(s),
            other => CliError::Vm(other.to_string()),
        }
    }
}
