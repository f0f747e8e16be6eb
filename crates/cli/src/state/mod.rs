//! The stateful commands, on a state directory (`--state DIR`, env `SHORTCRUST_STATE`, default
//! `./.shortcrust`) opened with `Vm::open`: the state database in `DIR/state`, compiled modules
//! in `DIR/modules`.
//!
//! - [`tx`]: `deploy`, `call` (commits on success) and `query` (never commits);
//! - [`read`]: `root`, `commits`, `inspect` and `prove`.
//!
//! Directory rules, checked before the VM touches anything: only `deploy` creates a state
//! directory, and only where nothing is (a missing or empty directory); a directory that is
//! neither empty nor holds `state/` is refused, so a mistyped `--state` never writes into an
//! unrelated directory. The store then reports a foreign or corrupted database, and a directory
//! locked by another process, with its own precise errors.

pub mod read;
pub mod tx;

use std::path::Path;

use shortcrust_store::{CommitInfo, Root};
use shortcrust_vm::{Context, ContractId, Session, SessionConfig, Vm};

use crate::error::CliError;
use crate::format::parse_root;

/// Whether a command may create the state directory.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Create the directory (and an empty state) if missing or empty.
    CreateIfMissing,
    /// The state must already exist.
    Existing,
}

/// Opens the VM on `dir` under the rules in the module docs.
pub fn open_vm(dir: &Path, mode: Open) -> Result<Vm, CliError> {
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::ForeignDirectory(dir.to_path_buf()));
    }
    let has_state = dir.join("state").is_dir();
    if !has_state {
        let empty_or_missing = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(source) => {
                return Err(CliError::ReadFile {
                    path: dir.to_path_buf(),
                    source,
                });
            }
        };
        if !empty_or_missing {
            return Err(CliError::ForeignDirectory(dir.to_path_buf()));
        }
        if mode == Open::Existing {
            return Err(CliError::NoState(dir.to_path_buf()));
        }
    }
    Ok(Vm::open(dir)?)
}

/// The root a command works on: `--root` if given (it must be retained), else the head.
pub fn resolve_root(vm: &Vm, root: Option<&str>) -> Result<Root, CliError> {
    match root {
        Some(text) => {
            let root = parse_root(text)?;
            // Fails with `UnknownRoot` for a root that was never committed or was deleted.
            vm.store().commit_info(&root)?;
            Ok(root)
        }
        None => Ok(vm.store().head()?),
    }
}

/// Where `root` sits in the commit tree (`None` if the store cannot say).
pub fn commit_info(vm: &Vm, root: &Root) -> Option<CommitInfo> {
    vm.store().commit_info(root).ok()
}

/// A session on `root` whose calls come from `sender`, in the block after `root`'s (block
/// height = commit height + 1, so a contract sees the chain advance with each commit).
pub fn session_at(vm: &Vm, root: Root, sender: [u8; 32]) -> Result<Session, CliError> {
    let height = commit_info(vm, &root).map_or(0, |c| c.height);
    Ok(vm.session(SessionConfig {
        root: Some(root),
        context: Context {
            block_height: height.saturating_add(1),
            sender,
            ..Context::default()
        },
    })?)
}

/// Fails with [`CliError::UnknownContract`] unless `id` is deployed at `root`.
pub fn require_contract(vm: &Vm, root: &Root, id: &ContractId) -> Result<(), CliError> {
    let view = vm.store().view(root)?;
    match view.contract(id)? {
        Some(_) => Ok(()),
        None => Err(CliError::UnknownContract(id.to_string(), root.to_string())),
    }
}
