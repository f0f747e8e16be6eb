//! Commits and reclamation, shared by both stores: turning a [`ChangeSet`] into the new nodes of
//! a state (a [`Plan`]), writing a plan with reference counts, and releasing a deleted root.
//!
//! Reference counting over content-addressed nodes: a node's count is the number of stored nodes
//! that name it as a child (a contract leaf names its storage tree root) plus the number of
//! retained or pending-release roots that are it. A code blob's count is the number of stored
//! contract leaves naming it. A node written once is never rewritten, so a commit only adds
//! counts to the untouched siblings of its paths — O(changed keys × depth) — and releasing a root
//! frees exactly the nodes no other root can reach, in time proportional to what it frees.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use shortcrust_abi::limits::{MAX_KEY_LEN, MAX_VALUE_LEN};

use crate::hash::{self, EMPTY, Hash};
use crate::node::{ContractRecord, Leaf, Node, SharedNode};
use crate::state::contract_record;
use crate::tree::{self, NodeSource, Update};
use crate::{ChangeSet, StoreError, code_hash};

/// The nodes and code a commit needs, computed from a base state without writing anything.
pub(crate) struct Plan {
    pub root: Hash,
    /// Nodes the new state may need that the base did not have (some may already be stored).
    pub nodes: BTreeMap<Hash, SharedNode>,
    /// Code supplied by the change set, by hash (verified).
    pub code: BTreeMap<Hash, Arc<[u8]>>,
}

/// Checks `changes` against the storage limits and the code hashes it claims.
fn validate(changes: &ChangeSet) -> Result<(), StoreError> {
    for ((_, key), value) in &changes.storage {
        if key.len() > MAX_KEY_LEN as usize {
            return Err(StoreError::KeyTooLong {
                len: key.len(),
                max: MAX_KEY_LEN as usize,
            });
        }
        if let Some(value) = value
            && value.len() > MAX_VALUE_LEN as usize
        {
            return Err(StoreError::ValueTooLong {
                len: value.len(),
                max: MAX_VALUE_LEN as usize,
            });
        }
    }
    for (claimed, code) in &changes.code {
        let actual = code_hash(code);
        if actual != *claimed {
            return Err(StoreError::CodeHashMismatch {
                claimed: *claimed,
                actual,
            });
        }
    }
    Ok(())
}

/// Computes the state `changes` make on top of `base`.
pub(crate) fn plan<S: NodeSource>(
    src: &S,
    base: &Hash,
    changes: &ChangeSet,
) -> Result<Plan, StoreError> {
    validate(changes)?;
    let mut created = Vec::new();

    // Storage updates grouped per contract, sorted by path inside each group.
    let mut storage: BTreeMap<_, Vec<Update>> = BTreeMap::new();
    for ((contract, key), value) in &changes.storage {
        storage.entry(*contract).or_default().push(Update {
            path: hash::key_path(key),
            leaf: value
                .as_ref()
                .map(|v| SharedNode::new(Node::Leaf(Leaf::storage(key, v)))),
        });
    }
    let touched: BTreeSet<_> = changes
        .contracts
        .keys()
        .chain(storage.keys())
        .copied()
        .collect();

    let mut global = Vec::with_capacity(touched.len());
    for id in touched {
        let old = contract_record(src, base, &id)?;
        let mut record = match (changes.contracts.get(&id), old) {
            (Some(_), Some(_)) => return Err(StoreError::ContractExists(id)),
            (Some(meta), None) => ContractRecord {
                id: id.0,
                owner: meta.owner,
                code_hash: meta.code_hash,
                storage_root: EMPTY,
            },
            (None, Some(old)) => old,
            (None, None) => return Err(StoreError::UnknownContract(id)),
        };
        if let Some(updates) = storage.get_mut(&id) {
            updates.sort_by_key(|u| u.path);
            record.storage_root = tree::update(src, &record.storage_root, updates, &mut created)?;
        }
        if Some(record) != old {
            global.push(Update {
                path: hash::contract_path(&id.0),
                leaf: Some(SharedNode::new(Node::Leaf(Leaf::contract(record)))),
            });
        }
    }
    global.sort_by_key(|u| u.path);
    let root = tree::update(src, base, &global, &mut created)?;
    Ok(Plan {
        root,
        nodes: created.into_iter().collect(),
        code: changes.code.iter().map(|(h, c)| (*h, c.clone())).collect(),
    })
}

/// Reference-counted node and code storage, as a store's write side sees it.
pub(crate) trait RefStore {
    /// The reference count of a stored node, `None` if it is not stored.
    fn node_refs(&mut self, hash: &Hash) -> Result<Option<u64>, StoreError>;
    fn insert_node(&mut self, hash: &Hash, node: &SharedNode, refs: u64) -> Result<(), StoreError>;
    fn set_node_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError>;
    /// Deletes a node, returning it and the bytes it occupied.
    fn remove_node(&mut self, hash: &Hash) -> Result<(Node, u64), StoreError>;
    fn code_refs(&mut self, hash: &Hash) -> Result<Option<u64>, StoreError>;
    fn insert_code(&mut self, hash: &Hash, code: &[u8], refs: u64) -> Result<(), StoreError>;
    fn set_code_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError>;
    /// Deletes a code blob, returning the bytes it occupied.
    fn remove_code(&mut self, hash: &Hash) -> Result<u64, StoreError>;
}

fn missing(what: &str, hash: &Hash) -> StoreError {
    StoreError::Corrupted(format!(
        "{what} {} is referenced but not stored",
        crate::Root(*hash)
    ))
}

/// Writes `plan`. With `add_root_ref`, the new root gains the reference of a new root record.
///
/// All checks come before the first write, so an error leaves a non-transactional store (the
/// memory store) untouched.
pub(crate) fn apply<W: RefStore>(
    w: &mut W,
    plan: &Plan,
    add_root_ref: bool,
) -> Result<(), StoreError> {
    // Fresh nodes: reachable from the new root through nodes that are not stored yet.
    let mut fresh: BTreeMap<Hash, &SharedNode> = BTreeMap::new();
    let mut stack = vec![plan.root];
    while let Some(h) = stack.pop() {
        if h == EMPTY || fresh.contains_key(&h) || w.node_refs(&h)?.is_some() {
            continue;
        }
        let node = plan.nodes.get(&h).ok_or_else(|| missing("node", &h))?;
        stack.extend(node.child_nodes());
        fresh.insert(h, node);
    }
    let mut node_incs: BTreeMap<Hash, u64> = BTreeMap::new();
    let mut code_incs: BTreeMap<Hash, u64> = BTreeMap::new();
    if add_root_ref && plan.root != EMPTY {
        *node_incs.entry(plan.root).or_default() += 1;
    }
    for node in fresh.values() {
        for child in node.child_nodes() {
            *node_incs.entry(child).or_default() += 1;
        }
        if let Some(code) = node.code_ref() {
            *code_incs.entry(code).or_default() += 1;
        }
    }
    let mut node_updates = Vec::new();
    for (h, inc) in &node_incs {
        if !fresh.contains_key(h) {
            let refs = w.node_refs(h)?.ok_or_else(|| missing("node", h))?;
            node_updates.push((*h, refs + inc));
        }
    }
    enum CodeWrite<'a> {
        Insert(&'a [u8], u64),
        Set(u64),
    }
    let mut code_writes = Vec::new();
    for (h, inc) in &code_incs {
        let write = match w.code_refs(h)? {
            Some(refs) => CodeWrite::Set(refs + inc),
            None => match plan.code.get(h) {
                Some(code) => CodeWrite::Insert(code, *inc),
                None => return Err(StoreError::MissingCode { code_hash: *h }),
            },
        };
        code_writes.push((*h, write));
    }

    for (h, node) in &fresh {
        w.insert_node(h, node, node_incs.get(h).copied().unwrap_or(0))?;
    }
    for (h, refs) in node_updates {
        w.set_node_refs(&h, refs)?;
    }
    for (h, write) in code_writes {
        match write {
            CodeWrite::Insert(code, refs) => w.insert_code(&h, code, refs)?,
            CodeWrite::Set(refs) => w.set_code_refs(&h, refs)?,
        }
    }
    Ok(())
}

/// What [`release`] (and so a prune) freed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PruneStats {
    /// Deleted roots whose references were dropped.
    pub roots_released: u64,
    /// Tree nodes deleted.
    pub nodes_freed: u64,
    /// Code blobs deleted.
    pub code_freed: u64,
    /// Bytes of node and code records deleted.
    pub bytes_freed: u64,
}

/// Drops one reference to `root`, freeing every node (and code blob) that was reachable only
/// through it.
pub(crate) fn release<W: RefStore>(
    w: &mut W,
    root: &Hash,
    stats: &mut PruneStats,
) -> Result<(), StoreError> {
    stats.roots_released += 1;
    let mut stack = vec![*root];
    while let Some(h) = stack.pop() {
        if h == EMPTY {
            continue;
        }
        let refs = w.node_refs(&h)?.ok_or_else(|| missing("node", &h))?;
        if refs > 1 {
            w.set_node_refs(&h, refs - 1)?;
            continue;
        }
        let (node, bytes) = w.remove_node(&h)?;
        stats.nodes_freed += 1;
        stats.bytes_freed += bytes;
        stack.extend(node.child_nodes());
        if let Some(code) = node.code_ref() {
            let refs = w.code_refs(&code)?.ok_or_else(|| missing("code", &code))?;
            if refs > 1 {
                w.set_code_refs(&code, refs - 1)?;
            } else {
                stats.code_freed += 1;
                stats.bytes_freed += w.remove_code(&code)?;
            }
        }
    }
    Ok(())
}
