//! Timing of a full block of transfers (ignored by default; run with
//! `cargo test -p shortcrust-chain --test chain -- --ignored --nocapture throughput`).

use std::time::Instant;

use shortcrust_chain::{CheckCache, Mempool, MempoolConfig, build_block, verify_block};

use super::support::*;

#[test]
#[ignore = "a measurement, not a check"]
fn throughput_of_a_block_of_transfers() {
    const SENDERS: u64 = 200;
    // 1,000 transfers of `TRANSFER_GAS` (10 M) fill a default block (10¹⁰): the most the
    // block admits under protocol 2 with that limit (2,000 at the 3 M limit of protocol 1).
    const PER_SENDER: u64 = 5;
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
    for tx in &txs {
        tx.check(&params()).expect("valid");
    }
    let strict = t.elapsed();
    println!(
        "stateless checks one by one, one thread: {strict:?} ({:.1} µs/tx)",
        strict.as_secs_f64() * 1e6 / n as f64
    );

    // Admission verifies every signature (on all cores) into the pool's cache, which the
    // proposer then shares: the node's path.
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
    let built = build_block(
        &chain.vm,
        pool.checks(),
        &chain.head,
        &chain.next_context(),
        pending,
    )
    .expect("builds");
    let build = t.elapsed();
    assert_eq!(built.block.transactions.len(), n);

    let t = Instant::now();
    verify_block(
        &validator.vm,
        &CheckCache::none(),
        &validator.head,
        &built.block,
    )
    .expect("verifies");
    let verify = t.elapsed();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{n} transfers ({} gas): mempool admission {admit:?} ({:.1} µs/tx), pending {order:?}, \
         build with admission's signature verdicts {build:?} ({:.1} µs/tx), verify on a node \
         that saw none of them {verify:?} ({:.1} µs/tx)",
        built.block.header.gas_used,
        per(admit),
        per(build),
        per(verify)
    );
}

/// The chain layer's cost over raw VM execution of the same token transfers, on an on-disk
/// state configured as the node's (`durable_commits: false`): `execute_block` of a block of
/// 1,000 signed `transfer` calls against one `Session` calling the same entries, rounds
/// interleaved (the machine is shared: compare within a round), medians printed; `execute_block`
/// both as a node runs it (signatures verified at admission) and verifying every signature.
#[test]
#[ignore = "a measurement, not a check"]
fn chain_overhead_over_raw_vm_for_token_transfers() {
    use shortcrust_chain::{Action, GenesisContract, execute_block};
    use shortcrust_store::{OpenOptions, PersistentStore};
    use shortcrust_vm::{Context, ContractId, SessionConfig, Vm, VmConfig};
    use std::sync::Arc;
    use std::time::Duration;

    const SENDERS: u64 = 200;
    const PER_SENDER: u64 = 5;
    const ROUNDS: usize = 16;
    let enc = |v: &([u8; 32], u64)| borsh::to_vec(v).expect("encodes");
    let owner = key(0);
    let keys: Vec<_> = (1..=SENDERS).map(key).collect();
    let token = GenesisContract {
        code: shortcrust_test_contracts::TOKEN.to_vec(),
        owner: id(&owner),
        nonce: 0,
    };
    let token_id = token.id();
    let mut g = genesis(&keys.iter().chain([&owner]).collect::<Vec<_>>());
    g.contracts.push(token);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = PersistentStore::open_with(
        dir.path().join("state"),
        OpenOptions {
            durable_commits: false,
            ..OpenOptions::default()
        },
    )
    .expect("store");
    // `SHORTCRUST_POOL=4` shrinks the instance pool's address-space reservation so that the
    // test runs under valgrind (`--tool=callgrind` counts instructions, which repeat).
    let pool_instances = std::env::var("SHORTCRUST_POOL")
        .ok()
        .and_then(|v| v.parse().ok());
    let config = VmConfig {
        pool_instances: pool_instances.unwrap_or(VmConfig::default().pool_instances),
        ..VmConfig::default()
    };
    let vm = Vm::with_store(Arc::new(store), config).expect("vm");
    let mut chain = TestChain::on(vm, g);
    let call = |k, nonce, entry: &str, input| {
        sign(
            k,
            nonce,
            CALL_GAS / 10,
            1,
            Action::Call {
                contract: token_id.0,
                entry: entry.into(),
                input,
                amount: 0,
            },
        )
    };
    let mints: Vec<_> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| call(&owner, i as u64, "mint", enc(&(id(k).0, 1_000_000))))
        .collect();
    let built = chain.advance(mints);
    assert!(
        built.receipts.iter().all(|r| r.is_ok()),
        "{:?}",
        built.receipts.first()
    );
    assert_eq!(built.receipts.len(), keys.len());
    let txs: Vec<_> = (0..PER_SENDER)
        .flat_map(|n| {
            let keys = &keys;
            (0..SENDERS as usize).map(move |i| {
                let to = id(&keys[(i + 1) % keys.len()]);
                call(&keys[i], n, "transfer", enc(&(to.0, 1)))
            })
        })
        .collect();
    let n = txs.len();
    let context = chain.next_context();
    let parent = chain.root();
    // What the node's mempool admission leaves behind: every signature verified once.
    let admitted = CheckCache::default();
    let checks = shortcrust_chain::tx::check_all(&txs, &params(), &admitted);
    assert!(checks.iter().all(|c| c.is_ok()));
    let chain_run = |checks: &CheckCache| {
        let t = Instant::now();
        let executed = execute_block(&chain.vm, checks, parent, &context, &txs).expect("executes");
        let elapsed = t.elapsed();
        assert!(executed.receipts.iter().all(|r| r.is_ok()));
        (elapsed, executed)
    };
    let raw_run = || {
        let t = Instant::now();
        let mut session = chain
            .vm
            .session(SessionConfig {
                root: Some(parent),
                context: Context::default(),
            })
            .expect("session");
        for tx in &txs {
            let body = tx.tx.v1();
            session.set_context(Context {
                block_height: context.height,
                block_timestamp: context.timestamp,
                chain_id: body.chain_id,
                protocol_version: params().protocol_version,
                sender: tx.sender().0,
            });
            if let Action::Call { entry, input, .. } = &body.action {
                let r = session
                    .call(ContractId(token_id.0), entry, input, body.gas_limit)
                    .expect("calls");
                assert!(r.result.is_ok());
            }
        }
        let tc = Instant::now();
        session.commit().expect("commits");
        if std::env::var("SHORTCRUST_COMMIT").is_ok() {
            eprintln!("raw commit {:?} of {:?}", tc.elapsed(), t.elapsed());
        }
        t.elapsed()
    };
    let (mut chain_times, mut cold_times, mut vm_times) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which runs first: caches and the machine's other load favour neither.
        if round % 2 == 0 {
            chain_times.push(chain_run(&admitted).0);
            vm_times.push(raw_run());
        } else {
            vm_times.push(raw_run());
            chain_times.push(chain_run(&admitted).0);
        }
        let (cold, executed) = chain_run(&CheckCache::none());
        cold_times.push(cold);
        assert_eq!(executed, chain_run(&admitted).1);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let fastest = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    let (c_min, v_min) = (fastest(&chain_times), fastest(&vm_times));
    let (c, cold, v) = (
        median(&mut chain_times),
        median(&mut cold_times),
        median(&mut vm_times),
    );
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{n} token transfers, median of {ROUNDS}: raw VM {v:.2?} ({:.1} µs/tx); execute_block \
         with the signatures admitted before {c:.2?} ({:.1} µs/tx) = {:.2}x; verifying every \
         signature {cold:.2?} ({:.1} µs/tx) = {:.2}x",
        per(v),
        per(c),
        c.as_secs_f64() / v.as_secs_f64(),
        per(cold),
        cold.as_secs_f64() / v.as_secs_f64()
    );
    println!(
        "fastest of {ROUNDS}: raw VM {v_min:.2?}, execute_block {c_min:.2?} = {:.2}x",
        c_min.as_secs_f64() / v_min.as_secs_f64()
    );
}
