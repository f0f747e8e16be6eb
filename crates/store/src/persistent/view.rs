//! A view of one root of a [`PersistentStore`](super::PersistentStore): a redb read snapshot.
//!
//! The snapshot is taken when the view is opened, so a view stays fully readable even if its
//! root is deleted and pruned meanwhile (redb keeps the pages a live snapshot uses). Views are
//! meant to be short-lived (a session): a long-lived snapshot holds back page reuse.

use std::sync::Arc;

use redb::ReadOnlyTable;

use super::tables::{DbNodes, db_err};
use crate::cache::NodeCache;
use crate::node::{ChildRef, ContractRecord};
use crate::proof::{ContractProof, StorageProof};
use crate::{
    ContractId, ContractMeta, Root, StateView, StorageEntry, StoreError, code_hash, state,
};

pub(crate) struct PersistentView {
    pub root: Root,
    pub top: ChildRef,
    pub nodes: ReadOnlyTable<[u8; 12], &'static [u8]>,
    pub code: ReadOnlyTable<[u8; 32], &'static [u8]>,
    pub cache: Arc<NodeCache>,
    pub memo: state::ContractMemo,
}

impl PersistentView {
    fn src(&self) -> DbNodes<'_, ReadOnlyTable<[u8; 12], &'static [u8]>> {
        DbNodes {
            table: &self.nodes,
            cache: &self.cache,
        }
    }
}

impl StateView for PersistentView {
    fn root(&self) -> Root {
        self.root
    }

    fn get(&self, contract: &ContractId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.memo.get(&self.src(), &self.top, contract, key)
    }

    fn contract(&self, id: &ContractId) -> Result<Option<ContractMeta>, StoreError> {
        Ok(self.contract_record(id)?.map(|r| r.meta()))
    }

    fn code(&self, hash: &[u8; 32]) -> Result<Option<Arc<[u8]>>, StoreError> {
        let Some(guard) = self.code.get(hash).map_err(db_err)? else {
            return Ok(None);
        };
        let code = guard.value();
        // Never hand out code that is not what its address says.
        if code_hash(code) != *hash {
            return Err(StoreError::Corrupted(format!(
                "code stored under {} does not hash to it",
                Root(*hash)
            )));
        }
        Ok(Some(Arc::from(code)))
    }

    fn contract_record(&self, id: &ContractId) -> Result<Option<ContractRecord>, StoreError> {
        let entry = self.memo.entry(&self.src(), &self.top, id)?;
        Ok(entry.map(|(record, _)| record))
    }

    fn contracts(&self) -> Result<Vec<ContractRecord>, StoreError> {
        state::contracts(&self.src(), &self.top)
    }

    fn storage_entries(&self, contract: &ContractId) -> Result<Vec<StorageEntry>, StoreError> {
        state::storage_entries(&self.src(), &self.top, contract)?
            .ok_or(StoreError::UnknownContract(*contract))
    }

    fn prove_contract(&self, contract: &ContractId) -> Result<ContractProof, StoreError> {
        state::prove_contract(&self.src(), &self.top, contract)
    }

    fn prove(&self, contract: &ContractId, key: &[u8]) -> Result<StorageProof, StoreError> {
        state::prove(&self.src(), &self.top, contract, key)
    }
}
