//! Replays the committed seed corpus of every fuzz target (`fuzz/corpus/<target>/`) through the
//! same function the fuzzer calls: what the fuzzer once found interesting stays checked by
//! `cargo test`. One test per target, so they run in parallel and fail by name.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

/// Runs every file of `target`'s corpus through its function, in name order.
fn replay(target: &str) {
    let (_, run) = shortcrust_fuzzing::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let dir = corpus_dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds no seed", dir.display());
    let start = Instant::now();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // On a thread with the native stack of a fuzzer's main thread (8 MiB; a test thread
        // gets 2 MiB), naming the input if it fails: the panic message alone does not say which.
        let outcome = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || run(&data))
            .expect("spawn a replay thread")
            .join();
        if let Err(panic) = outcome {
            eprintln!("{target}: {} fails", file.display());
            std::panic::resume_unwind(panic);
        }
    }
    eprintln!(
        "{target}: replayed {} inputs in {:.1?}",
        files.len(),
        start.elapsed()
    );
}

#[test]
fn deploy_bytes() {
    replay("deploy_bytes");
}

#[test]
fn smith_run() {
    replay("smith_run");
}

#[test]
fn host_function() {
    replay("host_function");
}

#[test]
fn schema_json() {
    replay("schema_json");
}

/// Names in `fuzz/<dir>`, without the extension `.rs`, sorted.
fn names_in(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("reading {}: {e}", root.display()))
        .map(|entry| entry.expect("directory entry").file_name())
        .map(|name| name.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    names.sort();
    names
}

/// Every target of the library has a cargo-fuzz target and a corpus directory, and nothing else
/// does.
#[test]
fn fuzz_targets_and_corpus_directories_match_the_library() {
    let mut targets: Vec<String> = shortcrust_fuzzing::TARGETS
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    targets.sort();
    assert_eq!(names_in("corpus"), targets);
    assert_eq!(names_in("fuzz_targets"), targets);
}
