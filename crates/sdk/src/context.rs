//! What a contract can learn about where it runs: its own id, its caller, its owner, the block and
//! chain, and the gas it has left.

use shortcrust_abi::ContractId;

use crate::raw;
use crate::util::ptr_i32_mut;

/// Who called the current frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Another contract (a cross-contract call).
    Contract(ContractId),
    /// The transaction's sender (a top-level call), as the embedder identified it.
    Sender([u8; 32]),
}

impl Caller {
    /// The caller's 32 bytes, whichever kind it is (e.g. to key balances by account).
    pub fn to_bytes(&self) -> [u8; 32] {
        match self {
            Caller::Contract(id) => id.0,
            Caller::Sender(bytes) => *bytes,
        }
    }

    /// Whether a contract made this call.
    pub fn is_contract(&self) -> bool {
        matches!(self, Caller::Contract(_))
    }
}

/// This contract's own id.
pub fn self_id() -> ContractId {
    let mut out = [0u8; 32];
    // SAFETY: the host writes exactly 32 bytes into `out`.
    unsafe { raw::self_id(ptr_i32_mut(out.as_mut_ptr())) };
    ContractId(out)
}

/// Who called the current frame.
pub fn caller() -> Caller {
    let mut out = [0u8; 32];
    // SAFETY: the host writes exactly 32 bytes into `out`.
    let is_contract = unsafe { raw::caller(ptr_i32_mut(out.as_mut_ptr())) };
    if is_contract == 1 {
        Caller::Contract(ContractId(out))
    } else {
        Caller::Sender(out)
    }
}

/// The 32-byte owner given when this contract was deployed.
pub fn owner() -> [u8; 32] {
    let mut out = [0u8; 32];
    // SAFETY: the host writes exactly 32 bytes into `out`.
    unsafe { raw::owner(ptr_i32_mut(out.as_mut_ptr())) };
    out
}

/// Height of the block this session executes in.
pub fn block_height() -> u64 {
    // SAFETY: no pointer arguments. The host's i64 carries a u64 bit for bit.
    unsafe { raw::block_height() as u64 }
}

/// Block timestamp in seconds since the Unix epoch, as given by the embedder.
pub fn block_timestamp() -> u64 {
    // SAFETY: no pointer arguments.
    unsafe { raw::block_timestamp() as u64 }
}

/// The chain id given by the embedder.
pub fn chain_id() -> u64 {
    // SAFETY: no pointer arguments.
    unsafe { raw::chain_id() as u64 }
}

/// Gas left in the current frame, after paying for this query.
pub fn gas_left() -> u64 {
    // SAFETY: no pointer arguments. Gas left is never negative; clamp defensively.
    let left = unsafe { raw::gas_left() };
    u64::try_from(left).unwrap_or(0)
}
