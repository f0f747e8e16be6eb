//! Queries on one state root that both stores share: values, contract records, proofs and
//! listings, all through the two-level layout (global tree of contracts, one storage tree per
//! contract).

use std::sync::Mutex;

use crate::hash::{self, Hash};
use crate::node::{ChildRef, ContractRecord, LeafBody, Node};
use crate::proof::{ContractProof, MerkleProof, StorageProof, Terminal};
use crate::tree::{self, NodeSource};
use crate::{ContractId, StorageEntry, StoreError};

fn not_a(kind: &str, hash: &Hash) -> StoreError {
    StoreError::Corrupted(format!(
        "expected a {kind} leaf, found another node under {}",
        crate::Root(*hash)
    ))
}

/// The record of contract `id` in the state `root`, and a reference to its storage tree.
pub(crate) fn contract_entry<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    id: &ContractId,
) -> Result<Option<(ContractRecord, ChildRef)>, StoreError> {
    let path = hash::contract_path(&id.0);
    match tree::lookup(src, root, &path)? {
        None => Ok(None),
        Some(node) => match &*node {
            Node::Leaf(leaf) => match leaf.body.contract() {
                Some(entry) => Ok(Some(entry)),
                None => Err(not_a("contract", &root.hash)),
            },
            Node::Internal { .. } => Err(not_a("contract", &root.hash)),
        },
    }
}

/// A view's memo of contract lookups, so that repeated reads of one contract's storage skip
/// hashing the contract id and walking the global tree. A view reads one immutable root, so an
/// entry never goes stale. Bounded: past [`ContractMemo::LIMIT`] contracts it stops memoizing.
#[derive(Default)]
pub(crate) struct ContractMemo(Mutex<Vec<(ContractId, ContractEntry)>>);

type ContractEntry = Option<(ContractRecord, ChildRef)>;

impl ContractMemo {
    const LIMIT: usize = 64;

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(ContractId, ContractEntry)>> {
        // Entries are pushed whole: a poisoned memo is still consistent.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// [`contract_entry`], memoized.
    pub fn entry<S: NodeSource>(
        &self,
        src: &S,
        root: &ChildRef,
        id: &ContractId,
    ) -> Result<ContractEntry, StoreError> {
        if let Some((_, entry)) = self.lock().iter().find(|(c, _)| c == id) {
            return Ok(*entry);
        }
        let entry = contract_entry(src, root, id)?;
        let mut memo = self.lock();
        if memo.len() < Self::LIMIT {
            memo.push((*id, entry));
        }
        Ok(entry)
    }

    /// The value of (`contract`, `key`) in the state `root`.
    pub fn get<S: NodeSource>(
        &self,
        src: &S,
        root: &ChildRef,
        contract: &ContractId,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        match self.entry(src, root, contract)? {
            None => Ok(None),
            Some((_, storage)) => storage_value(src, &storage, key),
        }
    }
}

/// The value of `key` in the storage tree `storage`.
pub(crate) fn storage_value<S: NodeSource>(
    src: &S,
    storage: &ChildRef,
    key: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    let path = hash::key_path(key);
    match tree::lookup(src, storage, &path)? {
        None => Ok(None),
        Some(node) => match &*node {
            Node::Leaf(leaf) => match &leaf.body {
                LeafBody::Storage { key: stored, value } if **stored == *key => {
                    Ok(Some(value.to_vec()))
                }
                _ => Err(not_a("storage", &storage.hash)),
            },
            Node::Internal { .. } => Err(not_a("storage", &storage.hash)),
        },
    }
}

fn merkle_proof<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    path: &Hash,
) -> Result<(MerkleProof, Option<Node>), StoreError> {
    let (siblings, end) = tree::proof_path(src, root, path)?;
    let (terminal, leaf) = match end {
        None => (Terminal::Empty, None),
        Some(node) => match &*node {
            Node::Leaf(leaf) => (
                Terminal::Leaf {
                    path: leaf.path,
                    value_hash: leaf.value_hash,
                },
                (leaf.path == *path).then(|| (*node).clone()),
            ),
            Node::Internal { .. } => {
                return Err(StoreError::Corrupted(
                    "proof walk ended on an internal node".into(),
                ));
            }
        },
    };
    Ok((MerkleProof { siblings, terminal }, leaf))
}

/// Proof of contract `id`'s record (or absence) in the state `root`, and a reference to the
/// contract's storage tree.
fn prove_contract_entry<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    id: &ContractId,
) -> Result<(ContractProof, ChildRef), StoreError> {
    let (path, leaf) = merkle_proof(src, root, &hash::contract_path(&id.0))?;
    let (record, storage) = match leaf {
        None => (None, ChildRef::EMPTY),
        Some(Node::Leaf(leaf)) => match leaf.body.contract() {
            Some((record, storage)) => (Some(record), storage),
            None => return Err(not_a("contract", &root.hash)),
        },
        Some(Node::Internal { .. }) => return Err(not_a("contract", &root.hash)),
    };
    let proof = ContractProof {
        contract: id.0,
        path,
        record,
    };
    Ok((proof, storage))
}

/// Proof of contract `id`'s record (or absence) in the state `root`.
pub(crate) fn prove_contract<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    id: &ContractId,
) -> Result<ContractProof, StoreError> {
    Ok(prove_contract_entry(src, root, id)?.0)
}

/// Proof of (`contract`, `key`)'s value (or absence) in the state `root`.
pub(crate) fn prove<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    contract: &ContractId,
    key: &[u8],
) -> Result<StorageProof, StoreError> {
    let (contract_proof, storage) = prove_contract_entry(src, root, contract)?;
    let (storage_path, value) = match &contract_proof.record {
        None => (None, None),
        Some(_) => {
            let (path, leaf) = merkle_proof(src, &storage, &hash::key_path(key))?;
            let value = match leaf {
                None => None,
                Some(Node::Leaf(leaf)) => match leaf.body {
                    LeafBody::Storage { value, .. } => Some(value.into_vec()),
                    LeafBody::Contract { .. } => return Err(not_a("storage", &storage.hash)),
                },
                Some(Node::Internal { .. }) => return Err(not_a("storage", &storage.hash)),
            };
            (Some(path), value)
        }
    };
    Ok(StorageProof {
        contract: contract_proof,
        key: key.to_vec(),
        storage_path,
        value,
    })
}

/// Every contract in the state `root`, sorted by id.
pub(crate) fn contracts<S: NodeSource>(
    src: &S,
    root: &ChildRef,
) -> Result<Vec<ContractRecord>, StoreError> {
    let mut out = Vec::new();
    tree::for_each_leaf(src, root, |node| match node {
        Node::Leaf(leaf) => match &leaf.body {
            LeafBody::Contract { record, .. } => {
                out.push(**record);
                Ok(())
            }
            LeafBody::Storage { .. } => Err(not_a("contract", &root.hash)),
        },
        Node::Internal { .. } => Err(not_a("contract", &root.hash)),
    })?;
    out.sort_by_key(|r| r.id);
    Ok(out)
}

/// Every storage key of `contract` in the state `root` with its value size, sorted by key;
/// `None` if the contract does not exist.
pub(crate) fn storage_entries<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    contract: &ContractId,
) -> Result<Option<Vec<StorageEntry>>, StoreError> {
    let Some((_, storage)) = contract_entry(src, root, contract)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    tree::for_each_leaf(src, &storage, |node| match node {
        Node::Leaf(leaf) => match &leaf.body {
            LeafBody::Storage { key, value } => {
                out.push(StorageEntry {
                    key: key.to_vec(),
                    value_len: value.len(),
                });
                Ok(())
            }
            LeafBody::Contract { .. } => Err(not_a("storage", &storage.hash)),
        },
        Node::Internal { .. } => Err(not_a("storage", &storage.hash)),
    })?;
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(Some(out))
}
