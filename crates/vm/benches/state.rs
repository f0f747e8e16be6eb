//! State-path benchmarks on the persistent store (issue "Persistent state"): a transaction end
//! to end (new session from head, one token transfer, commit) and a VM restart on a large state
//! (reopen, first call, no recompilation).
//!
//! `cargo bench -p shortcrust-vm --bench state` (builds a state of `SHORTCRUST_BENCH_KEYS` keys,
//! default 1,000,000, once per run; set it lower for a quick run).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use shortcrust_store::{ChangeSet, PersistentStore, Store};
use shortcrust_vm::{ContractId, DeployOptions, SessionConfig, Vm};

const GAS: u64 = 100_000_000;
const OWNER: [u8; 32] = [1; 32];

fn keys() -> u64 {
    std::env::var("SHORTCRUST_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// A state directory holding `n` filler keys (in another contract id's storage), a counter and a
/// token with a funded owner.
fn build_state(dir: &std::path::Path, n: u64) -> (ContractId, ContractId) {
    let (counter, token) = {
        let vm = Vm::open(dir).unwrap();
        let mut s = vm.session(SessionConfig::default()).unwrap();
        let counter = s
            .deploy(shortcrust_test_contracts::COUNTER, DeployOptions::default())
            .unwrap()
            .id;
        let token = s
            .deploy(
                shortcrust_test_contracts::TOKEN,
                DeployOptions {
                    owner: OWNER,
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        let mut ctx = s.context().clone();
        ctx.sender = OWNER;
        s.set_context(ctx);
        let init = s
            .call(
                token,
                "init",
                &borsh::to_vec(&1_000_000_000u64).unwrap(),
                GAS,
            )
            .expect("no VM fault");
        init.result.expect("token init");
        s.commit().unwrap();
        (counter, token)
    };
    // Filler keys straight through the store, in batches (the VM is closed meanwhile).
    let store = PersistentStore::open(dir.join("state")).unwrap();
    let filler = counter; // the counter's storage holds the filler keys beside its count
    let mut written = 0;
    while written < n {
        let batch = (n - written).min(100_000);
        let mut changes = ChangeSet::default();
        for i in written..written + batch {
            changes.storage.insert(
                (filler, i.to_be_bytes().to_vec()),
                Some(i.to_le_bytes().to_vec()),
            );
        }
        let head = store.head().unwrap();
        store.commit(&head, &changes).unwrap();
        written += batch;
    }
    (counter, token)
}

fn state(c: &mut Criterion) {
    let n = keys();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (counter, token) = build_state(dir.path(), n);
    eprintln!("built a state of {n} keys in {:.1?}", started.elapsed());

    // Restart: open the VM, serve the first call. The module comes from the disk cache.
    let mut g = c.benchmark_group(format!("state_{n}_keys"));
    g.sample_size(10);
    g.bench_function("reopen_and_first_call", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let vm = Vm::open(dir.path()).unwrap();
                let mut s = vm.session(SessionConfig::default()).unwrap();
                let r = s.query(counter, "get", &[], GAS).expect("no VM fault");
                total += start.elapsed();
                r.result.expect("first call");
                assert_eq!(
                    vm.cache_stats().compiled,
                    0,
                    "no recompilation after a restart"
                );
            }
            total
        })
    });
    g.finish();

    let transfer = borsh::to_vec(&([2u8; 32], 1u64)).unwrap();
    let mut g = c.benchmark_group(format!("state_{n}_keys"));
    for durable in [true, false] {
        let options = shortcrust_vm::OpenOptions {
            durable_commits: durable,
            ..Default::default()
        };
        let vm = Vm::open_with(dir.path(), options).unwrap();
        let name = if durable {
            "tx_token_transfer_commit_fsync"
        } else {
            "tx_token_transfer_commit_no_fsync"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut s = vm.session(SessionConfig::default()).unwrap();
                let mut ctx = s.context().clone();
                ctx.sender = OWNER;
                s.set_context(ctx);
                let r = s
                    .call(token, "transfer", &transfer, GAS)
                    .expect("no VM fault");
                r.result.expect("transfer");
                black_box(s.commit().unwrap())
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    targets = state
}
criterion_main!(benches);
