//! Gas: what the VM itself charges for. WASM instructions are priced by cost class in versioned
//! schedules ([`Schedule`], [`instructions`]: compiled into the code as wasmtime fuel); deploys,
//! top-level calls, memory and the state host functions by the constants below, which are the
//! same in every schedule so far except the storage read's base price
//! ([`Schedule::storage_read_base`]). Cryptographic host functions are priced in
//! `shortcrust-crypto`, beside their implementations.
//!
//! Unit of account: one gas ≈ 0.1 ns of native time on the reference machine (2-core x86-64
//! VM, 2026-11; `shortcrust calibrate` measures it), so every price here is a measured native
//! time converted with [`shortcrust_crypto::gas::gas_from_nanos`], like the cryptographic
//! prices. Schedules are frozen once shipped: changing a number is a new protocol version, and
//! `docs/gas-schedule-v1.txt` / `docs/gas-schedule-v2.txt` pin them.

pub mod instructions;
mod schedule;

pub use instructions::Class;
pub use schedule::{CLASS_PRICES, HOST_CALL_SURCHARGE_V2, STORAGE_READ_BASE_V2, Schedule};

use shortcrust_crypto::gas::gas_from_nanos;

/// Every host-function call pays at least this: the WASM→host transition and argument checks
/// (7 ns measured by `shortcrust bench`, rounded up to 10 ns).
pub const HOST_CALL_BASE: u64 = gas_from_nanos(10);
/// Copying one byte between guest memory and the host (≈ 0.1 ns per byte).
pub const COPY_PER_BYTE: u64 = 1;
/// A storage read under schedule v1 (frozen), priced for the cold case: a random key of a
/// 10⁶-key state on redb takes 20–27 µs (node-cache misses; `cargo bench -p shortcrust-store`,
/// CPU time), a hot one 0.2 µs. Schedule v2 charges [`STORAGE_READ_BASE_V2`], measured in wall
/// time with the page cache dropped; use [`Schedule::storage_read_base`].
pub const STORAGE_READ_BASE: u64 = gas_from_nanos(20_000);
/// Per byte of key and value read.
pub const STORAGE_READ_PER_BYTE: u64 = gas_from_nanos(1);
/// A storage write or removal: the journal entry now, and at commit the Merkle-path update and
/// database write of one changed key (10,000 changed keys commit in 200 ms in memory and 500–640
/// ms on redb with 10⁶ keys: 20–64 µs per key).
///
/// Every schedule, v2 included, charges a write of a key nothing has read this same price,
/// though its commit must read the key's Merkle path from the disk: measured cold, that read is
/// far cheaper at commit than in a call. `shortcrust calibrate --workloads --quick --only
/// storage_write_cold` (2026-12-02, 2-core reference VM, a 10⁶-key state on disk, a fresh VM
/// and the OS page cache dropped before each timed call, which includes its durable commit):
/// 1,500 marginal writes of random existing keys took 64.7 ms, **43 µs per write**, against
/// 306–450 µs per cold `storage_read`. The commit reads the paths of all changed keys at once,
/// in key order, where a call's reads are serial and in random order. A v2 draft that added
/// the cold read price (300 µs) to the first write of each key measured 0.12× (over-charged
/// eightfold) and was dropped; at this price the workload measures about 0.86×.
pub const STORAGE_WRITE_BASE: u64 = gas_from_nanos(50_000);
/// Per byte of key and value written: state that every node keeps (10 ns per byte).
pub const STORAGE_WRITE_PER_BYTE: u64 = gas_from_nanos(10);
/// An event (≈ 0.3 µs: allocation, copy, receipt).
pub const EVENT_BASE: u64 = gas_from_nanos(300);
/// Per byte of event topic and data (2 ns: copied into the receipt and kept by indexers).
pub const EVENT_PER_BYTE: u64 = gas_from_nanos(2);
/// A cross-contract call, before the callee's own gas: a store and an instance (an empty call
/// costs 2.6–2.9 µs end to end; `cargo bench -p shortcrust-vm --bench calls`).
pub const CALL_BASE: u64 = gas_from_nanos(3_000);
/// A top-level call: store, instance, receipt (same measurement as `CALL_BASE`).
pub const TX_BASE: u64 = gas_from_nanos(3_000);
/// A deploy, before its bytes: id derivation, bookkeeping, the compiled-module cache entry.
pub const DEPLOY_BASE: u64 = gas_from_nanos(500_000);
/// Per byte of deployed code: validation, instrumentation and Cranelift compilation (the
/// 7.4 KB counter deploys in 12 ms: ≈ 1.6 µs per byte).
pub const DEPLOY_PER_BYTE: u64 = gas_from_nanos(1_600);

/// Per 64 KiB page requested by `memory.grow` (metered by `instrument`, charged before growing):
/// a grown page lies beyond the resident part of a pooled memory, so it costs what a
/// [`INITIAL_PAGE_FAULTING`] page costs. Was 10 µs (0.6 µs per fault assumed); measured 43–51 µs
/// per page written at every 4 KiB (`initial_memory/touch` below), so raised to 50 µs.
pub const MEMORY_GROW_PER_PAGE: u64 = gas_from_nanos(50_000);

/// Initial linear memory, charged per declared page when a frame starts, before instantiation.
/// A frame pays for the memory it *may* touch, since touching it is free to the contract but
/// not to the node: every call of a module declaring 256 initial pages could write one byte per
/// 4 KiB page and make the node fault in and reset 16 MiB.
///
/// The first [`RESIDENT_PAGES`] pages of a pooled memory stay resident between frames (the
/// engine's `linear_memory_keep_resident`) and are reset with a memset; the rest are faulted in
/// on first touch and released on reset. Measured with `cargo bench -p shortcrust-vm --bench
/// calls -- initial_memory` (2-core VM, 2026-12-01): writing one byte per 4 KiB page costs
/// ≈ 6 µs per resident page over an untouched frame (`touch/2` − `noop/2`) and 43–51 µs per
/// faulting page (`touch/16`, `touch/256`): 13.2 ms for 256 pages, which these prices make
/// 126 M gas, 0.105 ns per gas against the unit's 0.1.
pub const INITIAL_PAGE_RESIDENT: u64 = gas_from_nanos(6_000);
/// Per initial page beyond [`RESIDENT_PAGES`]; see [`INITIAL_PAGE_RESIDENT`].
pub const INITIAL_PAGE_FAULTING: u64 = gas_from_nanos(50_000);
/// Pages of a pooled memory kept resident between frames (`engine::KEEP_RESIDENT_BYTES`).
pub const RESIDENT_PAGES: u64 = (crate::engine::KEEP_RESIDENT_BYTES / 65_536) as u64;

/// Gas a frame pays for `pages` of initial memory.
pub const fn initial_memory_cost(pages: u64) -> u64 {
    let resident = if pages < RESIDENT_PAGES {
        pages
    } else {
        RESIDENT_PAGES
    };
    let faulting = pages - resident;
    INITIAL_PAGE_RESIDENT
        .saturating_mul(resident)
        .saturating_add(INITIAL_PAGE_FAULTING.saturating_mul(faulting))
}

/// `base + per_byte × bytes`, saturating.
pub const fn linear(base: u64, per_byte: u64, bytes: u64) -> u64 {
    base.saturating_add(per_byte.saturating_mul(bytes))
}

/// Gas to deploy `bytes` of code.
pub const fn deploy_cost(bytes: usize) -> u64 {
    linear(DEPLOY_BASE, DEPLOY_PER_BYTE, bytes as u64)
}
