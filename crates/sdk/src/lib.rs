//! The Shortcrust contract SDK.
//!
//! A contract is a `cdylib` crate built for `wasm32-unknown-unknown` that depends on this SDK and
//! declares its entry points with [`entry_points!`]:
//!
//! ```ignore
//! #![no_std]
//! extern crate alloc;
//!
//! shortcrust_sdk::entry_points! {
//!     fn increment(by: u64) -> u64 {
//!         let value = shortcrust_sdk::storage::get_or(b"count", 0u64) + by;
//!         shortcrust_sdk::storage::set(b"count", &value);
//!         value
//!     }
//! }
//! ```
//!
//! Everything a contract can do goes through the host functions of ABI version 1
//! ([`shortcrust_abi::for_each_host_function!`]). [`raw`] holds the imports, generated from that one
//! table; the rest of the crate wraps them safely:
//!
//! | area | functions |
//! |---|---|
//! | input and output | [`input`], [`input_len`], [`output`], [`revert`], [`revert_bytes`] |
//! | storage | [`storage::get`], [`storage::set`], [`storage::remove`], [`storage::get_raw`], ... |
//! | events | [`emit`], [`emit_raw`] |
//! | context | [`self_id`], [`caller`], [`owner`], [`block_height`], [`block_timestamp`], [`chain_id`], [`gas_left`] |
//! | calls | [`call`] (typed), [`call_raw`] → `Result<_, `[`CallError`]`>` |
//! | cryptography | [`crypto`]: hashes, Poseidon, `verify_*` → [`crypto::Status`] |
//!
//! # Encoding
//!
//! Arguments and return values are [borsh](https://borsh.io): one canonical encoding per value.
//! An entry point's input is the borsh encoding of the tuple of its arguments — the arguments'
//! encodings concatenated, so `increment(5u64)` takes the 8 bytes `05 00 .. 00` and a
//! no-argument entry point takes empty input. Its output is the borsh encoding of the return
//! value (empty for `()`). Use [`encode`] to build inputs and `borsh::from_slice` to read outputs.
//!
//! # The schema custom section
//!
//! [`entry_points!`] embeds a UTF-8 JSON document in the wasm custom section named
//! [`shortcrust_abi::SCHEMA_SECTION`] (`shortcrust-schema`), so that tools can call a contract
//! with JSON arguments and show its results as JSON without its source:
//!
//! ```json
//! {"schema_version":1,"entry_points":[
//!   {"name":"transfer","args":[{"name":"to","type":"[u8; 32]"},{"name":"amount","type":"u64"}],"returns":"()"},
//!   {"name":"balance_of","args":[{"name":"account","type":"[u8; 32]"}],"returns":"u64"}
//! ]}
//! ```
//!
//! - `schema_version` is `1` for this format.
//! - `entry_points` lists the entry points in declaration order; `name` is the wasm export name.
//! - `args` lists the arguments in order; their borsh encodings, concatenated, form the input.
//! - `type` and `returns` are the Rust types as written in the source, normalised by the compiler's
//!   pretty-printer (`Vec<u8>`, `[u8; 32]`, `Option<(u64, bool)>`, `()`). Tools support the
//!   borsh types whose encoding follows from the name alone — `bool`, `u8`..`u128`, `i8`..`i128`,
//!   `String`, `Vec<T>`, `[T; N]`, `Option<T>`, `Result<T, E>`, tuples and `()` — and should treat
//!   any other name (a contract's own struct) as opaque bytes. JSON conventions: integers as
//!   numbers (as strings above 2^53), byte arrays and `Vec<u8>` as hex strings.
//!
//! The same JSON is available in Rust as the `SHORTCRUST_SCHEMA` constant the macro defines. With
//! the `json` feature (host tools only), the `schema` module parses it and
//! converts JSON arguments to the borsh input and borsh outputs back to JSON.
//!
//! # Runtime
//!
//! With the default `runtime` feature, on wasm32, the SDK installs a bump allocator that never
//! frees (each call frame is a fresh instance, see [`runtime`](#runtime)) and a panic handler that
//! reverts with the panic message. Build contracts with `panic = "abort"`.
//!
//! Literal panic messages (`panic!("…")`, `expect("…")`, `Option::unwrap`) are always kept.
//! Formatted ones (`panic!("n = {n}")`, an index out of bounds, `Result::unwrap`) revert with
//! [`FORMATTED_PANIC`] unless the SDK's `panic-fmt` feature is on: rendering them links
//! `core::fmt` into the contract, about 2 KiB of code that every node compiles at deploy and the
//! deployer pays for per byte (without it the empty contract is 2,485 bytes instead of 4,642,
//! the counter 5,256 instead of 7,402).
//!
//! # Host builds
//!
//! The SDK also compiles for the host so that a workspace can build and test it, and so that a
//! contract's logic can be unit-tested as plain functions. The host functions are not available
//! there: calling one panics with "can only be called from a contract".
#![cfg_attr(not(test), no_std)]

extern crate alloc;
#[cfg(feature = "json")]
extern crate std;

mod call;
mod context;
pub mod crypto;
mod entry;
mod events;
mod io;
pub mod raw;
#[cfg(all(target_arch = "wasm32", feature = "runtime"))]
mod runtime;
#[cfg(feature = "json")]
pub mod schema;
pub mod storage;
mod util;

pub use borsh;
pub use shortcrust_abi as abi;

/// The revert message of a formatted panic in a contract built without the SDK's `panic-fmt`
/// feature (see [Runtime](#runtime)).
pub const FORMATTED_PANIC: &str =
    "panic (message not rendered: build with shortcrust-sdk's `panic-fmt` feature to see it)";
pub use shortcrust_abi::{ContractId, limits};

pub use call::{CallError, CallStatus, call, call_raw};
pub use context::{
    Caller, block_height, block_timestamp, caller, chain_id, gas_left, owner, self_id,
};
#[doc(hidden)]
pub use entry::__private;
pub use events::{emit, emit_raw};
pub use io::{input, input_len, output, revert, revert_bytes};

use alloc::vec::Vec;
use borsh::BorshSerialize;

/// The borsh encoding of `value`.
///
/// Encoding into memory only fails for lengths that do not fit borsh's `u32` prefix, which no
/// value in a 32-bit address space can reach; should it happen anyway, the call reverts.
pub fn encode<T: BorshSerialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    if value.serialize(&mut out).is_err() {
        revert("value does not encode with borsh");
    }
    out
}
