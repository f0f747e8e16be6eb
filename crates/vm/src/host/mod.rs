//! Host functions: the per-frame state they act on, guest-memory access, gas charging, and the
//! linker generated from the ABI table.
//!
//! `link` is produced by expanding `shortcrust_abi::for_each_host_function!`: every declared
//! function is bound to the function of the same name in `state`, `call` or `crypto`, with the
//! declared signature. A declaration without an implementation, or an implementation with another
//! signature, does not compile.

mod call;
mod crypto;
mod state;

use std::sync::Arc;

use shortcrust_abi::{ContractId, IMPORT_MODULE};
use wasmtime::{Caller, Global, Linker, Memory};

use crate::error::HostTrap;
use crate::session::{Event, TxEnv, TxState};

/// What a wasmtime store holds while a frame runs.
pub(crate) struct FrameData {
    /// State shared by all frames of one top-level call. Moved into a callee's store for the
    /// duration of a cross-contract call, then back.
    pub tx: Box<TxState>,
    pub frame: Frame,
}

/// One call frame.
pub(crate) struct Frame {
    pub contract: ContractId,
    pub owner: [u8; 32],
    /// The calling contract, or the transaction's sender for a top-level call.
    pub caller: [u8; 32],
    pub caller_is_contract: bool,
    pub input: Arc<[u8]>,
    pub output: Vec<u8>,
    /// Output (or revert message) of the last cross-contract call this frame made.
    pub return_data: Vec<u8>,
    /// 1 for a top-level call.
    pub depth: u32,
    pub memory: Option<Memory>,
    pub stack_height: Option<Global>,
    /// The `host_gas` entry of the host function running now (set by the linker's wrapper), to
    /// which `charge` attributes gas.
    pub current_host: Option<usize>,
    /// The schedule's host-call surcharge of the host call in progress, added to its first
    /// charge (one fuel update per call, see [`charge`]).
    pub pending_surcharge: u64,
    /// Gas charged by host functions in this frame, by function, in order of first use.
    pub host_gas: Vec<HostGas>,
}

/// Gas one host function charged in one frame: the trace's split of a frame's gas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostGas {
    /// The host function's name in the ABI table (`storage_write`, `verify_plonk`, ...).
    pub name: &'static str,
    /// How many times the frame called it.
    pub calls: u32,
    /// Gas it charged (for `call`, only the call's own price: the callee's gas is its frame's).
    pub gas: u64,
}

impl Frame {
    /// Starts a call of host function `name`: gas charged until the next one is attributed to
    /// it, and its call count goes up by one (however many charges the call makes).
    fn enter_host(&mut self, name: &'static str, surcharge: u64) {
        self.pending_surcharge = surcharge;
        // Fast path: the same function as the last host call (a loop calling one host
        // function); `name` is the linker's static string, so comparing the pointers suffices.
        let last = self.current_host.filter(|i| {
            self.host_gas
                .get(*i)
                .is_some_and(|h| std::ptr::eq(h.name, name))
        });
        let index = match last.or_else(|| self.host_gas.iter().position(|h| h.name == name)) {
            Some(i) => i,
            None => {
                self.host_gas.push(HostGas {
                    name,
                    calls: 0,
                    gas: 0,
                });
                self.host_gas.len() - 1
            }
        };
        let entry = &mut self.host_gas[index];
        entry.calls = entry.calls.saturating_add(1);
        self.current_host = Some(index);
    }

    /// Adds `gas` to the running host function's entry (every charge happens inside one).
    fn attribute(&mut self, gas: u64) {
        if let Some(entry) = self.current_host.and_then(|i| self.host_gas.get_mut(i)) {
            entry.gas = entry.gas.saturating_add(gas);
        }
    }
}

impl FrameData {
    pub(crate) fn env(&self) -> &Arc<TxEnv> {
        &self.tx.env
    }
}

pub(crate) type HostResult<T> = Result<T, wasmtime::Error>;

fn trap(t: HostTrap) -> wasmtime::Error {
    wasmtime::Error::new(t)
}

/// Charges `gas` from the frame's fuel, before the work it pays for, and returns the fuel left.
/// Running out leaves the frame with no fuel and traps with `OutOfGas`.
pub(crate) fn charge(caller: &mut Caller<'_, FrameData>, gas: u64) -> HostResult<u64> {
    // Every host function charges before it does any work, so the schedule's surcharge is paid
    // with the call's first charge.
    let gas = gas.saturating_add(std::mem::take(
        &mut caller.data_mut().frame.pending_surcharge,
    ));
    let left = caller.get_fuel()?;
    if left < gas {
        caller.set_fuel(0)?;
        caller.data_mut().frame.attribute(left);
        return Err(trap(HostTrap::OutOfGas));
    }
    caller.set_fuel(left - gas)?;
    caller.data_mut().frame.attribute(gas);
    Ok(left - gas)
}

/// Converts a guest `(ptr, len)` pair to a checked byte range of `memory_len`.
fn range(ptr: i32, len: i32, memory_len: usize) -> Result<std::ops::Range<usize>, wasmtime::Error> {
    let (p, l) = (ptr as u32, len as u32);
    let oob = || trap(HostTrap::MemoryOutOfBounds { ptr: p, len: l });
    let end = (p as usize).checked_add(l as usize).ok_or_else(oob)?;
    if end > memory_len {
        return Err(oob());
    }
    Ok(p as usize..end)
}

fn memory(caller: &mut Caller<'_, FrameData>) -> HostResult<Memory> {
    if let Some(m) = caller.data().frame.memory {
        return Ok(m);
    }
    // Only during instantiation (a `start` function), before the frame records its memory.
    match caller.get_export("memory") {
        Some(wasmtime::Extern::Memory(m)) => Ok(m),
        _ => Err(trap(HostTrap::Fault(crate::error::Fault::Internal(
            "frame has no memory".into(),
        )))),
    }
}

/// The guest bytes `ptr..ptr+len`, copied out.
pub(crate) fn read_vec(
    caller: &mut Caller<'_, FrameData>,
    ptr: i32,
    len: i32,
) -> HostResult<Vec<u8>> {
    let mem = memory(caller)?;
    let data = mem.data(&*caller);
    let r = range(ptr, len, data.len())?;
    Ok(data[r].to_vec())
}

/// Runs `f` on the guest bytes `ptr..ptr+len` without copying them, with the frame data.
pub(crate) fn with_slice<R>(
    caller: &mut Caller<'_, FrameData>,
    ptr: i32,
    len: i32,
    f: impl FnOnce(&[u8], &mut FrameData) -> R,
) -> HostResult<R> {
    let mem = memory(caller)?;
    let (data, state) = mem.data_and_store_mut(caller);
    let r = range(ptr, len, data.len())?;
    Ok(f(&data[r], state))
}

/// Checks that `ptr..ptr+len` is in bounds, without reading it.
pub(crate) fn check_range(
    caller: &mut Caller<'_, FrameData>,
    ptr: i32,
    len: i32,
) -> HostResult<()> {
    let mem = memory(caller)?;
    range(ptr, len, mem.data_size(&*caller)).map(|_| ())
}

/// A host-side length as the `i32` a guest sees. Every such length is bounded by a limit far
/// below `i32::MAX` (`shortcrust_abi::limits`); a longer one is a VM bug, reported as a fault
/// rather than wrapped into a negative number.
pub(crate) fn guest_len(len: usize) -> HostResult<i32> {
    i32::try_from(len).map_err(|_| {
        trap(HostTrap::Fault(crate::error::Fault::Internal(format!(
            "host-side length {len} does not fit the guest ABI"
        ))))
    })
}

/// Writes `bytes` to guest memory at `ptr`.
pub(crate) fn write(caller: &mut Caller<'_, FrameData>, ptr: i32, bytes: &[u8]) -> HostResult<()> {
    let mem = memory(caller)?;
    let data = mem.data_mut(&mut *caller);
    let r = range(ptr, guest_len(bytes.len())?, data.len())?;
    data[r].copy_from_slice(bytes);
    Ok(())
}

/// Fails with `LimitExceeded` when `value > limit`.
pub(crate) fn ensure_limit(what: &'static str, value: i32, limit: u32) -> HostResult<()> {
    let v = value as u32;
    if v > limit {
        return Err(trap(HostTrap::LimitExceeded {
            what,
            value: v as u64,
            limit: limit as u64,
        }));
    }
    Ok(())
}

pub(crate) fn push_event(data: &mut FrameData, topic: Vec<u8>, payload: Vec<u8>) -> HostResult<()> {
    let max = shortcrust_abi::limits::MAX_EVENTS_PER_CALL;
    if data.tx.events.len() as u32 >= max {
        return Err(trap(HostTrap::LimitExceeded {
            what: "events per call",
            value: max as u64 + 1,
            limit: max as u64,
        }));
    }
    let contract = data.frame.contract;
    data.tx.events.push(Event {
        contract,
        topic,
        data: payload,
    });
    Ok(())
}

#[doc(hidden)]
macro_rules! __host_ret {
    () => {
        ()
    };
    ($t:ident) => {
        $t
    };
}

macro_rules! generate_linker {
    ($(
        #[since = $since:literal, gas = $gas:ident]
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ident),*) $(-> $ret:ident)?;
    )*) => {
        /// Binds every host function of the ABI table (all protocol versions: deploy-time
        /// validation keeps a module from importing one its version does not enable).
        /// Links every host function for `schedule` (each schedule has its own linker): a call
        /// pays the schedule's host-call surcharge with its first charge.
        pub(crate) fn link(
            linker: &mut Linker<FrameData>,
            schedule: crate::gas::Schedule,
        ) -> wasmtime::Result<()> {
            #[allow(unused_imports)]
            use self::{call::*, crypto::*, state::*};
            let surcharge = schedule.host_call_surcharge();
            $(
                let f: fn(Caller<'_, FrameData> $(, $ty)*) -> HostResult<__host_ret!($($ret)?)> = $name;
                linker.func_wrap(
                    IMPORT_MODULE,
                    stringify!($name),
                    move |mut caller: Caller<'_, FrameData> $(, $arg: $ty)*| {
                        // Gas the function charges is attributed to it (see `charge`).
                        caller.data_mut().frame.enter_host(stringify!($name), surcharge);
                        f(caller $(, $arg)*)
                    },
                )?;
            )*
            // Not a host function of the ABI: the metered `memory.grow` that `instrument`
            // substitutes for the instruction.
            linker.func_wrap(
                crate::instrument::METER_MODULE,
                crate::instrument::MEMORY_GROW_IMPORT,
                |mut caller: Caller<'_, FrameData>, pages: i32| {
                    caller.data_mut().frame.enter_host("memory.grow", 0);
                    state::metered_memory_grow(caller, pages)
                },
            )?;
            Ok(())
        }
    };
}

shortcrust_abi::for_each_host_function!(generate_linker);
