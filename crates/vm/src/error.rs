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
    /// The session's protocol version is not one this build knows (no gas schedule).
    #[error("protocol version {0} is not supported by this build")]
    UnsupportedProtocol(u32),
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
    Trap(TrapCode),
    #[error("unknown contract {0}")]
    UnknownContract(ContractId),
    #[error("contract has no entry point {0:?}")]
    UnknownEntry(String),
    #[error("call depth limit of {0} exceeded")]
    DepthExceeded(u32),
}

/// A WebAssembly trap, in words this project owns.
///
/// Contracts read a failed callee's error text as return data, so the text is consensus data: it
/// must never come from wasmtime (whose wording may change in any release) or from the OS.
/// [`TrapCode::from_wasmtime`] maps wasmtime's trap codes onto these; a trap code wasmtime adds
/// in a later release maps to [`TrapCode::Other`] until it is given its own variant (a protocol
/// change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrapCode {
    #[error("unreachable executed")]
    Unreachable,
    #[error("integer division by zero")]
    IntegerDivisionByZero,
    #[error("integer overflow")]
    IntegerOverflow,
    #[error("invalid conversion to integer")]
    BadConversionToInteger,
    #[error("out-of-bounds memory access")]
    MemoryOutOfBounds,
    #[error("out-of-bounds table access")]
    TableOutOfBounds,
    #[error("indirect call to a null table entry")]
    IndirectCallToNull,
    #[error("indirect call signature mismatch")]
    BadSignature,
    #[error("null reference")]
    NullReference,
    #[error("trap")]
    Other,
}

impl TrapCode {
    /// The project's code for a wasmtime trap (never out of fuel or stack overflow: those are
    /// classified before, see `frame::classify`).
    pub(crate) fn from_wasmtime(trap: &wasmtime::Trap) -> TrapCode {
        use wasmtime::Trap as T;
        match trap {
            T::UnreachableCodeReached => TrapCode::Unreachable,
            T::IntegerDivisionByZero => TrapCode::IntegerDivisionByZero,
            T::IntegerOverflow => TrapCode::IntegerOverflow,
            T::BadConversionToInteger => TrapCode::BadConversionToInteger,
            T::MemoryOutOfBounds | T::HeapMisaligned => TrapCode::MemoryOutOfBounds,
            T::TableOutOfBounds => TrapCode::TableOutOfBounds,
            T::IndirectCallToNull => TrapCode::IndirectCallToNull,
            T::BadSignature => TrapCode::BadSignature,
            T::NullReference => TrapCode::NullReference,
            _ => TrapCode::Other,
        }
    }
}

/// A failure of this machine rather than of the contract: the instance pool is exhausted, the
/// state store cannot be read, stored code does not compile, the native stack overflowed.
///
/// Another node running the same call would not fail, so a fault must never be visible to a
/// contract (a caller could act on it and split the network). It aborts the whole top-level call
/// and reaches the embedder as `VmError::Fault`: no receipt, nothing charged, the session
/// unchanged. A node retries the transaction later, or halts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    #[error("the instance pool is exhausted (too many concurrent call frames); retry")]
    InstancePoolExhausted,
    #[error(
        "native stack overflow (the deterministic stack budget should always trip first: a VM bug)"
    )]
    NativeStackOverflow,
    #[error("state store error: {0}")]
    Store(String),
    #[error("stored contract code does not compile on this node: {0}")]
    Compile(String),
    #[error("instantiation failed: {0}")]
    Instantiate(String),
    #[error("internal VM error: {0}")]
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
    /// The call was aborted by a machine-local failure; see [`Fault`].
    #[error("call aborted by a fault of this node: {0}")]
    Fault(#[from] Fault),
    /// A top-level call was refused before running (input or entry name over its limit).
    #[error("call refused: {0}")]
    Refused(CallError),
    /// The session's protocol version is not one this build knows (no gas schedule).
    #[error("protocol version {0} is not supported by this build")]
    UnsupportedProtocol(u32),
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
    /// A machine-local failure: aborts the whole top-level call.
    #[error("fault: {0}")]
    Fault(Fault),
}

impl HostTrap {
    /// The frame's failure: a contract error, or a fault that aborts the top-level call.
    pub(crate) fn into_failure(self) -> Result<CallError, Fault> {
        Ok(match self {
            HostTrap::Revert(m) => CallError::Reverted(m),
            HostTrap::OutOfGas => CallError::OutOfGas,
            HostTrap::MemoryOutOfBounds { ptr, len } => CallError::MemoryOutOfBounds { ptr, len },
            HostTrap::LimitExceeded { what, value, limit } => {
                CallError::LimitExceeded { what, value, limit }
            }
            HostTrap::Fault(f) => return Err(f),
        })
    }
}
