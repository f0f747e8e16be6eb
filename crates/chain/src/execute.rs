//! Block execution: [`execute_block`] (a pure function of the parent state, the block context
//! and the transactions), [`build_block`] (the proposer: execute candidates, leave out the
//! invalid ones, fill the header) and [`verify_block`] (everyone else: re-execute and compare).
//!
//! All three run every transaction of a block in one VM session on the parent state, one after
//! the other (see `apply` for one transaction), and commit the session: the returned state root
//! is then retained by the VM's store (and is its head), ready to build the next block on. A
//! node that rejects the block may `delete_root` it, unless another block it keeps has the same
//! state. The chain parameters (chain id, protocol version, block gas limit) are read from the
//! parent state, where the genesis wrote them.
//!
//! Signatures are verified on all cores for large blocks (`tx::check_all`), each one strictly:
//! the verdict on a transaction never depends on the others. All three take the node's
//! [`CheckCache`]: a transaction that passed its stateless checks on this node before (at mempool
//! admission, or in a block it built or verified) is not checked again, with the same verdict
//! (pass [`CheckCache::none`] to check everything).

use std::collections::BTreeMap;

use shortcrust_store::Root;
use shortcrust_vm::{Context, Fault, Session, SessionConfig, Vm};

use crate::Hash32;
use crate::account::{self, AccountId, ChainParams};
use crate::apply::{Failure, apply};
use crate::block::{Block, BlockHeader, MAX_BLOCK_TX_BYTES, receipts_root, transactions_root};
use crate::check_cache::CheckCache;
use crate::error::{ChainError, TxError};
use crate::ledger::Ledger;
use crate::receipt::Receipt;
use crate::tx::{SignedTransaction, check_all};

/// What a block's execution depends on besides its parent state and its transactions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockContext {
    pub height: u64,
    /// Seconds since the Unix epoch, decided by consensus.
    pub timestamp: u64,
    /// Receives the fees.
    pub proposer: AccountId,
}

impl BlockContext {
    /// The context a header describes.
    pub fn of(header: &BlockHeader) -> BlockContext {
        BlockContext {
            height: header.height,
            timestamp: header.timestamp,
            proposer: header.proposer,
        }
    }
}

/// The result of executing a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutedBlock {
    /// One per transaction, in block order.
    pub receipts: Vec<Receipt>,
    /// The state after the block (committed).
    pub state_root: Root,
    /// The sum of the receipts' gas used.
    pub gas_used: u64,
}

/// Why [`build_block`] left a candidate out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exclusion {
    /// Invalid now (see [`TxError::is_permanent`] for whether it may become valid).
    Invalid(TxError),
    /// Valid as far as checked, but its gas limit or size no longer fits in this block.
    BlockFull,
    /// A fault of this node while executing it (see [`Fault`]): try again later.
    Fault(Fault),
}

/// A candidate [`build_block`] left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExcludedTx {
    pub hash: Hash32,
    pub reason: Exclusion,
}

/// A block built by [`build_block`], with its receipts and what was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltBlock {
    pub block: Block,
    pub receipts: Vec<Receipt>,
    pub excluded: Vec<ExcludedTx>,
}

/// A session on `root` and the chain parameters stored there.
fn open(vm: &Vm, root: Root) -> Result<(Session, ChainParams), ChainError> {
    let session = vm.session(SessionConfig {
        root: Some(root),
        context: Context::default(),
    })?;
    let params = account::load_params(&session)?;
    Ok((session, params))
}

/// Executes `txs` on the state `parent_state_root` in the block context `block`.
///
/// Deterministic: the same inputs give the same receipts, root and gas on every node. Errors:
/// [`ChainError::InvalidTx`] (the first invalid transaction: the block is invalid),
/// [`ChainError::BlockGasLimitExceeded`], [`ChainError::BlockTooLarge`], and
/// [`ChainError::Fault`] when this node cannot execute it (retry or halt; not a verdict).
pub fn execute_block(
    vm: &Vm,
    checks: &CheckCache,
    parent_state_root: Root,
    block: &BlockContext,
    txs: &[SignedTransaction],
) -> Result<ExecutedBlock, ChainError> {
    let (mut session, params) = open(vm, parent_state_root)?;
    let mut reserved: u128 = 0;
    for (index, tx) in txs.iter().enumerate() {
        let gas_limit = tx.tx.v1().gas_limit;
        // One transaction over the limit is that transaction's fault: say so precisely.
        if gas_limit > params.block_gas_limit {
            return Err(ChainError::InvalidTx {
                index,
                hash: tx.hash(),
                error: TxError::GasLimitAboveBlockLimit {
                    gas_limit,
                    block_limit: params.block_gas_limit,
                },
            });
        }
        reserved += gas_limit as u128;
    }
    if reserved > params.block_gas_limit as u128 {
        return Err(ChainError::BlockGasLimitExceeded {
            total: reserved,
            limit: params.block_gas_limit,
        });
    }
    let checks = check_all(txs, &params, checks);
    let mut bytes = 0usize;
    let mut checked = Vec::with_capacity(txs.len());
    for (index, (tx, check)) in txs.iter().zip(checks).enumerate() {
        let c = check.map_err(|error| ChainError::InvalidTx {
            index,
            hash: tx.hash(),
            error,
        })?;
        bytes = bytes.saturating_add(c.size);
        checked.push(c);
    }
    if bytes > MAX_BLOCK_TX_BYTES {
        return Err(ChainError::BlockTooLarge {
            bytes,
            max: MAX_BLOCK_TX_BYTES,
        });
    }
    let mut receipts = Vec::with_capacity(txs.len());
    let mut gas_used = 0u64;
    let mut ledger = Ledger::default();
    for (index, (tx, c)) in txs.iter().zip(&checked).enumerate() {
        match apply(&mut session, &mut ledger, &params, block, tx, c) {
            Ok(receipt) => {
                // Cannot overflow: each is at most its gas limit, and those sum within a u64.
                gas_used = gas_used.saturating_add(receipt.gas_used);
                receipts.push(receipt);
            }
            Err(Failure::Invalid(error)) => {
                return Err(ChainError::InvalidTx {
                    index,
                    hash: c.hash,
                    error,
                });
            }
            Err(Failure::Fault { fault, .. }) => {
                return Err(ChainError::Fault {
                    hash: c.hash,
                    fault,
                });
            }
            Err(Failure::Chain(e)) => return Err(e),
        }
    }
    ledger.flush(&mut session)?;
    let state_root = session.commit()?;
    Ok(ExecutedBlock {
        receipts,
        state_root,
        gas_used,
    })
}

/// Checks that `block` may follow `parent`.
fn check_succession(parent: &BlockHeader, block: &BlockContext) -> Result<(), ChainError> {
    let expected = parent.height.saturating_add(1);
    if block.height != expected {
        return Err(ChainError::HeightMismatch {
            expected,
            found: block.height,
        });
    }
    if block.timestamp < parent.timestamp {
        return Err(ChainError::TimestampBeforeParent {
            parent: parent.timestamp,
            found: block.timestamp,
        });
    }
    Ok(())
}

/// Re-executes `block` on `parent`'s state and checks everything the header claims: height,
/// parent hash, timestamp (not before the parent's), gas limit, transactions root, then state
/// root, receipts root and gas used. Every transaction must be valid.
///
/// `Ok` is the block's execution (its state committed); a mismatch is the precise
/// `ChainError::*Mismatch`; [`ChainError::Fault`] means this node could not execute it.
pub fn verify_block(
    vm: &Vm,
    checks: &CheckCache,
    parent: &BlockHeader,
    block: &Block,
) -> Result<ExecutedBlock, ChainError> {
    let header = &block.header;
    let context = BlockContext::of(header);
    check_succession(parent, &context)?;
    let parent_hash = parent.hash();
    if header.parent_hash != parent_hash {
        return Err(ChainError::ParentHashMismatch {
            expected: parent_hash,
            found: header.parent_hash,
        });
    }
    let params = account::read_params(&*vm.store().view(&parent.state_root())?)?;
    if header.gas_limit != params.block_gas_limit {
        return Err(ChainError::GasLimitMismatch {
            expected: params.block_gas_limit,
            found: header.gas_limit,
        });
    }
    let computed = transactions_root(&block.transactions);
    if header.transactions_root != computed {
        return Err(ChainError::TransactionsRootMismatch {
            header: header.transactions_root,
            computed,
        });
    }
    let executed = execute_block(
        vm,
        checks,
        parent.state_root(),
        &context,
        &block.transactions,
    )?;
    let computed: Hash32 = executed.state_root.into();
    if header.state_root != computed {
        return Err(ChainError::StateRootMismatch {
            header: header.state_root,
            computed,
        });
    }
    let computed = receipts_root(&executed.receipts);
    if header.receipts_root != computed {
        return Err(ChainError::ReceiptsRootMismatch {
            header: header.receipts_root,
            computed,
        });
    }
    if header.gas_used != executed.gas_used {
        return Err(ChainError::GasUsedMismatch {
            header: header.gas_used,
            computed: executed.gas_used,
        });
    }
    Ok(executed)
}

/// Builds the block after `parent` from `candidates`, in their order (e.g. `Mempool::pending`):
/// each is executed if it is valid and fits (gas limits within the block gas limit, bytes within
/// [`MAX_BLOCK_TX_BYTES`]), otherwise left out with the reason. The header is filled from the
/// execution. `block.height` must be `parent.height + 1`.
///
/// A fault of this node on one candidate leaves it out ([`Exclusion::Fault`]) and building goes
/// on, except for faults of the state store, which abort with [`ChainError::Fault`].
pub fn build_block(
    vm: &Vm,
    checks: &CheckCache,
    parent: &BlockHeader,
    block: &BlockContext,
    candidates: Vec<SignedTransaction>,
) -> Result<BuiltBlock, ChainError> {
    check_succession(parent, block)?;
    let params = account::read_params(&*vm.store().view(&parent.state_root())?)?;
    let checks = check_all(&candidates, &params, checks);
    // Candidates whose fault left the session unusable: building restarts without them.
    let mut skipped = BTreeMap::new();
    loop {
        let (mut session, _) = open(vm, parent.state_root())?;
        let mut included = Vec::new();
        let mut receipts = Vec::new();
        let mut excluded = Vec::new();
        let (mut gas_reserved, mut gas_used, mut bytes) = (0u64, 0u64, 0usize);
        let mut restart = None;
        let mut ledger = Ledger::default();
        for (index, (tx, check)) in candidates.iter().zip(&checks).enumerate() {
            let exclude = |reason| ExcludedTx {
                hash: tx.hash(),
                reason,
            };
            let c = match check {
                Ok(c) => c,
                Err(e) => {
                    excluded.push(exclude(Exclusion::Invalid(e.clone())));
                    continue;
                }
            };
            if let Some(fault) = skipped.get(&index) {
                excluded.push(exclude(Exclusion::Fault(Fault::clone(fault))));
                continue;
            }
            let gas_limit = tx.tx.v1().gas_limit;
            let fits_gas = gas_reserved
                .checked_add(gas_limit)
                .is_some_and(|g| g <= params.block_gas_limit);
            if !fits_gas || bytes.saturating_add(c.size) > MAX_BLOCK_TX_BYTES {
                excluded.push(exclude(Exclusion::BlockFull));
                continue;
            }
            match apply(&mut session, &mut ledger, &params, block, tx, c) {
                Ok(receipt) => {
                    gas_reserved += gas_limit;
                    gas_used += receipt.gas_used;
                    bytes += c.size;
                    included.push(tx.clone());
                    receipts.push(receipt);
                }
                Err(Failure::Invalid(e)) => excluded.push(exclude(Exclusion::Invalid(e))),
                Err(Failure::Fault { fault, .. }) if matches!(fault, Fault::Store(_)) => {
                    return Err(ChainError::Fault {
                        hash: c.hash,
                        fault,
                    });
                }
                Err(Failure::Fault {
                    fault,
                    restored: true,
                }) => excluded.push(exclude(Exclusion::Fault(fault))),
                Err(Failure::Fault {
                    fault,
                    restored: false,
                }) => {
                    restart = Some((index, fault));
                    break;
                }
                Err(Failure::Chain(e)) => return Err(e),
            }
        }
        if let Some((index, fault)) = restart {
            skipped.insert(index, fault);
            continue;
        }
        ledger.flush(&mut session)?;
        let state_root = session.commit()?;
        let header = BlockHeader {
            height: block.height,
            parent_hash: parent.hash(),
            timestamp: block.timestamp,
            proposer: block.proposer,
            transactions_root: transactions_root(&included),
            receipts_root: receipts_root(&receipts),
            state_root: state_root.into(),
            gas_used,
            gas_limit: params.block_gas_limit,
        };
        return Ok(BuiltBlock {
            block: Block {
                header,
                transactions: included,
            },
            receipts,
            excluded,
        });
    }
}
