//! Performance, printed not asserted (`cargo test -p shortcrust-node --release -- --ignored
//! --nocapture perf`): signed token transfers through RPC into blocks, time to inclusion, and
//! the chain layer's cost over raw VM execution of the same transfers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shortcrust_chain::{
    Action, BlockContext, Genesis, GenesisContract, Hash32, MempoolConfig, execute_block,
};
use shortcrust_node::{Node, NodeConfig, Production, dev_genesis, dev_key};
use shortcrust_vm::{Context, SessionConfig};

use crate::support::*;

const SENDERS: u32 = 200;
const PER_SENDER: u64 = 50;
/// A token transfer under gas schedule v2 (two storage reads at 300 µs, `vm::gas::schedule`) uses
/// about 6.3 M gas: 10 M leaves room, and 1,000 fit in a block of the default gas limit.
const CALL_GAS: u64 = 10_000_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[test]
#[ignore = "a measurement: run with --release -- --ignored --nocapture"]
fn token_transfers_through_rpc() {
    let owner = dev_key(0);
    let token = GenesisContract {
        code: shortcrust_test_contracts::TOKEN.to_vec(),
        owner: account(&owner),
        nonce: 0,
    };
    let token_id = token.id();
    let base = dev_genesis();
    let genesis = Genesis {
        accounts: (0..SENDERS + 1)
            .map(|i| (account(&dev_key(i)), shortcrust_node::DEV_BALANCE))
            .collect(),
        contracts: vec![token],
        ..base
    };
    let mut mempool = MempoolConfig::new(genesis.params);
    mempool.max_txs = 100_000;
    mempool.max_per_sender = 1_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = NodeConfig::new(dir.path().join("node"), Some(genesis));
    config.production = Production::OnDemand {
        min_interval: Duration::from_millis(5),
    };
    config.mempool = Some(mempool);
    let node = Node::open(config).expect("opens");
    let test = TestNode::serve(node, dir, true);
    let client = test.client();

    // Fund every sender with tokens.
    let mints: Vec<Value> = (1..=SENDERS)
        .map(|i| {
            let t = tx(
                &owner,
                (i - 1) as u64,
                CALL_GAS,
                Action::Call {
                    contract: token_id.0,
                    entry: "mint".into(),
                    input: encode(&(account(&dev_key(i)).0, 1_000_000u64)),
                    amount: 0,
                },
            );
            Value::String(hex::encode(t.to_bytes()))
        })
        .collect();
    client
        .request("sc_sendTransactions", vec![json!(mints)])
        .expect("mints sent");
    while client.nonce(&owner).expect("nonce") < SENDERS as u64 {
        std::thread::sleep(Duration::from_millis(20));
    }

    // Sign every transfer up front (signing is the client's cost, not the node's).
    let mut batches: Vec<Vec<(Hash32, Value)>> = Vec::new();
    for round in 0..PER_SENDER {
        let mut batch = Vec::new();
        for i in 1..=SENDERS {
            let to = account(&dev_key(1 + i % SENDERS));
            let t = tx(
                &dev_key(i),
                round,
                CALL_GAS,
                Action::Call {
                    contract: token_id.0,
                    entry: "transfer".into(),
                    input: encode(&(to.0, 1u64)),
                    amount: 0,
                },
            );
            batch.push((t.hash(), Value::String(hex::encode(t.to_bytes()))));
        }
        batches.push(batch);
    }
    let total = (SENDERS as u64 * PER_SENDER) as usize;
    let included: Arc<Mutex<HashMap<Hash32, Instant>>> = Arc::default();
    let blocks = Arc::new(Mutex::new(Vec::new()));
    let watcher = {
        let mut rx = test.node.subscribe();
        let included = included.clone();
        let blocks = blocks.clone();
        test.runtime.spawn(async move {
            while let Ok(b) = rx.recv().await {
                let now = Instant::now();
                let mut inc = included.lock().expect("lock");
                for t in &b.block.transactions {
                    inc.insert(t.hash(), now);
                }
                drop(inc);
                blocks.lock().expect("lock").push(b);
            }
        })
    };
    let start = Instant::now();
    let mut sent_at: HashMap<Hash32, Instant> = HashMap::new();
    for batch in &batches {
        let t = Instant::now();
        let hexes: Vec<Value> = batch.iter().map(|(_, h)| h.clone()).collect();
        let r = client
            .request("sc_sendTransactions", vec![json!(hexes)])
            .expect("sent");
        for ((hash, _), result) in batch.iter().zip(r.as_array().expect("array")) {
            assert!(result.get("hash").is_some(), "refused: {result}");
            sent_at.insert(*hash, t);
        }
    }
    let sent = start.elapsed();
    loop {
        let n = batches
            .iter()
            .flatten()
            .filter(|(h, _)| included.lock().expect("lock").contains_key(h))
            .count();
        if n == total {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "only {n} of {total} included"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let inc = included.lock().expect("lock").clone();
    let end = batches
        .iter()
        .flatten()
        .filter_map(|(h, _)| inc.get(h))
        .max()
        .copied()
        .expect("some");
    let elapsed = end - start;
    let mut latencies: Vec<Duration> = sent_at
        .iter()
        .filter_map(|(h, t)| Some(*inc.get(h)? - *t))
        .collect();
    latencies.sort();
    watcher.abort();
    test.node.stop();

    // The chain layer against raw VM execution of the same calls, block by block.
    let all_blocks = blocks.lock().expect("lock").clone();
    let vm = test.node.vm();
    let (mut chain_time, mut vm_time, mut measured) = (Duration::ZERO, Duration::ZERO, 0usize);
    // A validator that never saw the transactions checks every one (signatures included).
    let mut cold_time = Duration::ZERO;
    for b in all_blocks
        .iter()
        .filter(|b| b.block.transactions.len() >= 100)
    {
        let parent = test
            .node
            .db()
            .block(b.block.header.height - 1)
            .expect("reads")
            .expect("stored");
        let t = Instant::now();
        let executed = execute_block(
            vm,
            test.node.checks(),
            parent.header.state_root(),
            &BlockContext::of(&b.block.header),
            &b.block.transactions,
        )
        .expect("re-executes");
        chain_time += t.elapsed();
        assert_eq!(executed.state_root, b.block.header.state_root());
        let t = Instant::now();
        let cold = execute_block(
            vm,
            &shortcrust_chain::CheckCache::none(),
            parent.header.state_root(),
            &BlockContext::of(&b.block.header),
            &b.block.transactions,
        )
        .expect("re-executes");
        cold_time += t.elapsed();
        assert_eq!(cold, executed);
        let t = Instant::now();
        let mut session = vm
            .session(SessionConfig {
                root: Some(parent.header.state_root()),
                context: Context::default(),
            })
            .expect("session");
        for tx in &b.block.transactions {
            let body = tx.tx.v1();
            session.set_context(Context {
                block_height: b.block.header.height,
                block_timestamp: b.block.header.timestamp,
                chain_id: body.chain_id,
                protocol_version: 1,
                sender: tx.sender().0,
            });
            if let Action::Call {
                contract,
                entry,
                input,
                ..
            } = &body.action
            {
                let r = session
                    .call(shortcrust_vm::ContractId(*contract), entry, input, CALL_GAS)
                    .expect("calls");
                assert!(r.result.is_ok());
            }
        }
        session.commit().expect("commits");
        vm_time += t.elapsed();
        measured += b.block.transactions.len();
    }
    let tx_blocks = all_blocks
        .iter()
        .filter(|b| !b.block.transactions.is_empty())
        .count();
    println!(
        "token transfers through RPC: {total} in {elapsed:.2?} = {:.0}/s (sending took {sent:.2?}; {tx_blocks} blocks)",
        total as f64 / elapsed.as_secs_f64()
    );
    println!(
        "time to inclusion: p50 {:.1?}, p99 {:.1?}, max {:.1?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );
    println!(
        "chain execute_block vs raw VM calls of the same {measured} transfers: {chain_time:.2?} vs {vm_time:.2?} = {:.2}x",
        chain_time.as_secs_f64() / vm_time.as_secs_f64().max(1e-9)
    );
    println!(
        "execute_block checking every transaction again (a node that never saw them): {cold_time:.2?} = {:.2}x",
        cold_time.as_secs_f64() / vm_time.as_secs_f64().max(1e-9)
    );
}
