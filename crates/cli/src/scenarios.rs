//! `shortcrust bench --scenarios`: the side-by-side scenarios, each with its spread, so that a
//! comparison with another VM (Piecrust, measured by hand with its own harness on the same
//! machine, in the same window) is one command on our side.
//!
//! | scenario | what one sample times |
//! |---|---|
//! | `counter_increment` | one `counter.increment` in a long-lived session (batched) |
//! | `deploy_cold` | `Session::deploy` of the counter into a fresh VM (whose engine and instance pool another contract already warmed, as a running node's are): validate, instrument, compile, no cache of any kind |
//! | `first_call_after_deploy` | the first `counter.increment` right after that deploy: first instantiation of the new module |
//! | `tx_fsync` | on disk: a session from the head, one increment, a durable commit (one `fsync`) |
//! | `tx_no_fsync` | the same with non-durable commits (`OpenOptions::durable_commits = false`) |
//! | `host_call` | one `gas_left` host call: a loop of 10,000 calls minus the same loop without them, timed back to back |
//! | `plonk_verify` | one dusk-plonk proof verified through the `verifier` contract, verifier data already cached: the testkit's proof with one public input, or the proof in `--plonk DIR` |
//!
//! Every scenario is timed in **wall time**: deploys may compile functions on several threads
//! and commits wait on the disk, and a harness on the other side measures wall time too. Each
//! figure is the median of its samples with the spread as the 10th and 90th percentiles (the
//! machines are shared: compare medians taken in one window, and read the spread before a
//! ratio).

use std::path::Path;

use serde_json::{Map, Value, json};
use shortcrust_abi::status::VALID;
use shortcrust_crypto::plonk;
use shortcrust_test_contracts as contracts;
use shortcrust_vm::{ContractId, DeployOptions, OpenOptions, Session, SessionConfig, Vm};

use crate::bench::{HOST_CALLS, failed, host_call_probe};
use crate::error::CliError;
use crate::format::{Align, Table, labelled};
use crate::measure::{Clock, Effort, Progress, duration, samples};
use crate::report::Report;
use crate::run::DEFAULT_CALL_GAS;

/// The samples of one scenario, in nanoseconds per operation.
struct Scenario {
    key: &'static str,
    what: &'static str,
    samples: Vec<f64>,
    /// Facts checked while measuring (e.g. that a deploy compiled its module).
    extra: Vec<(&'static str, Value)>,
}

impl Scenario {
    fn new(key: &'static str, what: &'static str, samples: Vec<f64>) -> Self {
        Scenario {
            key,
            what,
            samples,
            extra: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.extra.push((key, value.into()));
        self
    }

    /// `(p10, median, p90)`.
    fn spread(&self) -> (f64, f64, f64) {
        let mut sorted = self.samples.clone();
        sorted.sort_by(f64::total_cmp);
        (
            percentile(&sorted, 0.1),
            crate::measure::median(&mut sorted),
            percentile(&sorted, 0.9),
        )
    }
}

/// The `q`-quantile of sorted values, by the nearest rank (`0.0` for none).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Wall nanoseconds of `f`, with its result.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = Clock::Wall.now();
    let out = f();
    (Clock::Wall.now().saturating_sub(start) as f64, out)
}

fn increment(session: &mut Session, counter: ContractId) -> Result<(), CliError> {
    session
        .call(counter, "increment", &[], DEFAULT_CALL_GAS)?
        .result
        .map(drop)
        .map_err(|e| failed("counter.increment", e))
}

fn deploy(session: &mut Session, code: &[u8], nonce: u64) -> Result<ContractId, CliError> {
    let options = DeployOptions {
        nonce,
        ..DeployOptions::default()
    };
    Ok(session
        .deploy(code, options)
        .map_err(|e| failed("deploy", e))?
        .id)
}

fn counter_increment(effort: &Effort) -> Result<Scenario, CliError> {
    let mut session = Vm::ephemeral()?.session(SessionConfig::default())?;
    let counter = deploy(&mut session, contracts::COUNTER, 0)?;
    increment(&mut session, counter)?;
    let batch: u32 = effort.pick(1_000, 200);
    let mut cpu = Vec::new();
    let samples = samples(effort, || {
        let cpu_start = Clock::ThreadCpu.now();
        let (ns, result) = timed(|| (0..batch).try_for_each(|_| increment(&mut session, counter)));
        result?;
        cpu.push(Clock::ThreadCpu.now().saturating_sub(cpu_start) as f64 / f64::from(batch));
        Ok(ns / f64::from(batch))
    })?;
    // The thread's CPU time beside the wall time: on a shared machine the difference is time
    // the thread was not running.
    let cpu = crate::measure::median(&mut cpu);
    Ok(Scenario::new(
        "counter_increment",
        "counter increment, one session",
        samples,
    )
    .with("cpu_median_ns", cpu))
}

/// Cold deploys of the counter and the first call after each, one fresh VM per sample.
fn deploy_and_first_call(effort: &Effort) -> Result<[Scenario; 2], CliError> {
    let (mut deploys, mut first_calls, mut compiled) = (Vec::new(), Vec::new(), 0);
    samples(effort, || {
        let vm = Vm::ephemeral()?;
        let mut session = vm.session(SessionConfig::default())?;
        // A running node has its engine and a warm instance pool: create them with another
        // contract first, so the figures are the counter's alone.
        let empty = deploy(&mut session, contracts::EMPTY, 0)?;
        session
            .call(empty, "noop", &[], DEFAULT_CALL_GAS)?
            .result
            .map_err(|e| failed("empty.noop", e))?;
        let warm = vm.cache_stats().compiled;
        let (deploy_ns, counter) = timed(|| deploy(&mut session, contracts::COUNTER, 0));
        let counter = counter?;
        let (call_ns, called) = timed(|| increment(&mut session, counter));
        called?;
        compiled += vm.cache_stats().compiled - warm;
        deploys.push(deploy_ns);
        first_calls.push(call_ns);
        Ok(deploy_ns)
    })?;
    let runs = deploys.len() as u64;
    Ok([
        Scenario::new(
            "deploy_cold",
            "deploy the counter: validate, instrument, compile (fresh VM)",
            deploys,
        )
        .with("modules_compiled", compiled)
        .with("code_bytes", contracts::COUNTER.len())
        .with("every_deploy_compiled", compiled == runs),
        Scenario::new(
            "first_call_after_deploy",
            "first counter increment after the deploy",
            first_calls,
        ),
    ])
}

/// Transactions on disk: a session from the head, one increment, a commit.
fn transaction(effort: &Effort, durable_commits: bool) -> Result<Scenario, CliError> {
    let dir = tempfile::tempdir().map_err(|e| failed("creating a temporary directory", e))?;
    let vm = Vm::open_with(
        dir.path(),
        OpenOptions {
            durable_commits,
            ..OpenOptions::default()
        },
    )?;
    let counter = {
        let mut session = vm.session(SessionConfig::default())?;
        let id = deploy(&mut session, contracts::COUNTER, 0)?;
        increment(&mut session, id)?;
        session.commit()?;
        id
    };
    let samples = samples(effort, || {
        let (ns, result) = timed(|| -> Result<(), CliError> {
            let mut session = vm.session(SessionConfig::default())?;
            increment(&mut session, counter)?;
            session.commit()?;
            Ok(())
        });
        result?;
        Ok(ns)
    })?;
    Ok(if durable_commits {
        Scenario::new(
            "tx_fsync",
            "transaction: session, increment, durable commit (fsync)",
            samples,
        )
    } else {
        Scenario::new(
            "tx_no_fsync",
            "transaction: session, increment, commit without fsync",
            samples,
        )
    })
}

fn host_call(effort: &Effort) -> Result<Scenario, CliError> {
    let mut session = Vm::ephemeral()?.session(SessionConfig::default())?;
    let with = deploy(
        &mut session,
        &host_call_probe("(drop (call $gas_left))")?,
        0,
    )?;
    let without = deploy(&mut session, &host_call_probe("(drop (i64.const 0))")?, 1)?;
    let mut run = |contract| -> Result<f64, CliError> {
        let (ns, outcome) = timed(|| session.call(contract, "run", &[], DEFAULT_CALL_GAS));
        outcome?.result.map_err(|e| failed("host-call probe", e))?;
        Ok(ns)
    };
    run(with)?;
    run(without)?;
    // Each sample times both loops back to back, so both see the same machine.
    let samples = samples(effort, || {
        Ok((run(with)? - run(without)?) / f64::from(HOST_CALLS))
    })?;
    Ok(Scenario::new(
        "host_call",
        "one host call (gas_left), fixed overhead",
        samples,
    ))
}

/// The PLONK input: the files of `dir` (see `BenchArgs::plonk`), or the testkit's proof with
/// one public input.
fn plonk_input(dir: Option<&Path>) -> Result<plonk::PlonkInput, CliError> {
    let Some(dir) = dir else {
        return Ok(plonk::testkit::fixture(7, 1));
    };
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| failed(&format!("reading {}", path.display()), e))
    };
    Ok(plonk::PlonkInput {
        verifier_data: read("verifier.bin")?,
        proof: read("proof.bin")?,
        public_inputs: read("inputs.bin")?,
    })
}

fn plonk_verify(effort: &Effort, dir: Option<&Path>) -> Result<Scenario, CliError> {
    let mut session = Vm::ephemeral()?.session(SessionConfig::default())?;
    let verifier = deploy(&mut session, contracts::VERIFIER, 0)?;
    let fixture = plonk_input(dir)?;
    let input = borsh::to_vec(&(
        &fixture.verifier_data,
        &fixture.proof,
        &fixture.public_inputs,
    ))
    .map_err(|e| failed("encoding the PLONK call", e))?;
    let mut verify = || -> Result<f64, CliError> {
        let (ns, outcome) =
            timed(|| session.call(verifier, "verify_plonk", &input, DEFAULT_CALL_GAS));
        let output = outcome?
            .result
            .map_err(|e| failed("verifier.verify_plonk", e))?;
        if output != VALID.to_le_bytes() {
            return Err(failed(
                "verifier.verify_plonk",
                "the fixture does not verify",
            ));
        }
        Ok(ns)
    };
    verify()?;
    let samples = samples(effort, &mut verify)?;
    Ok(Scenario::new(
        "plonk_verify",
        "PLONK verify through the VM, verifier data cached",
        samples,
    )
    .with(
        "public_inputs",
        fixture.public_inputs.len() / plonk::SCALAR_LEN,
    )
    .with("verifier_data_bytes", fixture.verifier_data.len())
    .with("from_files", dir.is_some())
    .with("gas", fixture.gas()))
}

/// Runs every scenario and reports them.
pub fn scenarios(effort: &Effort, plonk_dir: Option<&Path>) -> Result<Report, CliError> {
    let progress = Progress::new("scenarios", 7);
    let step = |name: &'static str| progress.start(name);
    let mut all = Vec::new();
    step("counter increments");
    all.push(counter_increment(effort)?);
    progress.done();
    step("cold deploy and first call");
    all.extend(deploy_and_first_call(effort)?);
    progress.done();
    progress.done();
    step("transactions with fsync");
    all.push(transaction(effort, true)?);
    progress.done();
    step("transactions without fsync");
    all.push(transaction(effort, false)?);
    progress.done();
    step("host-call overhead");
    all.push(host_call(effort)?);
    progress.done();
    step("PLONK through the VM");
    all.push(plonk_verify(effort, plonk_dir)?);
    progress.finish();
    Ok(report(effort, &all))
}

fn report(effort: &Effort, all: &[Scenario]) -> Report {
    let mut table = Table::new(&[
        ("scenario", Align::Left),
        ("median", Align::Right),
        ("p10 – p90", Align::Right),
        ("samples", Align::Right),
        ("what", Align::Left),
    ]);
    let mut json_scenarios = Map::new();
    for s in all {
        let (low, mid, high) = s.spread();
        table.row(vec![
            s.key.into(),
            duration(mid),
            format!("{} – {}", duration(low), duration(high)),
            s.samples.len().to_string(),
            s.what.into(),
        ]);
        let mut object = json!({
            "what": s.what,
            "median_ns": mid,
            "p10_ns": low,
            "p90_ns": high,
            "samples": s.samples.len(),
        });
        if let Some(map) = object.as_object_mut() {
            for (key, value) in &s.extra {
                map.insert((*key).into(), value.clone());
            }
        }
        json_scenarios.insert(s.key.into(), object);
    }
    let header = labelled(&[(
        "run".into(),
        format!(
            "{}; wall time per operation, median and 10th–90th percentiles",
            if effort.quick { "quick" } else { "full" }
        ),
    )]);
    Report {
        text: format!("{header}\n{}\n", table.render()),
        json: json!({
            "ok": true,
            "error": null,
            "quick": effort.quick,
            "scenarios": json_scenarios,
        }),
        success: true,
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_by_nearest_rank() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0];
        assert_eq!(percentile(&sorted, 0.1), 2.0);
        assert_eq!(percentile(&sorted, 0.9), 10.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(percentile(&[3.0], 0.9), 3.0);
    }
}
