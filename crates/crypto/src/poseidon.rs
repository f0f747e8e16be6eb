//! Poseidon hashes: Dusk's over the BLS12-381 scalar field, and circomlib's over BN254.
//!
//! `poseidon_hash` input layout: `n` canonical 32-byte little-endian BLS12-381 scalars
//! (`len = 32 n`, `1 <= n <= limits::MAX_POSEIDON_INPUTS`). Output: the 32-byte little-endian
//! scalar `dusk_poseidon::Hash::digest(Domain::Other, inputs)[0]` — the hash Dusk's contracts and
//! circuits use for "any other input" (Hades width 5, SAFE sponge, tag from the io-pattern).
//!
//! `poseidon_bn254` input layout: `n` 32-byte big-endian BN254 scalar-field elements, each below
//! the field modulus (`1 <= n <= 12`, circomlib's widths). Output: the 32-byte big-endian field
//! element circomlib's `poseidon([..])` (and `light-poseidon`'s `new_circom(n)`) computes.
//!
//! Errors (negative ABI statuses): `ERR_LENGTH` when `len` is zero or not a multiple of 32,
//! `ERR_TOO_MANY` when `n` is above the limit, `ERR_MALFORMED` when an element is not canonical
//! (not below the field modulus). Checked in that order.

use ark_bn254::Fr;
use dusk_bls12_381::BlsScalar;
use dusk_poseidon::{Domain, Hash};
use light_poseidon::{Poseidon, PoseidonBytesHasher, PoseidonError};
use shortcrust_abi::{limits, status};

use crate::gas::{gas_from_nanos, linear};
use crate::guard_result;

#[cfg(test)]
mod reference;

/// Bytes per input element, for both fields.
pub const ELEMENT_LEN: usize = 32;
/// Most inputs of `poseidon_bn254`: circomlib's Poseidon is defined for widths 2..=13.
pub const MAX_POSEIDON_BN254_INPUTS: usize = 12;

/// Splits `input` into `n` 32-byte elements, `1 <= n <= max`.
fn elements(input: &[u8], max: usize) -> Result<std::slice::ChunksExact<'_, u8>, i32> {
    if input.is_empty() || !input.len().is_multiple_of(ELEMENT_LEN) {
        return Err(status::ERR_LENGTH);
    }
    if input.len() / ELEMENT_LEN > max {
        return Err(status::ERR_TOO_MANY);
    }
    Ok(input.chunks_exact(ELEMENT_LEN))
}

/// Dusk's Poseidon (`Domain::Other`) of `n` little-endian BLS12-381 scalars. See the module docs.
pub fn poseidon_hash(input: &[u8]) -> Result<[u8; 32], i32> {
    let chunks = elements(input, limits::MAX_POSEIDON_INPUTS as usize)?;
    let scalars = chunks
        .map(|chunk| {
            let mut bytes = [0u8; ELEMENT_LEN];
            bytes.copy_from_slice(chunk);
            Option::<BlsScalar>::from(BlsScalar::from_bytes(&bytes)).ok_or(status::ERR_MALFORMED)
        })
        .collect::<Result<Vec<_>, _>>()?;
    guard_result(|| {
        Hash::digest(Domain::Other, &scalars)
            .first()
            .map(BlsScalar::to_bytes)
            .ok_or(status::ERR_INTERNAL)
    })
}

/// circomlib's Poseidon over BN254 of `n` big-endian field elements. See the module docs.
pub fn poseidon_bn254(input: &[u8]) -> Result<[u8; 32], i32> {
    let inputs: Vec<&[u8]> = elements(input, MAX_POSEIDON_BN254_INPUTS)?.collect();
    guard_result(|| {
        let mut hasher =
            Poseidon::<Fr>::new_circom(inputs.len()).map_err(|_| status::ERR_INTERNAL)?;
        hasher.hash_bytes_be(&inputs).map_err(|error| match error {
            PoseidonError::InputLargerThanModulus => status::ERR_MALFORMED,
            _ => status::ERR_INTERNAL,
        })
    })
}

// ----- gas ---------------------------------------------------------------------------------------
// Measured as described in `crate::gas` (bench group `poseidon/`).
//
// Dusk's sponge absorbs 4 scalars per Hades permutation and permutes once more to squeeze, so
// `n` inputs cost the tag hash plus `ceil(n / 4)` permutations, which is at most
// `t(1) + (perm / 4) · (n − 1)`. Medians: n = 1 → 55.2 µs, 4 → 55.6 µs, 5 → 109.3 µs,
// 8 → 109.6 µs, 64 → 939.9 µs; one permutation is `(t(64) − t(1)) / 15` = 59.0 µs.
//
// circomlib's Poseidon uses one permutation of width `n + 1`, whose cost grows faster than
// linearly in `n` (the MDS step is quadratic); a convex cost lies below its chord, so the line
// through the measurements at `n = 1` and `n = 12` bounds every `n` in between (measured
// n = 6: 102.6 µs, under the chord's 134.5 µs).

/// poseidon_hash, one input: 55.2 µs (tag hash and one permutation).
pub const POSEIDON_HASH_BASE_GAS: u64 = gas_from_nanos(55_213);
/// poseidon_hash, per input beyond the first: a quarter of a permutation, 59.0 / 4 µs.
pub const POSEIDON_HASH_PER_INPUT_GAS: u64 = gas_from_nanos(14_746);

/// poseidon_bn254, one input: 15.6 µs.
pub const POSEIDON_BN254_BASE_GAS: u64 = gas_from_nanos(15_624);
/// poseidon_bn254, per input beyond the first: the chord slope `(t(12) − t(1)) / 11` =
/// (277.1 − 15.6) / 11 µs.
pub const POSEIDON_BN254_PER_INPUT_GAS: u64 = gas_from_nanos(23_774);

/// Price of `poseidon_hash` over `input_len` bytes (`input_len / 32` scalars, rounded up).
pub const fn poseidon_hash_gas(input_len: usize) -> u64 {
    let inputs = (input_len as u64).div_ceil(ELEMENT_LEN as u64);
    linear(
        POSEIDON_HASH_BASE_GAS,
        POSEIDON_HASH_PER_INPUT_GAS,
        inputs.saturating_sub(1),
    )
}

/// Price of `poseidon_bn254` over `input_len` bytes (`input_len / 32` elements, rounded up).
pub const fn poseidon_bn254_gas(input_len: usize) -> u64 {
    let inputs = (input_len as u64).div_ceil(ELEMENT_LEN as u64);
    linear(
        POSEIDON_BN254_BASE_GAS,
        POSEIDON_BN254_PER_INPUT_GAS,
        inputs.saturating_sub(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn scalar_le(hex_le: &str) -> BlsScalar {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_le, &mut bytes).expect("32 bytes of hex");
        Option::from(BlsScalar::from_bytes(&bytes)).expect("canonical scalar")
    }

    #[derive(Deserialize)]
    struct DuskVectors {
        inputs_le_hex: Vec<String>,
        cases: Vec<DuskCase>,
    }
    #[derive(Deserialize)]
    struct DuskCase {
        n: usize,
        output_be_hex: String,
    }

    /// The reference permutation reproduces dusk-poseidon's own known answers, which pins the
    /// constants and the round structure; `poseidon_hash` then agrees with the reference sponge
    /// under `Domain::Other` for every input count, including the multi-permutation ones.
    #[test]
    fn dusk_known_answers_through_an_independent_reference() {
        let vectors: DuskVectors = serde_json::from_str(include_str!(
            "../testdata/dusk-poseidon/hades_sponge_known_answers.json"
        ))
        .expect("valid JSON");
        let inputs: Vec<BlsScalar> = vectors.inputs_le_hex.iter().map(|h| scalar_le(h)).collect();
        let hades = reference::Hades::new();
        assert_eq!(vectors.cases.len(), 6);
        for case in &vectors.cases {
            let output = hades.sponge(BlsScalar::zero(), &[&inputs[..case.n], &[BlsScalar::one()]]);
            assert_eq!(
                format!("{output:?}"),
                format!("0x{}", case.output_be_hex),
                "n = {}",
                case.n
            );
        }

        for n in [1, 2, 3, 4, 5, 8, 9, 10] {
            let input: Vec<u8> = inputs[..n].iter().flat_map(BlsScalar::to_bytes).collect();
            let expected = hades.sponge(reference::other_domain_tag(n), &[&inputs[..n]]);
            assert_eq!(poseidon_hash(&input), Ok(expected.to_bytes()), "n = {n}");
        }
    }

    #[test]
    fn poseidon_hash_is_dusks_other_domain_hash_up_to_the_limit() {
        let max = limits::MAX_POSEIDON_INPUTS as usize;
        let scalars: Vec<BlsScalar> = (0..max as u64)
            .map(|i| BlsScalar::hash_to_scalar(&i.to_le_bytes()))
            .collect();
        for n in [1, 2, 5, max] {
            let input: Vec<u8> = scalars[..n].iter().flat_map(BlsScalar::to_bytes).collect();
            let expected = Hash::digest(Domain::Other, &scalars[..n])[0].to_bytes();
            assert_eq!(poseidon_hash(&input), Ok(expected));
        }
    }

    #[test]
    fn poseidon_hash_rejects_malformed_input() {
        assert_eq!(poseidon_hash(&[]), Err(status::ERR_LENGTH));
        assert_eq!(poseidon_hash(&[0u8; 31]), Err(status::ERR_LENGTH));
        assert_eq!(poseidon_hash(&[0u8; 33]), Err(status::ERR_LENGTH));
        let too_many = vec![0u8; 32 * (limits::MAX_POSEIDON_INPUTS as usize + 1)];
        assert_eq!(poseidon_hash(&too_many), Err(status::ERR_TOO_MANY));
        // The modulus itself (little-endian) and all-ones are not canonical scalars.
        let mut modulus = [0u8; 32];
        hex::decode_to_slice(
            "01000000fffffffffe5bfeff02a4bd5305d8a10908d83933487d9d2953a7ed73",
            &mut modulus,
        )
        .expect("hex");
        assert_eq!(poseidon_hash(&modulus), Err(status::ERR_MALFORMED));
        assert_eq!(poseidon_hash(&[0xff; 64]), Err(status::ERR_MALFORMED));
        // One below the modulus is fine.
        modulus[0] = 0;
        assert!(poseidon_hash(&modulus).is_ok());
    }

    #[derive(Deserialize)]
    struct CircomVectors {
        cases: Vec<CircomCase>,
    }
    #[derive(Deserialize)]
    struct CircomCase {
        inputs_be_hex: Vec<String>,
        output_be_hex: String,
    }

    #[test]
    fn bn254_circomlib_known_answers() {
        let vectors: CircomVectors = serde_json::from_str(include_str!(
            "../testdata/circomlib-poseidon/known_answers.json"
        ))
        .expect("valid JSON");
        assert_eq!(vectors.cases.len(), 13);
        for case in &vectors.cases {
            let input = hex::decode(case.inputs_be_hex.concat()).expect("hex");
            let output = poseidon_bn254(&input).map(hex::encode);
            assert_eq!(
                output,
                Ok(case.output_be_hex.clone()),
                "{} inputs",
                case.inputs_be_hex.len()
            );
        }
    }

    #[test]
    fn bn254_rejects_malformed_input() {
        assert_eq!(poseidon_bn254(&[]), Err(status::ERR_LENGTH));
        assert_eq!(poseidon_bn254(&[1u8; 40]), Err(status::ERR_LENGTH));
        assert_eq!(poseidon_bn254(&[0u8; 32 * 13]), Err(status::ERR_TOO_MANY));
        // The BN254 scalar-field modulus (big-endian) is not a field element; modulus − 1 is.
        let mut modulus =
            hex::decode("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001")
                .expect("hex");
        assert_eq!(poseidon_bn254(&modulus), Err(status::ERR_MALFORMED));
        modulus[31] = 0;
        assert!(poseidon_bn254(&modulus).is_ok());
    }

    #[test]
    fn prices_are_linear_in_inputs_and_saturate() {
        for price in [poseidon_hash_gas, poseidon_bn254_gas] {
            assert!(price(0) > 0);
            assert_eq!(price(1), price(32));
            assert!(price(64) > price(32));
            assert!(
                price(usize::MAX) >= price(1 << 20),
                "saturates instead of wrapping"
            );
        }
        assert_eq!(poseidon_hash_gas(32), POSEIDON_HASH_BASE_GAS);
        assert_eq!(
            poseidon_bn254_gas(32 * 12),
            POSEIDON_BN254_BASE_GAS + 11 * POSEIDON_BN254_PER_INPUT_GAS
        );
    }
}
