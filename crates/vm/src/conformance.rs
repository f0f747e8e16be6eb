//! The WebAssembly spec suite's entry into the VM's pipeline (`tests/spec`).
//!
//! Contracts are held to a policy (ABI imports only, an exported `memory`) that almost no module
//! of the spec suite meets. To prove that Shortcrust's *instrumentation* and *engine
//! configuration* change no WebAssembly semantics, the suite runs its modules through
//! [`prepare`]: the deploy-time validation with the same features and limits, minus that policy,
//! then the very same rewrite a deploy applies, compiled by an engine configured exactly as the
//! VM's ([`engine`]).

use wasmtime::{Engine, OptLevel};

use crate::error::DeployError;
use crate::limits::ModuleLimits;
use crate::validate::{Policy, validate_with};

pub use crate::instrument::{
    MEMORY_EXPORT, MEMORY_GROW_IMPORT, METER_MODULE, STACK_BUDGET_SLOTS, STACK_HEIGHT_EXPORT,
    START_EXPORT,
};

/// Validates `code` with ABI v1's features and the default module limits, without the contract
/// import/export policy, and instruments it exactly as deploy does.
pub fn prepare(code: &[u8]) -> Result<Vec<u8>, DeployError> {
    let info = validate_with(code, &ModuleLimits::default(), Policy::Conformance)?;
    crate::instrument::instrument(code, &info)
}

/// An engine configured exactly as the VM's, at `opt`.
pub fn engine(opt: OptLevel) -> Engine {
    let options = crate::engine::EngineOptions {
        opt_level: opt,
        ..Default::default()
    };
    // The configuration is a constant of this crate: failing to build it is a bug here.
    Engine::new(&crate::engine::engine_config(
        &ModuleLimits::default(),
        &options,
        crate::gas::Schedule::V2,
    ))
    .expect("the VM's engine configuration is valid")
}
