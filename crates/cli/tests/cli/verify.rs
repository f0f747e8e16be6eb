//! `shortcrust verify`: proofs and signatures made here by the reference libraries, checked
//! through the verifier contract; tampered variants must be reported invalid (exit code 0:
//! the check ran), unreadable inputs must fail with exit code 2.

use std::path::{Path, PathBuf};

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use ed25519_dalek::{Signer as _, SigningKey as Ed25519Key};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use serde_json::Value;
use shortcrust_abi::status;

use crate::support::{s, shortcrust, write};

/// Runs `shortcrust verify ARGS --json`, checks the object's shape and the exit code 0.
fn verify(args: &[&str]) -> Value {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = shortcrust(&all);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let json = run.json();
    assert!(json["valid"].is_boolean(), "{json}");
    assert!(json["status"].is_i64(), "{json}");
    assert!(json["gas_spent"].as_u64().is_some_and(|g| g > 0), "{json}");
    // The call pays at least the host function's price.
    assert!(
        json["gas_spent"].as_u64() >= json["host_function_gas"].as_u64(),
        "{json}"
    );
    json
}

fn assert_verdict(json: &Value, valid: bool, code: i32) {
    assert_eq!(json["valid"], valid, "{json}");
    assert_eq!(json["status"], code, "{json}");
}

fn snarkjs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crypto/testdata/snarkjs/multiplier")
}

#[test]
fn groth16_snarkjs_files_valid_and_tampered() {
    let dir = snarkjs_dir();
    let (vk, proof, public) = (
        dir.join("verification_key.json"),
        dir.join("proof.json"),
        dir.join("public.json"),
    );
    let json = verify(&[
        "groth16",
        "--vk",
        s(&vk),
        "--proof",
        s(&proof),
        "--public",
        s(&public),
    ]);
    assert_verdict(&json, true, status::VALID);

    // Claim c = 34 instead of 33: well-formed, does not verify.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&public)
        .unwrap()
        .replace("\"33\"", "\"34\"");
    let tampered = write(tmp.path(), "public.json", text.as_bytes());
    let json = verify(&[
        "groth16",
        "--vk",
        s(&vk),
        "--proof",
        s(&proof),
        "--public",
        s(&tampered),
    ]);
    assert_verdict(&json, false, status::INVALID);

    // Unreadable inputs: exit 2, still one JSON object in the verify shape.
    let broken = write(tmp.path(), "broken.json", b"{\"pi_a\": ");
    let run = shortcrust(&[
        "verify",
        "groth16",
        "--vk",
        s(&vk),
        "--proof",
        s(&broken),
        "--public",
        s(&public),
        "--json",
    ]);
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_eq!(json["valid"], false);
    assert!(
        json["error"].as_str().unwrap().contains("proof.json"),
        "{json}"
    );
    let missing = tmp.path().join("nope.json");
    let run = shortcrust(&[
        "verify",
        "groth16",
        "--vk",
        s(&missing),
        "--proof",
        s(&proof),
        "--public",
        s(&public),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);

    let text = shortcrust(&[
        "verify",
        "groth16",
        "--vk",
        s(&vk),
        "--proof",
        s(&proof),
        "--public",
        s(&public),
    ]);
    assert!(text.stdout.contains("valid (status 1)"), "{}", text.stdout);
}

#[test]
fn plonk_binary_and_hex_files_valid_and_tampered() {
    let circuit = shortcrust_crypto::plonk::testkit::SquareRootsCircuit::setup(7, 1);
    let input = circuit.prove_with_roots(&[3], 1);
    let tmp = tempfile::tempdir().unwrap();
    let vd = write(tmp.path(), "vd.bin", &input.verifier_data);
    let proof = write(
        tmp.path(),
        "proof.hex",
        hex::encode(&input.proof).as_bytes(),
    );
    let public = write(
        tmp.path(),
        "public.hex",
        format!("0x{}\n", hex::encode(&input.public_inputs)).as_bytes(),
    );
    let json = verify(&[
        "plonk",
        "--vd",
        s(&vd),
        "--proof",
        s(&proof),
        "--public",
        s(&public),
    ]);
    assert_verdict(&json, true, status::VALID);

    // The public input 9 = 3², claimed as 10.
    let mut other = input.public_inputs.clone();
    other[0] = 10;
    let wrong = write(tmp.path(), "wrong.bin", &other);
    let json = verify(&[
        "plonk",
        "--vd",
        s(&vd),
        "--proof",
        s(&proof),
        "--public",
        s(&wrong),
    ]);
    assert_verdict(&json, false, status::INVALID);
    // A truncated proof is malformed, not invalid.
    let short = write(tmp.path(), "short.bin", &input.proof[..100]);
    let json = verify(&[
        "plonk",
        "--vd",
        s(&vd),
        "--proof",
        s(&short),
        "--public",
        s(&public),
    ]);
    assert_verdict(&json, false, status::ERR_LENGTH);
}

#[test]
fn bls_single_and_aggregate_in_both_schemes() {
    use blst::min_pk;
    let dst = shortcrust_crypto::bls::IETF_DST;
    let keys: Vec<min_pk::SecretKey> = (1..=3u8)
        .map(|i| min_pk::SecretKey::key_gen(&[i; 32], &[]).unwrap())
        .collect();
    let pks: Vec<String> = keys
        .iter()
        .map(|k| hex::encode(k.sk_to_pk().compress()))
        .collect();
    let msg = b"attest block 7";
    let sigs: Vec<min_pk::Signature> = keys.iter().map(|k| k.sign(msg, dst, &[])).collect();
    let sig0 = hex::encode(sigs[0].compress());
    let msg_hex = hex::encode(msg);

    let json = verify(&[
        "bls", "--scheme", "ietf", "--pk", &pks[0], "--msg", &msg_hex, "--sig", &sig0,
    ]);
    assert_verdict(&json, true, status::VALID);
    assert_eq!(json["host_function"], "verify_bls");
    let json = verify(&[
        "bls", "--scheme", "ietf", "--pk", &pks[1], "--msg", &msg_hex, "--sig", &sig0,
    ]);
    assert_verdict(&json, false, status::INVALID);

    // Fast aggregate: three keys, one message.
    let refs: Vec<&min_pk::Signature> = sigs.iter().collect();
    let aggregate = min_pk::AggregateSignature::aggregate(&refs, true)
        .unwrap()
        .to_signature();
    let all = pks.join(",");
    let agg_hex = hex::encode(aggregate.compress());
    let json = verify(&[
        "bls", "--scheme", "ietf", "--pk", &all, "--msg", &msg_hex, "--sig", &agg_hex,
    ]);
    assert_verdict(&json, true, status::VALID);
    assert_eq!(json["host_function"], "verify_bls_aggregate");
    let two = pks[..2].join(",");
    let json = verify(&[
        "bls", "--scheme", "ietf", "--pk", &two, "--msg", &msg_hex, "--sig", &agg_hex,
    ]);
    assert_verdict(&json, false, status::INVALID);

    // Dusk's scheme, signed with Dusk's crate.
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let sk = bls12_381_bls::SecretKey::random(&mut rng);
    let pk = bls12_381_bls::PublicKey::from(&sk);
    let sig = sk.sign(msg).to_bytes();
    let (pk_hex, sig_hex) = (hex::encode(pk.to_bytes()), hex::encode(sig));
    let json = verify(&[
        "bls", "--scheme", "dusk", "--pk", &pk_hex, "--msg", &msg_hex, "--sig", &sig_hex,
    ]);
    assert_verdict(&json, true, status::VALID);
    let json = verify(&[
        "bls", "--scheme", "dusk", "--pk", &pk_hex, "--msg", "00", "--sig", &sig_hex,
    ]);
    assert_verdict(&json, false, status::INVALID);

    // Two messages for three keys: refused before running.
    let run = shortcrust(&[
        "verify", "bls", "--scheme", "ietf", "--pk", &all, "--msg", "00,01", "--sig", &agg_hex,
    ]);
    assert_eq!(run.code, 2);
}

#[test]
fn ed25519_bip340_and_schnorr_valid_tampered_and_malformed() {
    let flip = |sig: &[u8]| {
        let mut out = sig.to_vec();
        out[0] ^= 1;
        hex::encode(out)
    };

    let sk = Ed25519Key::from_bytes(&[0x25; 32]);
    let (pk, sig) = (
        hex::encode(sk.verifying_key().to_bytes()),
        sk.sign(b"hello").to_bytes(),
    );
    let msg = hex::encode(b"hello");
    assert_verdict(
        &verify(&[
            "ed25519",
            "--pk",
            &pk,
            "--msg",
            &msg,
            "--sig",
            &hex::encode(sig),
        ]),
        true,
        status::VALID,
    );
    assert_verdict(
        &verify(&["ed25519", "--pk", &pk, "--msg", &msg, "--sig", &flip(&sig)]),
        false,
        status::INVALID,
    );
    assert_verdict(
        &verify(&[
            "ed25519",
            "--pk",
            "00",
            "--msg",
            &msg,
            "--sig",
            &hex::encode(sig),
        ]),
        false,
        status::ERR_LENGTH,
    );

    let sk = k256::schnorr::SigningKey::from_slice(&[0x42; 32]).unwrap();
    let pk = hex::encode(sk.verifying_key().to_bytes());
    let sig = sk.sign_raw(b"taproot spend", &[7; 32]).unwrap().to_bytes();
    let msg = hex::encode(b"taproot spend");
    assert_verdict(
        &verify(&[
            "bip340",
            "--pk",
            &pk,
            "--msg",
            &msg,
            "--sig",
            &hex::encode(sig),
        ]),
        true,
        status::VALID,
    );
    assert_verdict(
        &verify(&[
            "bip340",
            "--pk",
            &pk,
            "--msg",
            "00",
            "--sig",
            &hex::encode(sig),
        ]),
        false,
        status::INVALID,
    );

    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let sk = jubjub_schnorr::SecretKey::random(&mut rng);
    let pk = hex::encode(jubjub_schnorr::PublicKey::from(&sk).to_bytes());
    let message = BlsScalar::hash_to_scalar(b"pay 10 to bob");
    let sig = sk.sign(&mut rng, message).to_bytes();
    let msg = hex::encode(message.to_bytes());
    let other = hex::encode(BlsScalar::hash_to_scalar(b"pay 11 to bob").to_bytes());
    assert_verdict(
        &verify(&[
            "schnorr",
            "--pk",
            &pk,
            "--msg",
            &msg,
            "--sig",
            &hex::encode(sig),
        ]),
        true,
        status::VALID,
    );
    assert_verdict(
        &verify(&[
            "schnorr",
            "--pk",
            &pk,
            "--msg",
            &other,
            "--sig",
            &hex::encode(sig),
        ]),
        false,
        status::INVALID,
    );

    // Bad hex: exit 2 with the verify-shaped object.
    let run = shortcrust(&[
        "verify", "ed25519", "--pk", "zz", "--msg", "", "--sig", "00", "--json",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["valid"], false);
    // Too little gas: the check did not run, exit 1.
    let run = shortcrust(&[
        "verify", "ed25519", "--pk", &pk, "--msg", "", "--sig", "00", "--gas", "20000", "--json",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.json()["error"].as_str().unwrap().contains("out of gas"));
}
