//! The cross-contract `call` host function.
//!
//! The callee runs in a fresh instance in its own wasmtime store, on the same thread; the state
//! of the top-level call (`TxState`) moves into the callee's store and back. The callee gets at
//! most all but 1/64 of the caller's remaining gas (or less, if asked), starts its stack-height
//! accounting where the caller is, and fails alone: its effects roll back and the caller gets a
//! status code and the revert message in its return data.

use std::sync::Arc;

use shortcrust_abi::ContractId;
use shortcrust_abi::limits::{MAX_CALL_DEPTH, MAX_ENTRY_NAME_LEN, MAX_INPUT_LEN};
use shortcrust_abi::status;
use wasmtime::{Caller, Val};

use super::{FrameData, HostResult, charge, ensure_limit, read_vec};
use crate::error::{CallError, HostTrap};
use crate::frame::{FrameRequest, run_frame};
use crate::gas::{CALL_BASE, COPY_PER_BYTE, linear};
use crate::instrument::CROSS_CALL_SLOTS;
use crate::session::{CALL_STACK_SIZE, RED_ZONE};

pub(crate) fn call(
    mut caller: Caller<'_, FrameData>,
    contract_ptr: i32,
    name_ptr: i32,
    name_len: i32,
    input_ptr: i32,
    input_len: i32,
    gas_limit: i64,
) -> HostResult<i32> {
    ensure_limit("entry name length", name_len, MAX_ENTRY_NAME_LEN)?;
    ensure_limit("call input length", input_len, MAX_INPUT_LEN)?;
    charge(
        &mut caller,
        linear(CALL_BASE, COPY_PER_BYTE, input_len as u32 as u64),
    )?;
    let id_bytes = read_vec(&mut caller, contract_ptr, 32)?;
    let name = read_vec(&mut caller, name_ptr, name_len)?;
    let input: Arc<[u8]> = read_vec(&mut caller, input_ptr, input_len)?.into();
    let mut id = [0u8; 32];
    id.copy_from_slice(&id_bytes);

    let frame = &caller.data().frame;
    let (depth, me) = (frame.depth, frame.contract);
    let height = match frame.stack_height {
        Some(g) => match g.get(&mut caller) {
            Val::I32(h) => h as u32,
            _ => 0,
        },
        None => 0,
    };
    caller.data_mut().frame.return_data.clear();

    let Ok(entry) = String::from_utf8(name) else {
        return Ok(status::CALL_UNKNOWN_ENTRY);
    };
    if depth >= MAX_CALL_DEPTH {
        let message = CallError::DepthExceeded(MAX_CALL_DEPTH).to_string();
        caller.data_mut().frame.return_data = message.into_bytes();
        return Ok(status::CALL_DEPTH_EXCEEDED);
    }

    let remaining = caller.get_fuel()?;
    let cap = remaining - remaining / 64;
    let given = match u64::try_from(gas_limit) {
        Ok(0) | Err(_) => cap,
        Ok(limit) => limit.min(cap),
    };

    let placeholder = caller.data().tx.placeholder();
    let tx = std::mem::replace(&mut caller.data_mut().tx, placeholder);
    let request = FrameRequest {
        contract: ContractId(id),
        entry,
        input,
        caller: me.0,
        caller_is_contract: true,
        gas_limit: given,
        depth: depth + 1,
        stack_height: height.saturating_add(CROSS_CALL_SLOTS),
    };
    // Every frame starts with at least `RED_ZONE` of native stack, whatever the depth.
    let (tx, outcome) = stacker::maybe_grow(RED_ZONE, CALL_STACK_SIZE, || run_frame(tx, request));
    caller.data_mut().tx = tx;
    // A fault of this machine is never the caller's to handle: it aborts the top-level call.
    let result = match outcome.result {
        Ok(r) => r,
        Err(fault) => return Err(wasmtime::Error::new(HostTrap::Fault(fault))),
    };
    caller.set_fuel(remaining - outcome.gas_used.min(given))?;

    let frame = &mut caller.data_mut().frame;
    Ok(match result {
        Ok(output) => {
            frame.return_data = output;
            status::CALL_OK
        }
        Err(e) => {
            frame.return_data = match &e {
                CallError::Reverted(m) => m.clone().into_bytes(),
                other => other.to_string().into_bytes(),
            };
            e.status()
        }
    })
}
