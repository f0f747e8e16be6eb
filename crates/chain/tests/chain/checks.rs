//! The check cache: a node that admitted transactions (and so skips their checks in blocks)
//! reaches exactly the verdicts, receipts and roots of a node that checks everything, and a
//! recorded pass never covers a transaction that differs from it in any byte.

use shortcrust_chain::{
    Action, ChainError, CheckCache, Mempool, MempoolConfig, TxError, build_block, execute_block,
    verify_block,
};

use super::support::*;

#[test]
fn a_node_that_admitted_the_transactions_reaches_the_same_block_as_one_that_did_not() {
    let keys: Vec<_> = (1..=8).map(key).collect();
    let refs: Vec<_> = keys.iter().collect();
    let builder = TestChain::funded(&refs);
    let validator = TestChain::new(builder.genesis.clone());
    let mut txs: Vec<_> = keys
        .iter()
        .flat_map(|k| (0..6).map(move |n| transfer(k, n, id(&key(99)), 1 + n as u128)))
        .collect();
    // One that runs and fails (a call into an account that is no contract): fees still paid.
    txs.push(sign(
        &keys[0],
        6,
        CALL_GAS,
        1,
        Action::Call {
            contract: [7; 32],
            entry: "nothing".into(),
            input: vec![],
            amount: 0,
        },
    ));
    let state = builder.vm.store().view(&builder.root()).expect("view");
    let mut pool = Mempool::new(MempoolConfig::new(params()));
    assert!(
        pool.insert_batch(txs.clone(), &*state)
            .iter()
            .all(|r| r.is_ok())
    );
    assert_eq!(pool.checks().len(), txs.len());

    let pending = pool.pending(params().block_gas_limit);
    let context = builder.next_context();
    let built =
        build_block(&builder.vm, pool.checks(), &builder.head, &context, pending).expect("builds");
    assert_eq!(built.block.transactions.len(), txs.len());
    assert!(built.excluded.is_empty());
    assert_eq!(built.receipts.iter().filter(|r| !r.is_ok()).count(), 1);

    let cold = verify_block(
        &validator.vm,
        &CheckCache::none(),
        &validator.head,
        &built.block,
    )
    .expect("verifies everywhere");
    assert_eq!(cold.receipts, built.receipts);
    assert_eq!(cold.state_root, built.block.header.state_root());
    let warm = execute_block(
        &builder.vm,
        pool.checks(),
        builder.root(),
        &context,
        &built.block.transactions,
    )
    .expect("executes");
    assert_eq!(warm, cold);
}

#[test]
fn a_recorded_pass_never_covers_a_transaction_that_differs() {
    let alice = key(1);
    let chain = TestChain::funded(&[&alice]);
    let cache = CheckCache::default();
    let good = transfer(&alice, 0, id(&key(2)), 5);
    chain
        .execute_with(&cache, std::slice::from_ref(&good))
        .expect("valid");
    assert_eq!(cache.len(), 1);

    let mut flipped = good.clone();
    flipped.signature[0] ^= 1;
    let mut other_body = transfer(&alice, 0, id(&key(2)), 6);
    other_body.signature = good.signature;
    for bad in [flipped, other_body] {
        match chain.execute_with(&cache, std::slice::from_ref(&bad)) {
            Err(ChainError::InvalidTx { error, .. }) => assert_eq!(error, TxError::BadSignature),
            other => panic!("expected a bad signature, got {other:?}"),
        }
    }
    assert_eq!(cache.len(), 1, "failures are not recorded");
}
