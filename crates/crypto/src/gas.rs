//! The unit of account shared by every host-function price in this crate.
//!
//! DESIGN §5 asks that one gas unit buy about the same native time whether it is spent on WASM
//! instructions or on a host function. `shortcrust calibrate` measures what one gas of metered
//! WASM buys on the reference machine: 0.095 ns (mean of two compute-bound contracts, 0.068 and
//! 0.122 ns per gas, 2026-11-24, with locals and constants free in the operator table), so a
//! nanosecond of native work costs [`GAS_PER_NANOSECOND`] = 10 gas.
//! Every cost constant of a host function is written as the median nanoseconds it was measured
//! at (criterion, on the reference machine) converted by [`gas_from_nanos`], so that retuning the
//! exchange rate is one edit here and the measurements stay readable beside each formula.
//!
//! How the constants were measured (the same for every file): `cargo bench -p shortcrust-crypto
//! --bench signatures_and_hashes -- --warm-up-time 1 --measurement-time 2` on the reference
//! machine (2 shared cores, x86-64), 2026-11-24, run three times. Criterion reports a median per
//! benchmark per run; each constant uses the median of those three medians. Other builds and
//! benchmarks shared the machine, and single runs differed by up to ±40%: the median of three
//! damps that, and a price that errs high is safe. Each file states the values it used and how
//! the formula was fitted (bases are chosen so that the line lies at or above every measured
//! point). Costs are rounded up to the next nanosecond.
//!
//! The helpers below are `const` so the constants are computed at compile time, and saturating so
//! that a price computed from an absurd (contract-supplied) length never overflows or panics.

/// Gas charged per nanosecond of native work: one gas ≈ 0.1 ns ≈ what one metered WASM
/// instruction buys (`shortcrust calibrate`, 10.5 gas per ns measured). Part of the frozen
/// schedule: every host-function price, and the VM's own prices, scale with it.
pub const GAS_PER_NANOSECOND: u64 = 10;

/// Converts a measured duration in nanoseconds into gas, saturating.
pub const fn gas_from_nanos(ns: u64) -> u64 {
    ns.saturating_mul(GAS_PER_NANOSECOND)
}

/// Number of 32-byte words needed to hold `len` bytes (`ceil(len / 32)`), as `u64`.
pub const fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

/// The linear formula every price in this crate follows: `base + per_unit × units`, saturating.
pub const fn linear(base: u64, per_unit: u64, units: u64) -> u64 {
    base.saturating_add(per_unit.saturating_mul(units))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_and_saturate() {
        assert_eq!(gas_from_nanos(1_000), 1_000 * GAS_PER_NANOSECOND);
        assert_eq!(gas_from_nanos(u64::MAX), u64::MAX);
        assert_eq!(words(0), 0);
        assert_eq!(words(1), 1);
        assert_eq!(words(32), 1);
        assert_eq!(words(33), 2);
        assert_eq!(words(usize::MAX), (usize::MAX as u64).div_ceil(32));
        assert_eq!(linear(10, 2, 5), 20);
        assert_eq!(linear(u64::MAX, 1, 1), u64::MAX);
        assert_eq!(linear(1, u64::MAX, 2), u64::MAX);
    }
}
