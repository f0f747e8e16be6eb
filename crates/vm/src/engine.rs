//! The one wasmtime configuration every Shortcrust VM uses.
//!
//! Every knob that can change a result, a gas figure or the set of accepted modules is set
//! explicitly here, with its default and the reason we chose otherwise (or kept it). Changing
//! anything in [`engine_config`] changes consensus: it is a new protocol version, and it changes
//! [`engine_fingerprint`], which invalidates compiled-module caches.

use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, OptLevel, PoolingAllocationConfig, WasmFeatures,
};

use crate::gas::Schedule;
use crate::limits::ModuleLimits;

/// Bytes of native stack WASM frames may use, across all frames of one top-level call. A safety
/// net only: the deterministic stack-height budget (`instrument`) always trips first, because it
/// allots at most [`crate::instrument::STACK_BUDGET_SLOTS`] slots of about 16 bytes.
pub const MAX_WASM_STACK: usize = 1024 * 1024;

/// Bytes of each pooled linear memory kept resident between frames (reset by memset rather
/// than released). Part of consensus: `gas::initial_memory_cost` prices resident pages lower.
pub const KEEP_RESIDENT_BYTES: usize = 256 * 1024;

/// Default number of concurrent call frames (instances) the pooling allocator holds, across all
/// sessions of a VM ([`EngineOptions::pool_instances`]). Each frame of each running call takes
/// one slot; a call that finds the pool exhausted aborts with
/// `VmError::Fault(Fault::InstancePoolExhausted)` (not a contract failure: no receipt, nothing
/// charged, nothing committed; the embedder retries).
pub const POOL_INSTANCES: u32 = 1024;

/// Machine-local engine settings: they change how fast code runs and how many calls run at once,
/// never a result or a gas figure (the differential tests run the same scenario at both
/// optimisation levels and compare receipts bit for bit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineOptions {
    /// Cranelift optimisation level. Default [`DEFAULT_OPT_LEVEL`] (`None`): see there why.
    /// The differential determinism tests and the fuzzers also compile at `Speed` and compare.
    pub opt_level: OptLevel,
    /// Instances the pooling allocator holds. Default [`POOL_INSTANCES`].
    pub pool_instances: u32,
}

/// Default Cranelift optimisation level: `None`. It skips Cranelift's mid-end (the e-graph
/// rewrites, GVN, LICM, alias analysis) but keeps its instruction selection and its register
/// allocator.
///
/// **Why not `Speed`** (wasmtime's default, and ours until 2026-12-02): contracts arrive already
/// optimised by LLVM (`opt-level = "s"` or 3 in release builds), so the mid-end finds little left
/// to do, while it was 23% of a deploy's time (`perf`, BENCHMARKS.md "Side by side with
/// Piecrust"). Measured on the 2-core reference machine on 2026-12-02:
/// - compiling is 15–25% faster: the counter's cold deploy 11.05 against 13.70 ms (median of
///   three alternating `shortcrust bench --scenarios` runs each);
/// - run time is unchanged: the best of six alternating `shortcrust bench` runs put the
///   `compute` contract's metered loops at 11.73 against 11.89 ms (`field_iterate`) and 1.32
///   against 1.39 ms (`mix_iterate`);
/// - gas stays honest for the worst case: `shortcrust calibrate --workloads --quick`, two runs
///   at each level, gave every attack workload the same fairness within this machine's noise
///   (for example `int_mul_chain` 0.67–0.68 against 0.68–0.70, `call_chain` 0.89–0.90 against
///   0.97–1.03).
///
/// The register allocator is now most of a compilation (regalloc2's backtracking allocator,
/// 60% of Cranelift's time). Its single-pass alternative (`RegallocAlgorithm::SinglePass`)
/// would take 17% off a deploy but made the same `compute` loops 1.6–1.8× slower (five
/// alternating runs): rejected.
///
/// Faster compilation also narrows a denial-of-service surface: the time a deploy spends in
/// the compiler is time a node spends before any gas but the deploy's is charged. The level
/// never changes a result or a gas figure: fuel is counted per WASM operator, before code
/// generation, and the determinism tests run every example contract at both levels.
pub const DEFAULT_OPT_LEVEL: OptLevel = OptLevel::None;

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            opt_level: DEFAULT_OPT_LEVEL,
            pool_instances: POOL_INSTANCES,
        }
    }
}

/// The wasmtime configuration. See the module docs.
pub fn engine_config(limits: &ModuleLimits, options: &EngineOptions, schedule: Schedule) -> Config {
    let mut config = Config::new();

    // --- execution strategy -------------------------------------------------------------------
    // Cranelift, at `options.opt_level` (default `None`, see `DEFAULT_OPT_LEVEL`). The level
    // never changes a result: see `EngineOptions`.
    config.strategy(wasmtime::Strategy::Cranelift);
    config.cranelift_opt_level(options.opt_level);
    // Functions of a module compiled on all cores (wasmtime's `parallel-compilation` feature,
    // rayon's global pool). Default: on when the feature is built, as here. Deploy and first
    // use of a contract are dominated by Cranelift; on the 2-core reference machine the
    // counter's cold deploy went from 23.7 ms to 15-16 ms (`shortcrust bench --scenarios`,
    // 2026-12-02). Compiled code is the same whatever the thread count, and never affects a
    // result or gas anyway. Piecrust compiles the same way.
    config.parallel_compilation(true);

    // --- determinism ----------------------------------------------------------------------------
    // NaN canonicalization: float ops producing NaN yield the one canonical NaN bit pattern, so
    // results never depend on the CPU's NaN propagation. Default: off.
    config.cranelift_nan_canonicalization(true);
    // SIMD off (default on): contracts do not need it, and with it off no vector NaN or lane
    // behaviour can differ between machines. Relaxed SIMD (explicitly non-deterministic) must be
    // off too.
    config.wasm_simd(false);
    config.wasm_relaxed_simd(false);
    config.relaxed_simd_deterministic(true);
    // Threads and shared memory: non-deterministic interleavings. Default: on for validation.
    config.wasm_features(
        WasmFeatures::THREADS | WasmFeatures::SHARED_EVERYTHING_THREADS,
        false,
    );
    // memory64 and multi-memory: not part of ABI v1; one 32-bit memory keeps bounds checks
    // uniform. Defaults: memory64 off, multi-memory on.
    config.wasm_memory64(false);
    config.wasm_multi_memory(false);
    // Tail calls would bypass the call-site stack accounting of `instrument`. Default: on.
    config.wasm_tail_call(false);
    // GC, typed function references, exceptions, stack switching, custom page sizes: not in ABI
    // v1. Reference types stay on because rustc (>= 1.82) emits its table encodings by default.
    // (Those without a `Config` method here are compiled out of this wasmtime build; the flags
    // are set anyway so that a feature change in the build cannot silently enable them.)
    config.wasm_gc(false);
    config.wasm_features(
        WasmFeatures::FUNCTION_REFERENCES
            | WasmFeatures::EXCEPTIONS
            | WasmFeatures::STACK_SWITCHING,
        false,
    );
    config.wasm_custom_page_sizes(false);
    config.wasm_features(WasmFeatures::REFERENCE_TYPES, true);
    config.wasm_bulk_memory(true);
    config.wasm_multi_value(true);
    // Wide arithmetic (128-bit multiply/add): deterministic integer ops that make field
    // arithmetic compiled into contracts 2-6x faster (DESIGN §11). Default: off.
    config.wasm_wide_arithmetic(true);
    config.wasm_extended_const(true);
    // Gas: fuel, consumed per operator by compiled code and checked at function entries and loop
    // headers, so running out is exact and the same on every machine. Default: off. The price
    // of each operator is the schedule's (`gas::instructions`).
    config.consume_fuel(true);
    config.operator_cost(schedule.operator_cost());
    // No epoch interruption: it is time-based, so it must not affect results. Default: off.
    config.epoch_interruption(false);
    // Native stack cap for WASM frames (default 512 KiB): a safety net behind the deterministic
    // stack-height instrumentation, see MAX_WASM_STACK.
    config.max_wasm_stack(MAX_WASM_STACK);

    // --- speed ----------------------------------------------------------------------------------
    // Backtraces cost time on every trap and are not part of any result. Default: on.
    config.wasm_backtrace_max_frames(None);
    // Copy-on-write memory images (default: on) turned off. With them, every call's first write
    // to each page of data takes a page fault and every reset an madvise + TLB flush: a counter
    // increment spent 60% of its time in the kernel (7.8 µs). Without them, data segments are
    // copied at instantiation (a few KiB for a contract) into memory that stays resident and is
    // reset with memset: 2.7 µs. Measured with `cargo bench -p shortcrust-vm --bench calls`.
    config.memory_init_cow(false);
    // Pooling allocator: every call frame is a fresh instance, so instantiation must be cheap.
    // Slots are reused; memories are reset (zeroed) when a slot is returned.
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(options.pool_instances);
    pool.total_memories(options.pool_instances);
    pool.total_tables(options.pool_instances);
    pool.max_memories_per_module(1);
    pool.max_tables_per_module(limits.max_tables);
    pool.table_elements(limits.max_table_elements as usize);
    pool.max_memory_size(limits.max_memory_pages as usize * 65536);
    // Keep the first 256 KiB of each memory resident (default: 0): resetting it is a memset
    // instead of an madvise, and reusing it takes no page faults. SDK contracts use a 64 KiB
    // shadow stack, so their whole working memory usually fits.
    // The price of initial memory (`gas::initial_memory_cost`) depends on this figure.
    pool.linear_memory_keep_resident(KEEP_RESIDENT_BYTES);
    pool.table_keep_resident(16 * 1024);
    // Reuse a warm slot before a never-used one (default: up to 100 unused warm slots are kept
    // for the modules that used them, and a module with none takes a cold slot). Slot affinity
    // only pays with copy-on-write images, which are off; a cold slot's first frame instead
    // page-faults in the whole resident region (64 faults), which made a contract's first call
    // after its deploy cost 2-3 warm calls' worth of kernel time. Which slot a frame gets never
    // affects a result: every slot is reset to zero when returned.
    pool.max_unused_warm_slots(0);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    config
}

/// Creates the engine for `limits` and `options`.
pub fn new_engine(
    limits: &ModuleLimits,
    options: &EngineOptions,
    schedule: Schedule,
) -> Result<Engine, crate::VmError> {
    Engine::new(&engine_config(limits, options, schedule))
        .map_err(|e| crate::VmError::Engine(format!("{e:#}")))
}

/// Identifies everything that changes compiled code: wasmtime's own compatibility hash (its
/// version, target and settings), our instrumentation version and the gas schedule (whose
/// fuel table is compiled in). Used to key the on-disk compiled-module cache.
pub fn engine_fingerprint(engine: &Engine, schedule: Schedule) -> [u8; 32] {
    use std::hash::Hash;
    struct Blake(blake2b_simd::State);
    impl std::hash::Hasher for Blake {
        fn finish(&self) -> u64 {
            0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
    }
    let mut hasher = Blake(blake2b_simd::Params::new().hash_length(32).to_state());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hasher
        .0
        .update(crate::instrument::INSTRUMENTATION_VERSION.as_bytes());
    hasher.0.update(&schedule.version().to_le_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(hasher.0.finalize().as_bytes());
    out
}
