//! The redb schema of a state directory, record codecs, and the adapters that let the shared
//! tree and commit code read and write redb tables.
//!
//! Tables:
//! - `meta` (`&str` → bytes): `format` = [`FORMAT`], `head` = the head root, `next_seq` and
//!   `next_batch` = u64 LE.
//! - `roots`: retained root hash → record (`has_parent (1) || parent (32) || seq (8 LE) ||
//!   height (8 LE) || top node key (12)`). The empty root is always present.
//! - `pending_release`: top node key of a deleted, not yet pruned root → `root hash (32) ||
//!   count (8 LE)` (each deleted record holds one reference until pruned).
//! - `nodes`: node key (12, batch then index, big-endian) → node record (see `node.rs`). One
//!   commit's nodes have consecutive keys, so a commit appends instead of scattering writes.
//! - `node_refs`: node key → references beyond the first (absent = none).
//! - `ref_log`: batch → the reference increments of that commit, not yet folded into
//!   `node_refs`/`code_refs` (prune folds them): `n (u32 LE) || n node keys (12) || m (u32 LE) ||
//!   m × (code hash (32) || count (8 LE))`.
//! - `code`: code hash → code; `code_refs`: code hash → references.

use std::collections::BTreeMap;

use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

use crate::cache::NodeCache;
use crate::commit::RefStore;
use crate::hash::Hash;
use crate::node::{ChildRef, Node, NodeKey, SharedNode};
use crate::tree::NodeSource;
use crate::{CommitInfo, Root, StoreError};

/// Format marker stored in `meta`; a different value is refused rather than guessed at.
pub(crate) const FORMAT: &str = "shortcrust-state/2";

pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const ROOTS: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("roots");
pub(crate) const PENDING: TableDefinition<[u8; 12], &[u8]> =
    TableDefinition::new("pending_release");
pub(crate) const NODES: TableDefinition<[u8; 12], &[u8]> = TableDefinition::new("nodes");
pub(crate) const NODE_REFS: TableDefinition<[u8; 12], u64> = TableDefinition::new("node_refs");
pub(crate) const REF_LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("ref_log");
pub(crate) const CODE: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("code");
pub(crate) const CODE_REFS: TableDefinition<[u8; 32], u64> = TableDefinition::new("code_refs");

pub(crate) const META_FORMAT: &str = "format";
pub(crate) const META_HEAD: &str = "head";
pub(crate) const META_NEXT_SEQ: &str = "next_seq";
pub(crate) const META_NEXT_BATCH: &str = "next_batch";

/// Any redb error, as a store error.
pub(crate) fn db_err(e: impl Into<redb::Error>) -> StoreError {
    match e.into() {
        redb::Error::Corrupted(msg) => StoreError::Corrupted(msg),
        other => StoreError::Backend(other.to_string()),
    }
}

/// A retained root as stored: its history and its top node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RootRecord {
    pub info: CommitInfo,
    pub top: ChildRef,
}

pub(crate) fn encode_root(record: &RootRecord) -> [u8; 61] {
    let info = &record.info;
    let mut out = [0u8; 61];
    if let Some(parent) = info.parent {
        out[0] = 1;
        out[1..33].copy_from_slice(&parent.0);
    }
    out[33..41].copy_from_slice(&info.seq.to_le_bytes());
    out[41..49].copy_from_slice(&info.height.to_le_bytes());
    out[49..61].copy_from_slice(&record.top.key.to_bytes());
    out
}

pub(crate) fn decode_root_record(root: Root, bytes: &[u8]) -> Result<RootRecord, StoreError> {
    let bad = || StoreError::Corrupted(format!("commit record of root {root} is malformed"));
    let bytes: &[u8; 61] = bytes.try_into().map_err(|_| bad())?;
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
    let mut key = [0u8; 12];
    key.copy_from_slice(&bytes[49..61]);
    let top = if root == Root::EMPTY {
        ChildRef::EMPTY
    } else {
        ChildRef {
            hash: root.0,
            key: NodeKey::from_bytes(&key),
        }
    };
    let info = CommitInfo {
        root,
        parent,
        seq: u64_at(33),
        height: u64_at(41),
    };
    Ok(RootRecord { info, top })
}

pub(crate) fn encode_pending(hash: &Hash, count: u64) -> [u8; 40] {
    let mut out = [0u8; 40];
    out[..32].copy_from_slice(hash);
    out[32..].copy_from_slice(&count.to_le_bytes());
    out
}

pub(crate) fn decode_pending(bytes: &[u8]) -> Result<(Hash, u64), StoreError> {
    let bytes: &[u8; 40] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupted("pending release record is malformed".into()))?;
    let mut hash = [0u8; 32];
    hash.copy_from_slice(&bytes[..32]);
    let mut count = [0u8; 8];
    count.copy_from_slice(&bytes[32..]);
    Ok((hash, u64::from_le_bytes(count)))
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

/// Reads one root record.
pub(crate) fn read_root<T: ReadableTable<[u8; 32], &'static [u8]>>(
    roots: &T,
    root: &Root,
) -> Result<Option<RootRecord>, StoreError> {
    match roots.get(&root.0).map_err(db_err)? {
        None => Ok(None),
        Some(guard) => decode_root_record(*root, guard.value()).map(Some),
    }
}

/// Nodes read from a redb table (a read snapshot or the write transaction) through the cache.
pub(crate) struct DbNodes<'a, T> {
    pub table: &'a T,
    pub cache: &'a NodeCache,
}

fn missing_node(key: &NodeKey) -> StoreError {
    StoreError::Corrupted(format!("missing node {key}"))
}

impl<T: ReadableTable<[u8; 12], &'static [u8]>> NodeSource for DbNodes<'_, T> {
    type Ref<'b>
        = SharedNode
    where
        Self: 'b;

    fn node(&self, child: &ChildRef) -> Result<SharedNode, StoreError> {
        if let Some(node) = self.cache.get(&child.key) {
            return Ok(node);
        }
        let guard = self
            .table
            .get(&child.key.to_bytes())
            .map_err(db_err)?
            .ok_or_else(|| missing_node(&child.key))?;
        let node = SharedNode::new(Node::decode(&child.hash, guard.value())?);
        self.cache.insert(child.key, node.clone());
        Ok(node)
    }
}

/// Encodes one commit's reference increments (see the module docs).
fn encode_log(nodes: &[NodeKey], code: &BTreeMap<Hash, u64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + nodes.len() * 12 + code.len() * 40);
    out.extend_from_slice(&(nodes.len() as u32).to_le_bytes());
    for key in nodes {
        out.extend_from_slice(&key.to_bytes());
    }
    out.extend_from_slice(&(code.len() as u32).to_le_bytes());
    for (hash, n) in code {
        out.extend_from_slice(hash);
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

/// Adds the increments of one log row to `nodes` and `code`.
pub(crate) fn decode_log(
    batch: u64,
    bytes: &[u8],
    nodes: &mut BTreeMap<NodeKey, u64>,
    code: &mut BTreeMap<Hash, u64>,
) -> Result<(), StoreError> {
    let bad = || StoreError::Corrupted(format!("reference log of batch {batch} is malformed"));
    let (n, mut rest) = bytes.split_first_chunk::<4>().ok_or_else(bad)?;
    for _ in 0..u32::from_le_bytes(*n) {
        let (key, tail) = rest.split_first_chunk::<12>().ok_or_else(bad)?;
        *nodes.entry(NodeKey::from_bytes(key)).or_default() += 1;
        rest = tail;
    }
    let (m, mut rest) = rest.split_first_chunk::<4>().ok_or_else(bad)?;
    for _ in 0..u32::from_le_bytes(*m) {
        let (hash, tail) = rest.split_first_chunk::<32>().ok_or_else(bad)?;
        let (count, tail) = tail.split_first_chunk::<8>().ok_or_else(bad)?;
        *code.entry(*hash).or_default() += u64::from_le_bytes(*count);
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(bad());
    }
    Ok(())
}

/// The node, code and reference tables of one write transaction.
pub(crate) struct WriteTables<'txn> {
    pub nodes: Table<'txn, [u8; 12], &'static [u8]>,
    pub node_refs: Table<'txn, [u8; 12], u64>,
    pub ref_log: Table<'txn, u64, &'static [u8]>,
    pub code: Table<'txn, [u8; 32], &'static [u8]>,
    pub code_refs: Table<'txn, [u8; 32], u64>,
}

impl<'txn> WriteTables<'txn> {
    pub fn open(txn: &'txn WriteTransaction) -> Result<Self, StoreError> {
        Ok(WriteTables {
            nodes: txn.open_table(NODES).map_err(db_err)?,
            node_refs: txn.open_table(NODE_REFS).map_err(db_err)?,
            ref_log: txn.open_table(REF_LOG).map_err(db_err)?,
            code: txn.open_table(CODE).map_err(db_err)?,
            code_refs: txn.open_table(CODE_REFS).map_err(db_err)?,
        })
    }

    /// Folds every logged increment into the reference tables and empties the log.
    pub fn fold_ref_log(&mut self) -> Result<(), StoreError> {
        let mut nodes = BTreeMap::new();
        let mut code = BTreeMap::new();
        let mut batches = Vec::new();
        for entry in self.ref_log.iter().map_err(db_err)? {
            let (batch, bytes) = entry.map_err(db_err)?;
            decode_log(batch.value(), bytes.value(), &mut nodes, &mut code)?;
            batches.push(batch.value());
        }
        for batch in batches {
            self.ref_log.remove(batch).map_err(db_err)?;
        }
        for (key, n) in nodes {
            let extra = self.extra_refs(&key)?;
            self.set_extra_refs(&key, extra + n)?;
        }
        for (hash, n) in code {
            let refs = self.code_refs(&hash)?;
            self.set_code_refs(&hash, refs + n)?;
        }
        Ok(())
    }
}

impl RefStore for WriteTables<'_> {
    fn insert_node(&mut self, key: &NodeKey, node: &SharedNode) -> Result<(), StoreError> {
        self.nodes
            .insert(key.to_bytes(), node.encode().as_slice())
            .map_err(db_err)?;
        Ok(())
    }
    fn code_exists(&mut self, hash: &Hash) -> Result<bool, StoreError> {
        Ok(self.code.get(hash).map_err(db_err)?.is_some())
    }
    fn insert_code(&mut self, hash: &Hash, code: &[u8]) -> Result<(), StoreError> {
        self.code.insert(hash, code).map_err(db_err)?;
        Ok(())
    }
    fn add_refs(
        &mut self,
        batch: u64,
        nodes: &[NodeKey],
        code: &BTreeMap<Hash, u64>,
    ) -> Result<(), StoreError> {
        if !nodes.is_empty() || !code.is_empty() {
            self.ref_log
                .insert(batch, encode_log(nodes, code).as_slice())
                .map_err(db_err)?;
        }
        Ok(())
    }
    fn extra_refs(&mut self, key: &NodeKey) -> Result<u64, StoreError> {
        let guard = self.node_refs.get(&key.to_bytes()).map_err(db_err)?;
        Ok(guard.map_or(0, |g| g.value()))
    }
    fn set_extra_refs(&mut self, key: &NodeKey, extra: u64) -> Result<(), StoreError> {
        if extra == 0 {
            self.node_refs.remove(&key.to_bytes()).map_err(db_err)?;
        } else {
            self.node_refs
                .insert(key.to_bytes(), extra)
                .map_err(db_err)?;
        }
        Ok(())
    }
    fn remove_node(&mut self, child: &ChildRef) -> Result<(Node, u64), StoreError> {
        let guard = self
            .nodes
            .remove(&child.key.to_bytes())
            .map_err(db_err)?
            .ok_or_else(|| missing_node(&child.key))?;
        let bytes = guard.value();
        Ok((Node::decode(&child.hash, bytes)?, bytes.len() as u64))
    }
    fn code_refs(&mut self, hash: &Hash) -> Result<u64, StoreError> {
        Ok(self
            .code_refs
            .get(hash)
            .map_err(db_err)?
            .map_or(0, |g| g.value()))
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
    fn root_records_roundtrip_and_reject_garbage() {
        let top = ChildRef {
            hash: [1; 32],
            key: NodeKey { batch: 4, index: 2 },
        };
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
            let record = RootRecord { info, top };
            assert_eq!(
                decode_root_record(info.root, &encode_root(&record)).unwrap(),
                record
            );
        }
        assert!(decode_root_record(Root::EMPTY, &[0u8; 60]).is_err());
        let mut bad = [0u8; 61];
        bad[0] = 2;
        assert!(decode_root_record(Root::EMPTY, &bad).is_err());
    }

    #[test]
    fn reference_logs_roundtrip_and_reject_garbage() {
        let keys = [
            NodeKey { batch: 1, index: 0 },
            NodeKey { batch: 1, index: 0 },
            NodeKey { batch: 9, index: 3 },
        ];
        let code = BTreeMap::from([([7u8; 32], 3u64)]);
        let bytes = encode_log(&keys, &code);
        let (mut n, mut c) = (BTreeMap::new(), BTreeMap::new());
        decode_log(1, &bytes, &mut n, &mut c).unwrap();
        assert_eq!(n[&keys[0]], 2);
        assert_eq!(n[&keys[2]], 1);
        assert_eq!(c[&[7u8; 32]], 3);
        for cut in [0, 3, 10, bytes.len() - 1] {
            assert!(decode_log(1, &bytes[..cut], &mut n, &mut c).is_err());
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(decode_log(1, &long, &mut n, &mut c).is_err());
    }
}
