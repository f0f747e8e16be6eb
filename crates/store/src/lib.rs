//! Shortcrust state: per-contract key–value storage, contract code and metadata, addressed by
//! state roots.
//!
//! The VM sees state only through [`Store`] (commit, open a root) and [`StateView`] (read one
//! root). [`MemoryStore`] keeps everything in memory for tests and throw-away VMs; the persistent
//! store implements the same traits on an embedded database.
//!
//! Roots form a tree: any retained root can be opened and committed on top of, so two sessions
//! from one root may both commit (forks).

mod memory;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use memory::MemoryStore;
pub use shortcrust_abi::ContractId;

/// A 32-byte commitment to a whole state.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Root(pub [u8; 32]);

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
    /// Code of newly deployed contracts, by code hash.
    pub code: BTreeMap<[u8; 32], Arc<[u8]>>,
    /// Storage writes (`Some`) and removals (`None`).
    pub storage: BTreeMap<(ContractId, Vec<u8>), Option<Vec<u8>>>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty() && self.code.is_empty() && self.storage.is_empty()
    }
}

/// Errors of the state layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unknown state root {0}")]
    UnknownRoot(Root),
    #[error("contract {0} is already deployed")]
    ContractExists(ContractId),
    #[error("state is corrupted: {0}")]
    Corrupted(String),
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// A read-only view of the state at one root. Cheap to clone through `Arc`.
pub trait StateView: Send + Sync {
    /// The root this view reads.
    fn root(&self) -> Root;
    /// The value of `key` in `contract`'s storage.
    fn get(&self, contract: &ContractId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Metadata of a deployed contract.
    fn contract(&self, id: &ContractId) -> Result<Option<ContractMeta>, StoreError>;
    /// Code by code hash.
    fn code(&self, code_hash: &[u8; 32]) -> Result<Option<Arc<[u8]>>, StoreError>;
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
    fn commit(&self, base: &Root, changes: &ChangeSet) -> Result<Root, StoreError>;
}
