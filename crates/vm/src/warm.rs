//! Warm instances: a frame of a contract that an earlier frame of the same session already ran
//! reuses that frame's store and instance, reset to exactly the state instantiation gives,
//! instead of creating a new store and instantiating the module again.
//!
//! **Why.** A call's fixed cost is mostly wasmtime's per-instance work: on the 2-core reference
//! machine dropping a `Store` took 42% of an empty call and instantiation 28%
//! (`docs/notes/wasmtime-call-costs.md` §5). Resetting an instance in place only rewrites the
//! bytes a fresh instance would hold: the memory's zeroes and data segments, and the globals.
//!
//! **Why no result or gas can change.** What a frame can observe of its instance is its linear
//! memory (size and bytes), its globals, its tables and whether its passive segments were
//! dropped. A warm instance is put back only if each is as instantiation left it:
//! - *memory*: only a module whose initial memory fits in what the pool keeps resident
//!   (`engine::KEEP_RESIDENT_BYTES`, 4 pages) is reused, and an instance whose memory grew is
//!   dropped (a memory cannot shrink): the reset then touches exactly the bytes wasmtime's own
//!   slot reset would, and a frame's page faults, which `gas::initial_memory_cost` prices, are
//!   those of a fresh instance. The memory is zeroed and the module's initial image is
//!   written back. The image is read from a fresh instance right after instantiation, before
//!   its start function runs: it is the data segments' effect by construction, whatever their
//!   offset expressions.
//! - *globals*: the instrumenter exports every mutable global of a reusable module
//!   (`instrument::GLOBAL_EXPORT_PREFIX`); the values read right after instantiation are
//!   written back. The VM's own stack-height global is set by every frame anyway.
//! - *tables and segments*: a module that has any instruction able to change them
//!   (`table.set/grow/fill/copy/init`, `elem.drop`, `memory.init`, `data.drop`) is never reused
//!   (`validate::ModuleInfo::reusable`, carried by the compiled module as
//!   `instrument::REUSABLE_EXPORT`). Its tables then hold what instantiation put there; that
//!   wasmtime fills funcref elements lazily is invisible to WASM.
//! - *host state*: every frame gets its own `Frame` and fuel.
//!
//! A frame pays the same gas warm or cold (`Compiled::instance_gas`), so a node that has just
//! restarted and one that has run for days agree. An instance is put back only after a frame
//! that ended without a fault of this machine, and a re-entrant frame of a contract whose
//! instance is busy gets a fresh one. `tests/vm/warm.rs` runs the same frames warm and cold and
//! compares every result, gas figure and state root.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use wasmtime::{Global, Instance, Memory, Store, Val};

use crate::host::FrameData;
use crate::instrument::{GLOBAL_EXPORT_PREFIX, MEMORY_EXPORT, REUSABLE_EXPORT};
use crate::vm::Compiled;

/// Default of `VmConfig::warm_instances`, the warm instances a session keeps: 4: enough for a contract and the few it calls in a
/// loop of transactions; each holds one slot of the VM's instance pool
/// (`engine::POOL_INSTANCES`, shared by all sessions) until its session is dropped, so the
/// bound keeps many open sessions from exhausting the pool.
pub const WARM_INSTANCES_PER_SESSION: usize = 4;

/// Granularity of an initial image: memory is scanned in blocks of this many bytes, and a run
/// is a sequence of adjacent blocks that are not all zero (copying a few zeroes costs nothing
/// next to a byte-by-byte scan: OR-ing a block's bytes compiles to a few vector instructions).
const IMAGE_BLOCK: usize = 64;

/// Bytes of a WASM page.
const PAGE_BYTES: u64 = 65_536;

/// What a compiled module needs to reset its instances; `None` in [`Compiled::reuse`] for a
/// module whose instances are never reused.
pub(crate) struct ReusePlan {
    /// Initial memory pages (a warm instance whose memory grew is dropped).
    pages: u64,
    /// Names of the exported mutable globals.
    globals: Vec<String>,
    /// The memory a fresh instance holds, as non-zero runs: read once, from the second
    /// instance on. A contract called once per session pays nothing for it, and its instance
    /// is dropped at the end of the frame: kept idle, it would hold its pool slot, and the next
    /// contract's frame would take a slot never used, whose pages all fault in (measured:
    /// the counter's first call after its deploy went from 110 to 150 µs).
    image: OnceLock<Vec<(usize, Vec<u8>)>>,
    /// Instances made so far, to read the image from the second on.
    instantiations: AtomicU64,
    /// Fuel a fresh instantiation burns (wasmtime runs the data segments' initialisation as
    /// metered code), which a warm frame pays instead.
    init_fuel: OnceLock<u64>,
}

impl ReusePlan {
    /// The plan of a compiled module, from the exports its instrumentation gave it.
    pub(crate) fn of(module: &wasmtime::Module) -> Option<Self> {
        module.get_export(REUSABLE_EXPORT)?;
        let pages = match module.get_export(MEMORY_EXPORT) {
            Some(wasmtime::ExternType::Memory(m)) => m.minimum(),
            _ => 0,
        };
        // Only memories the pool keeps resident between frames: a fresh frame's pages beyond
        // them start unmapped (and are priced as such, `gas::initial_memory_cost`), while a
        // reset here would keep them resident and memset them all, changing what a frame costs.
        if pages.saturating_mul(PAGE_BYTES) > crate::engine::KEEP_RESIDENT_BYTES as u64 {
            return None;
        }
        let globals = module
            .exports()
            .filter(|e| e.name().starts_with(GLOBAL_EXPORT_PREFIX))
            .map(|e| e.name().to_string())
            .collect();
        Some(Self {
            pages,
            globals,
            image: OnceLock::new(),
            instantiations: AtomicU64::new(0),
            init_fuel: OnceLock::new(),
        })
    }
}

/// A reset instance of a compiled module, in its own store.
pub(crate) struct Warm {
    compiled: Arc<Compiled>,
    store: Store<FrameData>,
    instance: Instance,
    memory: Option<Memory>,
    /// Each mutable global and the value instantiation gave it.
    globals: Vec<(Global, Val)>,
}

/// What a fresh instance must remember to be reset later: read right after instantiation.
pub(crate) struct Snapshot {
    memory: Option<Memory>,
    globals: Vec<(Global, Val)>,
}

/// Reads what a reset needs from a fresh `instance`, instantiated with `fuel`, or `None` if its
/// module is not reusable (or is instantiated for the first time: see [`ReusePlan::image`]).
pub(crate) fn snapshot(
    compiled: &Compiled,
    store: &mut Store<FrameData>,
    instance: Instance,
    fuel: u64,
) -> Option<Snapshot> {
    let plan = compiled.reuse.as_ref()?;
    let burnt = fuel.checked_sub(store.get_fuel().ok()?)?;
    // The same module burns the same fuel at every instantiation; were it ever not so, the
    // instance is simply not kept.
    if *plan.init_fuel.get_or_init(|| burnt) != burnt {
        return None;
    }
    let memory = instance.get_memory(&mut *store, MEMORY_EXPORT);
    if plan.image.get().is_none() {
        if plan.instantiations.fetch_add(1, Ordering::Relaxed) == 0 {
            return None;
        }
        let bytes = memory.map(|m| m.data(&*store)).unwrap_or_default();
        // Another thread may have set it first: both read the same module's fresh memory.
        let _ = plan.image.set(non_zero_runs(bytes));
    }
    let mut globals = Vec::with_capacity(plan.globals.len());
    for name in &plan.globals {
        let global = instance.get_global(&mut *store, name)?;
        let value = global.get(&mut *store);
        globals.push((global, value));
    }
    Some(Snapshot { memory, globals })
}

/// The runs of [`IMAGE_BLOCK`]-byte blocks of `bytes` that are not all zero, adjacent blocks
/// merged: zeroing the memory and writing the runs back rebuilds `bytes` exactly.
fn non_zero_runs(bytes: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (i, block) in bytes.chunks(IMAGE_BLOCK).enumerate() {
        if block.iter().fold(0u8, |acc, b| acc | b) == 0 {
            continue;
        }
        let (start, end) = (i * IMAGE_BLOCK, i * IMAGE_BLOCK + block.len());
        match spans.last_mut() {
            Some((_, last_end)) if *last_end == start => *last_end = end,
            _ => spans.push((start, end)),
        }
    }
    spans
        .into_iter()
        .map(|(start, end)| (start, bytes[start..end].to_vec()))
        .collect()
}

impl Warm {
    /// Resets the instance a frame just used to the state instantiation gives, or returns
    /// `None` (the instance is then dropped) if that cannot be done exactly.
    pub(crate) fn reset(
        compiled: Arc<Compiled>,
        mut store: Store<FrameData>,
        instance: Instance,
        snapshot: Snapshot,
    ) -> Option<Self> {
        let plan = compiled.reuse.as_ref()?;
        let image = plan.image.get()?;
        if let Some(memory) = snapshot.memory {
            if memory.size(&store) != plan.pages {
                return None;
            }
            let bytes = memory.data_mut(&mut store);
            bytes.fill(0);
            for (at, run) in image {
                bytes.get_mut(*at..at + run.len())?.copy_from_slice(run);
            }
        }
        for (global, value) in &snapshot.globals {
            global.set(&mut store, *value).ok()?;
        }
        Some(Self {
            compiled,
            store,
            instance,
            memory: snapshot.memory,
            globals: snapshot.globals,
        })
    }

    /// The fuel a fresh instantiation of its module burns (see [`ReusePlan::init_fuel`]).
    pub(crate) fn init_fuel(&self) -> Option<u64> {
        self.compiled.reuse.as_ref()?.init_fuel.get().copied()
    }

    /// Takes the instance apart for a frame; [`Warm::reset`] puts it back together.
    pub(crate) fn into_parts(self) -> (Store<FrameData>, Instance, Snapshot) {
        let snapshot = Snapshot {
            memory: self.memory,
            globals: self.globals,
        };
        (self.store, self.instance, snapshot)
    }
}

/// A session's warm instances, most recently used last.
#[derive(Default)]
pub(crate) struct WarmInstances(Vec<Warm>);

impl WarmInstances {
    /// A warm instance of `compiled`, if the session has one idle.
    pub(crate) fn take(&mut self, compiled: &Arc<Compiled>) -> Option<Warm> {
        let at = self
            .0
            .iter()
            .rposition(|w| Arc::ptr_eq(&w.compiled, compiled))?;
        Some(self.0.remove(at))
    }

    /// Keeps `warm` for a later frame, dropping the least recently used beyond `bound`.
    pub(crate) fn put(&mut self, warm: Warm, bound: usize) {
        if bound == 0 {
            return;
        }
        if self.0.len() >= bound {
            self.0.remove(0);
        }
        self.0.push(warm);
    }

    /// Drops them all, giving their slots back to the instance pool.
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    /// How many there are.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_every_non_zero_block_and_rebuild_the_bytes() {
        let mut bytes = vec![0u8; 1000];
        bytes[3] = 1;
        bytes[70] = 2; // second block: adjacent to the first, merged
        bytes[500] = 3; // block 7 (448..512)
        bytes[513] = 4; // block 8: merged with block 7
        bytes[999] = 5; // the last, short block (960..1000)
        let runs = non_zero_runs(&bytes);
        let spans: Vec<(usize, usize)> = runs.iter().map(|(at, run)| (*at, run.len())).collect();
        assert_eq!(spans, vec![(0, 128), (448, 128), (960, 40)]);
        let mut rebuilt = vec![0u8; 1000];
        for (at, run) in &runs {
            rebuilt[*at..at + run.len()].copy_from_slice(run);
        }
        assert_eq!(rebuilt, bytes);
        assert!(non_zero_runs(&[0; 100]).is_empty());
        assert!(non_zero_runs(&[]).is_empty());
    }
}
