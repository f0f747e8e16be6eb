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

#[path = "support/cpu_time.rs"]
mod cpu_time;

use cpu_time::ThreadCpuTime;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shortcrust_crypto::{groth16, plonk};
use std::hint::black_box;

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
