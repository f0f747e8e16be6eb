//! The gas schedule of protocol version 1 for everything the VM itself prices: WASM
//! instructions (through wasmtime fuel, see `engine::operator_cost`), deploys, top-level calls
//! and the state host functions. Cryptographic host functions are priced in
//! `shortcrust-crypto`, beside their implementations.
//!
//! Unit of account: one gas ≈ one WASM instruction ≈ 1/3 ns of native time on the reference
//! machine (2-core x86-64 VM, 2026-11), so host-function prices are their measured native time
//! times `shortcrust_crypto::gas::GAS_PER_NANOSECOND`. The schedule is frozen: changing a number
//! is a new protocol version, and `schedule_snapshot` in the tests pins it.

/// Every host-function call pays at least this: the WASM→host transition and argument checks
/// (≈ 30 ns measured by the `host_call_overhead` bench).
pub const HOST_CALL_BASE: u64 = 100;
/// Copying one byte between guest memory and the host.
pub const COPY_PER_BYTE: u64 = 1;
/// A storage read: overlay and state lookup (≈ 1.5 µs on the persistent store, cold).
pub const STORAGE_READ_BASE: u64 = 5_000;
/// Per byte of key and value read.
pub const STORAGE_READ_PER_BYTE: u64 = 2;
/// A storage write or removal: journal entry now, Merkle-tree update and database write at
/// commit (≈ 6 µs per changed key at commit).
pub const STORAGE_WRITE_BASE: u64 = 20_000;
/// Per byte of key and value written: state that every node keeps forever.
pub const STORAGE_WRITE_PER_BYTE: u64 = 30;
/// An event.
pub const EVENT_BASE: u64 = 1_000;
/// Per byte of event topic and data.
pub const EVENT_PER_BYTE: u64 = 5;
/// A cross-contract call, before the callee's own gas: a store and an instance (≈ 4 µs).
pub const CALL_BASE: u64 = 12_000;
/// A top-level call: session lookup, store and instance (≈ 4 µs).
pub const TX_BASE: u64 = 12_000;
/// A deploy, before its bytes: id derivation and bookkeeping.
pub const DEPLOY_BASE: u64 = 1_000_000;
/// Per byte of deployed code: validation, instrumentation and Cranelift compilation
/// (≈ 1 µs per byte of Rust-compiled WASM).
pub const DEPLOY_PER_BYTE: u64 = 3_000;

/// `base + per_byte × bytes`, saturating.
pub const fn linear(base: u64, per_byte: u64, bytes: u64) -> u64 {
    base.saturating_add(per_byte.saturating_mul(bytes))
}

/// Gas to deploy `bytes` of code.
pub const fn deploy_cost(bytes: usize) -> u64 {
    linear(DEPLOY_BASE, DEPLOY_PER_BYTE, bytes as u64)
}
