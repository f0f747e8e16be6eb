//! Native cost of every hash, Poseidon and signature host function, the measurements the gas
//! constants in `hash.rs`, `poseidon.rs`, `schnorr.rs`, `bip340.rs`, `ed25519.rs` and `bls.rs`
//! come from. Each price is `base + per_unit × units`, so each function is measured at two sizes
//! (the slope gives the per-unit price). BLS is measured cold (key caches emptied before every
//! call, which is what prices cover) and, for the 100-signer target, warm.
//!
//! Run: `cargo bench -p shortcrust-crypto --bench signatures_and_hashes -- --warm-up-time 1
//! --measurement-time 2 [filter]`.

use std::hint::black_box;

use bls12_381_bls::{PublicKey as DuskPublicKey, SecretKey as DuskSecretKey};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use dusk_bls12_381::{BlsScalar, G1Affine, G1Projective};
use dusk_bytes::Serializable as _;
use rand::SeedableRng;
use rand::rngs::StdRng;
use shortcrust_abi::{bls_aggregate_mode, bls_scheme};
use shortcrust_crypto::bls::{IETF_DST, clear_key_caches};
use shortcrust_crypto::*;

/// Message sizes at which per-word prices are fitted.
const SIZES: [usize; 2] = [32, 4096];

/// A byte hash host function.
type ByteHash = fn(&[u8]) -> [u8; 32];

fn hashes(c: &mut Criterion) {
    let mut group = c.benchmark_group("hash");
    let functions: [(&str, ByteHash); 4] = [
        ("blake2b_256", blake2b_256),
        ("sha256", sha256),
        ("keccak256", keccak256),
        ("hash_to_scalar", hash_to_scalar),
    ];
    for (name, function) in functions {
        for size in SIZES {
            let input = vec![0xa5u8; size];
            group.bench_with_input(BenchmarkId::new(name, size), &input, |b, input| {
                b.iter(|| function(black_box(input)))
            });
        }
    }
    group.finish();
}

fn poseidon(c: &mut Criterion) {
    let mut group = c.benchmark_group("poseidon");
    for n in [1usize, 4, 5, 8, 64] {
        let input: Vec<u8> = (0..n as u64)
            .flat_map(|i| BlsScalar::hash_to_scalar(&i.to_le_bytes()).to_bytes())
            .collect();
        group.bench_with_input(BenchmarkId::new("poseidon_hash", n), &input, |b, input| {
            b.iter(|| poseidon_hash(black_box(input)))
        });
    }
    for n in [1usize, 6, 12] {
        let input: Vec<u8> = (0..n)
            .flat_map(|i| [[0u8; 31].as_slice(), &[i as u8 + 1]].concat())
            .collect();
        group.bench_with_input(BenchmarkId::new("poseidon_bn254", n), &input, |b, input| {
            b.iter(|| poseidon_bn254(black_box(input)))
        });
    }
    group.finish();
}

fn schnorr_family(c: &mut Criterion) {
    let mut group = c.benchmark_group("signature");
    let mut rng = StdRng::seed_from_u64(1);

    let sk = jubjub_schnorr::SecretKey::random(&mut rng);
    let pk = jubjub_schnorr::PublicKey::from(&sk).to_bytes();
    let message = BlsScalar::hash_to_scalar(b"message");
    let sig = sk.sign(&mut rng, message).to_bytes();
    let msg = message.to_bytes();
    assert_eq!(verify_schnorr(&pk, &msg, &sig), 1);
    group.bench_function("verify_schnorr", |b| {
        b.iter(|| verify_schnorr(black_box(&pk), black_box(&msg), black_box(&sig)))
    });

    let bip340_key = k256::schnorr::SigningKey::from_bytes(&[9u8; 32].into()).expect("valid key");
    let bip340_pk = bip340_key.verifying_key().to_bytes();
    let ed_key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let ed_pk = ed_key.verifying_key().to_bytes();
    for size in SIZES {
        let msg = vec![0x5au8; size];
        let sig = bip340_key
            .sign_raw(&msg, &[0u8; 32])
            .expect("signing")
            .to_bytes();
        assert_eq!(verify_bip340(&bip340_pk, &msg, &sig), 1);
        group.bench_with_input(BenchmarkId::new("verify_bip340", size), &msg, |b, msg| {
            b.iter(|| verify_bip340(black_box(&bip340_pk), black_box(msg), black_box(&sig)))
        });
        let sig = ed25519_dalek::Signer::sign(&ed_key, &msg).to_bytes();
        assert_eq!(verify_ed25519(&ed_pk, &msg, &sig), 1);
        group.bench_with_input(BenchmarkId::new("verify_ed25519", size), &msg, |b, msg| {
            b.iter(|| verify_ed25519(black_box(&ed_pk), black_box(msg), black_box(&sig)))
        });
    }
    group.finish();
}

/// IETF keys, their concatenated encodings, and signatures of `messages[i]` by key `i`.
fn ietf_signers(messages: &[Vec<u8>]) -> (Vec<u8>, Vec<u8>) {
    let mut pks = Vec::new();
    let mut signatures = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let mut ikm = [7u8; 32];
        ikm[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let sk = blst::min_pk::SecretKey::key_gen(&ikm, &[]).expect("key material");
        pks.extend_from_slice(&sk.sk_to_pk().compress());
        signatures.push(sk.sign(message, IETF_DST, &[]));
    }
    let refs: Vec<_> = signatures.iter().collect();
    let sig = blst::min_pk::AggregateSignature::aggregate(&refs, true).expect("valid");
    (pks, sig.to_signature().compress().to_vec())
}

/// Dusk keys and either their multisignature of `messages[0]` (`multisig`) or the sum of their
/// plain signatures of `messages[i]`.
fn dusk_signers(messages: &[Vec<u8>], multisig: bool) -> (Vec<u8>, Vec<u8>) {
    let mut rng = StdRng::seed_from_u64(2);
    let mut pks = Vec::new();
    let mut sum = G1Projective::identity();
    for message in messages {
        let sk = DuskSecretKey::random(&mut rng);
        let pk = DuskPublicKey::from(&sk);
        pks.extend_from_slice(&pk.to_bytes());
        let sig = if multisig {
            sk.sign_multisig(&pk, message).to_bytes()
        } else {
            sk.sign(message).to_bytes()
        };
        sum += G1Projective::from(G1Affine::from_bytes(&sig).expect("valid point"));
    }
    (pks, G1Affine::from(sum).to_bytes().to_vec())
}

fn framed(messages: &[Vec<u8>]) -> Vec<u8> {
    messages
        .iter()
        .flat_map(|m| [&(m.len() as u32).to_le_bytes()[..], m].concat())
        .collect()
}

fn bls(c: &mut Criterion) {
    let mut group = c.benchmark_group("bls");
    group.sample_size(20);
    let schemes = [
        ("ietf", bls_scheme::IETF_MIN_PK_POP),
        ("dusk", bls_scheme::DUSK_MIN_SIG),
    ];

    for (name, scheme) in schemes {
        for size in SIZES {
            let messages = vec![vec![0x33u8; size]];
            let (pk, sig) = if scheme == bls_scheme::IETF_MIN_PK_POP {
                ietf_signers(&messages)
            } else {
                dusk_signers(&messages, false)
            };
            assert_eq!(verify_bls(scheme, &pk, &messages[0], &sig), 1);
            group.bench_function(
                BenchmarkId::new(format!("verify_bls/{name}/cold"), size),
                |b| {
                    b.iter(|| {
                        clear_key_caches();
                        verify_bls(
                            scheme,
                            black_box(&pk),
                            black_box(&messages[0]),
                            black_box(&sig),
                        )
                    })
                },
            );
        }
    }

    for (name, scheme) in schemes {
        for keys in [1usize, 64, 100] {
            let one_message = vec![b"block hash".to_vec(); keys];
            let (pks, sig) = if scheme == bls_scheme::IETF_MIN_PK_POP {
                ietf_signers(&one_message)
            } else {
                dusk_signers(&one_message, true)
            };
            let fast = bls_aggregate_mode::FAST;
            assert_eq!(
                verify_bls_aggregate(scheme, fast, &pks, &one_message[0], &sig),
                1
            );
            group.bench_function(BenchmarkId::new(format!("fast/{name}/cold"), keys), |b| {
                b.iter(|| {
                    clear_key_caches();
                    verify_bls_aggregate(
                        scheme,
                        fast,
                        black_box(&pks),
                        &one_message[0],
                        black_box(&sig),
                    )
                })
            });
            if keys == 100 {
                group.bench_function(BenchmarkId::new(format!("fast/{name}/warm"), keys), |b| {
                    b.iter(|| {
                        verify_bls_aggregate(
                            scheme,
                            fast,
                            black_box(&pks),
                            &one_message[0],
                            black_box(&sig),
                        )
                    })
                });
                continue;
            }

            let distinct_messages: Vec<Vec<u8>> = (0..keys)
                .map(|i| format!("message {i:04}").into_bytes())
                .collect();
            let (pks, sig) = if scheme == bls_scheme::IETF_MIN_PK_POP {
                ietf_signers(&distinct_messages)
            } else {
                dusk_signers(&distinct_messages, false)
            };
            let msgs = framed(&distinct_messages);
            let distinct = bls_aggregate_mode::DISTINCT;
            assert_eq!(verify_bls_aggregate(scheme, distinct, &pks, &msgs, &sig), 1);
            group.bench_function(
                BenchmarkId::new(format!("distinct/{name}/cold"), keys),
                |b| {
                    b.iter(|| {
                        clear_key_caches();
                        verify_bls_aggregate(
                            scheme,
                            distinct,
                            black_box(&pks),
                            black_box(&msgs),
                            black_box(&sig),
                        )
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, hashes, poseidon, schnorr_family, bls);
criterion_main!(benches);
