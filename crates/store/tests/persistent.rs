//! The persistent store: persistence across reopen, same roots as the memory store, forks,
//! listing, deletion and pruning, parallel use, and every kind of bad input.

#[path = "support/workload.rs"]
mod workload;

use std::sync::Arc;

use shortcrust_store::{
    ChangeSet, ContractId, ContractMeta, MemoryStore, PersistentStore, Root, StateView,
    StorageEntry, Store, StoreError, code_hash,
};

fn id(n: u8) -> ContractId {
    ContractId([n; 32])
}

fn deploy(n: u8, code: &[u8]) -> ChangeSet {
    let hash = code_hash(code);
    let mut c = ChangeSet::default();
    c.contracts.insert(
        id(n),
        ContractMeta {
            owner: [n ^ 0xff; 32],
            code_hash: hash,
        },
    );
    c.code.insert(hash, Arc::from(code));
    c
}

fn writes(n: u8, kvs: &[(&str, Option<&str>)]) -> ChangeSet {
    let mut c = ChangeSet::default();
    for (k, v) in kvs {
        c.storage.insert(
            (id(n), k.as_bytes().to_vec()),
            v.map(|v| v.as_bytes().to_vec()),
        );
    }
    c
}

fn get(view: &dyn StateView, n: u8, key: &str) -> Option<String> {
    view.get(&id(n), key.as_bytes())
        .unwrap()
        .map(|v| String::from_utf8(v).unwrap())
}

/// Runs the workload chain for `steps` commits on `store`, returning the roots by height.
fn chain(store: &dyn Store, steps: u64) -> Vec<Root> {
    let mut roots = vec![Root::EMPTY];
    for i in 0..steps {
        let base = roots[i as usize];
        roots.push(store.commit(&base, &workload::step(i)).unwrap());
    }
    roots
}

#[test]
fn state_survives_reopen_with_head_history_and_contents() {
    let dir = tempfile::tempdir().unwrap();
    let (r1, r2) = {
        let store = PersistentStore::open(dir.path()).unwrap();
        assert_eq!(store.head().unwrap(), Root::EMPTY);
        let r1 = store.commit(&Root::EMPTY, &deploy(1, b"code one")).unwrap();
        let r2 = store
            .commit(&r1, &writes(1, &[("a", Some("1")), ("b", Some("22"))]))
            .unwrap();
        (r1, r2)
    };
    let store = PersistentStore::open(dir.path()).unwrap();
    assert_eq!(store.head().unwrap(), r2);
    let history = store.commits().unwrap();
    let summary: Vec<_> = history
        .iter()
        .map(|c| (c.root, c.parent, c.seq, c.height))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Root::EMPTY, None, 0, 0),
            (r1, Some(Root::EMPTY), 1, 1),
            (r2, Some(r1), 2, 2),
        ]
    );
    let view = store.view(&r2).unwrap();
    assert_eq!(get(&*view, 1, "a").as_deref(), Some("1"));
    assert_eq!(get(&*view, 1, "missing"), None);
    let meta = view.contract(&id(1)).unwrap().unwrap();
    assert_eq!(meta.owner, [0xfe; 32]);
    assert_eq!(&*view.code(&meta.code_hash).unwrap().unwrap(), b"code one");
    assert_eq!(
        view.storage_entries(&id(1)).unwrap(),
        vec![
            StorageEntry {
                key: b"a".to_vec(),
                value_len: 1
            },
            StorageEntry {
                key: b"b".to_vec(),
                value_len: 2
            },
        ]
    );
    let contracts = view.contracts().unwrap();
    assert_eq!(contracts.len(), 1);
    assert_eq!(contracts[0].contract_id(), id(1));
    assert_eq!(contracts[0].meta(), meta);
    // The older root is still there and does not see the later writes.
    assert_eq!(get(&*store.view(&r1).unwrap(), 1, "a"), None);
    assert_eq!(
        store.view(&r1).unwrap().storage_entries(&id(1)).unwrap(),
        vec![]
    );
}

#[test]
fn memory_and_persistent_stores_agree_on_every_root() {
    let dir = tempfile::tempdir().unwrap();
    let disk = PersistentStore::open(dir.path()).unwrap();
    let mem = MemoryStore::new();
    assert_eq!(chain(&disk, 40), chain(&mem, 40));
}

#[test]
fn roots_depend_on_contents_not_on_history() {
    let store = MemoryStore::new();
    let base = store.commit(&Root::EMPTY, &deploy(1, b"c")).unwrap();
    // a, b, c written in one commit...
    let one = store
        .commit(
            &base,
            &writes(1, &[("a", Some("1")), ("b", Some("2")), ("c", Some("3"))]),
        )
        .unwrap();
    // ...or one by one in another order, with a detour through a value later removed.
    let mut r = base;
    for kv in [
        ("c", Some("3")),
        ("x", Some("gone")),
        ("a", Some("0")),
        ("b", Some("2")),
    ] {
        r = store.commit(&r, &writes(1, &[kv])).unwrap();
    }
    r = store
        .commit(&r, &writes(1, &[("x", None), ("a", Some("1"))]))
        .unwrap();
    assert_eq!(r, one);
    // Removing everything returns to the contract with empty storage.
    let cleared = store
        .commit(&one, &writes(1, &[("a", None), ("b", None), ("c", None)]))
        .unwrap();
    assert_eq!(cleared, base);
    // And a different deploy order of two contracts gives the same state.
    let ab = {
        let r = store.commit(&Root::EMPTY, &deploy(1, b"c")).unwrap();
        store.commit(&r, &deploy(2, b"d")).unwrap()
    };
    let ba = {
        let r = store.commit(&Root::EMPTY, &deploy(2, b"d")).unwrap();
        store.commit(&r, &deploy(1, b"c")).unwrap()
    };
    assert_eq!(ab, ba);
}

#[test]
fn forks_from_one_base_both_commit_and_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let store = PersistentStore::open(dir.path()).unwrap();
    let base = store.commit(&Root::EMPTY, &deploy(1, b"code")).unwrap();
    let left = store
        .commit(&base, &writes(1, &[("k", Some("left"))]))
        .unwrap();
    let right = store
        .commit(&base, &writes(1, &[("k", Some("right"))]))
        .unwrap();
    assert_ne!(left, right);
    assert_eq!(store.head().unwrap(), right);
    let deeper = store
        .commit(&left, &writes(1, &[("j", Some("x"))]))
        .unwrap();
    assert_eq!(
        get(&*store.view(&left).unwrap(), 1, "k").as_deref(),
        Some("left")
    );
    assert_eq!(
        get(&*store.view(&right).unwrap(), 1, "k").as_deref(),
        Some("right")
    );
    assert_eq!(
        get(&*store.view(&deeper).unwrap(), 1, "k").as_deref(),
        Some("left")
    );
    let info = store.commit_info(&deeper).unwrap();
    assert_eq!((info.parent, info.height), (Some(left), 3));
    assert_eq!(store.commit_info(&right).unwrap().parent, Some(base));
    // The head can be moved back to any retained root.
    store.set_head(&left).unwrap();
    assert_eq!(store.head().unwrap(), left);
    // Committing an existing state again is idempotent: same root, no new record.
    let before = store.commits().unwrap().len();
    assert_eq!(
        store
            .commit(&base, &writes(1, &[("k", Some("left"))]))
            .unwrap(),
        left
    );
    assert_eq!(store.commits().unwrap().len(), before);
    assert_eq!(store.commit(&left, &ChangeSet::default()).unwrap(), left);
}

#[test]
fn parallel_sessions_on_threads_fork_and_read() {
    let dir = tempfile::tempdir().unwrap();
    parallel_forks(Arc::new(PersistentStore::open(dir.path()).unwrap()));
    parallel_forks(Arc::new(MemoryStore::new()));
}

/// Four threads each run ten read-then-commit sessions on their own fork of one base.
fn parallel_forks(store: Arc<dyn Store>) {
    let base = store.commit(&Root::EMPTY, &deploy(1, b"code")).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut root = base;
                for i in 0..10 {
                    let view = store.view(&root).unwrap();
                    let prev = get(&*view, 1, "counter").map_or(0, |v| v.parse::<u32>().unwrap());
                    assert_eq!(prev, if i == 0 { 0 } else { t * 1000 + i - 1 });
                    let value = (t * 1000 + i).to_string();
                    root = store
                        .commit(&root, &writes(1, &[("counter", Some(&value))]))
                        .unwrap();
                }
                root
            })
        })
        .collect();
    let tips: Vec<Root> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (t, tip) in tips.iter().enumerate() {
        let expected = (t as u32 * 1000 + 9).to_string();
        assert_eq!(
            get(&*store.view(tip).unwrap(), 1, "counter"),
            Some(expected)
        );
    }
    assert_eq!(store.commits().unwrap().len(), 2 + 4 * 10);
}

/// Nodes of one state built in a single commit into a fresh store: exactly what it needs.
fn nodes_needed(store: &dyn Store, root: &Root) -> u64 {
    let view = store.view(root).unwrap();
    let fresh = MemoryStore::new();
    let mut all = ChangeSet::default();
    for record in view.contracts().unwrap() {
        let cid = record.contract_id();
        all.contracts.insert(cid, record.meta());
        let code = view.code(&record.code_hash).unwrap().unwrap();
        all.code.insert(record.code_hash, code);
        for entry in view.storage_entries(&cid).unwrap() {
            let value = view.get(&cid, &entry.key).unwrap();
            all.storage.insert((cid, entry.key), value);
        }
    }
    assert_eq!(fresh.commit(&Root::EMPTY, &all).unwrap(), *root);
    fresh.stats().unwrap().nodes
}

fn delete_and_prune_reclaims_exactly(store: &dyn Store) {
    let roots = chain(store, 30);
    // A fork holding a contract (and code) that nothing else has.
    let fork = store
        .commit(&roots[12], &deploy(200, b"fork-only code"))
        .unwrap();
    store.set_head(&roots[30]).unwrap();
    let before = store.stats().unwrap();
    assert_eq!(before.code_blobs, 3);

    // Keep the head and two older roots; delete the rest (and the fork).
    let keep = [roots[30], roots[21], roots[5]];
    for info in store.commits().unwrap() {
        if info.root != Root::EMPTY && !keep.contains(&info.root) {
            store.delete_root(&info.root).unwrap();
        }
    }
    assert!(matches!(store.view(&fork), Err(StoreError::UnknownRoot(_))));
    let pending = store.stats().unwrap();
    assert_eq!(pending.pending_release, 31 - 3);
    assert_eq!(pending.nodes, before.nodes, "deletion alone frees nothing");

    let freed = store.prune().unwrap();
    assert_eq!(freed.roots_released, 28);
    assert_eq!(freed.code_freed, 1);
    let after = store.stats().unwrap();
    assert_eq!(after.nodes, before.nodes - freed.nodes_freed);
    assert_eq!(after.code_blobs, 2);
    assert_eq!(after.pending_release, 0);
    assert_eq!(after.retained_roots, 4);

    // What is left is bounded by what the kept roots need (they share nodes).
    let needed: Vec<u64> = keep.iter().map(|r| nodes_needed(store, r)).collect();
    assert!(
        after.nodes <= needed.iter().sum::<u64>(),
        "{after:?} {needed:?}"
    );
    assert!(after.nodes >= *needed.iter().max().unwrap());
    // The kept roots read exactly as an untouched replay of the chain says.
    let replay = MemoryStore::new();
    let replay_roots = chain(&replay, 30);
    for height in [30, 21, 5] {
        let kept = store.view(&roots[height]).unwrap();
        let want = replay.view(&replay_roots[height]).unwrap();
        assert_eq!(kept.contracts().unwrap(), want.contracts().unwrap());
        for record in want.contracts().unwrap() {
            let cid = record.contract_id();
            let entries = want.storage_entries(&cid).unwrap();
            assert_eq!(kept.storage_entries(&cid).unwrap(), entries);
            for e in entries {
                assert_eq!(
                    kept.get(&cid, &e.key).unwrap(),
                    want.get(&cid, &e.key).unwrap()
                );
                let proof = kept.prove(&cid, &e.key).unwrap();
                let claim = proof.verify(&roots[height], &cid, &e.key).unwrap();
                assert_eq!(claim.value(), want.get(&cid, &e.key).unwrap().as_deref());
            }
        }
    }
    // Nothing left to do.
    assert_eq!(store.prune().unwrap().nodes_freed, 0);

    // Down to the head alone, exactly the head's tree is left: the node count of the same state
    // built in one commit into an empty store, and the code its contracts use.
    store.delete_root(&roots[21]).unwrap();
    store.delete_root(&roots[5]).unwrap();
    store.prune().unwrap();
    let alone = store.stats().unwrap();
    assert_eq!(alone.nodes, nodes_needed(store, &roots[30]));
    assert_eq!(alone.code_blobs, 2);
    assert_eq!(alone.retained_roots, 2);

    // Committing on the remaining roots still works after the prunes.
    store.commit(&roots[30], &workload::step(30)).unwrap();
    store.commit(&Root::EMPTY, &workload::step(0)).unwrap();
}

#[test]
fn prune_reclaims_exactly_the_unreachable_data_in_the_memory_store() {
    delete_and_prune_reclaims_exactly(&MemoryStore::new());
}

#[test]
fn prune_reclaims_exactly_the_unreachable_data_on_disk_and_compaction_shrinks_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = PersistentStore::open(dir.path()).unwrap();
    delete_and_prune_reclaims_exactly(&store);
    // Then a bulky fork, deleted again: the file must shrink back once compacted.
    let head = store.head().unwrap();
    let base = store.commit(&Root::EMPTY, &deploy(7, b"bulk")).unwrap();
    let mut bulk = ChangeSet::default();
    for i in 0..3000u32 {
        bulk.storage
            .insert((id(7), i.to_le_bytes().to_vec()), Some(vec![i as u8; 200]));
    }
    let bulky = store.commit(&base, &bulk).unwrap();
    store.set_head(&head).unwrap();
    store.compact().unwrap();
    let size_before = store.stats().unwrap().file_bytes;
    store.delete_root(&bulky).unwrap();
    store.delete_root(&base).unwrap();
    let freed = store.prune().unwrap();
    assert!(
        freed.nodes_freed > 3000 && freed.bytes_freed > 600_000,
        "{freed:?}"
    );
    while store.compact().unwrap() {}
    let size_after = store.stats().unwrap().file_bytes;
    assert!(
        size_after + 400_000 < size_before,
        "file did not shrink: {size_before} -> {size_after}"
    );
    drop(store);
    // And the reclaimed store reopens with its head intact.
    let store = PersistentStore::open(dir.path()).unwrap();
    assert_eq!(store.head().unwrap(), head);
    let view = store.view(&head).unwrap();
    assert_eq!(view.contracts().unwrap().len(), 1);
    assert!(
        !view
            .storage_entries(&workload::contract(0))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_change_sets_are_refused_without_any_change() {
    let dir = tempfile::tempdir().unwrap();
    let disk = PersistentStore::open(dir.path()).unwrap();
    let mem = MemoryStore::new();
    for store in [&disk as &dyn Store, &mem] {
        let base = store.commit(&Root::EMPTY, &deploy(1, b"code")).unwrap();
        let stats = store.stats().unwrap();
        let refuse = |changes: &ChangeSet| {
            let err = store.commit(&base, changes).unwrap_err();
            assert_eq!(store.head().unwrap(), base);
            let now = store.stats().unwrap();
            assert_eq!(
                (now.nodes, now.code_blobs, now.retained_roots),
                (stats.nodes, stats.code_blobs, stats.retained_roots)
            );
            err
        };
        assert!(
            matches!(refuse(&writes(9, &[("k", Some("v"))])), StoreError::UnknownContract(c) if c == id(9))
        );
        assert!(
            matches!(refuse(&deploy(1, b"again")), StoreError::ContractExists(c) if c == id(1))
        );
        let mut no_code = deploy(2, b"absent code");
        no_code.code.clear();
        assert!(matches!(refuse(&no_code), StoreError::MissingCode { .. }));
        let mut lying = deploy(2, b"real");
        let hash = *lying.code.keys().next().unwrap();
        lying.code.insert(hash, Arc::from(&b"fake"[..]));
        assert!(matches!(
            refuse(&lying),
            StoreError::CodeHashMismatch { .. }
        ));
        let long_key = "k".repeat(257);
        assert!(matches!(
            refuse(&writes(1, &[(&long_key, Some("v"))])),
            StoreError::KeyTooLong { len: 257, max: 256 }
        ));
        let mut big = ChangeSet::default();
        big.storage
            .insert((id(1), b"k".to_vec()), Some(vec![0; 64 * 1024 + 1]));
        assert!(matches!(refuse(&big), StoreError::ValueTooLong { .. }));
        // Limits themselves are fine, and code already stored may be reused without resending.
        let mut reuse = deploy(2, b"code");
        reuse.code.clear();
        reuse
            .storage
            .insert((id(2), vec![b'k'; 256]), Some(vec![1; 64 * 1024]));
        let r = store.commit(&base, &reuse).unwrap();
        assert_eq!(
            store.view(&r).unwrap().get(&id(2), &[b'k'; 256]).unwrap(),
            Some(vec![1; 64 * 1024])
        );
    }
}

#[test]
fn unknown_roots_contracts_and_forbidden_deletions_are_precise_errors() {
    let dir = tempfile::tempdir().unwrap();
    let disk = PersistentStore::open(dir.path()).unwrap();
    let mem = MemoryStore::new();
    for store in [&disk as &dyn Store, &mem] {
        let r1 = store.commit(&Root::EMPTY, &deploy(1, b"code")).unwrap();
        let nowhere = Root([0xab; 32]);
        assert!(matches!(store.view(&nowhere), Err(StoreError::UnknownRoot(r)) if r == nowhere));
        assert!(matches!(
            store.commit(&nowhere, &ChangeSet::default()),
            Err(StoreError::UnknownRoot(_))
        ));
        assert!(matches!(
            store.set_head(&nowhere),
            Err(StoreError::UnknownRoot(_))
        ));
        assert!(matches!(
            store.delete_root(&nowhere),
            Err(StoreError::UnknownRoot(_))
        ));
        assert!(matches!(
            store.commit_info(&nowhere),
            Err(StoreError::UnknownRoot(_))
        ));
        assert!(matches!(
            store.delete_root(&r1),
            Err(StoreError::CannotDelete { .. })
        ));
        assert!(matches!(
            store.delete_root(&Root::EMPTY),
            Err(StoreError::CannotDelete { .. })
        ));
        let view = store.view(&r1).unwrap();
        assert!(
            matches!(view.storage_entries(&id(5)), Err(StoreError::UnknownContract(c)) if c == id(5))
        );
        assert_eq!(view.contract(&id(5)).unwrap(), None);
        assert_eq!(view.get(&id(5), b"k").unwrap(), None);
        assert_eq!(view.code(&[3; 32]).unwrap(), None);
        // Deleting twice: the second time the root is unknown.
        let r2 = store.commit(&r1, &writes(1, &[("k", Some("v"))])).unwrap();
        store.set_head(&r1).unwrap();
        store.delete_root(&r2).unwrap();
        assert!(matches!(
            store.delete_root(&r2),
            Err(StoreError::UnknownRoot(_))
        ));
        // A deleted root can be committed again before or after pruning.
        assert_eq!(
            store.commit(&r1, &writes(1, &[("k", Some("v"))])).unwrap(),
            r2
        );
        store.prune().unwrap();
        assert_eq!(
            get(&*store.view(&r2).unwrap(), 1, "k").as_deref(),
            Some("v")
        );
    }
}

#[test]
fn a_view_survives_deletion_and_pruning_of_its_root_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = PersistentStore::open(dir.path()).unwrap();
    let r1 = store.commit(&Root::EMPTY, &deploy(1, b"code")).unwrap();
    let r2 = store.commit(&r1, &writes(1, &[("k", Some("v1"))])).unwrap();
    let view = store.view(&r2).unwrap();
    store.commit(&r1, &writes(1, &[("k", Some("v2"))])).unwrap();
    store.delete_root(&r2).unwrap();
    assert!(store.prune().unwrap().nodes_freed > 0);
    assert!(matches!(store.view(&r2), Err(StoreError::UnknownRoot(_))));
    // The snapshot still reads the old state, and its proofs still verify.
    assert_eq!(get(&*view, 1, "k").as_deref(), Some("v1"));
    let proof = view.prove(&id(1), b"k").unwrap();
    assert_eq!(
        proof.verify(&r2, &id(1), b"k").unwrap().value(),
        Some(&b"v1"[..])
    );
}
