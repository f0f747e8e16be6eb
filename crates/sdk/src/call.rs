//! Cross-contract calls.
//!
//! A call runs the callee in a fresh frame with at most all but 1/64 of the caller's remaining gas
//! (or `gas_limit`, if smaller and non-zero). When the callee fails, its storage writes and events
//! are rolled back and the caller gets a [`CallError`] — it may handle it and carry on.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_abi::{ContractId, status};

use crate::raw;
use crate::util::{len_i32, ptr_i32, ptr_i32_mut};

/// Why a cross-contract call failed (the host's `status::CALL_*` codes, plus one SDK-side case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallStatus {
    /// The callee reverted; [`CallError::message`] holds its message.
    Reverted,
    /// The callee ran out of its gas.
    OutOfGas,
    /// The callee trapped (unreachable, out-of-bounds access, stack limit, ...).
    Trapped,
    /// No contract with that id.
    UnknownContract,
    /// The callee does not export that entry point.
    UnknownEntry,
    /// The call-depth limit was reached.
    DepthExceeded,
    /// A code this SDK version does not know (a newer host).
    Unknown(i32),
    /// The call succeeded but its output did not decode as the expected type (typed calls only;
    /// [`CallError::output`] holds the raw output).
    BadOutput,
}

impl CallStatus {
    /// The status for a non-zero code returned by the host's `call`.
    pub fn from_code(code: i32) -> Self {
        match code {
            status::CALL_REVERTED => CallStatus::Reverted,
            status::CALL_OUT_OF_GAS => CallStatus::OutOfGas,
            status::CALL_TRAPPED => CallStatus::Trapped,
            status::CALL_UNKNOWN_CONTRACT => CallStatus::UnknownContract,
            status::CALL_UNKNOWN_ENTRY => CallStatus::UnknownEntry,
            status::CALL_DEPTH_EXCEEDED => CallStatus::DepthExceeded,
            other => CallStatus::Unknown(other),
        }
    }

    /// The host's code for this status; [`CallStatus::BadOutput`] is `status::CALL_OK`, since the
    /// host call itself succeeded.
    pub fn code(self) -> i32 {
        match self {
            CallStatus::Reverted => status::CALL_REVERTED,
            CallStatus::OutOfGas => status::CALL_OUT_OF_GAS,
            CallStatus::Trapped => status::CALL_TRAPPED,
            CallStatus::UnknownContract => status::CALL_UNKNOWN_CONTRACT,
            CallStatus::UnknownEntry => status::CALL_UNKNOWN_ENTRY,
            CallStatus::DepthExceeded => status::CALL_DEPTH_EXCEEDED,
            CallStatus::Unknown(code) => code,
            CallStatus::BadOutput => status::CALL_OK,
        }
    }
}

/// A failed cross-contract call: why, and what the callee returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    pub status: CallStatus,
    /// The data the host returned with the failure: the callee's revert message for
    /// [`CallStatus::Reverted`], the undecodable output for [`CallStatus::BadOutput`], otherwise
    /// whatever diagnostic the host supplies (possibly empty).
    pub output: Vec<u8>,
}

impl CallError {
    /// The host's status code (see [`CallStatus::code`]).
    pub fn code(&self) -> i32 {
        self.status.code()
    }

    /// The returned data as text (the revert message), with invalid UTF-8 replaced.
    pub fn message(&self) -> String {
        String::from_utf8_lossy(&self.output).into_owned()
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "call failed ({:?}, code {})", self.status, self.code())?;
        if !self.output.is_empty() {
            write!(f, ": {}", String::from_utf8_lossy(&self.output))?;
        }
        Ok(())
    }
}

/// Calls `entry` of contract `contract` with raw `input`. `gas_limit` caps the gas given to the
/// callee; `0` means "all it may have" (all but 1/64 of what is left).
///
/// Returns the callee's output, or the failure with the callee's revert message.
pub fn call_raw(
    contract: ContractId,
    entry: &str,
    input: &[u8],
    gas_limit: u64,
) -> Result<Vec<u8>, CallError> {
    // SAFETY: every pointer is a live slice (or the 32-byte id) that the host only reads.
    let code = unsafe {
        raw::call(
            ptr_i32(contract.0.as_ptr()),
            ptr_i32(entry.as_ptr()),
            len_i32(entry.len()),
            ptr_i32(input.as_ptr()),
            len_i32(input.len()),
            // A limit above i64::MAX means "no cap" just like 0 does: the host caps it anyway.
            i64::try_from(gas_limit).unwrap_or(0),
        )
    };
    let data = return_data();
    if code == status::CALL_OK {
        Ok(data)
    } else {
        Err(CallError {
            status: CallStatus::from_code(code),
            output: data,
        })
    }
}

/// Calls `entry` with the borsh encoding of `args` and decodes its output as `R`.
///
/// `args` is what the callee's entry point takes: a single value for a one-argument entry point,
/// a tuple `(a, b)` for several, `()` for none (borsh encodes a tuple as its fields in order).
pub fn call<A, R>(
    contract: ContractId,
    entry: &str,
    args: &A,
    gas_limit: u64,
) -> Result<R, CallError>
where
    A: BorshSerialize + ?Sized,
    R: BorshDeserialize,
{
    let output = call_raw(contract, entry, &crate::encode(args), gas_limit)?;
    borsh::from_slice(&output).map_err(|_| CallError {
        status: CallStatus::BadOutput,
        output,
    })
}

/// The data returned by the last `call` of this frame (output or revert message).
fn return_data() -> Vec<u8> {
    // SAFETY: no pointer arguments.
    let len = usize::try_from(unsafe { raw::return_data_len() }).unwrap_or(0);
    let mut buf = vec![0u8; len];
    if len > 0 {
        // SAFETY: `buf` is exactly `return_data_len()` writable bytes.
        unsafe { raw::return_data_read(ptr_i32_mut(buf.as_mut_ptr())) };
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_round_trip() {
        for code in [
            status::CALL_REVERTED,
            status::CALL_OUT_OF_GAS,
            status::CALL_TRAPPED,
            status::CALL_UNKNOWN_CONTRACT,
            status::CALL_UNKNOWN_ENTRY,
            status::CALL_DEPTH_EXCEEDED,
            -99,
        ] {
            assert_eq!(CallStatus::from_code(code).code(), code);
        }
        assert_eq!(CallStatus::from_code(-99), CallStatus::Unknown(-99));
        assert_eq!(CallStatus::BadOutput.code(), status::CALL_OK);
    }

    #[test]
    fn error_shows_status_and_message() {
        let err = CallError {
            status: CallStatus::Reverted,
            output: b"insufficient balance".to_vec(),
        };
        assert_eq!(err.message(), "insufficient balance");
        assert_eq!(
            err.to_string(),
            "call failed (Reverted, code -1): insufficient balance"
        );
    }
}
