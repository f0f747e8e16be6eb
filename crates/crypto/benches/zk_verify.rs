//! Criterion benches behind the gas constants of `verify_plonk` and `verify_groth16_bn254`.
//!
//! Run (short, as the gas constants were measured):
//! `cargo bench -p shortcrust-crypto --features testkit --bench zk_verify -- --warm-up-time 1 --measurement-time 3`
//!
//! - `*/from_bytes/N`: the `*_uncached` entry point, i.e. exactly the work of a cache miss
//!   (hash, decode and check the key, prepare it, verify), with `N` public inputs. The price must
//!   cover this case; the base and per-input constants come from it.
//! - `*/cached/N`: the public entry point with the decoded key cached (what a busy contract
//!   sees).
//! - `plonk/label_64KiB`: from bytes with a 64 KiB transcript label, for the per-byte constant.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shortcrust_crypto::{groth16, plonk};
use std::hint::black_box;

fn bench_plonk(c: &mut Criterion) {
    let mut group = c.benchmark_group("plonk");
    group.sample_size(20);
    for n in [1usize, 64] {
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
    let long_label = vec![0x5a; 64 * 1024];
    let input = plonk::testkit::SquareRootsCircuit::setup_with_label(1, 1, &long_label).prove(1);
    assert_eq!(input.verify(), 1);
    group.bench_function("label_64KiB", |b| {
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

fn bench_groth16(c: &mut Criterion) {
    let mut group = c.benchmark_group("groth16");
    group.sample_size(30);
    for n in [0usize, 1, 64] {
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

criterion_group!(benches, bench_groth16, bench_plonk);
criterion_main!(benches);
