//! The in-process test harness for Shortcrust contract authors (DESIGN §1, §10).
//!
//! A [`Harness`] is a VM and a session on an in-memory state, with named accounts, block height
//! and time under the test's control, contracts deployed from bytes with a readable label,
//! typed calls with borsh arguments and results, assertions on events and reverts, the gas of
//! every call and its [`trace`], snapshots of the state to fork a test from, and gas snapshots
//! ([`gas_snapshot`]) checked like `forge snapshot --check`.
//!
//! ```no_run
//! use shortcrust_testkit::Harness;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let wasm: &[u8] = &[];
//! let mut h = Harness::new()?;
//! let alice = h.account("alice");
//! let counter = h.deploy("counter", wasm)?;
//! let n: u64 = h.call(alice, counter, "add", &5u64)?.value()?;
//! h.call(alice, counter, "add", &vec![1u8])?.assert_reverted("bad input");
//! # Ok(()) }
//! ```

pub mod build;
pub mod gas_snapshot;
mod outcome;
pub mod trace;

use std::collections::BTreeMap;

use borsh::BorshSerialize;
use shortcrust_vm::{
    Context, ContractId, DeployError, DeployOptions, Root, Session, SessionConfig, Vm, VmError,
};

pub use gas_snapshot::GasSnapshot;
pub use outcome::{CallOutcome, Failure};
pub use trace::Trace;

/// Gas limit of a harness call unless [`Harness::set_gas_limit`] says otherwise: enough for any
/// example contract, small enough to end a runaway loop quickly.
pub const DEFAULT_GAS: u64 = 1_000_000_000;

/// What the harness could not do (not a contract failure: those are in [`CallOutcome`]).
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("VM: {0}")]
    Vm(#[from] VmError),
    #[error("deploying {label}: {source}")]
    Deploy {
        label: String,
        #[source]
        source: DeployError,
    },
    #[error("encoding the arguments of {entry}: {message}")]
    Encode { entry: String, message: String },
}

/// A 32-byte account id.
pub type Account = [u8; 32];

/// A state snapshot to fork tests from: a committed root of the harness's VM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub root: Root,
}

/// See the crate docs.
pub struct Harness {
    vm: Vm,
    session: Session,
    context: Context,
    labels: BTreeMap<ContractId, String>,
    accounts: BTreeMap<Account, String>,
    gas_limit: u64,
    deploys: u64,
}

impl Harness {
    /// A harness on a fresh in-memory state at block height 1, timestamp 1,700,000,000.
    pub fn new() -> Result<Harness, HarnessError> {
        let vm = Vm::ephemeral()?;
        Self::on(vm, None)
    }

    fn on(vm: Vm, root: Option<Root>) -> Result<Harness, HarnessError> {
        let context = Context {
            block_height: 1,
            block_timestamp: 1_700_000_000,
            ..Context::default()
        };
        let session = vm.session(SessionConfig {
            root,
            context: context.clone(),
        })?;
        Ok(Harness {
            vm,
            session,
            context,
            labels: BTreeMap::new(),
            accounts: BTreeMap::new(),
            gas_limit: DEFAULT_GAS,
            deploys: 0,
        })
    }

    fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    /// The account named `name`: `BLAKE2b-256("shortcrust/testkit/account" || name)`, the same
    /// in every test and run.
    pub fn account(&mut self, name: &str) -> Account {
        let mut h = blake2b_simd::Params::new().hash_length(32).to_state();
        h.update(b"shortcrust/testkit/account");
        h.update(name.as_bytes());
        let mut id = [0u8; 32];
        id.copy_from_slice(h.finalize().as_bytes());
        self.accounts.insert(id, name.to_string());
        id
    }

    /// Sets the block height and timestamp the following calls see.
    pub fn set_block(&mut self, height: u64, timestamp: u64) {
        self.context.block_height = height;
        self.context.block_timestamp = timestamp;
    }

    /// Moves to the next block, `seconds` later.
    pub fn advance(&mut self, seconds: u64) {
        self.context.block_height += 1;
        self.context.block_timestamp += seconds;
    }

    /// The gas limit of the following calls.
    pub fn set_gas_limit(&mut self, gas: u64) {
        self.gas_limit = gas;
    }

    /// Deploys `code` owned by the account "deployer", labelled `label` in traces and failures.
    pub fn deploy(&mut self, label: &str, code: &[u8]) -> Result<ContractId, HarnessError> {
        let owner = self.account("deployer");
        self.deploy_as(owner, label, code)
    }

    /// Deploys `code` owned by `owner`.
    pub fn deploy_as(
        &mut self,
        owner: Account,
        label: &str,
        code: &[u8],
    ) -> Result<ContractId, HarnessError> {
        let nonce = self.deploys;
        self.deploys += 1;
        let deployed = self
            .session()
            .deploy(
                code,
                DeployOptions {
                    owner,
                    nonce,
                    ..DeployOptions::default()
                },
            )
            .map_err(|source| HarnessError::Deploy {
                label: label.to_string(),
                source,
            })?;
        self.labels.insert(deployed.id, label.to_string());
        Ok(deployed.id)
    }

    /// The label of a contract (or its short id).
    pub fn label(&self, id: &ContractId) -> String {
        label_of(&self.labels, id)
    }

    /// Calls `entry` of `contract` as `sender` with borsh-encoded `args`; the effects stay in
    /// the state if it succeeds.
    pub fn call<A: BorshSerialize + ?Sized>(
        &mut self,
        sender: Account,
        contract: ContractId,
        entry: &str,
        args: &A,
    ) -> Result<CallOutcome, HarnessError> {
        let input = encode_args(entry, args)?;
        self.call_raw(sender, contract, entry, &input, false)
    }

    /// Like [`Harness::call`], but the state is unchanged whatever happens.
    pub fn query<A: BorshSerialize + ?Sized>(
        &mut self,
        sender: Account,
        contract: ContractId,
        entry: &str,
        args: &A,
    ) -> Result<CallOutcome, HarnessError> {
        let input = encode_args(entry, args)?;
        self.call_raw(sender, contract, entry, &input, true)
    }

    /// A call with raw input bytes.
    pub fn call_raw(
        &mut self,
        sender: Account,
        contract: ContractId,
        entry: &str,
        input: &[u8],
        read_only: bool,
    ) -> Result<CallOutcome, HarnessError> {
        let context = Context {
            sender,
            ..self.context.clone()
        };
        let gas = self.gas_limit;
        let session = self.session();
        session.set_context(context);
        let receipt = if read_only {
            session.query(contract, entry, input, gas)?
        } else {
            session.call(contract, entry, input, gas)?
        };
        let labels = &self.labels;
        let trace = Trace::from_receipt(&receipt, &|id| label_of(labels, id));
        Ok(CallOutcome::new(receipt, trace))
    }

    /// Commits the state so far and returns it as a snapshot; the harness goes on from it.
    /// (Should the commit fail, the harness is back at the previous snapshot.)
    pub fn snapshot(&mut self) -> Result<Snapshot, HarnessError> {
        let at = |root| SessionConfig {
            root: Some(root),
            context: self.context.clone(),
        };
        let base = self.vm.session(at(self.session.base_root()))?;
        let root = std::mem::replace(&mut self.session, base).commit()?;
        self.session = self.vm.session(at(root))?;
        Ok(Snapshot { root })
    }

    /// A new harness on the same VM starting from `snapshot`, with this one's labels, accounts
    /// and block: tests forked from one setup do not see each other's effects.
    pub fn fork(&self, snapshot: &Snapshot) -> Result<Harness, HarnessError> {
        let mut h = Self::on(self.vm.clone(), Some(snapshot.root))?;
        h.context = self.context.clone();
        h.labels = self.labels.clone();
        h.accounts = self.accounts.clone();
        h.gas_limit = self.gas_limit;
        h.deploys = self.deploys;
        Ok(h)
    }

    /// The raw value of `key` in `contract`'s storage.
    pub fn storage(
        &mut self,
        contract: &ContractId,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, HarnessError> {
        Ok(self.session().storage_get(contract, key)?)
    }

    /// The VM, for what the harness does not wrap.
    pub fn vm(&self) -> &Vm {
        &self.vm
    }
}

/// A contract's label, or the first 8 hex digits of its id.
fn label_of(labels: &BTreeMap<ContractId, String>, id: &ContractId) -> String {
    labels
        .get(id)
        .cloned()
        .unwrap_or_else(|| hex::encode(&id.0[..4]))
}

/// The borsh input of `entry` from `args`.
fn encode_args<A: BorshSerialize + ?Sized>(entry: &str, args: &A) -> Result<Vec<u8>, HarnessError> {
    borsh::to_vec(args).map_err(|e| HarnessError::Encode {
        entry: entry.to_string(),
        message: e.to_string(),
    })
}
