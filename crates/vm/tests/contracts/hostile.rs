//! `hostile`: each misbehaviour ends in a documented error, within bounded time, with gas charged,
//! leaving the session as it was — and the session keeps working afterwards.

use shortcrust_abi::limits::{
    MAX_EVENT_DATA_LEN, MAX_EVENTS_PER_CALL, MAX_KEY_LEN, MAX_OUTPUT_LEN, MAX_VALUE_LEN,
};
use shortcrust_test_contracts::{COUNTER, HOSTILE};
use shortcrust_vm::{CallError, ContractId, Receipt, Session};

use super::{GAS, deploy, encode, new_session, output, revert_message};

fn setup() -> (shortcrust_vm::Vm, Session, ContractId) {
    let (vm, mut session) = new_session();
    let hostile = deploy(&mut session, HOSTILE);
    (vm, session, hostile)
}

/// Calls `entry` and checks the invariants every failure must keep: gas charged but never more
/// than the limit, no events, and no change to the session.
fn call_failing(
    session: &mut Session,
    hostile: ContractId,
    entry: &str,
    input: &[u8],
    gas: u64,
) -> Receipt {
    let before = session.changes();
    let receipt = session
        .call(hostile, entry, input, gas)
        .expect("no VM fault");
    assert!(
        receipt.result.is_err(),
        "{entry} must fail, got {:?}",
        receipt.result
    );
    assert!(
        receipt.gas_spent > 0 && receipt.gas_spent <= gas,
        "{entry}: gas {}",
        receipt.gas_spent
    );
    assert!(
        receipt.events.is_empty(),
        "{entry}: a failed call keeps no events"
    );
    assert_eq!(
        session.changes(),
        before,
        "{entry}: a failed call leaves the session unchanged"
    );
    receipt
}

#[test]
fn infinite_loop_runs_out_of_gas() {
    let (_vm, mut session, hostile) = setup();
    let limit = 5_000_000;
    let receipt = call_failing(&mut session, hostile, "spin", &[], limit);
    assert_eq!(receipt.result, Err(CallError::OutOfGas));
    assert_eq!(receipt.gas_spent, limit);
}

#[test]
fn unbounded_recursion_hits_the_deterministic_stack_limit() {
    let (_vm, mut session, hostile) = setup();
    let receipt = call_failing(
        &mut session,
        hostile,
        "recurse_forever",
        &encode(&0u64),
        GAS,
    );
    assert!(
        matches!(receipt.result, Err(CallError::StackLimitExceeded(_))),
        "{:?}",
        receipt.result
    );
}

#[test]
fn stack_limit_does_not_depend_on_the_native_stack() {
    // The same recursion on threads with very different native stacks: same error, same gas.
    let run = |stack_size: usize| {
        std::thread::Builder::new()
            .stack_size(stack_size)
            .spawn(|| {
                let (_vm, mut session, hostile) = setup();
                let receipt = session
                    .call(hostile, "recurse_forever", &encode(&0u64), GAS)
                    .expect("no VM fault");
                (receipt.result, receipt.gas_spent)
            })
            .expect("spawn")
            .join()
            .expect("the call must not crash the thread")
    };
    let small = run(256 * 1024);
    let large = run(64 * 1024 * 1024);
    assert!(
        matches!(small.0, Err(CallError::StackLimitExceeded(_))),
        "{:?}",
        small.0
    );
    assert_eq!(small, large);
}

#[test]
fn memory_growth_stops_at_the_page_limit() {
    let (vm, mut session, hostile) = setup();
    let max_pages = vm.limits().max_memory_pages;
    // Growing page by page ends when `memory.grow` returns -1 at the limit: the contract sees
    // the refusal and returns normally. It starts with 2 pages (64 KiB stack, then data).
    let pages: u32 = output(
        &session
            .call(hostile, "grow_memory_forever", &[], GAS)
            .expect("no VM fault"),
    );
    assert_eq!(pages, max_pages - 2);
    // One huge request is refused outright.
    assert_eq!(
        output::<i32>(
            &session
                .call(hostile, "grow_memory_huge", &[], GAS)
                .expect("no VM fault")
        ),
        -1
    );
}

#[test]
fn allocation_failure_reverts_with_the_panic_message() {
    let (_vm, mut session, hostile) = setup();
    let receipt = call_failing(&mut session, hostile, "allocate_forever", &[], GAS);
    assert_eq!(
        revert_message(&receipt),
        "memory allocation of 1048576 bytes failed"
    );
}

#[test]
fn out_of_bounds_pointers_trap_precisely() {
    let (_vm, mut session, hostile) = setup();
    let receipt = call_failing(&mut session, hostile, "out_of_bounds_output", &[], GAS);
    assert_eq!(
        receipt.result,
        Err(CallError::MemoryOutOfBounds {
            ptr: 0xFFFF_FFF0,
            len: 100
        })
    );
    let receipt = call_failing(&mut session, hostile, "out_of_bounds_storage", &[], GAS);
    assert_eq!(
        receipt.result,
        Err(CallError::MemoryOutOfBounds {
            ptr: 0xFFFF_FFF0,
            len: 8
        })
    );
    // A negative length is a huge unsigned one: refused by the limit before any memory access.
    let receipt = call_failing(&mut session, hostile, "negative_length", &[], GAS);
    assert_eq!(
        receipt.result,
        Err(CallError::LimitExceeded {
            what: "event data length",
            value: 0xFFFF_FFFF,
            limit: u64::from(MAX_EVENT_DATA_LEN),
        })
    );
}

#[test]
fn oversized_writes_are_refused_with_the_limit() {
    let (_vm, mut session, hostile) = setup();
    for (entry, value, limit) in [
        ("write_oversized_value", MAX_VALUE_LEN + 1, MAX_VALUE_LEN),
        ("write_oversized_key", MAX_KEY_LEN + 1, MAX_KEY_LEN),
        ("oversized_output", MAX_OUTPUT_LEN + 1, MAX_OUTPUT_LEN),
    ] {
        let receipt = call_failing(&mut session, hostile, entry, &[], GAS);
        match receipt.result {
            Err(CallError::LimitExceeded {
                value: v, limit: l, ..
            }) => {
                assert_eq!((v, l), (u64::from(value), u64::from(limit)), "{entry}");
            }
            other => panic!("{entry}: expected LimitExceeded, got {other:?}"),
        }
    }
}

#[test]
fn event_spam_stops_at_the_per_call_limit() {
    let (_vm, mut session, hostile) = setup();
    let receipt = call_failing(&mut session, hostile, "event_spam", &[], GAS);
    match receipt.result {
        Err(CallError::LimitExceeded { value, limit, .. }) => {
            assert_eq!(limit, u64::from(MAX_EVENTS_PER_CALL));
            assert_eq!(value, limit + 1);
        }
        other => panic!("expected LimitExceeded, got {other:?}"),
    }
}

#[test]
fn panics_revert_with_their_message_and_roll_back() {
    let (_vm, mut session, hostile) = setup();
    let receipt = call_failing(&mut session, hostile, "write_then_panic", &[], GAS);
    assert_eq!(revert_message(&receipt), "panic after writing");
    let receipt = call_failing(&mut session, hostile, "panic_with_message", &[], GAS);
    assert_eq!(revert_message(&receipt), "hostile panic");
    let receipt = call_failing(
        &mut session,
        hostile,
        "panic_formatted",
        &encode(&7u64),
        GAS,
    );
    assert_eq!(revert_message(&receipt), "formatted panic: n = 7");
    let receipt = call_failing(&mut session, hostile, "revert_invalid_utf8", &[], GAS);
    assert!(
        revert_message(&receipt).ends_with('x'),
        "{:?}",
        receipt.result
    );
}

#[test]
fn the_session_still_works_after_every_misbehaviour() {
    let (_vm, mut session, hostile) = setup();
    let counter = deploy(&mut session, COUNTER);
    let depth = encode(&0u64);
    type Expected = fn(&CallError) -> bool;
    let misbehaviours: [(&str, &[u8], Expected); 7] = [
        ("spin", &[], |e| *e == CallError::OutOfGas),
        ("recurse_forever", &depth, |e| {
            matches!(e, CallError::StackLimitExceeded(_))
        }),
        ("allocate_forever", &[], |e| {
            matches!(e, CallError::Reverted(_))
        }),
        ("out_of_bounds_output", &[], |e| {
            matches!(e, CallError::MemoryOutOfBounds { .. })
        }),
        ("write_oversized_value", &[], |e| {
            matches!(e, CallError::LimitExceeded { .. })
        }),
        ("event_spam", &[], |e| {
            matches!(e, CallError::LimitExceeded { .. })
        }),
        ("write_then_panic", &[], |e| {
            matches!(e, CallError::Reverted(_))
        }),
    ];
    for (count, (entry, input, expected)) in (1u64..).zip(misbehaviours) {
        // Spinning is cut short; the others fail on their own with the full budget.
        let gas = if entry == "spin" { 5_000_000 } else { GAS };
        let receipt = session
            .call(hostile, entry, input, gas)
            .expect("no VM fault");
        match &receipt.result {
            Err(e) if expected(e) => {}
            other => panic!("{entry}: unexpected {other:?}"),
        }
        assert_eq!(
            output::<u64>(
                &session
                    .call(counter, "increment", &[], GAS)
                    .expect("no VM fault")
            ),
            count,
            "the counter works after {entry}"
        );
    }
}
