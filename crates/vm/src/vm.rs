//! The VM: per gas schedule one engine, one linker and one on-disk compiled-module cache (for a
//! VM opened on a directory), and one in-memory module cache, all shared by every session. The
//! engine of a schedule is created the first time a session of that schedule needs it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use shortcrust_store::{MemoryStore, OpenOptions, PersistentStore, Store, code_hash};
use wasmtime::{Engine, ExternType, InstancePre, Linker, Module, OptLevel};

use crate::error::{DeployError, Fault, VmError};
use crate::gas::Schedule;
use crate::host::{self, FrameData};
use crate::instrument::RESERVED_EXPORT_PREFIX;
use crate::limits::ModuleLimits;
use crate::module_cache::{EntryFrames, Lookup, ModuleCache};
use crate::session::{Session, SessionConfig};
use crate::{engine, instrument, validate};

/// Code found for a hash, and whether it is committed (in the base state) rather than only
/// deployed in a session.
pub(crate) type CodeLookup = (Arc<[u8]>, bool);

/// A module ready to instantiate.
pub(crate) struct Compiled {
    pub code_hash: [u8; 32],
    /// The engine it was compiled by (that of its schedule): its frames' stores use it.
    pub engine: Engine,
    pub pre: InstancePre<FrameData>,
    module: Module,
    /// Entry points (exported `[] -> []` functions, the VM's own exports excluded) and the frame
    /// slots of each, which the VM accounts when it starts a frame (see `instrument`).
    pub entries: EntryFrames,
    /// Gas every frame of this module pays for its initial memory (`gas::initial_memory_cost`).
    pub instance_gas: u64,
    /// How to reset its instances for reuse, if they may be reused (see `crate::warm`).
    pub reuse: Option<crate::warm::ReusePlan>,
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
    /// Modules held in memory now (at most `VmConfig::module_cache_entries`).
    pub in_memory: usize,
    /// Modules evicted from memory to keep within the bound.
    pub evicted: u64,
}

/// Compiled modules in memory, bounded: past `capacity`, the least recently used is dropped
/// (frames running it keep their `Arc`). Only looked up, never iterated for a result: its order
/// affects nothing.
struct ModuleMap {
    map: HashMap<ModuleKey, (Arc<Compiled>, u64)>,
    tick: u64,
    capacity: usize,
}

impl ModuleMap {
    fn get(&mut self, key: &ModuleKey) -> Option<Arc<Compiled>> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(key).map(|(c, used)| {
            *used = tick;
            c.clone()
        })
    }

    /// Inserts, and returns how many entries were evicted.
    fn insert(&mut self, key: ModuleKey, compiled: Arc<Compiled>) -> u64 {
        self.tick += 1;
        self.map.insert(key, (compiled, self.tick));
        let mut evicted = 0;
        while self.map.len() > self.capacity.max(1) {
            let oldest = self
                .map
                .iter()
                .min_by_key(|(h, (_, used))| (*used, **h))
                .map(|(h, _)| *h);
            match oldest {
                Some(h) => {
                    self.map.remove(&h);
                    evicted += 1;
                }
                None => break,
            }
        }
        evicted
    }
}

/// A compiled module is identified by its code and the schedule it was compiled under.
type ModuleKey = (Schedule, [u8; 32]);

/// What the VM keeps per gas schedule: the schedule's fuel table is compiled into the code, so
/// each has its own engine (and instance pool), linker and on-disk cache directory.
pub(crate) struct Runtime {
    engine: Engine,
    linker: Linker<FrameData>,
    disk: Option<ModuleCache>,
}

pub(crate) struct VmInner {
    /// Indexed by `Schedule as usize`; created on first use.
    runtimes: Mutex<[Option<Arc<Runtime>>; Schedule::ALL.len()]>,
    options: engine::EngineOptions,
    /// `<dir>/v<schedule>` holds each schedule's disk cache.
    cache_dir: Option<PathBuf>,
    cache_max_bytes: u64,
    pub store: Arc<dyn Store>,
    limits: ModuleLimits,
    modules: Mutex<ModuleMap>,
    stats: Mutex<CacheStats>,
    /// `VmConfig::warm_instances`.
    pub warm_instances: usize,
    #[cfg(feature = "fault-injection")]
    pub faults: HostFaults,
}

impl VmInner {
    fn modules(&self) -> std::sync::MutexGuard<'_, ModuleMap> {
        // Only whole entries are ever inserted; a panic elsewhere cannot leave it half-updated.
        self.modules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The engine, linker and disk cache of `schedule`, created on first use.
    pub(crate) fn runtime(&self, schedule: Schedule) -> Result<Arc<Runtime>, VmError> {
        let mut runtimes = self.runtimes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = &runtimes[schedule as usize] {
            return Ok(r.clone());
        }
        let engine = engine::new_engine(&self.limits, &self.options, schedule)?;
        let mut linker = Linker::new(&engine);
        host::link(&mut linker, schedule).map_err(|e| VmError::Engine(format!("{e:#}")))?;
        let disk = match &self.cache_dir {
            Some(dir) => {
                let dir = dir.join(format!("v{}", schedule.version()));
                Some(
                    ModuleCache::new(&dir, &engine, schedule, self.cache_max_bytes).map_err(
                        |e| VmError::Engine(format!("module cache {}: {e}", dir.display())),
                    )?,
                )
            }
            None => None,
        };
        let runtime = Arc::new(Runtime {
            engine,
            linker,
            disk,
        });
        runtimes[schedule as usize] = Some(runtime.clone());
        Ok(runtime)
    }

    fn count(&self, f: impl FnOnce(&mut CacheStats)) {
        f(&mut self.stats.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Wraps a compiled module: pre-links it and keeps it in memory.
    fn prepare(
        &self,
        runtime: &Runtime,
        key: ModuleKey,
        module: Module,
        entries: EntryFrames,
    ) -> Result<Arc<Compiled>, DeployError> {
        let pre = runtime
            .linker
            .instantiate_pre(&module)
            .map_err(|e| DeployError::Compile(format!("{e:#}")))?;
        let pages = module
            .exports()
            .find_map(|e| match e.ty() {
                ExternType::Memory(m) if e.name() == "memory" => Some(m.minimum()),
                _ => None,
            })
            .unwrap_or(0);
        let compiled = Arc::new(Compiled {
            code_hash: key.1,
            engine: runtime.engine.clone(),
            pre,
            reuse: crate::warm::ReusePlan::of(&module),
            module,
            entries,
            instance_gas: crate::gas::initial_memory_cost(pages),
        });
        let (evicted, len) = {
            let mut modules = self.modules();
            (modules.insert(key, compiled.clone()), modules.map.len())
        };
        self.count(|s| {
            s.evicted += evicted;
            s.in_memory = len;
        });
        Ok(compiled)
    }

    /// Validates `code` under `protocol_version`, then returns it compiled: from memory, from
    /// the disk cache, or freshly instrumented and compiled (kept in memory only: it reaches the
    /// disk when a session commits it, see [`VmInner::persist`]).
    pub(crate) fn compile(
        &self,
        code: &[u8],
        protocol_version: u32,
    ) -> Result<Arc<Compiled>, DeployError> {
        let schedule = Schedule::for_protocol(protocol_version)
            .ok_or(DeployError::UnsupportedProtocol(protocol_version))?;
        let hash = code_hash(code);
        // Always validate: whether a module is acceptable depends on the protocol version.
        let info = validate::validate(code, &self.limits, protocol_version)?;
        let runtime = self
            .runtime(schedule)
            .map_err(|e| DeployError::Compile(e.to_string()))?;
        if let Some(c) = self.cached(&runtime, (schedule, hash)) {
            return Ok(c);
        }
        self.compile_validated(&runtime, (schedule, hash), code, &info)
    }

    fn compile_validated(
        &self,
        runtime: &Runtime,
        key: ModuleKey,
        code: &[u8],
        info: &validate::ModuleInfo,
    ) -> Result<Arc<Compiled>, DeployError> {
        let instrumented = instrument::instrument(code, info)?;
        let module = Module::new(&runtime.engine, &instrumented)
            .map_err(|e| DeployError::Compile(format!("{e:#}")))?;
        self.count(|s| s.compiled += 1);
        let entries = info
            .entry_frames
            .iter()
            .filter(|(name, _)| !name.starts_with(RESERVED_EXPORT_PREFIX))
            .map(|(name, slots)| (name.clone(), *slots))
            .collect();
        self.prepare(runtime, key, module, entries)
    }

    /// Writes the compiled modules of `hashes` (code a session just committed) to the disk
    /// cache, if they are in memory and the VM has one.
    pub(crate) fn persist<'a>(
        &self,
        schedule: Schedule,
        hashes: impl IntoIterator<Item = &'a [u8; 32]>,
    ) {
        if self.cache_dir.is_none() {
            return;
        }
        let Ok(runtime) = self.runtime(schedule) else {
            return;
        };
        let Some(disk) = &runtime.disk else {
            return;
        };
        for hash in hashes {
            let compiled = self.modules().get(&(schedule, *hash));
            if let Some(c) = compiled {
                disk.store(hash, &c.module, &c.entries);
            }
        }
    }

    /// The module for `key` from memory or the disk cache.
    fn cached(&self, runtime: &Runtime, key: ModuleKey) -> Option<Arc<Compiled>> {
        if let Some(c) = self.modules().get(&key) {
            return Some(c);
        }
        match runtime.disk.as_ref()?.load(&runtime.engine, &key.1) {
            Lookup::Hit(module, entries) => {
                self.count(|s| s.loaded_from_disk += 1);
                self.prepare(runtime, key, module, entries).ok()
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

    /// The compiled module for deployed code `hash`, compiling code fetched with `code` (the
    /// bytes, and whether they are committed) on a cache miss; committed code is written to the
    /// disk cache too. Any failure here is this node's, not the contract's: the code compiled
    /// when it was deployed.
    pub(crate) fn compiled_for(
        &self,
        schedule: Schedule,
        hash: &[u8; 32],
        code: impl FnOnce(&[u8; 32]) -> Result<Option<CodeLookup>, String>,
    ) -> Result<Arc<Compiled>, Fault> {
        let runtime = self
            .runtime(schedule)
            .map_err(|e| Fault::Compile(e.to_string()))?;
        if let Some(c) = self.cached(&runtime, (schedule, *hash)) {
            return Ok(c);
        }
        let (bytes, committed) = code(hash)
            .map_err(Fault::Store)?
            .ok_or_else(|| Fault::Store("contract code missing from state".into()))?;
        // Validated again only for the module facts instrumentation needs: the code was accepted
        // when it was deployed, so the newest version's (most permissive) import table applies.
        let version = shortcrust_abi::LATEST_PROTOCOL_VERSION;
        let compiled = validate::validate(&bytes, &self.limits, version)
            .and_then(|info| self.compile_validated(&runtime, (schedule, *hash), &bytes, &info))
            .map_err(|e| Fault::Compile(e.to_string()))?;
        if committed {
            self.persist(schedule, [hash]);
        }
        Ok(compiled)
    }

    pub(crate) fn limits(&self) -> &ModuleLimits {
        &self.limits
    }
}

/// Configuration of a VM. Each knob with its default and why.
#[derive(Clone, Debug)]
pub struct VmConfig {
    /// Deploy-time module limits (part of the protocol). Default: [`ModuleLimits::default`].
    pub limits: ModuleLimits,
    /// Directory of the on-disk compiled-module cache; `None` (the default for
    /// [`VmConfig::default`]; [`Vm::open`] sets `dir/modules`) keeps compiled modules in memory
    /// only.
    pub module_cache_dir: Option<std::path::PathBuf>,
    /// Bound on the on-disk cache, in bytes. Default 1 GiB; see `module_cache`.
    pub module_cache_max_bytes: u64,
    /// Compiled modules kept in memory. Default 512: a module is 0.1–2 MiB, so at most about
    /// 1 GiB; modules compiled by dropped sessions or failed deploys are evicted first when
    /// unused.
    pub module_cache_entries: usize,
    /// Cranelift optimisation level; never changes a result. Default
    /// [`engine::DEFAULT_OPT_LEVEL`] (`None`: contracts arrive optimised by LLVM; see there).
    pub opt_level: OptLevel,
    /// Concurrent call frames across all sessions. Default [`engine::POOL_INSTANCES`].
    pub pool_instances: u32,
    /// Idle instances each session keeps for later frames of the same contracts (see
    /// `warm`). Default [`crate::warm::WARM_INSTANCES_PER_SESSION`] (4); 0 gives every frame a
    /// fresh instance. Never changes a result or a gas figure, only speed and how many pool
    /// slots (`pool_instances`) an open session holds.
    pub warm_instances: usize,
    /// Host functions made to lie, for tests of what honest nodes do about a faulty one.
    /// Default: none.
    #[cfg(feature = "fault-injection")]
    pub faults: HostFaults,
}

/// Host functions a VM built with the `fault-injection` feature can be told to get wrong.
#[cfg(feature = "fault-injection")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HostFaults {
    /// `verify_groth16_bn254` answers "valid" for every proof (after charging its gas).
    pub groth16_accepts_everything: bool,
}

impl Default for VmConfig {
    fn default() -> Self {
        Self {
            limits: ModuleLimits::default(),
            module_cache_dir: None,
            module_cache_max_bytes: crate::module_cache::DEFAULT_MAX_DISK_BYTES,
            module_cache_entries: 512,
            opt_level: engine::DEFAULT_OPT_LEVEL,
            pool_instances: engine::POOL_INSTANCES,
            warm_instances: crate::warm::WARM_INSTANCES_PER_SESSION,
            #[cfg(feature = "fault-injection")]
            faults: HostFaults::default(),
        }
    }
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
        let options = engine::EngineOptions {
            opt_level: config.opt_level,
            pool_instances: config.pool_instances,
        };
        let inner = Arc::new(VmInner {
            runtimes: Mutex::new(Default::default()),
            options,
            cache_dir: config.module_cache_dir,
            cache_max_bytes: config.module_cache_max_bytes,
            store,
            limits: config.limits,
            modules: Mutex::new(ModuleMap {
                map: HashMap::new(),
                tick: 0,
                capacity: config.module_cache_entries,
            }),
            stats: Mutex::new(CacheStats::default()),
            warm_instances: config.warm_instances,
            #[cfg(feature = "fault-injection")]
            faults: config.faults,
        });
        // The newest schedule's engine now, so that a configuration error shows at once.
        let latest = Schedule::for_protocol(shortcrust_abi::LATEST_PROTOCOL_VERSION)
            .ok_or_else(|| VmError::Engine("the latest protocol has no gas schedule".into()))?;
        inner.runtime(latest)?;
        Ok(Vm { inner })
    }

    /// A session on `config.root` (the store's head if `None`).
    pub fn session(&self, config: SessionConfig) -> Result<Session, VmError> {
        let version = config.context.protocol_version;
        Schedule::for_protocol(version).ok_or(VmError::UnsupportedProtocol(version))?;
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

    /// Entries of the on-disk compiled-module cache and their total size in bytes (`(0, 0)`
    /// without one).
    pub fn disk_cache_usage(&self) -> (usize, u64) {
        let runtimes = self
            .inner
            .runtimes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let entries: Vec<_> = runtimes
            .iter()
            .flatten()
            .filter_map(|r| r.disk.as_ref())
            .flat_map(|d| d.entries())
            .collect();
        (entries.len(), entries.iter().map(|e| e.1).sum())
    }
}
