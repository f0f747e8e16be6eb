//! The example contracts of `contracts/` through the harness, one module per contract: each
//! runs the contract's main scenario with typed calls and records its gas per case in the
//! contract's own snapshot (`contracts/<name>/.gas-snapshot`; `SHORTCRUST_GAS_SNAPSHOT=update`
//! rewrites them, a change beyond the tolerance fails with a diff). The VM-level tests of the
//! same contracts (`crates/vm/tests/{contracts,crypto}`) cover their edge cases; these are the
//! author's view.

mod bridge;
mod caller;
mod committee;
mod compute;
mod darkpool;
mod hostile;
mod verifier;
mod wallet;

use shortcrust_testkit::GasSnapshot;
use shortcrust_vm::{Context, ContractId};

/// The gas snapshot of example contract `contract`.
pub fn snapshot(contract: &str) -> GasSnapshot {
    GasSnapshot::new(format!(
        "{}/../../contracts/{contract}/.gas-snapshot",
        env!("CARGO_MANIFEST_DIR")
    ))
}

/// The payload a contract signs or checks for `domain`, as the example contracts build it:
/// borsh of `(domain, contract id, chain id)` followed by `rest` (already borsh). The chain id is
/// the harness's (`Context::default()`'s), so a signature made here is bound to this chain.
pub fn domain_payload(domain: &[u8], contract: ContractId, rest: &[u8]) -> Vec<u8> {
    let chain_id = Context::default().chain_id;
    shortcrust_test_contracts::client::domain_payload(domain, contract.0, chain_id, rest)
}

/// The borsh encoding of `value`.
pub fn encode<T: borsh::BorshSerialize + ?Sized>(value: &T) -> Vec<u8> {
    borsh::to_vec(value).expect("encoding into a Vec cannot fail")
}
