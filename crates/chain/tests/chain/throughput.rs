//! Timing of a full block of transfers (ignored by default; run with
//! `cargo test -p shortcrust-chain --test chain -- --ignored --nocapture throughput`).

use std::time::Instant;

use shortcrust_chain::{Mempool, MempoolConfig, build_block, verify_block};

use super::support::*;

#[test]
#[ignore = "a measurement, not a check"]
fn throughput_of_a_block_of_transfers() {
    const SENDERS: u64 = 200;
    const PER_SENDER: u64 = 10;
    let keys: Vec<_> = (1..=SENDERS).map(key).collect();
    let refs: Vec<_> = keys.iter().collect();
    let chain = TestChain::funded(&refs);
    let validator = TestChain::new(chain.genesis.clone());
    let txs: Vec<_> = keys
        .iter()
        .flat_map(|k| (0..PER_SENDER).map(move |n| transfer(k, n, id(&key(0)), 1)))
        .collect();
    let n = txs.len();

    let t = Instant::now();
    let checked: Vec<_> = txs
        .iter()
        .map(|t| t.check(&params()).expect("valid"))
        .collect();
    let strict = t.elapsed();
    let hashes: Vec<_> = checked.iter().map(|c| c.hash).collect();
    let refs: Vec<_> = txs.iter().collect();
    let t = Instant::now();
    let batch = shortcrust_chain::tx::verify_signatures(&refs, &hashes);
    let batch_time = t.elapsed();
    assert!(batch.iter().all(|r| r.is_ok()));
    println!("one by one, all checks: {strict:?}; signatures in one batch: {batch_time:?}");

    let state = chain.vm.store().view(&chain.root()).expect("view");
    let mut pool = Mempool::new(MempoolConfig::new(params()));
    let t = Instant::now();
    let admitted = pool.insert_batch(txs, &*state);
    let admit = t.elapsed();
    assert!(admitted.iter().all(|r| r.is_ok()));

    let t = Instant::now();
    let pending = pool.pending(params().block_gas_limit);
    let order = t.elapsed();
    assert_eq!(pending.len(), n);

    let t = Instant::now();
    let built =
        build_block(&chain.vm, &chain.head, &chain.next_context(), pending).expect("builds");
    let build = t.elapsed();
    assert_eq!(built.block.transactions.len(), n);

    let t = Instant::now();
    verify_block(&validator.vm, &validator.head, &built.block).expect("verifies");
    let verify = t.elapsed();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{n} transfers ({} gas): mempool batch admission {admit:?} ({:.1} µs/tx), pending {order:?}, \
         build {build:?} ({:.1} µs/tx), verify {verify:?} ({:.1} µs/tx)",
        built.block.header.gas_used,
        per(admit),
        per(build),
        per(verify)
    );
}
