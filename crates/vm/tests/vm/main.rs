//! VM integration tests on hand-written WAT modules: validation, metering, the deterministic
//! stack limit, call frames and the host-function ABI. One binary, one module per concern.

mod abi;
mod adversarial;
mod frames;
mod hardening;
mod memory;
mod metering;
mod mutation;
mod parallel;
mod persistence;
mod schedules;
mod stack;
mod validation;
mod warm;

use shortcrust_vm::gas::{Class, Schedule, instructions};
use shortcrust_vm::{ContractId, DeployOptions, Receipt, Session, SessionConfig, Vm};

/// The schedule of the latest protocol, which [`session`] runs under.
pub fn latest_schedule() -> Schedule {
    Schedule::for_protocol(shortcrust_abi::LATEST_PROTOCOL_VERSION).expect("a schedule")
}

/// The price of one instruction of `class` under [`latest_schedule`].
pub fn price(class: Class) -> u64 {
    u64::from(latest_schedule().class_price(class))
}

/// What the cheapest host call costs under [`latest_schedule`]: `HOST_CALL_BASE` and the
/// schedule's host-call surcharge.
pub fn host_base() -> u64 {
    shortcrust_vm::gas::HOST_CALL_BASE + latest_schedule().host_call_surcharge()
}

/// Gas of one load (`store = false`) or store in a module whose memory has no declared
/// maximum (the largest memory tier): the instruction and the tier's charges.
pub fn access_price(store: bool) -> u64 {
    let (load, stored) = instructions::memory_access_charges(u64::MAX);
    let (class, charges) = if store {
        (Class::Store, stored)
    } else {
        (Class::Load, load)
    };
    price(class) + u64::from(charges) * price(Class::Charge)
}

/// Enough for the storage writes a caller makes after a callee burnt 63/64 of the gas.
pub const GAS: u64 = 1_000_000_000;

/// A counter in WAT: `increment` adds one to the u64 under key "n" and outputs it.
pub const COUNTER_WAT: &str = r#"(module
  (import "shortcrust_v1" "storage_read" (func $sr (param i32 i32 i32 i32) (result i32)))
  (import "shortcrust_v1" "storage_write" (func $sw (param i32 i32 i32 i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "n")
  (func (export "increment")
    (drop (call $sr (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 8)))
    (i64.store (i32.const 8) (i64.add (i64.load (i32.const 8)) (i64.const 1)))
    (call $sw (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 8))
    (call $out (i32.const 8) (i32.const 8))))"#;

pub fn session() -> Session {
    Vm::ephemeral()
        .expect("vm")
        .session(SessionConfig::default())
        .expect("session")
}

pub fn deploy_wat(s: &mut Session, wat: &str) -> ContractId {
    let code = wat::parse_str(wat).expect("valid wat");
    s.deploy(&code, DeployOptions::default())
        .expect("deploy")
        .id
}

pub fn call(s: &mut Session, id: ContractId, entry: &str) -> Receipt {
    s.call(id, entry, &[], GAS).expect("no VM fault")
}
