//! `verifier`: every cryptographic host function through a contract, with valid, tampered and
//! malformed inputs made by the reference implementations. Each status is asserted exactly and
//! must equal what `shortcrust_crypto` answers natively for the same bytes: the host path adds
//! nothing and loses nothing.

use std::sync::OnceLock;

mod signatures;

use dusk_bls12_381::BlsScalar;
use ed25519_dalek::{Signer as _, SigningKey as Ed25519Key};
use shortcrust_abi::{bls_scheme as scheme, status};
use shortcrust_crypto::bls::IETF_DST;
use shortcrust_crypto::groth16::Groth16Input;
use shortcrust_crypto::plonk::PlonkInput;
use shortcrust_crypto::{groth16, plonk};
use shortcrust_test_contracts::VERIFIER;
use shortcrust_vm::{ContractId, Receipt, Session, Vm};

use super::{GAS, deploy, encode, new_session, output, wasm_gas};

/// Proofs shared by the tests: generating them is the slow part.
struct Proofs {
    /// Two proofs under one PLONK circuit (two public inputs).
    plonk: PlonkInput,
    plonk_second: PlonkInput,
    /// The same circuit set up from another seed: another verifier.
    plonk_foreign: PlonkInput,
    /// Two proofs under one Groth16 key (two public inputs).
    groth16: Groth16Input,
    groth16_second: Groth16Input,
    /// The committed circom/snarkjs proof of `shortcrust-crypto`, converted.
    snarkjs: Groth16Input,
}

fn proofs() -> &'static Proofs {
    static PROOFS: OnceLock<Proofs> = OnceLock::new();
    PROOFS.get_or_init(|| {
        let plonk_circuit = plonk::testkit::SquareRootsCircuit::setup(11, 2);
        let groth16_circuit = groth16::testkit::SquareRootsCircuit::setup(12, 2);
        Proofs {
            plonk: plonk_circuit.prove(1),
            plonk_second: plonk_circuit.prove(2),
            plonk_foreign: plonk::testkit::fixture(13, 2),
            groth16: groth16_circuit.prove(1),
            groth16_second: groth16_circuit.prove(2),
            snarkjs: groth16::testkit::snarkjs_multiplier(),
        }
    })
}

/// A session with the verifier deployed.
fn verifier() -> (Vm, Session, ContractId) {
    let (vm, mut session) = new_session();
    let id = deploy(&mut session, VERIFIER);
    (vm, session, id)
}

/// Calls a three-buffer `verify_*` entry point; returns its status and receipt.
fn verify3(
    session: &mut Session,
    id: ContractId,
    entry: &str,
    args: (&[u8], &[u8], &[u8]),
) -> (i32, Receipt) {
    let input = encode(&(args.0.to_vec(), args.1.to_vec(), args.2.to_vec()));
    let receipt = session.call(id, entry, &input, GAS).expect("no VM fault");
    (output(&receipt), receipt)
}

/// Asserts that `entry` answers `expected` for these arguments, as `native` does.
#[track_caller]
fn check3(
    session: &mut Session,
    id: ContractId,
    entry: &str,
    native: fn(&[u8], &[u8], &[u8]) -> i32,
    args: (&[u8], &[u8], &[u8]),
    expected: i32,
) {
    let (status, _) = verify3(session, id, entry, args);
    assert_eq!(status, expected, "{entry} through the VM");
    assert_eq!(native(args.0, args.1, args.2), expected, "{entry} natively");
}

/// `bytes` with bit 0 of byte `at` flipped.
fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] ^= 1;
    out
}

#[test]
fn plonk_proofs_verify_and_tampered_ones_do_not() {
    let p = proofs();
    let (_vm, mut session, id) = verifier();
    let run = |session: &mut Session, args: (&[u8], &[u8], &[u8]), expected| {
        check3(
            session,
            id,
            "verify_plonk",
            shortcrust_crypto::verify_plonk,
            args,
            expected,
        )
    };
    let (vd, proof, pi) = (
        &p.plonk.verifier_data,
        &p.plonk.proof,
        &p.plonk.public_inputs,
    );
    run(&mut session, (vd, proof, pi), status::VALID);
    run(
        &mut session,
        (vd, &p.plonk_second.proof, &p.plonk_second.public_inputs),
        status::VALID,
    );

    // Wrong public input: the first one plus one (still a canonical scalar).
    let mut wrong = pi.clone();
    wrong[0] = wrong[0].wrapping_add(1);
    run(&mut session, (vd, proof, &wrong), status::INVALID);
    // Another statement's public inputs, another statement's proof.
    run(
        &mut session,
        (vd, proof, &p.plonk_second.public_inputs),
        status::INVALID,
    );
    run(
        &mut session,
        (vd, &p.plonk_second.proof, pi),
        status::INVALID,
    );
    // A flipped bit in the last evaluation (a scalar that stays canonical).
    run(
        &mut session,
        (vd, &flipped(proof, plonk::PROOF_LEN - 32), pi),
        status::INVALID,
    );
    // The same circuit under another setup: the proof is not for that verifier.
    run(
        &mut session,
        (&p.plonk_foreign.verifier_data, proof, pi),
        status::INVALID,
    );

    // Malformed: lengths, a non-canonical public input, a commitment off the curve.
    run(
        &mut session,
        (vd, &proof[..plonk::PROOF_LEN - 1], pi),
        status::ERR_LENGTH,
    );
    run(&mut session, (vd, proof, &pi[..32]), status::ERR_LENGTH);
    run(
        &mut session,
        (&vd[..vd.len() - 1], proof, pi),
        status::ERR_LENGTH,
    );
    let mut non_canonical = pi.clone();
    non_canonical[..32].copy_from_slice(&[0xff; 32]);
    run(
        &mut session,
        (vd, proof, &non_canonical),
        status::ERR_MALFORMED,
    );
    let mut off_curve = proof.clone();
    off_curve[..48].copy_from_slice(&[0x9f; 48]);
    run(&mut session, (vd, &off_curve, pi), status::ERR_NOT_ON_CURVE);
}

#[test]
fn groth16_proofs_verify_including_snarkjs_and_tampered_ones_do_not() {
    let p = proofs();
    let (_vm, mut session, id) = verifier();
    let native = shortcrust_crypto::verify_groth16_bn254;
    let run = |session: &mut Session, args: (&[u8], &[u8], &[u8]), expected| {
        check3(session, id, "verify_groth16_bn254", native, args, expected)
    };
    let g = &p.groth16;
    run(
        &mut session,
        (&g.verifying_key, &g.proof, &g.public_inputs),
        status::VALID,
    );
    let s = &p.snarkjs;
    run(
        &mut session,
        (&s.verifying_key, &s.proof, &s.public_inputs),
        status::VALID,
    );

    // snarkjs' public signals are [c, salt] = [33, 12345678901234567890], big-endian.
    let mut product = s.public_inputs.clone();
    assert_eq!(product[31], 33);
    product[31] = 34;
    run(
        &mut session,
        (&s.verifying_key, &s.proof, &product),
        status::INVALID,
    );
    // Another statement's inputs or proof under the same key; a proof under another key.
    let second = &p.groth16_second;
    run(
        &mut session,
        (&g.verifying_key, &g.proof, &second.public_inputs),
        status::INVALID,
    );
    run(
        &mut session,
        (&g.verifying_key, &second.proof, &g.public_inputs),
        status::INVALID,
    );
    run(
        &mut session,
        (&s.verifying_key, &g.proof, &s.public_inputs),
        status::INVALID,
    );

    // Malformed: lengths, an input not below the field order, a point off the curve.
    run(
        &mut session,
        (&g.verifying_key, &g.proof[..127], &g.public_inputs),
        status::ERR_LENGTH,
    );
    run(
        &mut session,
        (&g.verifying_key, &g.proof, &g.public_inputs[..32]),
        status::ERR_LENGTH,
    );
    let mut too_big = g.public_inputs.clone();
    too_big[..32].copy_from_slice(&[0xff; 32]);
    run(
        &mut session,
        (&g.verifying_key, &g.proof, &too_big),
        status::ERR_MALFORMED,
    );
    // x = 0 is not on BN254's G1 (y² = 3 has no root), with the flags cleared.
    let mut off_curve = g.proof.clone();
    off_curve[..32].copy_from_slice(&[0; 32]);
    run(
        &mut session,
        (&g.verifying_key, &off_curve, &g.public_inputs),
        status::ERR_NOT_ON_CURVE,
    );
}

fn digest(session: &mut Session, id: ContractId, entry: &str, data: &[u8]) -> [u8; 32] {
    output(
        &session
            .call(id, entry, &encode(&data.to_vec()), GAS)
            .expect("no VM fault"),
    )
}

fn hex32(text: &str) -> [u8; 32] {
    hex::decode(text)
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

#[test]
fn hashes_match_known_answers() {
    let (_vm, mut session, id) = verifier();
    let s = &mut session;
    // FIPS 180-2 "abc"; Keccak-256 of the empty string; BLAKE2b-256 "abc" (RFC 7693 family).
    assert_eq!(
        digest(s, id, "sha256", b"abc"),
        hex32("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(
        digest(s, id, "keccak256", b""),
        hex32("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    );
    assert_eq!(
        digest(s, id, "blake2b_256", b"abc"),
        hex32("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
    );
    // Dusk's own hash_to_scalar.
    assert_eq!(
        digest(s, id, "hash_to_scalar", b"shortcrust"),
        BlsScalar::hash_to_scalar(b"shortcrust").to_bytes()
    );
}

#[test]
fn poseidon_hashes_match_known_answers_and_refuse_malformed_input() {
    let (_vm, mut session, id) = verifier();
    let s = &mut session;
    let call = |s: &mut Session, entry: &str, elements: &[[u8; 32]]| -> Result<[u8; 32], i32> {
        output(
            &s.call(id, entry, &encode(&elements.to_vec()), GAS)
                .expect("no VM fault"),
        )
    };
    // circomlib (light-poseidon's known answer): poseidon([1]).
    let mut one_be = [0u8; 32];
    one_be[31] = 1;
    assert_eq!(
        call(s, "poseidon_bn254", &[one_be]),
        Ok(hex32(
            "29176100eaa962bdc1fe6c654d6a3c130e96a4d1168b33848b897dc502820133"
        ))
    );
    assert_eq!(
        call(s, "poseidon_bn254", &[[0xff; 32]]),
        Err(status::ERR_MALFORMED)
    );
    assert_eq!(
        call(s, "poseidon_bn254", &[one_be; 13]),
        Err(status::ERR_TOO_MANY)
    );
    assert_eq!(call(s, "poseidon_bn254", &[]), Err(status::ERR_LENGTH));

    // Dusk's Poseidon agrees with the native implementation (checked against dusk-poseidon's
    // known answers in shortcrust-crypto).
    let inputs = [
        BlsScalar::from(1u64).to_bytes(),
        BlsScalar::from(2u64).to_bytes(),
    ];
    let expected = shortcrust_crypto::poseidon_hash(inputs.as_flattened()).expect("valid input");
    assert_eq!(call(s, "poseidon_hash", &inputs), Ok(expected));
    assert_eq!(
        call(s, "poseidon_hash", &[[0xff; 32]]),
        Err(status::ERR_MALFORMED)
    );
    assert_eq!(call(s, "poseidon_hash", &[]), Err(status::ERR_LENGTH));
}

/// Exact gas of each verification through the contract: the contract's part pinned, the host
/// function's price from `shortcrust_crypto` (see the crate docs).
#[test]
fn gas_snapshot() {
    let p = proofs();
    let (_vm, mut session, id) = verifier();
    let s = &mut session;
    let mut observed = Vec::new();

    let (vd, proof, pi) = (
        &p.plonk.verifier_data,
        &p.plonk.proof,
        &p.plonk.public_inputs,
    );
    let (verdict, receipt) = verify3(s, id, "verify_plonk", (vd, proof, pi));
    assert_eq!(verdict, status::VALID);
    let price = shortcrust_crypto::verify_plonk_gas(vd.len(), proof.len(), pi.len());
    observed.push(("verify_plonk", wasm_gas(&receipt, price), receipt.gas_spent));

    let g = &p.snarkjs;
    let (verdict, receipt) = verify3(
        s,
        id,
        "verify_groth16_bn254",
        (&g.verifying_key, &g.proof, &g.public_inputs),
    );
    assert_eq!(verdict, status::VALID);
    let price = shortcrust_crypto::verify_groth16_bn254_gas(
        g.verifying_key.len(),
        128,
        g.public_inputs.len(),
    );
    observed.push((
        "verify_groth16_bn254 (snarkjs)",
        wasm_gas(&receipt, price),
        receipt.gas_spent,
    ));

    let sk = Ed25519Key::from_bytes(&[0x25; 32]);
    let sig = sk.sign(b"hello").to_bytes();
    let (verdict, receipt) = verify3(
        s,
        id,
        "verify_ed25519",
        (&sk.verifying_key().to_bytes(), b"hello", &sig),
    );
    assert_eq!(verdict, status::VALID);
    let price = shortcrust_crypto::verify_ed25519_gas(32, 5, 64);
    observed.push((
        "verify_ed25519",
        wasm_gas(&receipt, price),
        receipt.gas_spent,
    ));

    let ietf = &signatures::ietf_keys(1)[0];
    let sig = ietf.sign(b"m", IETF_DST, &[]).compress();
    let pk = ietf.sk_to_pk().compress();
    let input = encode(&(
        scheme::IETF_MIN_PK_POP,
        pk.to_vec(),
        b"m".to_vec(),
        sig.to_vec(),
    ));
    let receipt = s.call(id, "verify_bls", &input, GAS).expect("no VM fault");
    assert_eq!(output::<i32>(&receipt), status::VALID);
    let price = shortcrust_crypto::verify_bls_gas(scheme::IETF_MIN_PK_POP, 48, 1, 96);
    observed.push((
        "verify_bls (IETF)",
        wasm_gas(&receipt, price),
        receipt.gas_spent,
    ));

    let receipt = s
        .call(id, "sha256", &encode(&vec![0u8; 1024]), GAS)
        .expect("no VM fault");
    let price = shortcrust_crypto::sha256_gas(1024);
    observed.push((
        "sha256 (1 KiB)",
        wasm_gas(&receipt, price),
        receipt.gas_spent,
    ));

    for (label, wasm, total) in &observed {
        println!("{label}: {total} gas ({wasm} outside the host function's price)");
    }
    // Through a contract, a heavy verification costs its native price plus under 2% (the
    // contract's logic, its two pages of initial memory and the call itself).
    for (label, wasm, total) in &observed[..2] {
        assert!(
            wasm * 50 < *total,
            "{label}: {wasm} of {total} gas is contract overhead"
        );
    }
    let (label, wasm, total) = observed[3];
    assert!(
        wasm * 50 < total,
        "{label}: {wasm} of {total} gas is contract overhead"
    );
    let pinned: Vec<(&str, u64)> = observed.iter().map(|(l, w, _)| (*l, *w)).collect();
    assert_eq!(
        pinned, EXPECTED_WASM_GAS,
        "verifier gas changed: update the snapshot if intended"
    );
}

const EXPECTED_WASM_GAS: &[(&str, u64)] = &[
    ("verify_plonk", 175_468),
    ("verify_groth16_bn254 (snarkjs)", 168_048),
    ("verify_ed25519", 166_372),
    ("verify_bls (IETF)", 166_608),
    ("sha256 (1 KiB)", 166_024),
];
