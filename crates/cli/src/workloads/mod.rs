//! The adversarial workload suite (`shortcrust calibrate --workloads`): for each cost driver, a
//! contract written to maximise native time per gas under the schedule in force, and the
//! fairness ratio of each — its native nanoseconds per gas over the unit's (0.1 ns, DESIGN §5).
//! A ratio above 1 means the workload runs longer than its gas promises: under-charged, a
//! denial-of-service margin; below 1, over-charged (safe).
//!
//! Each workload is reasoned from what Cranelift emits, not found by trying loops:
//! - `int_mul_chain`: a dependent chain of `i64.mul` (3-cycle latency each) at 1 gas apiece,
//!   where the unit assumes ~0.3 cycles per gas;
//! - `div_chain` / `rem_chain`: dependent `i64.div_u` / `i64.rem_u` (20–90 cycles each on x86)
//!   at 1 gas each;
//! - `float_sqrt_div`: dependent `f64.sqrt` and `f64.div` (15–25 cycles) plus the NaN
//!   canonicalisation Cranelift adds after each;
//! - `load_scattered` (a benign reference since schedule v2): independent loads at
//!   pseudo-random addresses over 16 MiB: each a cache and TLB miss, but the misses overlap, so
//!   the dependent `pointer_chase_16m` is the worst case of a load;
//! - `store_scattered`: the same with stores (dirtying the lines too);
//! - `call_indirect_chain`: `call_indirect` through a table (bounds and signature checks, an
//!   indirect branch, the stack-height accounting) to a leaf function;
//! - `locals_shuffle`: 400 `i64` locals all live across the loop edge, rotated every iteration:
//!   locals are free (0 gas), but Cranelift spills most of them, so every iteration is hundreds
//!   of stack loads and stores for a handful of gas;
//! - `br_table_random`: a 1,024-way `br_table` on a pseudo-random index (indirect branch
//!   mispredictions, ~20 cycles each) at 2 gas;
//! - `pointer_chase_64k` / `_256k` / `_1m` / `_16m`: each load's address is the value the
//!   previous load returned, along a pseudo-random cycle through 64 KiB (L1/L2) to 16 MiB (L3
//!   and TLB misses): no overlap between loads, the worst case of every load, at the largest
//!   memory of each gas tier of loads (the module declares the tier's maximum);
//! - `branch_random`: `br_if` on a pseudo-random bit, mispredicted half the time;
//! - `call_chain`: direct `call`s to a leaf (the call, the fuel flush, the stack accounting);
//! - `memory_fill` (a benign reference): `memory.fill` of 64 KiB per iteration, in cache;
//! - `memory_fill_small`: `memory.fill` of one byte, 16 per iteration: the fixed cost of a bulk
//!   operation (a call into the runtime), which the per-byte price does not cover;
//! - `memory_fill_16m` (a benign reference): `memory.fill` of a whole 16 MiB memory per
//!   iteration (it fits the reference machine's 32 MiB L3, so it runs at cache bandwidth);
//! - `host_gas_left`: the cheapest host call in a loop (the host transition's fixed price);
//! - `storage_read_cold`: `storage_read` of pseudo-random keys of a state of 10⁶ keys on disk
//!   (redb), each read missing the store's caches;
//! - `storage_write_cold`: `storage_write` of pseudo-random existing keys of such a state, timed
//!   with the commit that reads and rewrites their Merkle paths.
//!
//! Every workload takes its iteration count as input (borsh `u64`) so the suite can scale it.
//!
//! # Clocks
//!
//! Every workload but the cold-storage ones is timed in the thread's CPU time (see
//! `crate::measure`): it is CPU work, and on a shared machine wall time mostly measures the
//! scheduler. A cold storage read is not CPU work: its cost is the wait for the disk, which a CPU
//! clock cannot see (the thread sleeps while the page is fetched). A block's gas limit is a
//! promise about the *wall* time a node needs to execute the block, so the two are timed in
//! wall time, on a freshly opened VM (empty node and redb caches) with the OS page
//! cache dropped just before the timed call (`cold_storage::drop_page_cache`): what a node pays for a read
//! of state it has not touched lately. When the page cache cannot be dropped (not root, a
//! read-only `/proc`) the run is warm, and the report says so in its text, its JSON and on
//! standard error — never silently.

use std::fmt::Write as _;

mod cold_storage;
mod suite;

use cold_storage::{PageCache, cold_call, fill_state};
pub use suite::suite;

/// One workload of the suite.
pub struct Workload {
    pub name: &'static str,
    /// The cost driver it attacks.
    pub driver: &'static str,
    pub wat: String,
    /// Iterations per call: enough for milliseconds of native time.
    pub iterations: u64,
    /// A benign reference, not an attack: shown to say how much ordinary code is
    /// over-charged, left out of the worst case and the 0.5–2 goal.
    pub benign: bool,
    /// Iterations with `--quick`, when a tenth of [`Self::iterations`] would leave the loop
    /// within the noise of its setup (page faults of a 16 MiB memory).
    pub quick_iterations: Option<u64>,
    /// Keys the contract's state holds before the runs (written by its `fill` entry into a
    /// state on disk, [`STATE_KEYS`]); 0 for an ephemeral VM.
    pub state_keys: bool,
}

/// Keys of the on-disk state of the cold-storage workload, `--quick` or not (`calibrate
/// --state-keys` overrides it): 10⁶, the state its price is set for
/// (`STORAGE_READ_BASE_V2`). A cold read's cost grows with the state (a deeper Merkle path,
/// more pages per read: 86 µs at 10⁵ keys, 306 µs at 10⁶), so a quick run on a smaller state
/// would report a ratio of a different state, not a noisier one of the same; filling 10⁶ keys
/// takes about 20 s of a release build.
pub const STATE_KEYS: u64 = 1_000_000;

/// Runs the one workload of `only` once with `iterations` under protocol `protocol` and
/// reports its gas: the body of `--instructions`'s valgrind runs. The VM keeps a pool of 4
/// instances (valgrind cannot map the default pool's terabytes of address space).
pub fn run_once(
    protocol: u32,
    only: &[String],
    iterations: u64,
) -> Result<crate::report::Report, crate::error::CliError> {
    use crate::error::CliError;
    use shortcrust_vm::{DeployOptions, SessionConfig, Vm, VmConfig};
    let [name] = only else {
        return Err(CliError::BadInput {
            what: "--run-once".into(),
            reason: "needs exactly one workload in --only".into(),
        });
    };
    let w = suite()
        .into_iter()
        .find(|w| w.name == name.as_str())
        .ok_or_else(|| CliError::BadInput {
            what: "--only".into(),
            reason: format!("no workload named {name:?}"),
        })?;
    let failed = |why: String| CliError::Measurement(format!("workload {}: {why}", w.name));
    let code = wat::parse_str(&w.wat).map_err(|e| failed(e.to_string()))?;
    let store = std::sync::Arc::new(shortcrust_store::MemoryStore::new());
    let vm = Vm::with_store(
        store,
        VmConfig {
            pool_instances: 4,
            ..VmConfig::default()
        },
    )?;
    let mut config = SessionConfig::default();
    config.context.protocol_version = protocol;
    let mut session = vm.session(config)?;
    let id = session
        .deploy(&code, DeployOptions::default())
        .map_err(|e| failed(e.to_string()))?
        .id;
    let receipt = session.call(id, "run", &iterations.to_le_bytes(), u64::MAX / 2)?;
    receipt.result.map_err(|e| failed(e.to_string()))?;
    Ok(crate::report::Report {
        json: serde_json::json!({"ok": true, "error": null, "gas": receipt.gas_spent}),
        text: format!("{}\n", receipt.gas_spent),
        success: true,
    })
}

/// Instructions retired by a whole `run_once` process of workload `name` with `iterations`,
/// as valgrind's callgrind counts them (`Collected : N` on its standard error).
fn count_instructions(name: &str, protocol: u32, iterations: u64) -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = std::process::Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(["calibrate", "--workloads", "--only", name, "--protocol"])
        .arg(protocol.to_string())
        .arg("--run-once")
        .arg(iterations.to_string())
        .output()
        .map_err(|e| format!("running valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("valgrind failed: {stderr}"));
    }
    stderr
        .lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no instruction count in valgrind's output: {stderr}"))
}

/// The fairness ratio: native ns per gas over the unit's.
pub fn fairness(ns: f64, gas: u64) -> f64 {
    ns * shortcrust_crypto::gas::GAS_PER_NANOSECOND as f64 / gas.max(1) as f64
}

/// Runs the suite and reports each workload's gas, CPU time and fairness ratio.
pub fn run(
    effort: &crate::measure::Effort,
    protocol: u32,
    only: &[String],
    instructions: bool,
    state_keys: u64,
) -> Result<crate::report::Report, crate::error::CliError> {
    use crate::error::CliError;
    use crate::format::{Align, Table, gas};
    use crate::measure::{Clock, Progress, per_call, per_run};
    use serde_json::json;
    use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

    let mut suite = suite();
    if !only.is_empty() {
        if let Some(unknown) = only.iter().find(|n| !suite.iter().any(|w| w.name == **n)) {
            return Err(CliError::BadInput {
                what: "--only".into(),
                reason: format!("no workload named {unknown:?}"),
            });
        }
        suite.retain(|w| only.iter().any(|n| n == w.name));
    }
    let progress = Progress::new("workloads", suite.len() as u64);
    let mut table = Table::new(&[
        ("workload", Align::Left),
        ("cost driver", Align::Left),
        ("loop gas", Align::Right),
        ("loop time", Align::Right),
        ("ns / gas", Align::Right),
        ("fairness", Align::Right),
        ("instr / gas", Align::Right),
        ("verdict", Align::Left),
    ]);
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    let mut worst: f64 = 0.0;
    for w in &suite {
        progress.start(w.name.to_string());
        let failed = |why: String| CliError::Measurement(format!("workload {}: {why}", w.name));
        let code = wat::parse_str(&w.wat).map_err(|e| failed(e.to_string()))?;
        let mut config = SessionConfig::default();
        config.context.protocol_version = protocol;
        let state_dir = tempfile::tempdir().map_err(|e| failed(e.to_string()))?;
        let keys = state_keys;
        let (mut session, id) = if w.state_keys {
            // The cold calls reopen the state ([`cold_call`]): the filling VM, and its caches,
            // must be gone.
            let (_, id) = fill_state(state_dir.path(), &code, &config, keys).map_err(&failed)?;
            (None, id)
        } else {
            let mut session = Vm::ephemeral()?.session(config.clone())?;
            let id = session
                .deploy(&code, DeployOptions::default())
                .map_err(|e| failed(e.to_string()))?
                .id;
            (Some(session), id)
        };
        // Two runs, `iterations / 4` and `iterations`: the difference is the loop alone, without
        // the call, the instantiation, the setup and its memory growth (priced and measured on
        // their own), so the ratio is that of the cost driver.
        let quick = w.quick_iterations.unwrap_or(w.iterations / 10).max(4);
        let iterations = effort.pick(w.iterations, quick);
        let mut runs = Vec::new();
        // State workloads run cold in wall time (module docs, "Clocks"); the others in CPU time.
        let (clock, mut page_cache) = match session {
            None => (Clock::Wall, Some(PageCache::Dropped)),
            Some(_) => (Clock::ThreadCpu, None),
        };
        // Every cold sample is a whole call of up to seconds, with a fresh VM: a few suffice.
        let cold_effort = crate::measure::Effort {
            min_samples: effort.pick(5, 3),
            max_samples: effort.pick(5, 3),
            ..*effort
        };
        for n in [iterations / 4, iterations] {
            let mut input = n.to_le_bytes().to_vec();
            input.extend(keys.to_le_bytes());
            let limit = u64::MAX / 2;
            let (ns, receipt) = if let Some(page_cache) = page_cache.as_mut() {
                // Every sample is a whole cold call (a fresh VM, the page cache dropped).
                let mut receipt = None;
                let ns = per_run(&cold_effort, || {
                    let (ns, r) = cold_call(state_dir.path(), &config, id, &input, page_cache)
                        .map_err(&failed)?;
                    receipt = Some(r);
                    Ok(ns)
                })?;
                let receipt = receipt.ok_or_else(|| failed("no cold run".into()))?;
                (ns, receipt)
            } else {
                let session = session
                    .as_mut()
                    .ok_or_else(|| failed("no session".into()))?;
                let receipt = session.call(id, "run", &input, limit)?;
                if let Err(e) = &receipt.result {
                    return Err(failed(e.to_string()));
                }
                let ns = per_call(Clock::ThreadCpu, effort, || {
                    session.call(id, "run", &input, limit)
                });
                (ns, receipt)
            };
            runs.push((ns, receipt));
        }
        if let Some(PageCache::Warm(why)) = &page_cache {
            let warning = format!(
                "{}: the OS page cache could not be dropped ({why}): this run was WARM, so it \
                 under-measures a cold read (run as root on Linux to drop it)",
                w.name
            );
            eprintln!("warning: {warning}");
            warnings.push(warning);
        }
        let (ns_short, short) = &runs[0];
        let (ns_long, receipt) = &runs[1];
        let loop_gas = receipt.gas_spent.saturating_sub(short.gas_spent);
        let ns = (ns_long - ns_short).max(0.0);
        let ratio = fairness(ns, loop_gas);
        let counted = if instructions && !w.state_keys {
            let counts = [iterations / 4, iterations]
                .map(|n| count_instructions(w.name, protocol, n).map_err(&failed));
            let [short_count, long_count] = counts;
            Some(long_count?.saturating_sub(short_count?) as f64 / loop_gas.max(1) as f64)
        } else {
            None
        };
        if !w.benign {
            worst = worst.max(ratio);
        }
        let mut verdict = if w.benign {
            "benign reference"
        } else if ratio > 2.0 {
            "UNDER-CHARGED"
        } else if ratio < 0.5 {
            "over-charged"
        } else {
            "within 0.5–2"
        }
        .to_string();
        let time = match &page_cache {
            None => crate::measure::duration(ns),
            Some(PageCache::Dropped) => {
                format!("{} wall, cold", crate::measure::duration(ns))
            }
            Some(PageCache::Warm(_)) => {
                verdict.push_str(" (WARM: page cache not dropped)");
                format!("{} wall, WARM", crate::measure::duration(ns))
            }
        };
        table.row(vec![
            w.name.to_string(),
            w.driver.to_string(),
            gas(loop_gas),
            time,
            format!("{:.3}", ns / loop_gas.max(1) as f64),
            format!("{ratio:.2}×"),
            counted.map_or("-".to_string(), |c| format!("{c:.2}")),
            verdict,
        ]);
        entries.push(json!({
            "name": w.name,
            "driver": w.driver,
            "iterations": [iterations / 4, iterations],
            "gas": [short.gas_spent, receipt.gas_spent],
            "loop_gas": loop_gas,
            "loop_ns": ns,
            "loop_cpu_ns": (clock == Clock::ThreadCpu).then_some(ns),
            "ns_per_gas": ns / loop_gas.max(1) as f64,
            "fairness": ratio,
            "instructions_per_gas": counted,
            "benign": w.benign,
            "clock": match clock {
                Clock::ThreadCpu => "thread CPU time (fairness); callgrind instruction counts (instructions_per_gas)",
                Clock::Wall => "wall time of cold calls: a fresh VM, the OS page cache dropped before each (see page_cache_dropped)",
            },
            "page_cache_dropped": page_cache.as_ref().map(|p| *p == PageCache::Dropped),
            "state_keys": w.state_keys.then_some(keys),
            "page_cache_note": match &page_cache {
                Some(PageCache::Warm(why)) => Some(why.as_str()),
                _ => None,
            },
        }));
        progress.done();
    }
    progress.finish();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Adversarial workloads under the schedule in force (protocol {}), CPU time of this thread \
         (cold storage: wall time with the OS page cache dropped, since its cost is waiting for \
         the disk):\n\
         fairness = measured ns per gas / the unit's 0.1 ns (1.0 = priced exactly; > 2 is a \
         denial-of-service margin).{}\n",
        protocol,
        if effort.quick { " (--quick)" } else { "" }
    );
    text.push_str(&table.render());
    for warning in &warnings {
        let _ = writeln!(text, "\nWARNING: {warning}.");
    }
    let block_gas: u64 = 1_000_000_000;
    let _ = writeln!(
        text,
        "\nA block of {} gas runs in at most {:.1} ms of native time on this machine, worst case \
         ({:.2}× the unit's {:.1} ms).",
        gas(block_gas),
        block_gas as f64 / 10.0 * worst / 1e6,
        worst,
        block_gas as f64 / 10.0 / 1e6
    );
    Ok(crate::report::Report {
        json: json!({
            "ok": true,
            "error": null,
            "protocol_version": protocol,
            "quick": effort.quick,
            "workloads": entries,
            "worst_fairness": worst,
            "block_gas": block_gas,
            "block_worst_case_ms": block_gas as f64 / 10.0 * worst / 1e6,
            "warnings": warnings,
        }),
        text,
        success: true,
    })
}
