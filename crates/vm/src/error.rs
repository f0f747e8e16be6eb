//! Errors: why a deploy was refused, why a call failed, and what went wrong in the VM itself.

use shortcrust_abi::ContractId;
use shortcrust_store::StoreError;

/// Why a module was refused at deploy. Each names the offending item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeployError {
    #[error("invalid module: {0}")]
    Invalid(String),
    #[error("module exceeds the limit on {what}: {value} > {limit}")]
    LimitExceeded {
        what: &'static str,
        value: u64,
        limit: u64,
    },
    #[error("function {function} exceeds the limit on {what}: {value} > {limit}")]
    FunctionLimitExceeded {
        /// Index in the module's function index space (imports first).
        function: u32,
        what: &'static str,
        value: u64,
        limit: u64,
    },
    #[error("forbidden import {module}::{name}: {reason}")]
    ForbiddenImport {
        module: String,
        name: String,
        reason: &'static str,
    },
    #[error("export name {0:?} is reserved for the VM")]
    ReservedExport(String),
    #[error("module does not export a memory named \"memory\"")]
    NoMemoryExport,
    #[error("compilation failed: {0}")]
    Compile(String),
    #[error("out of gas: deploying {bytes} bytes costs {needed} gas, limit is {limit}")]
    OutOfGas {
        bytes: usize,
        needed: u64,
        limit: u64,
    },
    #[error("contract {0} already exists (use another nonce)")]
    AlreadyDeployed(ContractId),
    #[error("state error: {0}")]
    Store(String),
}

/// Why a call frame failed. The frame's storage writes and events are rolled back; the gas it
/// used is still spent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("reverted: {0}")]
    Reverted(String),
    #[error("out of gas")]
    OutOfGas,
    #[error("stack limit exceeded (the deterministic stack-height budget of {0} slots)")]
    StackLimitExceeded(u32),
    #[error("memory access out of bounds: ptr {ptr}, len {len}")]
    MemoryOutOfBounds { ptr: u32, len: u32 },
    #[error("limit exceeded: {what} {value} > {limit}")]
    LimitExceeded {
        what: &'static str,
        value: u64,
        limit: u64,
    },
    #[error("trap: {0}")]
    Trap(String),
    #[error("unknown contract {0}")]
    UnknownContract(ContractId),
    #[error("contract has no entry point {0:?}")]
    UnknownEntry(String),
    #[error("call depth limit of {0} exceeded")]
    DepthExceeded(u32),
    #[error("the VM could not run the call: {0}")]
    Internal(String),
}

impl CallError {
    /// The status code a calling contract sees for this failure.
    pub fn status(&self) -> i32 {
        use shortcrust_abi::status::*;
        match self {
            CallError::Reverted(_) => CALL_REVERTED,
            CallError::OutOfGas => CALL_OUT_OF_GAS,
            CallError::UnknownContract(_) => CALL_UNKNOWN_CONTRACT,
            CallError::UnknownEntry(_) => CALL_UNKNOWN_ENTRY,
            CallError::DepthExceeded(_) => CALL_DEPTH_EXCEEDED,
            _ => CALL_TRAPPED,
        }
    }
}

/// Errors of the VM itself (not of a contract): the embedder must handle these.
#[derive(Debug, thiserror::Error)]
pub enum VmError {
    #[error("engine error: {0}")]
    Engine(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("deploy failed: {0}")]
    Deploy(#[from] DeployError),
    #[error("{} is not empty and holds no Shortcrust state (no `state` directory)", .0.display())]
    NotAStateDirectory(std::path::PathBuf),
}

/// Traps raised by host functions; converted to [`CallError`] when the frame ends.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum HostTrap {
    #[error("reverted: {0}")]
    Revert(String),
    #[error("out of gas")]
    OutOfGas,
    #[error("memory access out of bounds: ptr {ptr}, len {len}")]
    MemoryOutOfBounds { ptr: u32, len: u32 },
    #[error("limit exceeded: {what} {value} > {limit}")]
    LimitExceeded {
        what: &'static str,
        value: u64,
        limit: u64,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<HostTrap> for CallError {
    fn from(t: HostTrap) -> Self {
        match t {
            HostTrap::Revert(m) => CallError::Reverted(m),
            HostTrap::OutOfGas => CallError::OutOfGas,
            HostTrap::MemoryOutOfBounds { ptr, len } => CallError::MemoryOutOfBounds { ptr, len },
            HostTrap::LimitExceeded { what, value, limit } => {
                CallError::LimitExceeded { what, value, limit }
            }
            HostTrap::Internal(m) => CallError::Internal(m),
        }
    }
}
