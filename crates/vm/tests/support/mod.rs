//! Helpers shared by the example-contract test binaries (`tests/contracts`, `tests/crypto`):
//! accounts, deploys, borsh encoding and receipt decoding. Included with `#[path]` so each binary
//! stays one crate.

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_vm::{CallError, ContractId, DeployOptions, Receipt, Session};

/// Owner of every contract the tests deploy.
pub const OWNER: [u8; 32] = [1; 32];
pub const ALICE: [u8; 32] = [0xa1; 32];
pub const BOB: [u8; 32] = [0xb0; 32];

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

/// Deploys `code` owned by [`OWNER`] with `nonce` (so the same code can be deployed twice).
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
