//! Commits and reclamation, shared by both stores: turning a [`ChangeSet`] into the new nodes of
//! a state (a [`Plan`]), writing a plan, and releasing a deleted root.
//!
//! Reference counting: a node's count is the number of stored nodes naming it as a child (a
//! contract leaf names its storage tree's root) plus the number of root records (retained, or
//! deleted and pending release) naming it. A new node starts with exactly one reference — its
//! parent in the plan, or the new root record — so only the *extra* references need storing: the
//! untouched siblings that new parents point to, O(changed keys × depth) per commit. A code
//! blob's count is the number of stored contract leaves naming it.
//!
//! The persistent store does not even update counts at commit time: it appends the commit's
//! increments to a log (one row per commit) and folds the log into the counts when it prunes, so a
//! commit writes only new, consecutive rows. Releasing a root then frees exactly the nodes no
//! other root reaches, in time proportional to what it frees.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use shortcrust_abi::limits::{MAX_KEY_LEN, MAX_VALUE_LEN};

use crate::hash::{self, EMPTY, Hash};
use crate::node::{ChildRef, ContractRecord, Leaf, Node, NodeKey, SharedNode};
use crate::state::contract_entry;
use crate::tree::{self, Created, NodeSource, Update};
use crate::{ChangeSet, StoreError, code_hash};

/// What a commit writes, computed from a base state without writing anything.
pub(crate) struct Plan {
    pub root: ChildRef,
    /// The batch the new nodes' keys belong to.
    pub batch: u64,
    /// New nodes reachable from `root` (each with its implicit first reference).
    pub fresh: Vec<(NodeKey, SharedNode)>,
    /// Existing nodes that new nodes point to: one extra reference per entry.
    pub node_refs: Vec<NodeKey>,
    /// Code blobs that new contract leaves point to, with how many leaves.
    pub code_refs: BTreeMap<Hash, u64>,
    /// Code supplied by the change set, by hash (verified).
    pub code: BTreeMap<Hash, Arc<[u8]>>,
}

impl Plan {
    fn root_is_fresh(&self) -> bool {
        !self.root.is_empty() && self.root.key.batch == self.batch
    }
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

/// Computes the state `changes` make on top of the state `base`, naming new nodes in `batch`.
pub(crate) fn plan<S: NodeSource>(
    src: &S,
    base: &ChildRef,
    changes: &ChangeSet,
    batch: u64,
) -> Result<Plan, StoreError> {
    validate(changes)?;
    let mut created = Created::new(batch);

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
        let old = contract_entry(src, base, &id)?;
        let (mut record, mut storage_tree) = match (changes.contracts.get(&id), old) {
            (Some(_), Some(_)) => return Err(StoreError::ContractExists(id)),
            (Some(meta), None) => (
                ContractRecord {
                    id: id.0,
                    owner: meta.owner,
                    code_hash: meta.code_hash,
                    storage_root: EMPTY,
                },
                ChildRef::EMPTY,
            ),
            (None, Some(old)) => old,
            (None, None) => return Err(StoreError::UnknownContract(id)),
        };
        if let Some(updates) = storage.get_mut(&id) {
            updates.sort_by_key(|u| u.path);
            storage_tree = tree::update(src, &storage_tree, updates, &mut created)?;
            record.storage_root = storage_tree.hash;
        }
        if Some(record) != old.map(|(r, _)| r) {
            global.push(Update {
                path: hash::contract_path(&id.0),
                leaf: Some(SharedNode::new(Node::Leaf(Leaf::contract(
                    record,
                    storage_tree.key,
                )))),
            });
        }
    }
    global.sort_by_key(|u| u.path);
    let root = tree::update(src, base, &global, &mut created)?;

    // Keep the new nodes the new root reaches (some, such as a rewritten leaf whose value did
    // not change, end up unused), and count references to existing ones.
    let mut fresh = Vec::new();
    let mut node_refs = Vec::new();
    let mut code_refs: BTreeMap<Hash, u64> = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    while let Some(child) = stack.pop() {
        if child.is_empty() {
            continue;
        }
        let Some(node) = created.get(&child.key) else {
            // The root itself is counted by `apply`, which knows whether its record is new.
            if child != root {
                node_refs.push(child.key);
            }
            continue;
        };
        if !seen.insert(child.key) {
            node_refs.push(child.key);
            continue;
        }
        stack.extend(node.child_nodes());
        if let Some(code) = node.code_ref() {
            *code_refs.entry(code).or_default() += 1;
        }
        fresh.push((child.key, node.clone()));
    }
    Ok(Plan {
        root,
        batch,
        fresh,
        node_refs,
        code_refs,
        code: changes.code.iter().map(|(h, c)| (*h, c.clone())).collect(),
    })
}

/// Node and code storage with reference counts, as a store's write side sees it.
///
/// Node counts are stored as *extra* references (a stored node has `1 + extra`).
pub(crate) trait RefStore {
    fn insert_node(&mut self, key: &NodeKey, node: &SharedNode) -> Result<(), StoreError>;
    fn code_exists(&mut self, hash: &Hash) -> Result<bool, StoreError>;
    fn insert_code(&mut self, hash: &Hash, code: &[u8]) -> Result<(), StoreError>;
    /// Records the references a commit (batch `batch`) adds: one per entry of `nodes`, and
    /// `n` per code hash. The memory store counts them at once, the persistent store logs them.
    fn add_refs(
        &mut self,
        batch: u64,
        nodes: &[NodeKey],
        code: &BTreeMap<Hash, u64>,
    ) -> Result<(), StoreError>;
    /// Extra references of a stored node (0 if it has only its first one).
    fn extra_refs(&mut self, key: &NodeKey) -> Result<u64, StoreError>;
    fn set_extra_refs(&mut self, key: &NodeKey, extra: u64) -> Result<(), StoreError>;
    /// Deletes the node `child` points to, returning it and the bytes it occupied.
    fn remove_node(&mut self, child: &ChildRef) -> Result<(Node, u64), StoreError>;
    /// References to a code blob (0 if unknown).
    fn code_refs(&mut self, hash: &Hash) -> Result<u64, StoreError>;
    fn set_code_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError>;
    /// Deletes a code blob, returning the bytes it occupied.
    fn remove_code(&mut self, hash: &Hash) -> Result<u64, StoreError>;
}

/// Writes `plan` for a new root record (which takes one reference to the new root).
///
/// Every check on the input (missing code) comes before the first write, so a refused change
/// set leaves a non-transactional store (the memory store) untouched; later failures can only
/// come from a corrupted store.
pub(crate) fn apply<W: RefStore>(w: &mut W, plan: &Plan) -> Result<(), StoreError> {
    let mut new_code = Vec::new();
    for hash in plan.code_refs.keys() {
        if !w.code_exists(hash)? {
            match plan.code.get(hash) {
                Some(code) => new_code.push((hash, code)),
                None => return Err(StoreError::MissingCode { code_hash: *hash }),
            }
        }
    }
    for (key, node) in &plan.fresh {
        w.insert_node(key, node)?;
    }
    for (hash, code) in new_code {
        w.insert_code(hash, code)?;
    }
    if !plan.root.is_empty() && !plan.root_is_fresh() {
        let mut refs = plan.node_refs.clone();
        refs.push(plan.root.key);
        w.add_refs(plan.batch, &refs, &plan.code_refs)
    } else {
        w.add_refs(plan.batch, &plan.node_refs, &plan.code_refs)
    }
}

fn corrupted(what: String) -> StoreError {
    StoreError::Corrupted(what)
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
/// through it. Reference increments must all be counted (see [`RefStore::add_refs`]).
pub(crate) fn release<W: RefStore>(
    w: &mut W,
    root: &ChildRef,
    stats: &mut PruneStats,
) -> Result<(), StoreError> {
    stats.roots_released += 1;
    let mut stack = vec![*root];
    while let Some(child) = stack.pop() {
        if child.is_empty() {
            continue;
        }
        let extra = w.extra_refs(&child.key)?;
        if extra > 0 {
            w.set_extra_refs(&child.key, extra - 1)?;
            continue;
        }
        let (node, bytes) = w.remove_node(&child)?;
        stats.nodes_freed += 1;
        stats.bytes_freed += bytes;
        stack.extend(node.child_nodes());
        if let Some(code) = node.code_ref() {
            match w.code_refs(&code)? {
                0 => {
                    return Err(corrupted(format!(
                        "code {} is referenced by more leaves than it counts",
                        crate::Root(code)
                    )));
                }
                1 => {
                    stats.code_freed += 1;
                    stats.bytes_freed += w.remove_code(&code)?;
                }
                refs => w.set_code_refs(&code, refs - 1)?,
            }
        }
    }
    Ok(())
}
