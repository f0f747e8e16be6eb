//! Crash safety and cross-process locking, with a real second process
//! (`shortcrust-store-test-child`).
//!
//! The kill test runs the child's commit loop and kills it with SIGKILL at pseudo-random moments
//! (fixed seed), then reopens the state and checks that the head is a root that was committed —
//! the last one the child reported, or the one after it if the kill landed between the commit
//! returning and the report — that every retained root is one of the chain's roots, that every
//! key of the head reads back as the in-memory replay of the same chain says, and that proofs
//! verify against the head.

#[path = "support/workload.rs"]
mod workload;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shortcrust_store::{
    MemoryStore, OpenOptions, PersistentStore, Root, StateView, Store, StoreError,
};

const CHILD: &str = env!("CARGO_BIN_EXE_shortcrust-store-test-child");

/// The chain's roots by height, replayed in memory (same tree code, so same roots).
struct Expected {
    store: MemoryStore,
    roots: Vec<Root>,
}

impl Expected {
    fn new() -> Self {
        Expected {
            store: MemoryStore::new(),
            roots: vec![Root::EMPTY],
        }
    }
    fn root(&mut self, height: u64) -> Root {
        while self.roots.len() as u64 <= height {
            let h = self.roots.len() as u64 - 1;
            let base = self.roots[h as usize];
            let root = self.store.commit(&base, &workload::step(h)).unwrap();
            self.roots.push(root);
        }
        self.roots[height as usize]
    }
    fn height_of(&self, root: &Root) -> Option<u64> {
        self.roots.iter().position(|r| r == root).map(|p| p as u64)
    }
}

/// xorshift64*: a fixed-seed source of kill delays.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Everything in `actual` equals the in-memory state `expected`, and proofs check out.
fn assert_same_state(actual: &dyn StateView, expected: &dyn StateView) {
    let contracts = expected.contracts().unwrap();
    assert_eq!(actual.contracts().unwrap(), contracts);
    for record in &contracts {
        let id = record.contract_id();
        let code = actual
            .code(&record.code_hash)
            .unwrap()
            .expect("code of a live contract");
        assert_eq!(shortcrust_store::code_hash(&code), record.code_hash);
        let entries = expected.storage_entries(&id).unwrap();
        assert_eq!(actual.storage_entries(&id).unwrap(), entries);
        for entry in &entries {
            let value = expected.get(&id, &entry.key).unwrap();
            assert_eq!(actual.get(&id, &entry.key).unwrap(), value);
        }
        // One present and one absent key per contract, proven against the root.
        for key in entries
            .first()
            .map(|e| e.key.clone())
            .into_iter()
            .chain([b"absent".to_vec()])
        {
            let proof = actual.prove(&id, &key).unwrap();
            let claim = proof.verify(&actual.root(), &id, &key).unwrap();
            assert_eq!(claim.value(), expected.get(&id, &key).unwrap().as_deref());
        }
    }
}

/// Runs the child in `mode` for `rounds` rounds, killing it each time, and checks the reopened
/// state after every kill. Returns the final head height.
fn kill_rounds(mode: &str, rounds: u64, seed: u64, options: OpenOptions) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Expected::new();
    let mut rng = Rng(seed);
    // Highest height known committed (reported), and known durable (synced or, with durable
    // commits, reported).
    let mut reported_height = 0u64;
    let mut durable_height = 0u64;
    let mut progress_rounds = 0;
    for round in 0..rounds {
        let mut child = Command::new(CHILD)
            .args([mode, dir.path().to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines_in) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        // Every third round first waits for durable progress (a reported commit, or a sync in
        // deferred mode), so the test moves forward however slow the machine is; then all
        // rounds kill after a pseudo-random delay, early rounds soon (during open or the first
        // commits), later ones after longer runs.
        let mut lines = Vec::new();
        if round % 3 == 2 {
            let progress = |l: &String| {
                l.starts_with("synced ") || (options.durable_commits && !l.starts_with("error"))
            };
            while !lines.iter().any(progress) {
                match lines_in.recv_timeout(Duration::from_secs(30)) {
                    Ok(line) => lines.push(line),
                    Err(e) => panic!("{mode} round {round}: no progress from the child: {e}"),
                }
            }
            progress_rounds += 1;
        }
        let delay = 5 + rng.next() % (20 + 10 * round);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        lines.extend(lines_in.try_iter());
        for line in &lines {
            assert!(!line.starts_with("error"), "child failed: {line}");
            if let Some(root) = line.strip_prefix("synced ") {
                assert_eq!(root, expected.root(reported_height).to_string());
                durable_height = reported_height;
            } else {
                reported_height += 1;
                assert_eq!(line, &expected.root(reported_height).to_string());
                if options.durable_commits {
                    durable_height = reported_height;
                }
            }
        }

        let store = PersistentStore::open_with(dir.path(), options.clone()).unwrap();
        let head = store.head().unwrap();
        let height = store.commit_info(&head).unwrap().height;
        eprintln!(
            "{mode} round {round}: killed after {delay} ms, {} lines, head at height {height} \
             (reported {reported_height}, durable {durable_height})",
            lines.len()
        );
        // Never behind what was durable, never ahead of the commit that may have completed
        // unreported.
        assert!(
            durable_height <= height && height <= reported_height + 1,
            "{mode} round {round}: head at height {height}, reported {reported_height}, \
             durable {durable_height}"
        );
        assert_eq!(head, expected.root(height));
        // The child resumes from the head: later chain roots are recommitted identically.
        reported_height = height;
        durable_height = height;
        for info in store.commits().unwrap() {
            let h = expected
                .height_of(&info.root)
                .expect("retained root not on the chain");
            assert_eq!(info.height, h);
            store.view(&info.root).unwrap();
        }
        let exp = expected.store.view(&head).unwrap();
        assert_same_state(&*store.view(&head).unwrap(), &*exp);
    }
    assert!(
        reported_height >= progress_rounds,
        "{mode}: {progress_rounds} rounds saw durable progress but the head is at {reported_height}"
    );
    reported_height
}

#[test]
fn sigkill_during_commits_never_loses_or_damages_a_commit() {
    let started = Instant::now();
    let height = kill_rounds(
        "commit-loop",
        14,
        0x5eed_cafe_f00d_1234,
        OpenOptions::default(),
    );
    assert!(height > 14, "the child committed too little: {height}");
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn sigkill_with_deferred_durability_falls_back_to_an_intact_synced_root() {
    let options = OpenOptions {
        durable_commits: false,
        ..OpenOptions::default()
    };
    let height = kill_rounds("deferred-loop", 8, 0xdefe_44ed_0000_0001, options);
    assert!(height >= 3 * 2, "the child committed too little: {height}");
}

#[test]
fn a_second_process_gets_a_locked_error_and_the_data_survives() {
    let dir = tempfile::tempdir().unwrap();
    let root = {
        let store = PersistentStore::open(dir.path()).unwrap();
        store.commit(&Root::EMPTY, &workload::step(0)).unwrap()
    };

    // The child holds the directory: we are refused.
    let mut child = Command::new(CHILD)
        .args(["hold", dir.path().to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    match PersistentStore::open(dir.path()) {
        Err(StoreError::Locked { path }) => assert_eq!(path, dir.path()),
        other => panic!("expected Locked, got {other:?}"),
    }
    drop(child.stdin.take()); // let it exit
    assert!(child.wait().unwrap().success());

    // We hold it: the child is refused with the same precise error.
    let store = PersistentStore::open(dir.path()).unwrap();
    let output = Command::new(CHILD)
        .args(["hold", dir.path().to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let mut text = String::new();
    output.stdout.as_slice().read_to_string(&mut text).unwrap();
    assert!(text.contains("in use by another process"), "{text}");

    // Neither refusal touched the data.
    assert_eq!(store.head().unwrap(), root);
    let view = store.view(&root).unwrap();
    let id = workload::contract(0);
    assert!(view.contract(&id).unwrap().is_some());
    std::io::stdout().flush().unwrap();
}
