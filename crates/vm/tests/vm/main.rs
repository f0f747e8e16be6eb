//! VM integration tests on hand-written WAT modules: validation, metering, the deterministic
//! stack limit, call frames and the host-function ABI. One binary, one module per concern.

mod abi;
mod frames;
mod metering;
mod mutation;
mod parallel;
mod persistence;
mod stack;
mod validation;

use shortcrust_vm::{ContractId, DeployOptions, Receipt, Session, SessionConfig, Vm};

pub const GAS: u64 = 10_000_000;

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
    s.call(id, entry, &[], GAS)
}
