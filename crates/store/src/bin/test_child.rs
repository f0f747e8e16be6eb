//! Helper process for the store's integration tests (not a user tool).
//!
//! - `commit-loop DIR`: opens the state in DIR and commits the workload chain forever, from the
//!   head's height on; after each commit returns it prints the new root (hex) and flushes, so the
//!   parent knows which roots were certainly committed. Every fifth commit it deletes roots
//!   more than four commits old and prunes, so kills also land inside deletes and prunes.
//! - `deferred-loop DIR`: the same chain with non-durable commits (`durable_commits: false`),
//!   calling `sync` after every third commit and printing `synced <root>` after it returns.
//! - `hold DIR`: opens the state, prints `ready`, and keeps it open until stdin closes.
//!
//! On an error it prints `error: <message>` to stdout and exits with status 2.

use std::io::{BufRead, Write};

use shortcrust_store::{OpenOptions, PersistentStore, Store, StoreError};

#[path = "../../tests/support/workload.rs"]
mod workload;

/// Prints one line and flushes; `false` if the parent is gone (nothing to do but stop then).
fn report(line: std::fmt::Arguments<'_>) -> bool {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").and_then(|_| out.flush()).is_ok()
}

fn commit_loop(store: &PersistentStore, deferred: bool) -> Result<(), StoreError> {
    loop {
        let head = store.head()?;
        let height = store.commit_info(&head)?.height;
        let root = store.commit(&head, &workload::step(height))?;
        if !report(format_args!("{root}")) {
            return Ok(());
        }
        let height = height + 1;
        if deferred && height % 3 == 0 {
            store.sync()?;
            if !report(format_args!("synced {root}")) {
                return Ok(());
            }
        }
        if height % 5 == 0 {
            for info in store.commits()? {
                if info.root != store.empty_root() && info.height + 4 < height {
                    store.delete_root(&info.root)?;
                }
            }
            store.prune()?;
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, dir] = args.as_slice() else {
        return Err("usage: shortcrust-store-test-child commit-loop|deferred-loop|hold DIR".into());
    };
    let options = OpenOptions {
        durable_commits: mode != "deferred-loop",
        ..OpenOptions::default()
    };
    let store = PersistentStore::open_with(dir, options).map_err(|e| e.to_string())?;
    match mode.as_str() {
        "commit-loop" => commit_loop(&store, false).map_err(|e| e.to_string()),
        "deferred-loop" => commit_loop(&store, true).map_err(|e| e.to_string()),
        "hold" => {
            println!("ready");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            // Block until the parent closes our stdin.
            for line in std::io::stdin().lock().lines() {
                if line.is_err() {
                    break;
                }
            }
            Ok(())
        }
        other => Err(format!("unknown mode {other}")),
    }
}

fn main() {
    if let Err(e) = run() {
        println!("error: {e}");
        std::process::exit(2);
    }
}
