//! `contracts/verifier`: a PLONK proof, a Groth16 proof (arkworks and snarkjs), an Ed25519
//! signature and hashes verified through the contract, each with its gas; tampered inputs are
//! refused with the host's status, not a trap.

use shortcrust_abi::status;
use shortcrust_crypto::{groth16, plonk};
use shortcrust_test_contracts::VERIFIER;
use shortcrust_testkit::Harness;

#[test]
fn proofs_signatures_and_hashes_with_their_gas() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let verifier = h.deploy("verifier", VERIFIER).expect("deploy");
    let mut gas = super::snapshot("verifier");

    let p = plonk::testkit::fixture(11, 2);
    let out = h
        .query(
            alice,
            verifier,
            "verify_plonk",
            &(&p.verifier_data, &p.proof, &p.public_inputs),
        )
        .expect("query");
    assert_eq!(out.value::<i32>(), Ok(status::VALID));
    gas.record("verify_plonk (2 public inputs)", out.gas());
    let mut tampered = p.proof.clone();
    tampered[100] ^= 1;
    let out = h
        .query(
            alice,
            verifier,
            "verify_plonk",
            &(&p.verifier_data, &tampered, &p.public_inputs),
        )
        .expect("query");
    assert_ne!(out.value::<i32>(), Ok(status::VALID));

    for (label, g) in [
        (
            "verify_groth16_bn254 (arkworks, 2 inputs)",
            groth16::testkit::fixture(5, 2),
        ),
        (
            "verify_groth16_bn254 (snarkjs)",
            groth16::testkit::snarkjs_multiplier(),
        ),
    ] {
        let out = h
            .query(
                alice,
                verifier,
                "verify_groth16_bn254",
                &(&g.verifying_key, &g.proof, &g.public_inputs),
            )
            .expect("query");
        assert_eq!(out.value::<i32>(), Ok(status::VALID), "{label}");
        gas.record(label, out.gas());
    }

    use ed25519_dalek::{Signer, SigningKey};
    let key = SigningKey::from_bytes(&[0x25; 32]);
    let message = b"pay 10 to bob".to_vec();
    let signature = key.sign(&message).to_bytes().to_vec();
    let public = key.verifying_key().to_bytes().to_vec();
    let out = h
        .query(
            alice,
            verifier,
            "verify_ed25519",
            &(&public, &message, &signature),
        )
        .expect("query");
    assert_eq!(out.value::<i32>(), Ok(status::VALID));
    gas.record("verify_ed25519 (13-byte message)", out.gas());
    let out = h
        .query(
            alice,
            verifier,
            "verify_ed25519",
            &(&public, &b"pay 99 to bob".to_vec(), &signature),
        )
        .expect("query");
    assert_eq!(out.value::<i32>(), Ok(status::INVALID));

    let data = vec![0xabu8; 1024];
    let out = h.query(alice, verifier, "sha256", &data).expect("query");
    let expected: [u8; 32] = shortcrust_crypto::sha256(&data);
    assert_eq!(out.value::<[u8; 32]>(), Ok(expected));
    gas.record("sha256 (1 KiB)", out.gas());
    let out = h
        .query(alice, verifier, "blake2b_256", &data)
        .expect("query");
    assert_eq!(
        out.value::<[u8; 32]>(),
        Ok(shortcrust_crypto::blake2b_256(&data))
    );
    gas.record("blake2b_256 (1 KiB)", out.gas());
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
