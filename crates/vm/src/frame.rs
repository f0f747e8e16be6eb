//! Call frames: one frame runs one entry point of one contract, in a fresh instance or a warm
//! one (`crate::warm`), with its own gas limit; a failing frame rolls back exactly its own
//! effects. Top-level calls (`Session::call`) and cross-contract calls (the `call` host
//! function) both run through [`run_frame`].

use std::sync::Arc;

use shortcrust_abi::ContractId;
use wasmtime::{Store, Val};

use crate::error::{CallError, Fault, HostTrap, TrapCode};
use crate::host::{Frame, FrameData, HostGas};
use crate::instrument::{STACK_BUDGET_SLOTS, STACK_HEIGHT_EXPORT, START_EXPORT};
use crate::session::{CallRecord, TxState};

/// What to run in a frame.
pub(crate) struct FrameRequest {
    pub contract: ContractId,
    pub entry: String,
    pub input: Arc<[u8]>,
    pub caller: [u8; 32],
    pub caller_is_contract: bool,
    pub gas_limit: u64,
    pub depth: u32,
    /// Stack-height slots already used by the frames below this one.
    pub stack_height: u32,
}

/// A frame's result: its output or the contract's failure, or a [`Fault`] of this machine
/// that aborts the whole top-level call.
pub(crate) type FrameResult = Result<Result<Vec<u8>, CallError>, Fault>;

pub(crate) struct FrameOutcome {
    pub result: FrameResult,
    pub gas_used: u64,
}

/// Runs one frame: resolves the contract, instantiates it in a fresh store, calls the entry
/// point, and rolls back the frame's effects if it failed.
pub(crate) fn run_frame(mut tx: Box<TxState>, req: FrameRequest) -> (Box<TxState>, FrameOutcome) {
    let checkpoint = tx.checkpoint();
    let record = tx.calls.len();
    tx.calls.push(CallRecord {
        depth: req.depth,
        contract: req.contract,
        entry: req.entry.clone(),
        gas_limit: req.gas_limit,
        gas_spent: 0,
        error: None,
        memory_gas: 0,
        host_gas: Vec::new(),
    });
    let gas_limit = req.gas_limit;
    let (mut tx, result, gas_left, split) = execute(tx, req);
    let gas_used = gas_limit.saturating_sub(gas_left);
    // A fault needs no rollback here: the top-level call rolls everything back.
    if let Ok(Err(e)) = &result {
        tx.rollback(checkpoint);
        if let Some(r) = tx.calls.get_mut(record) {
            r.error = Some(e.clone());
        }
    }
    if let Some(r) = tx.calls.get_mut(record) {
        r.gas_spent = gas_used;
        (r.memory_gas, r.host_gas) = split;
    }
    (tx, FrameOutcome { result, gas_used })
}

/// A frame's gas split: initial memory, and host functions by name.
type GasSplit = (u64, Vec<HostGas>);

/// Returns the state, the result, the gas left and the frame's gas split.
fn execute(mut tx: Box<TxState>, req: FrameRequest) -> (Box<TxState>, FrameResult, u64, GasSplit) {
    let meta = match tx.contract_meta(&req.contract) {
        Ok(Some(m)) => m,
        Ok(None) => {
            return (
                tx,
                Ok(Err(CallError::UnknownContract(req.contract))),
                req.gas_limit,
                GasSplit::default(),
            );
        }
        Err(e) => return (tx, Err(Fault::Store(e)), req.gas_limit, GasSplit::default()),
    };
    let vm = tx.env.vm.clone();
    let Some(schedule) = tx.env.schedule else {
        // `Session::run` refuses such calls before any frame starts.
        let fault = Fault::Compile("no gas schedule for the protocol version".into());
        return (tx, Err(fault), req.gas_limit, GasSplit::default());
    };
    let compiled = match vm.compiled_for(schedule, &meta.code_hash, |h| tx.code(h)) {
        Ok(c) => c,
        Err(f) => return (tx, Err(f), req.gas_limit, GasSplit::default()),
    };
    let Some(entry_slots) = compiled.entries.get(&req.entry).copied() else {
        return (
            tx,
            Ok(Err(CallError::UnknownEntry(req.entry))),
            req.gas_limit,
            GasSplit::default(),
        );
    };
    // The entry point's own frame: no call site accounts for it.
    let height = req.stack_height.saturating_add(entry_slots);
    if height > STACK_BUDGET_SLOTS {
        return (
            tx,
            Ok(Err(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))),
            req.gas_limit,
            GasSplit::default(),
        );
    }

    // Initial memory is paid before the instance exists (see `gas::initial_memory_cost`).
    let Some(fuel) = req.gas_limit.checked_sub(compiled.instance_gas) else {
        return (
            tx,
            Ok(Err(CallError::OutOfGas)),
            0,
            (req.gas_limit, Vec::new()),
        );
    };
    let frame = Frame {
        contract: req.contract,
        owner: meta.owner,
        caller: req.caller,
        caller_is_contract: req.caller_is_contract,
        input: req.input,
        output: Vec::new(),
        return_data: Vec::new(),
        depth: req.depth,
        memory: None,
        stack_height: None,
        current_host: None,
        pending_surcharge: 0,
        host_gas: Vec::new(),
    };
    // A warm instance of an earlier frame if the session has one (see `crate::warm`), else a
    // fresh store and instance: the frame cannot tell them apart. A warm frame pays the fuel
    // instantiation burns (the data segments' initialisation is metered WASM), so its gas is the
    // fresh frame's to the unit; with less fuel than that, the frame instantiates afresh and
    // fails exactly as a fresh frame does.
    let warm = tx
        .warm
        .take(&compiled)
        .filter(|w| w.init_fuel().is_some_and(|f| f <= fuel));
    let (mut store, instance, snapshot) = match warm {
        Some(w) => {
            let init_fuel = w.init_fuel().unwrap_or(0);
            let (mut store, instance, snapshot) = w.into_parts();
            let data = store.data_mut();
            data.tx = tx;
            data.frame = frame;
            let instance = store.set_fuel(fuel - init_fuel).map(|()| instance);
            (store, instance, Some(snapshot))
        }
        None => {
            let mut store = Store::new(&compiled.engine, FrameData { tx, frame });
            let instantiate = |store: &mut Store<FrameData>| {
                store
                    .set_fuel(fuel)
                    .and_then(|()| compiled.pre.instantiate(store))
            };
            let mut instance = instantiate(&mut store);
            // The pool is full and this session holds idle instances: free them and try once
            // more, so that keeping instances warm never turns into a fault.
            if instance.as_ref().is_err_and(pool_full) && store.data().tx.warm.len() > 0 {
                store.data_mut().tx.warm.clear();
                instance = instantiate(&mut store);
            }
            let snapshot = match &instance {
                Ok(i) if vm.warm_instances > 0 => {
                    crate::warm::snapshot(&compiled, &mut store, *i, fuel)
                }
                _ => None,
            };
            (store, instance, snapshot)
        }
    };
    let run = instance.and_then(|instance| {
        let memory = instance.get_memory(&mut store, "memory");
        let global = instance.get_global(&mut store, STACK_HEIGHT_EXPORT);
        if let Some(g) = global {
            g.set(&mut store, Val::I32(height as i32))?;
        }
        let data = store.data_mut();
        data.frame.memory = memory;
        data.frame.stack_height = global;
        // The start function, once the frame is set up (see `instrument`).
        if let Some(start) = instance.get_func(&mut store, START_EXPORT) {
            start.typed::<(), ()>(&store)?.call(&mut store, ())?;
        }
        let entry = instance.get_typed_func::<(), ()>(&mut store, &req.entry)?;
        entry.call(&mut store, ())?;
        Ok(instance)
    });
    let gas_left = store.get_fuel().unwrap_or(0);
    let (result, instance) = match run {
        Ok(i) => (
            Ok(Ok(std::mem::take(&mut store.data_mut().frame.output))),
            Some(i),
        ),
        Err(e) => (classify(&e, &mut store).map(Err), None),
    };
    let placeholder = store.data().tx.placeholder();
    let mut tx = std::mem::replace(&mut store.data_mut().tx, placeholder);
    let host_gas = std::mem::take(&mut store.data_mut().frame.host_gas);
    // Only an instance that ran to completion is kept: after a trap the frame's instance is
    // dropped like any other (a failed call is rare and its cost no fast path's concern).
    if let (Ok(_), Some(instance), Some(snapshot)) = (&result, instance, snapshot)
        && let Some(w) = crate::warm::Warm::reset(compiled.clone(), store, instance, snapshot)
    {
        tx.warm.put(w, vm.warm_instances);
    }
    (tx, result, gas_left, (compiled.instance_gas, host_gas))
}

/// Whether instantiation failed because every slot of the instance pool is taken.
fn pool_full(e: &wasmtime::Error) -> bool {
    e.downcast_ref::<wasmtime::PoolConcurrencyLimitError>()
        .is_some()
}

/// Turns a wasmtime error into the precise, deterministic reason a frame failed, or the fault
/// of this machine that stopped it. No text of wasmtime's or the OS's reaches a contract.
fn classify(e: &wasmtime::Error, store: &mut Store<FrameData>) -> Result<CallError, Fault> {
    if let Some(h) = e.downcast_ref::<HostTrap>() {
        return h.clone().into_failure();
    }
    if pool_full(e) {
        return Err(Fault::InstancePoolExhausted);
    }
    if let Some(trap) = e.downcast_ref::<wasmtime::Trap>() {
        let mut over_budget = || {
            let height = store.data().frame.stack_height;
            matches!(height.map(|g| g.get(&mut *store)), Some(Val::I32(h)) if h as u32 > STACK_BUDGET_SLOTS)
        };
        return match trap {
            wasmtime::Trap::OutOfFuel => Ok(CallError::OutOfGas),
            // The deterministic budget always trips first (`engine::MAX_WASM_STACK`): reaching
            // the native limit depends on this machine's code generation, so it is a fault.
            wasmtime::Trap::StackOverflow => Err(Fault::NativeStackOverflow),
            wasmtime::Trap::UnreachableCodeReached if over_budget() => {
                Ok(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))
            }
            other => Ok(CallError::Trap(TrapCode::from_wasmtime(other))),
        };
    }
    Err(Fault::Instantiate(format!("{e:#}")))
}
