//! The VM: one engine, one linker and one compiled-module cache shared by every session.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use shortcrust_store::{MemoryStore, Store, code_hash};
use wasmtime::{Engine, InstancePre, Linker, Module};

use crate::error::{DeployError, VmError};
use crate::host::{self, FrameData};
use crate::limits::ModuleLimits;
use crate::session::{Session, SessionConfig};
use crate::{engine, instrument, validate};

/// A module ready to instantiate.
pub(crate) struct Compiled {
    pub code_hash: [u8; 32],
    pub pre: InstancePre<FrameData>,
    pub entry_points: BTreeSet<String>,
    pub schema: Option<Vec<u8>>,
}

pub(crate) struct VmInner {
    pub engine: Engine,
    linker: Linker<FrameData>,
    pub store: Arc<dyn Store>,
    limits: ModuleLimits,
    /// Compiled modules by code hash. Only looked up, never iterated: its order affects nothing.
    modules: Mutex<HashMap<[u8; 32], Arc<Compiled>>>,
}

impl VmInner {
    fn modules(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Arc<Compiled>>> {
        // The map is only ever inserted into whole entries; a panic elsewhere cannot corrupt it.
        self.modules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Validates, instruments and compiles `code` (or finds it compiled already).
    pub(crate) fn compile(
        &self,
        code: &[u8],
        protocol_version: u32,
    ) -> Result<Arc<Compiled>, DeployError> {
        let hash = code_hash(code);
        // Validation depends on the protocol version, so a cached module is re-validated cheaply
        // only when a deploy asks for an older version than the one it was compiled under.
        let info = validate::validate(code, &self.limits, protocol_version)?;
        if let Some(c) = self.modules().get(&hash) {
            return Ok(c.clone());
        }
        let instrumented = instrument::instrument(code, &info)?;
        let module = Module::new(&self.engine, &instrumented)
            .map_err(|e| DeployError::Compile(format!("{e:#}")))?;
        let pre = self
            .linker
            .instantiate_pre(&module)
            .map_err(|e| DeployError::Compile(format!("{e:#}")))?;
        let compiled = Arc::new(Compiled {
            code_hash: hash,
            pre,
            entry_points: info.entry_points,
            schema: info.schema,
        });
        self.modules().insert(hash, compiled.clone());
        Ok(compiled)
    }

    /// The compiled module for `hash`, compiling code fetched with `code` on a cache miss.
    pub(crate) fn compiled_for(
        &self,
        hash: &[u8; 32],
        code: impl FnOnce(&[u8; 32]) -> Result<Option<Arc<[u8]>>, String>,
    ) -> Result<Arc<Compiled>, String> {
        if let Some(c) = self.modules().get(hash) {
            return Ok(c.clone());
        }
        let bytes = code(hash)?.ok_or_else(|| "contract code missing from state".to_string())?;
        self.compile(&bytes, shortcrust_abi::LATEST_PROTOCOL_VERSION)
            .map_err(|e| format!("stored code no longer compiles: {e}"))
    }
}

/// Configuration of a VM.
#[derive(Clone, Debug, Default)]
pub struct VmConfig {
    pub limits: ModuleLimits,
}

/// A Shortcrust VM. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Vm {
    inner: Arc<VmInner>,
}

impl Vm {
    /// A VM on a fresh in-memory state.
    pub fn ephemeral() -> Result<Vm, VmError> {
        Self::with_store(Arc::new(MemoryStore::new()), VmConfig::default())
    }

    /// A VM on `store`.
    pub fn with_store(store: Arc<dyn Store>, config: VmConfig) -> Result<Vm, VmError> {
        let engine = engine::new_engine(&config.limits)?;
        let mut linker = Linker::new(&engine);
        host::link(&mut linker).map_err(|e| VmError::Engine(format!("{e:#}")))?;
        Ok(Vm {
            inner: Arc::new(VmInner {
                engine,
                linker,
                store,
                limits: config.limits,
                modules: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// A session on `config.root` (the store's head if `None`).
    pub fn session(&self, config: SessionConfig) -> Result<Session, VmError> {
        let root = match config.root {
            Some(r) => r,
            None => self.inner.store.head()?,
        };
        let view = self.inner.store.view(&root)?;
        Ok(Session::new(self.inner.clone(), view, config.context))
    }

    /// The state store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The module limits deploys are checked against.
    pub fn limits(&self) -> &ModuleLimits {
        &self.inner.limits
    }

    /// The entry-point schema a contract's code carries (custom section `shortcrust-schema`).
    pub fn schema(&self, code: &[u8]) -> Result<Option<Vec<u8>>, DeployError> {
        Ok(validate::validate(
            code,
            &self.inner.limits,
            shortcrust_abi::LATEST_PROTOCOL_VERSION,
        )?
        .schema)
    }
}
