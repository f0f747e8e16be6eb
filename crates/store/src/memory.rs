//! An in-memory [`Store`] over the same Merkle trees as the persistent store.
//!
//! Meant for tests and throw-away VMs (`Vm::ephemeral`). Nodes live in one map shared by all
//! roots (reference-counted, see `commit`), so a commit costs O(changed keys × depth), a state
//! has the same root here as in [`PersistentStore`](crate::PersistentStore), and deleted roots
//! are reclaimed by [`Store::prune`] exactly as there.
//!
//! Concurrency: one `RwLock`. Views take the read lock once per query; a commit computes its
//! plan under the read lock and takes the write lock only to insert the new nodes. A view whose
//! root is deleted *and pruned* while it is alive fails with [`StoreError::UnknownRoot`] when it
//! needs a freed node (what it already read stays readable); the persistent store's views read
//! a snapshot and keep working.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::cache::{DigestMap, NodeMap};
use crate::commit::{self, RefStore};
use crate::hash::Hash;
use crate::node::{ChildRef, ContractRecord, Node, NodeKey, SharedNode};
use crate::proof::{ContractProof, StorageProof};
use crate::tree::NodeSource;
use crate::{
    ChangeSet, CommitInfo, ContractId, ContractMeta, PruneStats, Root, StateView, StorageEntry,
    Store, StoreError, StoreStats, state,
};

struct StoredNode {
    node: SharedNode,
    /// References beyond the first (see `commit`).
    extra: u64,
}

struct StoredCode {
    code: Arc<[u8]>,
    refs: u64,
}

/// A retained root: where it came from and where its top node is.
#[derive(Clone, Copy)]
struct RootRecord {
    info: CommitInfo,
    top: ChildRef,
}

struct MemState {
    nodes: NodeMap<StoredNode>,
    code: DigestMap<StoredCode>,
    roots: BTreeMap<Root, RootRecord>,
    /// Deleted roots not yet released: their top node, and how many deleted records name it.
    pending: BTreeMap<NodeKey, (Hash, u64)>,
    head: Root,
    next_seq: u64,
}

fn missing_node(key: &NodeKey) -> StoreError {
    StoreError::Corrupted(format!("missing node {key}"))
}

impl NodeSource for MemState {
    type Ref<'a> = &'a Node;
    fn node(&self, child: &ChildRef) -> Result<&Node, StoreError> {
        // Nodes never change after insertion and were hashed when created: no re-check needed.
        self.nodes
            .get(&child.key)
            .map(|n| &*n.node)
            .ok_or_else(|| missing_node(&child.key))
    }
}

impl RefStore for MemState {
    fn insert_node(&mut self, key: &NodeKey, node: &SharedNode) -> Result<(), StoreError> {
        let node = node.clone();
        self.nodes.insert(*key, StoredNode { node, extra: 0 });
        Ok(())
    }
    fn code_exists(&mut self, hash: &Hash) -> Result<bool, StoreError> {
        Ok(self.code.contains_key(hash))
    }
    fn insert_code(&mut self, hash: &Hash, code: &[u8]) -> Result<(), StoreError> {
        let code = Arc::from(code);
        self.code.insert(*hash, StoredCode { code, refs: 0 });
        Ok(())
    }
    fn add_refs(
        &mut self,
        _batch: u64,
        nodes: &[NodeKey],
        code: &BTreeMap<Hash, u64>,
    ) -> Result<(), StoreError> {
        // `commit::apply` runs only after the base root was found retained, so every node it
        // references exists: a miss here is corruption, and nothing was counted yet for it.
        for key in nodes {
            self.nodes
                .get_mut(key)
                .ok_or_else(|| missing_node(key))?
                .extra += 1;
        }
        for (hash, n) in code {
            match self.code.get_mut(hash) {
                Some(c) => c.refs += n,
                None => {
                    return Err(StoreError::Corrupted(format!(
                        "missing code {}",
                        Root(*hash)
                    )));
                }
            }
        }
        Ok(())
    }
    fn extra_refs(&mut self, key: &NodeKey) -> Result<u64, StoreError> {
        Ok(self.nodes.get(key).ok_or_else(|| missing_node(key))?.extra)
    }
    fn set_extra_refs(&mut self, key: &NodeKey, extra: u64) -> Result<(), StoreError> {
        self.nodes
            .get_mut(key)
            .ok_or_else(|| missing_node(key))?
            .extra = extra;
        Ok(())
    }
    fn remove_node(&mut self, child: &ChildRef) -> Result<(Node, u64), StoreError> {
        let stored = self
            .nodes
            .remove(&child.key)
            .ok_or_else(|| missing_node(&child.key))?;
        let bytes = stored.node.encoded_len() as u64;
        Ok((Arc::unwrap_or_clone(stored.node), bytes))
    }
    fn code_refs(&mut self, hash: &Hash) -> Result<u64, StoreError> {
        Ok(self.code.get(hash).map_or(0, |c| c.refs))
    }
    fn set_code_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError> {
        match self.code.get_mut(hash) {
            Some(c) => {
                c.refs = refs;
                Ok(())
            }
            None => Err(StoreError::Corrupted(format!(
                "missing code {}",
                Root(*hash)
            ))),
        }
    }
    fn remove_code(&mut self, hash: &Hash) -> Result<u64, StoreError> {
        let stored = self
            .code
            .remove(hash)
            .ok_or_else(|| StoreError::Corrupted(format!("missing code {}", Root(*hash))))?;
        Ok(stored.code.len() as u64)
    }
}

/// See the module docs.
pub struct MemoryStore {
    shared: Arc<RwLock<MemState>>,
    /// Batch numbers for commit plans, which run concurrently under the read lock.
    next_batch: AtomicU64,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

fn read(shared: &RwLock<MemState>) -> RwLockReadGuard<'_, MemState> {
    // Writers check everything before their first change (see `commit::apply`), so a panic
    // while holding the lock cannot leave the state half-updated: poisoning is safe to ignore.
    shared.read().unwrap_or_else(|e| e.into_inner())
}

fn write(shared: &RwLock<MemState>) -> RwLockWriteGuard<'_, MemState> {
    shared.write().unwrap_or_else(|e| e.into_inner())
}

impl MemoryStore {
    pub fn new() -> Self {
        let mut roots = BTreeMap::new();
        roots.insert(
            Root::EMPTY,
            RootRecord {
                info: CommitInfo {
                    root: Root::EMPTY,
                    parent: None,
                    seq: 0,
                    height: 0,
                },
                top: ChildRef::EMPTY,
            },
        );
        let state = MemState {
            nodes: NodeMap::default(),
            code: DigestMap::default(),
            roots,
            pending: BTreeMap::new(),
            head: Root::EMPTY,
            next_seq: 1,
        };
        Self {
            shared: Arc::new(RwLock::new(state)),
            next_batch: AtomicU64::new(1),
        }
    }
}

impl Store for MemoryStore {
    fn empty_root(&self) -> Root {
        Root::EMPTY
    }

    fn head(&self) -> Result<Root, StoreError> {
        Ok(read(&self.shared).head)
    }

    fn view(&self, root: &Root) -> Result<Arc<dyn StateView>, StoreError> {
        let top = read(&self.shared)
            .roots
            .get(root)
            .ok_or(StoreError::UnknownRoot(*root))?
            .top;
        Ok(Arc::new(MemView {
            root: *root,
            top,
            shared: self.shared.clone(),
            memo: state::ContractMemo::default(),
        }))
    }

    fn commit(&self, base: &Root, changes: &ChangeSet) -> Result<Root, StoreError> {
        let plan = {
            let state = read(&self.shared);
            let top = state
                .roots
                .get(base)
                .ok_or(StoreError::UnknownRoot(*base))?
                .top;
            let batch = self.next_batch.fetch_add(1, Ordering::Relaxed);
            commit::plan(&*state, &top, changes, batch)?
        };
        let mut state = write(&self.shared);
        // The base may have been deleted while the plan was computed without the write lock;
        // while it is retained, every node the plan points to exists.
        let base_info = state
            .roots
            .get(base)
            .ok_or(StoreError::UnknownRoot(*base))?
            .info;
        let root = Root(plan.root.hash);
        if !state.roots.contains_key(&root) {
            commit::apply(&mut *state, &plan)?;
            let seq = state.next_seq;
            state.next_seq += 1;
            let info = CommitInfo {
                root,
                parent: Some(*base),
                seq,
                height: base_info.height + 1,
            };
            let top = plan.root;
            state.roots.insert(root, RootRecord { info, top });
        }
        state.head = root;
        Ok(root)
    }

    fn commits(&self) -> Result<Vec<CommitInfo>, StoreError> {
        let state = read(&self.shared);
        let mut out: Vec<CommitInfo> = state.roots.values().map(|r| r.info).collect();
        out.sort_by_key(|c| c.seq);
        Ok(out)
    }

    fn commit_info(&self, root: &Root) -> Result<CommitInfo, StoreError> {
        read(&self.shared)
            .roots
            .get(root)
            .map(|r| r.info)
            .ok_or(StoreError::UnknownRoot(*root))
    }

    fn set_head(&self, root: &Root) -> Result<(), StoreError> {
        let mut state = write(&self.shared);
        if !state.roots.contains_key(root) {
            return Err(StoreError::UnknownRoot(*root));
        }
        state.head = *root;
        Ok(())
    }

    fn delete_root(&self, root: &Root) -> Result<(), StoreError> {
        let mut state = write(&self.shared);
        check_deletable(root, state.head, state.roots.contains_key(root))?;
        if let Some(record) = state.roots.remove(root) {
            let top = record.top;
            state.pending.entry(top.key).or_insert((top.hash, 0)).1 += 1;
        }
        Ok(())
    }

    fn prune(&self) -> Result<PruneStats, StoreError> {
        let mut state = write(&self.shared);
        let mut stats = PruneStats::default();
        let pending = std::mem::take(&mut state.pending);
        for (key, (hash, count)) in pending {
            for _ in 0..count {
                commit::release(&mut *state, &ChildRef { hash, key }, &mut stats)?;
            }
        }
        Ok(stats)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let state = read(&self.shared);
        Ok(StoreStats {
            retained_roots: state.roots.len() as u64,
            pending_release: state.pending.values().map(|(_, n)| n).sum(),
            nodes: state.nodes.len() as u64,
            code_blobs: state.code.len() as u64,
            file_bytes: 0,
        })
    }
}

/// The rules of [`Store::delete_root`], shared with the persistent store.
pub(crate) fn check_deletable(root: &Root, head: Root, retained: bool) -> Result<(), StoreError> {
    if *root == Root::EMPTY {
        return Err(StoreError::CannotDelete {
            root: *root,
            reason: "the empty root is always retained",
        });
    }
    if !retained {
        return Err(StoreError::UnknownRoot(*root));
    }
    if *root == head {
        return Err(StoreError::CannotDelete {
            root: *root,
            reason: "it is the head; move the head first",
        });
    }
    Ok(())
}

struct MemView {
    root: Root,
    top: ChildRef,
    shared: Arc<RwLock<MemState>>,
    memo: state::ContractMemo,
}

impl MemView {
    /// Runs a query under the read lock; missing nodes of a root that has since been deleted
    /// and pruned mean the root is gone, not that the store is corrupted.
    fn query<T>(
        &self,
        f: impl FnOnce(&MemState, &ChildRef) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let state = read(&self.shared);
        f(&state, &self.top).map_err(|e| match e {
            StoreError::Corrupted(_) if !state.roots.contains_key(&self.root) => {
                StoreError::UnknownRoot(self.root)
            }
            e => e,
        })
    }
}

impl StateView for MemView {
    fn root(&self) -> Root {
        self.root
    }
    fn get(&self, contract: &ContractId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.query(|s, root| self.memo.get(s, root, contract, key))
    }
    fn contract(&self, id: &ContractId) -> Result<Option<ContractMeta>, StoreError> {
        Ok(self.contract_record(id)?.map(|r| r.meta()))
    }
    fn code(&self, code_hash: &[u8; 32]) -> Result<Option<Arc<[u8]>>, StoreError> {
        Ok(read(&self.shared)
            .code
            .get(code_hash)
            .map(|c| c.code.clone()))
    }
    fn contract_record(&self, id: &ContractId) -> Result<Option<ContractRecord>, StoreError> {
        self.query(|s, root| Ok(self.memo.entry(s, root, id)?.map(|(r, _)| r)))
    }
    fn contracts(&self) -> Result<Vec<ContractRecord>, StoreError> {
        self.query(state::contracts)
    }
    fn storage_entries(&self, contract: &ContractId) -> Result<Vec<StorageEntry>, StoreError> {
        self.query(|s, root| state::storage_entries(s, root, contract))?
            .ok_or(StoreError::UnknownContract(*contract))
    }
    fn prove_contract(&self, contract: &ContractId) -> Result<ContractProof, StoreError> {
        self.query(|s, root| state::prove_contract(s, root, contract))
    }
    fn prove(&self, contract: &ContractId, key: &[u8]) -> Result<StorageProof, StoreError> {
        self.query(|s, root| state::prove(s, root, contract, key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(b: u8) -> ContractId {
        ContractId([b; 32])
    }

    /// A change set deploying `id(b)` with some code.
    fn deploy(b: u8) -> ChangeSet {
        let code: Arc<[u8]> = Arc::from(&b"\0asm fake code"[..]);
        let hash = crate::code_hash(&code);
        let mut c = ChangeSet::default();
        c.contracts.insert(
            id(b),
            ContractMeta {
                owner: [9; 32],
                code_hash: hash,
            },
        );
        c.code.insert(hash, code);
        c
    }

    #[test]
    fn commit_fork_and_read_back() {
        let store = MemoryStore::new();
        let r0 = store.head().unwrap();
        assert_eq!(r0, store.empty_root());
        let r0 = store.commit(&r0, &deploy(1)).unwrap();
        let mut a = ChangeSet::default();
        a.storage
            .insert((id(1), b"k".to_vec()), Some(b"a".to_vec()));
        let ra = store.commit(&r0, &a).unwrap();
        let mut b = ChangeSet::default();
        b.storage
            .insert((id(1), b"k".to_vec()), Some(b"b".to_vec()));
        let rb = store.commit(&r0, &b).unwrap();
        assert_ne!(ra, rb);
        assert_eq!(
            store.view(&ra).unwrap().get(&id(1), b"k").unwrap(),
            Some(b"a".to_vec())
        );
        assert_eq!(
            store.view(&rb).unwrap().get(&id(1), b"k").unwrap(),
            Some(b"b".to_vec())
        );
        assert_eq!(store.view(&r0).unwrap().get(&id(1), b"k").unwrap(), None);
        assert_eq!(store.head().unwrap(), rb);
        // Same changes on the same base give the same root.
        assert_eq!(store.commit(&r0, &a).unwrap(), ra);
    }

    #[test]
    fn unknown_root_is_an_error() {
        let store = MemoryStore::new();
        assert!(matches!(
            store.view(&Root([7; 32])),
            Err(StoreError::UnknownRoot(_))
        ));
        assert!(matches!(
            store.commit(&Root([7; 32]), &ChangeSet::default()),
            Err(StoreError::UnknownRoot(_))
        ));
    }

    #[test]
    fn storage_of_an_undeployed_contract_is_rejected_without_changes() {
        let store = MemoryStore::new();
        let mut c = ChangeSet::default();
        c.storage
            .insert((id(3), b"k".to_vec()), Some(b"v".to_vec()));
        assert!(matches!(
            store.commit(&Root::EMPTY, &c),
            Err(StoreError::UnknownContract(x)) if x == id(3)
        ));
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.nodes, stats.code_blobs, stats.retained_roots),
            (0, 0, 1)
        );
    }

    #[test]
    fn deleted_and_pruned_root_makes_a_live_view_report_unknown_root() {
        let store = MemoryStore::new();
        let r1 = store.commit(&Root::EMPTY, &deploy(1)).unwrap();
        let mut w = ChangeSet::default();
        w.storage
            .insert((id(1), b"k".to_vec()), Some(b"v".to_vec()));
        let r2 = store.commit(&r1, &w).unwrap();
        let view = store.view(&r1).unwrap();
        assert!(view.contract(&id(1)).unwrap().is_some());
        store.delete_root(&r1).unwrap();
        assert!(matches!(store.view(&r1), Err(StoreError::UnknownRoot(_))));
        let freed = store.prune().unwrap();
        // r1's only node (the contract leaf) is gone; the code is still used by r2.
        assert_eq!(freed.roots_released, 1);
        assert_eq!(freed.nodes_freed, 1);
        assert_eq!(freed.code_freed, 0);
        assert!(matches!(
            view.contracts(),
            Err(StoreError::UnknownRoot(r)) if r == r1
        ));
        assert_eq!(
            store.view(&r2).unwrap().get(&id(1), b"k").unwrap(),
            Some(b"v".to_vec())
        );
    }
}
