//! A VM opened on a directory: state survives restarts, and deployed contracts are served from
//! the on-disk compiled-module cache, which is never trusted blindly.

use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

use crate::{COUNTER_WAT as COUNTER, GAS};

fn increment(vm: &Vm, id: shortcrust_vm::ContractId) -> u64 {
    let mut s = vm.session(SessionConfig::default()).unwrap();
    let out = s
        .call(id, "increment", &[], GAS)
        .expect("no VM fault")
        .result
        .unwrap();
    s.commit().unwrap();
    u64::from_le_bytes(out.try_into().unwrap())
}

fn deploy_counter(dir: &std::path::Path) -> shortcrust_vm::ContractId {
    let vm = Vm::open(dir).unwrap();
    let mut s = vm.session(SessionConfig::default()).unwrap();
    let code = wat::parse_str(COUNTER).unwrap();
    let id = s.deploy(&code, DeployOptions::default()).unwrap().id;
    s.commit().unwrap();
    assert_eq!(increment(&vm, id), 1);
    assert_eq!(vm.cache_stats().compiled, 1);
    id
}

fn cache_file(dir: &std::path::Path) -> std::path::PathBuf {
    // One cache directory per gas schedule; sessions run under the latest protocol's.
    let schedule = crate::latest_schedule().version();
    let entries: Vec<_> = std::fs::read_dir(dir.join("modules").join(format!("v{schedule}")))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[test]
fn restarted_vm_serves_calls_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    let id = deploy_counter(dir.path());
    let vm = Vm::open(dir.path()).unwrap();
    assert_eq!(increment(&vm, id), 2);
    let stats = vm.cache_stats();
    assert_eq!((stats.compiled, stats.loaded_from_disk), (0, 1));
}

#[test]
fn corrupted_cache_entry_is_detected_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let id = deploy_counter(dir.path());
    let file = cache_file(dir.path());
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();

    let vm = Vm::open(dir.path()).unwrap();
    assert_eq!(increment(&vm, id), 2);
    let stats = vm.cache_stats();
    drop(vm);
    assert_eq!(stats.rejected_on_disk, 1);
    assert_eq!(stats.last_rejection, Some("checksum mismatch"));
    assert_eq!(stats.compiled, 1);

    // The rebuilt entry is trusted again.
    let vm = Vm::open(dir.path()).unwrap();
    assert_eq!(increment(&vm, id), 3);
    assert_eq!(vm.cache_stats().loaded_from_disk, 1);
}

#[test]
fn foreign_or_truncated_entries_are_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let id = deploy_counter(dir.path());
    let file = cache_file(dir.path());
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[8] ^= 1; // another engine fingerprint
    std::fs::write(&file, &bytes).unwrap();
    let vm = Vm::open(dir.path()).unwrap();
    assert_eq!(increment(&vm, id), 2);
    assert_eq!(
        vm.cache_stats().last_rejection,
        Some("compiled by another engine or build")
    );
    drop(vm);

    std::fs::write(&file, b"SCMOD").unwrap();
    let vm = Vm::open(dir.path()).unwrap();
    assert_eq!(increment(&vm, id), 3);
    assert_eq!(
        vm.cache_stats().last_rejection,
        Some("bad magic or truncated header")
    );
}

#[test]
fn missing_cache_is_rebuilt_from_state() {
    let dir = tempfile::tempdir().unwrap();
    let id = deploy_counter(dir.path());
    std::fs::remove_file(cache_file(dir.path())).unwrap();
    let vm = Vm::open(dir.path()).unwrap();
    assert_eq!(increment(&vm, id), 2);
    assert_eq!(vm.cache_stats().compiled, 1);
}

#[test]
fn a_foreign_non_empty_directory_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"mine").unwrap();
    let e = Vm::open(dir.path()).err().expect("must refuse");
    assert!(
        matches!(e, shortcrust_vm::VmError::NotAStateDirectory(_)),
        "{e}"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
}
