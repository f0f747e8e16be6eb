//! `compute`: compute-bound entry points with no host calls in their loops, for measuring metered
//! against unmetered execution.
//!
//! - `field_iterate(seed: u64, rounds: u64) -> u64` iterates `x ← x² + x + c` in the prime field of
//!   the Mersenne prime 2^61 − 1 (64×64→128-bit multiplications and reductions, a stand-in for the
//!   field arithmetic of cryptography).
//! - `mix_iterate(seed: u64, rounds: u64) -> u64` runs a SplitMix64-style integer mixer (shifts,
//!   xors and multiplications only).
#![no_std]

/// The Mersenne prime 2^61 − 1.
const P: u64 = (1 << 61) - 1;

/// `a · b mod P` for `a, b < P`.
fn mul_mod(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    // 2^61 ≡ 1 (mod P): fold the high bits onto the low ones.
    let folded = (product & u128::from(P)) + (product >> 61);
    let folded = (folded & u128::from(P)) + (folded >> 61);
    let r = folded as u64;
    if r >= P { r - P } else { r }
}

fn add_mod(a: u64, b: u64) -> u64 {
    let s = a + b; // both < 2^61: no overflow
    if s >= P { s - P } else { s }
}

shortcrust_sdk::entry_points! {
    /// Iterates `x ← x² + x + 7 (mod 2^61 − 1)` `rounds` times from `seed mod P`.
    fn field_iterate(seed: u64, rounds: u64) -> u64 {
        let mut x = seed % P;
        for _ in 0..rounds {
            x = add_mod(add_mod(mul_mod(x, x), x), 7);
        }
        x
    }

    /// Applies the SplitMix64 finaliser `rounds` times to a running state seeded by `seed`.
    fn mix_iterate(seed: u64, rounds: u64) -> u64 {
        let mut state = seed;
        let mut acc = 0u64;
        for _ in 0..rounds {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            acc ^= z ^ (z >> 31);
        }
        acc
    }
}
