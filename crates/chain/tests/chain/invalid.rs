//! Invalid transactions: each refused with a precise error, the state unchanged, a block holding
//! one invalid, and the builder leaving it out without a trace.

use shortcrust_chain::gas::TX_BASE_GAS_V2;
use shortcrust_chain::{
    Action, ChainError, CheckCache, Exclusion, MAX_TX_BYTES, SignedTransaction, Transaction,
    TransactionV1, TxError,
};
use shortcrust_vm::Vm;

use super::support::*;

/// Executes `tx` alone on a fresh chain funding `alice`: must fail with `expected`, and leave
/// the store's head where it was. Then builds a block from `[tx, a valid transfer]`: the invalid
/// one is left out and the block's state is the valid one's alone.
#[track_caller]
fn refused(chain: &TestChain, tx: SignedTransaction, expected: TxError) {
    let head = chain.vm.store().head().expect("head");
    match chain.execute(std::slice::from_ref(&tx)) {
        Err(ChainError::InvalidTx { index, hash, error }) => {
            assert_eq!((index, hash, error), (0, tx.hash(), expected.clone()));
        }
        other => panic!("expected {expected:?}, got {other:?}"),
    }
    assert_eq!(
        chain.vm.store().head().expect("head"),
        head,
        "nothing committed"
    );

    let alice = key(1);
    let good = transfer(&alice, chain.account(&id(&alice)).nonce, id(&key(9)), 5);
    let built = shortcrust_chain::build_block(
        &chain.vm,
        &CheckCache::none(),
        &chain.head,
        &chain.next_context(),
        vec![tx.clone(), good.clone()],
    )
    .expect("builds");
    assert_eq!(built.block.transactions, vec![good.clone()]);
    assert_eq!(built.excluded.len(), 1);
    assert_eq!(built.excluded[0].hash, tx.hash());
    assert_eq!(built.excluded[0].reason, Exclusion::Invalid(expected));
    let alone = chain.execute(&[good]).expect("valid");
    assert_eq!(built.block.header.state_root, alone.state_root.into());
}

fn body(signer: &shortcrust_chain::SigningKey, nonce: u64) -> TransactionV1 {
    TransactionV1 {
        chain_id: CHAIN_ID,
        sender: signer.verifying_key().to_bytes(),
        nonce,
        gas_limit: TRANSFER_GAS,
        gas_price: 1,
        action: Action::Transfer {
            to: id(&key(2)),
            amount: 1,
        },
    }
}

fn signed(body: TransactionV1, key: &shortcrust_chain::SigningKey) -> SignedTransaction {
    Transaction::V1(body).sign(key).expect("sender key")
}

#[test]
fn replay_and_gap_are_precise_nonce_errors() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let first = transfer(&alice, 0, id(&key(2)), 1);
    chain.advance(vec![first.clone()]);
    refused(
        &chain,
        first,
        TxError::NonceTooLow {
            expected: 1,
            found: 0,
        },
    );
    refused(
        &chain,
        transfer(&alice, 5, id(&key(2)), 1),
        TxError::NonceTooHigh {
            expected: 1,
            found: 5,
        },
    );
    // The same transaction twice in one block: the second is a replay.
    let tx = transfer(&alice, 1, id(&key(2)), 1);
    match chain.execute(&[tx.clone(), tx]) {
        Err(ChainError::InvalidTx {
            index: 1,
            error: TxError::NonceTooLow { .. },
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_chain_bad_signature_and_foreign_key_are_refused() {
    let alice = key(1);
    let chain = TestChain::funded(&[&alice]);
    let mut b = body(&alice, 0);
    b.chain_id = CHAIN_ID + 1;
    refused(
        &chain,
        signed(b, &alice),
        TxError::WrongChain {
            expected: CHAIN_ID,
            found: CHAIN_ID + 1,
        },
    );

    let mut tx = signed(body(&alice, 0), &alice);
    tx.signature[10] ^= 1;
    refused(&chain, tx, TxError::BadSignature);

    // A valid signature of another transaction.
    let mut tx = signed(body(&alice, 0), &alice);
    tx.signature = signed(body(&alice, 1), &alice).signature;
    refused(&chain, tx, TxError::BadSignature);

    // Signed by someone else than the sender key.
    assert_eq!(
        Transaction::V1(body(&alice, 0)).sign(&key(3)).err(),
        Some(TxError::KeyMismatch)
    );
    let mut tx = signed(body(&key(3), 0), &key(3));
    let Transaction::V1(b) = &mut tx.tx;
    b.sender = alice.verifying_key().to_bytes();
    refused(&chain, tx, TxError::BadSignature);

    // A small-order (weak) public key: the identity point.
    let mut weak = body(&alice, 0);
    weak.sender = [0; 32];
    weak.sender[0] = 1;
    let tx = SignedTransaction {
        tx: Transaction::V1(weak),
        signature: [0; 64],
    };
    refused(&chain, tx, TxError::InvalidPublicKey);
}

#[test]
fn insufficient_funds_include_the_amount_and_the_whole_gas_reservation() {
    let (alice, poor) = (key(1), key(4));
    let mut chain = TestChain::funded(&[&alice]);
    let funds = TRANSFER_GAS as u128 + 10;
    chain.advance(vec![transfer(&alice, 0, id(&poor), funds)]);
    // TRANSFER_GAS gas at price 1 plus 11 is one more than it has.
    refused(
        &chain,
        transfer(&poor, 0, id(&alice), 11),
        TxError::InsufficientBalance {
            balance: funds,
            needed: funds + 1,
        },
    );
    // An account that never received anything.
    let nobody = key(5);
    refused(
        &chain,
        transfer(&nobody, 0, id(&alice), 0),
        TxError::InsufficientBalance {
            balance: 0,
            needed: TRANSFER_GAS as u128,
        },
    );
    // Overflowing u128.
    let mut b = body(&alice, 1);
    b.action = Action::Transfer {
        to: id(&poor),
        amount: u128::MAX,
    };
    refused(&chain, signed(b, &alice), TxError::CostOverflow);
    // Exactly enough is enough.
    let built = chain.advance(vec![transfer(&poor, 0, id(&alice), 10)]);
    assert!(built.receipts[0].is_ok());
}

#[test]
fn size_and_gas_limits_are_precise_errors() {
    let alice = key(1);
    let chain = TestChain::funded(&[&alice]);
    let mut b = body(&alice, 0);
    b.gas_limit = DEPLOY_GAS;
    b.action = Action::Deploy {
        code: vec![0; MAX_TX_BYTES],
        init: None,
        nonce: 0,
    };
    let tx = signed(b, &alice);
    let size = tx.to_bytes().len();
    refused(
        &chain,
        tx,
        TxError::Oversized {
            size,
            max: MAX_TX_BYTES,
        },
    );

    let mut b = body(&alice, 0);
    b.gas_limit = params().block_gas_limit + 1;
    refused(
        &chain,
        signed(b, &alice),
        TxError::GasLimitAboveBlockLimit {
            gas_limit: params().block_gas_limit + 1,
            block_limit: params().block_gas_limit,
        },
    );

    let mut b = body(&alice, 0);
    b.gas_limit = TX_BASE_GAS_V2;
    let tx = signed(b, &alice);
    let intrinsic = shortcrust_chain::gas::intrinsic_gas(
        tx.tx.v1(),
        tx.to_bytes().len(),
        shortcrust_chain::gas::LATEST_SCHEDULE,
    );
    refused(
        &chain,
        tx,
        TxError::IntrinsicGas {
            gas_limit: TX_BASE_GAS_V2,
            intrinsic,
        },
    );

    let mut b = body(&alice, 0);
    b.gas_limit = CALL_GAS;
    b.action = Action::Call {
        contract: [1; 32],
        entry: "e".repeat(65),
        input: Vec::new(),
        amount: 0,
    };
    refused(
        &chain,
        signed(b, &alice),
        TxError::FieldTooLong {
            what: "entry name",
            len: 65,
            max: 64,
        },
    );
}

#[test]
fn malformed_encodings_are_refused_before_anything_else() {
    let alice = key(1);
    let tx = transfer(&alice, 0, id(&key(2)), 1);
    let bytes = tx.to_bytes();
    assert_eq!(SignedTransaction::from_bytes(&bytes), Ok(tx));
    let mut trailing = bytes.clone();
    trailing.push(0);
    let truncated = &bytes[..bytes.len() - 1];
    let mut unknown_version = bytes.clone();
    unknown_version[0] = 1;
    let mut unknown_action = bytes.clone();
    unknown_action[1 + 8 + 32 + 8 + 8 + 8] = 9;
    for bad in [
        &trailing[..],
        truncated,
        &unknown_version[..],
        &unknown_action[..],
        &[],
    ] {
        assert!(
            matches!(
                SignedTransaction::from_bytes(bad),
                Err(TxError::Malformed(_))
            ),
            "{bad:?}"
        );
    }
    let huge = vec![0u8; MAX_TX_BYTES + 1];
    assert_eq!(
        SignedTransaction::from_bytes(&huge),
        Err(TxError::Oversized {
            size: MAX_TX_BYTES + 1,
            max: MAX_TX_BYTES
        })
    );
}

#[test]
fn a_block_over_the_gas_limit_is_invalid_and_a_state_without_genesis_is_not_a_chain() {
    let alice = key(1);
    let chain = TestChain::funded(&[&alice]);
    let half = params().block_gas_limit / 2 + 1;
    let txs: Vec<_> = (0..2)
        .map(|n| {
            sign(
                &alice,
                n,
                half,
                1,
                Action::Transfer {
                    to: id(&alice),
                    amount: 0,
                },
            )
        })
        .collect();
    match chain.execute(&txs) {
        Err(ChainError::BlockGasLimitExceeded { total, limit }) => {
            assert_eq!(total, 2 * half as u128);
            assert_eq!(limit, params().block_gas_limit);
        }
        other => panic!("{other:?}"),
    }
    // The builder takes the first and leaves the second for a later block.
    let built = shortcrust_chain::build_block(
        &chain.vm,
        &CheckCache::none(),
        &chain.head,
        &chain.next_context(),
        txs.clone(),
    )
    .expect("builds");
    assert_eq!(built.block.transactions, txs[..1]);
    assert_eq!(built.excluded[0].reason, Exclusion::BlockFull);

    let vm = Vm::ephemeral().expect("vm");
    let empty = vm.store().empty_root();
    match shortcrust_chain::execute_block(
        &vm,
        &CheckCache::none(),
        empty,
        &chain.next_context(),
        &[],
    ) {
        Err(ChainError::NotAChainState(root)) => assert_eq!(root, empty),
        other => panic!("{other:?}"),
    }
}
