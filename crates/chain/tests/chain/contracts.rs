//! Deploys and calls signed by accounts: the real token contract, events and call trees in
//! receipts, failed calls that still pay, amounts sent to contracts, refused deploys, and a VM
//! fault that aborts the block.

use std::sync::Arc;

use shortcrust_chain::gas::{LATEST_SCHEDULE, intrinsic_gas};
use shortcrust_chain::{
    AccountId, Action, ChainError, CheckCache, Event, Exclusion, Genesis, GenesisContract, Receipt,
    SignedTransaction, SigningKey, TxStatus, accounts_contract,
};
use shortcrust_store::{MemoryStore, code_hash};
use shortcrust_test_contracts::{CALLER, COUNTER, TOKEN};
use shortcrust_vm::{Fault, Vm, VmConfig, contract_id, gas::deploy_cost};

use super::support::*;

fn enc<T: borsh::BorshSerialize>(value: &T) -> Vec<u8> {
    borsh::to_vec(value).expect("encodes")
}

fn call(
    key: &SigningKey,
    nonce: u64,
    contract: [u8; 32],
    entry: &str,
    input: Vec<u8>,
    amount: u128,
) -> SignedTransaction {
    sign(
        key,
        nonce,
        CALL_GAS,
        1,
        Action::Call {
            contract,
            entry: entry.into(),
            input,
            amount,
        },
    )
}

fn deploy(
    key: &SigningKey,
    nonce: u64,
    code: &[u8],
    init: Option<(&str, Vec<u8>)>,
    id_nonce: u64,
) -> SignedTransaction {
    sign(
        key,
        nonce,
        DEPLOY_GAS,
        1,
        Action::Deploy {
            code: code.to_vec(),
            init: init.map(|(e, i)| (e.to_string(), i)),
            nonce: id_nonce,
        },
    )
}

/// Runs one transaction in the next block and returns its receipt.
fn run(chain: &mut TestChain, tx: SignedTransaction) -> Receipt {
    let built = chain.advance(vec![tx]);
    assert!(built.excluded.is_empty(), "{:?}", built.excluded);
    built.receipts.into_iter().next().expect("one receipt")
}

fn token_balance(
    chain: &mut TestChain,
    reader: &SigningKey,
    token: [u8; 32],
    of: AccountId,
) -> u64 {
    let nonce = chain.account(&id(reader)).nonce;
    let r = run(
        chain,
        call(reader, nonce, token, "balance_of", enc(&of.0), 0),
    );
    assert_eq!(r.status, TxStatus::Ok);
    borsh::from_slice(&r.output).expect("u64")
}

#[test]
fn the_token_deploys_and_runs_signed_by_accounts_with_events_and_fees() {
    let (alice, bob) = (key(1), key(2));
    let mut chain = TestChain::funded(&[&alice, &bob]);
    let tx = deploy(&alice, 0, TOKEN, Some(("init", enc(&1_000u64))), 0);
    let size = tx.to_bytes().len();
    let r = run(&mut chain, tx.clone());
    let token = contract_id(&id(&alice).0, &code_hash(TOKEN), 0);
    assert_eq!(r.status, TxStatus::Ok);
    assert_eq!(r.contract, Some(token.0));
    // The init call ran as alice, the owner: the supply is hers.
    assert_eq!(
        r.events,
        vec![Event {
            contract: token.0,
            topic: b"mint".to_vec(),
            data: enc(&(id(&alice).0, 1_000u64)),
        }]
    );
    assert_eq!(r.calls.len(), 1);
    assert_eq!((r.calls[0].depth, r.calls[0].entry.as_str()), (1, "init"));
    let intrinsic = intrinsic_gas(tx.tx.v1(), size, LATEST_SCHEDULE);
    assert_eq!(
        r.gas_used,
        intrinsic + deploy_cost(TOKEN.len()) + r.calls[0].gas_spent + shortcrust_vm::gas::TX_BASE
    );
    assert_eq!(r.fee, r.gas_used as u128);

    let r = run(
        &mut chain,
        call(
            &alice,
            1,
            token.0,
            "transfer",
            enc(&(id(&bob).0, 300u64)),
            0,
        ),
    );
    assert_eq!(r.status, TxStatus::Ok);
    assert_eq!(r.events[0].topic, b"transfer");
    assert_eq!(r.events[0].data, enc(&(id(&alice).0, id(&bob).0, 300u64)));
    assert_eq!(token_balance(&mut chain, &bob, token.0, id(&bob)), 300);

    // A reverted call: failed receipt with the contract's message, fee paid, nonce used, the
    // token's state untouched.
    let before = chain.account(&id(&bob));
    let r = run(
        &mut chain,
        call(
            &bob,
            1,
            token.0,
            "transfer",
            enc(&(id(&alice).0, 1_000u64)),
            0,
        ),
    );
    assert_eq!(
        r.status,
        TxStatus::Failed("reverted: insufficient balance: have 300, need 1000".into())
    );
    assert!(r.events.is_empty() && r.output.is_empty());
    assert_eq!(r.calls[0].error.as_deref(), r.error());
    assert!(r.fee > 0);
    let after = chain.account(&id(&bob));
    assert_eq!(after.nonce, before.nonce + 1);
    assert_eq!(after.balance, before.balance - r.fee);
    assert_eq!(token_balance(&mut chain, &bob, token.0, id(&bob)), 300);
    assert_eq!(token_balance(&mut chain, &bob, token.0, id(&alice)), 700);
}

#[test]
fn calls_that_fail_before_running_still_pay() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let r = run(&mut chain, call(&alice, 0, [9; 32], "anything", vec![], 0));
    assert!(
        r.error().is_some_and(|e| e.starts_with("unknown contract")),
        "{r:?}"
    );
    assert!(r.fee > 0);
    // The accounts' system contract exists but has no code to call; it is not a fault.
    let r = run(
        &mut chain,
        call(&alice, 1, accounts_contract().0, "mint", vec![], 0),
    );
    assert_eq!(
        r.status,
        TxStatus::Failed("contract has no entry point \"mint\"".into())
    );
    assert_eq!(chain.account(&id(&alice)).nonce, 2);
}

#[test]
fn an_amount_reaches_the_contract_only_if_the_call_succeeds() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let r = run(
        &mut chain,
        deploy(&alice, 0, TOKEN, Some(("init", enc(&10u64))), 0),
    );
    let token = r.contract.expect("deployed");
    let contract_account = AccountId(token);

    let before = chain.balance(&id(&alice));
    let r = run(
        &mut chain,
        call(&alice, 1, token, "total_supply", vec![], 500),
    );
    assert!(r.is_ok());
    assert_eq!(chain.balance(&contract_account), 500);
    assert_eq!(chain.balance(&id(&alice)), before - 500 - r.fee);

    let before = chain.balance(&id(&alice));
    let r = run(
        &mut chain,
        call(&alice, 2, token, "transfer", enc(&([5u8; 32], 11u64)), 100),
    );
    assert!(!r.is_ok());
    assert_eq!(chain.balance(&contract_account), 500);
    assert_eq!(chain.balance(&id(&alice)), before - r.fee);

    // A transfer may name a contract id too.
    run(&mut chain, transfer(&alice, 3, contract_account, 1));
    assert_eq!(chain.balance(&contract_account), 501);
}

#[test]
fn refused_deploys_fail_and_pay() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let garbage = b"\0asm not really".to_vec();
    let tx = deploy(&alice, 0, &garbage, None, 0);
    let intrinsic = intrinsic_gas(tx.tx.v1(), tx.to_bytes().len(), LATEST_SCHEDULE);
    let r = run(&mut chain, tx);
    assert_eq!(r.status, TxStatus::Failed("deploy: invalid module".into()));
    assert_eq!(r.gas_used, intrinsic + deploy_cost(garbage.len()));
    assert_eq!(r.contract, None);

    // Too little gas for the code's size: all the gas is used.
    let tx = sign(
        &alice,
        1,
        50_000_000,
        1,
        Action::Deploy {
            code: TOKEN.to_vec(),
            init: None,
            nonce: 0,
        },
    );
    let r = run(&mut chain, tx);
    assert!(
        r.error()
            .is_some_and(|e| e.starts_with("deploy: out of gas")),
        "{r:?}"
    );
    assert_eq!(r.gas_used, 50_000_000);

    let r = run(&mut chain, deploy(&alice, 2, TOKEN, None, 0));
    assert!(r.is_ok());
    let again = run(&mut chain, deploy(&alice, 3, TOKEN, None, 0));
    assert!(
        again.error().is_some_and(|e| e.contains("already exists")),
        "{again:?}"
    );
    let other = run(&mut chain, deploy(&alice, 4, TOKEN, None, 1));
    assert!(other.is_ok());
    assert_ne!(other.contract, r.contract);
}

#[test]
fn a_failed_init_undoes_the_deploy_and_still_pays() {
    let alice = key(1);
    let mut chain = TestChain::funded(&[&alice]);
    let r = run(
        &mut chain,
        deploy(&alice, 0, TOKEN, Some(("init", vec![1, 2])), 0),
    );
    assert!(
        r.error()
            .is_some_and(|e| e.starts_with("init: reverted: invalid input")),
        "{r:?}"
    );
    assert_eq!(r.contract, None, "the deploy went with its failed init");
    assert!(r.fee > 0, "the fee is paid");
    // The same deploy (same owner, code and nonce) then succeeds: nothing of the first remains.
    let r = run(
        &mut chain,
        deploy(&alice, 1, TOKEN, Some(("init", enc(&5u64))), 0),
    );
    assert!(r.is_ok(), "{r:?}");
    assert!(r.contract.is_some());
}

/// A chain with a counter and a caller deployed by its genesis, on `vm`.
fn counter_chain(vm: Vm, alice: &SigningKey) -> (TestChain, [u8; 32], [u8; 32]) {
    let mut g: Genesis = genesis(&[alice]);
    for code in [COUNTER, CALLER] {
        g.contracts.push(GenesisContract {
            code: code.to_vec(),
            owner: id(alice),
            nonce: 0,
        });
    }
    let ids = g.contract_ids();
    (TestChain::on(vm, g), ids[0].0, ids[1].0)
}

#[test]
fn nested_calls_appear_in_the_call_tree() {
    let alice = key(1);
    let (mut chain, counter, caller) = counter_chain(Vm::ephemeral().expect("vm"), &alice);
    let r = run(
        &mut chain,
        call(&alice, 0, caller, "increment_counter", enc(&counter), 0),
    );
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(borsh::from_slice::<u64>(&r.output).expect("u64"), 1);
    let tree: Vec<_> = r
        .calls
        .iter()
        .map(|c| (c.depth, c.contract, c.entry.as_str()))
        .collect();
    assert_eq!(
        tree,
        vec![(1, caller, "increment_counter"), (2, counter, "increment")]
    );
}

#[test]
fn a_vm_fault_aborts_the_block_and_the_builder_leaves_the_transaction_out() {
    let alice = key(1);
    // One instance: the nested call cannot get a second one, a fault of this node.
    let vm = Vm::with_store(
        Arc::new(MemoryStore::new()),
        VmConfig {
            pool_instances: 1,
            ..VmConfig::default()
        },
    )
    .expect("vm");
    let (chain, counter, caller) = counter_chain(vm, &alice);
    let faulty = call(&alice, 0, caller, "increment_counter", enc(&counter), 0);
    let head = chain.vm.store().head().expect("head");
    match chain.execute(std::slice::from_ref(&faulty)) {
        Err(ChainError::Fault { hash, fault }) => {
            assert_eq!(hash, faulty.hash());
            assert_eq!(fault, Fault::InstancePoolExhausted);
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    assert_eq!(chain.vm.store().head().expect("head"), head);

    let good = call(&alice, 0, counter, "increment", vec![], 0);
    let built = shortcrust_chain::build_block(
        &chain.vm,
        &CheckCache::none(),
        &chain.head,
        &chain.next_context(),
        vec![faulty.clone(), good.clone()],
    )
    .expect("builds");
    assert_eq!(built.block.transactions, vec![good.clone()]);
    assert_eq!(built.excluded[0].hash, faulty.hash());
    assert_eq!(
        built.excluded[0].reason,
        Exclusion::Fault(Fault::InstancePoolExhausted)
    );
    let alone = chain.execute(&[good]).expect("runs");
    assert_eq!(built.block.header.state_root, alone.state_root.into());
}

#[test]
fn a_fault_after_a_deploy_makes_the_builder_start_over_without_it() {
    let alice = key(1);
    let vm = Vm::with_store(
        Arc::new(MemoryStore::new()),
        VmConfig {
            pool_instances: 1,
            ..VmConfig::default()
        },
    )
    .expect("vm");
    let (chain, counter, _) = counter_chain(vm, &alice);
    // The deploy succeeds, then its init call needs a second instance: the session holds a
    // deployed contract that no receipt can account for.
    let faulty = deploy(
        &alice,
        0,
        CALLER,
        Some(("increment_counter", enc(&counter))),
        7,
    );
    match chain.execute(std::slice::from_ref(&faulty)) {
        Err(ChainError::Fault { fault, .. }) => assert_eq!(fault, Fault::InstancePoolExhausted),
        other => panic!("expected a fault, got {other:?}"),
    }
    let good = call(&alice, 0, counter, "increment", vec![], 0);
    let built = shortcrust_chain::build_block(
        &chain.vm,
        &CheckCache::none(),
        &chain.head,
        &chain.next_context(),
        vec![faulty.clone(), good.clone()],
    )
    .expect("builds");
    assert_eq!(built.block.transactions, vec![good.clone()]);
    assert_eq!(
        built.excluded[0].reason,
        Exclusion::Fault(Fault::InstancePoolExhausted)
    );
    let alone = chain.execute(&[good]).expect("runs");
    assert_eq!(built.block.header.state_root, alone.state_root.into());
}
