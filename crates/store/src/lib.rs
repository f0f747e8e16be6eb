//! Shortcrust state: per-contract key–value storage, contract code and metadata, addressed by
//! state roots that are Merkle commitments to all of it.
//!
//! The VM sees state only through [`Store`] (commit, open a root, list, delete and prune roots)
//! and [`StateView`] (read one root, prove values). [`MemoryStore`] keeps everything in memory
//! for tests and throw-away VMs; [`PersistentStore`] keeps it in a redb database in one
//! directory. Both use the same tree code, so a state has the same root in both.
//!
//! Roots form a tree: any retained root can be opened and committed on top of, so two sessions
//! from one root may both commit (forks). Deleting a root makes it unknown at once; [`Store::prune`]
//! then frees the nodes and code no retained root can reach.
//!
//! # State layout (version 1)
//!
//! `H` is BLAKE2b-256. The state is two levels of binary sparse Merkle trees over 256-bit paths
//! (canonical compressed form, see the `tree` module — the same key set always gives the same
//! root, whatever the order of writes):
//!
//! - The **global tree** holds one leaf per deployed contract at path `H(0x02 || contract id)`.
//!   Its value hash is `H(0x04 || owner || code_hash || storage_root)`: the contract's metadata
//!   and the root of its storage tree. The state root ([`Root`]) is the global tree's root.
//! - Each contract's **storage tree** holds one leaf per key at path `H(0x03 || key)`, with value
//!   hash `H(0x05 || value)`.
//! - Nodes: an empty subtree hashes to 32 zero bytes; a leaf is `H(0x00 || path || value_hash)`;
//!   an internal node is `H(0x01 || left || right)`. A subtree holding a single leaf is that
//!   leaf, so leaves sit at the shallowest depth where they are alone.
//! - Code is stored by [`code_hash`] (`H(code)`, untagged) and bound to the state through the
//!   `code_hash` of the contracts that use it.
//!
//! Why two levels rather than one tree keyed by `H(contract, key)`: a contract's owner and code
//! hash get their own leaf (provable without any storage key), a contract's keys can be listed
//! by walking only its own subtree, and "unknown contract" is a provable fact.
//!
//! Why not the `jmt` crate (Jellyfish Merkle Tree, 0.12): every update is based on
//! `version - 1`, so two commits on the same base (forks) cannot coexist, and its stale-node
//! index assumes a linear history, so pruning across forks would need our own reachability
//! tracking anyway. It also pulls second major versions of `thiserror` (1), `digest`/`sha2`
//! (0.10), `syn` (1, through `num-derive` 0.3) and `hashbrown` (0.13), plus `ics23`/`prost` by
//! default (checked with `cargo tree`, 2026-11), and hashes with SHA-256 where the
//! rest of Shortcrust uses BLAKE2b. We keep its
//! best storage idea: nodes are stored under `(batch, index)` keys allocated per commit, so a
//! commit appends its nodes instead of scattering writes over the node table; since a parent
//! names its children by key, any retained root can be a base. Reference counts (see the
//! `commit` module) make deletion and pruning work on a tree of roots.

mod cache;
mod commit;
mod hash;
mod memory;
mod node;
mod persistent;
pub mod proof;
mod state;
mod tree;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use commit::PruneStats;
pub use memory::MemoryStore;
pub use node::ContractRecord;
pub use persistent::{DB_FILE, OpenOptions, PersistentStore};
pub use proof::{ContractProof, MerkleProof, ProofError, StorageClaim, StorageProof, Terminal};
pub use shortcrust_abi::ContractId;

/// A 32-byte commitment to a whole state: the root hash of the global tree.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Root(pub [u8; 32]);

impl Root {
    /// The root of the empty state (no contracts): 32 zero bytes, also `Root::default()`.
    pub const EMPTY: Root = Root([0; 32]);
}

impl std::fmt::Debug for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Root({self})")
    }
}

impl std::fmt::Display for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// BLAKE2b-256 of code, used to address code and to commit to it.
pub fn code_hash(code: &[u8]) -> [u8; 32] {
    let h = blake2b_simd::Params::new().hash_length(32).hash(code);
    let mut out = [0u8; 32];
    out.copy_from_slice(h.as_bytes());
    out
}

/// What the state records about one contract besides its storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContractMeta {
    /// Who deployed it (32 bytes, opaque to the VM).
    pub owner: [u8; 32],
    /// BLAKE2b-256 of its code.
    pub code_hash: [u8; 32],
}

/// Everything a session changes, applied atomically by [`Store::commit`].
///
/// Ordered maps: a commit must not depend on insertion or hash order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Newly deployed contracts.
    pub contracts: BTreeMap<ContractId, ContractMeta>,
    /// Code of newly deployed contracts, by code hash. Only code some contract uses is kept;
    /// a deploy whose code is neither here nor already stored fails with
    /// [`StoreError::MissingCode`].
    pub code: BTreeMap<[u8; 32], Arc<[u8]>>,
    /// Storage writes (`Some`) and removals (`None`). The contract must be deployed in the base
    /// state or in this change set.
    pub storage: BTreeMap<(ContractId, Vec<u8>), Option<Vec<u8>>>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty() && self.code.is_empty() && self.storage.is_empty()
    }
}

/// One retained root and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub root: Root,
    /// The base it was first committed on (`None` for the empty root). The parent may since
    /// have been deleted.
    pub parent: Option<Root>,
    /// Commit order: strictly increasing over the store's life, 0 for the empty root.
    pub seq: u64,
    /// Number of commits between the empty root and this one along its parents.
    pub height: u64,
}

/// One storage key of a contract and the size of its value (for listings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageEntry {
    pub key: Vec<u8>,
    pub value_len: usize,
}

/// Counts of what a store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Roots that can be viewed and committed on (including the empty root).
    pub retained_roots: u64,
    /// Deleted roots whose data is not yet reclaimed by [`Store::prune`].
    pub pending_release: u64,
    /// Tree nodes stored (shared between roots).
    pub nodes: u64,
    /// Code blobs stored.
    pub code_blobs: u64,
    /// Size of the database file (0 for the memory store).
    pub file_bytes: u64,
}

/// Errors of the state layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unknown state root {0}")]
    UnknownRoot(Root),
    #[error("contract {0} is already deployed")]
    ContractExists(ContractId),
    #[error("contract {0} is not deployed")]
    UnknownContract(ContractId),
    #[error("code {} is neither in the change set nor stored", Root(*code_hash))]
    MissingCode { code_hash: [u8; 32] },
    #[error("code given under hash {} hashes to {}", Root(*claimed), Root(*actual))]
    CodeHashMismatch { claimed: [u8; 32], actual: [u8; 32] },
    #[error("storage key of {len} bytes exceeds the limit of {max}")]
    KeyTooLong { len: usize, max: usize },
    #[error("storage value of {len} bytes exceeds the limit of {max}")]
    ValueTooLong { len: usize, max: usize },
    #[error("cannot delete root {root}: {reason}")]
    CannotDelete { root: Root, reason: &'static str },
    #[error("state directory {} is in use by another process (or another store in this one)", path.display())]
    Locked { path: PathBuf },
    #[error("{} is not a Shortcrust state directory: {reason}", path.display())]
    NotAStateDirectory { path: PathBuf, reason: String },
    #[error("state database format {found:?} is not the supported {expected:?}")]
    IncompatibleFormat {
        found: String,
        expected: &'static str,
    },
    #[error("I/O error on {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not supported by this store")]
    Unsupported(&'static str),
    #[error("state is corrupted: {0}")]
    Corrupted(String),
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// A read-only view of the state at one root. Cheap to clone through `Arc`.
pub trait StateView: Send + Sync {
    /// The root this view reads.
    fn root(&self) -> Root;
    /// The value of `key` in `contract`'s storage (`None` also if the contract does not exist).
    fn get(&self, contract: &ContractId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Metadata of a deployed contract.
    fn contract(&self, id: &ContractId) -> Result<Option<ContractMeta>, StoreError>;
    /// Code by code hash.
    fn code(&self, code_hash: &[u8; 32]) -> Result<Option<Arc<[u8]>>, StoreError>;

    /// A contract's full record (metadata and storage root).
    fn contract_record(&self, _id: &ContractId) -> Result<Option<ContractRecord>, StoreError> {
        Err(StoreError::Unsupported("contract records"))
    }
    /// Every deployed contract, sorted by id.
    fn contracts(&self) -> Result<Vec<ContractRecord>, StoreError> {
        Err(StoreError::Unsupported("listing contracts"))
    }
    /// Every storage key of `contract` with its value size, sorted by key.
    /// [`StoreError::UnknownContract`] if it is not deployed.
    fn storage_entries(&self, _contract: &ContractId) -> Result<Vec<StorageEntry>, StoreError> {
        Err(StoreError::Unsupported("listing storage"))
    }
    /// Proof of `contract`'s record or of its absence, checkable with [`ContractProof::verify`].
    fn prove_contract(&self, _contract: &ContractId) -> Result<ContractProof, StoreError> {
        Err(StoreError::Unsupported("proofs"))
    }
    /// Proof of (`contract`, `key`)'s value or absence, checkable with [`StorageProof::verify`].
    fn prove(&self, _contract: &ContractId, _key: &[u8]) -> Result<StorageProof, StoreError> {
        Err(StoreError::Unsupported("proofs"))
    }
}

/// A state store: opens views on retained roots and commits change sets on top of them.
pub trait Store: Send + Sync {
    /// The root of the empty state.
    fn empty_root(&self) -> Root;
    /// The most recently committed root (the empty root before any commit).
    fn head(&self) -> Result<Root, StoreError>;
    /// A view of the state at `root`.
    fn view(&self, root: &Root) -> Result<Arc<dyn StateView>, StoreError>;
    /// Applies `changes` on top of `base`, makes the result the head, and returns its root.
    ///
    /// Atomic: on error nothing changes. Refused change sets give [`StoreError::UnknownRoot`],
    /// [`StoreError::ContractExists`], [`StoreError::UnknownContract`],
    /// [`StoreError::MissingCode`], [`StoreError::CodeHashMismatch`], [`StoreError::KeyTooLong`]
    /// or [`StoreError::ValueTooLong`]. Committing a state that is already retained returns its
    /// root without storing anything new.
    fn commit(&self, base: &Root, changes: &ChangeSet) -> Result<Root, StoreError>;

    /// Every retained root, in commit order (`seq`).
    fn commits(&self) -> Result<Vec<CommitInfo>, StoreError> {
        Err(StoreError::Unsupported("listing commits"))
    }
    /// Where a retained root came from.
    fn commit_info(&self, _root: &Root) -> Result<CommitInfo, StoreError> {
        Err(StoreError::Unsupported("commit info"))
    }
    /// Makes a retained root the head (e.g. after a reorganisation).
    fn set_head(&self, _root: &Root) -> Result<(), StoreError> {
        Err(StoreError::Unsupported("moving the head"))
    }
    /// Forgets `root`: it can no longer be viewed or committed on. Its data is reclaimed by
    /// [`Store::prune`]. The head and the empty root cannot be deleted.
    fn delete_root(&self, _root: &Root) -> Result<(), StoreError> {
        Err(StoreError::Unsupported("deleting roots"))
    }
    /// Frees every node and code blob that only deleted roots could reach.
    fn prune(&self) -> Result<PruneStats, StoreError> {
        Err(StoreError::Unsupported("pruning"))
    }
    /// Counts of what the store holds.
    fn stats(&self) -> Result<StoreStats, StoreError> {
        Err(StoreError::Unsupported("statistics"))
    }
}
