//! `compute` and `empty`: the benchmark contracts compute what native Rust computes, and their gas
//! is pinned (the empty call is the fixed cost of a call; compute gas grows linearly with rounds).

use shortcrust_test_contracts::{COMPUTE, EMPTY};

use super::{GAS, deploy, encode, new_session, output};

/// The Mersenne prime 2^61 − 1, as in the contract.
const P: u64 = (1 << 61) - 1;

/// Native reference of the contract's `field_iterate`.
fn field_iterate(seed: u64, rounds: u64) -> u64 {
    let mut x = u128::from(seed % P);
    for _ in 0..rounds {
        x = (x * x + x + 7) % u128::from(P);
    }
    x as u64
}

/// Native reference of the contract's `mix_iterate` (SplitMix64 finaliser).
fn mix_iterate(seed: u64, rounds: u64) -> u64 {
    let (mut state, mut acc) = (seed, 0u64);
    for _ in 0..rounds {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        acc ^= z ^ (z >> 31);
    }
    acc
}

#[test]
fn compute_matches_native_arithmetic() {
    let (_vm, mut session) = new_session();
    let compute = deploy(&mut session, COMPUTE);
    for (seed, rounds) in [
        (0u64, 0u64),
        (3, 1),
        (u64::MAX, 1_000),
        (123_456_789, 10_000),
    ] {
        let input = encode(&(seed, rounds));
        let field: u64 = output(
            &session
                .call(compute, "field_iterate", &input, GAS)
                .expect("no VM fault"),
        );
        assert_eq!(
            field,
            field_iterate(seed, rounds),
            "field_iterate({seed}, {rounds})"
        );
        let mix: u64 = output(
            &session
                .call(compute, "mix_iterate", &input, GAS)
                .expect("no VM fault"),
        );
        assert_eq!(
            mix,
            mix_iterate(seed, rounds),
            "mix_iterate({seed}, {rounds})"
        );
    }
}

#[test]
fn compute_gas_is_linear_in_rounds() {
    let (_vm, mut session) = new_session();
    let compute = deploy(&mut session, COMPUTE);
    let gas = |session: &mut shortcrust_vm::Session, entry: &str, rounds: u64| {
        session
            .call(compute, entry, &encode(&(7u64, rounds)), GAS)
            .expect("no VM fault")
            .gas_spent
    };
    for entry in ["field_iterate", "mix_iterate"] {
        // From 1,000 rounds on, so that loop set-up (and unrolling remainders) is paid in all.
        let (g1, g2, g3) = (
            gas(&mut session, entry, 1_000),
            gas(&mut session, entry, 2_000),
            gas(&mut session, entry, 3_000),
        );
        assert!(g2 > g1 + 1_000, "{entry}: rounds must cost gas");
        assert_eq!(
            g3 - g2,
            g2 - g1,
            "{entry}: every 1,000 rounds cost the same"
        );
    }
}

#[test]
fn empty_call_gas_snapshot() {
    for (protocol, expected) in [(1, EXPECTED_NOOP_GAS_V1), (2, EXPECTED_NOOP_GAS_V2)] {
        let (_vm, mut session) = super::new_session_at(protocol);
        let empty = deploy(&mut session, EMPTY);
        let receipt = session.call(empty, "noop", &[], GAS).expect("no VM fault");
        assert_eq!(receipt.result, Ok(vec![]));
        assert!(receipt.events.is_empty());
        assert_eq!(
            receipt.gas_spent, expected,
            "protocol {protocol}: update the snapshot if intended"
        );
    }
}

/// `TX_BASE` (30,000), one `input_len` host call (100), two pages of initial memory (120,000)
/// and the wrapper's instructions, under gas schedule v1.
const EXPECTED_NOOP_GAS_V1: u64 = 150_623;
/// The same under schedule v2 (the wrapper's instructions priced by class, the host call
/// surcharged).
const EXPECTED_NOOP_GAS_V2: u64 = 150_952;
