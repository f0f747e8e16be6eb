//! `wallet`: accounts controlled by a signature key instead of a sender — the account-abstraction
//! scenario. Each account picks its signature scheme when it registers: Dusk's Schnorr over
//! JubJub, BIP-340 Schnorr over secp256k1 (Bitcoin's Taproot keys) or Ed25519. A transfer is
//! authorized by a signature over `(nonce, to, amount)` and can be submitted by anyone (a relayer);
//! the account's nonce makes every signed transfer usable once.
//!
//! # Schemes and what is signed
//!
//! | code | scheme | key | what the key signs (`payload` below) | host function |
//! |---|---|---|---|---|
//! | `1` | Dusk Schnorr (JubJub, Poseidon) | 32-byte compressed JubJub point | `hash_to_scalar(payload)`, one BLS12-381 scalar, as Dusk signs | `verify_schnorr` |
//! | `2` | BIP-340 | 32-byte x-only key | `sha256(payload)`, a 32-byte digest, as Bitcoin signs | `verify_bip340` |
//! | `3` | Ed25519 (RFC 8032, strict) | 32-byte key | `payload` itself | `verify_ed25519` |
//!
//! The account id is `blake2b_256([scheme] ‖ public_key)`: the same 32 bytes under two schemes
//! are two accounts. Payloads are borsh encodings that start with a domain string and bind this
//! contract and the chain, so a signature is valid for one purpose, here, only:
//!
//! - registration: `("shortcrust-wallet/register/v1", wallet id, chain id, scheme, public_key)`;
//!   registering needs a signature by the key (proof of possession), so an account always has
//!   a working key and nobody registers a key they do not hold;
//! - transfer: `("shortcrust-wallet/transfer/v1", wallet id, chain id, from, nonce, to, amount)`,
//!   where `nonce` must be the account's next nonce (`0` for the first transfer).
//!
//! Funds may be sent to any 32-byte id, registered or not: an id is derived from a key, so the
//! key's holder can register later and spend them.
//!
//! | entry point | who | what |
//! |---|---|---|
//! | `register(scheme: u8, public_key: [u8; 32], signature: Vec<u8>) -> [u8; 32]` | anyone | creates the account, returns its id |
//! | `mint(account: [u8; 32], amount: u64)` | owner | credits an account |
//! | `transfer(from: [u8; 32], to: [u8; 32], amount: u64, nonce: u64, signature: Vec<u8>)` | anyone | moves funds if `from`'s key signed |
//! | `account(id: [u8; 32]) -> Option<Account>`, `balance_of(id: [u8; 32]) -> u64` | anyone | |
//! | `account_id(scheme: u8, public_key: [u8; 32]) -> [u8; 32]` | anyone | |
//! | `register_payload(scheme, public_key) -> Vec<u8>`, `transfer_payload(from, nonce, to, amount) -> Vec<u8>` | anyone | what keys sign, before the scheme's hashing |
//!
//! Events: `registered` with `(id, scheme, public_key)`; `mint` with `(account, amount)`;
//! `transfer` with `(from, to, amount, nonce)`. A signature that fails reverts with the host's
//! status in the message (`0`: does not verify; negative: malformed).
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::vec::Vec;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_sdk::crypto::{self, Status};
use shortcrust_sdk::{caller, chain_id, emit, owner, revert, self_id, storage};

/// Dusk's Schnorr signatures over JubJub.
pub const SCHNORR: u8 = 1;
/// BIP-340 Schnorr signatures over secp256k1.
pub const BIP340: u8 = 2;
/// Ed25519 signatures.
pub const ED25519: u8 = 3;

const REGISTER_DOMAIN: &[u8] = b"shortcrust-wallet/register/v1";
const TRANSFER_DOMAIN: &[u8] = b"shortcrust-wallet/transfer/v1";

/// A registered account.
#[derive(BorshSerialize, BorshDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub scheme: u8,
    pub public_key: [u8; 32],
    /// The nonce the next transfer must carry.
    pub nonce: u64,
}

fn account_key(id: &[u8; 32]) -> [u8; 33] {
    prefixed(b'a', id)
}

fn balance_key(id: &[u8; 32]) -> [u8; 33] {
    prefixed(b'b', id)
}

fn prefixed(prefix: u8, id: &[u8; 32]) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = prefix;
    key[1..].copy_from_slice(id);
    key
}

fn balance(id: &[u8; 32]) -> u64 {
    storage::get_or(&balance_key(id), 0u64)
}

fn set_balance(id: &[u8; 32], amount: u64) {
    let key = balance_key(id);
    if amount == 0 {
        storage::remove(&key);
    } else {
        storage::set(&key, &amount);
    }
}

fn id_of(scheme: u8, public_key: &[u8; 32]) -> [u8; 32] {
    let mut material = [0u8; 33];
    material[0] = scheme;
    material[1..].copy_from_slice(public_key);
    crypto::blake2b_256(&material)
}

fn registration_payload(scheme: u8, public_key: &[u8; 32]) -> Vec<u8> {
    shortcrust_sdk::encode(&(REGISTER_DOMAIN, self_id().0, chain_id(), scheme, public_key))
}

fn transfer_payload_of(from: &[u8; 32], nonce: u64, to: &[u8; 32], amount: u64) -> Vec<u8> {
    shortcrust_sdk::encode(&(
        TRANSFER_DOMAIN,
        self_id().0,
        chain_id(),
        from,
        nonce,
        to,
        amount,
    ))
}

/// Checks `signature` by `public_key` under `scheme` over `payload` (hashed as the scheme
/// signs it); reverts with the host's status if it fails.
fn check_signature(scheme: u8, public_key: &[u8; 32], payload: &[u8], signature: &[u8]) {
    let status = match scheme {
        SCHNORR => crypto::verify_schnorr(public_key, &crypto::hash_to_scalar(payload), signature),
        BIP340 => crypto::verify_bip340(public_key, &crypto::sha256(payload), signature),
        ED25519 => crypto::verify_ed25519(public_key, payload, signature),
        other => revert(&format!("unknown signature scheme {other}")),
    };
    match status {
        Status::Valid => {}
        Status::Invalid => revert("signature does not verify (status 0)"),
        other => revert(&format!(
            "malformed key or signature (status {})",
            other.code()
        )),
    }
}

shortcrust_sdk::entry_points! {
    /// Registers an account for `public_key` under `scheme` (1 Schnorr, 2 BIP-340, 3 Ed25519);
    /// `signature` is the key's signature over `register_payload(scheme, public_key)`.
    fn register(scheme: u8, public_key: [u8; 32], signature: Vec<u8>) -> [u8; 32] {
        let id = id_of(scheme, &public_key);
        if storage::contains(&account_key(&id)) {
            revert("account already registered");
        }
        check_signature(scheme, &public_key, &registration_payload(scheme, &public_key), &signature);
        storage::set(&account_key(&id), &Account { scheme, public_key, nonce: 0 });
        emit("registered", &(id, scheme, public_key));
        id
    }

    /// Credits `amount` to `account`. Owner only.
    fn mint(account: [u8; 32], amount: u64) {
        if caller().to_bytes() != owner() {
            revert("only the owner may mint");
        }
        let Some(credited) = balance(&account).checked_add(amount) else {
            revert("balance would overflow u64");
        };
        set_balance(&account, credited);
        emit("mint", &(account, amount));
    }

    /// Moves `amount` from `from` to `to` if `from`'s key signed
    /// `transfer_payload(from, nonce, to, amount)` and `nonce` is its next nonce.
    fn transfer(from: [u8; 32], to: [u8; 32], amount: u64, nonce: u64, signature: Vec<u8>) {
        let Some(mut account) = storage::get::<Account>(&account_key(&from)) else {
            revert("unknown account");
        };
        if nonce != account.nonce {
            revert(&format!("wrong nonce: expected {}, got {nonce}", account.nonce));
        }
        let payload = transfer_payload_of(&from, nonce, &to, amount);
        check_signature(account.scheme, &account.public_key, &payload, &signature);
        let have = balance(&from);
        if have < amount {
            revert(&format!("insufficient balance: have {have}, need {amount}"));
        }
        if from != to {
            let Some(credited) = balance(&to).checked_add(amount) else {
                revert("balance would overflow u64");
            };
            set_balance(&from, have - amount);
            set_balance(&to, credited);
        }
        // The signature is used up: the nonce moves on (and never wraps back to a used one).
        let Some(next) = nonce.checked_add(1) else {
            revert("nonces exhausted");
        };
        account.nonce = next;
        storage::set(&account_key(&from), &account);
        emit("transfer", &(from, to, amount, nonce));
    }

    /// The account registered under `id`.
    fn account(id: [u8; 32]) -> Option<Account> {
        storage::get(&account_key(&id))
    }

    /// The balance held by `id`.
    fn balance_of(id: [u8; 32]) -> u64 {
        balance(&id)
    }

    /// The id of the account for `public_key` under `scheme`.
    fn account_id(scheme: u8, public_key: [u8; 32]) -> [u8; 32] {
        id_of(scheme, &public_key)
    }

    /// The payload a key signs to register (before the scheme's hashing).
    fn register_payload(scheme: u8, public_key: [u8; 32]) -> Vec<u8> {
        registration_payload(scheme, &public_key)
    }

    /// The payload `from`'s key signs to authorize a transfer (before the scheme's hashing).
    fn transfer_payload(from: [u8; 32], nonce: u64, to: [u8; 32], amount: u64) -> Vec<u8> {
        transfer_payload_of(&from, nonce, &to, amount)
    }
}
