//! The example contracts of `contracts/` through the harness, one module per contract: each
//! runs the contract's main scenario with typed calls and records its gas per case in the
//! contract's own snapshot (`contracts/<name>/.gas-snapshot`; `SHORTCRUST_GAS_SNAPSHOT=update`
//! rewrites them, a change beyond the tolerance fails with a diff). The VM-level tests of the
//! same contracts (`crates/vm/tests/{contracts,crypto}`) cover their edge cases; these are the
//! author's view.

mod caller;
mod compute;
mod hostile;
mod verifier;

use shortcrust_testkit::GasSnapshot;

/// The gas snapshot of example contract `contract`.
pub fn snapshot(contract: &str) -> GasSnapshot {
    GasSnapshot::new(format!(
        "{}/../../contracts/{contract}/.gas-snapshot",
        env!("CARGO_MANIFEST_DIR")
    ))
}
