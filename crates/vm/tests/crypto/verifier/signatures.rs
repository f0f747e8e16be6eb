//! Signatures through the `verifier` contract: BLS of both schemes (single, fast aggregate,
//! distinct messages) made with blst and Dusk's crate, Dusk Schnorr with jubjub-schnorr, BIP-340
//! with k256 and Ed25519 with ed25519-dalek, each with tampered and malformed variants.

use bls12_381_bls::{MultisigSignature, PublicKey as DuskPublicKey, SecretKey as DuskSecretKey};
use blst::min_pk;
use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use ed25519_dalek::{Signer as _, SigningKey as Ed25519Key};
use jubjub_schnorr::{PublicKey as SchnorrPublicKey, SecretKey as SchnorrSecretKey};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_abi::{bls_aggregate_mode as mode, bls_scheme as scheme, status};
use shortcrust_crypto::bls::IETF_DST;
use shortcrust_vm::{ContractId, Session};

use super::{check3, flipped, verifier};
use crate::{GAS, encode, output};

/// Deterministic IETF (blst) key pairs.
pub(super) fn ietf_keys(count: u8) -> Vec<min_pk::SecretKey> {
    (0..count)
        .map(|i| min_pk::SecretKey::key_gen(&[i + 1; 32], &[]).expect("32 bytes of key material"))
        .collect()
}

/// Deterministic Dusk BLS key pairs, made by Dusk's crate.
fn dusk_keys(count: usize) -> Vec<(DuskSecretKey, DuskPublicKey)> {
    let mut rng = ChaCha20Rng::seed_from_u64(0xd05c);
    (0..count)
        .map(|_| {
            let sk = DuskSecretKey::random(&mut rng);
            (sk.clone(), DuskPublicKey::from(&sk))
        })
        .collect()
}

fn verify_bls(session: &mut Session, id: ContractId, args: (i32, &[u8], &[u8], &[u8])) -> i32 {
    let (scheme, pk, msg, sig) = args;
    let input = encode(&(scheme, pk.to_vec(), msg.to_vec(), sig.to_vec()));
    let status = output(
        &session
            .call(id, "verify_bls", &input, GAS)
            .expect("no VM fault"),
    );
    assert_eq!(
        status,
        shortcrust_crypto::verify_bls(scheme, pk, msg, sig),
        "native agrees"
    );
    status
}

fn verify_aggregate(
    session: &mut Session,
    id: ContractId,
    args: (i32, i32, &[u8], &[&[u8]], &[u8]),
) -> i32 {
    let (scheme, mode, pks, msgs, sig) = args;
    let messages: Vec<Vec<u8>> = msgs.iter().map(|m| m.to_vec()).collect();
    let input = encode(&(scheme, mode, pks.to_vec(), messages, sig.to_vec()));
    output(
        &session
            .call(id, "verify_bls_aggregate", &input, GAS)
            .expect("no VM fault"),
    )
}

#[test]
fn bls_signatures_of_both_schemes_single_and_aggregate() {
    let (_vm, mut session, id) = verifier();
    let s = &mut session;
    let message = b"block 42 is final";

    // IETF, made with blst.
    let ietf = ietf_keys(3);
    let pks: Vec<Vec<u8>> = ietf
        .iter()
        .map(|sk| sk.sk_to_pk().compress().to_vec())
        .collect();
    let sigs: Vec<min_pk::Signature> = ietf
        .iter()
        .map(|sk| sk.sign(message, IETF_DST, &[]))
        .collect();
    let sig0 = sigs[0].compress();
    assert_eq!(
        verify_bls(s, id, (scheme::IETF_MIN_PK_POP, &pks[0], message, &sig0)),
        status::VALID
    );
    assert_eq!(
        verify_bls(s, id, (scheme::IETF_MIN_PK_POP, &pks[1], message, &sig0)),
        status::INVALID
    );
    assert_eq!(
        verify_bls(
            s,
            id,
            (scheme::IETF_MIN_PK_POP, &pks[0], b"block 43", &sig0)
        ),
        status::INVALID
    );
    let identity_key = {
        let mut key = [0u8; 48];
        key[0] = 0xc0;
        key
    };
    assert_eq!(
        verify_bls(
            s,
            id,
            (scheme::IETF_MIN_PK_POP, &identity_key, message, &sig0)
        ),
        status::ERR_IDENTITY
    );
    assert_eq!(
        verify_bls(s, id, (9, &pks[0], message, &sig0)),
        status::ERR_UNKNOWN_SCHEME
    );

    let all_pks = pks.concat();
    let refs: Vec<&min_pk::Signature> = sigs.iter().collect();
    let fast_sig = min_pk::AggregateSignature::aggregate(&refs, true)
        .expect("valid")
        .to_signature();
    let fast = fast_sig.compress();
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::IETF_MIN_PK_POP,
                mode::FAST,
                &all_pks,
                &[message],
                &fast
            )
        ),
        status::VALID
    );
    // One signer missing from the keys.
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::IETF_MIN_PK_POP,
                mode::FAST,
                &all_pks[..96],
                &[message],
                &fast
            )
        ),
        status::INVALID
    );
    // Distinct messages, one per key.
    let distinct: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 5]).collect();
    let distinct_refs: Vec<&[u8]> = distinct.iter().map(Vec::as_slice).collect();
    let distinct_sigs: Vec<min_pk::Signature> = ietf
        .iter()
        .zip(&distinct)
        .map(|(sk, m)| sk.sign(m, IETF_DST, &[]))
        .collect();
    let refs: Vec<&min_pk::Signature> = distinct_sigs.iter().collect();
    let distinct_sig = min_pk::AggregateSignature::aggregate(&refs, true)
        .expect("valid")
        .to_signature()
        .compress();
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::IETF_MIN_PK_POP,
                mode::DISTINCT,
                &all_pks,
                &distinct_refs,
                &distinct_sig
            )
        ),
        status::VALID
    );
    let swapped = [distinct_refs[1], distinct_refs[0], distinct_refs[2]];
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::IETF_MIN_PK_POP,
                mode::DISTINCT,
                &all_pks,
                &swapped,
                &distinct_sig
            )
        ),
        status::INVALID
    );
    // The contract's own refusals: a fast check of two messages, an unknown mode.
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::IETF_MIN_PK_POP,
                mode::FAST,
                &all_pks,
                &[message, message],
                &fast
            )
        ),
        status::ERR_MALFORMED
    );
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (scheme::IETF_MIN_PK_POP, 3, &all_pks, &[message], &fast)
        ),
        status::ERR_UNKNOWN_SCHEME
    );

    // Dusk, made with Dusk's crate: a single signature and a multisignature of a subset.
    let dusk = dusk_keys(3);
    let dusk_pks: Vec<u8> = dusk.iter().flat_map(|(_, pk)| pk.to_bytes()).collect();
    let single = dusk[0].0.sign(message).to_bytes();
    assert_eq!(
        verify_bls(
            s,
            id,
            (scheme::DUSK_MIN_SIG, &dusk_pks[..96], message, &single)
        ),
        status::VALID
    );
    assert_eq!(
        verify_bls(
            s,
            id,
            (scheme::DUSK_MIN_SIG, &dusk_pks[96..192], message, &single)
        ),
        status::INVALID
    );
    // Reading Dusk bytes as IETF fails on the lengths: the schemes cannot be confused.
    assert_eq!(
        verify_bls(
            s,
            id,
            (scheme::IETF_MIN_PK_POP, &dusk_pks[..96], message, &single)
        ),
        status::ERR_LENGTH
    );
    let partials: Vec<MultisigSignature> = dusk
        .iter()
        .map(|(sk, pk)| sk.sign_multisig(pk, message))
        .collect();
    let two = partials[0].aggregate(&partials[2..3]).to_bytes();
    let keys_0_2 = [&dusk_pks[..96], &dusk_pks[192..]].concat();
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::DUSK_MIN_SIG,
                mode::FAST,
                &keys_0_2,
                &[message],
                &two
            )
        ),
        status::VALID
    );
    assert_eq!(
        verify_aggregate(
            s,
            id,
            (
                scheme::DUSK_MIN_SIG,
                mode::FAST,
                &dusk_pks[..192],
                &[message],
                &two
            )
        ),
        status::INVALID
    );
}

#[test]
fn schnorr_bip340_and_ed25519_signatures() {
    let (_vm, mut session, id) = verifier();
    let s = &mut session;
    let mut rng = ChaCha20Rng::seed_from_u64(5);

    // Dusk's Schnorr over JubJub: the message is one BLS12-381 scalar.
    let sk = SchnorrSecretKey::random(&mut rng);
    let pk = SchnorrPublicKey::from(&sk).to_bytes();
    let msg = BlsScalar::hash_to_scalar(b"pay 10 to bob");
    let sig = sk.sign(&mut rng, msg).to_bytes();
    let other = BlsScalar::hash_to_scalar(b"pay 11 to bob").to_bytes();
    let native = shortcrust_crypto::verify_schnorr;
    check3(
        s,
        id,
        "verify_schnorr",
        native,
        (&pk, &msg.to_bytes(), &sig),
        status::VALID,
    );
    check3(
        s,
        id,
        "verify_schnorr",
        native,
        (&pk, &other, &sig),
        status::INVALID,
    );
    check3(
        s,
        id,
        "verify_schnorr",
        native,
        (&pk, &msg.to_bytes(), &flipped(&sig, 0)),
        status::INVALID,
    );
    check3(
        s,
        id,
        "verify_schnorr",
        native,
        (&pk, &[0xff; 32], &sig),
        status::ERR_MALFORMED,
    );
    check3(
        s,
        id,
        "verify_schnorr",
        native,
        (&pk[..31], &msg.to_bytes(), &sig),
        status::ERR_LENGTH,
    );

    // BIP-340 with k256.
    let sk = k256::schnorr::SigningKey::from_slice(&[0x42; 32]).expect("valid secret key");
    let pk = sk.verifying_key().to_bytes().to_vec();
    let sig = sk
        .sign_raw(b"taproot spend", &[7; 32])
        .expect("signs")
        .to_bytes()
        .to_vec();
    let native = shortcrust_crypto::verify_bip340;
    check3(
        s,
        id,
        "verify_bip340",
        native,
        (&pk, b"taproot spend", &sig),
        status::VALID,
    );
    check3(
        s,
        id,
        "verify_bip340",
        native,
        (&pk, b"taproot spent", &sig),
        status::INVALID,
    );
    check3(
        s,
        id,
        "verify_bip340",
        native,
        (&pk, b"taproot spend", &flipped(&sig, 63)),
        status::INVALID,
    );
    let mut s_too_big = sig.clone();
    s_too_big[32..].copy_from_slice(&[0xff; 32]);
    check3(
        s,
        id,
        "verify_bip340",
        native,
        (&pk, b"taproot spend", &s_too_big),
        status::ERR_MALFORMED,
    );
    check3(
        s,
        id,
        "verify_bip340",
        native,
        (&pk, b"taproot spend", &sig[..63]),
        status::ERR_LENGTH,
    );

    // Ed25519 with ed25519-dalek.
    let sk = Ed25519Key::from_bytes(&[0x25; 32]);
    let pk = sk.verifying_key().to_bytes();
    let sig = sk.sign(b"hello").to_bytes();
    let native = shortcrust_crypto::verify_ed25519;
    check3(
        s,
        id,
        "verify_ed25519",
        native,
        (&pk, b"hello", &sig),
        status::VALID,
    );
    check3(
        s,
        id,
        "verify_ed25519",
        native,
        (&pk, b"hellO", &sig),
        status::INVALID,
    );
    check3(
        s,
        id,
        "verify_ed25519",
        native,
        (&pk, b"hello", &flipped(&sig, 40)),
        status::INVALID,
    );
    let mut s_too_big = sig;
    s_too_big[32..].copy_from_slice(&[0xff; 32]);
    check3(
        s,
        id,
        "verify_ed25519",
        native,
        (&pk, b"hello", &s_too_big),
        status::ERR_MALFORMED,
    );
    check3(
        s,
        id,
        "verify_ed25519",
        native,
        (&pk, b"hello", &sig[..63]),
        status::ERR_LENGTH,
    );
}
