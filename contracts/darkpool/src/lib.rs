//! `darkpool`: settles matched trades between traders whose balances stay hidden — the seed
//! article's scenario. A trade settles only if each side's PLONK proof shows that the trader has
//! the funds (and updates their hidden balances correctly), **and** a BLS multisignature of the
//! registered committee attests the match.
//!
//! # Hidden balances
//!
//! The pool trades a base asset (`0`) against a quote asset (`1`). For each trader and asset it
//! stores a Pedersen commitment on the JubJub curve, `C = v·G + r·H`, where `v` is the balance,
//! `r` a blinding factor only the trader knows, and `G`, `H` are Dusk's JubJub generators
//! (`GENERATOR` and `GENERATOR_NUMS`, as in Dusk's Phoenix notes). A commitment is stored as its
//! affine coordinates `(x, y)`, two 32-byte little-endian BLS12-381 scalars (64 bytes). A trader
//! the pool has never seen holds the identity `(0, 1)`: balance 0, blinding 0.
//!
//! Every change of balance is a **transition** proven in zero knowledge with one PLONK circuit
//! whose verifier data the owner registers once. Its 13 public inputs are `hash_to_scalar(trader)`
//! — which binds a proof to its trader, so it cannot be replayed for another one even where their
//! commitments coincide (every new trader holds the identity) — then, for the base asset and
//! then the quote asset, `debit, credit, old.x, old.y, new.x, new.y`; the trader proves knowledge
//! of `v, r, r'` with `old = v·G + r·H`, `v < 2^64`, `v − debit ≥ 0` (a 64-bit range check: the
//! trader has the funds), `v' = v − debit + credit < 2^64` and `new = v'·G + r'·H`. The contract
//! builds the public inputs itself from its stored commitments and the amounts, so a proof made
//! against any other state does not verify.
//!
//! # Settlement
//!
//! Orders are matched off-chain by a committee that sees them (the "dark" part: orders are never
//! public before they trade; a trade's size is public once it settles). The owner registers the
//! committee's Dusk BLS keys and a threshold. A settlement carries the [`Trade`], one transition
//! proof per side — the seller pays `base_amount` of base and receives `quote_amount` of quote,
//! the buyer the reverse — and the committee's attestation: a multisignature by at least
//! `threshold` members over `blake2b_256(borsh("shortcrust-darkpool/match/v1", pool id, chain
//! id, trade))` (see `attestation_message`). The match id can settle once.
//!
//! The multisignature uses **Dusk's BLS scheme** (`verify_bls_aggregate`, Dusk, fast mode): it
//! is the scheme of Dusk's own provisioner committees, and its aggregation weights each key by
//! `t_i = H(pk_i)`, which makes it safe against rogue-key attacks without proofs of possession —
//! the owner can register any committee's keys as they are, and any subset of signers
//! aggregates. The price is a costlier aggregation (a G2 multiplication per key, ≈ 0.6 ms each,
//! against ≈ 0.08 ms for the IETF scheme, whose keys need a proof of possession at registration;
//! `committee` shows that scheme).
//!
//! | entry point | who | what |
//! |---|---|---|
//! | `register_verifier(verifier_data: Vec<u8>)` | owner, once | the transition circuit (13 public inputs) |
//! | `set_committee(public_keys: Vec<[u8; 96]>, threshold: u32)` | owner | distinct Dusk keys, `1 ≤ threshold ≤ n ≤ 128` |
//! | `deposit(trader, base_amount, quote_amount, new_base, new_quote, proof)` | owner (the custodian) | credits a trader |
//! | `withdraw(base_amount, quote_amount, new_base, new_quote, proof)` | a trader | debits the caller; the custodian pays out on the event |
//! | `settle(trade: Trade, seller_proof, buyer_proof, signers: Vec<u32>, signature: [u8; 48])` | anyone | settles a match |
//! | `commitment(trader: [u8; 32], asset: u8) -> [u8; 64]`, `is_settled(match_id: [u8; 32]) -> bool` | anyone | |
//! | `attestation_message(trade: Trade) -> [u8; 32]` | anyone | what the committee signs |
//!
//! Events: `deposit` and `withdrawal` with `(trader, base_amount, quote_amount)`; `settlement`
//! with `(match_id, seller, buyer, base_amount, quote_amount)`. Refusals revert with a message
//! that gives the host's status for a proof or signature that fails (`0`: does not verify).
#![no_std]

extern crate alloc;

use alloc::format;
use alloc::vec::Vec;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_sdk::crypto::{self, AggregateMessages, BlsScheme, Status};
use shortcrust_sdk::{caller, chain_id, emit, owner, revert, self_id, storage};

/// A trader: the 32 bytes of a sender.
type Trader = [u8; 32];
/// A commitment's affine coordinates `(x, y)`, little-endian scalars.
type Commitment = [u8; 64];
/// A Dusk BLS public key (compressed G2).
type DuskKey = [u8; 96];

/// The identity point `(0, 1)`: the commitment to a zero balance with zero blinding.
const IDENTITY: Commitment = {
    let mut bytes = [0u8; 64];
    bytes[32] = 1;
    bytes
};

const BASE: u8 = 0;
const QUOTE: u8 = 1;

/// Public inputs of the transition circuit: the trader's tag, then six per asset.
const PUBLIC_INPUTS: u64 = 13;
/// Where the verifier data's header holds its number of public inputs (a big-endian `u64`).
const PUBLIC_INPUT_COUNT_OFFSET: usize = 24;
/// Largest committee: bounds the price of a settlement.
const MAX_COMMITTEE: usize = 128;
/// Domain of the committee's attestations.
const MATCH_DOMAIN: &[u8] = b"shortcrust-darkpool/match/v1";

const VERIFIER: &[u8] = b"verifier";
const COMMITTEE: &[u8] = b"committee";

/// A matched trade: the seller gives `base_amount` of base for `quote_amount` of quote.
/// The `*_new` fields are the traders' balance commitments after the trade.
#[derive(BorshSerialize, BorshDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct Trade {
    pub match_id: [u8; 32],
    pub seller: Trader,
    pub buyer: Trader,
    pub base_amount: u64,
    pub quote_amount: u64,
    pub seller_base_new: Commitment,
    pub seller_quote_new: Commitment,
    pub buyer_base_new: Commitment,
    pub buyer_quote_new: Commitment,
}

/// The committee as stored: its keys in signer-index order and how many must sign.
#[derive(BorshSerialize, BorshDeserialize)]
struct Committee {
    keys: Vec<DuskKey>,
    threshold: u32,
}

/// One asset's side of a transition.
struct Leg {
    debit: u64,
    credit: u64,
    new: Commitment,
}

fn commitment_key(trader: &Trader, asset: u8) -> [u8; 34] {
    let mut key = [0u8; 34];
    key[0] = b'c';
    key[1..33].copy_from_slice(trader);
    key[33] = asset;
    key
}

fn settled_key(match_id: &[u8; 32]) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = b'm';
    key[1..].copy_from_slice(match_id);
    key
}

fn stored_commitment(trader: &Trader, asset: u8) -> Commitment {
    storage::get_or(&commitment_key(trader, asset), IDENTITY)
}

fn only_owner(action: &str) {
    if caller().to_bytes() != owner() {
        revert(&format!("only the owner may {action}"));
    }
}

/// A `u64` as a little-endian BLS12-381 scalar.
fn scalar(value: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..8].copy_from_slice(&value.to_le_bytes());
    out
}

/// Verifies `trader`'s transition proof for the base and quote legs against the stored
/// commitments, then stores the new ones. Reverts (naming `who`) if the proof fails.
fn apply_transition(who: &str, trader: &Trader, base: Leg, quote: Leg, proof: &[u8]) {
    let Some(verifier_data) = storage::get_raw(VERIFIER) else {
        revert("no verifier registered");
    };
    let mut public_inputs = Vec::with_capacity(PUBLIC_INPUTS as usize * 32);
    public_inputs.extend_from_slice(&crypto::hash_to_scalar(trader));
    for (asset, leg) in [(BASE, &base), (QUOTE, &quote)] {
        public_inputs.extend_from_slice(&scalar(leg.debit));
        public_inputs.extend_from_slice(&scalar(leg.credit));
        public_inputs.extend_from_slice(&stored_commitment(trader, asset));
        public_inputs.extend_from_slice(&leg.new);
    }
    match crypto::verify_plonk(&verifier_data, proof, &public_inputs) {
        Status::Valid => {}
        Status::Invalid => revert(&format!("{who}'s balance proof does not verify (status 0)")),
        other => revert(&format!(
            "{who}'s balance proof is malformed (status {})",
            other.code()
        )),
    }
    storage::set(&commitment_key(trader, BASE), &base.new);
    storage::set(&commitment_key(trader, QUOTE), &quote.new);
}

/// The 32 bytes the committee signs for `trade`.
fn match_digest(trade: &Trade) -> [u8; 32] {
    let encoded = shortcrust_sdk::encode(&(MATCH_DOMAIN, self_id().0, chain_id(), trade));
    crypto::blake2b_256(&encoded)
}

/// Reverts unless `signers` (strictly increasing committee indexes, at least the threshold)
/// multisigned `message`.
fn check_attestation(message: &[u8; 32], signers: &[u32], signature: &[u8; 48]) {
    let Some(committee) = storage::get::<Committee>(COMMITTEE) else {
        revert("no committee registered");
    };
    if signers.len() < committee.threshold as usize {
        revert(&format!(
            "{} signers, the committee needs {}",
            signers.len(),
            committee.threshold
        ));
    }
    if signers.windows(2).any(|pair| pair[0] >= pair[1]) {
        revert("signer indexes must be strictly increasing");
    }
    let mut keys = Vec::with_capacity(signers.len() * 96);
    for &index in signers {
        let Some(key) = committee.keys.get(index as usize) else {
            revert(&format!("no committee member {index}"));
        };
        keys.extend_from_slice(key);
    }
    let status = crypto::verify_bls_aggregate(
        BlsScheme::DuskMinSig,
        &keys,
        AggregateMessages::Same(message),
        signature,
    );
    match status {
        Status::Valid => {}
        Status::Invalid => revert("committee attestation does not verify (status 0)"),
        other => revert(&format!(
            "committee attestation is malformed (status {})",
            other.code()
        )),
    }
}

shortcrust_sdk::entry_points! {
    /// Registers the transition circuit's verifier data (dusk-plonk `Verifier::to_bytes`).
    /// Owner only, once: the circuit defines what a balance is.
    fn register_verifier(verifier_data: Vec<u8>) {
        only_owner("register the verifier");
        if storage::contains(VERIFIER) {
            revert("verifier already registered");
        }
        let declared = verifier_data
            .get(PUBLIC_INPUT_COUNT_OFFSET..PUBLIC_INPUT_COUNT_OFFSET + 8)
            .and_then(|bytes| bytes.try_into().ok())
            .map(u64::from_be_bytes);
        if declared != Some(PUBLIC_INPUTS) {
            revert("verifier data is not for a circuit with 13 public inputs");
        }
        storage::set_raw(VERIFIER, &verifier_data);
    }

    /// Sets (or rotates) the committee: distinct Dusk BLS keys in signer-index order and the
    /// number of them that must sign a match. Owner only.
    fn set_committee(public_keys: Vec<[u8; 96]>, threshold: u32) {
        only_owner("set the committee");
        if public_keys.is_empty() || public_keys.len() > MAX_COMMITTEE {
            revert(&format!("a committee has 1 to {MAX_COMMITTEE} members"));
        }
        if threshold == 0 || threshold as usize > public_keys.len() {
            revert("the threshold must be between 1 and the committee size");
        }
        let mut sorted: Vec<&DuskKey> = public_keys.iter().collect();
        sorted.sort_unstable();
        if sorted.windows(2).any(|pair| pair[0] == pair[1]) {
            revert("committee keys must be distinct");
        }
        storage::set(COMMITTEE, &Committee { keys: public_keys, threshold });
    }

    /// Credits `trader` with `base_amount` and `quote_amount` received off-chain. The proof is
    /// the trader's transition with those credits and no debit. Owner (custodian) only.
    fn deposit(
        trader: [u8; 32],
        base_amount: u64,
        quote_amount: u64,
        new_base: [u8; 64],
        new_quote: [u8; 64],
        proof: Vec<u8>,
    ) {
        only_owner("credit deposits");
        apply_transition(
            "the trader",
            &trader,
            Leg { debit: 0, credit: base_amount, new: new_base },
            Leg { debit: 0, credit: quote_amount, new: new_quote },
            &proof,
        );
        emit("deposit", &(trader, base_amount, quote_amount));
    }

    /// Debits the caller by `base_amount` and `quote_amount` for the custodian to pay out. The
    /// proof is the caller's transition with those debits and no credit.
    fn withdraw(
        base_amount: u64,
        quote_amount: u64,
        new_base: [u8; 64],
        new_quote: [u8; 64],
        proof: Vec<u8>,
    ) {
        let trader = caller().to_bytes();
        apply_transition(
            "the trader",
            &trader,
            Leg { debit: base_amount, credit: 0, new: new_base },
            Leg { debit: quote_amount, credit: 0, new: new_quote },
            &proof,
        );
        emit("withdrawal", &(trader, base_amount, quote_amount));
    }

    /// Settles a matched trade: the committee's attestation by `signers` (committee indexes,
    /// strictly increasing), then both traders' transition proofs. Anyone may submit.
    fn settle(
        trade: Trade,
        seller_proof: Vec<u8>,
        buyer_proof: Vec<u8>,
        signers: Vec<u32>,
        signature: [u8; 48],
    ) {
        if trade.seller == trade.buyer {
            revert("a trader cannot trade with themselves");
        }
        if trade.base_amount == 0 || trade.quote_amount == 0 {
            revert("both amounts must be positive");
        }
        let settled = settled_key(&trade.match_id);
        if storage::contains(&settled) {
            revert("match already settled");
        }
        // The cheaper check first: one aggregate signature before two proofs.
        check_attestation(&match_digest(&trade), &signers, &signature);
        apply_transition(
            "the seller",
            &trade.seller,
            Leg { debit: trade.base_amount, credit: 0, new: trade.seller_base_new },
            Leg { debit: 0, credit: trade.quote_amount, new: trade.seller_quote_new },
            &seller_proof,
        );
        apply_transition(
            "the buyer",
            &trade.buyer,
            Leg { debit: 0, credit: trade.base_amount, new: trade.buyer_base_new },
            Leg { debit: trade.quote_amount, credit: 0, new: trade.buyer_quote_new },
            &buyer_proof,
        );
        storage::set(&settled, &true);
        emit(
            "settlement",
            &(trade.match_id, trade.seller, trade.buyer, trade.base_amount, trade.quote_amount),
        );
    }

    /// `trader`'s balance commitment for `asset` (`0` base, `1` quote): `(x, y)` little-endian.
    fn commitment(trader: [u8; 32], asset: u8) -> [u8; 64] {
        if asset != BASE && asset != QUOTE {
            revert("asset is 0 (base) or 1 (quote)");
        }
        stored_commitment(&trader, asset)
    }

    /// Whether the match has settled.
    fn is_settled(match_id: [u8; 32]) -> bool {
        storage::contains(&settled_key(&match_id))
    }

    /// The 32-byte message the committee multisigns for `trade`.
    fn attestation_message(trade: Trade) -> [u8; 32] {
        match_digest(&trade)
    }
}
