//! Three ways to run each cryptographic host function, measured side by side in one run
//! (DESIGN §9, issue "Native cryptography for contracts", section Performance):
//!
//! - `native`: `shortcrust_crypto`'s implementation of the host function (the library plus the
//!   host's decoding and status checks) called directly, with the same bytes;
//! - `host`: a transaction calling the `verifier` contract (`contracts/verifier`), whose entry
//!   point decodes the raw encodings and calls the host function: the whole on-chain path
//!   (session call, instantiation, input copy, borsh decoding, price charged, the host call);
//! - `pure_plain` / `pure_wide`: the same transaction against a contract of `contracts-pure/`
//!   that does the verification itself in WASM with the same library (the pure-Rust BLS12-381 of
//!   Dusk's family for BLS, since blst does not build for wasm32), compiled without and with the
//!   WebAssembly wide-arithmetic proposal. This bench builds them on demand (see
//!   `crypto_paths/pure_build.rs`); if a build fails it says so and skips those rows.
//!
//! Cache states are explicit in each case's name. `cold`: every iteration pays what a host-cache
//! miss costs — BLS key caches emptied before each iteration (on the native and host paths
//! alike), and PLONK/Groth16 inputs rotated through more distinct verifier keys than the host's
//! LRU caches hold (16 and 32), so that every lookup misses. A pure-WASM contract has no cache,
//! so it always does the cold work: compare pure rows with the `cold` host rows. `warm`/`cached`:
//! the same key every time, the steady state of a contract verifying against one key.
//!
//! The pure contracts exceed the VM's default deploy limits (the BLS12-381/BN254 code is large
//! and the SDK's bump allocator never frees), so this bench runs a VM with raised limits
//! (`max_module_bytes` 8 MiB, `max_function_body_bytes` 2 MiB, `max_memory_pages` 2048): a
//! bench-only configuration, not the protocol's.
//!
//! Time is the benchmark thread's CPU time, not wall time (why: `crates/crypto/benches/support/cpu_time.rs`).
//!
//! At the end it prints a markdown table of this run's medians with the ratios host / native and
//! pure / host, and the fixed host-call overhead.
//!
//! Run: `cargo bench -p shortcrust-vm --bench crypto_paths -- --warm-up-time 1 --measurement-time 3`
//! (without `--bench`, as under `cargo test --all-targets`, it does nothing). Results:
//! `docs/bench-crypto-paths.md`.

#[path = "../../crypto/benches/support/cpu_time.rs"]
mod cpu_time;
#[path = "crypto_paths/pure_build.rs"]
mod pure_build;
#[path = "crypto_paths/summary.rs"]
mod summary;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::SystemTime;

use borsh::BorshSerialize;
use criterion::{BenchmarkId, Criterion};
use shortcrust_abi::{bls_aggregate_mode as mode, bls_scheme as scheme, status};
use shortcrust_store::MemoryStore;
use shortcrust_vm::{
    ContractId, DeployOptions, ModuleLimits, Session, SessionConfig, Vm, VmConfig,
};

use cpu_time::ThreadCpuTime;
use pure_build::Variant;
use summary::{Row, group_name};

#[path = "crypto_paths/fixtures.rs"]
mod fixtures;

/// Criterion measuring the benchmark thread's CPU time (see `crates/crypto/benches/support/cpu_time.rs`).
type Bench = Criterion<ThreadCpuTime>;

/// Gas of every call: far above any of them (a pure-WASM PLONK verification included).
const GAS: u64 = 1_000_000_000_000;

/// The VM, the `verifier` contract and the pure contracts that built and deployed.
struct Harness {
    session: Session,
    verifier: ContractId,
    pure: BTreeMap<(Variant, &'static str), ContractId>,
    rows: Vec<Row>,
}

/// What one row measures.
struct Spec {
    /// Host function, also the entry point of `verifier` and of the pure contract.
    function: &'static str,
    case: String,
    /// The pure contract that implements `function`, or `None` for rows where a pure contract
    /// has nothing to compare with (warm-cache rows).
    pure: Option<&'static str>,
    /// Runs before every iteration of every path (emptying key caches for cold rows).
    before: fn(),
    samples: usize,
    /// A well-formed input that must not verify, and the answer every path must give for it.
    tampered: Option<(Vec<u8>, Vec<u8>)>,
}

fn nothing() {}

impl Harness {
    fn new(pure_modules: &BTreeMap<Variant, pure_build::Modules>) -> Harness {
        let limits = ModuleLimits {
            max_module_bytes: 8 * 1024 * 1024,
            // light-poseidon builds its circomlib constants in one 1.4 MiB function.
            max_function_body_bytes: 2 * 1024 * 1024,
            max_memory_pages: 2048,
            ..ModuleLimits::default()
        };
        let config = VmConfig {
            limits,
            ..VmConfig::default()
        };
        let vm = Vm::with_store(Arc::new(MemoryStore::new()), config).expect("VM");
        let mut session = vm.session(SessionConfig::default()).expect("session");
        let verifier = session
            .deploy(
                shortcrust_test_contracts::VERIFIER,
                DeployOptions::default(),
            )
            .expect("deploying the verifier contract")
            .id;
        let mut pure = BTreeMap::new();
        for (variant, modules) in pure_modules {
            for (name, code) in modules {
                match session.deploy(code, DeployOptions::default()) {
                    Ok(deployed) => {
                        pure.insert((*variant, *name), deployed.id);
                    }
                    Err(e) => eprintln!(
                        "crypto_paths: pure-{name} ({}) does not deploy, its rows are skipped: {e}",
                        variant.name()
                    ),
                }
            }
        }
        Harness {
            session,
            verifier,
            pure,
            rows: Vec::new(),
        }
    }

    /// The output of one call, or why it failed.
    fn output(&mut self, id: ContractId, entry: &str, input: &[u8]) -> Result<Vec<u8>, String> {
        let receipt = self
            .session
            .call(id, entry, input, GAS)
            .expect("no VM fault");
        receipt.result.map_err(|e| format!("{e:?}"))
    }

    /// Measures one row: `native(i)` against `inputs[i]` through the verifier and each pure
    /// build, rotating through the inputs. Every path is first checked to give the native answer
    /// on every input (and the expected answer on the tampered one); a pure build that does not
    /// is reported and skipped, a host path that does not is a bug and panics.
    fn row<T: BorshSerialize>(
        &mut self,
        c: &mut Bench,
        spec: Spec,
        inputs: &[Vec<u8>],
        native: impl Fn(usize) -> T,
    ) {
        let function = spec.function;
        let expected: Vec<Vec<u8>> = (0..inputs.len())
            .map(|i| borsh::to_vec(&native(i)).expect("borsh"))
            .collect();
        let mut checks: Vec<(&[u8], &[u8])> = inputs
            .iter()
            .map(Vec::as_slice)
            .zip(expected.iter().map(Vec::as_slice))
            .collect();
        if let Some((input, answer)) = &spec.tampered {
            checks.push((input, answer));
        }
        for (input, answer) in &checks {
            let got = self.output(self.verifier, function, input);
            assert_eq!(
                got.as_deref(),
                Ok(*answer),
                "{function}/{}: host path",
                spec.case
            );
        }
        let mut pure_ids = Vec::new();
        for variant in Variant::ALL {
            let Some(name) = spec.pure else { continue };
            let Some(&id) = self.pure.get(&(variant, name)) else {
                continue;
            };
            let disagreement =
                checks
                    .iter()
                    .find_map(|(input, answer)| match self.output(id, function, input) {
                        Ok(got) if got == *answer => None,
                        other => Some(format!("{other:?} instead of Ok({answer:?})")),
                    });
            match disagreement {
                None => pure_ids.push((variant, id)),
                Some(why) => eprintln!(
                    "crypto_paths: skipping pure_{} {function}/{}: {why}",
                    variant.name(),
                    spec.case
                ),
            }
        }

        let count = inputs.len();
        let before = spec.before;
        let mut group = c.benchmark_group(group_name(function));
        group.sample_size(spec.samples);
        let mut next = 0usize;
        group.bench_function(BenchmarkId::new(&spec.case, "native"), |b| {
            b.iter(|| {
                before();
                next = next.wrapping_add(1);
                black_box(native(next % count))
            })
        });
        let mut measure = |path: String, id: ContractId, session: &mut Session| {
            let mut next = 0usize;
            group.bench_function(BenchmarkId::new(&spec.case, path), |b| {
                b.iter(|| {
                    before();
                    next = next.wrapping_add(1);
                    black_box(
                        session
                            .call(id, function, &inputs[next % count], GAS)
                            .expect("no VM fault"),
                    )
                })
            });
        };
        measure("host".into(), self.verifier, &mut self.session);
        for (variant, id) in pure_ids {
            measure(format!("pure_{}", variant.name()), id, &mut self.session);
        }
        group.finish();
        self.rows.push(Row {
            function,
            case: spec.case,
        });
    }
}

/// The fixed overhead of one host-function call: a contract looping 1,000 times over
/// `sha256(ptr, 0, out)`, the same loop without the call, and 1,000 native `sha256` of 0 bytes.
fn host_call_overhead(c: &mut Bench, session: &mut Session) {
    let wat = |body: &str| {
        format!(
            r#"(module
              (import "shortcrust_v1" "sha256" (func $sha256 (param i32 i32 i32)))
              (memory (export "memory") 1)
              (func (export "run") (local $i i32)
                (loop $l
                  {body}
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))))"#
        )
    };
    let mut deploy = |body: &str| {
        let code = wat::parse_str(wat(body)).expect("valid WAT");
        session
            .deploy(&code, DeployOptions::default())
            .expect("deploying the overhead loop")
            .id
    };
    let with = deploy("(call $sha256 (i32.const 0) (i32.const 0) (i32.const 64))");
    let without = deploy("");
    let receipt = session.call(with, "run", &[], GAS).expect("no VM fault");
    assert!(
        receipt.result.is_ok(),
        "overhead loop: {:?}",
        receipt.result
    );
    let mut group = c.benchmark_group(group_name("host_call_overhead"));
    group.bench_function(BenchmarkId::new("x1000", "contract_loop"), |b| {
        b.iter(|| black_box(session.call(with, "run", &[], GAS).expect("no VM fault")))
    });
    group.bench_function(
        BenchmarkId::new("x1000", "contract_loop_without_call"),
        |b| b.iter(|| black_box(session.call(without, "run", &[], GAS).expect("no VM fault"))),
    );
    group.bench_function(BenchmarkId::new("x1000", "native"), |b| {
        b.iter(|| {
            for _ in 0..1000 {
                black_box(shortcrust_crypto::sha256(black_box(&[])));
            }
        })
    });
    group.finish();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` / `--all-targets` runs this binary
    // without it. The pure contracts take minutes to build and must never be built by a test run.
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("crypto_paths: not run without --bench (use `cargo bench`): skipped");
        return;
    }
    let started = SystemTime::now();
    let mut c = Criterion::default()
        .with_measurement(ThreadCpuTime)
        .configure_from_args();

    let mut pure_modules = BTreeMap::new();
    for variant in Variant::ALL {
        eprintln!(
            "crypto_paths: building contracts-pure ({})...",
            variant.name()
        );
        match pure_build::build(variant) {
            Ok(modules) => {
                for (name, code) in &modules {
                    let wide = pure_build::wide_instructions(code)
                        .map_or_else(|e| format!("unreadable: {e}"), |n| n.to_string());
                    eprintln!(
                        "crypto_paths:   pure-{name} ({}): {} bytes, {wide} wide-arithmetic instructions",
                        variant.name(),
                        code.len()
                    );
                }
                pure_modules.insert(variant, modules);
            }
            Err(e) => eprintln!(
                "crypto_paths: SKIPPING the pure_{} rows: contracts-pure did not build.\n{e}",
                variant.name()
            ),
        }
    }

    eprintln!("crypto_paths: generating proofs and signatures...");
    let fixtures = fixtures::Fixtures::generate();
    let mut harness = Harness::new(&pure_modules);
    fixtures.bench_all(&mut c, &mut harness);
    host_call_overhead(&mut c, &mut harness.session);

    c.final_summary();
    summary::print_table(&harness.rows, started);
    summary::print_overhead(&group_name("host_call_overhead"), started, 1000.0);
}

/// `status` as the contracts return it (borsh `i32`).
fn status_output(code: i32) -> Vec<u8> {
    borsh::to_vec(&code).expect("borsh")
}

/// The statuses every `tampered` input must give.
const INVALID: i32 = status::INVALID;
/// Schemes and modes as the ABI numbers them.
const IETF: i32 = scheme::IETF_MIN_PK_POP;
const DUSK: i32 = scheme::DUSK_MIN_SIG;
const FAST: i32 = mode::FAST;
const DISTINCT: i32 = mode::DISTINCT;
