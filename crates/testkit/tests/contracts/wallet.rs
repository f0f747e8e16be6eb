//! `contracts/wallet`: an account of each signature scheme (Dusk Schnorr from jubjub-schnorr,
//! BIP-340 from k256, Ed25519 from ed25519-dalek) registers with its key's signature, receives a
//! mint and sends through a relayer; a replayed or forged transfer is refused. The VM-level
//! tests (`crates/vm/tests/crypto/wallet.rs`) cover the other malformed inputs.

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use ed25519_dalek::Signer as _;
use jubjub_schnorr::{PublicKey as SchnorrPublicKey, SecretKey as SchnorrSecretKey};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_test_contracts::WALLET;
use shortcrust_test_contracts::client::wallet::{Account, REGISTER_DOMAIN, TRANSFER_DOMAIN};
use shortcrust_testkit::Harness;
use shortcrust_vm::ContractId;

use super::{domain_payload, encode};

/// A key of one of the wallet's three schemes, signing what the wallet expects of it.
enum Key {
    Schnorr(SchnorrSecretKey),
    Bip340(k256::schnorr::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl Key {
    /// The three schemes' keys from `seed`, with their names and scheme numbers.
    fn all(seed: u8) -> [(&'static str, Key); 3] {
        [
            (
                "schnorr",
                Key::Schnorr(SchnorrSecretKey::random(&mut ChaCha20Rng::seed_from_u64(
                    seed.into(),
                ))),
            ),
            (
                "bip340",
                Key::Bip340(
                    k256::schnorr::SigningKey::from_slice(&[seed; 32]).expect("valid secret"),
                ),
            ),
            (
                "ed25519",
                Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[seed; 32])),
            ),
        ]
    }

    fn scheme(&self) -> u8 {
        match self {
            Key::Schnorr(_) => 1,
            Key::Bip340(_) => 2,
            Key::Ed25519(_) => 3,
        }
    }

    fn public(&self) -> [u8; 32] {
        match self {
            Key::Schnorr(sk) => SchnorrPublicKey::from(sk).to_bytes(),
            Key::Bip340(sk) => sk.verifying_key().to_bytes().into(),
            Key::Ed25519(sk) => sk.verifying_key().to_bytes(),
        }
    }

    /// Signs `payload` as the wallet's docs say: Schnorr signs `hash_to_scalar(payload)`,
    /// BIP-340 `sha256(payload)`, Ed25519 the payload itself.
    fn sign(&self, payload: &[u8]) -> Vec<u8> {
        match self {
            Key::Schnorr(sk) => {
                let mut rng = ChaCha20Rng::seed_from_u64(payload.len() as u64);
                sk.sign(&mut rng, BlsScalar::hash_to_scalar(payload))
                    .to_bytes()
                    .to_vec()
            }
            Key::Bip340(sk) => sk
                .sign_raw(&shortcrust_crypto::sha256(payload), &[0x5a; 32])
                .expect("signs")
                .to_bytes()
                .to_vec(),
            Key::Ed25519(sk) => sk.sign(payload).to_bytes().to_vec(),
        }
    }

    /// The account id the wallet derives: `blake2b_256([scheme] ‖ public_key)`.
    fn id(&self) -> [u8; 32] {
        let mut material = vec![self.scheme()];
        material.extend_from_slice(&self.public());
        shortcrust_crypto::blake2b_256(&material)
    }

    /// `register`'s arguments, signed by this key.
    fn registration(&self, wallet: ContractId) -> (u8, [u8; 32], Vec<u8>) {
        let rest = encode(&(self.scheme(), self.public()));
        let signature = self.sign(&domain_payload(REGISTER_DOMAIN, wallet, &rest));
        (self.scheme(), self.public(), signature)
    }

    /// `transfer`'s arguments, signed by `signer` (this key unless forged).
    fn transfer(
        &self,
        signer: &Key,
        wallet: ContractId,
        to: [u8; 32],
        amount: u64,
        nonce: u64,
    ) -> ([u8; 32], [u8; 32], u64, u64, Vec<u8>) {
        let rest = encode(&(self.id(), nonce, to, amount));
        let signature = signer.sign(&domain_payload(TRANSFER_DOMAIN, wallet, &rest));
        (self.id(), to, amount, nonce, signature)
    }
}

#[test]
fn each_scheme_registers_and_transfers_and_refuses_replays_and_forgeries() {
    let mut h = Harness::new().expect("harness");
    let owner = h.account("deployer");
    let relayer = h.account("relayer");
    let wallet = h.deploy("wallet", WALLET).expect("deploy");
    let mut gas = super::snapshot("wallet");

    for ((name, key), (_, payee)) in Key::all(1).into_iter().zip(Key::all(2)) {
        let registered = h
            .call(relayer, wallet, "register", &key.registration(wallet))
            .expect("call");
        assert_eq!(registered.value::<[u8; 32]>(), Ok(key.id()));
        registered.assert_event(
            "registered",
            &encode(&(key.id(), key.scheme(), key.public())),
        );
        gas.record(&format!("register ({name})"), registered.gas());
        let account = h
            .query(relayer, wallet, "account", &key.id())
            .expect("query");
        assert_eq!(
            account.value::<Option<Account>>(),
            Ok(Some(Account {
                scheme: key.scheme(),
                public_key: key.public(),
                nonce: 0
            }))
        );
        h.call(relayer, wallet, "register", &key.registration(wallet))
            .expect("call")
            .assert_reverted("account already registered");
        h.call(relayer, wallet, "mint", &(key.id(), 1_000u64))
            .expect("call")
            .assert_reverted("only the owner may mint");
        h.call(owner, wallet, "mint", &(key.id(), 1_000u64))
            .expect("call")
            .assert_ok()
            .assert_event("mint", &encode(&(key.id(), 1_000u64)));

        // To an id nobody registered yet: its key's holder can register and spend later.
        let first = key.transfer(&key, wallet, payee.id(), 300, 0);
        let sent = h.call(relayer, wallet, "transfer", &first).expect("call");
        sent.assert_ok()
            .assert_event("transfer", &encode(&(key.id(), payee.id(), 300u64, 0u64)));
        gas.record(&format!("transfer ({name}, new payee)"), sent.gas());
        h.call(relayer, wallet, "transfer", &first)
            .expect("call")
            .assert_reverted("wrong nonce: expected 1, got 0");
        let forged = key.transfer(&payee, wallet, payee.id(), 700, 1);
        h.call(relayer, wallet, "transfer", &forged)
            .expect("call")
            .assert_reverted("signature does not verify (status 0)");
        let mut tampered = key.transfer(&key, wallet, payee.id(), 100, 1);
        tampered.2 = 700;
        h.call(relayer, wallet, "transfer", &tampered)
            .expect("call")
            .assert_reverted("signature does not verify (status 0)");
        h.call(
            relayer,
            wallet,
            "transfer",
            &key.transfer(&key, wallet, payee.id(), 701, 1),
        )
        .expect("call")
        .assert_reverted("insufficient balance: have 700, need 701");

        // The payee registers and sends everything back.
        h.call(relayer, wallet, "register", &payee.registration(wallet))
            .expect("call")
            .assert_ok();
        let back = payee.transfer(&payee, wallet, key.id(), 300, 0);
        let back = h.call(relayer, wallet, "transfer", &back).expect("call");
        back.assert_ok();
        gas.record(&format!("transfer ({name}, existing payee)"), back.gas());
        for (id, expected) in [(key.id(), 1_000u64), (payee.id(), 0)] {
            let balance = h.query(relayer, wallet, "balance_of", &id).expect("query");
            assert_eq!(balance.value::<u64>(), Ok(expected), "{name}");
        }
    }
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
