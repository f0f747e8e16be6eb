//! `wallet`: accounts of each scheme — Dusk Schnorr keys from jubjub-schnorr, BIP-340 keys from
//! k256, Ed25519 keys from ed25519-dalek — registering, receiving and sending through a relayer,
//! and every replayed, forged or misdirected signature refused.

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use ed25519_dalek::Signer as _;
use jubjub_schnorr::{PublicKey as SchnorrPublicKey, SecretKey as SchnorrSecretKey};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_test_contracts::WALLET;
use shortcrust_test_contracts::client::wallet::{Account, REGISTER_DOMAIN, TRANSFER_DOMAIN};
use shortcrust_vm::{ContractId, Event, Receipt, Session, Vm};

use super::{
    GAS, OWNER, RELAYER, assert_reverted, deploy, domain_payload, encode, new_session, output,
    revert_message, set_sender, wasm_gas,
};

const SCHNORR: u8 = 1;
const BIP340: u8 = 2;
const ED25519: u8 = 3;

/// A key of one of the three schemes, signing exactly what the wallet expects of it.
enum Key {
    Schnorr(SchnorrSecretKey),
    Bip340(k256::schnorr::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl Key {
    fn new(scheme: u8, seed: u8) -> Key {
        match scheme {
            SCHNORR => Key::Schnorr(SchnorrSecretKey::random(&mut ChaCha20Rng::seed_from_u64(
                seed.into(),
            ))),
            BIP340 => Key::Bip340(
                k256::schnorr::SigningKey::from_slice(&[seed; 32]).expect("valid secret"),
            ),
            ED25519 => Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32])),
            other => panic!("no scheme {other}"),
        }
    }

    fn scheme(&self) -> u8 {
        match self {
            Key::Schnorr(_) => SCHNORR,
            Key::Bip340(_) => BIP340,
            Key::Ed25519(_) => ED25519,
        }
    }

    fn public(&self) -> [u8; 32] {
        match self {
            Key::Schnorr(sk) => SchnorrPublicKey::from(sk).to_bytes(),
            Key::Bip340(sk) => sk.verifying_key().to_bytes().into(),
            Key::Ed25519(sk) => sk.verifying_key().to_bytes(),
        }
    }

    /// Signs `payload` as the scheme's row in the wallet's docs says: Schnorr signs
    /// `hash_to_scalar(payload)`, BIP-340 `sha256(payload)`, Ed25519 the payload.
    fn sign(&self, payload: &[u8]) -> Vec<u8> {
        match self {
            Key::Schnorr(sk) => {
                let mut rng = ChaCha20Rng::seed_from_u64(payload.len() as u64);
                sk.sign(&mut rng, BlsScalar::hash_to_scalar(payload))
                    .to_bytes()
                    .to_vec()
            }
            Key::Bip340(sk) => {
                let digest = shortcrust_crypto::sha256(payload);
                sk.sign_raw(&digest, &[0x5a; 32])
                    .expect("signs")
                    .to_bytes()
                    .to_vec()
            }
            Key::Ed25519(sk) => sk.sign(payload).to_bytes().to_vec(),
        }
    }

    /// The account id the wallet derives: `blake2b_256([scheme] ‖ public_key)`.
    fn id(&self) -> [u8; 32] {
        let mut material = vec![self.scheme()];
        material.extend_from_slice(&self.public());
        shortcrust_crypto::blake2b_256(&material)
    }

    fn registration(&self, wallet: ContractId) -> Vec<u8> {
        let payload = domain_payload(
            REGISTER_DOMAIN,
            wallet,
            &encode(&(self.scheme(), self.public())),
        );
        encode(&(self.scheme(), self.public(), self.sign(&payload)))
    }

    /// `transfer`'s input, signed by this key.
    fn transfer(&self, wallet: ContractId, to: [u8; 32], amount: u64, nonce: u64) -> Vec<u8> {
        let signature = self.sign(&transfer_payload(wallet, self.id(), nonce, to, amount));
        encode(&(self.id(), to, amount, nonce, signature))
    }
}

fn transfer_payload(
    wallet: ContractId,
    from: [u8; 32],
    nonce: u64,
    to: [u8; 32],
    amount: u64,
) -> Vec<u8> {
    domain_payload(TRANSFER_DOMAIN, wallet, &encode(&(from, nonce, to, amount)))
}

/// The price of the hashing and the verification a signature check under `scheme` costs.
fn signature_price(scheme: u8, payload_len: usize) -> u64 {
    match scheme {
        SCHNORR => {
            shortcrust_crypto::hash_to_scalar_gas(payload_len)
                + shortcrust_crypto::verify_schnorr_gas(32, 32, 64)
        }
        BIP340 => {
            shortcrust_crypto::sha256_gas(payload_len)
                + shortcrust_crypto::verify_bip340_gas(32, 32, 64)
        }
        _ => shortcrust_crypto::verify_ed25519_gas(32, payload_len, 64),
    }
}

fn transfer_price(scheme: u8) -> u64 {
    signature_price(
        scheme,
        transfer_payload(ContractId([0; 32]), [0; 32], 0, [0; 32], 0).len(),
    )
}

/// A wallet with `keys` registered and 1,000 minted to each; the sender is [`RELAYER`].
fn wallet_with(keys: &[&Key]) -> (Vm, Session, ContractId, Vec<Receipt>) {
    let (vm, mut session) = new_session();
    let wallet = deploy(&mut session, WALLET);
    let mut registrations = Vec::new();
    for key in keys {
        let receipt = session
            .call(wallet, "register", &key.registration(wallet), GAS)
            .expect("no VM fault");
        assert_eq!(output::<[u8; 32]>(&receipt), key.id());
        output::<()>(
            &session
                .call(wallet, "mint", &encode(&(key.id(), 1_000u64)), GAS)
                .expect("no VM fault"),
        );
        registrations.push(receipt);
    }
    set_sender(&mut session, RELAYER);
    (vm, session, wallet, registrations)
}

fn balance(session: &mut Session, wallet: ContractId, id: [u8; 32]) -> u64 {
    output(
        &session
            .query(wallet, "balance_of", &encode(&id), GAS)
            .expect("no VM fault"),
    )
}

#[test]
fn each_scheme_registers_and_sends_with_nonces() {
    let mut observed = Vec::new();
    for scheme in [SCHNORR, BIP340, ED25519] {
        let key = Key::new(scheme, 1);
        let payee = Key::new(scheme, 2);
        let (_vm, mut session, wallet, registrations) = wallet_with(&[&key]);
        assert_eq!(
            registrations[0].events,
            vec![Event {
                contract: wallet,
                topic: b"registered".to_vec(),
                data: encode(&(key.id(), scheme, key.public()))
            }]
        );
        assert_eq!(
            output::<Option<Account>>(
                &session
                    .query(wallet, "account", &encode(&key.id()), GAS)
                    .expect("no VM fault")
            ),
            Some(Account {
                scheme,
                public_key: key.public(),
                nonce: 0
            })
        );
        let id: [u8; 32] = output(
            &session
                .query(wallet, "account_id", &encode(&(scheme, key.public())), GAS)
                .expect("no VM fault"),
        );
        assert_eq!(id, key.id());
        let view: Vec<u8> = output(
            &session
                .query(
                    wallet,
                    "transfer_payload",
                    &encode(&(key.id(), 0u64, payee.id(), 300u64)),
                    GAS,
                )
                .expect("no VM fault"),
        );
        assert_eq!(view, transfer_payload(wallet, key.id(), 0, payee.id(), 300));

        // Sent to an id nobody registered yet: its key's holder can register and spend later.
        let first = key.transfer(wallet, payee.id(), 300, 0);
        let receipt = session
            .call(wallet, "transfer", &first, GAS)
            .expect("no VM fault");
        output::<()>(&receipt);
        assert_eq!(
            receipt.events[0].data,
            encode(&(key.id(), payee.id(), 300u64, 0u64))
        );
        assert_reverted(
            &session
                .call(wallet, "transfer", &first, GAS)
                .expect("no VM fault"),
            "wrong nonce: expected 1, got 0",
            0,
        );
        output::<()>(
            &session
                .call(
                    wallet,
                    "transfer",
                    &key.transfer(wallet, payee.id(), 200, 1),
                    GAS,
                )
                .expect("no VM fault"),
        );
        assert_eq!(balance(&mut session, wallet, key.id()), 500);
        assert_eq!(balance(&mut session, wallet, payee.id()), 500);

        set_sender(&mut session, OWNER);
        output::<[u8; 32]>(
            &session
                .call(wallet, "register", &payee.registration(wallet), GAS)
                .expect("no VM fault"),
        );
        output::<()>(
            &session
                .call(
                    wallet,
                    "transfer",
                    &payee.transfer(wallet, key.id(), 500, 0),
                    GAS,
                )
                .expect("no VM fault"),
        );
        assert_eq!(balance(&mut session, wallet, key.id()), 1_000);
        assert_eq!(balance(&mut session, wallet, payee.id()), 0);

        let wasm = wasm_gas(&receipt, transfer_price(scheme));
        println!(
            "wallet transfer (scheme {scheme}): {} gas ({wasm} outside the host functions' prices)",
            receipt.gas_spent
        );
        observed.push(wasm);
    }
    assert_eq!(
        observed, EXPECTED_TRANSFER_WASM_GAS,
        "wallet gas changed: update the snapshot if intended"
    );
}

/// Outside the host functions' prices, a transfer to a new account of a Schnorr, a BIP-340 and
/// an Ed25519 account.
const EXPECTED_TRANSFER_WASM_GAS: [u64; 3] = [10_725_661, 10_725_661, 10_724_877];

#[test]
fn forged_replayed_and_misdirected_signatures_are_refused() {
    for scheme in [SCHNORR, BIP340, ED25519] {
        let key = Key::new(scheme, 3);
        let thief = Key::new(scheme, 4);
        let (_vm, mut session, wallet, _) = wallet_with(&[&key, &thief]);
        let price = transfer_price(scheme);
        let refused = |session: &mut Session, input: Vec<u8>, message: &str| {
            assert_reverted(
                &session
                    .call(wallet, "transfer", &input, GAS)
                    .expect("no VM fault"),
                message,
                price,
            );
        };
        let invalid = "signature does not verify (status 0)";
        let (from, to) = (key.id(), thief.id());

        // Another amount, another payee or another nonce than signed.
        let signed =
            |amount: u64, nonce: u64| key.sign(&transfer_payload(wallet, from, nonce, to, amount));
        refused(
            &mut session,
            encode(&(from, to, 900u64, 0u64, signed(100, 0))),
            invalid,
        );
        refused(
            &mut session,
            encode(&(from, [9u8; 32], 100u64, 0u64, signed(100, 0))),
            invalid,
        );
        // The thief signs a transfer out of the key's account.
        let forged = thief.sign(&transfer_payload(wallet, from, 0, to, 100));
        refused(
            &mut session,
            encode(&(from, to, 100u64, 0u64, forged)),
            invalid,
        );
        // A signature for another wallet, and the key's registration signature.
        let elsewhere = key.sign(&transfer_payload(ContractId([5; 32]), from, 0, to, 100));
        refused(
            &mut session,
            encode(&(from, to, 100u64, 0u64, elsewhere)),
            invalid,
        );
        let registration = key.sign(&domain_payload(
            REGISTER_DOMAIN,
            wallet,
            &encode(&(scheme, key.public())),
        ));
        refused(
            &mut session,
            encode(&(from, to, 100u64, 0u64, registration)),
            invalid,
        );
        // A flipped bit in the last byte of the signature, and a truncated signature.
        let mut flipped = signed(100, 0);
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let status = native_status(
            scheme,
            &key,
            &transfer_payload(wallet, from, 0, to, 100),
            &flipped,
        );
        let expected = if status == 0 {
            invalid.to_string()
        } else {
            format!("malformed key or signature (status {status})")
        };
        refused(
            &mut session,
            encode(&(from, to, 100u64, 0u64, flipped)),
            &expected,
        );
        refused(
            &mut session,
            encode(&(from, to, 100u64, 0u64, signed(100, 0)[..63].to_vec())),
            "malformed key or signature (status -1)",
        );
        // A nonce from the future; an overdraft, properly signed (the nonce is not consumed).
        let r = session
            .call(wallet, "transfer", &key.transfer(wallet, to, 100, 1), GAS)
            .expect("no VM fault");
        assert_eq!(revert_message(&r), "wrong nonce: expected 0, got 1");
        refused(
            &mut session,
            key.transfer(wallet, to, 1_001, 0),
            "insufficient balance: have 1000, need 1001",
        );

        assert_eq!(balance(&mut session, wallet, from), 1_000);
        output::<()>(
            &session
                .call(wallet, "transfer", &key.transfer(wallet, to, 100, 0), GAS)
                .expect("no VM fault"),
        );
        assert_eq!(balance(&mut session, wallet, to), 1_100);
    }
}

/// What `shortcrust_crypto` answers natively for `signature` over `payload` by `key`.
fn native_status(scheme: u8, key: &Key, payload: &[u8], signature: &[u8]) -> i32 {
    let pk = key.public();
    match scheme {
        SCHNORR => shortcrust_crypto::verify_schnorr(
            &pk,
            &shortcrust_crypto::hash_to_scalar(payload),
            signature,
        ),
        BIP340 => {
            shortcrust_crypto::verify_bip340(&pk, &shortcrust_crypto::sha256(payload), signature)
        }
        _ => shortcrust_crypto::verify_ed25519(&pk, payload, signature),
    }
}

#[test]
fn registration_needs_the_keys_signature_and_a_known_scheme() {
    let (_vm, mut session) = new_session();
    let wallet = deploy(&mut session, WALLET);
    set_sender(&mut session, RELAYER);
    let schnorr = Key::new(SCHNORR, 5);
    let ed = Key::new(ED25519, 5);
    let payload = |scheme: u8, public: [u8; 32]| {
        domain_payload(REGISTER_DOMAIN, wallet, &encode(&(scheme, public)))
    };
    let view: Vec<u8> = output(
        &session
            .query(
                wallet,
                "register_payload",
                &encode(&(SCHNORR, schnorr.public())),
                GAS,
            )
            .expect("no VM fault"),
    );
    assert_eq!(view, payload(SCHNORR, schnorr.public()));

    // Someone else's signature over the key's registration.
    let by_other = Key::new(SCHNORR, 6).sign(&payload(SCHNORR, schnorr.public()));
    let r = session
        .call(
            wallet,
            "register",
            &encode(&(SCHNORR, schnorr.public(), by_other)),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "signature does not verify (status 0)");
    // An Ed25519 key registered as BIP-340 with its Ed25519 signature.
    let misfiled_payload = payload(BIP340, ed.public());
    let misfiled = ed.sign(&misfiled_payload);
    let status = shortcrust_crypto::verify_bip340(
        &ed.public(),
        &shortcrust_crypto::sha256(&misfiled_payload),
        &misfiled,
    );
    assert!(status <= 0, "never valid");
    let expected = if status == 0 {
        "signature does not verify (status 0)".to_string()
    } else {
        format!("malformed key or signature (status {status})")
    };
    let r = session
        .call(
            wallet,
            "register",
            &encode(&(BIP340, ed.public(), misfiled)),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), expected);
    let r = session
        .call(
            wallet,
            "register",
            &encode(&(4u8, ed.public(), vec![0u8; 64])),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "unknown signature scheme 4");
    // A JubJub key that is not a canonical point.
    let r = session
        .call(
            wallet,
            "register",
            &encode(&(SCHNORR, [0xffu8; 32], vec![0u8; 64])),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "malformed key or signature (status -2)");

    let receipt = session
        .call(wallet, "register", &schnorr.registration(wallet), GAS)
        .expect("no VM fault");
    assert_eq!(output::<[u8; 32]>(&receipt), schnorr.id());
    let r = session
        .call(wallet, "register", &schnorr.registration(wallet), GAS)
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "account already registered");
    // The same 32 bytes under another scheme are another account.
    assert_ne!(Key::new(ED25519, 5).id(), schnorr.id());
    let r = session
        .call(
            wallet,
            "transfer",
            &encode(&([8u8; 32], [9u8; 32], 1u64, 0u64, vec![0u8; 64])),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "unknown account");
    let r = session
        .call(wallet, "mint", &encode(&(schnorr.id(), 5u64)), GAS)
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "only the owner may mint");
}
