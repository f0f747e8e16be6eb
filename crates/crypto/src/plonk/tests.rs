//! Tests of `verify_plonk` with real dusk-plonk proofs (see `testkit`).

use std::sync::OnceLock;

use dusk_bls12_381::{BlsScalar, G1Affine};
use shortcrust_abi::{limits, status};

use super::testkit::{LABEL, SquareRootsCircuit, fixture};
use super::*;

/// Two public inputs, two proofs under one verifier; generated once for all tests.
struct Shared {
    circuit: SquareRootsCircuit,
    input: PlonkInput,
    other: PlonkInput,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let circuit = SquareRootsCircuit::setup(5, 2);
        Shared {
            input: circuit.prove(1),
            other: circuit.prove(2),
            circuit,
        }
    })
}

fn verify(vd: &[u8], proof: &[u8], inputs: &[u8]) -> i32 {
    verify_plonk(vd, proof, inputs)
}

fn with_replaced(bytes: &[u8], offset: usize, replacement: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[offset..offset + replacement.len()].copy_from_slice(replacement);
    out
}

/// Compressed G1 encodings (flag bit set, big-endian x) of small x, decoded without checks.
fn small_x_g1_points() -> impl Iterator<Item = ([u8; G1_LEN], Option<G1Affine>)> {
    (1u8..=255).map(|x| {
        let mut bytes = [0u8; G1_LEN];
        bytes[0] = 0x80;
        bytes[G1_LEN - 1] = x;
        (
            bytes,
            Option::from(G1Affine::from_compressed_unchecked(&bytes)),
        )
    })
}

fn g1_off_curve() -> [u8; G1_LEN] {
    small_x_g1_points()
        .find(|(_, p)| p.is_none())
        .map(|(b, _)| b)
        .expect("half of all x are off the curve")
}

fn g1_outside_subgroup() -> [u8; G1_LEN] {
    small_x_g1_points()
        .find(|(_, p)| p.is_some_and(|p| !bool::from(p.is_torsion_free())))
        .map(|(b, _)| b)
        .expect("almost every curve point has a cofactor component")
}

/// Offset of the verifier key in verifier data with the testkit's label.
fn verifier_key_offset() -> usize {
    HEADER_LEN + LABEL.len()
}

#[test]
fn real_proofs_verify() {
    let s = shared();
    let chosen = s.circuit.prove_with_roots(&[3, 4], 4);
    let squares: Vec<u8> = [9u8, 16]
        .iter()
        .flat_map(|v| {
            let mut le = [0u8; 32];
            le[0] = *v;
            le
        })
        .collect();
    assert_eq!(
        chosen.public_inputs, squares,
        "little-endian squares of the chosen roots"
    );
    assert_eq!(chosen.verify(), status::VALID);
    assert_eq!(s.input.verify(), status::VALID);
    assert_eq!(s.other.verify(), status::VALID);
    assert_eq!(s.input.verifier_data, s.other.verifier_data);
    assert_eq!(fixture(9, 0).verify(), status::VALID);
}

#[test]
fn layout_matches_dusk_plonk() {
    let vd = &shared().input.verifier_data;
    let header = |i: usize| u64::from_be_bytes(vd[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    assert_eq!(header(0), LABEL.len() as u64);
    assert_eq!(header(1), VERIFIER_KEY_LEN as u64);
    assert_eq!(header(2), OPENING_KEY_LEN as u64);
    assert_eq!(header(3), 2);
    assert_eq!(
        vd.len(),
        HEADER_LEN + LABEL.len() + VERIFIER_KEY_LEN + OPENING_KEY_LEN + 2 * 8
    );
    let reserved_end = verifier_key_offset() + VERIFIER_KEY_LEN;
    assert!(
        vd[reserved_end - VERIFIER_KEY_RESERVED..reserved_end]
            .iter()
            .all(|b| *b == 0)
    );
    assert_eq!(shared().input.proof.len(), PROOF_LEN);
}

#[test]
fn wrong_public_inputs_are_invalid() {
    let s = shared();
    let mut inputs = s.input.public_inputs.clone();
    inputs[0] ^= 1; // the low byte of a little-endian scalar: still canonical
    assert_eq!(
        verify(&s.input.verifier_data, &s.input.proof, &inputs),
        status::INVALID
    );
    assert_eq!(
        verify(
            &s.input.verifier_data,
            &s.other.proof,
            &s.input.public_inputs
        ),
        status::INVALID
    );
    let mut swapped = s.input.public_inputs.clone();
    swapped.rotate_left(32);
    assert_eq!(
        verify(&s.input.verifier_data, &s.input.proof, &swapped),
        status::INVALID
    );
}

#[test]
fn tampered_proofs_are_invalid() {
    let s = shared();
    let (vd, inputs) = (&s.input.verifier_data, &s.input.public_inputs);
    // Swap the first two commitments (both valid points).
    let mut swapped = s.input.proof.clone();
    swapped[..2 * G1_LEN].rotate_left(G1_LEN);
    assert_eq!(verify(vd, &swapped, inputs), status::INVALID);
    // Change one evaluation (`a_eval`, the first scalar) by one.
    let scalars = PROOF_COMMITMENTS * G1_LEN;
    let a_eval =
        BlsScalar::from_bytes(s.input.proof[scalars..scalars + 32].try_into().expect("32"))
            .expect("canonical");
    let bumped = with_replaced(
        &s.input.proof,
        scalars,
        &(a_eval + BlsScalar::one()).to_bytes(),
    );
    assert_eq!(verify(vd, &bumped, inputs), status::INVALID);
    // Another proof's opening commitment.
    let w = (PROOF_COMMITMENTS - 1) * G1_LEN;
    let mixed = with_replaced(&s.input.proof, w, &s.other.proof[w..w + G1_LEN]);
    assert_eq!(verify(vd, &mixed, inputs), status::INVALID);
}

#[test]
fn another_verifier_rejects_the_proof() {
    let s = shared();
    let other = SquareRootsCircuit::setup(6, 2).verifier_data();
    assert_eq!(
        verify(&other, &s.input.proof, &s.input.public_inputs),
        status::INVALID
    );
    // Same keys, another transcript label.
    let relabelled = SquareRootsCircuit::setup_with_label(5, 2, b"another label").verifier_data();
    assert_eq!(
        verify(&relabelled, &s.input.proof, &s.input.public_inputs),
        status::INVALID
    );
}

#[test]
fn lengths_are_checked() {
    let s = shared();
    let (vd, proof, inputs) = (
        &s.input.verifier_data,
        &s.input.proof,
        &s.input.public_inputs,
    );
    assert_eq!(
        verify(vd, &proof[..PROOF_LEN - 1], inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(vd, &[proof.as_slice(), &[0]].concat(), inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(&vd[..vd.len() - 1], proof, inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(&[vd.as_slice(), &[0]].concat(), proof, inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(&vd[..HEADER_LEN - 1], proof, inputs),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify(vd, proof, &inputs[..inputs.len() - 1]),
        status::ERR_LENGTH
    );
    assert_eq!(verify(vd, proof, &inputs[..32]), status::ERR_LENGTH);
    // Header lengths that dusk-plonk's parser would tolerate.
    let key_len = with_replaced(vd, 8, &(VERIFIER_KEY_LEN as u64 + 1).to_be_bytes());
    assert_eq!(verify(&key_len, proof, inputs), status::ERR_LENGTH);
    let huge_count = with_replaced(vd, 24, &u64::MAX.to_be_bytes());
    assert_eq!(verify(&huge_count, proof, inputs), status::ERR_LENGTH);
    let huge_label = with_replaced(vd, 0, &u64::MAX.to_be_bytes());
    assert_eq!(verify(&huge_label, proof, inputs), status::ERR_LENGTH);
    assert_eq!(verify(&[], &[], &[]), status::ERR_LENGTH);
}

#[test]
fn too_many_public_inputs() {
    let s = shared();
    let inputs = vec![0u8; (limits::MAX_PUBLIC_INPUTS as usize + 1) * SCALAR_LEN];
    assert_eq!(
        verify(&s.input.verifier_data, &s.input.proof, &inputs),
        status::ERR_TOO_MANY
    );
}

#[test]
fn malformed_scalars_and_fields() {
    let s = shared();
    let (vd, proof, inputs) = (
        &s.input.verifier_data,
        &s.input.proof,
        &s.input.public_inputs,
    );
    let not_canonical = [0xff; 32];
    assert_eq!(
        verify(vd, proof, &with_replaced(inputs, 32, &not_canonical)),
        status::ERR_MALFORMED
    );
    let scalars = PROOF_COMMITMENTS * G1_LEN;
    assert_eq!(
        verify(
            vd,
            &with_replaced(proof, scalars + 32, &not_canonical),
            inputs
        ),
        status::ERR_MALFORMED
    );
    let key = verifier_key_offset();
    let constraints = with_replaced(vd, key, &(MAX_CONSTRAINTS + 1).to_le_bytes());
    assert_eq!(verify(&constraints, proof, inputs), status::ERR_MALFORMED);
    let reserved = with_replaced(vd, key + VERIFIER_KEY_LEN - 1, &[1]);
    assert_eq!(verify(&reserved, proof, inputs), status::ERR_MALFORMED);
}

#[test]
fn bad_points_get_precise_statuses() {
    let s = shared();
    let (vd, proof, inputs) = (
        &s.input.verifier_data,
        &s.input.proof,
        &s.input.public_inputs,
    );
    let off = g1_off_curve();
    let outside = g1_outside_subgroup();
    assert_eq!(
        verify(vd, &with_replaced(proof, 0, &off), inputs),
        status::ERR_NOT_ON_CURVE
    );
    assert_eq!(
        verify(vd, &with_replaced(proof, G1_LEN, &outside), inputs),
        status::ERR_NOT_IN_SUBGROUP
    );
    // No compression flag: not a canonical encoding.
    let mut uncompressed_flag = [0u8; G1_LEN];
    uncompressed_flag.copy_from_slice(&proof[..G1_LEN]);
    uncompressed_flag[0] &= 0x7f;
    assert_eq!(
        verify(vd, &with_replaced(proof, 0, &uncompressed_flag), inputs),
        status::ERR_NOT_ON_CURVE
    );
    // In the verifier key (a commitment) and the opening key (`g`).
    let commitment = verifier_key_offset() + 8 + 3 * G1_LEN;
    assert_eq!(
        verify(&with_replaced(vd, commitment, &off), proof, inputs),
        status::ERR_NOT_ON_CURVE
    );
    assert_eq!(
        verify(&with_replaced(vd, commitment, &outside), proof, inputs),
        status::ERR_NOT_IN_SUBGROUP
    );
    let opening_g = verifier_key_offset() + VERIFIER_KEY_LEN;
    assert_eq!(
        verify(&with_replaced(vd, opening_g, &outside), proof, inputs),
        status::ERR_NOT_IN_SUBGROUP
    );
    // The opening key's G2 `h` with its x corrupted.
    let mut h = vd[opening_g + G1_LEN..opening_g + G1_LEN + G2_LEN].to_vec();
    h[G2_LEN - 1] ^= 1;
    let corrupted = with_replaced(vd, opening_g + G1_LEN, &h);
    let code = verify(&corrupted, proof, inputs);
    assert!(
        code == status::ERR_NOT_ON_CURVE || code == status::ERR_NOT_IN_SUBGROUP,
        "a corrupted G2 point is off the curve or outside the subgroup, got {code}"
    );
}

#[test]
fn results_and_gas_are_the_same_on_a_hit_and_a_miss() {
    let s = shared();
    let cache = VerifierCache::new(1);
    let (vd, proof, inputs) = (
        &s.input.verifier_data,
        &s.input.proof,
        &s.input.public_inputs,
    );
    let mut wrong = inputs.clone();
    wrong[0] ^= 1;
    let off_proof = with_replaced(proof, 0, &g1_off_curve());
    let other = fixture(12, 0);
    let cases: [(&[u8], &[u8], i32); 3] = [
        (proof, inputs, status::VALID),
        (proof, &wrong, status::INVALID),
        (&off_proof, inputs, status::ERR_NOT_ON_CURVE),
    ];
    for (proof, inputs, expected) in cases {
        let gas = verify_plonk_gas(vd.len(), proof.len(), inputs.len());
        assert!(!cache.contains(vd));
        assert_eq!(
            verify_with_cache(&cache, vd, proof, inputs),
            expected,
            "miss"
        );
        assert!(cache.contains(vd));
        assert_eq!(
            verify_with_cache(&cache, vd, proof, inputs),
            expected,
            "hit"
        );
        assert_eq!(gas, verify_plonk_gas(vd.len(), proof.len(), inputs.len()));
        assert_eq!(
            verify_with_cache(
                &cache,
                &other.verifier_data,
                &other.proof,
                &other.public_inputs
            ),
            status::VALID,
            "evicts the first verifier (capacity 1)"
        );
    }
    let bad_vd = with_replaced(vd, verifier_key_offset() + 8, &g1_outside_subgroup());
    for _ in 0..2 {
        assert_eq!(
            verify_with_cache(&cache, &bad_vd, proof, inputs),
            status::ERR_NOT_IN_SUBGROUP
        );
        assert!(!cache.contains(&bad_vd));
    }
    assert_eq!(verify_plonk_uncached(vd, proof, inputs), status::VALID);
}

#[test]
fn gas_grows_with_inputs_and_verifier_data_and_saturates() {
    // The schedule in force (a change is a protocol change):
    // 10 gas/ns × (8.60 ms + 13 µs n + 7.7 µs per KiB of verifier data, rounded up).
    assert_eq!(verify_plonk_gas(0, PROOF_LEN, 0), 86_000_000);
    assert_eq!(
        verify_plonk_gas(1024, PROOF_LEN, 32),
        86_000_000 + 130_000 + 77_000
    );
    assert_eq!(verify_plonk_gas(1, PROOF_LEN, 0), 86_000_000 + 76);
    let base = verify_plonk_gas(1300, PROOF_LEN, 32);
    assert!(base > 0, "never free");
    let more_inputs = verify_plonk_gas(1300, PROOF_LEN, 64);
    assert!(more_inputs > base);
    let longer_label = verify_plonk_gas(1300 + 64 * 1024, PROOF_LEN, 32);
    assert!(longer_label > base);
    assert_eq!(
        verify_plonk_gas(usize::MAX, usize::MAX, usize::MAX),
        u64::MAX
    );
    let s = &shared().input;
    assert_eq!(
        s.gas(),
        verify_plonk_gas(s.verifier_data.len(), PROOF_LEN, 64)
    );
}

#[test]
fn encodings_round_trip() {
    let s = shared();
    let inputs = decode_public_inputs(&s.input.public_inputs).expect("canonical");
    assert_eq!(inputs.len(), 2);
    assert_eq!(encode_public_inputs(&inputs), s.input.public_inputs);
    assert!(decode_proof(&s.input.proof).is_ok());
}
