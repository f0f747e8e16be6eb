//! The redb schema of a state directory, record codecs, and the adapters that let the shared
//! tree and commit code read and write redb tables.
//!
//! Tables (all keys are 32-byte hashes unless said otherwise):
//! - `meta` (`&str` → bytes): `format` = [`FORMAT`], `head` = the head root, `next_seq` = u64 LE.
//! - `roots`: retained roots → commit record (`has_parent (1) || parent (32) || seq (8 LE) ||
//!   height (8 LE)`). The empty root is always present.
//! - `pending_release`: deleted roots not yet pruned → how many times deleted (each holds one
//!   node reference until pruned).
//! - `nodes`: node hash → node record (see `node.rs`); `node_refs`: node hash → reference count.
//! - `code`: code hash → code; `code_refs`: code hash → reference count.
//!
//! Counts live in their own tables so that bumping a count never rewrites a large leaf or code
//! blob.

use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

use crate::cache::NodeCache;
use crate::commit::RefStore;
use crate::hash::Hash;
use crate::node::{Node, SharedNode};
use crate::tree::NodeSource;
use crate::{CommitInfo, Root, StoreError};

/// Format marker stored in `meta`; a different value is refused rather than guessed at.
pub(crate) const FORMAT: &str = "shortcrust-state/1";

pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const ROOTS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("roots");
pub(crate) const PENDING: TableDefinition<[u8; 32], u64> = TableDefinition::new("pending_release");
pub(crate) const NODES: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("nodes");
pub(crate) const NODE_REFS: TableDefinition<[u8; 32], u64> = TableDefinition::new("node_refs");
pub(crate) const CODE: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("code");
pub(crate) const CODE_REFS: TableDefinition<[u8; 32], u64> = TableDefinition::new("code_refs");

pub(crate) const META_FORMAT: &str = "format";
pub(crate) const META_HEAD: &str = "head";
pub(crate) const META_NEXT_SEQ: &str = "next_seq";

/// Any redb error, as a store error.
pub(crate) fn db_err(e: impl Into<redb::Error>) -> StoreError {
    match e.into() {
        redb::Error::Corrupted(msg) => StoreError::Corrupted(msg),
        other => StoreError::Backend(other.to_string()),
    }
}

pub(crate) fn encode_commit(info: &CommitInfo) -> [u8; 49] {
    let mut out = [0u8; 49];
    if let Some(parent) = info.parent {
        out[0] = 1;
        out[1..33].copy_from_slice(&parent.0);
    }
    out[33..41].copy_from_slice(&info.seq.to_le_bytes());
    out[41..49].copy_from_slice(&info.height.to_le_bytes());
    out
}

pub(crate) fn decode_commit(root: Root, bytes: &[u8]) -> Result<CommitInfo, StoreError> {
    let bad = || StoreError::Corrupted(format!("commit record of root {root} is malformed"));
    let bytes: &[u8; 49] = bytes.try_into().map_err(|_| bad())?;
    let parent = match bytes[0] {
        0 if bytes[1..33].iter().all(|b| *b == 0) => None,
        1 => {
            let mut p = [0u8; 32];
            p.copy_from_slice(&bytes[1..33]);
            Some(Root(p))
        }
        _ => return Err(bad()),
    };
    let u64_at = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i..i + 8]);
        u64::from_le_bytes(w)
    };
    Ok(CommitInfo {
        root,
        parent,
        seq: u64_at(33),
        height: u64_at(41),
    })
}

pub(crate) fn decode_root(what: &str, bytes: &[u8]) -> Result<Root, StoreError> {
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupted(format!("{what} is not a 32-byte root")))?;
    Ok(Root(bytes))
}

pub(crate) fn decode_u64(what: &str, bytes: &[u8]) -> Result<u64, StoreError> {
    let bytes: [u8; 8] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupted(format!("{what} is not a u64")))?;
    Ok(u64::from_le_bytes(bytes))
}

/// Reads one commit record.
pub(crate) fn read_commit<T: ReadableTable<[u8; 32], &'static [u8]>>(
    roots: &T,
    root: &Root,
) -> Result<Option<CommitInfo>, StoreError> {
    match roots.get(&root.0).map_err(db_err)? {
        None => Ok(None),
        Some(guard) => decode_commit(*root, guard.value()).map(Some),
    }
}

/// Nodes read from a redb table (a read snapshot or the write transaction) through the cache.
pub(crate) struct DbNodes<'a, T> {
    pub table: &'a T,
    pub cache: &'a NodeCache,
}

impl<T: ReadableTable<[u8; 32], &'static [u8]>> NodeSource for DbNodes<'_, T> {
    type Ref<'b>
        = SharedNode
    where
        Self: 'b;

    fn node(&self, hash: &Hash) -> Result<SharedNode, StoreError> {
        if let Some(node) = self.cache.get(hash) {
            return Ok(node);
        }
        let guard = self
            .table
            .get(hash)
            .map_err(db_err)?
            .ok_or_else(|| StoreError::Corrupted(format!("missing node {}", Root(*hash))))?;
        let node = SharedNode::new(Node::decode(hash, guard.value())?);
        self.cache.insert(*hash, node.clone());
        Ok(node)
    }
}

/// The reference-counted tables of one write transaction.
pub(crate) struct WriteTables<'txn> {
    pub nodes: Table<'txn, [u8; 32], &'static [u8]>,
    pub node_refs: Table<'txn, [u8; 32], u64>,
    pub code: Table<'txn, [u8; 32], &'static [u8]>,
    pub code_refs: Table<'txn, [u8; 32], u64>,
}

impl<'txn> WriteTables<'txn> {
    pub fn open(txn: &'txn WriteTransaction) -> Result<Self, StoreError> {
        Ok(WriteTables {
            nodes: txn.open_table(NODES).map_err(db_err)?,
            node_refs: txn.open_table(NODE_REFS).map_err(db_err)?,
            code: txn.open_table(CODE).map_err(db_err)?,
            code_refs: txn.open_table(CODE_REFS).map_err(db_err)?,
        })
    }
}

fn get_u64<T: ReadableTable<[u8; 32], u64>>(
    table: &T,
    hash: &Hash,
) -> Result<Option<u64>, StoreError> {
    Ok(table.get(hash).map_err(db_err)?.map(|g| g.value()))
}

impl RefStore for WriteTables<'_> {
    fn node_refs(&mut self, hash: &Hash) -> Result<Option<u64>, StoreError> {
        get_u64(&self.node_refs, hash)
    }
    fn insert_node(&mut self, hash: &Hash, node: &SharedNode, refs: u64) -> Result<(), StoreError> {
        self.nodes
            .insert(hash, node.encode().as_slice())
            .map_err(db_err)?;
        self.node_refs.insert(hash, refs).map_err(db_err)?;
        Ok(())
    }
    fn set_node_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError> {
        self.node_refs.insert(hash, refs).map_err(db_err)?;
        Ok(())
    }
    fn remove_node(&mut self, hash: &Hash) -> Result<(Node, u64), StoreError> {
        self.node_refs.remove(hash).map_err(db_err)?;
        let guard = self
            .nodes
            .remove(hash)
            .map_err(db_err)?
            .ok_or_else(|| StoreError::Corrupted(format!("missing node {}", Root(*hash))))?;
        let bytes = guard.value();
        Ok((Node::decode(hash, bytes)?, bytes.len() as u64))
    }
    fn code_refs(&mut self, hash: &Hash) -> Result<Option<u64>, StoreError> {
        get_u64(&self.code_refs, hash)
    }
    fn insert_code(&mut self, hash: &Hash, code: &[u8], refs: u64) -> Result<(), StoreError> {
        self.code.insert(hash, code).map_err(db_err)?;
        self.code_refs.insert(hash, refs).map_err(db_err)?;
        Ok(())
    }
    fn set_code_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError> {
        self.code_refs.insert(hash, refs).map_err(db_err)?;
        Ok(())
    }
    fn remove_code(&mut self, hash: &Hash) -> Result<u64, StoreError> {
        self.code_refs.remove(hash).map_err(db_err)?;
        let guard = self
            .code
            .remove(hash)
            .map_err(db_err)?
            .ok_or_else(|| StoreError::Corrupted(format!("missing code {}", Root(*hash))))?;
        Ok(guard.value().len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_records_roundtrip_and_reject_garbage() {
        for info in [
            CommitInfo {
                root: Root([1; 32]),
                parent: None,
                seq: 0,
                height: 0,
            },
            CommitInfo {
                root: Root([1; 32]),
                parent: Some(Root([2; 32])),
                seq: 7,
                height: 3,
            },
        ] {
            assert_eq!(
                decode_commit(info.root, &encode_commit(&info)).unwrap(),
                info
            );
        }
        assert!(decode_commit(Root::EMPTY, &[0u8; 48]).is_err());
        let mut bad = [0u8; 49];
        bad[0] = 2;
        assert!(decode_commit(Root::EMPTY, &bad).is_err());
    }
}
