//! Scenario 4, account abstraction (`contracts/wallet`): accounts controlled by a signature
//! key instead of a sender, each of its own scheme — Dusk Schnorr over JubJub (jubjub-schnorr),
//! BIP-340 over secp256k1 (k256) and Ed25519 (ed25519-dalek). Registering takes a signature by
//! the key; a transfer is authorised by the account's signature over `(nonce, to, amount)`, so
//! a relayer can submit it, and the nonce makes each signed transfer usable once.
//!
//! The operator funds the Schnorr account with 1,000; it pays the BIP-340 account 300 (the same
//! signed transfer replayed is refused), which pays the Ed25519 account 100, which pays 50 back.

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use jubjub_schnorr::{PublicKey as SchnorrPublicKey, SecretKey as SchnorrSecretKey};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_test_contracts::client::wallet::{REGISTER_DOMAIN, TRANSFER_DOMAIN};
use shortcrust_vm::ContractId;

use super::{Expect, OPERATOR, RELAYER, Tour, domain_payload, encode};
use crate::error::CliError;

/// A key of one of the three schemes, signing exactly what the wallet expects of it.
enum Key {
    Schnorr(SchnorrSecretKey),
    Bip340(k256::schnorr::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

fn failed(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Vm(format!("demo fixture: {what}: {e}"))
}

impl Key {
    /// The scheme's code in the wallet.
    fn scheme(&self) -> u8 {
        match self {
            Key::Schnorr(_) => 1,
            Key::Bip340(_) => 2,
            Key::Ed25519(_) => 3,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Key::Schnorr(_) => "schnorr-acct",
            Key::Bip340(_) => "bip340-acct",
            Key::Ed25519(_) => "ed25519-acct",
        }
    }

    fn public(&self) -> [u8; 32] {
        match self {
            Key::Schnorr(sk) => SchnorrPublicKey::from(sk).to_bytes(),
            Key::Bip340(sk) => sk.verifying_key().to_bytes().into(),
            Key::Ed25519(sk) => sk.verifying_key().to_bytes(),
        }
    }

    /// Signs `payload` as the wallet's docs say: Schnorr signs `hash_to_scalar(payload)`
    /// (nonce from an rng seeded by the payload, so deterministic and never reused across
    /// messages), BIP-340 `sha256(payload)` (fixed auxiliary randomness), Ed25519 the payload.
    fn sign(&self, payload: &[u8]) -> Result<Vec<u8>, CliError> {
        Ok(match self {
            Key::Schnorr(sk) => {
                let seed = shortcrust_crypto::blake2b_256(&[b"demo nonce ", payload].concat());
                let mut rng = ChaCha20Rng::from_seed(seed);
                sk.sign(&mut rng, BlsScalar::hash_to_scalar(payload))
                    .to_bytes()
                    .to_vec()
            }
            Key::Bip340(sk) => sk
                .sign_raw(&shortcrust_crypto::sha256(payload), &[0x5a; 32])
                .map_err(|e| failed("BIP-340 signing", e))?
                .to_bytes()
                .to_vec(),
            Key::Ed25519(sk) => ed25519_dalek::Signer::sign(sk, payload).to_bytes().to_vec(),
        })
    }

    /// The account id the wallet derives: `blake2b_256([scheme] ‖ public_key)`.
    fn id(&self) -> [u8; 32] {
        shortcrust_crypto::blake2b_256(&[&[self.scheme()][..], &self.public()].concat())
    }

    fn registration(&self, wallet: ContractId) -> Result<Vec<u8>, CliError> {
        let signed = encode(&(self.scheme(), self.public()));
        let payload = domain_payload(REGISTER_DOMAIN, wallet, &signed);
        Ok(encode(&(
            self.scheme(),
            self.public(),
            self.sign(&payload)?,
        )))
    }

    /// `transfer`'s input, signed by this key.
    fn transfer(
        &self,
        wallet: ContractId,
        to: &Key,
        amount: u64,
        nonce: u64,
    ) -> Result<Vec<u8>, CliError> {
        let signed = encode(&(self.id(), nonce, to.id(), amount));
        let signature = self.sign(&domain_payload(TRANSFER_DOMAIN, wallet, &signed))?;
        Ok(encode(&(self.id(), to.id(), amount, nonce, signature)))
    }
}

pub fn run(tour: &mut Tour) -> Result<(), CliError> {
    tour.scenario("wallet");
    let wallet = tour.id("wallet")?;
    let schnorr = Key::Schnorr(SchnorrSecretKey::random(&mut ChaCha20Rng::seed_from_u64(
        0x51,
    )));
    let bip340 = Key::Bip340(
        k256::schnorr::SigningKey::from_bytes(&[0x52; 32].into())
            .map_err(|e| failed("BIP-340 key", e))?,
    );
    let ed25519 = Key::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[0x53; 32]));
    for (key, scheme) in [
        (&schnorr, "Dusk Schnorr"),
        (&bip340, "BIP-340"),
        (&ed25519, "Ed25519"),
    ] {
        tour.name(key.id(), key.name());
        tour.call(
            RELAYER,
            "wallet",
            "register",
            key.registration(wallet)?,
            format!("{} registers its {scheme} key", key.name()),
            Expect::Returns(encode(&key.id())),
        )?;
    }
    tour.call(
        OPERATOR,
        "wallet",
        "mint",
        encode(&(schnorr.id(), 1_000u64)),
        "operator funds schnorr-acct with 1,000",
        Expect::Ok,
    )?;
    let first = schnorr.transfer(wallet, &bip340, 300, 0)?;
    tour.call(
        RELAYER,
        "wallet",
        "transfer",
        first.clone(),
        "schnorr-acct pays bip340-acct 300 (nonce 0)",
        Expect::Ok,
    )?;
    tour.call(
        RELAYER,
        "wallet",
        "transfer",
        first,
        "the same signed transfer, replayed",
        Expect::Refused("wrong nonce: expected 1, got 0"),
    )?;
    tour.call(
        RELAYER,
        "wallet",
        "transfer",
        bip340.transfer(wallet, &ed25519, 100, 0)?,
        "bip340-acct pays ed25519-acct 100 (nonce 0)",
        Expect::Ok,
    )?;
    tour.call(
        RELAYER,
        "wallet",
        "transfer",
        ed25519.transfer(wallet, &schnorr, 50, 0)?,
        "ed25519-acct pays schnorr-acct 50 (nonce 0)",
        Expect::Ok,
    )?;
    Ok(())
}
