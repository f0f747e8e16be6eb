//! The chain database, `dir/chain.redb`: blocks, receipts and their indexes, and the head.
//!
//! Tables (integers big-endian so that keys sort by height):
//!
//! | table | key | value |
//! |---|---|---|
//! | `blocks` | height (u64) | borsh `Block` |
//! | `receipts` | height (u64) | borsh `Vec<Receipt>` (block order) |
//! | `block_hashes` | block hash (32 bytes) | height |
//! | `txs` | transaction hash (32 bytes) | height (8) ‖ index in block (4) |
//! | `events` | contract (32) ‖ height (8) ‖ tx index (4) ‖ event index (4) | empty |
//! | `meta` | `"head"` | height of the head block (8) |
//! | `finalizations` | height (u64) | the block's finalization certificate (commonware codec), on a validators' chain |
//!
//! A block, its receipts, its index entries and the new head are written in **one** redb write
//! transaction with immediate durability ([`ChainDb::commit_block`]): after a crash the database
//! holds every block up to the head and nothing of the next. See the crate docs for how the
//! state is kept in step.

use std::path::Path;

use redb::{Database, ReadableDatabase, TableDefinition};
use shortcrust_chain::{Block, Hash32, Receipt};

use crate::error::NodeError;

const BLOCKS: TableDefinition<u64, &[u8]> = TableDefinition::new("blocks");
const RECEIPTS: TableDefinition<u64, &[u8]> = TableDefinition::new("receipts");
const BLOCK_HASHES: TableDefinition<&[u8], u64> = TableDefinition::new("block_hashes");
const TXS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("txs");
const EVENTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("events");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const FINALIZATIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("finalizations");
const HEAD: &str = "head";

/// File name of the chain database inside a node directory.
pub const CHAIN_DB_FILE: &str = "chain.redb";

/// Where an included transaction is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxLocation {
    pub height: u64,
    pub index: u32,
}

/// One indexed event occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventLocation {
    pub height: u64,
    pub tx_index: u32,
    pub event_index: u32,
}

/// The chain database. See the module docs.
pub struct ChainDb {
    db: Database,
}

fn corrupted(what: &str) -> NodeError {
    NodeError::Corrupted(what.to_string())
}

impl ChainDb {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> Result<ChainDb, NodeError> {
        let db = Database::create(path)?;
        let txn = db.begin_write()?;
        {
            txn.open_table(BLOCKS)?;
            txn.open_table(RECEIPTS)?;
            txn.open_table(BLOCK_HASHES)?;
            txn.open_table(TXS)?;
            txn.open_table(EVENTS)?;
            txn.open_table(META)?;
            txn.open_table(FINALIZATIONS)?;
        }
        txn.commit()?;
        Ok(ChainDb { db })
    }

    /// The head's height, `None` before the genesis block is stored.
    pub fn head(&self) -> Result<Option<u64>, NodeError> {
        let txn = self.db.begin_read()?;
        let meta = txn.open_table(META)?;
        let Some(v) = meta.get(HEAD)? else {
            return Ok(None);
        };
        let bytes: [u8; 8] = v.value().try_into().map_err(|_| corrupted("head record"))?;
        Ok(Some(u64::from_be_bytes(bytes)))
    }

    /// Stores `block` with its `receipts` and indexes, and makes it the head, atomically and
    /// durably.
    pub fn commit_block(&self, block: &Block, receipts: &[Receipt]) -> Result<(), NodeError> {
        self.commit_finalized_block(block, receipts, None)
    }

    /// [`ChainDb::commit_block`], with the block's finalization certificate (encoded) stored in
    /// the same transaction: on a validators' chain a stored block always has its certificate.
    pub fn commit_finalized_block(
        &self,
        block: &Block,
        receipts: &[Receipt],
        finalization: Option<&[u8]>,
    ) -> Result<(), NodeError> {
        let height = block.header.height;
        let hash = block.hash();
        let txn = self.db.begin_write()?;
        {
            let mut blocks = txn.open_table(BLOCKS)?;
            blocks.insert(height, block.to_bytes().as_slice())?;
            let mut table = txn.open_table(RECEIPTS)?;
            let encoded = borsh::to_vec(&receipts.to_vec())
                .map_err(|e| NodeError::Db(format!("encoding receipts: {e}")))?;
            table.insert(height, encoded.as_slice())?;
            let mut hashes = txn.open_table(BLOCK_HASHES)?;
            hashes.insert(hash.0.as_slice(), height)?;
            let mut txs = txn.open_table(TXS)?;
            let mut events = txn.open_table(EVENTS)?;
            for (index, (tx, receipt)) in block.transactions.iter().zip(receipts).enumerate() {
                let mut location = [0u8; 12];
                location[..8].copy_from_slice(&height.to_be_bytes());
                location[8..].copy_from_slice(&(index as u32).to_be_bytes());
                txs.insert(tx.hash().0.as_slice(), location.as_slice())?;
                for (e, event) in receipt.events.iter().enumerate() {
                    events.insert(
                        event_key(&event.contract, height, index as u32, e as u32).as_slice(),
                        [].as_slice(),
                    )?;
                }
            }
            let mut meta = txn.open_table(META)?;
            meta.insert(HEAD, height.to_be_bytes().as_slice())?;
            if let Some(certificate) = finalization {
                txn.open_table(FINALIZATIONS)?.insert(height, certificate)?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// The encoded finalization certificate of the block at `height`, if this node stored one.
    pub fn finalization(&self, height: u64) -> Result<Option<Vec<u8>>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(FINALIZATIONS)?;
        Ok(table.get(height)?.map(|v| v.value().to_vec()))
    }

    /// The first stored certificate at `height` or above (at most `limit` heights up): a block
    /// finalized together with a descendant (consensus finalized the descendant's view) has no
    /// certificate of its own; the descendant's, with the hash chain between them, proves it.
    pub fn next_finalization(
        &self,
        height: u64,
        limit: u64,
    ) -> Result<Option<(u64, Vec<u8>)>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(FINALIZATIONS)?;
        let mut range = table.range(height..height.saturating_add(limit))?;
        match range.next() {
            Some(entry) => {
                let (h, v) = entry?;
                Ok(Some((h.value(), v.value().to_vec())))
            }
            None => Ok(None),
        }
    }

    /// The block at `height`.
    pub fn block(&self, height: u64) -> Result<Option<Block>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(BLOCKS)?;
        let Some(v) = table.get(height)? else {
            return Ok(None);
        };
        Block::from_bytes(v.value())
            .map(Some)
            .map_err(|e| NodeError::Corrupted(format!("block {height}: {e}")))
    }

    /// The receipts of the block at `height`.
    pub fn receipts(&self, height: u64) -> Result<Option<Vec<Receipt>>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(RECEIPTS)?;
        let Some(v) = table.get(height)? else {
            return Ok(None);
        };
        borsh::from_slice(v.value())
            .map(Some)
            .map_err(|e| NodeError::Corrupted(format!("receipts of block {height}: {e}")))
    }

    /// The height of the block with hash `hash`.
    pub fn height_of(&self, hash: &Hash32) -> Result<Option<u64>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(BLOCK_HASHES)?;
        Ok(table.get(hash.0.as_slice())?.map(|v| v.value()))
    }

    /// Where the transaction `hash` was included.
    pub fn tx_location(&self, hash: &Hash32) -> Result<Option<TxLocation>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(TXS)?;
        let Some(v) = table.get(hash.0.as_slice())? else {
            return Ok(None);
        };
        let bytes = v.value();
        if bytes.len() != 12 {
            return Err(corrupted("transaction index record"));
        }
        let mut h = [0u8; 8];
        h.copy_from_slice(&bytes[..8]);
        let mut i = [0u8; 4];
        i.copy_from_slice(&bytes[8..]);
        Ok(Some(TxLocation {
            height: u64::from_be_bytes(h),
            index: u32::from_be_bytes(i),
        }))
    }

    /// Up to `limit` events of `contract` from height `from` on, in chain order.
    pub fn events(
        &self,
        contract: &[u8; 32],
        from: u64,
        limit: usize,
    ) -> Result<Vec<EventLocation>, NodeError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(EVENTS)?;
        let start = event_key(contract, from, 0, 0);
        let end = event_key(contract, u64::MAX, u32::MAX, u32::MAX);
        let mut out = Vec::new();
        for entry in table.range(start.as_slice()..=end.as_slice())? {
            if out.len() >= limit {
                break;
            }
            let (k, _) = entry?;
            let k = k.value();
            if k.len() != 48 {
                return Err(corrupted("event index key"));
            }
            let mut h = [0u8; 8];
            h.copy_from_slice(&k[32..40]);
            let mut t = [0u8; 4];
            t.copy_from_slice(&k[40..44]);
            let mut e = [0u8; 4];
            e.copy_from_slice(&k[44..48]);
            out.push(EventLocation {
                height: u64::from_be_bytes(h),
                tx_index: u32::from_be_bytes(t),
                event_index: u32::from_be_bytes(e),
            });
        }
        Ok(out)
    }
}

fn event_key(contract: &[u8; 32], height: u64, tx: u32, event: u32) -> [u8; 48] {
    let mut key = [0u8; 48];
    key[..32].copy_from_slice(contract);
    key[32..40].copy_from_slice(&height.to_be_bytes());
    key[40..44].copy_from_slice(&tx.to_be_bytes());
    key[44..].copy_from_slice(&event.to_be_bytes());
    key
}
