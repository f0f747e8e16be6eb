//! The mempool: valid-looking transactions waiting for a block.
//!
//! # Admission ([`Mempool::insert`], [`Mempool::insert_batch`])
//!
//! A transaction is admitted if it passes every stateless check (`SignedTransaction::check`:
//! size, chain id, field limits, gas limit, signature), is not already here (by hash), pays at
//! least [`MempoolConfig::min_gas_price`], has a nonce at or above its sender's account nonce
//! and fewer than [`MempoolConfig::max_per_sender`] ahead of it, and its sender's balance covers
//! the maximum cost (`gas_limit × gas_price + amount`) of all its queued transactions with this
//! one. The account is read from the state the caller passes (the head the next block builds on).
//!
//! **Replacement**: a transaction with the (sender, nonce) of a queued one replaces it only if
//! its gas price is at least [`MempoolConfig::replacement_bump_percent`] (default 10 %) higher,
//! and strictly higher (so a price of 0 needs 1): a replacement must pay for the re-gossip it
//! causes, or a sender could churn the pool for free.
//!
//! **Limits and eviction**: at most [`MempoolConfig::max_txs`] transactions and
//! [`MempoolConfig::max_bytes`] encoded bytes in all, [`MempoolConfig::max_per_sender`] per
//! sender. When full, the newcomer evicts the cheapest transactions that are last in their
//! sender's queue (so no gap is created; ties: the most recently admitted goes first), never
//! its own sender's, and only if each evicted one pays strictly less than it; otherwise it is
//! refused ([`MempoolError::Full`]).
//!
//! # Proposal order ([`Mempool::pending`])
//!
//! Only each sender's executable prefix (consecutive nonces from its account nonce) is proposed.
//! Among the senders' next transactions the order is gas price (highest first), then sender id,
//! then nonce: deterministic, whatever the arrival order. A transaction whose gas limit no
//! longer fits ends its sender's run (its later nonces cannot go without it).
//!
//! # Signatures
//!
//! Both admissions verify strictly (`insert_batch` on all cores) through the mempool's
//! [`CheckCache`], which a node shares with its block execution: a transaction admitted here is
//! not checked again when a block holding it executes on this node (see `tx`).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use shortcrust_store::StateView;

use crate::Hash32;
use crate::account::{AccountId, ChainParams, read_account};
use crate::block::{Block, MAX_BLOCK_TX_BYTES};
use crate::check_cache::CheckCache;
use crate::error::{MempoolError, TxError};
use crate::execute::{ExcludedTx, Exclusion};
use crate::tx::{Checked, SignedTransaction};

/// Mempool limits and policy. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MempoolConfig {
    /// The chain the transactions must be for.
    pub params: ChainParams,
    /// Most transactions. Default 10,000 (a few blocks' worth of transfers).
    pub max_txs: usize,
    /// Most encoded bytes. Default 64 MiB (at most 26 deploys of the largest size).
    pub max_bytes: usize,
    /// Most transactions of one sender, and how far ahead of its nonce they may be. Default 64.
    pub max_per_sender: usize,
    /// Lowest gas price admitted. Default 1: a free transaction costs the network but not its
    /// sender.
    pub min_gas_price: u64,
    /// Minimum gas price increase of a replacement, in percent. Default 10.
    pub replacement_bump_percent: u64,
}

impl MempoolConfig {
    /// The defaults for a chain.
    pub fn new(params: ChainParams) -> MempoolConfig {
        MempoolConfig {
            params,
            max_txs: 10_000,
            max_bytes: 64 * 1024 * 1024,
            max_per_sender: 64,
            min_gas_price: 1,
            replacement_bump_percent: 10,
        }
    }
}

struct Entry {
    tx: SignedTransaction,
    hash: Hash32,
    size: usize,
    gas_limit: u64,
    gas_price: u64,
    max_cost: u128,
    /// Admission order.
    seq: u64,
}

/// One sender's queued transactions, by nonce.
#[derive(Default)]
struct Queue {
    /// The sender's account nonce, as last seen.
    next_nonce: u64,
    txs: BTreeMap<u64, Entry>,
}

/// Pending transactions. See the module docs.
pub struct Mempool {
    config: MempoolConfig,
    senders: BTreeMap<AccountId, Queue>,
    /// Lookup only (never iterated): hash → (sender, nonce).
    by_hash: HashMap<Hash32, (AccountId, u64)>,
    bytes: usize,
    seq: u64,
    checks: Arc<CheckCache>,
}

impl Mempool {
    /// An empty mempool with its own signature cache.
    pub fn new(config: MempoolConfig) -> Mempool {
        Mempool::with_checks(config, Arc::default())
    }

    /// An empty mempool recording its verdicts in `checks` (a node's, shared with its block
    /// execution).
    pub fn with_checks(config: MempoolConfig, checks: Arc<CheckCache>) -> Mempool {
        Mempool {
            checks,
            config,
            senders: BTreeMap::new(),
            by_hash: HashMap::new(),
            bytes: 0,
            seq: 0,
        }
    }

    pub fn config(&self) -> &MempoolConfig {
        &self.config
    }

    /// The cache its verdicts go to.
    pub fn checks(&self) -> &Arc<CheckCache> {
        &self.checks
    }

    /// Number of transactions.
    pub fn len(&self) -> usize {
        self.by_hash.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_hash.is_empty()
    }

    /// Encoded bytes of all transactions.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn contains(&self, hash: &Hash32) -> bool {
        self.by_hash.contains_key(hash)
    }

    pub fn get(&self, hash: &Hash32) -> Option<&SignedTransaction> {
        let (sender, nonce) = self.by_hash.get(hash)?;
        Some(&self.senders.get(sender)?.txs.get(nonce)?.tx)
    }

    /// Admits one transaction (strict signature check); `state` is the state its sender's
    /// account is read from.
    pub fn insert(
        &mut self,
        tx: SignedTransaction,
        state: &dyn StateView,
    ) -> Result<Hash32, MempoolError> {
        let checked = tx.check_static(&self.config.params)?;
        if self.contains(&checked.hash) {
            return Err(MempoolError::AlreadyKnown(checked.hash));
        }
        let checked = self.checks.check(&tx, &self.config.params)?;
        self.admit(tx, checked, state)
    }

    /// Admits many transactions, verifying their signatures on all cores; one result each, in
    /// order (as if inserted one after the other).
    pub fn insert_batch(
        &mut self,
        txs: Vec<SignedTransaction>,
        state: &dyn StateView,
    ) -> Vec<Result<Hash32, MempoolError>> {
        let params = self.config.params;
        // Known transactions are refused before their signatures are checked.
        let statics: Vec<Result<Checked, MempoolError>> = txs
            .iter()
            .map(|t| match t.check_static(&params) {
                Ok(c) if self.contains(&c.hash) => Err(MempoolError::AlreadyKnown(c.hash)),
                other => other.map_err(MempoolError::from),
            })
            .collect();
        let unchecked: Vec<&SignedTransaction> = txs
            .iter()
            .zip(&statics)
            .filter_map(|(t, c)| c.as_ref().ok().map(|_| t))
            .collect();
        let cache = &*self.checks;
        let mut signatures = cache.check_many(&unchecked, &params).into_iter();
        let mut results = Vec::with_capacity(txs.len());
        for (tx, check) in txs.into_iter().zip(statics) {
            let result = match check {
                Err(e) => Err(e),
                Ok(_) => match signatures.next() {
                    Some(Ok(checked)) => self.admit(tx, checked, state),
                    Some(Err(e)) => Err(e.into()),
                    None => Err(TxError::BadSignature.into()),
                },
            };
            results.push(result);
        }
        results
    }

    /// Admits transactions whose stateless checks already ran (`checks[i]` is `txs[i]`'s, from
    /// [`CheckCache::check_many`] with this pool's parameters): a node runs them outside its
    /// mempool lock, so that block production never waits for signature checks. One result
    /// each, in order, as [`Self::insert_batch`] gives.
    pub fn insert_checked(
        &mut self,
        txs: Vec<SignedTransaction>,
        checks: Vec<Result<Checked, TxError>>,
        state: &dyn StateView,
    ) -> Vec<Result<Hash32, MempoolError>> {
        let mut checks = checks.into_iter();
        txs.into_iter()
            .map(|tx| match checks.next() {
                Some(Ok(checked)) if self.contains(&checked.hash) => {
                    Err(MempoolError::AlreadyKnown(checked.hash))
                }
                Some(Ok(checked)) => self.admit(tx, checked, state),
                Some(Err(e)) => Err(e.into()),
                None => Err(TxError::BadSignature.into()),
            })
            .collect()
    }

    /// Drops `sender`'s transactions below `account_nonce` (included elsewhere) and records it.
    fn sync_sender(&mut self, sender: &AccountId, account_nonce: u64) {
        let Some(queue) = self.senders.get_mut(sender) else {
            return;
        };
        queue.next_nonce = queue.next_nonce.max(account_nonce);
        let keep = queue.txs.split_off(&queue.next_nonce);
        let stale = std::mem::replace(&mut queue.txs, keep);
        for entry in stale.values() {
            self.by_hash.remove(&entry.hash);
            self.bytes -= entry.size;
        }
        if queue.txs.is_empty() {
            self.senders.remove(sender);
        }
    }

    fn admit(
        &mut self,
        tx: SignedTransaction,
        checked: Checked,
        state: &dyn StateView,
    ) -> Result<Hash32, MempoolError> {
        let hash = checked.hash;
        if self.contains(&hash) {
            return Err(MempoolError::AlreadyKnown(hash));
        }
        let body = tx.tx.v1();
        let (nonce, gas_price) = (body.nonce, body.gas_price);
        if gas_price < self.config.min_gas_price {
            return Err(MempoolError::GasPriceTooLow {
                price: gas_price,
                min: self.config.min_gas_price,
            });
        }
        let sender = checked.sender;
        let account = read_account(state, &sender)?;
        // The state may be older than a block this mempool has seen (`remove_included`).
        let next = self
            .senders
            .get(&sender)
            .map_or(account.nonce, |q| q.next_nonce.max(account.nonce));
        if nonce < next {
            return Err(TxError::NonceTooLow {
                expected: next,
                found: nonce,
            }
            .into());
        }
        let max = self.config.max_per_sender;
        if nonce - next >= max as u64 {
            return Err(MempoolError::NonceTooFarAhead { nonce, next, max });
        }
        self.sync_sender(&sender, next);

        let queue = self.senders.get(&sender);
        let replaced = queue.and_then(|q| q.txs.get(&nonce));
        if let Some(old) = replaced {
            let bump = (old.gas_price as u128 * self.config.replacement_bump_percent as u128)
                .div_ceil(100)
                .max(1);
            let min = (old.gas_price as u128 + bump).min(u64::MAX as u128) as u64;
            if gas_price < min || gas_price == old.gas_price {
                return Err(MempoolError::ReplacementUnderpriced {
                    old: old.gas_price,
                    min,
                });
            }
        } else if queue.is_some_and(|q| q.txs.len() >= max) {
            return Err(MempoolError::SenderFull(max));
        }
        let others: u128 = queue
            .into_iter()
            .flat_map(|q| q.txs.iter())
            .filter(|(n, _)| **n != nonce)
            .fold(0u128, |sum, (_, e)| sum.saturating_add(e.max_cost));
        let needed = others.saturating_add(checked.max_cost);
        if needed > account.balance {
            return Err(TxError::InsufficientBalance {
                balance: account.balance,
                needed,
            }
            .into());
        }
        let (extra_txs, freed) = match replaced {
            Some(old) => (0, old.size),
            None => (1, 0),
        };
        let victims = self.victims(&sender, gas_price, extra_txs, checked.size, freed)?;

        for (s, n) in victims {
            self.remove_entry(&s, n);
        }
        self.remove_entry(&sender, nonce);
        self.seq += 1;
        let entry = Entry {
            hash,
            size: checked.size,
            gas_limit: body.gas_limit,
            gas_price,
            max_cost: checked.max_cost,
            seq: self.seq,
            tx,
        };
        let queue = self.senders.entry(sender).or_default();
        queue.next_nonce = queue.next_nonce.max(next);
        queue.txs.insert(nonce, entry);
        self.by_hash.insert(hash, (sender, nonce));
        self.bytes += checked.size;
        Ok(hash)
    }

    /// The transactions to evict so that one more (`extra_txs`, `size` bytes, replacing one of
    /// `freed` bytes) fits: the cheapest queue tails of other senders, each strictly cheaper
    /// than `price`. [`MempoolError::Full`] if that is not enough.
    fn victims(
        &self,
        sender: &AccountId,
        price: u64,
        extra_txs: usize,
        size: usize,
        freed: usize,
    ) -> Result<Vec<(AccountId, u64)>, MempoolError> {
        let mut excess_txs = (self.len() + extra_txs).saturating_sub(self.config.max_txs);
        let mut excess_bytes = (self.bytes + size)
            .saturating_sub(freed)
            .saturating_sub(self.config.max_bytes);
        let mut victims = Vec::new();
        if excess_txs == 0 && excess_bytes == 0 {
            return Ok(victims);
        }
        // Each other sender's remaining entries, highest nonce last.
        let mut queues: BTreeMap<&AccountId, Vec<&Entry>> = self
            .senders
            .iter()
            .filter(|(s, _)| *s != sender)
            .map(|(s, q)| (s, q.txs.values().collect()))
            .collect();
        let tail = |s: &AccountId, e: &Entry| (e.gas_price, Reverse(e.seq), *s);
        let mut tails: BTreeSet<(u64, Reverse<u64>, AccountId)> = queues
            .iter()
            .filter_map(|(s, q)| q.last().map(|e| tail(s, e)))
            .collect();
        while excess_txs > 0 || excess_bytes > 0 {
            let Some((cheapest, _, s)) = tails.pop_first() else {
                return Err(MempoolError::Full(price));
            };
            if cheapest >= price {
                return Err(MempoolError::Full(price));
            }
            let Some(queue) = queues.get_mut(&s) else {
                return Err(MempoolError::Full(price));
            };
            let Some(entry) = queue.pop() else {
                return Err(MempoolError::Full(price));
            };
            victims.push((s, entry.tx.tx.v1().nonce));
            excess_txs = excess_txs.saturating_sub(1);
            excess_bytes = excess_bytes.saturating_sub(entry.size);
            if let Some(next) = queue.last() {
                tails.insert(tail(&s, next));
            }
        }
        Ok(victims)
    }

    fn remove_entry(&mut self, sender: &AccountId, nonce: u64) -> Option<SignedTransaction> {
        let queue = self.senders.get_mut(sender)?;
        let entry = queue.txs.remove(&nonce)?;
        if queue.txs.is_empty() {
            self.senders.remove(sender);
        }
        self.by_hash.remove(&entry.hash);
        self.bytes -= entry.size;
        Some(entry.tx)
    }

    /// Removes one transaction (e.g. one a block builder found invalid).
    pub fn remove(&mut self, hash: &Hash32) -> Option<SignedTransaction> {
        let (sender, nonce) = *self.by_hash.get(hash)?;
        self.remove_entry(&sender, nonce)
    }

    /// Removes what `build_block` left out for good: transactions invalid for a reason that
    /// cannot change ([`TxError::is_permanent`]).
    pub fn remove_excluded(&mut self, excluded: &[ExcludedTx]) {
        for e in excluded {
            if matches!(&e.reason, Exclusion::Invalid(err) if err.is_permanent()) {
                self.remove(&e.hash);
            }
        }
    }

    /// Removes the transactions of a committed block, and every queued transaction its senders
    /// can no longer use (a nonce at or below one the block consumed).
    pub fn remove_included(&mut self, block: &Block) {
        for tx in &block.transactions {
            let body = tx.tx.v1();
            self.sync_sender(&tx.sender(), body.nonce.saturating_add(1));
        }
    }

    /// Transactions for the next block, at most `max_gas` in gas limits and
    /// `MAX_BLOCK_TX_BYTES` in bytes, in proposal order (see the module docs).
    pub fn pending(&self, max_gas: u64) -> Vec<SignedTransaction> {
        let mut heads: BTreeSet<(Reverse<u64>, AccountId, u64)> = self
            .senders
            .iter()
            .filter_map(|(s, q)| {
                let e = q.txs.get(&q.next_nonce)?;
                Some((Reverse(e.gas_price), *s, q.next_nonce))
            })
            .collect();
        let (mut gas, mut bytes) = (0u64, 0usize);
        let mut out = Vec::new();
        while let Some((_, sender, nonce)) = heads.pop_first() {
            let Some(queue) = self.senders.get(&sender) else {
                continue;
            };
            let Some(e) = queue.txs.get(&nonce) else {
                continue;
            };
            let fits = gas.checked_add(e.gas_limit).is_some_and(|g| g <= max_gas)
                && bytes + e.size <= MAX_BLOCK_TX_BYTES;
            if !fits {
                continue;
            }
            gas += e.gas_limit;
            bytes += e.size;
            out.push(e.tx.clone());
            if let Some(next) = nonce.checked_add(1)
                && let Some(n) = queue.txs.get(&next)
            {
                heads.insert((Reverse(n.gas_price), sender, next));
            }
        }
        out
    }
}
