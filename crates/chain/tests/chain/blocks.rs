//! Blocks: deterministic execution (twice, and on two VMs), verification that refuses every
//! tampered field, encodings, hashes and receipt inclusion proofs.

use shortcrust_chain::{
    Action, Block, BlockContext, ChainError, CheckCache, Hash32, SignedTransaction, Transaction,
    TxError, build_block, execute_block, merkle, verify_block,
};
use shortcrust_test_contracts::TOKEN;

use super::support::*;

/// A block's worth of mixed transactions: transfers, a token deploy with init, token calls
/// (one reverting).
fn workload() -> (Vec<shortcrust_chain::SigningKey>, Vec<SignedTransaction>) {
    let keys: Vec<_> = (1..=4).map(key).collect();
    let mut txs = Vec::new();
    let token_tx = sign(
        &keys[0],
        0,
        DEPLOY_GAS,
        2,
        Action::Deploy {
            code: TOKEN.to_vec(),
            init: Some(("init".into(), borsh::to_vec(&1_000u64).expect("enc"))),
            nonce: 0,
        },
    );
    let token = shortcrust_vm::contract_id(&id(&keys[0]).0, &shortcrust_store::code_hash(TOKEN), 0);
    txs.push(token_tx);
    for (n, k) in keys.iter().enumerate().skip(1) {
        txs.push(transfer(k, 0, id(&keys[0]), 100 + n as u128));
    }
    let input = borsh::to_vec(&(id(&keys[1]).0, 10u64)).expect("enc");
    txs.push(sign(
        &keys[0],
        1,
        CALL_GAS,
        3,
        Action::Call {
            contract: token.0,
            entry: "transfer".into(),
            input: input.clone(),
            amount: 0,
        },
    ));
    // keys[1] now holds 10 tokens: spending 11 reverts (and its amount of 7 stays home).
    let over = borsh::to_vec(&(id(&keys[2]).0, 11u64)).expect("enc");
    txs.push(sign(
        &keys[1],
        1,
        CALL_GAS,
        1,
        Action::Call {
            contract: token.0,
            entry: "transfer".into(),
            input: over,
            amount: 7,
        },
    ));
    (keys, txs)
}

#[test]
fn execution_is_a_pure_function_of_its_inputs() {
    let (keys, txs) = workload();
    let refs: Vec<_> = keys.iter().collect();
    let chain = TestChain::funded(&refs);
    let first = chain.execute(&txs).expect("valid block");
    let second = chain.execute(&txs).expect("valid block");
    assert_eq!(first, second);
    assert!(first.receipts[..5].iter().all(|r| r.is_ok()));
    assert!(!first.receipts[5].is_ok());

    // Another VM, its own store, the same genesis: the same everything.
    let other = TestChain::new(chain.genesis.clone());
    assert_eq!(other.root(), chain.root());
    let third = other.execute(&txs).expect("valid block");
    assert_eq!(third, first);

    // A different context changes the proposer's balance and so the root.
    let mut context = chain.next_context();
    context.proposer = id(&keys[3]);
    let moved =
        execute_block(&chain.vm, &CheckCache::none(), chain.root(), &context, &txs).expect("valid");
    assert_ne!(moved.state_root, first.state_root);
    assert_eq!(moved.gas_used, first.gas_used);
}

#[test]
fn built_blocks_verify_on_another_node() {
    let (keys, txs) = workload();
    let refs: Vec<_> = keys.iter().collect();
    let mut proposer_node = TestChain::funded(&refs);
    let validator = TestChain::new(proposer_node.genesis.clone());
    let parent = proposer_node.head.clone();
    let built = proposer_node.advance(txs);
    assert_eq!(built.block.header.height, 1);
    assert_eq!(built.block.header.parent_hash, parent.hash());
    assert_eq!(
        built.block.header.gas_used,
        built.receipts.iter().map(|r| r.gas_used).sum::<u64>()
    );
    let verified = verify_block(
        &validator.vm,
        &CheckCache::none(),
        &validator.head,
        &built.block,
    )
    .expect("valid");
    assert_eq!(verified.receipts, built.receipts);
    assert_eq!(
        Hash32::from(verified.state_root),
        built.block.header.state_root
    );
}

#[track_caller]
fn refuses(chain: &TestChain, block: &Block, check: impl FnOnce(ChainError) -> bool) {
    let result = verify_block(&chain.vm, &CheckCache::none(), &chain.head, block);
    match result {
        Err(e) => {
            let text = e.to_string();
            assert!(check(e), "unexpected error: {text}");
        }
        Ok(_) => panic!("a tampered block verified"),
    }
}

#[test]
fn verification_refuses_every_tampered_field() {
    let (keys, txs) = workload();
    let refs: Vec<_> = keys.iter().collect();
    let mut proposer_node = TestChain::funded(&refs);
    let validator = TestChain::new(proposer_node.genesis.clone());
    let good = proposer_node.advance(txs).block;

    let mut b = good.clone();
    b.header.state_root.0[0] ^= 1;
    refuses(
        &validator,
        &b,
        |e| matches!(e, ChainError::StateRootMismatch { header, .. } if header == b.header.state_root),
    );
    let mut b = good.clone();
    b.header.receipts_root.0[31] ^= 1;
    refuses(&validator, &b, |e| {
        matches!(e, ChainError::ReceiptsRootMismatch { .. })
    });
    let mut b = good.clone();
    b.header.gas_used += 1;
    refuses(
        &validator,
        &b,
        |e| matches!(e, ChainError::GasUsedMismatch { header, computed } if header == computed + 1),
    );
    let mut b = good.clone();
    b.header.height = 2;
    refuses(&validator, &b, |e| {
        matches!(
            e,
            ChainError::HeightMismatch {
                expected: 1,
                found: 2
            }
        )
    });
    let mut b = good.clone();
    b.header.parent_hash = Hash32([7; 32]);
    refuses(&validator, &b, |e| {
        matches!(e, ChainError::ParentHashMismatch { .. })
    });
    let mut b = good.clone();
    b.header.timestamp = validator.head.timestamp - 1;
    refuses(&validator, &b, |e| {
        matches!(e, ChainError::TimestampBeforeParent { .. })
    });
    let mut b = good.clone();
    b.header.gas_limit -= 1;
    refuses(&validator, &b, |e| {
        matches!(e, ChainError::GasLimitMismatch { .. })
    });

    // A transaction changed: the header no longer commits to it.
    let mut b = good.clone();
    let Transaction::V1(t) = &mut b.transactions[1].tx;
    let Action::Transfer { amount, .. } = &mut t.action else {
        panic!("transaction 1 is a transfer")
    };
    *amount += 1;
    refuses(&validator, &b, |e| {
        matches!(e, ChainError::TransactionsRootMismatch { .. })
    });
    // ... and with the root recomputed, its signature no longer matches.
    b.header.transactions_root = shortcrust_chain::block::transactions_root(&b.transactions);
    refuses(&validator, &b, |e| {
        matches!(
            e,
            ChainError::InvalidTx {
                index: 1,
                error: TxError::BadSignature,
                ..
            }
        )
    });
    // A transaction dropped, roots recomputed: the state differs.
    let mut b = good.clone();
    b.transactions.remove(2);
    b.header.transactions_root = shortcrust_chain::block::transactions_root(&b.transactions);
    refuses(&validator, &b, |e| {
        matches!(e, ChainError::StateRootMismatch { .. })
    });
    // Reordered so that a nonce comes before its predecessor: invalid.
    let mut b = good.clone();
    b.transactions.swap(0, 4);
    b.header.transactions_root = shortcrust_chain::block::transactions_root(&b.transactions);
    refuses(&validator, &b, |e| {
        matches!(
            e,
            ChainError::InvalidTx {
                index: 0,
                error: TxError::NonceTooHigh { .. },
                ..
            }
        )
    });

    // The untampered block still verifies.
    verify_block(&validator.vm, &CheckCache::none(), &validator.head, &good).expect("valid");
}

#[test]
fn blocks_encode_canonically_and_receipts_are_provable() {
    let (keys, txs) = workload();
    let refs: Vec<_> = keys.iter().collect();
    let mut chain = TestChain::funded(&refs);
    let built = chain.advance(txs);
    let bytes = built.block.to_bytes();
    let decoded = Block::from_bytes(&bytes).expect("decodes");
    assert_eq!(decoded, built.block);
    assert_eq!(decoded.hash(), built.block.hash());
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(Block::from_bytes(&longer).is_err());
    let mut header = built.block.header.clone();
    header.timestamp += 1;
    assert_ne!(header.hash(), built.block.hash());

    let hashes: Vec<Hash32> = built.receipts.iter().map(|r| r.hash()).collect();
    let root = built.block.header.receipts_root;
    for (i, h) in hashes.iter().enumerate() {
        let proof = merkle::proof(&hashes, i).expect("in range");
        assert!(merkle::verify(&root, h, i, hashes.len(), &proof));
    }
    let receipt_bytes = borsh::to_vec(&built.receipts[0]).expect("enc");
    let receipt: shortcrust_chain::Receipt = borsh::from_slice(&receipt_bytes).expect("dec");
    assert_eq!(receipt, built.receipts[0]);
}

#[test]
fn empty_blocks_keep_the_state_and_chain_up() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let genesis_root = chain.root();
    let built = chain.advance(Vec::new());
    assert_eq!(built.block.header.state_root, genesis_root.into());
    assert_eq!(built.block.header.gas_used, 0);
    chain.advance(vec![transfer(&alice, 0, id(&key(2)), 1)]);
    chain.advance(Vec::new());
    assert_eq!(chain.head.height, 3);
    // A context at the wrong height is refused by the builder.
    let context = BlockContext {
        height: 9,
        ..chain.next_context()
    };
    match build_block(
        &chain.vm,
        &CheckCache::none(),
        &chain.head,
        &context,
        Vec::new(),
    ) {
        Err(ChainError::HeightMismatch {
            expected: 4,
            found: 9,
        }) => {}
        other => panic!("{other:?}"),
    }
}
