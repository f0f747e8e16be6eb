//! `caller`: cross-contract calls and what happens when they fail.
//!
//! - `try_call(target: [u8; 32], entry: String, input: Vec<u8>, gas_limit: u64) -> Outcome` calls any
//!   entry point with raw input, records a `before` marker in its own storage first, stores the
//!   outcome under `last`, emits an `outcome` event, and returns it. The callee's failure is
//!   handled, not propagated: the caller's own writes survive, the callee's are rolled back.
//! - `increment_counter(counter: [u8; 32]) -> u64` calls a `counter` contract's `increment` with the
//!   typed API and reverts with the callee's error if it fails.
//! - `last() -> Option<Outcome>` reads the last recorded outcome.
//! - `recurse(level: u32) -> u32` calls `recurse(level + 1)` on itself until the VM refuses the
//!   call for depth, and returns the deepest level reached: the depth cap, seen from inside.
//! - `call_twice_then_revert(target: [u8; 32], entry: String)` calls the target twice and then reverts,
//!   so tests can check that the callees' effects are rolled back with the caller's frame.
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_sdk::{CallStatus, ContractId, call_raw, emit, revert, self_id, storage};

/// What a handled cross-contract call did.
#[derive(BorshSerialize, BorshDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The host's status code: `0` for success, a negative `CALL_*` code otherwise.
    pub code: i32,
    /// The callee's output on success, its revert message (or other diagnostic) on failure.
    pub data: Vec<u8>,
}

const LAST: &[u8] = b"last";
const BEFORE: &[u8] = b"before";

shortcrust_sdk::entry_points! {
    /// Calls `entry` on `target` with `input`, handling any failure. See the crate docs.
    fn try_call(target: [u8; 32], entry: String, input: Vec<u8>, gas_limit: u64) -> Outcome {
        // A write made before the call: it must survive the callee's failure.
        let calls_made = storage::get_or(BEFORE, 0u32) + 1;
        storage::set(BEFORE, &calls_made);
        let outcome = match call_raw(ContractId(target), &entry, &input, gas_limit) {
            Ok(output) => Outcome { code: 0, data: output },
            Err(err) => Outcome { code: err.code(), data: err.output },
        };
        storage::set(LAST, &outcome);
        emit("outcome", &outcome.code);
        outcome
    }

    /// Increments a `counter` contract through its typed entry point; reverts on failure.
    fn increment_counter(counter: [u8; 32]) -> u64 {
        match shortcrust_sdk::call::<_, u64>(ContractId(counter), "increment", &(), 0) {
            Ok(value) => value,
            Err(err) => revert(&format!("counter failed: {err}")),
        }
    }

    /// The outcome recorded by the last `try_call`.
    fn last() -> Option<Outcome> {
        storage::get(LAST)
    }

    /// Recurses into itself through cross-contract calls until the depth cap; returns the deepest
    /// level reached (the top-level call is level 1).
    fn recurse(level: u32) -> u32 {
        match shortcrust_sdk::call::<_, u32>(self_id(), "recurse", &(level + 1), 0) {
            Ok(deepest) => deepest,
            Err(err) if err.status == CallStatus::DepthExceeded => level,
            Err(err) => revert(&format!("recursion failed at level {level}: {err}")),
        }
    }

    /// Calls `entry` on `target` twice (ignoring failures), then reverts.
    fn call_twice_then_revert(target: [u8; 32], entry: String) {
        let _ = call_raw(ContractId(target), &entry, &[], 0);
        let _ = call_raw(ContractId(target), &entry, &[], 0);
        revert("caller reverts after two calls");
    }
}
