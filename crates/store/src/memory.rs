//! An in-memory [`Store`]: every retained root keeps a full copy-on-write snapshot.
//!
//! Meant for tests and throw-away VMs (`Vm::ephemeral`), where states are small: a commit copies
//! the base state, so it costs O(total state).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::{ChangeSet, ContractId, ContractMeta, Root, StateView, Store, StoreError};

#[derive(Default)]
struct Snapshot {
    root: Root,
    contracts: BTreeMap<ContractId, ContractMeta>,
    code: BTreeMap<[u8; 32], Arc<[u8]>>,
    storage: BTreeMap<(ContractId, Vec<u8>), Vec<u8>>,
}

impl Snapshot {
    /// Commitment over everything in the snapshot, in key order.
    // A flat hash, not a Merkle tree: the in-memory store offers no proofs.
    fn compute_root(&self) -> Root {
        let mut h = blake2b_simd::Params::new().hash_length(32).to_state();
        h.update(b"shortcrust/memory-state/v1");
        for (id, meta) in &self.contracts {
            h.update(b"C");
            h.update(&id.0);
            h.update(&meta.owner);
            h.update(&meta.code_hash);
        }
        for ((id, key), value) in &self.storage {
            h.update(b"S");
            h.update(&id.0);
            h.update(&(key.len() as u64).to_le_bytes());
            h.update(key);
            h.update(&(value.len() as u64).to_le_bytes());
            h.update(value);
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(h.finalize().as_bytes());
        Root(out)
    }
}

impl StateView for Snapshot {
    fn root(&self) -> Root {
        self.root
    }
    fn get(&self, contract: &ContractId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.storage.get(&(*contract, key.to_vec())).cloned())
    }
    fn contract(&self, id: &ContractId) -> Result<Option<ContractMeta>, StoreError> {
        Ok(self.contracts.get(id).copied())
    }
    fn code(&self, code_hash: &[u8; 32]) -> Result<Option<Arc<[u8]>>, StoreError> {
        Ok(self.code.get(code_hash).cloned())
    }
}

/// See the module docs.
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

struct Inner {
    roots: BTreeMap<Root, Arc<Snapshot>>,
    head: Root,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        let mut empty = Snapshot::default();
        empty.root = empty.compute_root();
        let head = empty.root;
        let mut roots = BTreeMap::new();
        roots.insert(head, Arc::new(empty));
        Self {
            inner: Mutex::new(Inner { roots, head }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave `Inner` half-updated (every update is a
        // single insert), so a poisoned lock is safe to keep using.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for MemoryStore {
    fn empty_root(&self) -> Root {
        Snapshot::default().compute_root()
    }

    fn head(&self) -> Result<Root, StoreError> {
        Ok(self.lock().head)
    }

    fn view(&self, root: &Root) -> Result<Arc<dyn StateView>, StoreError> {
        let inner = self.lock();
        let snap = inner
            .roots
            .get(root)
            .ok_or(StoreError::UnknownRoot(*root))?;
        Ok(snap.clone() as Arc<dyn StateView>)
    }

    fn commit(&self, base: &Root, changes: &ChangeSet) -> Result<Root, StoreError> {
        let base = {
            let inner = self.lock();
            inner
                .roots
                .get(base)
                .cloned()
                .ok_or(StoreError::UnknownRoot(*base))?
        };
        let mut next = Snapshot {
            root: Root::default(),
            contracts: base.contracts.clone(),
            code: base.code.clone(),
            storage: base.storage.clone(),
        };
        for (id, meta) in &changes.contracts {
            if next.contracts.insert(*id, *meta).is_some() {
                return Err(StoreError::ContractExists(*id));
            }
        }
        for (hash, code) in &changes.code {
            next.code.insert(*hash, code.clone());
        }
        for (key, value) in &changes.storage {
            match value {
                Some(v) => next.storage.insert(key.clone(), v.clone()),
                None => next.storage.remove(key),
            };
        }
        next.root = next.compute_root();
        let root = next.root;
        let mut inner = self.lock();
        inner.roots.insert(root, Arc::new(next));
        inner.head = root;
        Ok(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(b: u8) -> ContractId {
        ContractId([b; 32])
    }

    #[test]
    fn commit_fork_and_read_back() {
        let store = MemoryStore::new();
        let r0 = store.head().unwrap();
        assert_eq!(r0, store.empty_root());
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
    }
}
