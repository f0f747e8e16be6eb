//! The crypto-path benchmark's inputs — real proofs and signatures made once with the reference
//! implementations (dusk-plonk's and ark-groth16's provers through `shortcrust_crypto`'s
//! testkits, blst, bls12_381-bls, jubjub-schnorr, k256, ed25519-dalek) — and the rows measured
//! on them.

use bls12_381_bls::{MultisigSignature, PublicKey as DuskPublicKey, SecretKey as DuskSecretKey};
use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use ed25519_dalek::Signer as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_crypto::bls::{IETF_DST, clear_key_caches};
use shortcrust_crypto::groth16::Groth16Input;
use shortcrust_crypto::plonk::PlonkInput;
use shortcrust_crypto::{groth16, plonk};

use super::{Bench, DISTINCT, DUSK, FAST, Harness, IETF, INVALID, Spec, nothing, status_output};

/// Distinct PLONK verifiers rotated through on cold rows: more than the host's cache holds (16).
const PLONK_COLD_KEYS: u64 = 17;
/// Distinct Groth16 keys rotated through on cold rows: more than the host's cache holds (32).
const GROTH16_COLD_KEYS: u64 = 33;
/// Signers of the aggregate rows (the 100-signer target of DESIGN §9).
const SIGNERS: usize = 100;
/// Signers (and messages) of the `DISTINCT` rows.
const DISTINCT_SIGNERS: usize = 4;

/// One BLS signing set: concatenated keys, the messages, the (aggregate) signature.
struct BlsSet {
    keys: Vec<u8>,
    messages: Vec<Vec<u8>>,
    signature: Vec<u8>,
}

impl BlsSet {
    /// The messages as the host takes them: the one message (`FAST`) or length-prefixed ones.
    fn host_messages(&self, mode: i32) -> Vec<u8> {
        if mode == FAST {
            return self.messages[0].clone();
        }
        self.messages
            .iter()
            .flat_map(|m| [&(m.len() as u32).to_le_bytes()[..], m].concat())
            .collect()
    }
}

/// IETF (min-pk, POP ciphersuite) keys with blst; `same_message`: everybody signs `messages[0]`.
fn ietf_set(signers: usize, same_message: bool) -> BlsSet {
    let messages: Vec<Vec<u8>> = (0..signers)
        .map(|i| {
            if same_message {
                b"block 42".to_vec()
            } else {
                format!("block {i}").into_bytes()
            }
        })
        .collect();
    let mut keys = Vec::new();
    let mut signatures = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let mut ikm = [7u8; 32];
        ikm[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let sk = blst::min_pk::SecretKey::key_gen(&ikm, &[]).expect("key material");
        keys.extend_from_slice(&sk.sk_to_pk().compress());
        signatures.push(sk.sign(message, IETF_DST, &[]));
    }
    let refs: Vec<_> = signatures.iter().collect();
    let aggregate = blst::min_pk::AggregateSignature::aggregate(&refs, true).expect("valid");
    let messages = if same_message {
        messages[..1].to_vec()
    } else {
        messages
    };
    BlsSet {
        keys,
        messages,
        signature: aggregate.to_signature().compress().to_vec(),
    }
}

/// Dusk keys with bls12_381-bls: a multisignature of one message (`same_message`, Dusk's `FAST`)
/// or the sum of plain signatures of distinct messages.
fn dusk_set(signers: usize, same_message: bool) -> BlsSet {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let messages: Vec<Vec<u8>> = (0..signers)
        .map(|i| {
            if same_message {
                b"block 42".to_vec()
            } else {
                format!("block {i}").into_bytes()
            }
        })
        .collect();
    let mut keys = Vec::new();
    let mut multisig: Vec<MultisigSignature> = Vec::new();
    let mut plain = dusk_bls12_381::G1Projective::identity();
    for message in &messages {
        let sk = DuskSecretKey::random(&mut rng);
        let pk = DuskPublicKey::from(&sk);
        keys.extend_from_slice(&pk.to_bytes());
        if same_message {
            multisig.push(sk.sign_multisig(&pk, message));
        } else {
            let sig = dusk_bls12_381::G1Affine::from_bytes(&sk.sign(message).to_bytes())
                .expect("a signature is a valid point");
            plain += dusk_bls12_381::G1Projective::from(sig);
        }
    }
    let signature = match multisig.split_first() {
        Some((first, rest)) if same_message => first.aggregate(rest).to_bytes().to_vec(),
        _ => dusk_bls12_381::G1Affine::from(plain).to_bytes().to_vec(),
    };
    let messages = if same_message {
        messages[..1].to_vec()
    } else {
        messages
    };
    BlsSet {
        keys,
        messages,
        signature,
    }
}

/// Everything the rows verify.
pub struct Fixtures {
    plonk: Vec<PlonkInput>,
    groth16: Vec<Groth16Input>,
    ietf_one: BlsSet,
    dusk_one: BlsSet,
    ietf_fast: BlsSet,
    dusk_fast: BlsSet,
    ietf_distinct: BlsSet,
    dusk_distinct: BlsSet,
    schnorr: [Vec<u8>; 3],
    bip340: [Vec<u8>; 3],
    ed25519: [Vec<u8>; 3],
}

impl Fixtures {
    pub fn generate() -> Fixtures {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let schnorr_key = jubjub_schnorr::SecretKey::random(&mut rng);
        let schnorr_message = BlsScalar::hash_to_scalar(b"transfer 10 to bob");
        let bip340_key =
            k256::schnorr::SigningKey::from_bytes(&[9u8; 32].into()).expect("valid key");
        let ed25519_key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
        let message = [0x5au8; 32];
        Fixtures {
            plonk: (0..PLONK_COLD_KEYS)
                .map(|seed| plonk::testkit::fixture(100 + seed, 1))
                .collect(),
            groth16: (0..GROTH16_COLD_KEYS)
                .map(|seed| groth16::testkit::fixture(200 + seed, 1))
                .collect(),
            ietf_one: ietf_set(1, true),
            dusk_one: dusk_set(1, true),
            ietf_fast: ietf_set(SIGNERS, true),
            dusk_fast: dusk_set(SIGNERS, true),
            ietf_distinct: ietf_set(DISTINCT_SIGNERS, false),
            dusk_distinct: dusk_set(DISTINCT_SIGNERS, false),
            schnorr: [
                jubjub_schnorr::PublicKey::from(&schnorr_key)
                    .to_bytes()
                    .to_vec(),
                schnorr_message.to_bytes().to_vec(),
                schnorr_key
                    .sign(&mut rng, schnorr_message)
                    .to_bytes()
                    .to_vec(),
            ],
            bip340: [
                bip340_key.verifying_key().to_bytes().to_vec(),
                message.to_vec(),
                bip340_key
                    .sign_raw(&message, &[0u8; 32])
                    .expect("signing")
                    .to_bytes()
                    .to_vec(),
            ],
            ed25519: [
                ed25519_key.verifying_key().to_bytes().to_vec(),
                message.to_vec(),
                ed25519_key.sign(&message).to_bytes().to_vec(),
            ],
        }
    }

    pub fn bench_all(&self, c: &mut Bench, h: &mut Harness) {
        self.hashes(c, h);
        self.signatures(c, h);
        self.zk(c, h);
        self.bls(c, h);
    }

    fn hashes(&self, c: &mut Bench, h: &mut Harness) {
        type ByteHash = fn(&[u8]) -> [u8; 32];
        let functions: [(&'static str, ByteHash, &[usize]); 4] = [
            ("sha256", shortcrust_crypto::sha256, &[0, 32, 4096]),
            ("blake2b_256", shortcrust_crypto::blake2b_256, &[32, 4096]),
            ("keccak256", shortcrust_crypto::keccak256, &[32, 4096]),
            (
                "hash_to_scalar",
                shortcrust_crypto::hash_to_scalar,
                &[32, 4096],
            ),
        ];
        for (function, hash, sizes) in functions {
            for &size in sizes {
                let data = vec![0xa5u8; size];
                let input = borsh::to_vec(&(data.clone(),)).expect("borsh");
                let spec = Spec {
                    function,
                    case: format!("{size}B"),
                    pure: Some("hash"),
                    before: nothing,
                    samples: 50,
                    tampered: None,
                };
                h.row(c, spec, &[input], |_| hash(&data));
            }
        }
        let scalars: Vec<[u8; 32]> = [1u64, 2].map(|v| BlsScalar::from(v).to_bytes()).to_vec();
        let flat = scalars.concat();
        let spec = Spec {
            function: "poseidon_hash",
            case: "2_scalars".into(),
            pure: Some("poseidon"),
            before: nothing,
            samples: 50,
            tampered: None,
        };
        let input = borsh::to_vec(&(scalars,)).expect("borsh");
        h.row(c, spec, &[input], |_| {
            shortcrust_crypto::poseidon_hash(&flat)
        });
        let elements: Vec<[u8; 32]> = [1u8, 2]
            .map(|v| {
                let mut e = [0u8; 32];
                e[31] = v;
                e
            })
            .to_vec();
        let flat = elements.concat();
        let spec = Spec {
            function: "poseidon_bn254",
            case: "2_elements".into(),
            pure: Some("poseidon-bn254"),
            before: nothing,
            samples: 50,
            tampered: None,
        };
        let input = borsh::to_vec(&(elements,)).expect("borsh");
        h.row(c, spec, &[input], |_| {
            shortcrust_crypto::poseidon_bn254(&flat)
        });
    }

    fn signatures(&self, c: &mut Bench, h: &mut Harness) {
        type Verify = fn(&[u8], &[u8], &[u8]) -> i32;
        let kinds: [(&'static str, Verify, &[Vec<u8>; 3], &'static str); 3] = [
            (
                "verify_schnorr",
                shortcrust_crypto::verify_schnorr,
                &self.schnorr,
                "schnorr",
            ),
            (
                "verify_bip340",
                shortcrust_crypto::verify_bip340,
                &self.bip340,
                "schnorr",
            ),
            (
                "verify_ed25519",
                shortcrust_crypto::verify_ed25519,
                &self.ed25519,
                "ed25519",
            ),
        ];
        for (function, verify, [pk, msg, sig], pure) in kinds {
            let input = borsh::to_vec(&(pk, msg, sig)).expect("borsh");
            // Another message (still a canonical scalar for Schnorr): well-formed, not signed.
            let mut other = msg.clone();
            other[0] ^= 1;
            let tampered = borsh::to_vec(&(pk, &other, sig)).expect("borsh");
            let spec = Spec {
                function,
                case: "32B_message".into(),
                pure: Some(pure),
                before: nothing,
                samples: 30,
                tampered: Some((tampered, status_output(INVALID))),
            };
            h.row(c, spec, &[input], |_| verify(pk, msg, sig));
        }
    }

    fn zk(&self, c: &mut Bench, h: &mut Harness) {
        let encode = |p: &PlonkInput| {
            borsh::to_vec(&(&p.verifier_data, &p.proof, &p.public_inputs)).expect("borsh")
        };
        let inputs: Vec<Vec<u8>> = self.plonk.iter().map(encode).collect();
        let mut wrong = self.plonk[0].clone();
        wrong.public_inputs[0] = wrong.public_inputs[0].wrapping_add(1);
        let tampered = Some((encode(&wrong), status_output(INVALID)));
        for (case, inputs, pure) in [
            ("1_input_cold", &inputs[..], Some("plonk")),
            ("1_input_cached", &inputs[..1], None),
        ] {
            let spec = Spec {
                function: "verify_plonk",
                case: case.into(),
                pure,
                before: nothing,
                samples: 10,
                tampered: tampered.clone(),
            };
            h.row(c, spec, inputs, |i| self.plonk[i].verify());
        }

        let encode = |p: &Groth16Input| {
            borsh::to_vec(&(&p.verifying_key, &p.proof, &p.public_inputs)).expect("borsh")
        };
        let inputs: Vec<Vec<u8>> = self.groth16.iter().map(encode).collect();
        let mut wrong = self.groth16[0].clone();
        // Big-endian: bump the last byte of the first input (stays below r).
        wrong.public_inputs[31] = wrong.public_inputs[31].wrapping_add(1);
        let tampered = Some((encode(&wrong), status_output(INVALID)));
        for (case, inputs, pure) in [
            ("1_input_cold", &inputs[..], Some("groth16")),
            ("1_input_cached", &inputs[..1], None),
        ] {
            let spec = Spec {
                function: "verify_groth16_bn254",
                case: case.into(),
                pure,
                before: nothing,
                samples: 10,
                tampered: tampered.clone(),
            };
            h.row(c, spec, inputs, |i| self.groth16[i].verify());
        }
    }

    fn bls(&self, c: &mut Bench, h: &mut Harness) {
        for (name, scheme, set) in [
            ("ietf", IETF, &self.ietf_one),
            ("dusk", DUSK, &self.dusk_one),
        ] {
            let msg = &set.messages[0];
            let input = borsh::to_vec(&(scheme, &set.keys, msg, &set.signature)).expect("borsh");
            let tampered = borsh::to_vec(&(scheme, &set.keys, b"other".to_vec(), &set.signature))
                .expect("borsh");
            for (state, before, pure) in [
                ("cold", clear_key_caches as fn(), Some("bls")),
                ("warm", nothing as fn(), None),
            ] {
                let spec = Spec {
                    function: "verify_bls",
                    case: format!("{name}_{state}"),
                    pure,
                    before,
                    samples: 10,
                    tampered: Some((tampered.clone(), status_output(INVALID))),
                };
                h.row(c, spec, std::slice::from_ref(&input), |_| {
                    shortcrust_crypto::verify_bls(scheme, &set.keys, msg, &set.signature)
                });
            }
        }

        let aggregates = [
            ("fast_ietf_100", IETF, FAST, &self.ietf_fast),
            ("fast_dusk_100", DUSK, FAST, &self.dusk_fast),
            ("distinct_ietf_4", IETF, DISTINCT, &self.ietf_distinct),
            ("distinct_dusk_4", DUSK, DISTINCT, &self.dusk_distinct),
        ];
        for (name, scheme, mode, set) in aggregates {
            let host_messages = set.host_messages(mode);
            let input = borsh::to_vec(&(scheme, mode, &set.keys, &set.messages, &set.signature))
                .expect("borsh");
            let mut other = set.messages.clone();
            other[0].push(b'!');
            let tampered =
                borsh::to_vec(&(scheme, mode, &set.keys, &other, &set.signature)).expect("borsh");
            for (state, before, pure) in [
                ("cold", clear_key_caches as fn(), Some("bls")),
                ("warm", nothing as fn(), None),
            ] {
                let spec = Spec {
                    function: "verify_bls_aggregate",
                    case: format!("{name}_{state}"),
                    pure,
                    before,
                    samples: 10,
                    tampered: Some((tampered.clone(), status_output(INVALID))),
                };
                h.row(c, spec, std::slice::from_ref(&input), |_| {
                    shortcrust_crypto::verify_bls_aggregate(
                        scheme,
                        mode,
                        &set.keys,
                        &host_messages,
                        &set.signature,
                    )
                });
            }
        }
    }
}
