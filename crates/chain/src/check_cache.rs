//! Stateless verdicts this node already reached: [`CheckCache`].
//!
//! A transaction's stateless checks (`SignedTransaction::check`: size, chain id, field limits,
//! gas, the sender's key and, above all, the strict Ed25519 signature) run where it enters the
//! node (mempool admission, from a client or from a peer's gossip) and again when a block holding
//! it executes. Both are the same pure function of the same bytes and the chain's parameters, so
//! the second can reuse the first: the cache records each transaction that passed, with what the
//! checks learned ([`Checked`]: hash, sender, size, intrinsic gas, cost), and
//! [`CheckCache::check`] returns that record for a transaction *equal* to a recorded one (every
//! field compared, the signature included) under the same parameters. The verdict is the same
//! with or without the cache, so a block's validity never depends on what a node happened to see
//! before (determinism); only its speed does. Failures are not recorded: a bad transaction is
//! refused again, by the same checks, every time.
//!
//! Entries are found by signature (64 bytes that differ between any two transactions an honest
//! key signs) and confirmed by comparing the whole transaction, so a transaction that reuses
//! another's signature bytes is checked in full (and fails). Transactions larger than
//! [`MAX_CACHED_TX_BYTES`] (deploys) are not recorded: their checks are negligible beside their
//! execution, and keeping their code would cost memory.
//!
//! **Why by hand**: the cache needs lookup and a bound, not recency order or statistics, so two
//! generations of hash maps (the older one dropped when the newer one fills) give both in a few
//! lines, where an LRU crate would add a dependency for ordering nobody reads. An entry stays
//! for at least one full generation of newer ones ([`DEFAULT_GENERATION`] transactions or
//! [`GENERATION_BYTES`]); an evicted one costs only a re-check.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::account::ChainParams;
use crate::error::TxError;
use crate::tx::{Checked, SignedTransaction, par_map};

/// Transactions one generation holds by default: several full default mempools
/// (`MempoolConfig::max_txs` = 10,000) between admission and inclusion.
pub const DEFAULT_GENERATION: usize = 65_536;

/// Encoded bytes one generation holds at most (a generation also ends at this size): with two
/// generations the cache stays under about 2 × 16 MiB of transactions.
pub const GENERATION_BYTES: usize = 16 * 1024 * 1024;

/// Largest transaction recorded, in encoded bytes.
pub const MAX_CACHED_TX_BYTES: usize = 16 * 1024;

struct Entry {
    tx: SignedTransaction,
    params: ChainParams,
    checked: Checked,
}

#[derive(Default)]
struct Generation {
    entries: HashMap<[u8; 64], Entry>,
    bytes: usize,
}

#[derive(Default)]
struct Generations {
    current: Generation,
    previous: Generation,
}

/// Stateless verdicts already reached (see the module docs). Shared by a node's mempool and its
/// block execution; `Sync`, so block execution's worker threads consult it too.
pub struct CheckCache {
    generation: usize,
    sets: Mutex<Generations>,
}

impl Default for CheckCache {
    fn default() -> Self {
        CheckCache::new(DEFAULT_GENERATION)
    }
}

impl std::fmt::Debug for CheckCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckCache")
            .field("generation", &self.generation)
            .field("len", &self.len())
            .finish()
    }
}

impl CheckCache {
    /// A cache whose generations hold `generation` transactions each (at least 1).
    pub fn new(generation: usize) -> CheckCache {
        CheckCache {
            generation: generation.max(1),
            sets: Mutex::default(),
        }
    }

    /// A cache that remembers at most one transaction: nearly every check runs in full (for
    /// callers with no node around them, e.g. a one-off re-execution, and tests).
    pub fn none() -> CheckCache {
        CheckCache::new(1)
    }

    /// Transactions held now.
    pub fn len(&self) -> usize {
        let sets = self.lock();
        sets.current.entries.len() + sets.previous.entries.len()
    }

    /// Whether it holds no transaction.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // A panic while holding the lock left the maps consistent (each step is one insert or
        // one swap): keep using them.
        self.sets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `tx.check(params)`: the recorded result if an equal transaction passed under the same
    /// parameters before, otherwise the checks in full (recording a pass).
    pub fn check(&self, tx: &SignedTransaction, params: &ChainParams) -> Result<Checked, TxError> {
        let mut results = self.check_many(&[tx], params);
        results.pop().unwrap_or(Err(TxError::BadSignature))
    }

    /// [`Self::check`] for each of `txs`, in order. The lookups take the lock once, the full
    /// checks of the others run on all cores for large batches (`tx::par_map`), and the passes
    /// are recorded under the lock once: worker threads never queue on it per transaction.
    pub fn check_many(
        &self,
        txs: &[&SignedTransaction],
        params: &ChainParams,
    ) -> Vec<Result<Checked, TxError>> {
        let known: Vec<Option<Checked>> = {
            let sets = self.lock();
            txs.iter()
                .map(|tx| {
                    [&sets.current, &sets.previous].into_iter().find_map(|g| {
                        let entry = g.entries.get(&tx.signature)?;
                        (entry.params == *params && entry.tx == **tx).then_some(entry.checked)
                    })
                })
                .collect()
        };
        let unknown: Vec<&SignedTransaction> = txs
            .iter()
            .zip(&known)
            .filter_map(|(tx, k)| k.is_none().then_some(*tx))
            .collect();
        let mut fresh = par_map(&unknown, |tx| tx.check(params)).into_iter();
        let results: Vec<Result<Checked, TxError>> = known
            .into_iter()
            .map(|k| match k {
                Some(checked) => Ok(checked),
                None => fresh.next().unwrap_or(Err(TxError::BadSignature)),
            })
            .collect();
        if !unknown.is_empty() {
            let mut sets = self.lock();
            for (tx, result) in txs.iter().zip(&results) {
                if let Ok(checked) = result {
                    self.record(&mut sets, tx, params, *checked);
                }
            }
        }
        results
    }

    fn record(
        &self,
        sets: &mut Generations,
        tx: &SignedTransaction,
        params: &ChainParams,
        checked: Checked,
    ) {
        if checked.size > MAX_CACHED_TX_BYTES {
            return;
        }
        let current = &sets.current;
        if current
            .entries
            .get(&tx.signature)
            .is_some_and(|e| e.params == *params && e.tx == *tx)
        {
            return;
        }
        if current.entries.len() >= self.generation || current.bytes >= GENERATION_BYTES {
            sets.previous = std::mem::take(&mut sets.current);
        }
        sets.current.bytes += checked.size;
        let entry = Entry {
            tx: tx.clone(),
            params: *params,
            checked,
        };
        sets.current.entries.insert(tx.signature, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx::{Action, Transaction, TransactionV1};
    use ed25519_dalek::SigningKey;

    fn params() -> ChainParams {
        ChainParams {
            chain_id: 3,
            protocol_version: 2,
            block_gas_limit: 10_000_000_000,
        }
    }

    fn transfer(nonce: u64) -> SignedTransaction {
        let key = SigningKey::from_bytes(&[9; 32]);
        Transaction::V1(TransactionV1 {
            chain_id: 3,
            sender: key.verifying_key().to_bytes(),
            nonce,
            gas_limit: 10_000_000,
            gas_price: 1,
            action: Action::Transfer {
                to: crate::AccountId([1; 32]),
                amount: 5,
            },
        })
        .sign(&key)
        .expect("sender's key")
    }

    #[test]
    fn a_recorded_pass_is_reused_and_a_changed_transaction_is_checked_again() {
        let cache = CheckCache::default();
        let tx = transfer(0);
        let first = cache.check(&tx, &params()).expect("valid");
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.check(&tx, &params()), Ok(first));
        assert_eq!(cache.len(), 1);

        // Same signature bytes on another body: checked in full, refused, not recorded.
        let mut forged = transfer(1);
        forged.signature = tx.signature;
        assert_eq!(cache.check(&forged, &params()), Err(TxError::BadSignature));
        // Another chain's parameters: checked in full.
        let other = ChainParams {
            chain_id: 4,
            ..params()
        };
        assert!(matches!(
            cache.check(&tx, &other),
            Err(TxError::WrongChain { .. })
        ));
        // A flipped signature bit: refused, every time.
        let mut bad = tx.clone();
        bad.signature[0] ^= 1;
        for _ in 0..2 {
            assert_eq!(cache.check(&bad, &params()), Err(TxError::BadSignature));
        }
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn generations_bound_the_cache() {
        let cache = CheckCache::new(4);
        for nonce in 0..20 {
            cache.check(&transfer(nonce), &params()).expect("valid");
            assert!(cache.len() <= 8, "{}", cache.len());
        }
        // The newest are still there (a hit does not grow the cache).
        let before = cache.len();
        cache.check(&transfer(19), &params()).expect("valid");
        assert_eq!(cache.len(), before);
    }
}
