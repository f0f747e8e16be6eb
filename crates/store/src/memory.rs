//! An in-memory [`Store`] over the same Merkle trees as the persistent store.
//!
//! Meant for tests and throw-away VMs (`Vm::ephemeral`). Nodes live in one map shared by all
//! roots (content-addressed, reference-counted), so a commit costs O(changed keys × depth), a
//! state has the same root here as in [`PersistentStore`](crate::PersistentStore), and deleted
//! roots are reclaimed by [`Store::prune`] exactly as there.
//!
//! Concurrency: one `RwLock`. Views take the read lock once per query; a commit computes its
//! plan under the read lock and takes the write lock only to insert the new nodes. A view whose
//! root is deleted *and pruned* while it is alive fails with [`StoreError::UnknownRoot`] (the
//! persistent store's views read a snapshot and keep working).

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::cache::DigestMap;
use crate::commit::{self, RefStore};
use crate::hash::Hash;
use crate::node::{ContractRecord, Node, SharedNode};
use crate::proof::{ContractProof, StorageProof};
use crate::tree::NodeSource;
use crate::{
    ChangeSet, CommitInfo, ContractId, ContractMeta, PruneStats, Root, StateView, StorageEntry,
    Store, StoreError, StoreStats, state,
};

struct StoredNode {
    node: SharedNode,
    refs: u64,
}

struct StoredCode {
    code: Arc<[u8]>,
    refs: u64,
}

struct MemState {
    nodes: DigestMap<StoredNode>,
    code: DigestMap<StoredCode>,
    roots: BTreeMap<Root, CommitInfo>,
    /// Deleted roots not yet released, with how many times each was deleted.
    pending: BTreeMap<Root, u64>,
    head: Root,
    next_seq: u64,
}

impl NodeSource for MemState {
    type Ref<'a> = &'a Node;
    fn node(&self, hash: &Hash) -> Result<&Node, StoreError> {
        self.nodes
            .get(hash)
            .map(|n| &*n.node)
            .ok_or_else(|| StoreError::Corrupted(format!("missing node {}", Root(*hash))))
    }
}

impl RefStore for MemState {
    fn node_refs(&mut self, hash: &Hash) -> Result<Option<u64>, StoreError> {
        Ok(self.nodes.get(hash).map(|n| n.refs))
    }
    fn insert_node(&mut self, hash: &Hash, node: &SharedNode, refs: u64) -> Result<(), StoreError> {
        let node = node.clone();
        self.nodes.insert(*hash, StoredNode { node, refs });
        Ok(())
    }
    fn set_node_refs(&mut self, hash: &Hash, refs: u64) -> Result<(), StoreError> {
        match self.nodes.get_mut(hash) {
            Some(n) => {
                n.refs = refs;
                Ok(())
            }
            None => Err(StoreError::Corrupted(format!(
                "missing node {}",
                Root(*hash)
            ))),
        }
    }
    fn remove_node(&mut self, hash: &Hash) -> Result<(Node, u64), StoreError> {
        let stored = self
            .nodes
            .remove(hash)
            .ok_or_else(|| StoreError::Corrupted(format!("missing node {}", Root(*hash))))?;
        let bytes = stored.node.encoded_len() as u64;
        Ok((Arc::unwrap_or_clone(stored.node), bytes))
    }
    fn code_refs(&mut self, hash: &Hash) -> Result<Option<u64>, StoreError> {
        Ok(self.code.get(hash).map(|c| c.refs))
    }
    fn insert_code(&mut self, hash: &Hash, code: &[u8], refs: u64) -> Result<(), StoreError> {
        let code = Arc::from(code);
        self.code.insert(*hash, StoredCode { code, refs });
        Ok(())
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
            CommitInfo {
                root: Root::EMPTY,
                parent: None,
                seq: 0,
                height: 0,
            },
        );
        let state = MemState {
            nodes: DigestMap::default(),
            code: DigestMap::default(),
            roots,
            pending: BTreeMap::new(),
            head: Root::EMPTY,
            next_seq: 1,
        };
        Self {
            shared: Arc::new(RwLock::new(state)),
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
        if !read(&self.shared).roots.contains_key(root) {
            return Err(StoreError::UnknownRoot(*root));
        }
        Ok(Arc::new(MemView {
            root: *root,
            shared: self.shared.clone(),
        }))
    }

    fn commit(&self, base: &Root, changes: &ChangeSet) -> Result<Root, StoreError> {
        let plan = {
            let state = read(&self.shared);
            if !state.roots.contains_key(base) {
                return Err(StoreError::UnknownRoot(*base));
            }
            commit::plan(&*state, &base.0, changes)?
        };
        let mut state = write(&self.shared);
        // The base may have been deleted while the plan was computed without the write lock.
        let base_info = *state
            .roots
            .get(base)
            .ok_or(StoreError::UnknownRoot(*base))?;
        let root = Root(plan.root);
        let is_new = !state.roots.contains_key(&root);
        commit::apply(&mut *state, &plan, is_new)?;
        if is_new {
            let seq = state.next_seq;
            state.next_seq += 1;
            state.roots.insert(
                root,
                CommitInfo {
                    root,
                    parent: Some(*base),
                    seq,
                    height: base_info.height + 1,
                },
            );
        }
        state.head = root;
        Ok(root)
    }

    fn commits(&self) -> Result<Vec<CommitInfo>, StoreError> {
        let mut out: Vec<CommitInfo> = read(&self.shared).roots.values().copied().collect();
        out.sort_by_key(|c| c.seq);
        Ok(out)
    }

    fn commit_info(&self, root: &Root) -> Result<CommitInfo, StoreError> {
        read(&self.shared)
            .roots
            .get(root)
            .copied()
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
        state.roots.remove(root);
        *state.pending.entry(*root).or_default() += 1;
        Ok(())
    }

    fn prune(&self) -> Result<PruneStats, StoreError> {
        let mut state = write(&self.shared);
        let mut stats = PruneStats::default();
        let pending = std::mem::take(&mut state.pending);
        for (root, count) in pending {
            for _ in 0..count {
                commit::release(&mut *state, &root.0, &mut stats)?;
            }
        }
        Ok(stats)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let state = read(&self.shared);
        Ok(StoreStats {
            retained_roots: state.roots.len() as u64,
            pending_release: state.pending.values().sum(),
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
    shared: Arc<RwLock<MemState>>,
}

impl MemView {
    /// Runs a query under the read lock; missing nodes of a root that has since been deleted
    /// and pruned mean the root is gone, not that the store is corrupted.
    fn query<T>(
        &self,
        f: impl FnOnce(&MemState, &Hash) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let state = read(&self.shared);
        f(&state, &self.root.0).map_err(|e| match e {
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
        self.query(|s, root| state::get(s, root, contract, key))
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
        self.query(|s, root| state::contract_record(s, root, id))
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
        // r1's global leaf and storage-less contract leaf are gone; the code is still used by r2.
        assert_eq!(freed.roots_released, 1);
        assert_eq!(freed.nodes_freed, 1);
        assert_eq!(freed.code_freed, 0);
        assert!(matches!(
            view.contract(&id(1)),
            Err(StoreError::UnknownRoot(r)) if r == r1
        ));
        assert_eq!(
            store.view(&r2).unwrap().get(&id(1), b"k").unwrap(),
            Some(b"v".to_vec())
        );
    }
}
