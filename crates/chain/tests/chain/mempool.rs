//! The mempool: admission checks, proposal order, replacement, eviction, dedup, batch
//! signature checks, and cleanup after a block.

use std::sync::Arc;

use shortcrust_chain::{
    AccountId, Action, CheckCache, Mempool, MempoolConfig, MempoolError, SignedTransaction,
    SigningKey, TxError,
};
use shortcrust_store::StateView;

use super::support::*;

fn priced(key: &SigningKey, nonce: u64, price: u64) -> SignedTransaction {
    sign(
        key,
        nonce,
        TRANSFER_GAS,
        price,
        Action::Transfer {
            to: id(key),
            amount: 1,
        },
    )
}

fn view(chain: &TestChain) -> Arc<dyn StateView> {
    chain.vm.store().view(&chain.root()).expect("view")
}

fn pool() -> Mempool {
    Mempool::new(MempoolConfig::new(params()))
}

/// (sender, nonce, price) of each pending transaction.
fn order(pool: &Mempool, max_gas: u64) -> Vec<(AccountId, u64, u64)> {
    pool.pending(max_gas)
        .iter()
        .map(|t| {
            let b = t.tx.v1();
            (t.sender(), b.nonce, b.gas_price)
        })
        .collect()
}

#[test]
fn pending_is_by_price_then_sender_then_nonce_and_only_executable_prefixes() {
    let keys: Vec<_> = (1..=4).map(key).collect();
    let refs: Vec<_> = keys.iter().collect();
    let chain = TestChain::funded(&refs);
    let state = view(&chain);
    let (a, b, c, d) = (&keys[0], &keys[1], &keys[2], &keys[3]);
    let txs = vec![
        priced(a, 0, 5),
        priced(a, 1, 50),
        priced(b, 0, 10),
        priced(c, 0, 10),
        priced(d, 1, 99), // a gap: not executable yet
    ];
    let mut forward = pool();
    for tx in txs.clone() {
        forward.insert(tx, &*state).expect("admitted");
    }
    let mut backward = pool();
    for tx in txs.iter().rev().cloned() {
        backward.insert(tx, &*state).expect("admitted");
    }
    let (first, second) = if id(b) < id(c) { (b, c) } else { (c, b) };
    let expected = vec![
        (id(first), 0, 10),
        (id(second), 0, 10),
        (id(a), 0, 5),
        (id(a), 1, 50),
    ];
    assert_eq!(order(&forward, u64::MAX), expected);
    assert_eq!(order(&backward, u64::MAX), expected);
    assert_eq!(forward.len(), 5);

    // Filling the gap makes d's two transactions executable, first in line.
    forward.insert(priced(d, 0, 1), &*state).expect("admitted");
    let all = order(&forward, u64::MAX);
    assert_eq!(all.len(), 6);
    assert_eq!(
        all[..3],
        [(id(first), 0, 10), (id(second), 0, 10), (id(a), 0, 5)]
    );
    assert_eq!(all[3..], [(id(a), 1, 50), (id(d), 0, 1), (id(d), 1, 99)]);

    // A gas budget for two transactions takes the best two.
    assert_eq!(order(&forward, 2 * TRANSFER_GAS), expected[..2]);

    // What is pending builds into a block with nothing left out.
    let built = shortcrust_chain::build_block(
        &chain.vm,
        &CheckCache::none(),
        &chain.head,
        &chain.next_context(),
        forward.pending(u64::MAX),
    )
    .expect("builds");
    assert!(built.excluded.is_empty(), "{:?}", built.excluded);
    assert_eq!(built.block.transactions.len(), 6);
}

#[test]
fn replacement_needs_a_ten_percent_higher_price() {
    let alice = key(1);
    let chain = TestChain::funded(&[&alice]);
    let state = view(&chain);
    let mut pool = pool();
    let old = pool
        .insert(priced(&alice, 0, 100), &*state)
        .expect("admitted");
    let same_price = sign(
        &alice,
        0,
        TRANSFER_GAS,
        100,
        Action::Transfer {
            to: id(&alice),
            amount: 2,
        },
    );
    for tx in [same_price, priced(&alice, 0, 109)] {
        match pool.insert(tx, &*state) {
            Err(MempoolError::ReplacementUnderpriced { old: 100, min: 110 }) => {}
            other => panic!("{other:?}"),
        }
    }
    let new = pool
        .insert(priced(&alice, 0, 110), &*state)
        .expect("replaces");
    assert!(!pool.contains(&old) && pool.contains(&new));
    assert_eq!(pool.len(), 1);
    // At the lowest prices the bump is at least one.
    let mut cheap = Mempool::new(MempoolConfig::new(params()));
    cheap
        .insert(priced(&alice, 0, 1), &*state)
        .expect("admitted");
    assert!(matches!(
        cheap.insert(priced(&alice, 0, 1), &*state),
        Err(MempoolError::AlreadyKnown(_))
    ));
    match cheap.insert(
        sign(
            &alice,
            0,
            TRANSFER_GAS + 1,
            1,
            Action::Transfer {
                to: id(&alice),
                amount: 1,
            },
        ),
        &*state,
    ) {
        Err(MempoolError::ReplacementUnderpriced { old: 1, min: 2 }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_full_pool_evicts_the_cheapest_queue_tails_of_other_senders() {
    let keys: Vec<_> = (1..=5).map(key).collect();
    let refs: Vec<_> = keys.iter().collect();
    let chain = TestChain::funded(&refs);
    let state = view(&chain);
    let mut pool = Mempool::new(MempoolConfig {
        max_txs: 3,
        ..MempoolConfig::new(params())
    });
    let (a, b, c, d) = (&keys[0], &keys[1], &keys[2], &keys[3]);
    let a0 = pool.insert(priced(a, 0, 1), &*state).expect("admitted");
    let a1 = pool.insert(priced(a, 1, 1), &*state).expect("admitted");
    let b0 = pool.insert(priced(b, 0, 5), &*state).expect("admitted");
    // c pays 3: evicts a's tail (nonce 1), not a's executable nonce 0.
    let c0 = pool.insert(priced(c, 0, 3), &*state).expect("admitted");
    assert!(pool.contains(&a0) && !pool.contains(&a1) && pool.contains(&b0) && pool.contains(&c0));
    assert_eq!(pool.len(), 3);
    // d offers 1: nothing strictly cheaper to evict.
    match pool.insert(priced(d, 0, 1), &*state) {
        Err(MempoolError::Full(1)) => {}
        other => panic!("{other:?}"),
    }
    // A sender never evicts its own transactions to make room (a0 at 1 is the cheapest).
    match pool.insert(priced(a, 1, 2), &*state) {
        Err(MempoolError::Full(2)) => assert!(pool.contains(&a0)),
        other => panic!("{other:?}"),
    }

    // The byte limit works the same way.
    let one = priced(a, 0, 1).to_bytes().len();
    let mut small = Mempool::new(MempoolConfig {
        max_bytes: 2 * one,
        ..MempoolConfig::new(params())
    });
    small.insert(priced(a, 0, 1), &*state).expect("admitted");
    small.insert(priced(b, 0, 2), &*state).expect("admitted");
    small.insert(priced(c, 0, 3), &*state).expect("evicts a's");
    assert_eq!(small.bytes(), 2 * one);
    assert_eq!(order(&small, u64::MAX).len(), 2);
}

#[test]
fn admission_checks_state_price_limits_and_signatures() {
    let (alice, poor) = (key(1), key(2));
    let mut chain = TestChain::funded(&[&alice]);
    chain.advance(vec![transfer(
        &alice,
        0,
        id(&poor),
        2 * (TRANSFER_GAS as u128 + 1),
    )]);
    let state = view(&chain);
    let mut pool = pool();
    let err = |r: Result<_, MempoolError>| r.err().map(|e| e.to_string());

    assert!(matches!(
        pool.insert(priced(&alice, 0, 1), &*state),
        Err(MempoolError::Invalid(TxError::NonceTooLow {
            expected: 1,
            found: 0
        }))
    ));
    assert!(matches!(
        pool.insert(priced(&alice, 65, 1), &*state),
        Err(MempoolError::NonceTooFarAhead {
            nonce: 65,
            next: 1,
            max: 64
        })
    ));
    assert!(matches!(
        pool.insert(priced(&alice, 1, 0), &*state),
        Err(MempoolError::GasPriceTooLow { price: 0, min: 1 })
    ));
    let mut bad = priced(&alice, 1, 1);
    bad.signature[0] ^= 1;
    assert!(matches!(
        pool.insert(bad, &*state),
        Err(MempoolError::Invalid(TxError::BadSignature))
    ));
    // poor can pay for two transfers of 1 at price 1 (gas 3 M each), not three.
    pool.insert(priced(&poor, 0, 1), &*state).expect("first");
    pool.insert(priced(&poor, 1, 1), &*state).expect("second");
    match pool.insert(priced(&poor, 2, 1), &*state) {
        Err(MempoolError::Invalid(TxError::InsufficientBalance { balance, needed })) => {
            assert_eq!(balance, 2 * (TRANSFER_GAS as u128 + 1));
            assert_eq!(needed, 3 * (TRANSFER_GAS as u128 + 1));
        }
        other => panic!("{:?}", err(other)),
    }

    let mut strict = Mempool::new(MempoolConfig {
        max_per_sender: 2,
        ..MempoolConfig::new(params())
    });
    strict
        .insert(priced(&alice, 1, 1), &*state)
        .expect("admitted");
    strict
        .insert(priced(&alice, 2, 1), &*state)
        .expect("admitted");
    strict
        .insert(priced(&alice, 2, 5), &*state)
        .expect("a replacement is allowed in a full queue");
    assert!(matches!(
        strict.insert(priced(&alice, 3, 1), &*state),
        Err(MempoolError::NonceTooFarAhead { .. })
    ));
}

#[test]
fn batches_verify_together_and_still_name_the_bad_signature() {
    let keys: Vec<_> = (1..=6).map(key).collect();
    let refs: Vec<_> = keys.iter().collect();
    let chain = TestChain::funded(&refs);
    let state = view(&chain);
    let mut txs: Vec<_> = keys.iter().map(|k| priced(k, 0, 2)).collect();
    let mut pool = pool();
    let results = pool.insert_batch(txs.clone(), &*state);
    assert!(results.iter().all(|r| r.is_ok()));
    assert_eq!(pool.len(), 6);

    let mut other = Mempool::new(MempoolConfig::new(params()));
    txs[3].signature[40] ^= 0x10;
    txs.push(txs[0].clone());
    let results = other.insert_batch(txs, &*state);
    for (i, r) in results.iter().enumerate() {
        match (i, r) {
            (3, Err(MempoolError::Invalid(TxError::BadSignature))) => {}
            (6, Err(MempoolError::AlreadyKnown(_))) => {}
            (_, Ok(_)) if i != 3 && i != 6 => {}
            _ => panic!("{i}: {r:?}"),
        }
    }
    assert_eq!(other.len(), 5);
}

#[test]
fn included_transactions_and_their_stale_rivals_leave_the_pool() {
    let (alice, bob) = (key(1), key(2));
    let mut chain = TestChain::funded(&[&alice, &bob]);
    let state = view(&chain);
    let mut pool = pool();
    for n in 0..3 {
        pool.insert(priced(&alice, n, 2), &*state)
            .expect("admitted");
    }
    pool.insert(priced(&bob, 0, 2), &*state).expect("admitted");
    // Alice's nonce 0 is included through another copy (another price): both must go.
    let rival = priced(&alice, 0, 7);
    let built = chain.advance(vec![rival, priced(&bob, 0, 2)]);
    pool.remove_included(&built.block);
    assert_eq!(
        order(&pool, u64::MAX),
        vec![(id(&alice), 1, 2), (id(&alice), 2, 2)]
    );
    assert_eq!(pool.len(), 2);
    // The pool's view of alice's nonce moved on even for a stale state.
    assert!(matches!(
        pool.insert(priced(&alice, 0, 9), &*state),
        Err(MempoolError::Invalid(TxError::NonceTooLow {
            expected: 1,
            found: 0
        }))
    ));
    // Removing one (say the builder found it invalid) leaves a gap.
    let txs = pool.pending(u64::MAX);
    let hash = txs[0].hash();
    assert!(pool.remove(&hash).is_some());
    assert!(!pool.contains(&hash));
    assert_eq!(order(&pool, u64::MAX), vec![], "a gap stops alice");
}
