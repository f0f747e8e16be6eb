//! Crash safety with real SIGKILLs: a child process (`shortcrust-node --dev`) produces blocks
//! while this process floods it with transfers over RPC; it is killed at seeded pseudo-random
//! moments and restarted on the same directory. After each kill the directory is opened here and
//! checked: the state head is the head block's state root, and every sender's nonce equals the
//! number of its transactions in the stored blocks (every transaction of the head block applied,
//! none later).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use shortcrust_chain::{AccountId, read_account};
use shortcrust_node::client::Client;
use shortcrust_node::{Node, NodeConfig, dev_genesis, dev_key};

use crate::support::*;

const CHILD: &str = env!("CARGO_BIN_EXE_shortcrust-node");

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

fn spawn(dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(CHILD)
        .args(["--dev", "--rpc-addr", "127.0.0.1:0", "--dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(u) = line.strip_prefix("rpc: ") {
                    break u.to_string();
                }
            }
            _ => panic!("the node exited before printing its address"),
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// Sends transfers from dev accounts 1..=6 until `stop`, refreshing nonces from the node.
fn load(url: String, stop: Arc<AtomicBool>) {
    let Ok(client) = Client::new(&url) else {
        return;
    };
    let keys: Vec<_> = (1..=6).map(dev_key).collect();
    while !stop.load(Ordering::SeqCst) {
        let mut batch = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let Ok(nonce) = client.nonce(key) else {
                return;
            };
            for n in nonce..nonce + 40 {
                let to = account(&dev_key(7 + (i as u32 % 3)));
                batch.push(Value::String(hex::encode(
                    transfer(key, n, to, 1).to_bytes(),
                )));
            }
        }
        if client
            .request("sc_sendTransactions", vec![json!(batch)])
            .is_err()
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Opens the killed node's directory and checks the invariants; returns the head height.
fn check(dir: &std::path::Path) -> (u64, usize) {
    let node = Node::open(NodeConfig::new(dir, Some(dev_genesis()))).expect("reopens");
    let head = node.head();
    assert_eq!(
        node.state_head().expect("state head"),
        head.header.state_root(),
        "the state head is the head block's state root"
    );
    let mut sent: BTreeMap<AccountId, u64> = BTreeMap::new();
    let mut txs = 0;
    for h in 1..=head.header.height {
        let block = node.db().block(h).expect("reads").expect("stored");
        let receipts = node.db().receipts(h).expect("reads").expect("stored");
        assert_eq!(block.transactions.len(), receipts.len());
        for t in &block.transactions {
            let expected = sent.entry(t.sender()).or_default();
            assert_eq!(t.tx.v1().nonce, *expected, "nonces in block order");
            *expected += 1;
            txs += 1;
        }
    }
    let view = node.head_view().expect("view");
    for (id, count) in &sent {
        let a = read_account(&*view, id).expect("account");
        assert_eq!(
            a.nonce, *count,
            "every transaction of the stored blocks applied, none later"
        );
    }
    (head.header.height, txs)
}

#[test]
fn sigkill_at_random_moments_leaves_the_last_stored_block() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("node");
    let mut rng = Rng(0x5eed_c0de_1234_5678);
    let mut last = (0, 0);
    for round in 0..6 {
        let (mut child, url) = spawn(&dir);
        let stop = Arc::new(AtomicBool::new(false));
        let loader = {
            let stop = stop.clone();
            std::thread::spawn(move || load(url, stop))
        };
        let delay = 150 + rng.next() % 600;
        std::thread::sleep(Duration::from_millis(delay));
        // SIGKILL: no destructor, no flush.
        child.kill().expect("kills");
        let _ = child.wait();
        stop.store(true, Ordering::SeqCst);
        let _ = loader.join();
        let (height, txs) = check(&dir);
        assert!(height >= last.0, "round {round}: the chain went back");
        last = (height, txs);
    }
    assert!(last.1 > 0, "blocks with transactions were stored");
}
