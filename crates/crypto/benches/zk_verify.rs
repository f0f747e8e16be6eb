//! Criterion benches behind the gas constants of `verify_plonk` and `verify_groth16_bn254`.
//!
//! Run (short, as the gas constants were measured):
//! `cargo bench -p shortcrust-crypto --features testkit --bench zk_verify -- --warm-up-time 1 --measurement-time 3`
//!
//! - `*/from_bytes/N`: the `*_uncached` entry point, i.e. exactly the work of a cache miss
//!   (hash, decode and check the key, prepare it, verify), with `N` public inputs. The price must
//!   cover this case, so the constants come from it: with `t(N)` the median, the base is `t(1)`
//!   (which covers `N = 0`) and the per-input constant `max over N in {16, 256} of
//!   (t(N) - t(1)) / (N - 1)`, so that `base + per_input × N ≥ t(N)` at every measured `N`. The
//!   public inputs enter one multi-scalar multiplication, whose cost per point falls as `N` grows,
//!   so the line also stays above the cost up to the limit of 1024 inputs.
//! - `*/cached/N`: the public entry point with the decoded key cached (what a busy contract
//!   sees).
//! - `plonk/label_256KiB`: from bytes with a 256 KiB transcript label, for the per-KiB constant.

//!
//! Time is the benchmark thread's **CPU time** (`CLOCK_THREAD_CPUTIME_ID`), not wall time: the
//! verifications are single-threaded, so on an idle node the two agree, while on the shared
//! development machine (other builds running) wall time mostly measures the scheduler.

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shortcrust_crypto::{groth16, plonk};
use std::hint::black_box;

/// Criterion measurement of the calling thread's CPU time, in nanoseconds.
struct ThreadCpuTime;

fn thread_cpu_nanos() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable `timespec`, and CLOCK_THREAD_CPUTIME_ID is supported on
    // every Linux this bench runs on; the return value is checked.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_nanos()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_nanos().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuNanosFormatter
    }
}

/// Prints CPU nanoseconds like criterion prints wall time.
struct CpuNanosFormatter;

impl ValueFormatter for CpuNanosFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns")
        } else if typical < 1e6 {
            (1e-3, "µs")
        } else {
            (1e-6, "ms")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(&self, _: f64, _: &Throughput, _: &mut [f64]) -> &'static str {
        "ns"
    }
    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn bench_plonk(c: &mut Criterion<ThreadCpuTime>) {
    let mut group = c.benchmark_group("plonk");
    group.sample_size(20);
    for n in [1usize, 16, 256] {
        let input = plonk::testkit::fixture(1, n);
        assert_eq!(input.verify(), 1);
        group.bench_with_input(BenchmarkId::new("from_bytes", n), &input, |b, input| {
            b.iter(|| {
                black_box(plonk::verify_plonk_uncached(
                    &input.verifier_data,
                    &input.proof,
                    &input.public_inputs,
                ))
            })
        });
        group.bench_with_input(BenchmarkId::new("cached", n), &input, |b, input| {
            b.iter(|| black_box(input.verify()))
        });
    }
    let long_label = vec![0x5a; 256 * 1024];
    let input = plonk::testkit::SquareRootsCircuit::setup_with_label(1, 1, &long_label).prove(1);
    assert_eq!(input.verify(), 1);
    group.bench_function("label_256KiB", |b| {
        b.iter(|| {
            black_box(plonk::verify_plonk_uncached(
                &input.verifier_data,
                &input.proof,
                &input.public_inputs,
            ))
        })
    });
    group.finish();
}

fn bench_groth16(c: &mut Criterion<ThreadCpuTime>) {
    let mut group = c.benchmark_group("groth16");
    group.sample_size(30);
    for n in [0usize, 1, 16, 256] {
        let input = groth16::testkit::fixture(1, n);
        assert_eq!(input.verify(), 1);
        group.bench_with_input(BenchmarkId::new("from_bytes", n), &input, |b, input| {
            b.iter(|| {
                black_box(groth16::verify_groth16_bn254_uncached(
                    &input.verifying_key,
                    &input.proof,
                    &input.public_inputs,
                ))
            })
        });
        group.bench_with_input(BenchmarkId::new("cached", n), &input, |b, input| {
            b.iter(|| black_box(input.verify()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = bench_groth16, bench_plonk
}
criterion_main!(benches);
