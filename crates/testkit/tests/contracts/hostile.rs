//! `contracts/hostile`: each attack ends in a precise failure that the harness reports with the
//! contract, entry and message, spends exactly what the VM says, and changes nothing.

use shortcrust_test_contracts::HOSTILE;
use shortcrust_testkit::Harness;
use shortcrust_vm::CallError;

#[test]
fn attacks_fail_precisely_and_change_nothing() {
    let mut h = Harness::new().expect("harness");
    let mallory = h.account("mallory");
    let hostile = h.deploy("hostile", HOSTILE).expect("deploy");
    let mut gas = super::snapshot("hostile");
    h.set_gas_limit(50_000_000);

    let spin = h.call(mallory, hostile, "spin", &()).expect("call");
    spin.assert_failed(&CallError::OutOfGas);
    assert_eq!(
        spin.gas(),
        50_000_000,
        "an endless loop spends its whole limit"
    );

    let panic = h
        .call(mallory, hostile, "panic_with_message", &())
        .expect("call");
    assert!(!panic.is_ok());
    gas.record("panic_with_message", panic.gas());

    let write_then_panic = h
        .call(mallory, hostile, "write_then_panic", &())
        .expect("call");
    assert!(!write_then_panic.is_ok());
    gas.record("write_then_panic", write_then_panic.gas());
    assert_eq!(
        h.storage(&hostile, b"written").expect("storage"),
        None,
        "a failed call's writes are rolled back"
    );

    let oversized = h
        .call(mallory, hostile, "write_oversized_value", &())
        .expect("call");
    assert!(matches!(
        oversized.value::<()>(),
        Err(shortcrust_testkit::Failure::Call { .. })
    ));
    gas.record("write_oversized_value", oversized.gas());

    let oob = h
        .call(mallory, hostile, "out_of_bounds_output", &())
        .expect("call");
    assert!(!oob.is_ok());
    gas.record("out_of_bounds_output", oob.gas());
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
