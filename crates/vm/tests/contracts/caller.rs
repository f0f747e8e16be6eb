//! `caller`: cross-contract calls whose failures the caller handles, rollback of exactly the failed
//! frame, typed calls, and the call-depth cap seen from inside a contract.

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_abi::limits::MAX_CALL_DEPTH;
use shortcrust_abi::status;
use shortcrust_test_contracts::{CALLER, COUNTER, HOSTILE, TOKEN};
use shortcrust_vm::{ContractId, Session};

use super::{GAS, deploy, encode, new_session, output, revert_message};

/// Mirror of the caller contract's `Outcome`.
#[derive(BorshSerialize, BorshDeserialize, Debug, PartialEq, Eq)]
struct Outcome {
    code: i32,
    data: Vec<u8>,
}

struct Setup {
    _vm: shortcrust_vm::Vm,
    session: Session,
    caller: ContractId,
    counter: ContractId,
}

fn setup() -> Setup {
    let (vm, mut session) = new_session();
    let caller = deploy(&mut session, CALLER);
    let counter = deploy(&mut session, COUNTER);
    Setup {
        _vm: vm,
        session,
        caller,
        counter,
    }
}

/// Input of `try_call(target, entry, input, gas_limit)`.
fn try_call_input(target: ContractId, entry: &str, input: &[u8], gas_limit: u64) -> Vec<u8> {
    encode(&(target.0, entry.to_string(), input.to_vec(), gas_limit))
}

impl Setup {
    fn try_call(&mut self, target: ContractId, entry: &str, input: &[u8], gas: u64) -> Outcome {
        let receipt = self
            .session
            .call(
                self.caller,
                "try_call",
                &try_call_input(target, entry, input, gas),
                GAS,
            )
            .expect("no VM fault");
        output(&receipt)
    }

    fn counter_value(&mut self) -> u64 {
        output(
            &self
                .session
                .query(self.counter, "get", &[], GAS)
                .expect("no VM fault"),
        )
    }
}

#[test]
fn successful_call_returns_the_callee_output() {
    let mut s = setup();
    let counter = s.counter;
    let receipt = s
        .session
        .call(
            s.caller,
            "try_call",
            &try_call_input(counter, "add", &encode(&5u64), 0),
            GAS,
        )
        .expect("no VM fault");
    let outcome: Outcome = output(&receipt);
    assert_eq!(
        outcome,
        Outcome {
            code: status::CALL_OK,
            data: encode(&5u64)
        }
    );
    assert_eq!(s.counter_value(), 5);
    // Two frames, the callee one level deeper.
    let frames: Vec<(u32, ContractId, &str)> = receipt
        .calls
        .iter()
        .map(|c| (c.depth, c.contract, c.entry.as_str()))
        .collect();
    assert_eq!(frames, [(1, s.caller, "try_call"), (2, counter, "add")]);
    assert!(receipt.calls.iter().all(|c| c.error.is_none()));
}

#[test]
fn callee_revert_is_handled_and_only_the_callee_rolls_back() {
    let mut s = setup();
    let token = deploy(&mut s.session, TOKEN);
    output::<()>(
        &s.session
            .call(token, "init", &encode(&100u64), GAS)
            .expect("no VM fault"),
    );

    // The caller contract holds no tokens: its transfer is refused inside the callee.
    let bob = [0xb0u8; 32];
    let receipt = s
        .session
        .call(
            s.caller,
            "try_call",
            &try_call_input(token, "transfer", &encode(&(bob, 5u64)), 0),
            GAS,
        )
        .expect("no VM fault");
    let outcome: Outcome = output(&receipt);
    assert_eq!(outcome.code, status::CALL_REVERTED);
    assert_eq!(outcome.data, b"insufficient balance: have 0, need 5");
    // The caller's own event survives; the callee emitted none.
    assert_eq!(receipt.events.len(), 1);
    assert_eq!(receipt.events[0].contract, s.caller);
    assert_eq!(receipt.events[0].topic, b"outcome");
    assert_eq!(receipt.events[0].data, encode(&status::CALL_REVERTED));
    // The caller recorded the outcome after the failure.
    let last: Option<Outcome> = output(
        &s.session
            .call(s.caller, "last", &[], GAS)
            .expect("no VM fault"),
    );
    assert_eq!(last, Some(outcome));
}

#[test]
fn callee_writes_and_events_roll_back_on_panic() {
    let mut s = setup();
    let hostile = deploy(&mut s.session, HOSTILE);
    let receipt = s
        .session
        .call(
            s.caller,
            "try_call",
            &try_call_input(hostile, "write_then_panic", &[], 0),
            GAS,
        )
        .expect("no VM fault");
    let outcome: Outcome = output(&receipt);
    assert_eq!(
        outcome,
        Outcome {
            code: status::CALL_REVERTED,
            data: b"panic after writing".to_vec()
        }
    );
    // The hostile frame's `doomed` event is gone, the caller's `outcome` event stays.
    let topics: Vec<&[u8]> = receipt.events.iter().map(|e| e.topic.as_slice()).collect();
    assert_eq!(topics, [b"outcome".as_slice()]);
    // Nothing of the hostile contract's storage was kept.
    let changes = s.session.changes();
    assert!(
        changes
            .storage
            .keys()
            .all(|(contract, _)| *contract != hostile),
        "the reverted frame's write must not be in the session"
    );
}

#[test]
fn every_failure_kind_reaches_the_caller_as_a_status() {
    let mut s = setup();
    let hostile = deploy(&mut s.session, HOSTILE);
    let nowhere = ContractId([0xee; 32]);
    let depth = encode(&0u64);
    let cases: [(ContractId, &str, &[u8], u64, i32); 6] = [
        (nowhere, "anything", &[], 0, status::CALL_UNKNOWN_CONTRACT),
        (
            s.counter,
            "no_such_entry",
            &[],
            0,
            status::CALL_UNKNOWN_ENTRY,
        ),
        (s.counter, "add", &[1], 0, status::CALL_REVERTED),
        (hostile, "spin", &[], 200_000, status::CALL_OUT_OF_GAS),
        (
            hostile,
            "out_of_bounds_output",
            &[],
            0,
            status::CALL_TRAPPED,
        ),
        (hostile, "recurse_forever", &depth, 0, status::CALL_TRAPPED),
    ];
    for (target, entry, input, gas, expected) in cases {
        let outcome = s.try_call(target, entry, input, gas);
        assert_eq!(
            outcome.code,
            expected,
            "{entry}: {}",
            String::from_utf8_lossy(&outcome.data)
        );
    }
    // The caller went on after each failure, and the counter was left untouched.
    assert_eq!(s.counter_value(), 0);
}

#[test]
fn callee_gas_is_capped_by_the_given_limit() {
    let mut s = setup();
    let hostile = deploy(&mut s.session, HOSTILE);
    let receipt = s
        .session
        .call(
            s.caller,
            "try_call",
            &try_call_input(hostile, "spin", &[], 100_000),
            GAS,
        )
        .expect("no VM fault");
    let outcome: Outcome = output(&receipt);
    assert_eq!(outcome.code, status::CALL_OUT_OF_GAS);
    let spin = receipt
        .calls
        .iter()
        .find(|c| c.entry == "spin")
        .expect("spin frame");
    assert_eq!(spin.gas_limit, 100_000);
    assert_eq!(spin.gas_spent, 100_000);
    // Without a limit the callee gets all but 1/64 of what the caller has left, and the caller
    // keeps enough to finish.
    let receipt = s
        .session
        .call(
            s.caller,
            "try_call",
            &try_call_input(hostile, "spin", &[], 0),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(output::<Outcome>(&receipt).code, status::CALL_OUT_OF_GAS);
    let spin = receipt
        .calls
        .iter()
        .find(|c| c.entry == "spin")
        .expect("spin frame");
    // (The caller's own work before the call, its storage reads at v2's 3 M gas each among it,
    // stays well under 10 M.)
    assert!(spin.gas_limit < GAS && spin.gas_limit > GAS - GAS / 64 - 10_000_000);
    assert!(receipt.gas_spent <= GAS);
}

#[test]
fn typed_call_increments_the_counter() {
    let mut s = setup();
    let counter = s.counter;
    assert_eq!(
        output::<u64>(
            &s.session
                .call(s.caller, "increment_counter", &encode(&counter.0), GAS)
                .expect("no VM fault")
        ),
        1
    );
    assert_eq!(
        output::<u64>(
            &s.session
                .call(s.caller, "increment_counter", &encode(&counter.0), GAS)
                .expect("no VM fault")
        ),
        2
    );
    assert_eq!(s.counter_value(), 2);

    // A target without `increment`: the typed call's error becomes the caller's revert message.
    let caller_id = s.caller;
    let receipt = s
        .session
        .call(s.caller, "increment_counter", &encode(&caller_id.0), GAS)
        .expect("no VM fault");
    assert!(
        revert_message(&receipt).starts_with("counter failed: call failed (UnknownEntry, code -5)"),
        "{}",
        revert_message(&receipt)
    );
}

#[test]
fn recursion_stops_at_the_depth_cap() {
    let mut s = setup();
    let receipt = s
        .session
        .call(s.caller, "recurse", &encode(&1u32), GAS)
        .expect("no VM fault");
    assert_eq!(output::<u32>(&receipt), MAX_CALL_DEPTH);
    let deepest = receipt.calls.iter().map(|c| c.depth).max();
    assert_eq!(deepest, Some(MAX_CALL_DEPTH));
    // The same recursion gives the same gas every time.
    let again = s
        .session
        .call(s.caller, "recurse", &encode(&1u32), GAS)
        .expect("no VM fault");
    assert_eq!(again.gas_spent, receipt.gas_spent);
}

#[test]
fn a_reverting_caller_takes_its_callees_effects_with_it() {
    let mut s = setup();
    let counter = s.counter;
    let receipt = s
        .session
        .call(
            s.caller,
            "call_twice_then_revert",
            &encode(&(counter.0, "increment".to_string())),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&receipt), "caller reverts after two calls");
    // Both increments succeeded in their own frames, then went with the caller's revert.
    assert_eq!(receipt.calls.len(), 3);
    assert_eq!(s.counter_value(), 0);
}
