//! The VM: one engine, one linker and one compiled-module cache (in memory, and on disk for a
//! VM opened on a directory) shared by every session.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use shortcrust_store::{MemoryStore, OpenOptions, PersistentStore, Store, code_hash};
use wasmtime::{Engine, ExternType, InstancePre, Linker, Module};

use crate::error::{DeployError, VmError};
use crate::host::{self, FrameData};
use crate::instrument::RESERVED_EXPORT_PREFIX;
use crate::limits::ModuleLimits;
use crate::module_cache::{Lookup, ModuleCache};
use crate::session::{Session, SessionConfig};
use crate::{engine, instrument, validate};

/// A module ready to instantiate.
pub(crate) struct Compiled {
    pub code_hash: [u8; 32],
    pub pre: InstancePre<FrameData>,
    pub entry_points: BTreeSet<String>,
}

/// How the last module lookup was served (for tests and the CLI's diagnostics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Modules compiled from WASM.
    pub compiled: u64,
    /// Modules loaded from the on-disk cache.
    pub loaded_from_disk: u64,
    /// On-disk entries found but not trusted (corrupted or foreign), then rebuilt.
    pub rejected_on_disk: u64,
    /// Why the last on-disk entry was rejected.
    pub last_rejection: Option<&'static str>,
}

pub(crate) struct VmInner {
    pub engine: Engine,
    linker: Linker<FrameData>,
    pub store: Arc<dyn Store>,
    limits: ModuleLimits,
    /// Compiled modules by code hash. Only looked up, never iterated: its order affects nothing.
    modules: Mutex<HashMap<[u8; 32], Arc<Compiled>>>,
    disk: Option<ModuleCache>,
    stats: Mutex<CacheStats>,
}

impl VmInner {
    fn modules(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Arc<Compiled>>> {
        // Only whole entries are ever inserted; a panic elsewhere cannot leave it half-updated.
        self.modules.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count(&self, f: impl FnOnce(&mut CacheStats)) {
        f(&mut self.stats.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Wraps a compiled module: pre-links it and lists its entry points (exported `[] -> []`
    /// functions; the VM's own exports excluded).
    fn prepare(&self, hash: [u8; 32], module: &Module) -> Result<Arc<Compiled>, DeployError> {
        let pre = self
            .linker
            .instantiate_pre(module)
            .map_err(|e| DeployError::Compile(format!("{e:#}")))?;
        let entry_points = module
            .exports()
            .filter(|e| !e.name().starts_with(RESERVED_EXPORT_PREFIX))
            .filter(|e| match e.ty() {
                ExternType::Func(f) => f.params().len() == 0 && f.results().len() == 0,
                _ => false,
            })
            .map(|e| e.name().to_string())
            .collect();
        let compiled = Arc::new(Compiled {
            code_hash: hash,
            pre,
            entry_points,
        });
        self.modules().insert(hash, compiled.clone());
        Ok(compiled)
    }

    /// Validates `code` under `protocol_version`, then returns it compiled: from memory, from
    /// the disk cache, or freshly instrumented and compiled.
    pub(crate) fn compile(
        &self,
        code: &[u8],
        protocol_version: u32,
    ) -> Result<Arc<Compiled>, DeployError> {
        let hash = code_hash(code);
        // Always validate: whether a module is acceptable depends on the protocol version.
        let info = validate::validate(code, &self.limits, protocol_version)?;
        if let Some(c) = self.cached(&hash) {
            return Ok(c);
        }
        self.compile_validated(hash, code, &info)
    }

    fn compile_validated(
        &self,
        hash: [u8; 32],
        code: &[u8],
        info: &validate::ModuleInfo,
    ) -> Result<Arc<Compiled>, DeployError> {
        let instrumented = instrument::instrument(code, info)?;
        let module = Module::new(&self.engine, &instrumented)
            .map_err(|e| DeployError::Compile(format!("{e:#}")))?;
        self.count(|s| s.compiled += 1);
        if let Some(disk) = &self.disk {
            disk.store(&hash, &module);
        }
        self.prepare(hash, &module)
    }

    /// The module for `hash` from memory or the disk cache.
    fn cached(&self, hash: &[u8; 32]) -> Option<Arc<Compiled>> {
        if let Some(c) = self.modules().get(hash) {
            return Some(c.clone());
        }
        match self.disk.as_ref()?.load(&self.engine, hash) {
            Lookup::Hit(module) => {
                self.count(|s| s.loaded_from_disk += 1);
                self.prepare(*hash, &module).ok()
            }
            Lookup::Rejected(why) => {
                self.count(|s| {
                    s.rejected_on_disk += 1;
                    s.last_rejection = Some(why);
                });
                None
            }
            Lookup::Miss => None,
        }
    }

    /// The compiled module for `hash`, compiling code fetched with `code` on a cache miss.
    pub(crate) fn compiled_for(
        &self,
        hash: &[u8; 32],
        code: impl FnOnce(&[u8; 32]) -> Result<Option<Arc<[u8]>>, String>,
    ) -> Result<Arc<Compiled>, String> {
        if let Some(c) = self.cached(hash) {
            return Ok(c);
        }
        let bytes = code(hash)?.ok_or_else(|| "contract code missing from state".to_string())?;
        let version = shortcrust_abi::LATEST_PROTOCOL_VERSION;
        validate::validate(&bytes, &self.limits, version)
            .and_then(|info| self.compile_validated(*hash, &bytes, &info))
            .map_err(|e| format!("stored code no longer compiles: {e}"))
    }

    pub(crate) fn limits(&self) -> &ModuleLimits {
        &self.limits
    }
}

/// Configuration of a VM.
#[derive(Clone, Debug, Default)]
pub struct VmConfig {
    pub limits: ModuleLimits,
    /// Directory of the on-disk compiled-module cache; `None` keeps compiled modules in memory
    /// only.
    pub module_cache_dir: Option<std::path::PathBuf>,
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

    /// A VM on the state directory `dir` (created if missing): the state database in
    /// `dir/state`, compiled modules in `dir/modules`.
    ///
    /// A directory that exists, is not empty and has no `state` inside is refused
    /// (`VmError::NotAStateDirectory`): a mistyped path never gets a database written into it.
    pub fn open(dir: impl AsRef<Path>) -> Result<Vm, VmError> {
        Self::open_with(dir, OpenOptions::default())
    }

    /// [`Vm::open`] with tuned store options, e.g. `durable_commits: false` for a node that
    /// makes its state durable once per block with `PersistentStore::sync` rather than once per
    /// commit (each durable commit costs an `fsync`).
    pub fn open_with(dir: impl AsRef<Path>, options: OpenOptions) -> Result<Vm, VmError> {
        let dir = dir.as_ref();
        if let Ok(mut entries) = std::fs::read_dir(dir)
            && entries.next().is_some()
            && !dir.join("state").is_dir()
        {
            return Err(VmError::NotAStateDirectory(dir.to_path_buf()));
        }
        let store = PersistentStore::open_with(dir.join("state"), options)?;
        Self::with_store(
            Arc::new(store),
            VmConfig {
                module_cache_dir: Some(dir.join("modules")),
                ..VmConfig::default()
            },
        )
    }

    /// A VM on `store`.
    pub fn with_store(store: Arc<dyn Store>, config: VmConfig) -> Result<Vm, VmError> {
        let engine = engine::new_engine(&config.limits)?;
        let mut linker = Linker::new(&engine);
        host::link(&mut linker).map_err(|e| VmError::Engine(format!("{e:#}")))?;
        let disk = match &config.module_cache_dir {
            Some(dir) => Some(
                ModuleCache::new(dir, &engine)
                    .map_err(|e| VmError::Engine(format!("module cache {}: {e}", dir.display())))?,
            ),
            None => None,
        };
        Ok(Vm {
            inner: Arc::new(VmInner {
                engine,
                linker,
                store,
                limits: config.limits,
                modules: Mutex::new(HashMap::new()),
                disk,
                stats: Mutex::new(CacheStats::default()),
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

    /// How compiled modules were obtained so far.
    pub fn cache_stats(&self) -> CacheStats {
        *self.inner.stats.lock().unwrap_or_else(|e| e.into_inner())
    }
}
