//! `contracts/caller`: cross-contract calls through the harness — a typed call into the counter,
//! a handled failure of a callee, and the callee's effects rolled back with a reverting caller.

use shortcrust_test_contracts::{CALLER, COUNTER};
use shortcrust_testkit::Harness;

#[test]
fn cross_contract_calls_and_their_gas() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let counter = h.deploy("counter", COUNTER).expect("deploy");
    let caller = h.deploy("caller", CALLER).expect("deploy");
    let mut gas = super::snapshot("caller");

    let first = h
        .call(alice, caller, "increment_counter", &counter.0)
        .expect("call");
    assert_eq!(first.value::<u64>(), Ok(1));
    gas.record("increment_counter", first.gas());
    let again = h
        .call(alice, caller, "increment_counter", &counter.0)
        .expect("call");
    assert_eq!(again.value::<u64>(), Ok(2));

    // Both calls of `call_twice_then_revert` are undone with it.
    let reverted = h
        .call(
            alice,
            caller,
            "call_twice_then_revert",
            &(counter.0, "increment".to_string()),
        )
        .expect("call");
    assert!(!reverted.is_ok());
    gas.record("call_twice_then_revert", reverted.gas());
    let now = h.query(alice, counter, "get", &()).expect("query");
    assert_eq!(now.value::<u64>(), Ok(2));

    // A failing callee is handled: `try_call` returns its outcome and keeps its own writes.
    let handled = h
        .call(
            alice,
            caller,
            "try_call",
            &(
                counter.0,
                "no_such_entry".to_string(),
                Vec::<u8>::new(),
                0u64,
            ),
        )
        .expect("call");
    handled.assert_ok();
    gas.record("try_call (unknown entry)", handled.gas());
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
