//! Sessions: a sequence of deploys and calls on top of one state root, then a commit or a drop.
//!
//! A session keeps its changes in an overlay over a read-only view of its base root. Every call
//! frame checkpoints the overlay's journal and the event list; a failing frame rolls back exactly
//! its own effects. A top-level call that fails leaves the session as if it never ran, except for
//! the gas reported in its receipt.

use std::collections::BTreeMap;
use std::sync::Arc;

use shortcrust_abi::ContractId;
use shortcrust_store::{ChangeSet, ContractMeta, Root, StateView};

use crate::error::{CallError, DeployError, Fault, HostTrap, VmError};
use crate::frame::{FrameRequest, run_frame};
use crate::gas::{Schedule, TX_BASE, deploy_cost};
use crate::host::{HostGas, HostResult};
use crate::vm::VmInner;
use crate::warm::WarmInstances;

/// Native stack that must be free when a top-level call starts: the WASM budget
/// (`engine::MAX_WASM_STACK`) plus 512 KiB for host functions (native cryptography) and the
/// frames between nested calls. With less, the call runs on a fresh stack of [`CALL_STACK_SIZE`]
/// (`stacker`), so results never depend on the caller's thread.
pub const RED_ZONE: usize = crate::engine::MAX_WASM_STACK + 512 * 1024;
/// Size of the stack a call gets when its thread has less than [`RED_ZONE`] free.
pub const CALL_STACK_SIZE: usize = 4 * 1024 * 1024;

/// Block and transaction context given by the embedder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub block_height: u64,
    /// Seconds since the Unix epoch, as decided by consensus (never the node's clock).
    pub block_timestamp: u64,
    pub chain_id: u64,
    /// Protocol version: decides which host functions a deploy may import.
    pub protocol_version: u32,
    /// The transaction's sender: the `caller` of top-level calls.
    pub sender: [u8; 32],
}

impl Default for Context {
    fn default() -> Self {
        Self {
            block_height: 0,
            block_timestamp: 0,
            chain_id: 0,
            protocol_version: shortcrust_abi::LATEST_PROTOCOL_VERSION,
            sender: [0; 32],
        }
    }
}

/// Where a session starts and in which context it runs.
#[derive(Clone, Debug, Default)]
pub struct SessionConfig {
    /// The base root; `None` means the store's head.
    pub root: Option<Root>,
    pub context: Context,
}

/// How to deploy a contract.
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// The contract's owner, visible to it through the `owner` host function.
    pub owner: [u8; 32],
    /// Distinguishes deployments of the same code by the same owner.
    pub nonce: u64,
    pub gas_limit: u64,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            owner: [0; 32],
            nonce: 0,
            gas_limit: u64::MAX,
        }
    }
}

/// A successful deploy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployed {
    pub id: ContractId,
    pub code_hash: [u8; 32],
    pub gas_spent: u64,
}

/// An event emitted by a contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub contract: ContractId,
    pub topic: Vec<u8>,
    pub data: Vec<u8>,
}

/// One frame of a call tree, in the order frames started (depth-first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    /// 1 for the top-level call.
    pub depth: u32,
    pub contract: ContractId,
    pub entry: String,
    pub gas_limit: u64,
    /// All the frame's gas, its callees' included.
    pub gas_spent: u64,
    pub error: Option<CallError>,
    /// Gas paid for the frame's initial memory (`gas::initial_memory_cost`).
    pub memory_gas: u64,
    /// Gas each host function charged in this frame (not in its callees).
    pub host_gas: Vec<HostGas>,
}

impl CallRecord {
    /// Gas of the frame's own WASM instructions: its gas less initial memory, host functions
    /// and the gas of its direct callees (`callees_gas`).
    pub fn instruction_gas(&self, callees_gas: u64) -> u64 {
        let host: u64 = self.host_gas.iter().map(|h| h.gas).sum();
        self.gas_spent
            .saturating_sub(self.memory_gas)
            .saturating_sub(host)
            .saturating_sub(callees_gas)
    }
}

/// The result of a top-level call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The output, or why the call failed.
    pub result: Result<Vec<u8>, CallError>,
    pub gas_limit: u64,
    /// Gas used, including the fixed `TX_BASE`; never more than `gas_limit`.
    pub gas_spent: u64,
    /// Events of the frames that succeeded, in emission order (empty if the call failed).
    pub events: Vec<Event>,
    /// Every frame the call ran, failed ones included.
    pub calls: Vec<CallRecord>,
}

/// Immutable environment of a session's calls.
pub(crate) struct TxEnv {
    pub vm: Arc<VmInner>,
    pub base: Arc<dyn StateView>,
    pub context: Context,
    /// The gas schedule of `context.protocol_version` (`None` for a version this build does
    /// not know: calls are then refused with `VmError::UnsupportedProtocol`).
    pub schedule: Option<Schedule>,
}

impl TxEnv {
    fn new(vm: Arc<VmInner>, base: Arc<dyn StateView>, context: Context) -> Self {
        let schedule = Schedule::for_protocol(context.protocol_version);
        Self {
            vm,
            base,
            context,
            schedule,
        }
    }
}

type StorageKey = (ContractId, Vec<u8>);

/// A session's changes over its base, with an undo journal for frame rollback.
#[derive(Default)]
pub(crate) struct Overlay {
    storage: BTreeMap<StorageKey, Option<Vec<u8>>>,
    contracts: BTreeMap<ContractId, ContractMeta>,
    code: BTreeMap<[u8; 32], Arc<[u8]>>,
    /// Previous overlay entry of each storage write (`None`: the key was not in the overlay).
    journal: Vec<(StorageKey, Option<Option<Vec<u8>>>)>,
}

/// Mutable state of one top-level call, moved between the stores of its frames.
pub(crate) struct TxState {
    pub env: Arc<TxEnv>,
    overlay: Overlay,
    pub events: Vec<Event>,
    pub calls: Vec<CallRecord>,
    /// The session's idle warm instances, lent to the call like the overlay.
    pub warm: WarmInstances,
}

#[derive(Clone, Copy)]
pub(crate) struct Checkpoint {
    journal: usize,
    events: usize,
}

impl TxState {
    /// An empty state that stands in a caller's store while its callee holds the real one.
    pub(crate) fn placeholder(&self) -> Box<TxState> {
        Box::new(TxState {
            env: self.env.clone(),
            overlay: Overlay::default(),
            events: Vec::new(),
            calls: Vec::new(),
            warm: WarmInstances::default(),
        })
    }

    pub(crate) fn read(&self, contract: &ContractId, key: &[u8]) -> HostResult<Option<Vec<u8>>> {
        if let Some(v) = self.overlay.storage.get(&(*contract, key.to_vec())) {
            return Ok(v.clone());
        }
        self.env.base.get(contract, key).map_err(|e| {
            wasmtime::Error::new(HostTrap::Fault(Fault::Store(format!("state read: {e}"))))
        })
    }

    pub(crate) fn write(&mut self, contract: ContractId, key: Vec<u8>, value: Option<Vec<u8>>) {
        let k = (contract, key);
        let previous = self.overlay.storage.insert(k.clone(), value);
        self.overlay.journal.push((k, previous));
    }

    pub(crate) fn contract_meta(&self, id: &ContractId) -> Result<Option<ContractMeta>, String> {
        if let Some(m) = self.overlay.contracts.get(id) {
            return Ok(Some(*m));
        }
        self.env.base.contract(id).map_err(|e| e.to_string())
    }

    /// The code for `hash`, and whether it is committed (in the base state) rather than only
    /// deployed in this session.
    pub(crate) fn code(&self, hash: &[u8; 32]) -> Result<Option<crate::vm::CodeLookup>, String> {
        if let Some(c) = self.overlay.code.get(hash) {
            return Ok(Some((c.clone(), false)));
        }
        let code = self.env.base.code(hash).map_err(|e| e.to_string())?;
        Ok(code.map(|c| (c, true)))
    }

    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            journal: self.overlay.journal.len(),
            events: self.events.len(),
        }
    }

    pub(crate) fn rollback(&mut self, to: Checkpoint) {
        while self.overlay.journal.len() > to.journal {
            let Some((key, previous)) = self.overlay.journal.pop() else {
                break;
            };
            match previous {
                Some(v) => self.overlay.storage.insert(key, v),
                None => self.overlay.storage.remove(&key),
            };
        }
        self.events.truncate(to.events);
    }
}

/// The changes of a session at one moment; see [`Session::savepoint`].
#[derive(Clone)]
pub struct Savepoint {
    storage: BTreeMap<StorageKey, Option<Vec<u8>>>,
    contracts: BTreeMap<ContractId, ContractMeta>,
    code: BTreeMap<[u8; 32], Arc<[u8]>>,
}

/// A session. See the module docs.
pub struct Session {
    env: Arc<TxEnv>,
    overlay: Overlay,
    warm: WarmInstances,
}

impl Session {
    pub(crate) fn new(vm: Arc<VmInner>, base: Arc<dyn StateView>, context: Context) -> Self {
        Self {
            env: Arc::new(TxEnv::new(vm, base, context)),
            overlay: Overlay::default(),
            warm: WarmInstances::default(),
        }
    }

    /// The root this session started from.
    pub fn base_root(&self) -> Root {
        self.env.base.root()
    }

    /// Idle instances this session keeps for later frames (see `VmConfig::warm_instances`):
    /// for tests and diagnostics, since it never changes a result.
    pub fn warm_instances(&self) -> usize {
        self.warm.len()
    }

    pub fn context(&self) -> &Context {
        &self.env.context
    }

    /// Changes the context for the following calls (e.g. another sender). A protocol version
    /// this build does not know makes the following calls and deploys fail with
    /// `UnsupportedProtocol`.
    pub fn set_context(&mut self, context: Context) {
        let env = TxEnv::new(self.env.vm.clone(), self.env.base.clone(), context);
        self.env = Arc::new(env);
    }

    /// Validates, instruments and compiles `code`, and adds the contract to the session. The
    /// price (`gas::deploy_cost`) depends only on the size and is checked first.
    pub fn deploy(&mut self, code: &[u8], options: DeployOptions) -> Result<Deployed, DeployError> {
        let needed = deploy_cost(code.len());
        if needed > options.gas_limit {
            return Err(DeployError::OutOfGas {
                bytes: code.len(),
                needed,
                limit: options.gas_limit,
            });
        }
        let vm = &self.env.vm;
        let compiled = vm.compile(code, self.env.context.protocol_version)?;
        let code_hash = compiled.code_hash;
        let id = contract_id(&options.owner, &code_hash, options.nonce);
        let exists = self.overlay.contracts.contains_key(&id)
            || self
                .env
                .base
                .contract(&id)
                .map_err(|e| DeployError::Store(e.to_string()))?
                .is_some();
        if exists {
            return Err(DeployError::AlreadyDeployed(id));
        }
        self.overlay.code.insert(code_hash, Arc::from(code));
        self.overlay.contracts.insert(
            id,
            ContractMeta {
                owner: options.owner,
                code_hash,
            },
        );
        Ok(Deployed {
            id,
            code_hash,
            gas_spent: needed,
        })
    }

    /// Calls `entry` of `contract` with `input`. Contract failures are in the receipt; the
    /// session keeps the call's effects only if it succeeded.
    ///
    /// `Err` means no receipt: [`VmError::Refused`] for an input or entry name over its limit
    /// (`shortcrust_abi::limits`), [`VmError::Fault`] for a failure of this machine (see
    /// [`Fault`]). Either way nothing was charged and the session is unchanged.
    pub fn call(
        &mut self,
        contract: ContractId,
        entry: &str,
        input: &[u8],
        gas_limit: u64,
    ) -> Result<Receipt, VmError> {
        self.run(contract, entry, input, gas_limit, false)
    }

    /// Like [`Session::call`], but the session is left unchanged whatever happens.
    pub fn query(
        &mut self,
        contract: ContractId,
        entry: &str,
        input: &[u8],
        gas_limit: u64,
    ) -> Result<Receipt, VmError> {
        self.run(contract, entry, input, gas_limit, true)
    }

    fn run(
        &mut self,
        contract: ContractId,
        entry: &str,
        input: &[u8],
        gas_limit: u64,
        discard: bool,
    ) -> Result<Receipt, VmError> {
        use shortcrust_abi::limits::{MAX_ENTRY_NAME_LEN, MAX_INPUT_LEN};
        let refuse = |what, value: usize, limit: u32| {
            VmError::Refused(CallError::LimitExceeded {
                what,
                value: value as u64,
                limit: limit as u64,
            })
        };
        if entry.len() > MAX_ENTRY_NAME_LEN as usize {
            return Err(refuse("entry name length", entry.len(), MAX_ENTRY_NAME_LEN));
        }
        if input.len() > MAX_INPUT_LEN as usize {
            return Err(refuse("call input length", input.len(), MAX_INPUT_LEN));
        }
        if self.env.schedule.is_none() {
            return Err(VmError::UnsupportedProtocol(
                self.env.context.protocol_version,
            ));
        }
        if gas_limit < TX_BASE {
            return Ok(Receipt {
                result: Err(CallError::OutOfGas),
                gas_limit,
                gas_spent: gas_limit,
                events: Vec::new(),
                calls: Vec::new(),
            });
        }
        let tx = Box::new(TxState {
            env: self.env.clone(),
            overlay: std::mem::take(&mut self.overlay),
            events: Vec::new(),
            calls: Vec::new(),
            warm: std::mem::take(&mut self.warm),
        });
        let checkpoint = tx.checkpoint();
        let request = FrameRequest {
            contract,
            entry: entry.to_string(),
            input: Arc::from(input),
            caller: self.env.context.sender,
            caller_is_contract: false,
            gas_limit: gas_limit - TX_BASE,
            depth: 1,
            stack_height: 0,
        };
        let (mut tx, outcome) =
            stacker::maybe_grow(RED_ZONE, CALL_STACK_SIZE, || run_frame(tx, request));
        // A query reports the events its call emitted, though the session keeps nothing.
        let emitted = if discard {
            tx.events.clone()
        } else {
            Vec::new()
        };
        // A fault aborts the call: the session must be as if it never ran.
        if discard || outcome.result.is_err() {
            tx.rollback(checkpoint);
        }
        if discard {
            tx.events = emitted;
        }
        let TxState {
            overlay,
            events,
            calls,
            warm,
            ..
        } = *tx;
        self.overlay = overlay;
        self.warm = warm;
        self.overlay.journal.clear();
        let result = match outcome.result {
            Ok(r) => r,
            Err(fault) => return Err(VmError::Fault(fault)),
        };
        let events = if result.is_ok() { events } else { Vec::new() };
        Ok(Receipt {
            result,
            gas_limit,
            gas_spent: TX_BASE + outcome.gas_used,
            events,
            calls,
        })
    }

    /// The entry-point schema (JSON, from the SDK's `shortcrust-schema` custom section) of a
    /// deployed contract, if its code carries one.
    ///
    /// Errors: `VmError::Refused(CallError::UnknownContract)` for an unknown contract,
    /// `VmError::Fault` if the state cannot be read.
    pub fn contract_schema(&self, contract: ContractId) -> Result<Option<Vec<u8>>, VmError> {
        let store_fault = |e: String| VmError::Fault(Fault::Store(e));
        let meta = match self.overlay.contracts.get(&contract) {
            Some(m) => *m,
            None => self
                .env
                .base
                .contract(&contract)
                .map_err(|e| store_fault(e.to_string()))?
                .ok_or(VmError::Refused(CallError::UnknownContract(contract)))?,
        };
        let code = match self.overlay.code.get(&meta.code_hash) {
            Some(c) => c.clone(),
            None => self
                .env
                .base
                .code(&meta.code_hash)
                .map_err(|e| store_fault(e.to_string()))?
                .ok_or_else(|| store_fault("contract code missing from state".into()))?,
        };
        let limits = self.env.vm.limits();
        let info =
            crate::validate::validate(&code, limits, shortcrust_abi::LATEST_PROTOCOL_VERSION)
                .map_err(|e| VmError::Fault(Fault::Compile(e.to_string())))?;
        Ok(info.schema)
    }

    /// The value of `key` in `contract`'s storage as this session sees it (its own writes over
    /// the base state). For embedders that keep their own records in the state, such as the
    /// chain's accounts under a system contract id no deploy can produce.
    pub fn storage_get(
        &self,
        contract: &ContractId,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, VmError> {
        if let Some(v) = self.overlay.storage.get(&(*contract, key.to_vec())) {
            return Ok(v.clone());
        }
        self.env
            .base
            .get(contract, key)
            .map_err(|e| VmError::Fault(Fault::Store(e.to_string())))
    }

    /// Sets (`Some`) or removes (`None`) `key` in `contract`'s storage, outside any call: no gas,
    /// no contract code runs. For embedders only (see [`Session::storage_get`]); contracts can
    /// never reach another contract's storage.
    ///
    /// Keys and values obey the same limits as contracts' (`shortcrust_abi::limits`): an entry
    /// over them is refused here rather than failing the whole commit later.
    pub fn storage_set(
        &mut self,
        contract: ContractId,
        key: Vec<u8>,
        value: Option<Vec<u8>>,
    ) -> Result<(), VmError> {
        use shortcrust_abi::limits::{MAX_KEY_LEN, MAX_VALUE_LEN};
        let over = |what, len: usize, limit: u32| {
            (len > limit as usize).then_some(VmError::Refused(CallError::LimitExceeded {
                what,
                value: len as u64,
                limit: limit as u64,
            }))
        };
        if let Some(e) = over("storage key length", key.len(), MAX_KEY_LEN) {
            return Err(e);
        }
        if let Some(e) = value
            .as_ref()
            .and_then(|v| over("storage value length", v.len(), MAX_VALUE_LEN))
        {
            return Err(e);
        }
        self.overlay.storage.insert((contract, key), value);
        Ok(())
    }

    /// A savepoint of this session's changes, to [`Session::restore`] later: for an embedder
    /// that must undo a sequence of deploys and calls as one (a chain's deploy with its init
    /// call). Costs a copy of the changes so far.
    pub fn savepoint(&self) -> Savepoint {
        Savepoint {
            storage: self.overlay.storage.clone(),
            contracts: self.overlay.contracts.clone(),
            code: self.overlay.code.clone(),
        }
    }

    /// Puts the session's changes back to `savepoint`: every deploy and call since is undone.
    pub fn restore(&mut self, savepoint: Savepoint) {
        self.overlay.storage = savepoint.storage;
        self.overlay.contracts = savepoint.contracts;
        self.overlay.code = savepoint.code;
        self.overlay.journal.clear();
    }

    /// Everything this session changed, in key order.
    pub fn changes(&self) -> ChangeSet {
        ChangeSet {
            contracts: self.overlay.contracts.clone(),
            code: self.overlay.code.clone(),
            storage: self.overlay.storage.clone(),
        }
    }

    /// Commits the session's changes on top of its base root and returns the new root.
    ///
    /// The compiled modules of code this session deployed are written to the VM's disk cache
    /// now, once the code is committed (never for sessions that are dropped).
    pub fn commit(self) -> Result<Root, VmError> {
        let changes = self.changes();
        let root = self.env.vm.store.commit(&self.env.base.root(), &changes)?;
        if let Some(schedule) = self.env.schedule {
            self.env.vm.persist(schedule, changes.code.keys());
        }
        Ok(root)
    }
}

/// `BLAKE2b-256("shortcrust/contract-id" || owner || code_hash || nonce_le)`.
pub fn contract_id(owner: &[u8; 32], code_hash: &[u8; 32], nonce: u64) -> ContractId {
    let mut h = blake2b_simd::Params::new().hash_length(32).to_state();
    h.update(b"shortcrust/contract-id");
    h.update(owner);
    h.update(code_hash);
    h.update(&nonce.to_le_bytes());
    let mut id = [0u8; 32];
    id.copy_from_slice(h.finalize().as_bytes());
    ContractId(id)
}
