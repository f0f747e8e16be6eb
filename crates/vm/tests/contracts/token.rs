//! `token`: owner-only minting, transfers with events, refused overdrafts, and exact gas.

use shortcrust_test_contracts::TOKEN;
use shortcrust_vm::{ContractId, Event, Session};

use super::{
    ALICE, BOB, GAS, OWNER, assert_gas_snapshot, deploy, encode, new_session, new_session_at,
    output, revert_message, set_sender,
};

fn balance(session: &mut Session, token: ContractId, account: [u8; 32]) -> u64 {
    output(
        &session
            .query(token, "balance_of", &encode(&account), GAS)
            .expect("no VM fault"),
    )
}

fn supply(session: &mut Session, token: ContractId) -> u64 {
    output(
        &session
            .query(token, "total_supply", &[], GAS)
            .expect("no VM fault"),
    )
}

/// A token initialised with 1,000 for the owner; the session's sender is the owner.
fn initialised() -> (shortcrust_vm::Vm, Session, ContractId) {
    let (vm, mut session) = new_session();
    let token = deploy(&mut session, TOKEN);
    output::<()>(
        &session
            .call(token, "init", &encode(&1_000u64), GAS)
            .expect("no VM fault"),
    );
    (vm, session, token)
}

#[test]
fn init_mints_the_supply_to_the_owner_once() {
    let (_vm, mut session) = new_session();
    let token = deploy(&mut session, TOKEN);

    set_sender(&mut session, ALICE);
    assert_eq!(
        revert_message(
            &session
                .call(token, "init", &encode(&5u64), GAS)
                .expect("no VM fault")
        ),
        "only the owner may initialise the token"
    );

    set_sender(&mut session, OWNER);
    let receipt = session
        .call(token, "init", &encode(&1_000u64), GAS)
        .expect("no VM fault");
    output::<()>(&receipt);
    assert_eq!(
        receipt.events,
        vec![Event {
            contract: token,
            topic: b"mint".to_vec(),
            data: encode(&(OWNER, 1_000u64)),
        }]
    );
    assert_eq!(balance(&mut session, token, OWNER), 1_000);
    assert_eq!(supply(&mut session, token), 1_000);

    assert_eq!(
        revert_message(
            &session
                .call(token, "init", &encode(&1_000u64), GAS)
                .expect("no VM fault")
        ),
        "token already initialised"
    );
    assert_eq!(supply(&mut session, token), 1_000);
}

#[test]
fn transfers_move_balances_and_emit_events() {
    let (_vm, mut session, token) = initialised();
    let receipt = session
        .call(token, "transfer", &encode(&(ALICE, 300u64)), GAS)
        .expect("no VM fault");
    output::<()>(&receipt);
    assert_eq!(
        receipt.events,
        vec![Event {
            contract: token,
            topic: b"transfer".to_vec(),
            data: encode(&(OWNER, ALICE, 300u64)),
        }]
    );

    set_sender(&mut session, ALICE);
    output::<()>(
        &session
            .call(token, "transfer", &encode(&(BOB, 100u64)), GAS)
            .expect("no VM fault"),
    );
    assert_eq!(balance(&mut session, token, OWNER), 700);
    assert_eq!(balance(&mut session, token, ALICE), 200);
    assert_eq!(balance(&mut session, token, BOB), 100);
    assert_eq!(supply(&mut session, token), 1_000);

    // A transfer to oneself changes nothing but is still an event.
    let receipt = session
        .call(token, "transfer", &encode(&(ALICE, 200u64)), GAS)
        .expect("no VM fault");
    output::<()>(&receipt);
    assert_eq!(receipt.events.len(), 1);
    assert_eq!(balance(&mut session, token, ALICE), 200);
}

#[test]
fn overdraft_is_refused_with_a_message_and_changes_nothing() {
    let (_vm, mut session, token) = initialised();
    output::<()>(
        &session
            .call(token, "transfer", &encode(&(ALICE, 30u64)), GAS)
            .expect("no VM fault"),
    );

    set_sender(&mut session, ALICE);
    let receipt = session
        .call(token, "transfer", &encode(&(BOB, 31u64)), GAS)
        .expect("no VM fault");
    assert_eq!(
        revert_message(&receipt),
        "insufficient balance: have 30, need 31"
    );
    assert!(receipt.events.is_empty(), "a failed call keeps no events");
    assert_eq!(balance(&mut session, token, ALICE), 30);
    assert_eq!(balance(&mut session, token, BOB), 0);

    set_sender(&mut session, BOB);
    assert_eq!(
        revert_message(
            &session
                .call(token, "transfer", &encode(&(ALICE, 1u64)), GAS)
                .expect("no VM fault")
        ),
        "insufficient balance: have 0, need 1"
    );
}

#[test]
fn only_the_owner_mints_and_supply_cannot_overflow() {
    let (_vm, mut session, token) = initialised();

    set_sender(&mut session, ALICE);
    assert_eq!(
        revert_message(
            &session
                .call(token, "mint", &encode(&(ALICE, 5u64)), GAS)
                .expect("no VM fault")
        ),
        "only the owner may mint"
    );
    assert_eq!(balance(&mut session, token, ALICE), 0);

    set_sender(&mut session, OWNER);
    let receipt = session
        .call(token, "mint", &encode(&(BOB, 50u64)), GAS)
        .expect("no VM fault");
    output::<()>(&receipt);
    assert_eq!(receipt.events[0].data, encode(&(BOB, 50u64)));
    assert_eq!(balance(&mut session, token, BOB), 50);
    assert_eq!(supply(&mut session, token), 1_050);

    assert_eq!(
        revert_message(
            &session
                .call(token, "mint", &encode(&(BOB, u64::MAX)), GAS)
                .expect("no VM fault")
        ),
        "total supply would overflow u64"
    );
    assert_eq!(supply(&mut session, token), 1_050);
}

#[test]
fn schema_section_describes_the_entry_points() {
    let (_vm, mut session) = new_session();
    let token = deploy(&mut session, TOKEN);
    let schema = session
        .contract_schema(token)
        .expect("deployed contract")
        .expect("token has a schema");
    let schema = String::from_utf8(schema).expect("UTF-8");
    assert!(schema.starts_with(r#"{"schema_version":1,"entry_points":[{"name":"init""#));
    assert!(schema.contains(
        r#"{"name":"transfer","args":[{"name":"to","type":"[u8; 32]"},{"name":"amount","type":"u64"}],"returns":"()"}"#
    ));
}

/// Exact gas of each token call, deterministic across VMs.
#[test]
fn gas_snapshot() {
    fn run(protocol: u32) -> Vec<(&'static str, u64)> {
        let (_vm, mut session) = new_session_at(protocol);
        let token = deploy(&mut session, TOKEN);
        let mut gas = Vec::new();
        let mut call = |session: &mut Session, label, entry, input: Vec<u8>| {
            gas.push((
                label,
                session
                    .call(token, entry, &input, GAS)
                    .expect("no VM fault")
                    .gas_spent,
            ));
        };
        call(&mut session, "init", "init", encode(&1_000u64));
        call(
            &mut session,
            "transfer (new account)",
            "transfer",
            encode(&(ALICE, 10u64)),
        );
        call(
            &mut session,
            "transfer (existing)",
            "transfer",
            encode(&(ALICE, 10u64)),
        );
        call(&mut session, "mint", "mint", encode(&(BOB, 10u64)));
        call(&mut session, "balance_of", "balance_of", encode(&ALICE));
        call(&mut session, "total_supply", "total_supply", vec![]);
        set_sender(&mut session, BOB);
        call(
            &mut session,
            "transfer (overdraft)",
            "transfer",
            encode(&(ALICE, 11u64)),
        );
        call(
            &mut session,
            "mint (not owner)",
            "mint",
            encode(&(BOB, 1u64)),
        );
        gas
    }
    for (protocol, expected) in [(1, EXPECTED_GAS_V1), (2, EXPECTED_GAS_V2)] {
        let first = run(protocol);
        assert_eq!(first, run(protocol), "gas must be deterministic");
        assert_gas_snapshot("token", protocol, &first, expected);
    }
}

/// Gas schedule v1 (protocol 1).
const EXPECTED_GAS_V1: &[(&str, u64)] = &[
    ("init", 2_266_775),
    ("transfer (new account)", 1_569_873),
    ("transfer (existing)", 1_569_888),
    ("mint", 1_566_151),
    ("balance_of", 354_437),
    ("total_supply", 353_779),
    ("transfer (overdraft)", 355_073),
    ("mint (not owner)", 153_145),
];

/// Gas schedule v2 (protocol 2).
const EXPECTED_GAS_V2: &[(&str, u64)] = &[
    ("init", 10_683_528),
    ("transfer (new account)", 7_187_809),
    ("transfer (existing)", 7_188_053),
    ("mint", 7_182_260),
    ("balance_of", 3_161_050),
    ("total_supply", 3_157_345),
    ("transfer (overdraft)", 3_167_059),
    ("mint (not owner)", 161_800),
];
