//! Versioned gas schedules. A session runs under the schedule of its protocol version
//! ([`Schedule::for_protocol`]), so blocks made under protocol 1 replay with exactly the gas
//! they were made with, whatever later versions change. Each schedule's instruction prices are
//! listed side by side in [`CLASS_PRICES`] (as revm keeps each fork's constants); v2 also adds a
//! surcharge to every host call ([`Schedule::host_call_surcharge`]) and prices a storage read
//! for a cold read measured in wall time ([`Schedule::storage_read_base`]), and prices host
//! cryptography at 3/2 of the `shortcrust_crypto` formulas ([`Schedule::crypto_gas`]). The
//! VM's other prices (`gas::*` constants) are the same in every schedule so far.
//!
//! A schedule is compiled into the code (wasmtime's fuel table), so the VM keeps one engine per
//! schedule it has used, and a module compiled under one is never run under another.

use wasmtime::{OperatorCost, VariableOperatorCost};

use super::instructions::{self, Class};

/// A gas schedule. See the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Schedule {
    /// Protocol 1: every instruction 1 gas, except free locals, constants and structure.
    V1,
    /// Protocol 2: instruction cost classes priced from the adversarial workloads
    /// (`shortcrust calibrate --workloads`).
    V2,
}

/// Schedule v2's surcharge on every host call ([`Schedule::host_call_surcharge`]): 25 ns, so a
/// host call pays at least 35 ns.
pub const HOST_CALL_SURCHARGE_V2: u64 = shortcrust_crypto::gas::gas_from_nanos(25);

/// Schedule v2's base price of a storage read ([`Schedule::storage_read_base`]), for a read
/// that waits for the disk. v1's 20 µs (`gas::STORAGE_READ_BASE`) was set from CPU-time
/// benchmarks, which cannot see that wait. `shortcrust calibrate --workloads --only
/// storage_read_cold` times the read in *wall* time on a fresh VM with the OS page cache dropped
/// before each timed call (2-core reference VM, ext4 on a virtio disk, 2026-12-01):
/// 15,000 reads of random keys of a 10⁶-key state (the difference of 5,000- and 20,000-read
/// calls) took 4.60 s, **306 µs per read** (15.3× v1's price; the earlier thread-CPU-time run of
/// the same workload measured 6.4 µs per read: the rest is waiting for the disk, several random
/// page reads per Merkle path). With 10⁵ keys (`--quick`) 86 µs per read. Priced at 300 µs:
/// 1.02× at 10⁶ keys; a larger state or a slower disk costs more per read.
pub const STORAGE_READ_BASE_V2: u64 = shortcrust_crypto::gas::gas_from_nanos(300_000);

/// Schedule v2's price of host cryptography, as a fraction `(numerator, denominator)` of the
/// formulas in `shortcrust_crypto` (which v1 charges as they are): see
/// [`Schedule::crypto_gas`].
///
/// Why 3/2: the formulas were fitted on 2026-11-24 on the reference machine (2-core AMD EPYC
/// VM). `shortcrust calibrate --quick` there on 2026-12-02 (four runs, 09:55–10:05 UTC, see
/// BENCHMARKS.md) measured native time over the time the price buys at 0.94–2.39: PLONK,
/// Groth16 and `poseidon_bn254` at 1.90–2.39, above the 2× the unit allows, while
/// on the quiet machine of 2026-12-01 every function was at 0.8–1.57. At 3/2 both days fall
/// inside 0.5–2 (today's at 0.63–1.59, 2026-12-01's at 0.53–1.05): over-charging a little is
/// safe, under-charging is a denial of service. Exact in integers: every formula's base and
/// per-unit price is a multiple of 10 gas (`gas_from_nanos`), so scaling each term gives the
/// scaled total (a test pins this).
pub const CRYPTO_PRICE_V2: (u64, u64) = (3, 2);

/// Every schedule's price of each instruction class, in gas (1 gas ≈ 0.1 ns on the reference
/// machine, a 2.45 GHz AMD EPYC, where one cycle is ≈ 4 gas): `(class, v1, v2)`.
///
/// v2 prices a class by the *latency* of its slowest member, since a contract can chain them
/// so that each waits for the previous one (`calibrate --workloads` writes such chains);
/// independent instructions overlap and are over-charged, which is safe.
pub const CLASS_PRICES: [(Class, u8, u8); 27] = [
    (Class::Free, 0, 0),
    // v2: one charge is 50 gas (5 ns): the memory tiers (`instructions::MEMORY_TIERS`) add
    // 3 after each load of a module whose memory may exceed 256 KiB (a dependent load through
    // 1 MiB measured 17 ns), 36 beyond 1 MiB (180 ns through 16 MiB).
    (Class::Charge, 0, 50),
    // v2: 400 live i64 locals rotated each iteration (`locals_shuffle`) spill to the stack,
    // every get and set a stack access: 0.16–0.23 ns each measured, so 2.
    (Class::Local, 0, 2),
    (Class::Const, 0, 0),
    (Class::Global, 1, 4),
    // v2: one cycle.
    (Class::IntSimple, 1, 4),
    (Class::Select, 1, 4),
    // v2: three cycles (`int_mul_chain`).
    (Class::IntMul, 1, 8),
    (Class::WideAdd, 1, 8),
    (Class::WideMul, 1, 16),
    // v2: `div_chain` / `rem_chain` measure 4–5 ns per dependent divide with its operands.
    (Class::IntDiv, 1, 50),
    (Class::FloatCompare, 1, 8),
    // v2: 3–4 cycles plus the NaN canonicalisation's compare and select.
    (Class::FloatSimple, 1, 28),
    // v2: `float_sqrt_div`: sqrt and div with canonicalisation, ~8 ns each.
    (Class::FloatSlow, 1, 100),
    // v2: a dependent load within 256 KiB (the cheapest memory tier): 6.9 ns a step of
    // `pointer_chase_256k` with its local.set (1.6× at 40, so 50). Larger memories add charges.
    (Class::Load, 1, 50),
    (Class::Store, 1, 24),
    (Class::Branch, 1, 4),
    // v2: an unpredictable condition mispredicts (~15 cycles) every other time
    // (`branch_random`: 0.8× at 24, so 16).
    (Class::CondBranch, 1, 16),
    // v2: `br_table_random` mispredicts almost every time (~8 ns).
    (Class::BrTable, 1, 60),
    // v2: the call itself; the stack-height accounting `instrument` adds around it (five global
    // accesses, three integer ops, a branch: 48 gas) is metered as the instructions it is
    // (`call_chain`: 3.1 ns per call with its accounting).
    (Class::Call, 1, 4),
    (Class::CallIndirect, 1, 30),
    (Class::MemorySize, 1, 4),
    (Class::MemoryGrow, 1, 1),
    (Class::Bulk, 1, 40),
    (Class::Table, 1, 24),
    (Class::Ref, 1, 4),
    (Class::Unsupported, 1, 255),
];

impl Schedule {
    /// Every schedule, oldest first.
    pub const ALL: [Schedule; 2] = [Schedule::V1, Schedule::V2];

    /// The schedule of protocol `version`, or `None` for a version this build does not know.
    pub const fn for_protocol(version: u32) -> Option<Schedule> {
        match version {
            1 => Some(Schedule::V1),
            2 if version <= shortcrust_abi::LATEST_PROTOCOL_VERSION => Some(Schedule::V2),
            _ => None,
        }
    }

    /// The schedule's number (the first protocol version that uses it).
    pub const fn version(self) -> u32 {
        match self {
            Schedule::V1 => 1,
            Schedule::V2 => 2,
        }
    }

    /// The price of one instruction of `class`.
    pub const fn class_price(self, class: Class) -> u8 {
        let mut i = 0;
        while i < CLASS_PRICES.len() {
            let (c, v1, v2) = CLASS_PRICES[i];
            if c as u8 == class as u8 {
                return match self {
                    Schedule::V1 => v1,
                    Schedule::V2 => v2,
                };
            }
            i += 1;
        }
        u8::MAX
    }

    /// Per-byte and per-element prices of bulk operations (charged on top of [`Class::Bulk`]).
    /// Both schedules: wasmtime's defaults (1 per byte or element; `memory.grow` 0 because the
    /// VM's metered grow charges `gas::MEMORY_GROW_PER_PAGE`).
    pub fn variable_cost(self) -> VariableOperatorCost {
        VariableOperatorCost::new()
    }

    /// Gas every host-function call pays on top of its own price (and so of `HOST_CALL_BASE`):
    /// the WASM→host transition measured by `calibrate --workloads` (`host_gas_left`, the
    /// cheapest host call in a loop) at 17–42 ns per call on the reference machine (noisy runs),
    /// against the 10 ns `HOST_CALL_BASE` charges. v1 keeps its price.
    pub const fn host_call_surcharge(self) -> u64 {
        match self {
            Schedule::V1 => 0,
            Schedule::V2 => HOST_CALL_SURCHARGE_V2,
        }
    }

    /// The price of a cryptographic host function whose `shortcrust_crypto` formula gives
    /// `gas` (excluding `HOST_CALL_BASE`): v1 charges the formula, v2 [`CRYPTO_PRICE_V2`] of it.
    pub const fn crypto_gas(self, gas: u64) -> u64 {
        match self {
            Schedule::V1 => gas,
            Schedule::V2 => gas.saturating_mul(CRYPTO_PRICE_V2.0) / CRYPTO_PRICE_V2.1,
        }
    }

    /// The base price of a `storage_read` (plus `gas::STORAGE_READ_PER_BYTE` per key and value
    /// byte): v1 keeps `gas::STORAGE_READ_BASE` (20 µs); v2 charges [`STORAGE_READ_BASE_V2`],
    /// measured cold in wall time.
    pub const fn storage_read_base(self) -> u64 {
        match self {
            Schedule::V1 => super::STORAGE_READ_BASE,
            Schedule::V2 => STORAGE_READ_BASE_V2,
        }
    }

    /// What a `storage_remove` pays for its read, on top of the write price
    /// (`gas::STORAGE_WRITE_BASE` + per key byte): removing reads the key first (to answer
    /// whether it existed), the same cold Merkle-path read a `storage_read` pays for. v1 charged
    /// the write alone (kept, frozen); v2 adds [`Self::storage_read_base`], so a loop removing
    /// random absent keys of a large state pays for its disk reads.
    pub const fn storage_remove_read(self) -> u64 {
        match self {
            Schedule::V1 => 0,
            Schedule::V2 => STORAGE_READ_BASE_V2,
        }
    }

    /// The fuel table wasmtime compiles into every module run under this schedule.
    pub fn operator_cost(self) -> OperatorCost {
        instructions::operator_cost(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_is_priced_once() {
        for class in Class::ALL {
            assert_eq!(
                CLASS_PRICES.iter().filter(|(c, ..)| *c == class).count(),
                1,
                "{class:?}"
            );
        }
        assert_eq!(CLASS_PRICES.len(), Class::ALL.len());
    }

    #[test]
    fn v1_keeps_its_storage_read_price() {
        assert_eq!(
            Schedule::V1.storage_read_base(),
            super::super::STORAGE_READ_BASE
        );
        assert_eq!(super::super::STORAGE_READ_BASE, 200_000);
        assert!(Schedule::V2.storage_read_base() >= Schedule::V1.storage_read_base());
    }

    #[test]
    fn protocol_versions_map_to_schedules() {
        assert_eq!(Schedule::for_protocol(0), None);
        assert_eq!(Schedule::for_protocol(1), Some(Schedule::V1));
        assert_eq!(Schedule::for_protocol(2), Some(Schedule::V2));
        assert_eq!(
            Schedule::for_protocol(shortcrust_abi::LATEST_PROTOCOL_VERSION + 1),
            None
        );
    }
}
