//! The example contracts of `contracts/` (compiled by `shortcrust-test-contracts`) running in the
//! VM, one module per contract, as one test binary so the contracts compile once.
//!
//! Gas figures are pinned exactly (snapshot style): a change to the gas schedule, the SDK or the
//! contracts' code shows up here and must be accepted deliberately.

mod caller;
mod compute;
mod counter;
mod hostile;
mod token;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_vm::{CallError, ContractId, DeployOptions, Receipt, Session, SessionConfig, Vm};

/// Owner of every contract the tests deploy.
pub const OWNER: [u8; 32] = [1; 32];
pub const ALICE: [u8; 32] = [0xa1; 32];
pub const BOB: [u8; 32] = [0xb0; 32];

/// Gas for ordinary calls: far more than any of them needs.
pub const GAS: u64 = 50_000_000;

/// A fresh ephemeral VM and a session on it whose sender is [`OWNER`].
pub fn new_session() -> (Vm, Session) {
    let vm = Vm::ephemeral().expect("ephemeral VM");
    let mut session = vm.session(SessionConfig::default()).expect("session");
    set_sender(&mut session, OWNER);
    (vm, session)
}

/// Makes `sender` the sender of the session's following top-level calls.
pub fn set_sender(session: &mut Session, sender: [u8; 32]) {
    let mut context = session.context().clone();
    context.sender = sender;
    session.set_context(context);
}

/// Deploys `code` owned by [`OWNER`].
pub fn deploy(session: &mut Session, code: &[u8]) -> ContractId {
    deploy_with_nonce(session, code, 0)
}

pub fn deploy_with_nonce(session: &mut Session, code: &[u8], nonce: u64) -> ContractId {
    session
        .deploy(
            code,
            DeployOptions {
                owner: OWNER,
                nonce,
                ..DeployOptions::default()
            },
        )
        .expect("example contracts deploy")
        .id
}

/// The borsh encoding of `value`.
pub fn encode<T: BorshSerialize + ?Sized>(value: &T) -> Vec<u8> {
    borsh::to_vec(value).expect("encoding into a Vec cannot fail")
}

/// The receipt's output decoded as `T`; fails the test with the call's error otherwise.
#[track_caller]
pub fn output<T: BorshDeserialize>(receipt: &Receipt) -> T {
    match &receipt.result {
        Ok(bytes) => borsh::from_slice(bytes).expect("output decodes"),
        Err(e) => panic!("call failed: {e}"),
    }
}

/// The receipt's revert message; fails the test if the call did not revert.
#[track_caller]
pub fn revert_message(receipt: &Receipt) -> &str {
    match &receipt.result {
        Err(CallError::Reverted(message)) => message,
        other => panic!("expected a revert, got {other:?}"),
    }
}
