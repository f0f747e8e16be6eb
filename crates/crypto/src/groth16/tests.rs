//! Tests of `verify_groth16_bn254` with real arkworks proofs (see `testkit`).

use std::sync::OnceLock;

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use shortcrust_abi::{limits, status};

use super::testkit::{SquareRootsCircuit, fixture};
use super::*;

/// Three public inputs, two proofs under one key; generated once for all tests.
struct Shared {
    circuit: SquareRootsCircuit,
    input: Groth16Input,
    other: Groth16Input,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let circuit = SquareRootsCircuit::setup(7, 3);
        Shared {
            input: circuit.prove(1),
            other: circuit.prove(2),
            circuit,
        }
    })
}

fn verify(vk: &[u8], proof: &[u8], inputs: &[u8]) -> i32 {
    verify_groth16_bn254(vk, proof, inputs)
}

/// A base-field element whose curve equation has no solution: `x³ + 3` is not a square.
fn x_off_g1() -> Fq {
    (1u64..)
        .map(Fq::from)
        .find(|x| G1Affine::get_point_from_x_unchecked(*x, false).is_none())
        .expect("half of all x are off the curve")
}

/// A point on the G2 twist that is not in the prime-order subgroup.
fn g2_outside_subgroup() -> G2Affine {
    (1u64..)
        .filter_map(|x| {
            G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(x), Fq::from(1u8)), false)
        })
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .expect("almost every twist point has a cofactor component")
}

fn compressed_g2_unchecked(point: &G2Affine) -> Vec<u8> {
    let mut out = Vec::new();
    point.serialize_compressed(&mut out).expect("in memory");
    out
}

fn with_replaced(bytes: &[u8], offset: usize, replacement: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[offset..offset + replacement.len()].copy_from_slice(replacement);
    out
}

#[test]
fn real_proofs_verify() {
    let s = shared();
    let chosen = s.circuit.prove_with_roots(&[3, 5, 7], 4);
    let squares: Vec<u8> = [9u8, 25, 49]
        .iter()
        .flat_map(|v| {
            let mut be = [0u8; 32];
            be[31] = *v;
            be
        })
        .collect();
    assert_eq!(
        chosen.public_inputs, squares,
        "big-endian squares of the chosen roots"
    );
    assert_eq!(chosen.verify(), status::VALID);
    assert_eq!(s.input.verify(), status::VALID);
    assert_eq!(s.other.verify(), status::VALID);
    assert_eq!(s.input.verifying_key, s.other.verifying_key);
    let empty = fixture(3, 0);
    assert_eq!(empty.public_inputs.len(), 0);
    assert_eq!(empty.verify(), status::VALID);
}

#[test]
fn wrong_public_inputs_are_invalid() {
    let s = shared();
    let mut inputs = s.input.public_inputs.clone();
    inputs[31] ^= 1; // still < r: the last byte of a big-endian scalar
    assert_eq!(
        verify(&s.input.verifying_key, &s.input.proof, &inputs),
        status::INVALID
    );
    // A valid proof of another statement under the same key.
    assert_eq!(
        verify(
            &s.input.verifying_key,
            &s.other.proof,
            &s.input.public_inputs
        ),
        status::INVALID
    );
    // The right inputs in another order.
    let mut swapped = s.input.public_inputs.clone();
    swapped[..64].rotate_left(32);
    assert_eq!(
        verify(&s.input.verifying_key, &s.input.proof, &swapped),
        status::INVALID
    );
}

#[test]
fn tampered_proofs_are_invalid() {
    let s = shared();
    // Flipping the sign flag of `a` gives `-a`: a valid point, a wrong proof.
    let mut negated = s.input.proof.clone();
    negated[G1_LEN - 1] ^= 0x80;
    assert_eq!(
        verify(&s.input.verifying_key, &negated, &s.input.public_inputs),
        status::INVALID
    );
    // `c` of another proof.
    let mixed = with_replaced(
        &s.input.proof,
        G1_LEN + G2_LEN,
        &s.other.proof[G1_LEN + G2_LEN..],
    );
    assert_eq!(
        verify(&s.input.verifying_key, &mixed, &s.input.public_inputs),
        status::INVALID
    );
    // The identity as `a` is a valid encoding that never verifies.
    let identity = with_replaced(&s.input.proof, 0, &encode_g1(&G1Affine::zero()));
    assert_eq!(
        verify(&s.input.verifying_key, &identity, &s.input.public_inputs),
        status::INVALID
    );
}

#[test]
fn another_key_rejects_the_proof() {
    let s = shared();
    let other_key = SquareRootsCircuit::setup(8, 3).verifying_key();
    assert_eq!(
        verify(&other_key, &s.input.proof, &s.input.public_inputs),
        status::INVALID
    );
}

#[test]
fn lengths_are_checked() {
    let s = shared();
    let (vk, proof, inputs) = (
        &s.input.verifying_key,
        &s.input.proof,
        &s.input.public_inputs,
    );
    assert_eq!(
        verify(vk, &proof[..PROOF_LEN - 1], inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(vk, &[proof.as_slice(), &[0]].concat(), inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(&vk[..vk.len() - 1], proof, inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(&vk[..vk.len() - G1_LEN], proof, inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(vk, proof, &inputs[..inputs.len() - 1]),
        status::ERR_LENGTH
    );
    // Two inputs for a three-input key.
    assert_eq!(verify(vk, proof, &inputs[..64]), status::ERR_LENGTH);
    // A key declaring another point count than its length.
    let miscounted = with_replaced(vk, VK_FIXED_LEN - 8, &5u64.to_le_bytes());
    assert_eq!(verify(&miscounted, proof, inputs), status::ERR_LENGTH);
    assert_eq!(verify(&[], &[], &[]), status::ERR_LENGTH);
}

#[test]
fn too_many_public_inputs() {
    let s = shared();
    let inputs = vec![0u8; (limits::MAX_PUBLIC_INPUTS as usize + 1) * SCALAR_LEN];
    assert_eq!(
        verify(&s.input.verifying_key, &s.input.proof, &inputs),
        status::ERR_TOO_MANY
    );
}

#[test]
fn public_inputs_must_be_below_the_modulus() {
    let s = shared();
    let modulus = Fr::MODULUS.to_bytes_be();
    let inputs = with_replaced(&s.input.public_inputs, 32, &modulus);
    assert_eq!(
        verify(&s.input.verifying_key, &s.input.proof, &inputs),
        status::ERR_MALFORMED
    );
    let inputs = with_replaced(&s.input.public_inputs, 0, &[0xff; 32]);
    assert_eq!(
        verify(&s.input.verifying_key, &s.input.proof, &inputs),
        status::ERR_MALFORMED
    );
}

#[test]
fn points_off_the_curve_are_rejected() {
    let s = shared();
    let (vk, proof, inputs) = (
        &s.input.verifying_key,
        &s.input.proof,
        &s.input.public_inputs,
    );
    let mut off = [0u8; G1_LEN];
    off.copy_from_slice(&x_off_g1().into_bigint().to_bytes_le());
    assert_eq!(
        verify(vk, &with_replaced(proof, 0, &off), inputs),
        status::ERR_NOT_ON_CURVE
    );
    assert_eq!(
        verify(&with_replaced(vk, 0, &off), proof, inputs),
        status::ERR_NOT_ON_CURVE
    );
    let last_ic = vk.len() - G1_LEN;
    assert_eq!(
        verify(&with_replaced(vk, last_ic, &off), proof, inputs),
        status::ERR_NOT_ON_CURVE
    );
    // x ≥ p (flags clear).
    let mut too_big = [0xff; G1_LEN];
    too_big[G1_LEN - 1] = 0x3f;
    assert_eq!(
        verify(vk, &with_replaced(proof, 0, &too_big), inputs),
        status::ERR_NOT_ON_CURVE
    );
    // The infinity flag with a nonzero x: a second encoding of the identity.
    let mut stray = [0u8; G1_LEN];
    stray[0] = 1;
    stray[G1_LEN - 1] = 0x40;
    assert_eq!(
        verify(vk, &with_replaced(proof, 0, &stray), inputs),
        status::ERR_NOT_ON_CURVE
    );
    // Both flags set.
    let mut flags = encode_g1(&G1Affine::generator());
    flags[G1_LEN - 1] |= 0xc0;
    assert_eq!(
        verify(vk, &with_replaced(proof, 0, &flags), inputs),
        status::ERR_NOT_ON_CURVE
    );
}

#[test]
fn g2_points_outside_the_subgroup_are_rejected() {
    let s = shared();
    let (vk, proof, inputs) = (
        &s.input.verifying_key,
        &s.input.proof,
        &s.input.public_inputs,
    );
    let outside = compressed_g2_unchecked(&g2_outside_subgroup());
    assert_eq!(
        verify(vk, &with_replaced(proof, G1_LEN, &outside), inputs),
        status::ERR_NOT_IN_SUBGROUP
    );
    assert_eq!(
        verify(&with_replaced(vk, G1_LEN, &outside), proof, inputs),
        status::ERR_NOT_IN_SUBGROUP
    );
}

#[test]
fn results_and_gas_are_the_same_on_a_hit_and_a_miss() {
    let s = shared();
    let cache = VerifierCache::new(1);
    let (vk, proof, inputs) = (
        &s.input.verifying_key,
        &s.input.proof,
        &s.input.public_inputs,
    );
    let mut wrong = inputs.clone();
    wrong[31] ^= 1;
    let mut off_proof = proof.clone();
    off_proof[..G1_LEN].copy_from_slice(&x_off_g1().into_bigint().to_bytes_le());
    let cases: [(&[u8], &[u8], i32); 3] = [
        (proof, inputs, status::VALID),
        (proof, &wrong, status::INVALID),
        (&off_proof, inputs, status::ERR_NOT_ON_CURVE),
    ];
    for (proof, inputs, expected) in cases {
        let gas = verify_groth16_bn254_gas(vk.len(), proof.len(), inputs.len());
        assert!(!cache.contains(vk));
        assert_eq!(
            verify_with_cache(&cache, vk, proof, inputs),
            expected,
            "miss"
        );
        assert!(
            cache.contains(vk),
            "a well-formed key is cached even when the proof is bad"
        );
        assert_eq!(
            verify_with_cache(&cache, vk, proof, inputs),
            expected,
            "hit"
        );
        assert_eq!(
            gas,
            verify_groth16_bn254_gas(vk.len(), proof.len(), inputs.len())
        );
        // Evict by verifying under another key (capacity 1).
        let other = fixture(11, 0);
        assert_eq!(
            verify_with_cache(
                &cache,
                &other.verifying_key,
                &other.proof,
                &other.public_inputs
            ),
            status::VALID
        );
    }
    // A malformed key is never cached, and fails the same way every time.
    let bad_vk = with_replaced(vk, G1_LEN, &compressed_g2_unchecked(&g2_outside_subgroup()));
    for _ in 0..2 {
        assert_eq!(
            verify_with_cache(&cache, &bad_vk, proof, inputs),
            status::ERR_NOT_IN_SUBGROUP
        );
        assert!(!cache.contains(&bad_vk));
    }
    assert_eq!(
        verify_groth16_bn254_uncached(vk, proof, inputs),
        status::VALID
    );
}

#[test]
fn gas_grows_with_public_inputs_and_saturates() {
    // The schedule in force (a change is a protocol change): 10 gas/ns × (2.30 ms + 23.2 µs n).
    assert_eq!(verify_groth16_bn254_gas(264, PROOF_LEN, 0), 23_000_000);
    assert_eq!(verify_groth16_bn254_gas(296, PROOF_LEN, 32), 23_232_000);
    let base = verify_groth16_bn254_gas(264, PROOF_LEN, 0);
    assert!(base > 0, "never free");
    let one = verify_groth16_bn254_gas(296, PROOF_LEN, 32);
    let two = verify_groth16_bn254_gas(328, PROOF_LEN, 64);
    assert!(one > base);
    assert_eq!(two - one, one - base, "linear in the number of inputs");
    // A partial word is charged as a whole input.
    assert_eq!(verify_groth16_bn254_gas(0, 0, 1), one);
    assert_eq!(
        verify_groth16_bn254_gas(usize::MAX, usize::MAX, usize::MAX),
        u64::MAX
    );
    assert_eq!(
        shared().input.gas(),
        verify_groth16_bn254_gas(264 + 3 * 32, PROOF_LEN, 96)
    );
}

#[test]
fn encodings_round_trip() {
    let s = shared();
    let vk = decode_verifying_key(&s.input.verifying_key).expect("valid key");
    assert_eq!(vk.gamma_abc_g1.len(), 4);
    assert_eq!(encode_verifying_key(&vk), s.input.verifying_key);
    let proof = decode_proof(&s.input.proof).expect("valid proof");
    assert_eq!(encode_proof(&proof).as_slice(), s.input.proof.as_slice());
    let inputs = decode_public_inputs(&s.input.public_inputs).expect("valid inputs");
    assert_eq!(encode_public_inputs(&inputs), s.input.public_inputs);
    assert_eq!(verifying_key_len(3), Some(s.input.verifying_key.len()));
    let x = Fr::from(0x0102_0304u64);
    let be = scalar_to_be_bytes(&x);
    assert_eq!(&be[28..], &[1, 2, 3, 4]);
    assert!(be[..28].iter().all(|b| *b == 0));
}
