//! `shortcrust calibrate [--quick]`: checks the gas schedule against this machine (DESIGN §5:
//! one gas unit should buy about the same native time whether it is spent on WASM instructions
//! or on host functions).
//!
//! 1. **WASM**: the `compute` contract's `field_iterate` and `mix_iterate` run through the VM at
//!    several round counts; the slope of time over gas spent is the nanoseconds one gas of WASM
//!    buys (the fixed cost of a call drops out of the slope). The rate used below is the mean of
//!    the two entry points' slopes.
//! 2. **Host functions**: each cryptographic host function's native implementation
//!    (`shortcrust_crypto`) is timed over several input sizes in the unit of its price (32-byte
//!    words for hashes and messages, public inputs for PLONK and Groth16, keys for BLS
//!    aggregates, ...), on the **cold path** the prices are meant to cover: PLONK and Groth16
//!    keys decoded and checked on every call (`*_uncached`), BLS key caches emptied before every
//!    call. A least-squares line `base + per_unit × units` is fitted through the medians.
//! 3. The fitted line is converted to gas at the measured WASM rate and at the frozen
//!    `GAS_PER_NANOSECOND`, and printed beside the schedule in force (probed from the pricing
//!    functions, as `shortcrust gas` does), with the ratio in-force / fitted at the measured
//!    sizes. An entry is flagged **under-priced** when the price in force is below the fitted
//!    cost at some size (a gas unit there buys more native time than a gas unit of WASM: a
//!    denial-of-service risk), and **over 3×** when it is more than three times the fitted cost.
//!    Those flags use the measured WASM rate (benign WASM: under schedule v2, which prices each
//!    instruction class for its worst case, benign code buys less native time per gas than the
//!    unit, so they compare with a deliberately over-charged baseline). The **fairness** column
//!    is the one the schedule answers to: measured native time over the time the price buys at
//!    the unit (`GAS_PER_NANOSECOND`), the same ratio as `calibrate --workloads`, with the same
//!    goal of 0.5–2 at every measured size.
//!
//! Calibrate only reports: the schedule is frozen in code and a change to it is a new protocol
//! version.

use clap::Args;
use serde_json::{Value, json};
use shortcrust_abi::status::VALID;
use shortcrust_abi::{bls_aggregate_mode as mode, bls_scheme as scheme};
use shortcrust_crypto::gas::GAS_PER_NANOSECOND;
use shortcrust_crypto::{self as crypto, groth16, plonk};
use shortcrust_vm::gas::Schedule;
use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

use crate::error::CliError;
use crate::fixtures;
use crate::format::{Align, Table, gas, labelled};
use crate::gas::crypto_formulas;
use crate::measure::{Clock, Effort, Line, Progress, duration, fit, per_call};
use crate::report::Report;
use crate::run::DEFAULT_CALL_GAS;

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// A short run (seconds, not minutes): fewer sizes and fewer samples.
    #[arg(long)]
    pub quick: bool,
    /// Measure the adversarial workload suite instead (`workloads`): each cost driver's worst
    /// case as native time per gas over the unit.
    #[arg(long)]
    pub workloads: bool,
    /// Protocol version whose gas schedule the workloads run under and whose host-function
    /// prices are in force (default: the newest).
    #[arg(long, default_value_t = shortcrust_abi::LATEST_PROTOCOL_VERSION)]
    pub protocol: u32,
    /// With `--workloads`: run only these workloads (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// With `--workloads`: also count each loop's retired instructions under valgrind's
    /// callgrind (repeatable on a noisy machine, where time is not; slow, and needs `valgrind`).
    #[arg(long)]
    pub instructions: bool,
    /// With `--workloads`: keys of the on-disk state the cold-storage workloads read and write
    /// (default 10⁶, the state the v2 read price is set for, `--quick` included; at least 1).
    /// A smaller state reads faster per read, so its ratio is not that of the price's state:
    /// for tests.
    #[arg(
        long,
        default_value_t = crate::workloads::STATE_KEYS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub state_keys: u64,
    /// Internal (used under valgrind by `--instructions`): run the one workload of `--only`
    /// once with this many iterations and print its gas.
    #[arg(long, hide = true)]
    pub run_once: Option<u64>,
}

/// A price in force more than this many times the fitted cost is flagged.
const OVER_PRICED_FACTOR: f64 = 3.0;

/// Seed of the PLONK and Groth16 fixtures.
const SEED: u64 = 7;

/// One host-function call ready to time: it returns the host's status, and costs `price` gas
/// in the schedule in force.
struct Prepared {
    run: Box<dyn FnMut() -> i32>,
    price: u64,
}

/// A host function (or one scheme/mode of it) to calibrate over unit counts.
struct Case {
    function: &'static str,
    variant: &'static str,
    /// The unit of the first term of its price, as `shortcrust gas` names it (`""`: flat price).
    unit: &'static str,
    counts: Vec<u64>,
    prepare: Box<dyn Fn(u64) -> Result<Prepared, CliError>>,
}

const WORD: &str = "32-byte word of input";
const MESSAGE_WORD: &str = "32-byte word of message";

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The host's status for a function that returns a value or a status.
fn status_of<T>(result: Result<T, i32>) -> i32 {
    match result {
        Ok(value) => {
            std::hint::black_box(value);
            VALID
        }
        Err(code) => code,
    }
}

fn byte_hash(
    function: &'static str,
    hash: fn(&[u8]) -> [u8; 32],
    price: fn(usize) -> u64,
    counts: Vec<u64>,
) -> Case {
    Case {
        function,
        variant: "",
        unit: WORD,
        counts,
        prepare: Box::new(move |words| {
            let input = fixtures::bytes(usize_of(words) * 32);
            Ok(Prepared {
                price: price(input.len()),
                run: Box::new(move || status_of(Ok::<_, i32>(hash(&input)))),
            })
        }),
    }
}

/// Every case, in the ABI table's order, with the sizes for this effort.
fn cases(effort: &Effort) -> Vec<Case> {
    let words = effort.pick(vec![1, 32, 128, 512], vec![1, 32]);
    let mut cases = vec![
        byte_hash(
            "blake2b_256",
            crypto::blake2b_256,
            crypto::blake2b_256_gas,
            words.clone(),
        ),
        byte_hash("sha256", crypto::sha256, crypto::sha256_gas, words.clone()),
        byte_hash(
            "keccak256",
            crypto::keccak256,
            crypto::keccak256_gas,
            words.clone(),
        ),
        byte_hash(
            "hash_to_scalar",
            crypto::hash_to_scalar,
            crypto::hash_to_scalar_gas,
            words,
        ),
        Case {
            function: "poseidon_hash",
            variant: "",
            unit: "input after the first",
            counts: effort.pick(vec![0, 3, 4, 15, 31, 63], vec![0, 4]),
            prepare: Box::new(|extra| {
                let input = fixtures::bls_scalars(usize_of(extra) + 1);
                Ok(Prepared {
                    price: crypto::poseidon_hash_gas(input.len()),
                    run: Box::new(move || status_of(crypto::poseidon_hash(&input))),
                })
            }),
        },
        Case {
            function: "poseidon_bn254",
            variant: "",
            unit: "input after the first",
            counts: effort.pick(vec![0, 3, 7, 11], vec![0, 11]),
            prepare: Box::new(|extra| {
                let input = fixtures::bn254_elements(usize_of(extra) + 1);
                Ok(Prepared {
                    price: crypto::poseidon_bn254_gas(input.len()),
                    run: Box::new(move || status_of(crypto::poseidon_bn254(&input))),
                })
            }),
        },
        Case {
            function: "verify_plonk",
            variant: "",
            unit: "public input",
            counts: effort.pick(vec![1, 16, 64, 256], vec![1, 4]),
            prepare: Box::new(|n| {
                let input = plonk::testkit::fixture(SEED, usize_of(n));
                Ok(Prepared {
                    price: input.gas(),
                    run: Box::new(move || {
                        plonk::verify_plonk_uncached(
                            &input.verifier_data,
                            &input.proof,
                            &input.public_inputs,
                        )
                    }),
                })
            }),
        },
        Case {
            function: "verify_groth16_bn254",
            variant: "",
            unit: "public input",
            counts: effort.pick(vec![0, 1, 16, 64, 256], vec![0, 4]),
            prepare: Box::new(|n| {
                let input = groth16::testkit::fixture(SEED, usize_of(n));
                Ok(Prepared {
                    price: input.gas(),
                    run: Box::new(move || {
                        groth16::verify_groth16_bn254_uncached(
                            &input.verifying_key,
                            &input.proof,
                            &input.public_inputs,
                        )
                    }),
                })
            }),
        },
        Case {
            function: "verify_schnorr",
            variant: "",
            unit: "",
            counts: vec![0],
            prepare: Box::new(|_| {
                let s = fixtures::schnorr();
                Ok(Prepared {
                    price: crypto::verify_schnorr_gas(s.pk.len(), s.msg.len(), s.sig.len()),
                    run: Box::new(move || crypto::verify_schnorr(&s.pk, &s.msg, &s.sig)),
                })
            }),
        },
    ];
    let message_words = effort.pick(vec![1, 32, 128], vec![1, 8]);
    cases.push(Case {
        function: "verify_bip340",
        variant: "",
        unit: MESSAGE_WORD,
        counts: message_words.clone(),
        prepare: Box::new(|words| {
            let s = fixtures::bip340(usize_of(words) * 32)?;
            Ok(Prepared {
                price: crypto::verify_bip340_gas(s.pk.len(), s.msg.len(), s.sig.len()),
                run: Box::new(move || crypto::verify_bip340(&s.pk, &s.msg, &s.sig)),
            })
        }),
    });
    cases.push(Case {
        function: "verify_ed25519",
        variant: "",
        unit: MESSAGE_WORD,
        counts: message_words.clone(),
        prepare: Box::new(|words| {
            let s = fixtures::ed25519(usize_of(words) * 32);
            Ok(Prepared {
                price: crypto::verify_ed25519_gas(s.pk.len(), s.msg.len(), s.sig.len()),
                run: Box::new(move || crypto::verify_ed25519(&s.pk, &s.msg, &s.sig)),
            })
        }),
    });
    for (variant, bls_scheme) in [
        ("ietf", scheme::IETF_MIN_PK_POP),
        ("dusk", scheme::DUSK_MIN_SIG),
    ] {
        cases.push(Case {
            function: "verify_bls",
            variant,
            unit: MESSAGE_WORD,
            counts: message_words.clone(),
            prepare: Box::new(move |words| {
                let s = fixtures::bls(bls_scheme, usize_of(words) * 32)?;
                Ok(Prepared {
                    price: crypto::verify_bls_gas(bls_scheme, s.pk.len(), s.msg.len(), s.sig.len()),
                    run: Box::new(move || {
                        crypto::bls::clear_key_caches();
                        crypto::verify_bls(bls_scheme, &s.pk, &s.msg, &s.sig)
                    }),
                })
            }),
        });
    }
    let keys = effort.pick(vec![1, 8, 32, 64, 128], vec![1, 4]);
    for (variant, bls_scheme, bls_mode) in [
        ("ietf fast", scheme::IETF_MIN_PK_POP, mode::FAST),
        ("ietf distinct", scheme::IETF_MIN_PK_POP, mode::DISTINCT),
        ("dusk fast", scheme::DUSK_MIN_SIG, mode::FAST),
        ("dusk distinct", scheme::DUSK_MIN_SIG, mode::DISTINCT),
    ] {
        cases.push(Case {
            function: "verify_bls_aggregate",
            variant,
            unit: "public key",
            counts: keys.clone(),
            prepare: Box::new(move |n| {
                let s = fixtures::bls_aggregate(bls_scheme, bls_mode, usize_of(n))?;
                let price = crypto::verify_bls_aggregate_gas(
                    bls_scheme,
                    bls_mode,
                    s.pk.len(),
                    s.msg.len(),
                    s.sig.len(),
                );
                Ok(Prepared {
                    price,
                    run: Box::new(move || {
                        crypto::bls::clear_key_caches();
                        crypto::verify_bls_aggregate(bls_scheme, bls_mode, &s.pk, &s.msg, &s.sig)
                    }),
                })
            }),
        });
    }
    cases
}

/// One measured size: unit count, median native nanoseconds, price in force.
struct Point {
    units: u64,
    ns: f64,
    price: u64,
}

/// A calibrated case: its measurements and the fitted line (nanoseconds).
struct Calibrated {
    function: &'static str,
    variant: &'static str,
    unit: &'static str,
    points: Vec<Point>,
    fit_ns: Line,
}

/// `(min, max)` of in-force / fitted over the measured sizes where the fitted cost is positive.
fn ratio_range(points: &[Point], fitted_gas: Line) -> Option<(f64, f64)> {
    points
        .iter()
        .filter_map(|p| {
            let cost = fitted_gas.at(p.units as f64);
            (cost > 0.0).then(|| p.price as f64 / cost)
        })
        .fold(None, |range, r| match range {
            None => Some((r, r)),
            Some((lo, hi)) => Some((f64::min(lo, r), f64::max(hi, r))),
        })
}

/// The verdict on a fairness range (native time over the time the price buys at the unit):
/// the goal is 0.5–2 at every size, as for the workloads.
fn fairness_verdict(range: Option<(f64, f64)>) -> &'static str {
    match range {
        Some((_, hi)) if hi > 2.0 => "UNDER-CHARGED",
        Some((lo, _)) if lo < 0.5 => "over-charged",
        Some(_) => "within 0.5–2",
        None => "no positive fit",
    }
}

fn flag(range: Option<(f64, f64)>) -> &'static str {
    match range {
        Some((lo, _)) if lo < 1.0 => "under-priced",
        Some((_, hi)) if hi > OVER_PRICED_FACTOR => "over 3×",
        Some(_) => "ok",
        None => "no positive fit",
    }
}

fn measure_case(
    case: &Case,
    schedule: Schedule,
    effort: &Effort,
    progress: &Progress,
) -> Result<Calibrated, CliError> {
    let mut points = Vec::with_capacity(case.counts.len());
    for &units in &case.counts {
        let name = format!("{} {}", case.function, case.variant);
        progress.start(format!(
            "{} ({units} × {})",
            name.trim(),
            unit_or_call(case.unit)
        ));
        let mut prepared = (case.prepare)(units)?;
        let verdict = (prepared.run)();
        if verdict != VALID {
            return Err(CliError::Measurement(format!(
                "{} at {units} units: the fixture returned status {verdict}, not valid",
                name.trim()
            )));
        }
        let ns = per_call(Clock::ThreadCpu, effort, &mut prepared.run);
        points.push(Point {
            units,
            ns,
            price: schedule.crypto_gas(prepared.price),
        });
        progress.done();
    }
    let fit_ns = fit(&points
        .iter()
        .map(|p| (p.units as f64, p.ns))
        .collect::<Vec<_>>());
    Ok(Calibrated {
        function: case.function,
        variant: case.variant,
        unit: case.unit,
        points,
        fit_ns,
    })
}

fn unit_or_call(unit: &str) -> &str {
    if unit.is_empty() { "call" } else { unit }
}

/// The measured time of one entry point of the `compute` contract at several round counts.
pub struct WasmRate {
    pub entry: &'static str,
    /// `(rounds, gas spent, median ns)`.
    pub points: Vec<(u64, u64, f64)>,
    /// Nanoseconds over gas.
    pub fit: Line,
}

/// Times `compute`'s entry points through the VM (see the module docs, step 1).
fn measure_wasm(effort: &Effort, progress: &Progress) -> Result<Vec<WasmRate>, CliError> {
    let vm = Vm::ephemeral()?;
    let mut session = vm.session(SessionConfig::default())?;
    let compute = session
        .deploy(shortcrust_test_contracts::COMPUTE, DeployOptions::default())
        .map_err(|e| CliError::Measurement(format!("deploying the compute contract: {e}")))?
        .id;
    let mut rates = Vec::new();
    for entry in ["field_iterate", "mix_iterate"] {
        let mut points = Vec::new();
        for rounds in effort.pick(
            [250_000u64, 500_000, 1_000_000, 2_000_000].as_slice(),
            [20_000, 80_000].as_slice(),
        ) {
            progress.start(format!("WASM {entry} ({rounds} rounds)"));
            let input = borsh::to_vec(&(12_345u64, *rounds))
                .map_err(|e| CliError::Measurement(e.to_string()))?;
            let receipt = session.call(compute, entry, &input, DEFAULT_CALL_GAS)?;
            if let Err(e) = receipt.result {
                return Err(CliError::Measurement(format!("compute.{entry}: {e}")));
            }
            let ns = per_call(Clock::ThreadCpu, effort, || {
                session.call(compute, entry, &input, DEFAULT_CALL_GAS)
            });
            points.push((*rounds, receipt.gas_spent, ns));
            progress.done();
        }
        let fit = fit(&points.iter().map(|p| (p.1 as f64, p.2)).collect::<Vec<_>>());
        rates.push(WasmRate { entry, points, fit });
    }
    Ok(rates)
}

/// Runs the calibration and reports it.
pub fn calibrate(args: &CalibrateArgs) -> Result<Report, CliError> {
    let effort = Effort::new(args.quick);
    if args.workloads {
        if let Some(iterations) = args.run_once {
            return crate::workloads::run_once(args.protocol, &args.only, iterations);
        }
        return crate::workloads::run(
            &effort,
            args.protocol,
            &args.only,
            args.instructions,
            args.state_keys,
        );
    }
    let schedule = Schedule::for_protocol(args.protocol).ok_or_else(|| {
        CliError::Measurement(format!("no gas schedule for protocol {}", args.protocol))
    })?;
    let cases = cases(&effort);
    let wasm_steps = effort.pick(8, 4);
    let steps = wasm_steps + cases.iter().map(|c| c.counts.len() as u64).sum::<u64>();
    let progress = Progress::new("calibrate", steps);
    let wasm = measure_wasm(&effort, &progress)?;
    let calibrated = cases
        .iter()
        .map(|case| measure_case(case, schedule, &effort, &progress))
        .collect::<Result<Vec<_>, _>>()?;
    progress.finish();
    let ns_per_gas = wasm.iter().map(|w| w.fit.per_unit).sum::<f64>() / wasm.len().max(1) as f64;
    if ns_per_gas <= 0.0 {
        return Err(CliError::Measurement(format!(
            "WASM time did not grow with gas ({ns_per_gas} ns per gas)"
        )));
    }
    Ok(report(&effort, schedule, &wasm, ns_per_gas, &calibrated))
}

/// The schedule in force for a case: `(base, per unit of its first term)`.
fn in_force(schedule: Schedule, function: &str, variant: &str) -> Option<(u64, u64)> {
    crypto_formulas(schedule)
        .into_iter()
        .find(|f| f.function == function && f.variant == variant)
        .map(|f| (f.base, f.terms.first().map_or(0, |t| t.0)))
}

fn line_json(line: Line) -> Value {
    json!({"base": line.base, "per_unit": line.per_unit})
}

fn range_json(range: Option<(f64, f64)>) -> Value {
    range.map_or(Value::Null, |(lo, hi)| json!({"min": lo, "max": hi}))
}

fn range_text(range: Option<(f64, f64)>) -> String {
    match range {
        Some((lo, hi)) => {
            let (lo, hi) = (format!("{lo:.2}"), format!("{hi:.2}"));
            if lo == hi { lo } else { format!("{lo}–{hi}") }
        }
        None => "—".into(),
    }
}

/// Gas from a fitted (possibly negative) figure, rounded.
fn signed_gas(value: f64) -> String {
    let rounded = value.round();
    if rounded < 0.0 {
        format!("−{}", gas(rounded.abs() as u64))
    } else {
        gas(rounded as u64)
    }
}

fn report(
    effort: &Effort,
    prices: Schedule,
    wasm: &[WasmRate],
    ns_per_gas: f64,
    calibrated: &[Calibrated],
) -> Report {
    let gas_per_ns = 1.0 / ns_per_gas;
    let frozen = GAS_PER_NANOSECOND as f64;

    let mut wasm_table = Table::new(&[
        ("entry", Align::Left),
        ("rounds", Align::Right),
        ("gas", Align::Right),
        ("time", Align::Right),
        ("ns / gas", Align::Right),
    ]);
    for rate in wasm {
        for (rounds, spent, ns) in &rate.points {
            wasm_table.row(vec![
                rate.entry.into(),
                gas(*rounds),
                gas(*spent),
                duration(*ns),
                format!("{:.3}", ns / *spent as f64),
            ]);
        }
        wasm_table.row(vec![
            format!("{} (slope)", rate.entry),
            String::new(),
            String::new(),
            String::new(),
            format!("{:.3}", rate.fit.per_unit),
        ]);
    }

    let mut native = Table::new(&[
        ("host function", Align::Left),
        ("variant", Align::Left),
        ("unit", Align::Left),
        ("sizes", Align::Right),
        ("base", Align::Right),
        ("per unit", Align::Right),
    ]);
    let mut schedule = Table::new(&[
        ("host function", Align::Left),
        ("variant", Align::Left),
        ("fitted base", Align::Right),
        ("fitted per unit", Align::Right),
        ("in force base", Align::Right),
        ("in force per unit", Align::Right),
        ("in force / fitted", Align::Right),
        ("flag", Align::Left),
        ("fairness (unit)", Align::Right),
        ("verdict", Align::Left),
    ]);
    let mut functions = Vec::new();
    let (mut flagged, mut flagged_frozen) = (0, 0);
    for c in calibrated {
        let fitted = c.fit_ns.scaled(gas_per_ns);
        let fitted_frozen = c.fit_ns.scaled(frozen);
        let ratios = ratio_range(&c.points, fitted);
        let ratios_frozen = ratio_range(&c.points, fitted_frozen);
        let (force_base, force_per) = in_force(prices, c.function, c.variant).unwrap_or((0, 0));
        let verdict = flag(ratios);
        flagged += usize::from(verdict != "ok");
        let fairness = ratios_frozen.map(|(lo, hi)| (1.0 / hi, 1.0 / lo));
        let fair_verdict = fairness_verdict(fairness);
        flagged_frozen += usize::from(fair_verdict != "within 0.5–2");
        let sizes = match (c.points.first(), c.points.last()) {
            (Some(a), Some(b)) if a.units != b.units => format!("{}–{}", a.units, b.units),
            (Some(a), _) => a.units.to_string(),
            _ => String::new(),
        };
        let per_unit_ns = if c.unit.is_empty() {
            "—".to_string()
        } else {
            duration(c.fit_ns.per_unit)
        };
        native.row(vec![
            c.function.into(),
            c.variant.into(),
            unit_or_call(c.unit).into(),
            sizes,
            duration(c.fit_ns.base),
            per_unit_ns,
        ]);
        schedule.row(vec![
            c.function.into(),
            c.variant.into(),
            signed_gas(fitted.base),
            signed_gas(fitted.per_unit),
            gas(force_base),
            gas(force_per),
            range_text(ratios),
            verdict.into(),
            range_text(fairness),
            fair_verdict.into(),
        ]);
        functions.push(json!({
            "function": c.function,
            "variant": c.variant,
            "unit": c.unit,
            "points": c.points.iter().map(|p| json!({
                "units": p.units, "ns": p.ns, "gas_in_force": p.price,
            })).collect::<Vec<_>>(),
            "fitted_ns": line_json(c.fit_ns),
            "fitted_gas": line_json(fitted),
            "fitted_gas_frozen_rate": line_json(fitted_frozen),
            "in_force": {"base": force_base, "per_unit": force_per},
            "ratio": range_json(ratios),
            "ratio_frozen_rate": range_json(ratios_frozen),
            "flag": verdict,
            "fairness": range_json(fairness),
            "fairness_verdict": fair_verdict,
        }));
    }

    let header = labelled(&[
        (
            "run".into(),
            format!(
                "{}; {}, medians of repeated runs",
                if effort.quick { "quick" } else { "full" },
                Clock::ThreadCpu.name()
            ),
        ),
        (
            "WASM rate".into(),
            format!(
                "{ns_per_gas:.3} ns per gas = {gas_per_ns:.2} gas per ns (mean slope of {})",
                wasm.iter()
                    .map(|w| w.entry)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        ),
        (
            "frozen rate".into(),
            format!("{GAS_PER_NANOSECOND} gas per ns (shortcrust_crypto::gas::GAS_PER_NANOSECOND)"),
        ),
    ]);
    let text = format!(
        "{header}\nWASM execution (compute contract through the VM: fuel metering and stack instrumentation)\n{}\n\
         Native cost of the cryptographic host functions (cold path; least-squares fit of the medians)\n{}\n\
         Schedule: fitted (at the measured WASM rate) beside the one in force, in gas; ratios at the measured sizes\n{}\n\
         Flagged: {flagged} of {n} entries at the measured WASM rate (under-priced: in force below the fitted cost; \
         over 3×: more than {OVER_PRICED_FACTOR}× above); {flagged_frozen} of {n} outside 0.5–2 of the unit \
         (fairness = native time / the time the price buys at {GAS_PER_NANOSECOND} gas per ns).\n\
         The schedule is frozen in code; calibrate only reports. Each call also pays HOST_CALL_BASE = {}.\n",
        wasm_table.render(),
        native.render(),
        schedule.render(),
        shortcrust_vm::gas::HOST_CALL_BASE,
        n = calibrated.len(),
    );
    let json = json!({
        "ok": true,
        "error": null,
        "quick": effort.quick,
        "clock": Clock::ThreadCpu.name(),
        "gas_per_nanosecond_frozen": GAS_PER_NANOSECOND,
        "over_priced_factor": OVER_PRICED_FACTOR,
        "wasm": {
            "ns_per_gas": ns_per_gas,
            "gas_per_ns": gas_per_ns,
            "entries": wasm.iter().map(|w| json!({
                "entry": w.entry,
                "ns_per_gas": w.fit.per_unit,
                "fixed_ns": w.fit.base,
                "points": w.points.iter().map(|(rounds, spent, ns)| json!({
                    "rounds": rounds, "gas": spent, "ns": ns,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "host_functions": functions,
        "flagged": flagged,
        "flagged_frozen_rate": flagged_frozen,
    });
    Report {
        json,
        text,
        success: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case measures in the unit of the first term of the price in force, and every
    /// cryptographic formula `shortcrust gas` prints is calibrated.
    #[test]
    fn cases_match_the_schedule_in_force() {
        let formulas = crypto_formulas(Schedule::V2);
        let all = cases(&Effort::new(false));
        for f in &formulas {
            let case = all
                .iter()
                .find(|c| c.function == f.function && c.variant == f.variant);
            let case =
                case.unwrap_or_else(|| panic!("{} {} not calibrated", f.function, f.variant));
            assert_eq!(
                case.unit,
                f.terms.first().map_or("", |t| t.1),
                "{}",
                f.function
            );
        }
        assert_eq!(all.len(), formulas.len());
    }

    #[test]
    fn flags_and_ratios() {
        let points = [
            Point {
                units: 1,
                ns: 0.0,
                price: 90,
            },
            Point {
                units: 3,
                ns: 0.0,
                price: 400,
            },
        ];
        // Fitted cost 100 per unit: the price is below it at one unit, above at three.
        let line = Line {
            base: 0.0,
            per_unit: 100.0,
        };
        let range = ratio_range(&points, line);
        assert_eq!(range, Some((0.9, 400.0 / 300.0)));
        assert_eq!(flag(range), "under-priced");
        assert_eq!(flag(Some((1.1, 3.5))), "over 3×");
        assert_eq!(flag(Some((1.0, 3.0))), "ok");
        assert_eq!(fairness_verdict(Some((0.6, 1.9))), "within 0.5–2");
        assert_eq!(fairness_verdict(Some((0.6, 2.1))), "UNDER-CHARGED");
        assert_eq!(fairness_verdict(Some((0.4, 1.0))), "over-charged");
        let negative = Line {
            base: -50.0,
            per_unit: 0.0,
        };
        assert_eq!(ratio_range(&points, negative), None);
        assert_eq!(signed_gas(-1234.4), "−1,234");
        assert_eq!(range_text(Some((1.431, 1.434))), "1.43");
        assert_eq!(range_text(range), "0.90–1.33");
        assert_eq!(range_text(None), "—");
    }
}
