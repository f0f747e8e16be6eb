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
    let vm = Vm::ephemeral().expect("ephemeral VM");
    let mut session = vm.session(SessionConfig::default()).expect("session");
    set_sender(&mut session, OWNER);
    (vm, session)
}
