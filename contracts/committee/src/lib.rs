//! `committee`: a staking and attestation registry — the consensus-layer scenario. Members
//! register BLS keys with a proof of possession; a message attested by members holding more than
//! two thirds of the registered stake is verified with one fast-aggregate BLS check and recorded
//! as the outcome of its round.
//!
//! # Scheme and proofs of possession
//!
//! Keys and signatures follow the IETF ciphersuite of Ethereum's consensus layer (min-pk:
//! 48-byte G1 keys, 96-byte G2 signatures), verified with `verify_bls` and
//! `verify_bls_aggregate` (`FAST`). Fast aggregation just adds the keys, so it is only sound if
//! every key's owner proved knowledge of its secret key when registering (otherwise one member
//! could register `pk' = x·G − pk_victim` and forge the victim's vote).
//!
//! The proof of possession is that ciphersuite's standard one (`PopProve` in the IETF BLS
//! draft, as blst or py_ecc's `G2ProofOfPossession` make it): the key's signature of its own 48
//! compressed bytes under the separate tag `BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`,
//! checked by `verify_bls` with the `IetfPopProof` scheme. Members bring what standard tooling
//! produces, no contract-specific message is needed, and no attestation (signed under the
//! ordinary tag) can be replayed as a proof.
//!
//! # One member per key
//!
//! A standard proof names neither the member nor this committee: anyone who sees a key and its
//! proof can submit them again. A key is therefore registered at most once across all members
//! (`register_key` refuses a key another member holds). Otherwise a member could register a
//! copy of another member's key, and every signature of that key would count both members'
//! stake. With the rule, a copier only lends its own stake to the victim's signatures. What the
//! rule cannot prevent is a member copying a key before its owner registers it (registrations
//! are public): that costs the owner a fresh key, and leaves the copier holding a key it
//! cannot sign with, its stake unable to vote.
//!
//! # Stake and quorum
//!
//! The owner admits members and sets their stake (`admit`, again to change it; stake `0`
//! suspends a member). A member's stake counts once it has registered a key. An attestation
//! passes when the signers' stake `s` and the total registered stake `t` satisfy `3 s > 2 t`.
//! Rounds are attested in increasing order, each once: the registry is a log.
//!
//! | entry point | who | what |
//! |---|---|---|
//! | `admit(member: [u8; 32], stake: u64) -> u32` | owner | adds a member (or sets its stake); returns its index |
//! | `register_key(public_key: [u8; 48], proof_of_possession: [u8; 96])` | an admitted member | registers its key, once; a key belongs to one member |
//! | `attest(round: u64, payload: [u8; 32], signers: Vec<u32>, signature: [u8; 96]) -> u64` | anyone | records `payload` for `round`, returns the signing stake |
//! | `attestation(round: u64) -> Option<Attestation>`, `last_round() -> Option<u64>` | anyone | |
//! | `member(index: u32) -> Option<Member>`, `member_count() -> u32`, `total_stake() -> u64` | anyone | |
//! | `attestation_message(round: u64, payload: [u8; 32]) -> Vec<u8>` | anyone | what members sign |
//!
//! Events: `admitted` with `(index, member, stake)`; `key` with `(index, public_key)`;
//! `attested` with `(round, payload, signing_stake)`.
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::vec::Vec;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_sdk::crypto::{self, AggregateMessages, BlsScheme, Status};
use shortcrust_sdk::{caller, chain_id, emit, owner, revert, self_id, storage};

/// An IETF BLS public key (compressed G1).
type BlsKey = [u8; 48];

const ATTEST_DOMAIN: &[u8] = b"shortcrust-committee/attest/v1";

const MEMBER_COUNT: &[u8] = b"members";
const TOTAL_STAKE: &[u8] = b"stake";
const LAST_ROUND: &[u8] = b"last";

/// A member of the committee.
#[derive(BorshSerialize, BorshDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The member's account (who may register its key).
    pub account: [u8; 32],
    pub stake: u64,
    /// Its BLS key, once registered with a proof of possession.
    pub public_key: Option<BlsKey>,
}

/// A recorded attestation.
#[derive(BorshSerialize, BorshDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct Attestation {
    pub payload: [u8; 32],
    /// Indexes of the members who signed, increasing.
    pub signers: Vec<u32>,
    /// Their stake when the round was attested.
    pub signing_stake: u64,
    /// The total registered stake then.
    pub total_stake: u64,
}

fn member_key(index: u32) -> [u8; 5] {
    let mut key = [b'm', 0, 0, 0, 0];
    key[1..].copy_from_slice(&index.to_be_bytes());
    key
}

fn account_key(account: &[u8; 32]) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = b'a';
    key[1..].copy_from_slice(account);
    key
}

fn bls_key_key(public_key: &BlsKey) -> [u8; 49] {
    let mut key = [0u8; 49];
    key[0] = b'k';
    key[1..].copy_from_slice(public_key);
    key
}

fn round_key(round: u64) -> [u8; 9] {
    let mut key = [b'r', 0, 0, 0, 0, 0, 0, 0, 0];
    key[1..].copy_from_slice(&round.to_be_bytes());
    key
}

fn load_member(index: u32) -> Option<Member> {
    storage::get(&member_key(index))
}

fn registered_stake() -> u64 {
    storage::get_or(TOTAL_STAKE, 0u64)
}

/// Total stake after replacing `old` by `new` (stakes of members with keys only).
fn adjust_total(old: u64, new: u64) {
    let Some(total) = registered_stake().saturating_sub(old).checked_add(new) else {
        revert("total stake would overflow u64");
    };
    storage::set(TOTAL_STAKE, &total);
}

fn attestation_bytes(round: u64, payload: &[u8; 32]) -> Vec<u8> {
    shortcrust_sdk::encode(&(ATTEST_DOMAIN, self_id().0, chain_id(), round, payload))
}

shortcrust_sdk::entry_points! {
    /// Admits `member` with `stake`, or changes the stake of an admitted member. Owner only.
    fn admit(member: [u8; 32], stake: u64) -> u32 {
        if caller().to_bytes() != owner() {
            revert("only the owner may admit members");
        }
        let index = match storage::get::<u32>(&account_key(&member)) {
            Some(index) => index,
            None => {
                let index = storage::get_or(MEMBER_COUNT, 0u32);
                storage::set(MEMBER_COUNT, &(index + 1));
                storage::set(&account_key(&member), &index);
                index
            }
        };
        let mut record = load_member(index).unwrap_or(Member {
            account: member,
            stake: 0,
            public_key: None,
        });
        if record.public_key.is_some() {
            adjust_total(record.stake, stake);
        }
        record.stake = stake;
        storage::set(&member_key(index), &record);
        emit("admitted", &(index, member, stake));
        index
    }

    /// Registers the caller's BLS key, once, with its standard IETF proof of possession (the
    /// key's signature of its own bytes under the POP tag). A key another member already holds
    /// is refused: the proof is not bound to the member (see the module docs).
    fn register_key(public_key: [u8; 48], proof_of_possession: [u8; 96]) {
        let account = caller().to_bytes();
        let Some(index) = storage::get::<u32>(&account_key(&account)) else {
            revert("only admitted members may register a key");
        };
        let Some(mut record) = load_member(index) else {
            revert("member record missing");
        };
        if record.public_key.is_some() {
            revert("this member already registered a key");
        }
        // Checked before the proof, which would verify just as well for a copied key.
        if let Some(holder) = storage::get::<u32>(&bls_key_key(&public_key)) {
            revert(&format!("this key is already registered by member {holder}"));
        }
        let status = crypto::verify_bls(
            BlsScheme::IetfPopProof,
            &public_key,
            &[],
            &proof_of_possession,
        );
        match status {
            Status::Valid => {}
            Status::Invalid => revert("proof of possession does not verify (status 0)"),
            other => revert(&format!(
                "malformed key or proof of possession (status {})",
                other.code()
            )),
        }
        adjust_total(0, record.stake);
        record.public_key = Some(public_key);
        storage::set(&member_key(index), &record);
        storage::set(&bls_key_key(&public_key), &index);
        emit("key", &(index, public_key));
    }

    /// Records `payload` as the outcome of `round` if members holding more than two thirds of
    /// the registered stake multisigned `attestation_message(round, payload)`. `signers` are
    /// member indexes, strictly increasing. Rounds must increase. Returns the signing stake.
    fn attest(round: u64, payload: [u8; 32], signers: Vec<u32>, signature: [u8; 96]) -> u64 {
        if let Some(last) = storage::get::<u64>(LAST_ROUND)
            && round <= last
        {
            revert(&format!("round {round} is not after the last attested round {last}"));
        }
        if signers.is_empty() {
            revert("no signers");
        }
        if signers.windows(2).any(|pair| pair[0] >= pair[1]) {
            revert("signer indexes must be strictly increasing");
        }
        let mut keys = Vec::with_capacity(signers.len() * 48);
        let mut signing_stake = 0u64;
        for &index in &signers {
            let Some(Member { public_key: Some(key), stake, .. }) = load_member(index) else {
                revert(&format!("member {index} does not exist or has no key"));
            };
            keys.extend_from_slice(&key);
            // Distinct members' stakes are parts of the total, a u64: this never saturates.
            signing_stake = signing_stake.saturating_add(stake);
        }
        let total = registered_stake();
        if u128::from(signing_stake) * 3 <= u128::from(total) * 2 {
            revert(&format!(
                "signers hold {signing_stake} of {total} stake, more than two thirds is needed"
            ));
        }
        let message = attestation_bytes(round, &payload);
        let status = crypto::verify_bls_aggregate(
            BlsScheme::IetfMinPkPop,
            &keys,
            AggregateMessages::Same(&message),
            &signature,
        );
        match status {
            Status::Valid => {}
            Status::Invalid => revert("attestation does not verify (status 0)"),
            other => revert(&format!("malformed attestation (status {})", other.code())),
        }
        storage::set(LAST_ROUND, &round);
        storage::set(
            &round_key(round),
            &Attestation { payload, signers, signing_stake, total_stake: total },
        );
        emit("attested", &(round, payload, signing_stake));
        signing_stake
    }

    /// The attestation recorded for `round`.
    fn attestation(round: u64) -> Option<Attestation> {
        storage::get(&round_key(round))
    }

    /// The latest attested round.
    fn last_round() -> Option<u64> {
        storage::get(LAST_ROUND)
    }

    /// The member with this index.
    fn member(index: u32) -> Option<Member> {
        load_member(index)
    }

    /// How many members were ever admitted (indexes are `0..member_count`).
    fn member_count() -> u32 {
        storage::get_or(MEMBER_COUNT, 0u32)
    }

    /// The stake of all members with a registered key.
    fn total_stake() -> u64 {
        registered_stake()
    }

    /// The message members sign to attest `payload` for `round`.
    fn attestation_message(round: u64, payload: [u8; 32]) -> Vec<u8> {
        attestation_bytes(round, &payload)
    }
}
