//! Native transfers, fees to the proposer, refunds, nonces.

use shortcrust_chain::gas::{
    ACCOUNT_CREDIT_GAS, ACCOUNT_CREDIT_GAS_V2, TX_BASE_GAS, TX_BASE_GAS_V2, TX_GAS_PER_BYTE,
};
use shortcrust_chain::{Action, TxStatus};

use super::support::*;

#[test]
fn a_transfer_moves_the_amount_and_pays_its_intrinsic_gas_to_the_proposer() {
    let (alice, bob) = (key(1), key(2));
    let mut chain = TestChain::funded(&[&alice]);
    let tx = transfer(&alice, 0, id(&bob), 250);
    let size = tx.to_bytes().len() as u64;
    let built = chain.advance(vec![tx.clone()]);
    assert!(built.excluded.is_empty());
    let [receipt] = &built.receipts[..] else {
        panic!("one receipt")
    };
    let intrinsic = TX_BASE_GAS_V2 + ACCOUNT_CREDIT_GAS_V2 + TX_GAS_PER_BYTE * size;
    assert_eq!(receipt.status, TxStatus::Ok);
    assert_eq!(receipt.tx_hash, tx.hash());
    assert_eq!(receipt.gas_used, intrinsic);
    assert_eq!(receipt.fee, intrinsic as u128);
    assert_eq!(built.block.header.gas_used, intrinsic);

    assert_eq!(chain.balance(&id(&bob)), 250);
    assert_eq!(chain.balance(&proposer()), intrinsic as u128);
    let a = chain.account(&id(&alice));
    assert_eq!(a.nonce, 1);
    assert_eq!(a.balance, FUNDS - 250 - intrinsic as u128);
    // Nothing created or destroyed.
    assert_eq!(
        a.balance + chain.balance(&id(&bob)) + chain.balance(&proposer()),
        FUNDS
    );
}

#[test]
fn unused_gas_is_refunded_at_the_gas_price() {
    let (alice, bob) = (key(1), key(2));
    let mut chain = TestChain::funded(&[&alice]);
    let price = 7;
    let gas_limit = 9_000_000;
    let tx = sign(
        &alice,
        0,
        gas_limit,
        price,
        Action::Transfer {
            to: id(&bob),
            amount: 1,
        },
    );
    let built = chain.advance(vec![tx]);
    let receipt = &built.receipts[0];
    assert!(receipt.gas_used < gas_limit);
    assert_eq!(receipt.fee, receipt.gas_used as u128 * price as u128);
    assert_eq!(chain.balance(&proposer()), receipt.fee);
    assert_eq!(chain.balance(&id(&alice)), FUNDS - 1 - receipt.fee);
}

#[test]
fn consecutive_nonces_in_one_block_and_transfers_to_oneself() {
    let (alice, bob) = (key(1), key(2));
    let mut chain = TestChain::funded(&[&alice, &bob]);
    let txs = vec![
        transfer(&alice, 0, id(&bob), 10),
        transfer(&alice, 1, id(&alice), 1_000),
        transfer(&bob, 0, id(&alice), 3),
        transfer(&alice, 2, id(&bob), 20),
    ];
    let built = chain.advance(txs);
    assert_eq!(built.block.transactions.len(), 4);
    assert!(built.receipts.iter().all(|r| r.is_ok()));
    let fees = |n: usize| -> u128 { built.receipts[..n].iter().map(|r| r.fee).sum() };
    let alice_fees: u128 = [0, 1, 3].iter().map(|&i| built.receipts[i].fee).sum();
    assert_eq!(chain.account(&id(&alice)).nonce, 3);
    assert_eq!(chain.account(&id(&bob)).nonce, 1);
    assert_eq!(chain.balance(&id(&alice)), FUNDS - 30 + 3 - alice_fees);
    assert_eq!(
        chain.balance(&id(&bob)),
        FUNDS + 30 - 3 - built.receipts[2].fee
    );
    assert_eq!(chain.balance(&proposer()), fees(4));
}

#[test]
fn the_proposer_can_spend_fees_of_earlier_transactions_in_the_same_block() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let proposer_key = key(1_000);
    let first = chain.advance(vec![transfer(&alice, 0, id(&alice), 0)]);
    let fee = first.receipts[0].fee;
    // The proposer now holds exactly one fee; a transfer at price 0 can move it all.
    let tx = sign(
        &proposer_key,
        0,
        TRANSFER_GAS,
        0,
        Action::Transfer {
            to: id(&alice),
            amount: fee,
        },
    );
    let built = chain.advance(vec![tx]);
    assert!(built.receipts[0].is_ok());
    assert_eq!(built.receipts[0].fee, 0);
    assert_eq!(chain.balance(&proposer()), 0);
    assert_eq!(chain.balance(&id(&alice)), FUNDS);
}

/// Intrinsic gas follows the chain's protocol version: protocol 1's frozen prices (a 20 µs
/// account read) replay exactly; protocol 2 reads the sender's and the recipient's records at
/// the VM's cold read price.
#[test]
fn intrinsic_gas_follows_the_protocol_version() {
    let (alice, bob) = (key(1), key(2));
    let mut used = Vec::new();
    for (protocol, base, credit) in [
        (1, TX_BASE_GAS, ACCOUNT_CREDIT_GAS),
        (2, TX_BASE_GAS_V2, ACCOUNT_CREDIT_GAS_V2),
    ] {
        let mut genesis = genesis(&[&alice]);
        genesis.params.protocol_version = protocol;
        let mut chain = TestChain::new(genesis);
        let tx = transfer(&alice, 0, id(&bob), 250);
        let size = tx.to_bytes().len() as u64;
        let built = chain.advance(vec![tx]);
        let [receipt] = &built.receipts[..] else {
            panic!("one receipt")
        };
        assert_eq!(receipt.status, TxStatus::Ok, "{protocol}");
        assert_eq!(
            receipt.gas_used,
            base + credit + TX_GAS_PER_BYTE * size,
            "{protocol}"
        );
        used.push(receipt.gas_used);
    }
    // v2 adds two cold reads (sender, recipient): 2 × (300 µs − 20 µs), and prices the
    // signature check at 3/2 of v1's (`Schedule::crypto_gas`): half of 360,330 more.
    assert_eq!(used[1] - used[0], 2 * (3_000_000 - 200_000) + 180_165);
}
