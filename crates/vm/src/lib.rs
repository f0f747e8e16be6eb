//! The Shortcrust engine: deterministic, metered execution of WebAssembly contracts that call
//! native host functions.
//!
//! - [`engine`]: the one wasmtime configuration, every determinism knob documented;
//! - [`validate`] and [`instrument`]: what a module must satisfy at deploy, and the deterministic
//!   stack-height accounting added to it;
//! - [`gas`]: the gas schedule of the VM's own operations;
//! - `host`: the host functions, linked from the ABI table;
//! - [`session`]: sessions and receipts; `frame`: the call frames they run;
//! - `warm`: later frames of a contract in one session reuse an earlier frame's instance,
//!   reset to exactly what instantiation gives (`VmConfig::warm_instances`).
//!
//! ```no_run
//! use shortcrust_vm::{DeployOptions, SessionConfig, Vm};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let vm = Vm::ephemeral()?;
//! let mut session = vm.session(SessionConfig::default())?;
//! let code: &[u8] = &[]; // a contract's WASM
//! let contract = session.deploy(code, DeployOptions::default())?;
//! let receipt = session.call(contract.id, "increment", &[], 1_000_000)?;
//! println!("{:?}, {} gas", receipt.result, receipt.gas_spent);
//! let root = session.commit()?;
//! # Ok(()) }
//! ```

pub mod conformance;
pub mod engine;
mod error;
mod frame;
pub mod gas;
mod host;
pub mod instrument;
pub mod limits;
mod module_cache;
mod session;
pub mod validate;
mod vm;
mod warm;

pub use error::{CallError, DeployError, Fault, TrapCode, VmError};
pub use host::HostGas;
pub use limits::ModuleLimits;
pub use session::{
    CALL_STACK_SIZE, CallRecord, Context, DeployOptions, Deployed, Event, RED_ZONE, Receipt,
    Savepoint, Session, SessionConfig, contract_id,
};
pub use shortcrust_abi::ContractId;
pub use shortcrust_store::{OpenOptions, Root};
#[cfg(feature = "fault-injection")]
pub use vm::HostFaults;
pub use vm::{CacheStats, Vm, VmConfig};
pub use wasmtime::OptLevel;
