//! Helper process for the store's integration tests (not a user tool).
//!
//! - `commit-loop DIR`: opens the state in DIR and commits the workload chain forever, from the
//!   head's height on; after each commit returns it prints the new root (hex) and flushes, so the
//!   parent knows which roots were certainly committed. Every fifth commit it deletes roots
//!   more than four commits old and prunes, so kills also land inside deletes and prunes.
//! - `hold DIR`: opens the state, prints `ready`, and keeps it open until stdin closes.
//!
//! On an error it prints `error: <message>` to stdout and exits with status 2.

use std::io::{BufRead, Write};

use shortcrust_store::{PersistentStore, Store, StoreError};

#[path = "../../tests/support/workload.rs"]
mod workload;

fn commit_loop(store: &PersistentStore) -> Result<(), StoreError> {
    let stdout = std::io::stdout();
    loop {
        let head = store.head()?;
        let height = store.commit_info(&head)?.height;
        let root = store.commit(&head, &workload::step(height))?;
        {
            let mut out = stdout.lock();
            // The parent may be gone: nothing to do but stop then.
            if writeln!(out, "{root}").and_then(|_| out.flush()).is_err() {
                return Ok(());
            }
        }
        let height = height + 1;
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
        return Err("usage: shortcrust-store-test-child commit-loop|hold DIR".into());
    };
    let store = PersistentStore::open(dir).map_err(|e| e.to_string())?;
    match mode.as_str() {
        "commit-loop" => commit_loop(&store).map_err(|e| e.to_string()),
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
