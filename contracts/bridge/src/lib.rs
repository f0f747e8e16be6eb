//! `bridge`: mints a wrapped token when a Groth16-BN254 proof shows that a deposit was made on
//! another chain — the Ethereum-tooling scenario: the statement is a circom circuit, the keys
//! and proofs come from snarkjs.
//!
//! The owner registers the circuit's verifying key in the host encoding (convert snarkjs'
//! `verification_key.json` off-chain with `shortcrust_crypto::snarkjs`, or in the CLI). Anyone
//! may then submit `claim(proof, public_signals)` (a relayer, typically): the tokens go to the
//! recipient the proof names, never to the submitter, so a claim seen in flight cannot be
//! redirected.
//!
//! # The statement: four public signals
//!
//! Public signals are BN254 field elements, 32 bytes big-endian each (snarkjs' `public.json`
//! order: outputs first, then public inputs):
//!
//! | index | signal | rule enforced here (and by the circuit) |
//! |---|---|---|
//! | 0 | `nullifier` | unique per deposit; a second claim with it is refused |
//! | 1 | `recipient_hi` | `< 2^128`: the first 16 bytes of the 32-byte recipient |
//! | 2 | `recipient_lo` | `< 2^128`: the last 16 bytes |
//! | 3 | `amount` | `0 < amount < 2^64` |
//!
//! So the registered key must be for exactly four public inputs (`232 + 32 × 5 = 392` bytes,
//! checked at registration). A key replacement (circuit upgrade) keeps every nullifier spent.
//!
//! | entry point | who | what |
//! |---|---|---|
//! | `register_verifying_key(verifying_key: Vec<u8>)` | owner | sets (or replaces) the key |
//! | `claim(proof: Vec<u8>, public_signals: Vec<[u8; 32]>) -> u64` | anyone | verifies, mints `amount` to the recipient, returns the amount |
//! | `transfer(to: [u8; 32], amount: u64)` | holder | moves wrapped tokens |
//! | `balance_of(account: [u8; 32]) -> u64`, `total_supply() -> u64` | anyone | |
//! | `is_claimed(nullifier: [u8; 32]) -> bool` | anyone | |
//! | `verifying_key_hash() -> Option<[u8; 32]>` | anyone | BLAKE2b-256 of the registered key |
//!
//! Events: `verifying_key` with the key's BLAKE2b-256 hash; `claim` with `(nullifier, recipient,
//! amount)`; `transfer` with `(from, to, amount)`. Every refusal reverts with a message; a proof
//! that fails gives the host's status in it (`0`: does not verify; negative: malformed).
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::vec::Vec;

use shortcrust_sdk::crypto::{self, Status};
use shortcrust_sdk::{caller, emit, owner, revert, storage};

/// Account id: a transaction's sender or a contract.
type Account = [u8; 32];

/// Number of public signals of the statement.
const SIGNALS: usize = 4;
/// Length of a host-encoded verifying key for [`SIGNALS`] public inputs:
/// `alpha (32) ‖ beta, gamma, delta (64 each) ‖ k (u64) ‖ k × ic (32 each)` with `k = SIGNALS + 1`.
const VERIFYING_KEY_LEN: usize = 232 + 32 * (SIGNALS + 1);
/// Where `k` (the number of `ic` points, little-endian `u64`) sits in the key.
const IC_COUNT_OFFSET: usize = 224;

const VERIFYING_KEY: &[u8] = b"vk";
const TOTAL_SUPPLY: &[u8] = b"supply";

fn balance_key(account: &Account) -> [u8; 33] {
    prefixed(b'b', account)
}

fn nullifier_key(nullifier: &[u8; 32]) -> [u8; 33] {
    prefixed(b'n', nullifier)
}

fn prefixed(prefix: u8, id: &[u8; 32]) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = prefix;
    key[1..].copy_from_slice(id);
    key
}

fn balance(account: &Account) -> u64 {
    storage::get_or(&balance_key(account), 0u64)
}

fn set_balance(account: &Account, amount: u64) {
    let key = balance_key(account);
    if amount == 0 {
        storage::remove(&key);
    } else {
        storage::set(&key, &amount);
    }
}

/// The low `N` bytes of a big-endian field element whose higher bytes must be zero, i.e. the
/// element as an `8 N`-bit number; `None` if it is larger.
fn low_bytes<const N: usize>(element: &[u8; 32]) -> Option<[u8; N]> {
    let (high, low) = element.split_at(32 - N);
    if high.iter().any(|&b| b != 0) {
        return None;
    }
    low.try_into().ok()
}

/// The claim a set of public signals makes, checked against the layout.
struct Claim {
    nullifier: [u8; 32],
    recipient: Account,
    amount: u64,
}

fn parse_signals(signals: &[[u8; 32]]) -> Claim {
    let [nullifier, hi, lo, amount] = signals else {
        revert(&format!(
            "expected {SIGNALS} public signals [nullifier, recipient_hi, recipient_lo, amount], got {}",
            signals.len()
        ));
    };
    let (Some(hi), Some(lo)) = (low_bytes::<16>(hi), low_bytes::<16>(lo)) else {
        revert("recipient halves must be below 2^128");
    };
    let Some(amount) = low_bytes::<8>(amount).map(u64::from_be_bytes) else {
        revert("amount must be below 2^64");
    };
    if amount == 0 {
        revert("amount must be positive");
    }
    let mut recipient = [0u8; 32];
    recipient[..16].copy_from_slice(&hi);
    recipient[16..].copy_from_slice(&lo);
    Claim {
        nullifier: *nullifier,
        recipient,
        amount,
    }
}

shortcrust_sdk::entry_points! {
    /// Sets the Groth16 verifying key (host encoding, four public inputs). Owner only.
    fn register_verifying_key(verifying_key: Vec<u8>) {
        if caller().to_bytes() != owner() {
            revert("only the owner may register the verifying key");
        }
        if verifying_key.len() != VERIFYING_KEY_LEN {
            revert(&format!(
                "a verifying key for {SIGNALS} public signals is {VERIFYING_KEY_LEN} bytes, got {}",
                verifying_key.len()
            ));
        }
        let ic_count = verifying_key
            .get(IC_COUNT_OFFSET..IC_COUNT_OFFSET + 8)
            .and_then(|bytes| bytes.try_into().ok())
            .map(u64::from_le_bytes);
        if ic_count != Some(SIGNALS as u64 + 1) {
            revert("the verifying key does not declare 4 public inputs");
        }
        storage::set_raw(VERIFYING_KEY, &verifying_key);
        emit("verifying_key", &crypto::blake2b_256(&verifying_key));
    }

    /// Mints `amount` to the recipient named by the public signals if the proof verifies and the
    /// nullifier is fresh. Anyone may submit. Returns the amount minted.
    fn claim(proof: Vec<u8>, public_signals: Vec<[u8; 32]>) -> u64 {
        let Some(verifying_key) = storage::get_raw(VERIFYING_KEY) else {
            revert("no verifying key registered");
        };
        let claim = parse_signals(&public_signals);
        let spent = nullifier_key(&claim.nullifier);
        if storage::contains(&spent) {
            revert("nullifier already claimed");
        }
        let status = crypto::verify_groth16_bn254(
            &verifying_key,
            &proof,
            public_signals.as_flattened(),
        );
        match status {
            Status::Valid => {}
            Status::Invalid => revert("proof does not verify (status 0)"),
            other => revert(&format!("malformed proof or signals (status {})", other.code())),
        }
        let supply = storage::get_or(TOTAL_SUPPLY, 0u64);
        let Some(new_supply) = supply.checked_add(claim.amount) else {
            revert("total supply would overflow u64");
        };
        storage::set(TOTAL_SUPPLY, &new_supply);
        storage::set(&spent, &true);
        // Every balance is at most the supply, so this cannot overflow.
        set_balance(&claim.recipient, balance(&claim.recipient) + claim.amount);
        emit("claim", &(claim.nullifier, claim.recipient, claim.amount));
        claim.amount
    }

    /// Moves `amount` wrapped tokens from the caller to `to`.
    fn transfer(to: [u8; 32], amount: u64) {
        let from = caller().to_bytes();
        let have = balance(&from);
        if have < amount {
            revert(&format!("insufficient balance: have {have}, need {amount}"));
        }
        if from != to {
            set_balance(&from, have - amount);
            set_balance(&to, balance(&to) + amount);
        }
        emit("transfer", &(from, to, amount));
    }

    /// Wrapped tokens held by `account`.
    fn balance_of(account: [u8; 32]) -> u64 {
        balance(&account)
    }

    /// Wrapped tokens in existence: the sum of all claims.
    fn total_supply() -> u64 {
        storage::get_or(TOTAL_SUPPLY, 0u64)
    }

    /// Whether a claim with this nullifier has been paid.
    fn is_claimed(nullifier: [u8; 32]) -> bool {
        storage::contains(&nullifier_key(&nullifier))
    }

    /// BLAKE2b-256 of the registered verifying key, if any.
    fn verifying_key_hash() -> Option<[u8; 32]> {
        storage::get_raw(VERIFYING_KEY).map(|key| crypto::blake2b_256(&key))
    }
}
