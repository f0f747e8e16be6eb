//! `shortcrust bench [--quick] [--scenarios]`: the performance figures of DESIGN §9, measured in one run and
//! printed beside their targets.
//!
//! | figure | how |
//! |---|---|
//! | empty contract call | `empty.noop` through a session, median per call |
//! | counter increments per second | `counter.increment` repeated in one session |
//! | token transfer transaction | on a persistent state in a temporary directory: a session from the head, `token.transfer`, commit (wall time: the commit's disk writes are part of it) |
//! | metered / unmetered WASM | `compute.field_iterate` and `mix_iterate` through the VM against the same module in a plain wasmtime engine with the VM's configuration minus fuel, uninstrumented (as the VM's `calls` bench builds it) |
//! | host-call fixed overhead | a loop of `gas_left` calls against the same loop without them, difference per call |
//! | first call after a restart | `Vm::open` on a directory holding a deployed counter, then one call (wall time); the VM's cache statistics show whether anything was recompiled |
//! | host path / native | one Groth16 (one public input) and one IETF BLS verification through the `verifier` contract against the direct `shortcrust_crypto` call the host function makes |
//!
//! Times are the thread's CPU time unless noted (see `measure`); every figure is a median.

use clap::Args;
use serde_json::{Map, Value, json};
use shortcrust_abi::status::VALID;
use shortcrust_abi::{IMPORT_MODULE, bls_scheme};
use shortcrust_crypto::{self as crypto, groth16};
use shortcrust_test_contracts as contracts;
use shortcrust_vm::{ContractId, DeployOptions, ModuleLimits, Session, SessionConfig, Vm, engine};
use wasmtime::{Caller, Engine, InstancePre, Linker, Module, Store};

use crate::error::CliError;
use crate::fixtures;
use crate::format::{Align, Table, gas, labelled};
use crate::measure::{Clock, Effort, Progress, duration, per_call, per_run};
use crate::report::Report;
use crate::run::DEFAULT_CALL_GAS;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// A short run (seconds): fewer samples and smaller workloads.
    #[arg(long)]
    pub quick: bool,
    /// Instead of the DESIGN §9 figures, the side-by-side scenarios (cold deploy, first call,
    /// counter increments, transactions with and without fsync, host-call overhead, PLONK
    /// through the VM), each in wall time with its spread. See `scenarios`.
    #[arg(long)]
    pub scenarios: bool,
    /// With `--scenarios`: verify this proof in the PLONK scenario instead of the built-in
    /// one, from a directory holding `verifier.bin` (dusk-plonk `Verifier::to_bytes`),
    /// `proof.bin` (1008 bytes) and `inputs.bin` (32-byte little-endian scalars), so that
    /// another VM's harness and this one verify the same bytes.
    #[arg(long, value_name = "DIR", requires = "scenarios")]
    pub plonk: Option<std::path::PathBuf>,
}

/// Host-function calls in one probe call of the host-call overhead figure.
pub(crate) const HOST_CALLS: u32 = 10_000;

/// A DESIGN §9 target.
#[derive(Clone, Copy)]
enum Target {
    AtMost(f64),
    None,
}

/// One measured figure.
struct Figure {
    key: &'static str,
    what: &'static str,
    value: f64,
    unit: &'static str,
    target: Target,
    /// Extra facts shown beside the figure and added to its JSON.
    note: String,
    extra: Vec<(&'static str, Value)>,
}

impl Figure {
    fn new(key: &'static str, what: &'static str, value: f64, unit: &'static str) -> Self {
        Figure {
            key,
            what,
            value,
            unit,
            target: Target::None,
            note: String::new(),
            extra: Vec::new(),
        }
    }

    fn at_most(mut self, target: f64) -> Self {
        self.target = Target::AtMost(target);
        self
    }

    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    fn with(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.extra.push((key, value.into()));
        self
    }

    fn meets(&self) -> Option<bool> {
        match self.target {
            Target::AtMost(t) => Some(self.value <= t),
            Target::None => None,
        }
    }
}

pub(crate) fn failed(what: &str, why: impl std::fmt::Display) -> CliError {
    CliError::Measurement(format!("{what}: {why}"))
}

fn borsh<T: borsh::BorshSerialize>(value: &T) -> Result<Vec<u8>, CliError> {
    borsh::to_vec(value).map_err(|e| failed("encoding a call's input", e))
}

/// A session on a fresh in-memory VM with `code` deployed.
fn deployed(code: &[u8], name: &str) -> Result<(Session, ContractId), CliError> {
    let mut session = Vm::ephemeral()?.session(SessionConfig::default())?;
    let id = session
        .deploy(code, DeployOptions::default())
        .map_err(|e| failed(&format!("deploying {name}"), e))?
        .id;
    Ok((session, id))
}

/// Calls `entry` once and returns its output, failing the measurement if the call fails.
fn call_ok(
    session: &mut Session,
    contract: ContractId,
    entry: &str,
    input: &[u8],
) -> Result<Vec<u8>, CliError> {
    session
        .call(contract, entry, input, DEFAULT_CALL_GAS)?
        .result
        .map_err(|e| failed(entry, e))
}

fn empty_call(effort: &Effort) -> Result<Figure, CliError> {
    let (mut session, empty) = deployed(contracts::EMPTY, "empty")?;
    call_ok(&mut session, empty, "noop", &[])?;
    let ns = per_call(Clock::ThreadCpu, effort, || {
        session.call(empty, "noop", &[], DEFAULT_CALL_GAS)
    });
    Ok(Figure::new(
        "empty_call_us",
        "empty contract call, end to end through a session",
        ns / 1e3,
        "µs",
    )
    .at_most(5.0))
}

fn counter_rate(effort: &Effort) -> Result<Figure, CliError> {
    let (mut session, counter) = deployed(contracts::COUNTER, "counter")?;
    call_ok(&mut session, counter, "increment", &[])?;
    let ns = per_call(Clock::ThreadCpu, effort, || {
        session.call(counter, "increment", &[], DEFAULT_CALL_GAS)
    });
    Ok(Figure::new(
        "counter_increments_per_second",
        "counter increments per second, one session",
        1e9 / ns,
        "/s",
    )
    .note("Piecrust on this machine: ≈ 25,000 /s"))
}

/// Native time per gas against the unit (`GAS_PER_NANOSECOND`): 1.0 means priced exactly.
fn fairness(ns: f64, gas: u64) -> f64 {
    ns * crypto::gas::GAS_PER_NANOSECOND as f64 / gas.max(1) as f64
}

/// The worst case of initial memory — a frame of a module declaring the largest allowed initial
/// memory that writes one byte to every 4 KiB page of it, so every page faults in and is reset —
/// beside the benign counter increment, both as native time per gas over the unit.
fn initial_memory(effort: &Effort) -> Result<Vec<Figure>, CliError> {
    let pages = ModuleLimits::default().max_memory_pages;
    let wat = format!(
        r#"(module
          (memory (export "memory") {pages})
          (func (export "touch") (local $a i32)
            (loop $l
              (i32.store8 (local.get $a) (i32.const 1))
              (local.set $a (i32.add (local.get $a) (i32.const 4096)))
              (br_if $l (i32.lt_u (local.get $a) (i32.const {bytes}))))))"#,
        bytes = u64::from(pages) * 65_536
    );
    let code = wat::parse_str(&wat).map_err(|e| failed("the initial-memory module", e))?;
    let (mut worst, touch) = deployed(&code, "initial-memory")?;
    let worst_gas = worst.call(touch, "touch", &[], u64::MAX)?.gas_spent;
    let worst_ns = per_call(Clock::ThreadCpu, effort, || {
        worst.call(touch, "touch", &[], u64::MAX)
    });
    let (mut benign, counter) = deployed(contracts::COUNTER, "counter")?;
    let benign_gas = benign
        .call(counter, "increment", &[], DEFAULT_CALL_GAS)?
        .gas_spent;
    let benign_ns = per_call(Clock::ThreadCpu, effort, || {
        benign.call(counter, "increment", &[], DEFAULT_CALL_GAS)
    });
    Ok(vec![
        Figure::new(
            "initial_memory_worst_fairness",
            "ns per gas / unit: a frame touching every page of 256 initial pages",
            fairness(worst_ns, worst_gas),
            "×",
        )
        .at_most(2.0)
        .note(format!(
            "{:.2} ms for {} gas",
            worst_ns / 1e6,
            gas(worst_gas)
        )),
        Figure::new(
            "counter_increment_fairness",
            "ns per gas / unit: a counter increment (benign)",
            fairness(benign_ns, benign_gas),
            "×",
        )
        .note(format!(
            "{:.2} µs for {} gas",
            benign_ns / 1e3,
            gas(benign_gas)
        )),
    ])
}

fn token_transfer(effort: &Effort) -> Result<Figure, CliError> {
    let dir = tempfile::tempdir().map_err(|e| failed("creating a temporary directory", e))?;
    let vm = Vm::open(dir.path())?;
    let mut session = vm.session(SessionConfig::default())?;
    // Deployed and called by the default sender, which is therefore the owner.
    let token = session
        .deploy(contracts::TOKEN, DeployOptions::default())
        .map_err(|e| failed("deploying token", e))?
        .id;
    call_ok(&mut session, token, "init", &borsh(&1_000_000_000u64)?)?;
    session.commit()?;
    let transfer = borsh(&([0x42u8; 32], 1u64))?;
    let mut cpu = Vec::new();
    let wall = per_run(effort, || {
        let (wall_start, cpu_start) = (Clock::Wall.now(), Clock::ThreadCpu.now());
        let mut session = vm.session(SessionConfig::default())?;
        call_ok(&mut session, token, "transfer", &transfer)?;
        session.commit()?;
        cpu.push(Clock::ThreadCpu.now().saturating_sub(cpu_start) as f64);
        Ok(Clock::Wall.now().saturating_sub(wall_start) as f64)
    })?;
    let cpu = crate::measure::median(&mut cpu);
    Ok(Figure::new(
        "token_transfer_tx_us",
        "token transfer tx: session from head, transfer, commit (on disk, wall time)",
        wall / 1e3,
        "µs",
    )
    .note(format!("{} of it CPU", duration(cpu)))
    .with("cpu_us", cpu / 1e3))
}

/// Per-call data of the unmetered baseline: the call's input and output.
struct Io {
    input: Vec<u8>,
    output: Vec<u8>,
}

/// The `compute` module in a plain wasmtime engine: the VM's engine configuration minus fuel
/// and at wasmtime's default optimisation level (`Speed`, where the VM compiles at
/// `engine::DEFAULT_OPT_LEVEL`, so the ratio also shows what that choice costs), the module as
/// compiled by rustc (no stack instrumentation), and only the three host functions it needs. A
/// fresh instance per call, as in the VM.
struct Unmetered {
    engine: Engine,
    pre: InstancePre<Io>,
}

fn wasm_error(e: wasmtime::Error) -> CliError {
    failed("unmetered baseline", format!("{e:#}"))
}

fn guest_memory(caller: &mut Caller<'_, Io>) -> wasmtime::Result<wasmtime::Memory> {
    caller
        .get_export("memory")
        .and_then(|e| e.into_memory())
        .ok_or_else(|| wasmtime::format_err!("no exported memory"))
}

impl Unmetered {
    fn new() -> Result<Self, CliError> {
        let options = engine::EngineOptions {
            opt_level: wasmtime::OptLevel::Speed,
            ..Default::default()
        };
        let mut config = engine::engine_config(
            &ModuleLimits::default(),
            &options,
            shortcrust_vm::gas::Schedule::V2,
        );
        config.consume_fuel(false);
        let engine = Engine::new(&config).map_err(wasm_error)?;
        let module = Module::new(&engine, contracts::COMPUTE).map_err(wasm_error)?;
        let mut linker: Linker<Io> = Linker::new(&engine);
        linker
            .func_wrap(IMPORT_MODULE, "input_len", |c: Caller<'_, Io>| {
                i32::try_from(c.data().input.len()).unwrap_or(i32::MAX)
            })
            .map_err(wasm_error)?;
        linker
            .func_wrap(
                IMPORT_MODULE,
                "input_read",
                |mut c: Caller<'_, Io>, ptr: i32| -> wasmtime::Result<()> {
                    let memory = guest_memory(&mut c)?;
                    let input = std::mem::take(&mut c.data_mut().input);
                    let written = memory.write(&mut c, ptr as u32 as usize, &input);
                    c.data_mut().input = input;
                    written.map_err(|e| wasmtime::format_err!("{e}"))
                },
            )
            .map_err(wasm_error)?;
        linker
            .func_wrap(
                IMPORT_MODULE,
                "output_write",
                |mut c: Caller<'_, Io>, ptr: i32, len: i32| -> wasmtime::Result<()> {
                    let memory = guest_memory(&mut c)?;
                    let mut output = vec![0; len as u32 as usize];
                    memory
                        .read(&c, ptr as u32 as usize, &mut output)
                        .map_err(|e| wasmtime::format_err!("{e}"))?;
                    c.data_mut().output = output;
                    Ok(())
                },
            )
            .map_err(wasm_error)?;
        linker
            .define_unknown_imports_as_traps(&module)
            .map_err(wasm_error)?;
        let pre = linker.instantiate_pre(&module).map_err(wasm_error)?;
        Ok(Unmetered { engine, pre })
    }

    fn call(&self, entry: &str, input: &[u8]) -> Result<Vec<u8>, CliError> {
        let io = Io {
            input: input.to_vec(),
            output: Vec::new(),
        };
        let mut store = Store::new(&self.engine, io);
        let instance = self.pre.instantiate(&mut store).map_err(wasm_error)?;
        let run = instance
            .get_typed_func::<(), ()>(&mut store, entry)
            .map_err(wasm_error)?;
        run.call(&mut store, ()).map_err(wasm_error)?;
        Ok(store.into_data().output)
    }
}

fn metering(effort: &Effort, progress: &Progress) -> Result<Vec<Figure>, CliError> {
    let rounds: u64 = effort.pick(1_000_000, 50_000);
    let (mut session, compute) = deployed(contracts::COMPUTE, "compute")?;
    let unmetered = Unmetered::new()?;
    let mut figures = Vec::new();
    for (entry, key) in [
        ("field_iterate", "metered_unmetered_field_iterate"),
        ("mix_iterate", "metered_unmetered_mix_iterate"),
    ] {
        progress.start(format!("metered / unmetered {entry}"));
        let input = borsh(&(12_345u64, rounds))?;
        let metered_output = call_ok(&mut session, compute, entry, &input)?;
        if unmetered.call(entry, &input)? != metered_output {
            return Err(failed(entry, "metered and unmetered results differ"));
        }
        let metered = per_call(Clock::ThreadCpu, effort, || {
            session.call(compute, entry, &input, DEFAULT_CALL_GAS)
        });
        let plain = per_call(Clock::ThreadCpu, effort, || unmetered.call(entry, &input));
        figures.push(
            Figure::new(
                key,
                if entry == "field_iterate" {
                    "metered / unmetered WASM, compute.field_iterate"
                } else {
                    "metered / unmetered WASM, compute.mix_iterate"
                },
                metered / plain,
                "×",
            )
            .at_most(1.10)
            .note(format!(
                "{} vs {} for {} rounds",
                duration(metered),
                duration(plain),
                gas(rounds)
            ))
            .with("metered_us", metered / 1e3)
            .with("unmetered_us", plain / 1e3)
            .with("rounds", rounds),
        );
        progress.done();
    }
    Ok(figures)
}

/// A module whose `run` loops [`HOST_CALLS`] times over `body`.
pub(crate) fn host_call_probe(body: &str) -> Result<Vec<u8>, CliError> {
    let text = format!(
        r#"(module
          (import "{IMPORT_MODULE}" "gas_left" (func $gas_left (result i64)))
          (memory (export "memory") 1)
          (func (export "run") (local $i i32)
            (loop $next
              {body}
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $next (i32.lt_u (local.get $i) (i32.const {HOST_CALLS}))))))"#
    );
    wat::parse_str(text).map_err(|e| failed("assembling the host-call probe", e))
}

fn host_call_overhead(effort: &Effort) -> Result<Figure, CliError> {
    let mut session = Vm::ephemeral()?.session(SessionConfig::default())?;
    let mut deploy = |body: &str, nonce: u64| -> Result<ContractId, CliError> {
        let options = DeployOptions {
            nonce,
            ..DeployOptions::default()
        };
        Ok(session
            .deploy(&host_call_probe(body)?, options)
            .map_err(|e| failed("deploying the host-call probe", e))?
            .id)
    };
    let with = deploy("(drop (call $gas_left))", 0)?;
    let without = deploy("(drop (i64.const 0))", 1)?;
    let mut time = |contract| -> Result<f64, CliError> {
        call_ok(&mut session, contract, "run", &[])?;
        Ok(per_call(Clock::ThreadCpu, effort, || {
            session.call(contract, "run", &[], DEFAULT_CALL_GAS)
        }))
    };
    let (with_ns, without_ns) = (time(with)?, time(without)?);
    Ok(Figure::new(
        "host_call_overhead_ns",
        "fixed overhead of one host-function call (gas_left)",
        (with_ns - without_ns) / f64::from(HOST_CALLS),
        "ns",
    )
    .at_most(100.0)
    .note(format!(
        "{} calls: {} with, {} without",
        gas(u64::from(HOST_CALLS)),
        duration(with_ns),
        duration(without_ns)
    )))
}

fn restart(effort: &Effort) -> Result<Vec<Figure>, CliError> {
    let dir = tempfile::tempdir().map_err(|e| failed("creating a temporary directory", e))?;
    let counter = {
        let vm = Vm::open(dir.path())?;
        let mut session = vm.session(SessionConfig::default())?;
        let id = session
            .deploy(contracts::COUNTER, DeployOptions::default())
            .map_err(|e| failed("deploying counter", e))?
            .id;
        session.commit()?;
        id
    };
    let (mut opens, mut compiled, mut loaded) = (Vec::new(), 0, 0);
    let first_call = per_run(effort, || {
        let start = Clock::Wall.now();
        let vm = Vm::open(dir.path())?;
        let opened = Clock::Wall.now();
        let mut session = vm.session(SessionConfig::default())?;
        call_ok(&mut session, counter, "increment", &[])?;
        let called = Clock::Wall.now();
        let stats = vm.cache_stats();
        compiled += stats.compiled;
        loaded += stats.loaded_from_disk;
        opens.push(opened.saturating_sub(start) as f64);
        Ok(called.saturating_sub(opened) as f64)
    })?;
    let open = crate::measure::median(&mut opens);
    let recompiled = compiled > 0;
    Ok(vec![
        Figure::new(
            "restart_first_call_us",
            "first call after a VM restart (session and call, wall time)",
            first_call / 1e3,
            "µs",
        )
        .at_most(1_000.0)
        .note(format!(
            "{} restarts: {}, {loaded} modules loaded from disk, {compiled} compiled",
            opens.len(),
            if recompiled {
                "RECOMPILED"
            } else {
                "no recompilation"
            }
        ))
        .with("recompiled", recompiled)
        .with("modules_compiled", compiled)
        .with("modules_loaded_from_disk", loaded),
        Figure::new(
            "restart_open_ms",
            "VM restart: Vm::open on the state directory (wall time)",
            open / 1e6,
            "ms",
        ),
    ])
}

/// Host path against native for one verification: `native` is the direct call the host
/// function makes; `entry` and `input` the same through the verifier contract.
fn host_vs_native(
    effort: &Effort,
    session: &mut Session,
    verifier: ContractId,
    (key, what): (&'static str, &'static str),
    entry: &str,
    input: &[u8],
    mut native: impl FnMut() -> i32,
) -> Result<Figure, CliError> {
    let output = call_ok(session, verifier, entry, input)?;
    if output != VALID.to_le_bytes() || native() != VALID {
        return Err(failed(entry, "the fixture does not verify"));
    }
    let native_ns = per_call(Clock::ThreadCpu, effort, &mut native);
    let host_ns = per_call(Clock::ThreadCpu, effort, || {
        session.call(verifier, entry, input, DEFAULT_CALL_GAS)
    });
    Ok(Figure::new(key, what, host_ns / native_ns, "×")
        .at_most(1.05)
        .note(format!(
            "{} through the contract, {} native",
            duration(host_ns),
            duration(native_ns)
        ))
        .with("host_us", host_ns / 1e3)
        .with("native_us", native_ns / 1e3))
}

fn host_paths(effort: &Effort, progress: &Progress) -> Result<Vec<Figure>, CliError> {
    let (mut session, verifier) = deployed(contracts::VERIFIER, "verifier")?;
    progress.start("Groth16: host path / native");
    let g = groth16::testkit::fixture(7, 1);
    let input = borsh(&(&g.verifying_key, &g.proof, &g.public_inputs))?;
    let groth16 = host_vs_native(
        effort,
        &mut session,
        verifier,
        (
            "groth16_host_native_ratio",
            "Groth16 verify (BN254, 1 public input): host path / native",
        ),
        "verify_groth16_bn254",
        &input,
        || crypto::verify_groth16_bn254(&g.verifying_key, &g.proof, &g.public_inputs),
    )?;
    progress.done();
    progress.start("BLS: host path / native");
    let scheme = bls_scheme::IETF_MIN_PK_POP;
    let s = fixtures::bls(scheme, 32)?;
    let input = borsh(&(scheme, &s.pk, &s.msg, &s.sig))?;
    let bls = host_vs_native(
        effort,
        &mut session,
        verifier,
        (
            "bls_host_native_ratio",
            "BLS verify (IETF, 32-byte message): host path / native",
        ),
        "verify_bls",
        &input,
        || crypto::verify_bls(scheme, &s.pk, &s.msg, &s.sig),
    )?;
    progress.done();
    Ok(vec![groth16, bls])
}

/// Runs `measure` as one step of the progress bar.
fn step<T>(
    progress: &Progress,
    name: &'static str,
    measure: impl FnOnce() -> Result<T, CliError>,
) -> Result<T, CliError> {
    progress.start(name);
    let result = measure();
    progress.done();
    result
}

/// Runs every measurement and reports them.
pub fn bench(args: &BenchArgs) -> Result<Report, CliError> {
    let effort = Effort::new(args.quick);
    if args.scenarios {
        return crate::scenarios::scenarios(&effort, args.plonk.as_deref());
    }
    let progress = Progress::new("bench", 10);
    let mut figures = vec![
        step(&progress, "empty call", || empty_call(&effort))?,
        step(&progress, "counter increments", || counter_rate(&effort))?,
        step(&progress, "token transfer transactions", || {
            token_transfer(&effort)
        })?,
    ];
    figures.extend(step(&progress, "initial memory, worst case", || {
        initial_memory(&effort)
    })?);
    figures.extend(metering(&effort, &progress)?);
    figures.push(step(&progress, "host-call overhead", || {
        host_call_overhead(&effort)
    })?);
    figures.extend(step(&progress, "first call after restart", || {
        restart(&effort)
    })?);
    figures.extend(host_paths(&effort, &progress)?);
    progress.finish();
    Ok(report(&effort, &figures))
}

/// A figure's value (or target) in its unit; times in the unit that suits them.
fn amount(value: f64, unit: &str) -> String {
    match unit {
        "×" => format!("{value:.3}×"),
        "/s" => format!("{} /s", gas(value.round() as u64)),
        "ns" => duration(value),
        "µs" => duration(value * 1e3),
        "ms" => duration(value * 1e6),
        unit => format!("{value:.2} {unit}"),
    }
}

fn report(effort: &Effort, figures: &[Figure]) -> Report {
    let mut table = Table::new(&[
        ("figure", Align::Left),
        ("measured", Align::Right),
        ("target", Align::Right),
        ("of target", Align::Right),
        ("", Align::Left),
        ("detail", Align::Left),
    ]);
    let mut json_figures = Map::new();
    for f in figures {
        let (target, share) = match f.target {
            Target::AtMost(t) => (
                format!("≤ {}", amount(t, f.unit)),
                format!("{:.2}", f.value / t),
            ),
            Target::None => ("—".into(), "—".into()),
        };
        let verdict = match f.meets() {
            Some(true) => "meets",
            Some(false) => "MISSES",
            None => "",
        };
        table.row(vec![
            f.what.into(),
            amount(f.value, f.unit),
            target,
            share,
            verdict.into(),
            f.note.clone(),
        ]);
        let mut object = json!({
            "what": f.what,
            "value": f.value,
            "unit": f.unit,
            "target_at_most": match f.target { Target::AtMost(t) => json!(t), Target::None => Value::Null },
            "meets_target": f.meets(),
        });
        if let Some(map) = object.as_object_mut() {
            for (key, value) in &f.extra {
                map.insert((*key).into(), value.clone());
            }
        }
        json_figures.insert(f.key.into(), object);
    }
    let missed = figures.iter().filter(|f| f.meets() == Some(false)).count();
    let header = labelled(&[(
        "run".into(),
        format!(
            "{}; thread CPU time unless noted, medians of repeated runs",
            if effort.quick { "quick" } else { "full" }
        ),
    )]);
    Report {
        text: format!(
            "{header}\n{}\n{missed} figure(s) miss their DESIGN §9 target.\n",
            table.render()
        ),
        json: json!({
            "ok": true,
            "error": null,
            "quick": effort.quick,
            "figures": json_figures,
            "targets_missed": missed,
        }),
        success: true,
    }
}
