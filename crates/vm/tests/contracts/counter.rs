//! `counter`: results, persistence across commits, read-only queries, refused input, and exact gas.

use shortcrust_test_contracts::COUNTER;
use shortcrust_vm::{CallError, SessionConfig};

use super::{
    GAS, assert_gas_snapshot, deploy, encode, new_session, new_session_at, output, revert_message,
};

#[test]
fn increments_adds_and_reads() {
    let (_vm, mut session) = new_session();
    let counter = deploy(&mut session, COUNTER);
    assert_eq!(
        output::<u64>(&session.call(counter, "get", &[], GAS).expect("no VM fault")),
        0
    );
    assert_eq!(
        output::<u64>(
            &session
                .call(counter, "increment", &[], GAS)
                .expect("no VM fault")
        ),
        1
    );
    assert_eq!(
        output::<u64>(
            &session
                .call(counter, "increment", &[], GAS)
                .expect("no VM fault")
        ),
        2
    );
    assert_eq!(
        output::<u64>(
            &session
                .call(counter, "add", &encode(&40u64), GAS)
                .expect("no VM fault")
        ),
        42
    );
    assert_eq!(
        output::<u64>(&session.call(counter, "get", &[], GAS).expect("no VM fault")),
        42
    );
}

#[test]
fn state_survives_commit_and_queries_change_nothing() {
    let (vm, mut session) = new_session();
    let counter = deploy(&mut session, COUNTER);
    output::<u64>(
        &session
            .call(counter, "add", &encode(&7u64), GAS)
            .expect("no VM fault"),
    );
    let root = session.commit().expect("commit");

    let mut next = vm
        .session(SessionConfig {
            root: Some(root),
            ..SessionConfig::default()
        })
        .expect("session from the committed root");
    assert_eq!(
        output::<u64>(&next.call(counter, "get", &[], GAS).expect("no VM fault")),
        7
    );
    // A query runs the increment but keeps nothing.
    assert_eq!(
        output::<u64>(
            &next
                .query(counter, "increment", &[], GAS)
                .expect("no VM fault")
        ),
        8
    );
    assert_eq!(
        output::<u64>(&next.call(counter, "get", &[], GAS).expect("no VM fault")),
        7
    );
}

#[test]
fn malformed_input_reverts_with_the_expected_encoding() {
    let (_vm, mut session) = new_session();
    let counter = deploy(&mut session, COUNTER);
    let expected = "invalid input for entry point `add`: expected the borsh encoding of (u64)";
    // Too short, too long (one encoding per value: trailing bytes are refused), and input given
    // to an entry point that takes none.
    assert_eq!(
        revert_message(
            &session
                .call(counter, "add", &[1, 2, 3], GAS)
                .expect("no VM fault")
        ),
        expected
    );
    let mut long = encode(&1u64);
    long.push(0);
    assert_eq!(
        revert_message(
            &session
                .call(counter, "add", &long, GAS)
                .expect("no VM fault")
        ),
        expected
    );
    assert_eq!(
        revert_message(
            &session
                .call(counter, "increment", &[0], GAS)
                .expect("no VM fault")
        ),
        "invalid input for entry point `increment`: expected the borsh encoding of ()"
    );
    assert_eq!(
        output::<u64>(&session.call(counter, "get", &[], GAS).expect("no VM fault")),
        0
    );
}

#[test]
fn overflow_reverts_and_rolls_back() {
    let (_vm, mut session) = new_session();
    let counter = deploy(&mut session, COUNTER);
    output::<u64>(
        &session
            .call(counter, "increment", &[], GAS)
            .expect("no VM fault"),
    );
    let receipt = session
        .call(counter, "add", &encode(&u64::MAX), GAS)
        .expect("no VM fault");
    assert_eq!(revert_message(&receipt), "counter overflow");
    assert!(receipt.gas_spent > 0 && receipt.gas_spent < GAS);
    assert_eq!(
        output::<u64>(&session.call(counter, "get", &[], GAS).expect("no VM fault")),
        1
    );
}

#[test]
fn unknown_entry_point_and_too_little_gas() {
    let (_vm, mut session) = new_session();
    let counter = deploy(&mut session, COUNTER);
    assert_eq!(
        session
            .call(counter, "decrement", &[], GAS)
            .expect("no VM fault")
            .result,
        Err(CallError::UnknownEntry("decrement".into()))
    );
    // Enough for the transaction base but not for the storage write: out of gas, all of it
    // spent, nothing kept.
    let limit = 30_000;
    let receipt = session
        .call(counter, "increment", &[], limit)
        .expect("no VM fault");
    assert_eq!(receipt.result, Err(CallError::OutOfGas));
    assert_eq!(receipt.gas_spent, limit);
    assert_eq!(
        output::<u64>(&session.call(counter, "get", &[], GAS).expect("no VM fault")),
        0
    );
}

/// Exact gas of each counter call. Two fresh VMs must agree, and both must match the snapshot.
#[test]
fn gas_snapshot() {
    fn run(protocol: u32) -> Vec<(&'static str, u64)> {
        let (_vm, mut session) = new_session_at(protocol);
        let deployed = session
            .deploy(
                COUNTER,
                shortcrust_vm::DeployOptions {
                    owner: super::OWNER,
                    ..Default::default()
                },
            )
            .expect("deploy");
        let counter = deployed.id;
        let mut gas = vec![("deploy", deployed.gas_spent)];
        for (label, entry, input) in [
            ("get (absent)", "get", vec![]),
            ("increment (first write)", "increment", vec![]),
            ("increment", "increment", vec![]),
            ("add", "add", encode(&5u64)),
            ("get", "get", vec![]),
            ("add (bad input)", "add", vec![1]),
        ] {
            gas.push((
                label,
                session
                    .call(counter, entry, &input, GAS)
                    .expect("no VM fault")
                    .gas_spent,
            ));
        }
        gas
    }
    for (protocol, expected) in [(1, EXPECTED_GAS_V1), (2, EXPECTED_GAS_V2)] {
        let first = run(protocol);
        assert_eq!(first, run(protocol), "gas must be deterministic");
        assert_gas_snapshot("counter", protocol, &first, expected);
    }
}

/// Gas schedule v1 (protocol 1).
const EXPECTED_GAS_V1: &[(&str, u64)] = &[
    ("deploy", 89_096_000),
    ("get (absent)", 352_800),
    ("increment (first write)", 854_242),
    ("increment", 854_257),
    ("add", 854_545),
    ("get", 352_815),
    ("add (bad input)", 151_648),
];

/// Gas schedule v2 (protocol 2).
const EXPECTED_GAS_V2: &[(&str, u64)] = &[
    ("deploy", 89_096_000),
    ("get (absent)", 3_156_065),
    ("increment (first write)", 3_659_372),
    ("increment", 3_659_616),
    ("add", 3_661_374),
    ("get", 3_156_309),
    ("add (bad input)", 154_886),
];
