//! Versioned gas schedules: a session runs under the schedule of its protocol version, the same
//! committed contract is compiled once per schedule it runs under, and versions this build does
//! not know are refused before anything runs.

use shortcrust_vm::gas::{Class, Schedule};
use shortcrust_vm::{DeployError, DeployOptions, SessionConfig, Vm, VmError};

use crate::{COUNTER_WAT, GAS};

fn config(protocol: u32) -> SessionConfig {
    let mut config = SessionConfig::default();
    config.context.protocol_version = protocol;
    config
}

#[test]
fn unknown_protocol_versions_are_refused() {
    let vm = Vm::ephemeral().expect("vm");
    for version in [0, shortcrust_abi::LATEST_PROTOCOL_VERSION + 1, u32::MAX] {
        assert!(
            matches!(vm.session(config(version)), Err(VmError::UnsupportedProtocol(v)) if v == version),
            "{version}"
        );
    }
    // A session switched to an unknown version refuses calls and deploys, and keeps its state.
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let code = wat::parse_str(COUNTER_WAT).expect("wat");
    let id = s
        .deploy(&code, DeployOptions::default())
        .expect("deploy")
        .id;
    let mut context = s.context().clone();
    context.protocol_version = 99;
    s.set_context(context.clone());
    assert!(matches!(
        s.call(id, "increment", &[], GAS),
        Err(VmError::UnsupportedProtocol(99))
    ));
    assert!(matches!(
        s.query(id, "increment", &[], GAS),
        Err(VmError::UnsupportedProtocol(99))
    ));
    let other = DeployOptions {
        nonce: 1,
        ..DeployOptions::default()
    };
    assert_eq!(
        s.deploy(&code, other).map(|d| d.id),
        Err(DeployError::UnsupportedProtocol(99))
    );
    context.protocol_version = shortcrust_abi::LATEST_PROTOCOL_VERSION;
    s.set_context(context);
    let r = s.call(id, "increment", &[], GAS).expect("no VM fault");
    assert_eq!(r.result, Ok(1u64.to_le_bytes().to_vec()));
}

/// One committed contract called under protocol 1 and protocol 2: the same results and state,
/// each schedule's gas, one compilation per schedule.
#[test]
fn the_same_contract_runs_under_each_schedule_with_its_prices() {
    let vm = Vm::ephemeral().expect("vm");
    let mut s = vm.session(config(2)).expect("session");
    let code = wat::parse_str(COUNTER_WAT).expect("wat");
    let id = s
        .deploy(&code, DeployOptions::default())
        .expect("deploy")
        .id;
    s.commit().expect("commit");
    let compiled_before = vm.cache_stats().compiled;

    let mut receipts = Vec::new();
    for protocol in [1, 2] {
        let mut s = vm.session(config(protocol)).expect("session");
        let r = s.call(id, "increment", &[], GAS).expect("no VM fault");
        assert_eq!(r.result, Ok(1u64.to_le_bytes().to_vec()), "{protocol}");
        // Again, from the in-memory cache: the same gas.
        let again = s.call(id, "increment", &[], GAS).expect("no VM fault");
        receipts.push((r.gas_spent, again.gas_spent));
    }
    // Protocol 1 compiled the module under v1 (its fuel table differs); protocol 2 reused the
    // deploy's compilation.
    assert_eq!(vm.cache_stats().compiled, compiled_before + 1);
    let (v1, v2) = (receipts[0], receipts[1]);
    // `increment` runs 1 load, 1 store, 3 calls, an add, constants and a drop: under v1 6 gas
    // of instructions, under v2 each priced by class (plus the memory tier: no declared
    // maximum), and its 3 host calls pay v2's surcharge.
    let instructions_v2 = crate::access_price(false)
        + crate::access_price(true)
        + 3 * crate::price(Class::Call)
        + crate::price(Class::IntSimple);
    let surcharges = 3 * Schedule::V2.host_call_surcharge();
    // Its one storage read pays v2's cold-read price.
    let read = Schedule::V2.storage_read_base() - Schedule::V1.storage_read_base();
    assert_eq!(
        v2.0 - v1.0,
        instructions_v2 + surcharges + read - 6,
        "{v1:?} {v2:?}"
    );
    assert_eq!(Schedule::for_protocol(1), Some(Schedule::V1));
}

/// `storage_remove` reads the key before removing it: under v2 it pays that read
/// (`Schedule::storage_remove_read`), under v1 (frozen) the write alone. The same removal under
/// both schedules differs by exactly the read price, whether the key existed or not.
#[test]
fn a_removal_pays_its_read_under_v2() {
    const REMOVE_WAT: &str = r#"(module
      (import "shortcrust_v1" "storage_remove" (func $rm (param i32 i32) (result i32)))
      (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
      (memory (export "memory") 1 1)
      (data (i32.const 0) "key")
      (func (export "remove")
        (i32.store (i32.const 16) (call $rm (i32.const 0) (i32.const 3)))
        (call $out (i32.const 16) (i32.const 4))))"#;
    let vm = Vm::ephemeral().expect("vm");
    let mut s = vm.session(config(2)).expect("session");
    let code = wat::parse_str(REMOVE_WAT).expect("wat");
    let id = s
        .deploy(&code, DeployOptions::default())
        .expect("deploy")
        .id;
    s.commit().expect("commit");
    let mut gas = Vec::new();
    for protocol in [1, 2] {
        let mut s = vm.session(config(protocol)).expect("session");
        let r = s.call(id, "remove", &[], GAS).expect("no VM fault");
        // The key never existed: 0.
        assert_eq!(r.result, Ok(0i32.to_le_bytes().to_vec()), "{protocol}");
        gas.push(r.gas_spent);
    }
    assert_eq!(Schedule::V1.storage_remove_read(), 0);
    let read = Schedule::V2.storage_remove_read();
    assert_eq!(read, shortcrust_vm::gas::STORAGE_READ_BASE_V2);
    // The rest of the call differs between the schedules by a few hundred gas (instruction
    // classes, the host-call surcharge); the read is 3,000,000.
    let extra = gas[1] - gas[0];
    assert!(
        (read..read + 5_000).contains(&extra),
        "v1 {} gas, v2 {} gas",
        gas[0],
        gas[1]
    );
}
