//! The example contracts of `contracts/` (compiled by `shortcrust-test-contracts`) running in the
//! VM, one module per contract, as one test binary so the contracts compile once.
//!
//! Gas figures are pinned exactly (snapshot style): a change to the gas schedule, the SDK or the
//! contracts' code shows up here and must be accepted deliberately.

mod caller;
mod compute;
mod counter;
mod determinism;
mod hostile;
mod token;

#[path = "../support/mod.rs"]
mod support;

pub use support::*;

use shortcrust_vm::{Session, SessionConfig, Vm};

/// Gas for ordinary calls: far more than any of them needs.
pub const GAS: u64 = 500_000_000;

/// A fresh ephemeral VM and a session on it whose sender is [`OWNER`].
pub fn new_session() -> (Vm, Session) {
    new_session_at(shortcrust_abi::LATEST_PROTOCOL_VERSION)
}

/// [`new_session`] at protocol version `protocol` (and so under its gas schedule).
pub fn new_session_at(protocol: u32) -> (Vm, Session) {
    let vm = Vm::ephemeral().expect("ephemeral VM");
    let mut config = SessionConfig::default();
    config.context.protocol_version = protocol;
    let mut session = vm.session(config).expect("session");
    set_sender(&mut session, OWNER);
    (vm, session)
}

/// Asserts that `actual` gas figures are the `expected` snapshot of protocol `protocol`; on a
/// difference, prints the actual table as Rust to paste once the change is intended.
pub fn assert_gas_snapshot(
    what: &str,
    protocol: u32,
    actual: &[(&'static str, u64)],
    expected: &[(&str, u64)],
) {
    if actual != expected {
        let rows: String = actual
            .iter()
            .map(|(label, gas)| format!("    ({label:?}, {gas}),\n"))
            .collect();
        panic!(
            "{what} gas under protocol {protocol} changed: update the snapshot if intended:\n{rows}"
        );
    }
}
