//! VM integration tests on hand-written WAT modules: validation, metering, the deterministic
//! stack limit, call frames and the host-function ABI. One binary, one module per concern.

mod abi;
mod adversarial;
mod frames;
mod hardening;
mod metering;
mod mutation;
mod parallel;
mod persistence;
mod stack;
mod validation;

use shortcrust_vm::{ContractId, DeployOptions, Receipt, Session, SessionConfig, Vm};

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
