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
//! - `load_scattered`: loads at pseudo-random addresses over 16 MiB of memory (grown and paid
//!   for first): each a cache and TLB miss (~100 ns) for ~5 gas;
//! - `store_scattered`: the same with stores (dirtying the lines too);
//! - `call_indirect_chain`: `call_indirect` through a table (bounds and signature checks, an
//!   indirect branch, the stack-height accounting) to a leaf function;
//! - `locals_shuffle`: 400 `i64` locals all live across the loop edge, rotated every iteration:
//!   locals are free (0 gas), but Cranelift spills most of them, so every iteration is hundreds
//!   of stack loads and stores for a handful of gas;
//! - `br_table_random`: a 1,024-way `br_table` on a pseudo-random index (indirect branch
//!   mispredictions, ~20 cycles each) at 2 gas;
//! - `memory_fill`: `memory.fill` of 64 KiB per iteration (priced per byte);
//! - `host_gas_left`: the cheapest host call in a loop (the host transition's fixed price).
//!
//! Every workload takes its iteration count as input (borsh `u64`) so the suite can scale it.

use std::fmt::Write as _;

/// One workload of the suite.
pub struct Workload {
    pub name: &'static str,
    /// The cost driver it attacks.
    pub driver: &'static str,
    pub wat: String,
    /// Iterations per call: enough for milliseconds of native time.
    pub iterations: u64,
}

/// The loop every workload shares: `$n` iterations of `body`, counting down in `$i`; `setup`
/// runs once before.
fn looped(name: &str, extra: &str, setup: &str, locals: &str, body: &str) -> String {
    format!(
        r#"(module
  (import "shortcrust_v1" "input_read" (func $input (param i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (import "shortcrust_v1" "gas_left" (func $gas_left (result i64)))
  (memory (export "memory") 1)
  {extra}
  ;; {name}
  (func (export "run") (local $i i64) (local $x i64) (local $a i64) (local $f f64) {locals}
    (call $input (i32.const 0))
    (local.set $i (i64.load (i32.const 0)))
    (local.set $x (i64.const 0x9E3779B97F4A7C15))
    (local.set $f (f64.const 1.5))
    {setup}
    (block $done
      (loop $l
        (br_if $done (i64.eqz (local.get $i)))
        {body}
        (local.set $i (i64.sub (local.get $i) (i64.const 1)))
        (br $l)))
    (i64.store (i32.const 8) (i64.add (local.get $x) (local.get $a)))
    (f64.store (i32.const 16) (local.get $f))
    (call $out (i32.const 8) (i32.const 16))))"#
    )
}

fn repeat(n: usize, text: &str) -> String {
    text.repeat(n)
}

/// Grows memory to 256 pages (16 MiB), paying for every page.
const GROW_TO_16_MIB: &str = "(drop (memory.grow (i32.const 255)))";

/// `$x` ← next value of a 64-bit LCG; `$addr` (i32) ← 8-aligned offset below 16 MiB.
const NEXT_ADDRESS: &str = "(local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407)))
        (local.set $addr (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))) (i32.const 0x00FFFFF8)))";

/// The suite. See the module docs.
pub fn suite() -> Vec<Workload> {
    let mut locals_decl = String::new();
    let mut rotate = String::new();
    const LIVE: usize = 400;
    for k in 0..LIVE {
        let _ = write!(locals_decl, "(local $v{k} i64) ");
    }
    // Rotate: v0 <- v1 <- ... <- v399 <- v0 + x, then fold one into $a, so all stay live.
    let _ = write!(rotate, "(local.set $a (local.get $v0)) ");
    for k in 0..LIVE - 1 {
        let _ = write!(rotate, "(local.set $v{k} (local.get $v{})) ", k + 1);
    }
    let _ = write!(
        rotate,
        "(local.set $v{} (i64.add (local.get $a) (local.get $x))) (local.set $x (i64.add (local.get $x) (local.get $v7)))",
        LIVE - 1
    );
    let br_targets: String = (0..1024).map(|k| format!("{} ", k % 2)).collect();
    vec![
        Workload {
            name: "int_mul_chain",
            driver: "integer arithmetic (dependent 64-bit multiplies)",
            wat: looped(
                "mul",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(local.set $x (i64.xor (i64.mul (local.get $x) (local.get $x)) (i64.const 1))) ",
                ),
            ),
            iterations: 200_000,
        },
        Workload {
            name: "div_chain",
            driver: "division (dependent i64.div_u)",
            wat: looped(
                "div",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(local.set $x (i64.add (i64.div_u (i64.const -1) (i64.or (local.get $x) (i64.const 3))) (local.get $x))) ",
                ),
            ),
            iterations: 100_000,
        },
        Workload {
            name: "rem_chain",
            driver: "remainder (dependent i64.rem_u)",
            wat: looped(
                "rem",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(local.set $x (i64.add (i64.rem_u (i64.const -1) (i64.or (local.get $x) (i64.const 3))) (i64.const 0x9E3779B97F4A7C15))) ",
                ),
            ),
            iterations: 100_000,
        },
        Workload {
            name: "float_sqrt_div",
            driver: "floating point (dependent sqrt and div, NaN canonicalisation)",
            wat: looped(
                "float",
                "",
                "",
                "",
                &repeat(
                    8,
                    "(local.set $f (f64.div (f64.sqrt (f64.add (local.get $f) (f64.const 2.0))) (f64.const 0.999))) ",
                ),
            ),
            iterations: 100_000,
        },
        Workload {
            name: "load_scattered",
            driver: "loads at scattered addresses of a 16 MiB memory",
            wat: looped(
                "load",
                "",
                GROW_TO_16_MIB,
                "(local $addr i32)",
                &format!(
                    "{NEXT_ADDRESS} (local.set $a (i64.add (local.get $a) (i64.load (local.get $addr)))) "
                )
                .repeat(4),
            ),
            iterations: 500_000,
        },
        Workload {
            name: "store_scattered",
            driver: "stores at scattered addresses of a 16 MiB memory",
            wat: looped(
                "store",
                "",
                GROW_TO_16_MIB,
                "(local $addr i32)",
                &format!("{NEXT_ADDRESS} (i64.store (local.get $addr) (local.get $x)) ").repeat(4),
            ),
            iterations: 500_000,
        },
        Workload {
            name: "call_indirect_chain",
            driver: "call_indirect to a leaf (checks, indirect branch, stack accounting)",
            wat: looped(
                "call_indirect",
                "(type $leaf_t (func (param i64) (result i64))) (table 2 funcref) (elem (i32.const 0) $leaf $leaf) (func $leaf (type $leaf_t) (param i64) (result i64) (local.get 0))",
                "",
                "",
                &repeat(
                    8,
                    "(local.set $x (call_indirect (type $leaf_t) (local.get $x) (i32.wrap_i64 (i64.and (local.get $x) (i64.const 1))))) ",
                ),
            ),
            iterations: 200_000,
        },
        Workload {
            name: "locals_shuffle",
            driver: "400 i64 locals live across the loop edge, rotated (locals are free)",
            wat: looped("locals", "", "", &locals_decl, &rotate),
            iterations: 20_000,
        },
        Workload {
            name: "br_table_random",
            driver: "1,024-way br_table on a pseudo-random index",
            wat: looped(
                "br_table",
                "",
                "",
                "",
                &format!(
                    "(local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407))) \
                     (block $b1 (block $b0 (br_table {br_targets} (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 33))) (i32.const 1023)))) \
                     (local.set $a (i64.add (local.get $a) (i64.const 1)))) "
                )
                .repeat(4),
            ),
            iterations: 200_000,
        },
        Workload {
            name: "memory_fill",
            driver: "memory.fill of 64 KiB (bulk memory, per byte)",
            wat: looped(
                "fill",
                "",
                "",
                "",
                "(memory.fill (i32.const 0) (i32.wrap_i64 (local.get $i)) (i32.const 65536)) ",
            ),
            iterations: 2_000,
        },
        Workload {
            name: "host_gas_left",
            driver: "the cheapest host call in a loop (host transition)",
            wat: looped(
                "host",
                "",
                "",
                "",
                &repeat(8, "(local.set $a (i64.add (local.get $a) (call $gas_left))) "),
            ),
            iterations: 50_000,
        },
    ]
}

/// The fairness ratio: native ns per gas over the unit's.
pub fn fairness(ns: f64, gas: u64) -> f64 {
    ns * shortcrust_crypto::gas::GAS_PER_NANOSECOND as f64 / gas.max(1) as f64
}

/// Runs the suite and reports each workload's gas, CPU time and fairness ratio.
pub fn run(
    effort: &crate::measure::Effort,
) -> Result<crate::report::Report, crate::error::CliError> {
    use crate::error::CliError;
    use crate::format::{Align, Table, gas};
    use crate::measure::{Clock, Progress, per_call};
    use serde_json::json;
    use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

    let suite = suite();
    let progress = Progress::new("workloads", suite.len() as u64);
    let mut table = Table::new(&[
        ("workload", Align::Left),
        ("cost driver", Align::Left),
        ("gas / call", Align::Right),
        ("CPU time", Align::Right),
        ("ns / gas", Align::Right),
        ("fairness", Align::Right),
        ("verdict", Align::Left),
    ]);
    let mut entries = Vec::new();
    let mut worst: f64 = 0.0;
    for w in &suite {
        progress.start(w.name.to_string());
        let failed = |why: String| CliError::Measurement(format!("workload {}: {why}", w.name));
        let code = wat::parse_str(&w.wat).map_err(|e| failed(e.to_string()))?;
        let mut session = Vm::ephemeral()?.session(SessionConfig::default())?;
        let id = session
            .deploy(&code, DeployOptions::default())
            .map_err(|e| failed(e.to_string()))?
            .id;
        let iterations = effort.pick(w.iterations, (w.iterations / 10).max(1));
        let input = iterations.to_le_bytes();
        let limit = u64::MAX / 2;
        let receipt = session.call(id, "run", &input, limit)?;
        if let Err(e) = &receipt.result {
            return Err(failed(e.to_string()));
        }
        let ns = per_call(Clock::ThreadCpu, effort, || {
            session.call(id, "run", &input, limit)
        });
        let ratio = fairness(ns, receipt.gas_spent);
        worst = worst.max(ratio);
        let verdict = if ratio > 2.0 {
            "UNDER-CHARGED"
        } else if ratio < 0.5 {
            "over-charged"
        } else {
            "within 0.5–2"
        };
        table.row(vec![
            w.name.to_string(),
            w.driver.to_string(),
            gas(receipt.gas_spent),
            crate::measure::duration(ns),
            format!("{:.3}", ns / receipt.gas_spent.max(1) as f64),
            format!("{ratio:.2}×"),
            verdict.to_string(),
        ]);
        entries.push(json!({
            "name": w.name,
            "driver": w.driver,
            "iterations": iterations,
            "gas": receipt.gas_spent,
            "cpu_ns": ns,
            "ns_per_gas": ns / receipt.gas_spent.max(1) as f64,
            "fairness": ratio,
            "clock": "thread CPU time",
        }));
        progress.done();
    }
    progress.finish();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Adversarial workloads under the schedule in force (protocol {}), CPU time of this thread:\n\
         fairness = measured ns per gas / the unit's 0.1 ns (1.0 = priced exactly; > 2 is a \
         denial-of-service margin).{}\n",
        shortcrust_abi::LATEST_PROTOCOL_VERSION,
        if effort.quick { " (--quick)" } else { "" }
    );
    text.push_str(&table.render());
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
            "protocol_version": shortcrust_abi::LATEST_PROTOCOL_VERSION,
            "quick": effort.quick,
            "workloads": entries,
            "worst_fairness": worst,
            "block_gas": block_gas,
            "block_worst_case_ms": block_gas as f64 / 10.0 * worst / 1e6,
        }),
        text,
        success: true,
    })
}
