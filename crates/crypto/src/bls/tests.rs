//! Tests of `verify_bls` and `verify_bls_aggregate`: the Ethereum consensus BLS suite
//! (testdata/ethereum-bls), signatures made by Dusk's own crate, and malformed input.

use std::path::{Path, PathBuf};

use bls12_381_bls::{
    MultisigPublicKey, MultisigSignature, PublicKey as DuskPublicKey, SecretKey as DuskSecretKey,
    Signature as DuskSignature,
};
use dusk_bls12_381::{G1Affine, G1Projective, G2Affine};
use dusk_bytes::Serializable as _;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Deserialize;
use serde_json::Value;

use super::*;

const IETF: i32 = bls_scheme::IETF_MIN_PK_POP;
const DUSK: i32 = bls_scheme::DUSK_MIN_SIG;
const FAST: i32 = bls_aggregate_mode::FAST;
const DISTINCT: i32 = bls_aggregate_mode::DISTINCT;

// ----- Ethereum consensus suite ------------------------------------------------------------------

#[derive(Deserialize)]
struct Case {
    input: Value,
    output: bool,
}

/// Every case of one folder of the suite, in file-name order, with its file stem.
fn cases(folder: &str) -> Vec<(String, Case)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/ethereum-bls")
        .join(folder);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("test-data folder")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable vector");
            let name = path
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, serde_json::from_str(&text).expect("valid vector"))
        })
        .collect()
}

fn bytes(value: &Value) -> Vec<u8> {
    let text = value.as_str().expect("hex string");
    hex::decode(text.trim_start_matches("0x")).expect("hex")
}

fn concat(values: &Value) -> Vec<u8> {
    values
        .as_array()
        .expect("array")
        .iter()
        .flat_map(bytes)
        .collect()
}

fn framed(messages: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for message in messages {
        out.extend_from_slice(&(message.len() as u32).to_le_bytes());
        out.extend_from_slice(message);
    }
    out
}

/// How an independent implementation (zkcrypto's, in `dusk-bls12_381`) classifies a compressed
/// point, as the status `blst`'s decoding must give it.
fn reference_status<const N: usize, P>(
    encoding: &[u8],
    decode: impl Fn(&[u8; N]) -> Option<P>,
    identity: impl Fn(&P) -> bool,
    torsion_free: impl Fn(&P) -> bool,
) -> i32 {
    let Ok(array) = <[u8; N]>::try_from(encoding) else {
        return status::ERR_LENGTH;
    };
    match decode(&array) {
        None => status::ERR_NOT_ON_CURVE,
        Some(point) if identity(&point) => status::ERR_IDENTITY,
        Some(point) if !torsion_free(&point) => status::ERR_NOT_IN_SUBGROUP,
        Some(_) => status::VALID,
    }
}

fn reference_g1(encoding: &[u8]) -> i32 {
    reference_status(
        encoding,
        |bytes| G1Affine::from_compressed_unchecked(bytes).into(),
        |p: &G1Affine| p.is_identity().into(),
        |p: &G1Affine| p.is_torsion_free().into(),
    )
}

fn reference_g2(encoding: &[u8]) -> i32 {
    reference_status(
        encoding,
        |bytes| G2Affine::from_compressed_unchecked(bytes).into(),
        |p: &G2Affine| p.is_identity().into(),
        |p: &G2Affine| p.is_torsion_free().into(),
    )
}

/// The status a case must get. Valid cases verify. Failing cases get the status that says what
/// their name says is wrong; a tampered signature is whatever the reference decoder finds it to
/// be (usually no longer a curve point), or merely invalid if it is still a good point.
fn expected(name: &str, valid: bool, signature: &[u8]) -> i32 {
    if valid {
        status::VALID
    } else if name.contains("na_pubkeys") {
        status::ERR_LENGTH
    } else if name.contains("infinity") {
        status::ERR_IDENTITY
    } else if name.contains("tampered") {
        match reference_g2(signature) {
            status::VALID => status::INVALID,
            code => code,
        }
    } else {
        status::INVALID
    }
}

#[test]
fn ethereum_verify() {
    let cases = cases("verify");
    assert_eq!(cases.len(), 29);
    for (name, case) in &cases {
        let i = &case.input;
        let signature = bytes(&i["signature"]);
        let status = verify_bls(
            IETF,
            &bytes(&i["pubkey"]),
            &bytes(&i["message"]),
            &signature,
        );
        assert_eq!(status, expected(name, case.output, &signature), "{name}");
    }
}

#[test]
fn ethereum_fast_aggregate_verify() {
    let cases = cases("fast_aggregate_verify");
    assert_eq!(cases.len(), 12);
    for (name, case) in &cases {
        let i = &case.input;
        let signature = bytes(&i["signature"]);
        let status = verify_bls_aggregate(
            IETF,
            FAST,
            &concat(&i["pubkeys"]),
            &bytes(&i["message"]),
            &signature,
        );
        assert_eq!(status, expected(name, case.output, &signature), "{name}");
    }
}

#[test]
fn ethereum_aggregate_verify() {
    let cases = cases("aggregate_verify");
    assert_eq!(cases.len(), 5);
    for (name, case) in &cases {
        let i = &case.input;
        let messages: Vec<Vec<u8>> = i["messages"]
            .as_array()
            .expect("array")
            .iter()
            .map(bytes)
            .collect();
        let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let signature = bytes(&i["signature"]);
        let status = verify_bls_aggregate(
            IETF,
            DISTINCT,
            &concat(&i["pubkeys"]),
            &framed(&refs),
            &signature,
        );
        assert_eq!(status, expected(name, case.output, &signature), "{name}");
    }
}

/// G1 cases decode IETF keys, G2 cases decode IETF signatures and Dusk keys. Each must get the
/// status the reference decoder assigns, and that status must agree with the suite's verdict
/// (a point that deserialises but is the identity is refused as a key or signature).
#[test]
fn ethereum_point_deserialization() {
    let decoded = |result: Result<(), i32>| result.map_or_else(|code| code, |()| status::VALID);
    let agrees = |name: &str, deserializes: bool, status: i32| {
        let accepted = status == status::VALID || status == status::ERR_IDENTITY;
        assert_eq!(accepted, deserializes, "{name}: {status}");
    };
    let g1 = cases("deserialization_G1");
    assert_eq!(g1.len(), 13);
    for (name, case) in &g1 {
        let encoding = bytes(&case.input["pubkey"]);
        let expected = reference_g1(&encoding);
        let status = if encoding.len() == G1_LEN {
            decoded(Ietf::key(&encoding).map(drop))
        } else {
            status::ERR_LENGTH
        };
        assert_eq!(status, expected, "{name}");
        agrees(name, case.output, status);
    }
    let g2 = cases("deserialization_G2");
    assert_eq!(g2.len(), 15);
    for (name, case) in &g2 {
        let encoding = bytes(&case.input["signature"]);
        let expected = reference_g2(&encoding);
        let (as_signature, as_dusk_key) = if encoding.len() == G2_LEN {
            (
                decoded(Ietf::signature(&encoding).map(drop)),
                decoded(Dusk::key(&encoding).map(drop)),
            )
        } else {
            (status::ERR_LENGTH, status::ERR_LENGTH)
        };
        assert_eq!(as_signature, expected, "{name}");
        assert_eq!(as_dusk_key, expected, "{name}");
        agrees(name, case.output, as_signature);
    }
}

// ----- IETF signatures made here -----------------------------------------------------------------

fn ietf_keys(count: usize) -> Vec<min_pk::SecretKey> {
    (0..count)
        .map(|i| {
            let mut ikm = [0x42u8; 32];
            ikm[..8].copy_from_slice(&(i as u64).to_le_bytes());
            min_pk::SecretKey::key_gen(&ikm, &[]).expect("32 bytes of key material")
        })
        .collect()
}

fn ietf_aggregate(signatures: &[min_pk::Signature]) -> Vec<u8> {
    let refs: Vec<&min_pk::Signature> = signatures.iter().collect();
    min_pk::AggregateSignature::aggregate(&refs, true)
        .expect("valid signatures")
        .to_signature()
        .compress()
        .to_vec()
}

/// 100 signers on one message, verified cold (empty cache) and warm, valid and not: the cache
/// never changes a verdict.
#[test]
fn ietf_fast_aggregate_of_a_hundred_signers_cold_and_warm() {
    let keys = ietf_keys(100);
    let message = b"block root";
    let pks: Vec<u8> = keys
        .iter()
        .flat_map(|sk| sk.sk_to_pk().compress())
        .collect();
    let signatures: Vec<_> = keys
        .iter()
        .map(|sk| sk.sign(message, IETF_DST, &[]))
        .collect();
    let sig = ietf_aggregate(&signatures);
    let missing_one = ietf_aggregate(&signatures[1..]);
    for _ in 0..2 {
        IETF_KEYS.clear();
        for _ in 0..2 {
            assert_eq!(
                verify_bls_aggregate(IETF, FAST, &pks, message, &sig),
                status::VALID
            );
            assert_eq!(
                verify_bls_aggregate(IETF, FAST, &pks, b"other root", &sig),
                status::INVALID
            );
            assert_eq!(
                verify_bls_aggregate(IETF, FAST, &pks, message, &missing_one),
                status::INVALID
            );
            assert_eq!(
                verify_bls_aggregate(IETF, FAST, &pks[48..], message, &missing_one),
                status::VALID
            );
        }
    }
}

#[test]
fn ietf_distinct_messages_may_repeat() {
    let keys = ietf_keys(3);
    let messages: [&[u8]; 3] = [b"a", b"a", b""];
    let pks: Vec<u8> = keys
        .iter()
        .flat_map(|sk| sk.sk_to_pk().compress())
        .collect();
    let signatures: Vec<_> = keys
        .iter()
        .zip(messages)
        .map(|(sk, m)| sk.sign(m, IETF_DST, &[]))
        .collect();
    let sig = ietf_aggregate(&signatures);
    assert_eq!(
        verify_bls_aggregate(IETF, DISTINCT, &pks, &framed(&messages), &sig),
        status::VALID
    );
    let swapped: [&[u8]; 3] = [b"a", b"", b"a"];
    assert_eq!(
        verify_bls_aggregate(IETF, DISTINCT, &pks, &framed(&swapped), &sig),
        status::INVALID
    );
}

// ----- Dusk signatures made by Dusk's own crate --------------------------------------------------

fn dusk_keys(count: usize) -> Vec<(DuskSecretKey, DuskPublicKey)> {
    let mut rng = StdRng::seed_from_u64(0xd05c);
    (0..count)
        .map(|_| {
            let sk = DuskSecretKey::random(&mut rng);
            let pk = DuskPublicKey::from(&sk);
            (sk, pk)
        })
        .collect()
}

#[test]
fn dusk_single_signatures_agree_with_dusks_verifier() {
    let keys = dusk_keys(2);
    let (sk, pk) = &keys[0];
    for message in [&b""[..], b"transfer 10 DUSK", &[7u8; 1000][..]] {
        let sig = sk.sign(message);
        assert!(pk.verify(&sig, message).is_ok());
        assert_eq!(
            verify_bls(DUSK, &pk.to_bytes(), message, &sig.to_bytes()),
            status::VALID
        );

        let other_key = keys[1].1;
        assert!(other_key.verify(&sig, message).is_err());
        assert_eq!(
            verify_bls(DUSK, &other_key.to_bytes(), message, &sig.to_bytes()),
            status::INVALID
        );
        assert_eq!(
            verify_bls(DUSK, &pk.to_bytes(), b"tampered", &sig.to_bytes()),
            status::INVALID
        );
    }
    // An IETF reading of the same bytes fails on the lengths: the schemes cannot be confused.
    let sig = sk.sign(b"m");
    assert_eq!(
        verify_bls(IETF, &pk.to_bytes(), b"m", &sig.to_bytes()),
        status::ERR_LENGTH
    );
}

#[test]
fn dusk_multisignatures_verify_in_fast_mode() {
    let keys = dusk_keys(5);
    let message = b"ratification of block 1234";
    let public: Vec<DuskPublicKey> = keys.iter().map(|(_, pk)| *pk).collect();
    let partials: Vec<MultisigSignature> = keys
        .iter()
        .map(|(sk, pk)| sk.sign_multisig(pk, message))
        .collect();
    let sig = partials[0].aggregate(&partials[1..]);
    let aggregate_key = MultisigPublicKey::aggregate(&public).expect("valid keys");
    assert!(
        aggregate_key.verify(&sig, message).is_ok(),
        "Dusk's own check"
    );

    let pks: Vec<u8> = public.iter().flat_map(|pk| pk.to_bytes()).collect();
    for _ in 0..2 {
        assert_eq!(
            verify_bls_aggregate(DUSK, FAST, &pks, message, &sig.to_bytes()),
            status::VALID
        );
    }
    assert_eq!(
        verify_bls_aggregate(DUSK, FAST, &pks, b"other", &sig.to_bytes()),
        status::INVALID
    );
    // Without the last signer's key, or with its partial signature missing.
    assert_eq!(
        verify_bls_aggregate(DUSK, FAST, &pks[..4 * G2_LEN], message, &sig.to_bytes()),
        status::INVALID
    );
    let four = partials[0].aggregate(&partials[1..4]);
    assert_eq!(
        verify_bls_aggregate(DUSK, FAST, &pks, message, &four.to_bytes()),
        status::INVALID
    );
    assert_eq!(
        verify_bls_aggregate(DUSK, FAST, &pks[..4 * G2_LEN], message, &four.to_bytes()),
        status::VALID
    );
    // One signer alone: a multisignature of one is not a plain signature (it is weighted).
    let single = keys[0].0.sign(message);
    assert_eq!(
        verify_bls_aggregate(DUSK, FAST, &pks[..G2_LEN], message, &partials[0].to_bytes()),
        status::VALID
    );
    assert_eq!(
        verify_bls_aggregate(DUSK, FAST, &pks[..G2_LEN], message, &single.to_bytes()),
        status::INVALID
    );
}

fn sum_g1(signatures: &[DuskSignature]) -> [u8; 48] {
    let sum: G1Projective = signatures
        .iter()
        .map(|sig| G1Projective::from(G1Affine::from_bytes(&sig.to_bytes()).expect("valid point")))
        .sum();
    G1Affine::from(sum).to_bytes()
}

#[test]
fn dusk_distinct_messages_verify_and_repeats_are_refused() {
    let keys = dusk_keys(3);
    let messages: [&[u8]; 3] = [b"one", b"two", b"three"];
    let pks: Vec<u8> = keys.iter().flat_map(|(_, pk)| pk.to_bytes()).collect();
    let signatures: Vec<DuskSignature> = keys
        .iter()
        .zip(messages)
        .map(|((sk, _), m)| sk.sign(m))
        .collect();
    let sig = sum_g1(&signatures);
    assert_eq!(
        verify_bls_aggregate(DUSK, DISTINCT, &pks, &framed(&messages), &sig),
        status::VALID
    );
    let reordered: [&[u8]; 3] = [b"two", b"one", b"three"];
    assert_eq!(
        verify_bls_aggregate(DUSK, DISTINCT, &pks, &framed(&reordered), &sig),
        status::INVALID
    );

    let repeated: [&[u8]; 3] = [b"one", b"one", b"three"];
    let signatures: Vec<DuskSignature> = keys
        .iter()
        .zip(repeated)
        .map(|((sk, _), m)| sk.sign(m))
        .collect();
    let sig = sum_g1(&signatures);
    assert_eq!(
        verify_bls_aggregate(DUSK, DISTINCT, &pks, &framed(&repeated), &sig),
        status::ERR_MALFORMED
    );
}

// ----- malformed input ---------------------------------------------------------------------------

#[test]
fn unknown_schemes_modes_and_lengths() {
    let keys = ietf_keys(2);
    let pk = keys[0].sk_to_pk().compress();
    let sig = keys[0].sign(b"m", IETF_DST, &[]).compress();
    assert_eq!(verify_bls(IETF, &pk, b"m", &sig), status::VALID);
    assert_eq!(verify_bls(0, &pk, b"m", &sig), status::ERR_UNKNOWN_SCHEME);
    assert_eq!(verify_bls(4, &pk, b"m", &sig), status::ERR_UNKNOWN_SCHEME);
    assert_eq!(verify_bls(IETF, &pk[1..], b"m", &sig), status::ERR_LENGTH);
    assert_eq!(verify_bls(IETF, &pk, b"m", &sig[1..]), status::ERR_LENGTH);

    assert_eq!(
        verify_bls_aggregate(7, FAST, &pk, b"m", &sig),
        status::ERR_UNKNOWN_SCHEME
    );
    assert_eq!(
        verify_bls_aggregate(IETF, 0, &pk, b"m", &sig),
        status::ERR_UNKNOWN_SCHEME
    );
    assert_eq!(
        verify_bls_aggregate(IETF, FAST, &pk, b"m", &sig),
        status::VALID
    );
    assert_eq!(
        verify_bls_aggregate(IETF, FAST, &[], b"m", &sig),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify_bls_aggregate(IETF, FAST, &pk[..47], b"m", &sig),
        status::ERR_LENGTH
    );
    assert_eq!(
        verify_bls_aggregate(IETF, FAST, &pk, b"m", &sig[..95]),
        status::ERR_LENGTH
    );
    // One key too many is refused before any key is decoded (these are not even points).
    let too_many = vec![0u8; G1_LEN * (limits::MAX_BLS_KEYS as usize + 1)];
    assert_eq!(
        verify_bls_aggregate(IETF, FAST, &too_many, b"m", &sig),
        status::ERR_TOO_MANY
    );
    let at_limit = vec![0u8; G1_LEN * limits::MAX_BLS_KEYS as usize];
    assert_eq!(
        verify_bls_aggregate(IETF, FAST, &at_limit, b"m", &sig),
        status::ERR_NOT_ON_CURVE
    );
}

#[test]
fn distinct_framing_must_be_exact() {
    let keys = ietf_keys(2);
    let pks: Vec<u8> = keys
        .iter()
        .flat_map(|sk| sk.sk_to_pk().compress())
        .collect();
    let messages: [&[u8]; 2] = [b"x", b"y"];
    let signatures: Vec<_> = keys
        .iter()
        .zip(messages)
        .map(|(sk, m)| sk.sign(m, IETF_DST, &[]))
        .collect();
    let sig = ietf_aggregate(&signatures);
    let good = framed(&messages);
    assert_eq!(
        verify_bls_aggregate(IETF, DISTINCT, &pks, &good, &sig),
        status::VALID
    );
    let malformed = [
        good[..good.len() - 1].to_vec(),  // last message cut short
        good[..3].to_vec(),               // prefix cut short
        framed(&[b"x"]),                  // one message for two keys
        framed(&[b"x", b"y", b"z"]),      // three messages for two keys
        [good.as_slice(), &[0]].concat(), // trailing byte
        [&u32::MAX.to_le_bytes()[..], b"x"].concat(), // length beyond the end
        Vec::new(),                       // no messages at all
    ];
    for msgs in &malformed {
        assert_eq!(
            verify_bls_aggregate(IETF, DISTINCT, &pks, msgs, &sig),
            status::ERR_MALFORMED,
            "{msgs:?}"
        );
    }
}

#[test]
fn bad_points_are_reported_key_first() {
    let (sk, pk) = &dusk_keys(1)[0];
    let sig = sk.sign(b"m").to_bytes();
    let pk = pk.to_bytes();
    let mut infinity_g1 = [0u8; G1_LEN];
    infinity_g1[0] = 0xc0;
    let mut infinity_g2 = [0u8; G2_LEN];
    infinity_g2[0] = 0xc0;
    assert_eq!(verify_bls(DUSK, &pk, b"m", &sig), status::VALID);
    assert_eq!(
        verify_bls(DUSK, &infinity_g2, b"m", &sig),
        status::ERR_IDENTITY
    );
    assert_eq!(
        verify_bls(DUSK, &pk, b"m", &infinity_g1),
        status::ERR_IDENTITY
    );
    assert_eq!(
        verify_bls(DUSK, &[0xff; G2_LEN], b"m", &infinity_g1),
        status::ERR_NOT_ON_CURVE
    );
    assert_eq!(
        verify_bls(DUSK, &pk, b"m", &[0u8; G1_LEN]),
        status::ERR_NOT_ON_CURVE
    );
    // A failing key is never cached: the same call fails the same way twice.
    for _ in 0..2 {
        assert_eq!(
            verify_bls_aggregate(DUSK, FAST, &[pk, infinity_g2].concat(), b"m", &sig),
            status::ERR_IDENTITY
        );
    }
}

#[test]
fn prices_follow_sizes_and_saturate() {
    assert!(verify_bls_gas(IETF, 48, 0, 96) > 0);
    assert_eq!(
        verify_bls_gas(IETF, 0, 32, 0),
        verify_bls_gas(IETF, 48, 32, 96)
    );
    assert!(verify_bls_gas(DUSK, 96, 1024, 48) > verify_bls_gas(DUSK, 96, 32, 48));
    assert!(
        verify_bls_gas(99, 0, 0, 0)
            >= verify_bls_gas(IETF, 0, 0, 0).max(verify_bls_gas(DUSK, 0, 0, 0))
    );

    for (scheme, key_len) in [(IETF, G1_LEN), (DUSK, G2_LEN)] {
        for mode in [FAST, DISTINCT] {
            let one = verify_bls_aggregate_gas(scheme, mode, key_len, 32, 0);
            let hundred = verify_bls_aggregate_gas(scheme, mode, 100 * key_len, 32, 0);
            assert!(one > 0 && hundred > one);
            // A partial key is priced as a whole one.
            assert_eq!(
                verify_bls_aggregate_gas(scheme, mode, key_len + 1, 32, 0),
                verify_bls_aggregate_gas(scheme, mode, 2 * key_len, 32, 0)
            );
            assert!(verify_bls_aggregate_gas(scheme, mode, usize::MAX, usize::MAX, 0) >= hundred);
            assert!(verify_bls_aggregate_gas(0, 0, 100 * key_len, 32, 0) >= hundred);
        }
    }
}

// ----- IETF proof of possession ------------------------------------------------------------------

#[test]
fn ietf_proof_of_possession_verifies_only_under_the_pop_tag() {
    const POP: i32 = bls_scheme::IETF_POP_PROOF;
    let keys = ietf_keys(2);
    let pk = keys[0].sk_to_pk().compress();
    let other = keys[1].sk_to_pk().compress();
    let proof = keys[0].sign(&pk, IETF_POP_DST, &[]).compress();
    assert_eq!(verify_bls(POP, &pk, &[], &proof), status::VALID);
    // Another key's proof, or a proof for another key, does not verify.
    assert_eq!(verify_bls(POP, &other, &[], &proof), status::INVALID);
    let their_proof = keys[1].sign(&other, IETF_POP_DST, &[]).compress();
    assert_eq!(verify_bls(POP, &pk, &[], &their_proof), status::INVALID);
    // An ordinary signature of the key bytes (signature tag) is not a proof of possession...
    let signature_of_key = keys[0].sign(&pk, IETF_DST, &[]).compress();
    assert_eq!(
        verify_bls(POP, &pk, &[], &signature_of_key),
        status::INVALID
    );
    // ... and a proof of possession is not a signature of the key bytes.
    assert_eq!(verify_bls(IETF, &pk, &pk, &proof), status::INVALID);
    // The message must be empty; lengths and points are checked as for signatures.
    assert_eq!(verify_bls(POP, &pk, &pk, &proof), status::ERR_LENGTH);
    assert_eq!(verify_bls(POP, &pk[..47], &[], &proof), status::ERR_LENGTH);
    let mut off_curve = pk;
    off_curve[47] ^= 1;
    assert!(verify_bls(POP, &off_curve, &[], &proof) < 0);
    // Not an aggregate scheme.
    assert_eq!(
        verify_bls_aggregate(POP, FAST, &pk, b"m", &proof),
        status::ERR_UNKNOWN_SCHEME
    );
    assert_eq!(
        verify_bls_gas(POP, 48, 0, 96),
        verify_bls_gas(IETF, 48, 48, 96)
    );
}
