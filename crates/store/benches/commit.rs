//! Store benchmarks: commit time against the number of changed keys and the size of the state,
//! reopen time of a large state, and the read path the VM uses on every `storage_read`.
//!
//! `cargo bench -p shortcrust-store --bench commit` (the large state has 10^6 keys; set
//! `SHORTCRUST_BENCH_BIG_STATE=100000` for a quicker run). States are built in batches of 10^5
//! keys, one contract holding all keys (the deepest storage tree for a given size).
//!
//! Commits fork from the same base each iteration, so the base state does not grow during the
//! measurement; each iteration writes new values (derived from an iteration counter) so no
//! commit is a no-op. "changed=N" is N distinct keys (on the 10^3-key state, 10^4 changes are
//! 10^3 overwrites and 9·10^3 inserts).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use shortcrust_store::{
    ChangeSet, ContractId, ContractMeta, MemoryStore, PersistentStore, Root, Store, code_hash,
};

const CONTRACT: ContractId = ContractId([7; 32]);

fn key(i: u64) -> Vec<u8> {
    format!("balance/{i:016x}").into_bytes()
}

/// Deploys the contract and fills it with `keys` keys in batches; returns the root.
fn build(store: &dyn Store, keys: u64) -> Root {
    let code: Arc<[u8]> = Arc::from(&b"\0asm bench contract"[..]);
    let mut deploy = ChangeSet::default();
    deploy.contracts.insert(
        CONTRACT,
        ContractMeta {
            owner: [1; 32],
            code_hash: code_hash(&code),
        },
    );
    deploy.code.insert(code_hash(&code), code);
    let mut root = store.commit(&Root::EMPTY, &deploy).unwrap();
    let batch = 100_000;
    for start in (0..keys).step_by(batch as usize) {
        let mut c = ChangeSet::default();
        for i in start..(start + batch).min(keys) {
            c.storage
                .insert((CONTRACT, key(i)), Some(i.to_le_bytes().to_vec()));
        }
        root = store.commit(&root, &c).unwrap();
    }
    root
}

/// `changed` distinct keys written, with values tagged by `round`: overwrites spread over the
/// state's `keys` keys, plus inserts of new keys when `changed > keys`.
fn changes(keys: u64, changed: u64, round: u64) -> ChangeSet {
    let mut c = ChangeSet::default();
    let stride = (keys / changed).max(1);
    let space = keys.max(changed);
    for j in 0..changed {
        let i = (j * stride + round) % space;
        c.storage.insert(
            (CONTRACT, key(i)),
            Some((round << 32 | j).to_le_bytes().to_vec()),
        );
    }
    c
}

fn big_state_keys() -> u64 {
    std::env::var("SHORTCRUST_BENCH_BIG_STATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn bench_commits(c: &mut Criterion) {
    let mut group = c.benchmark_group("commit");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    for state_keys in [1_000, big_state_keys()] {
        let dir = tempfile::tempdir().unwrap();
        let built = Instant::now();
        let disk = PersistentStore::open(dir.path()).unwrap();
        let disk_base = build(&disk, state_keys);
        eprintln!("built {state_keys} keys on disk in {:?}", built.elapsed());
        let mem = MemoryStore::new();
        let mem_base = build(&mem, state_keys);
        assert_eq!(mem_base, disk_base);
        for changed in [1u64, 100, 10_000] {
            for (name, store, base) in [
                ("redb", &disk as &dyn Store, disk_base),
                ("memory", &mem as &dyn Store, mem_base),
            ] {
                let id = BenchmarkId::new(
                    format!("{name}/state={state_keys}"),
                    format!("changed={changed}"),
                );
                let mut round = 0;
                group.bench_function(id, |b| {
                    b.iter_custom(|iters| {
                        let mut total = Duration::ZERO;
                        for _ in 0..iters {
                            round += 1;
                            let set = changes(state_keys, changed, round);
                            let start = Instant::now();
                            black_box(store.commit(&base, &set).unwrap());
                            total += start.elapsed();
                        }
                        total
                    })
                });
            }
        }
    }
    group.finish();
}

fn bench_reads_and_reopen(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    // The VM's hot path: a counter contract's single key, read through a view.
    let mem = MemoryStore::new();
    let mem_root = build(&mem, 1);
    let mem_view = mem.view(&mem_root).unwrap();
    let counter = key(0);
    group.bench_function("memory/get counter", |b| {
        b.iter(|| black_box(mem_view.get(&CONTRACT, &counter).unwrap()))
    });
    let dir = tempfile::tempdir().unwrap();
    let disk = PersistentStore::open(dir.path()).unwrap();
    let disk_root = build(&disk, 1);
    let disk_view = disk.view(&disk_root).unwrap();
    group.bench_function("redb/get counter", |b| {
        b.iter(|| black_box(disk_view.get(&CONTRACT, &counter).unwrap()))
    });
    group.bench_function("redb/open view of head", |b| {
        b.iter(|| black_box(disk.view(&disk.head().unwrap()).unwrap()))
    });
    drop((disk_view, disk));

    // A large state: random reads (mostly cached after warm-up) and reopening it.
    let keys = big_state_keys();
    let big_dir = tempfile::tempdir().unwrap();
    let root = build(&PersistentStore::open(big_dir.path()).unwrap(), keys);
    {
        let store = PersistentStore::open(big_dir.path()).unwrap();
        let view = store.view(&root).unwrap();
        let mut i = 0u64;
        group.bench_function(format!("redb/get state={keys}"), |b| {
            b.iter(|| {
                i = (i + 7919) % keys;
                black_box(view.get(&CONTRACT, &key(i)).unwrap())
            })
        });
    }
    group.sample_size(20);
    group.bench_function(format!("redb/reopen and first get state={keys}"), |b| {
        b.iter(|| {
            let store = PersistentStore::open(big_dir.path()).unwrap();
            let view = store.view(&store.head().unwrap()).unwrap();
            black_box(view.get(&CONTRACT, &key(12345 % keys)).unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_reads_and_reopen, bench_commits);
criterion_main!(benches);
