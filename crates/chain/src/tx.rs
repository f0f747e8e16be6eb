//! Transactions: the borsh wire format, hashes, signatures, and every validity check that needs
//! no state.
//!
//! # Format (borsh, canonical: one encoding per value, trailing bytes refused)
//!
//! ```text
//! SignedTransaction { tx: Transaction, signature: [u8; 64] }
//! Transaction       = V1(TransactionV1)                       (enum tag 0; later versions add tags)
//! TransactionV1     { chain_id: u64, sender: [u8; 32] (Ed25519 public key), nonce: u64,
//!                     gas_limit: u64, gas_price: u64, action: Action }
//! Action            = Deploy { code: Vec<u8>, init: Option<(String, Vec<u8>)>, nonce: u64 }   tag 0
//!                   | Call { contract: [u8; 32], entry: String, input: Vec<u8>, amount: u128 } tag 1
//!                   | Transfer { to: AccountId, amount: u128 }                                 tag 2
//! ```
//!
//! The **transaction hash** is `BLAKE2b-256("shortcrust/tx/v1" || borsh(tx))`; the signature is
//! Ed25519 (RFC 8032, verified *strictly*: canonical `s`, no small-order key or `R`) over those
//! 32 bytes. The hash leaves the signature out: it names what the sender authorised.
//!
//! # Limits
//!
//! - [`MAX_TX_BYTES`] = 2.5 MiB for the signed encoding: room for a deploy of the VM's largest
//!   module (2 MiB, `ModuleLimits::max_module_bytes`) with an init input of the largest call
//!   input (256 KiB, `shortcrust_abi::limits::MAX_INPUT_LEN`) and the envelope.
//! - Entry names and inputs within the VM's top-level call limits (`MAX_ENTRY_NAME_LEN`,
//!   `MAX_INPUT_LEN`), so a valid transaction is never refused by the VM.
//!
//! # Signatures: strict, once per node
//!
//! Signatures are verified *strictly* (RFC 8032 with canonical `s` and no small-order key or
//! `R`), one by one, and on all cores for large batches ([`check_all`]). A node checks a
//! transaction where it enters (mempool admission) and again when a block holding it executes;
//! the [`CheckCache`] it passes to both remembers which transactions passed, so the second check
//! costs a lookup and a comparison. The verdict is the same with or without the cache.
//!
//! **No batch verification.** `ed25519_dalek::verify_batch` is two to three times as fast per
//! signature (2026-12-01, reference VM: 23 µs per signature in a batch of 2,000, against 60–85 µs
//! for a transaction's full strict check), but batch acceptance is not strict acceptance: it can
//! accept a signature whose `R` or key has a small-order component, depending on the batch. A
//! transaction admitted by a batch would then have to be verified strictly again before any block
//! could include it (a proposer including one that fails builds a block every validator rejects),
//! so a batch at admission *adds* work per transaction instead of saving it; one strict check
//! whose verdict is remembered is the cheaper of the two.

use borsh::{BorshDeserialize, BorshSerialize};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use shortcrust_abi::limits::{MAX_ENTRY_NAME_LEN, MAX_INPUT_LEN};

use crate::account::{AccountId, ChainParams};
use crate::check_cache::CheckCache;
use crate::error::TxError;
use crate::{Hash32, tagged_hash};

/// Domain tag of transaction hashes (what signatures sign).
pub const TX_DOMAIN: &[u8] = b"shortcrust/tx/v1";
/// Largest signed transaction, in encoded bytes: 2.5 MiB (see the module docs).
pub const MAX_TX_BYTES: usize = 5 * 512 * 1024;

/// A transaction, versioned: a node refuses tags it does not know as malformed.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Transaction {
    V1(TransactionV1),
}

/// Version 1 of the transaction body.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct TransactionV1 {
    /// The chain it is valid on (replay protection across chains).
    pub chain_id: u64,
    /// The sender's Ed25519 public key; the account is its hash.
    pub sender: [u8; 32],
    /// Must equal the sender's account nonce when executed.
    pub nonce: u64,
    /// Most gas it may use, intrinsic gas included.
    pub gas_limit: u64,
    /// Native units per gas; `gas_limit × gas_price` is reserved up front.
    pub gas_price: u64,
    pub action: Action,
}

/// What a transaction does.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Action {
    /// Deploys `code` owned by the sender's account id, with contract-id nonce `nonce`, then calls
    /// `init = (entry, input)` if given. The contract id is
    /// `shortcrust_vm::contract_id(sender account id, code hash, nonce)`.
    Deploy {
        code: Vec<u8>,
        init: Option<(String, Vec<u8>)>,
        nonce: u64,
    },
    /// Calls `entry` of `contract` with `input`, then, if the call succeeded, moves `amount`
    /// to the contract's native balance.
    Call {
        contract: [u8; 32],
        entry: String,
        input: Vec<u8>,
        amount: u128,
    },
    /// Moves `amount` to `to` (an account or a contract id).
    Transfer { to: AccountId, amount: u128 },
}

impl Action {
    /// The native amount the action moves if it succeeds.
    pub fn amount(&self) -> u128 {
        match self {
            Action::Deploy { .. } => 0,
            Action::Call { amount, .. } | Action::Transfer { amount, .. } => *amount,
        }
    }
}

impl TransactionV1 {
    /// The sender's account id.
    pub fn sender_id(&self) -> AccountId {
        AccountId::from_public_key(&self.sender)
    }

    /// `gas_limit × gas_price + amount`: what the sender must hold. `None` on overflow.
    pub fn max_cost(&self) -> Option<u128> {
        (self.gas_limit as u128 * self.gas_price as u128).checked_add(self.action.amount())
    }
}

impl Transaction {
    /// The body (the only version so far).
    pub fn v1(&self) -> &TransactionV1 {
        let Transaction::V1(tx) = self;
        tx
    }

    /// `BLAKE2b-256("shortcrust/tx/v1" || borsh(self))`.
    pub fn hash(&self) -> Hash32 {
        tagged_hash(TX_DOMAIN, &[&crate::encode(self)])
    }

    /// Signs with `key`, which must be the sender's.
    pub fn sign(self, key: &SigningKey) -> Result<SignedTransaction, TxError> {
        if key.verifying_key().as_bytes() != &self.v1().sender {
            return Err(TxError::KeyMismatch);
        }
        let signature = key.sign(&self.hash().0).to_bytes();
        Ok(SignedTransaction {
            tx: self,
            signature,
        })
    }
}

/// A transaction and its sender's signature of its hash.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct SignedTransaction {
    pub tx: Transaction,
    pub signature: [u8; 64],
}

/// What the stateless checks learned about a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checked {
    pub hash: Hash32,
    pub sender: AccountId,
    /// Encoded size of the signed transaction.
    pub size: usize,
    /// See `gas::intrinsic_gas`.
    pub intrinsic_gas: u64,
    /// `gas_limit × gas_price + amount`.
    pub max_cost: u128,
}

impl SignedTransaction {
    /// The transaction hash (see the module docs).
    pub fn hash(&self) -> Hash32 {
        self.tx.hash()
    }

    /// The sender's account id.
    pub fn sender(&self) -> AccountId {
        self.tx.v1().sender_id()
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::encode(self)
    }

    /// Decodes [`Self::to_bytes`]'s output: [`TxError::Oversized`] past [`MAX_TX_BYTES`] (checked
    /// before decoding), [`TxError::Malformed`] for anything but exactly one canonical value.
    pub fn from_bytes(bytes: &[u8]) -> Result<SignedTransaction, TxError> {
        if bytes.len() > MAX_TX_BYTES {
            return Err(TxError::Oversized {
                size: bytes.len(),
                max: MAX_TX_BYTES,
            });
        }
        borsh::from_slice(bytes).map_err(|e| TxError::Malformed(e.to_string()))
    }

    /// Every check that needs no state, signature last: size, chain id, field limits, gas limit
    /// against the block gas limit and the intrinsic gas, cost overflow, the key, the signature.
    /// Runs in full every time: a node goes through its [`CheckCache`] instead.
    pub fn check(&self, params: &ChainParams) -> Result<Checked, TxError> {
        let checked = self.check_static(params)?;
        self.verify_signature(&checked.hash)?;
        Ok(checked)
    }

    /// [`Self::check`] without the key and the signature (both checked by
    /// [`Self::verify_signature`]: decoding the key is a square root in the field, so it is done
    /// once, there).
    pub(crate) fn check_static(&self, params: &ChainParams) -> Result<Checked, TxError> {
        let tx = self.tx.v1();
        let body = crate::encode(&self.tx);
        let size = body.len() + 64;
        if size > MAX_TX_BYTES {
            return Err(TxError::Oversized {
                size,
                max: MAX_TX_BYTES,
            });
        }
        if tx.chain_id != params.chain_id {
            return Err(TxError::WrongChain {
                expected: params.chain_id,
                found: tx.chain_id,
            });
        }
        check_fields(&tx.action)?;
        if tx.gas_limit > params.block_gas_limit {
            return Err(TxError::GasLimitAboveBlockLimit {
                gas_limit: tx.gas_limit,
                block_limit: params.block_gas_limit,
            });
        }
        // Genesis refuses unknown protocol versions (and the VM runs nothing under one), so
        // the fallback is never used.
        let schedule = shortcrust_vm::gas::Schedule::for_protocol(params.protocol_version)
            .unwrap_or(crate::gas::LATEST_SCHEDULE);
        let intrinsic_gas = crate::gas::intrinsic_gas(tx, size, schedule);
        if tx.gas_limit < intrinsic_gas {
            return Err(TxError::IntrinsicGas {
                gas_limit: tx.gas_limit,
                intrinsic: intrinsic_gas,
            });
        }
        let max_cost = tx.max_cost().ok_or(TxError::CostOverflow)?;
        Ok(Checked {
            hash: tagged_hash(TX_DOMAIN, &[&body]),
            sender: tx.sender_id(),
            size,
            intrinsic_gas,
            max_cost,
        })
    }

    /// The sender's key (decodes, not of small order), then strict Ed25519 verification of the
    /// signature over `hash` (this transaction's hash).
    pub(crate) fn verify_signature(&self, hash: &Hash32) -> Result<(), TxError> {
        let key = public_key(&self.tx.v1().sender)?;
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&hash.0, &signature)
            .map_err(|_| TxError::BadSignature)
    }
}

/// The sender key, refused if it does not decode or is of small order.
fn public_key(bytes: &[u8; 32]) -> Result<VerifyingKey, TxError> {
    match VerifyingKey::from_bytes(bytes) {
        Ok(key) if !key.is_weak() => Ok(key),
        _ => Err(TxError::InvalidPublicKey),
    }
}

fn check_fields(action: &Action) -> Result<(), TxError> {
    let call = |entry: &str, input: &[u8]| {
        if entry.len() > MAX_ENTRY_NAME_LEN as usize {
            return Err(TxError::FieldTooLong {
                what: "entry name",
                len: entry.len(),
                max: MAX_ENTRY_NAME_LEN as usize,
            });
        }
        if input.len() > MAX_INPUT_LEN as usize {
            return Err(TxError::FieldTooLong {
                what: "call input",
                len: input.len(),
                max: MAX_INPUT_LEN as usize,
            });
        }
        Ok(())
    };
    match action {
        Action::Deploy {
            init: Some((entry, input)),
            ..
        }
        | Action::Call { entry, input, .. } => call(entry, input),
        Action::Deploy { init: None, .. } | Action::Transfer { .. } => Ok(()),
    }
}

/// Runs [`SignedTransaction::check`] on every transaction through `cache`, on up to all cores
/// for large batches. Results are per transaction, in order: the verdicts depend neither on the
/// threads nor on the cache.
pub fn check_all(
    txs: &[SignedTransaction],
    params: &ChainParams,
    cache: &CheckCache,
) -> Vec<Result<Checked, TxError>> {
    let refs: Vec<&SignedTransaction> = txs.iter().collect();
    cache.check_many(&refs, params)
}

/// `items.iter().map(f)`, in order, split over up to all cores when there are enough items for
/// threads to pay (signature checks: tens of microseconds each).
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const PER_THREAD: usize = 32;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.min(items.len() / PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<_>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (handle, part) in handles.into_iter().zip(items.chunks(chunk)) {
            match handle.join() {
                Ok(results) => out.extend(results),
                // A panicking `f` (the checks have none) is redone on this thread.
                Err(_) => out.extend(part.iter().map(f)),
            }
        }
        out
    })
}
