//! Bad state directories and damaged database files: each gives a precise error, and nothing on
//! disk is changed by the refusal.

#[path = "support/workload.rs"]
mod workload;

use std::path::Path;

use shortcrust_store::{MemoryStore, OpenOptions, PersistentStore, Root, Store, StoreError};

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = if e.path().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

fn not_a_state_dir(result: Result<PersistentStore, StoreError>) -> String {
    match result {
        Err(StoreError::NotAStateDirectory { reason, .. }) => reason,
        other => panic!("expected NotAStateDirectory, got {other:?}"),
    }
}

/// A state with a few commits, closed; returns the head.
fn make_state(dir: &Path) -> Root {
    let store = PersistentStore::open(dir).unwrap();
    let mut root = Root::EMPTY;
    for i in 0..20 {
        root = store.commit(&root, &workload::step(i)).unwrap();
    }
    root
}

#[test]
fn missing_directories_are_created_with_an_empty_state() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/state");
    let store = PersistentStore::open(&dir).unwrap();
    assert_eq!(store.head().unwrap(), Root::EMPTY);
    assert!(dir.join("state.redb").is_file());
    // An empty directory is fine too.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    PersistentStore::open(&empty).unwrap();
    // So is a zero-length database file (a crash right after creating it).
    let zero = tmp.path().join("zero");
    std::fs::create_dir(&zero).unwrap();
    std::fs::write(zero.join("state.redb"), b"").unwrap();
    assert_eq!(
        PersistentStore::open(&zero).unwrap().head().unwrap(),
        Root::EMPTY
    );
}

#[test]
fn foreign_directories_and_files_are_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();

    let file = tmp.path().join("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    assert!(not_a_state_dir(PersistentStore::open(&file)).contains("not a directory"));
    assert_eq!(std::fs::read(&file).unwrap(), b"not a directory");

    let busy = tmp.path().join("busy");
    std::fs::create_dir(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), b"mine").unwrap();
    let before = snapshot(&busy);
    assert!(not_a_state_dir(PersistentStore::open(&busy)).contains("not empty"));
    assert!(snapshot(&busy) == before, "directory changed");

    let garbage = tmp.path().join("garbage");
    std::fs::create_dir(&garbage).unwrap();
    std::fs::write(garbage.join("state.redb"), b"hello ".repeat(2000)).unwrap();
    let before = snapshot(&garbage);
    assert!(not_a_state_dir(PersistentStore::open(&garbage)).contains("not a redb database"));
    assert!(snapshot(&garbage) == before, "file changed");

    let dir_named_db = tmp.path().join("dir-db");
    std::fs::create_dir_all(dir_named_db.join("state.redb")).unwrap();
    assert!(not_a_state_dir(PersistentStore::open(&dir_named_db)).contains("regular file"));
}

#[test]
fn other_redb_databases_and_other_format_versions_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    {
        let db = redb::Database::create(other.join("state.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("accounts");
            txn.open_table(def).unwrap().insert("alice", 5).unwrap();
        }
        txn.commit().unwrap();
    }
    let before = snapshot(&other);
    assert!(not_a_state_dir(PersistentStore::open(&other)).contains("something else"));
    assert!(snapshot(&other) == before, "foreign database changed");

    let future = tmp.path().join("future");
    make_state(&future);
    {
        let db = redb::Database::open(future.join("state.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let def: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("meta");
            txn.open_table(def)
                .unwrap()
                .insert("format", b"shortcrust-state/999".as_slice())
                .unwrap();
        }
        txn.commit().unwrap();
    }
    match PersistentStore::open(&future) {
        Err(StoreError::IncompatibleFormat { found, expected }) => {
            assert_eq!(found, "shortcrust-state/999");
            assert_eq!(expected, "shortcrust-state/2");
        }
        other => panic!("expected IncompatibleFormat, got {other:?}"),
    }
}

#[test]
fn a_truncated_database_is_reported_not_trusted() {
    let tmp = tempfile::tempdir().unwrap();
    make_state(tmp.path());
    let file = tmp.path().join("state.redb");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 3]).unwrap();
    let result = PersistentStore::open(tmp.path()).and_then(|store| {
        let head = store.head()?;
        let view = store.view(&head)?;
        view.contracts().map(|_| ())
    });
    match result {
        Err(StoreError::Corrupted(_) | StoreError::NotAStateDirectory { .. }) => {}
        other => panic!("expected a corruption report, got {other:?}"),
    }
}

#[test]
fn damaged_pages_are_refused_at_open_by_the_integrity_check() {
    let tmp = tempfile::tempdir().unwrap();
    let head = make_state(tmp.path());
    let file = tmp.path().join("state.redb");
    let pristine = std::fs::read(&file).unwrap();
    // Damage every data page beyond the header region, one byte each.
    let mut damaged = pristine.clone();
    for page in (1..damaged.len() / 4096).map(|p| p * 4096 + 1000) {
        damaged[page] ^= 0x5a;
    }
    std::fs::write(&file, &damaged).unwrap();
    let checked = PersistentStore::open_with(
        tmp.path(),
        OpenOptions {
            check_integrity: true,
            ..OpenOptions::default()
        },
    );
    assert!(
        matches!(checked, Err(StoreError::Corrupted(_))),
        "expected Corrupted, got {checked:?}"
    );
    // Restoring the bytes restores the state: the refusal damaged nothing further.
    std::fs::write(&file, &pristine).unwrap();
    let store = PersistentStore::open(tmp.path()).unwrap();
    assert_eq!(store.head().unwrap(), head);
}

#[test]
fn damaged_files_opened_without_the_check_give_errors_or_the_exact_state_never_garbage() {
    let tmp = tempfile::tempdir().unwrap();
    let head = make_state(tmp.path());
    let replay = MemoryStore::new();
    let mut root = Root::EMPTY;
    for i in 0..20 {
        root = replay.commit(&root, &workload::step(i)).unwrap();
    }
    assert_eq!(root, head);
    let want = replay.view(&head).unwrap();
    let file = tmp.path().join("state.redb");
    let pristine = std::fs::read(&file).unwrap();
    let (mut errors, mut intact) = (0, 0);
    // Several damage patterns: one byte flipped per page at various strides and offsets.
    for stride in [4096usize, 4096 * 3, 4096 * 7] {
        for offset in [100usize, 1000, 3000] {
            let mut damaged = pristine.clone();
            for at in (1..damaged.len() / stride).map(|p| p * stride + offset) {
                damaged[at] ^= 0x5a;
            }
            std::fs::write(&file, &damaged).unwrap();
            let read_all = || -> Result<(), StoreError> {
                let store = PersistentStore::open(tmp.path())?;
                let view = store.view(&store.head()?)?;
                assert_eq!(view.contracts()?, want.contracts().unwrap());
                for c in want.contracts().unwrap() {
                    let id = c.contract_id();
                    assert_eq!(
                        view.storage_entries(&id)?,
                        want.storage_entries(&id).unwrap()
                    );
                    for e in want.storage_entries(&id).unwrap() {
                        assert_eq!(view.get(&id, &e.key)?, want.get(&id, &e.key).unwrap());
                    }
                }
                Ok(())
            };
            match read_all() {
                Ok(()) => intact += 1,
                Err(StoreError::Corrupted(_)) => errors += 1,
                Err(other) => panic!("stride {stride} offset {offset}: unexpected {other:?}"),
            }
        }
    }
    // Most patterns hit live pages; the point is that none returned wrong data or panicked.
    assert!(
        errors >= 5,
        "only {errors} of 9 damage patterns were noticed ({intact} intact)"
    );
}
