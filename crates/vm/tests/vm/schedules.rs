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
