//! Host functions on the call's own data: input and output, revert, storage, events, context.

use shortcrust_abi::limits::{
    MAX_EVENT_DATA_LEN, MAX_EVENT_TOPIC_LEN, MAX_KEY_LEN, MAX_OUTPUT_LEN, MAX_REVERT_LEN,
    MAX_VALUE_LEN,
};
use wasmtime::Caller;

use super::{
    FrameData, HostResult, charge, check_range, ensure_limit, guest_len, push_event, read_vec,
    trap, with_slice, write,
};
use crate::error::HostTrap;
use crate::gas::*;

fn bytes(len: i32) -> u64 {
    len as u32 as u64
}

pub(crate) fn input_len(mut caller: Caller<'_, FrameData>) -> HostResult<i32> {
    charge(&mut caller, HOST_CALL_BASE)?;
    guest_len(caller.data().frame.input.len())
}

pub(crate) fn input_read(mut caller: Caller<'_, FrameData>, ptr: i32) -> HostResult<()> {
    let input = caller.data().frame.input.clone();
    charge(
        &mut caller,
        linear(HOST_CALL_BASE, COPY_PER_BYTE, input.len() as u64),
    )?;
    write(&mut caller, ptr, &input)
}

pub(crate) fn output_write(
    mut caller: Caller<'_, FrameData>,
    ptr: i32,
    len: i32,
) -> HostResult<()> {
    ensure_limit("output length", len, MAX_OUTPUT_LEN)?;
    charge(
        &mut caller,
        linear(HOST_CALL_BASE, COPY_PER_BYTE, bytes(len)),
    )?;
    let out = read_vec(&mut caller, ptr, len)?;
    caller.data_mut().frame.output = out;
    Ok(())
}

pub(crate) fn revert(mut caller: Caller<'_, FrameData>, ptr: i32, len: i32) -> HostResult<()> {
    let kept = (len as u32).min(MAX_REVERT_LEN) as i32;
    charge(
        &mut caller,
        linear(HOST_CALL_BASE, COPY_PER_BYTE, bytes(kept)),
    )?;
    // The whole claimed message must be in bounds, even though only a prefix is kept.
    check_range(&mut caller, ptr, len)?;
    let raw = read_vec(&mut caller, ptr, kept)?;
    let mut message = String::from_utf8_lossy(&raw).into_owned();
    // A cut in the middle of a character shows as U+FFFD at the end: drop it.
    if (len as u32) > MAX_REVERT_LEN {
        while message.ends_with('\u{FFFD}') {
            message.pop();
        }
    }
    Err(trap(HostTrap::Revert(message)))
}

pub(crate) fn storage_read(
    mut caller: Caller<'_, FrameData>,
    key_ptr: i32,
    key_len: i32,
    out_ptr: i32,
    out_cap: i32,
) -> HostResult<i32> {
    ensure_limit("storage key length", key_len, MAX_KEY_LEN)?;
    // Pays before it reads: the base (a cold read of the Merkle path), the key, and the bytes
    // the caller is ready to receive (`out_cap`, at most one value), whether or not the key
    // exists. Reading a value larger than `out_cap` copies only `out_cap` bytes; fetching the
    // rest from the database is within the base price (values are at most 64 KiB).
    let capacity = (out_cap as u32).min(MAX_VALUE_LEN);
    // The base is the schedule's (v2 prices the read cold in wall time); a session without a
    // schedule runs no code, so the fallback is never used.
    let base = caller
        .data()
        .env()
        .schedule
        .map_or(STORAGE_READ_BASE, Schedule::storage_read_base);
    charge(
        &mut caller,
        linear(
            base,
            STORAGE_READ_PER_BYTE,
            bytes(key_len) + u64::from(capacity),
        ),
    )?;
    check_range(&mut caller, out_ptr, out_cap)?;
    let value = with_slice(&mut caller, key_ptr, key_len, |key, data| {
        let contract = data.frame.contract;
        data.tx.read(&contract, key)
    })??;
    let Some(value) = value else {
        return Ok(-1);
    };
    let copied = value.len().min(out_cap as u32 as usize);
    write(&mut caller, out_ptr, &value[..copied])?;
    guest_len(value.len())
}

pub(crate) fn storage_write(
    mut caller: Caller<'_, FrameData>,
    key_ptr: i32,
    key_len: i32,
    val_ptr: i32,
    val_len: i32,
) -> HostResult<()> {
    ensure_limit("storage key length", key_len, MAX_KEY_LEN)?;
    ensure_limit("storage value length", val_len, MAX_VALUE_LEN)?;
    charge(
        &mut caller,
        linear(
            STORAGE_WRITE_BASE,
            STORAGE_WRITE_PER_BYTE,
            bytes(key_len) + bytes(val_len),
        ),
    )?;
    let key = read_vec(&mut caller, key_ptr, key_len)?;
    let value = read_vec(&mut caller, val_ptr, val_len)?;
    let data = caller.data_mut();
    let contract = data.frame.contract;
    data.tx.write(contract, key, Some(value));
    Ok(())
}

pub(crate) fn storage_remove(
    mut caller: Caller<'_, FrameData>,
    key_ptr: i32,
    key_len: i32,
) -> HostResult<i32> {
    ensure_limit("storage key length", key_len, MAX_KEY_LEN)?;
    // The write, plus the read that answers whether the key existed (v2; see
    // `Schedule::storage_remove_read`).
    let read = caller
        .data()
        .env()
        .schedule
        .map_or(0, Schedule::storage_remove_read);
    charge(
        &mut caller,
        linear(
            STORAGE_WRITE_BASE.saturating_add(read),
            STORAGE_WRITE_PER_BYTE,
            bytes(key_len),
        ),
    )?;
    let key = read_vec(&mut caller, key_ptr, key_len)?;
    let data = caller.data_mut();
    let contract = data.frame.contract;
    let existed = data.tx.read(&contract, &key)?.is_some();
    if existed {
        data.tx.write(contract, key, None);
    }
    Ok(existed as i32)
}

pub(crate) fn emit(
    mut caller: Caller<'_, FrameData>,
    topic_ptr: i32,
    topic_len: i32,
    data_ptr: i32,
    data_len: i32,
) -> HostResult<()> {
    ensure_limit("event topic length", topic_len, MAX_EVENT_TOPIC_LEN)?;
    ensure_limit("event data length", data_len, MAX_EVENT_DATA_LEN)?;
    charge(
        &mut caller,
        linear(
            EVENT_BASE,
            EVENT_PER_BYTE,
            bytes(topic_len) + bytes(data_len),
        ),
    )?;
    let topic = read_vec(&mut caller, topic_ptr, topic_len)?;
    let payload = read_vec(&mut caller, data_ptr, data_len)?;
    push_event(caller.data_mut(), topic, payload)
}

pub(crate) fn self_id(mut caller: Caller<'_, FrameData>, out_ptr: i32) -> HostResult<()> {
    charge(&mut caller, linear(HOST_CALL_BASE, COPY_PER_BYTE, 32))?;
    let id = caller.data().frame.contract.0;
    write(&mut caller, out_ptr, &id)
}

pub(crate) fn caller(mut caller: Caller<'_, FrameData>, out_ptr: i32) -> HostResult<i32> {
    charge(&mut caller, linear(HOST_CALL_BASE, COPY_PER_BYTE, 32))?;
    let frame = &caller.data().frame;
    let (who, is_contract) = (frame.caller, frame.caller_is_contract);
    write(&mut caller, out_ptr, &who)?;
    Ok(is_contract as i32)
}

pub(crate) fn owner(mut caller: Caller<'_, FrameData>, out_ptr: i32) -> HostResult<()> {
    charge(&mut caller, linear(HOST_CALL_BASE, COPY_PER_BYTE, 32))?;
    let owner = caller.data().frame.owner;
    write(&mut caller, out_ptr, &owner)
}

pub(crate) fn block_height(mut caller: Caller<'_, FrameData>) -> HostResult<i64> {
    charge(&mut caller, HOST_CALL_BASE)?;
    Ok(caller.data().env().context.block_height as i64)
}

pub(crate) fn block_timestamp(mut caller: Caller<'_, FrameData>) -> HostResult<i64> {
    charge(&mut caller, HOST_CALL_BASE)?;
    Ok(caller.data().env().context.block_timestamp as i64)
}

pub(crate) fn chain_id(mut caller: Caller<'_, FrameData>) -> HostResult<i64> {
    charge(&mut caller, HOST_CALL_BASE)?;
    Ok(caller.data().env().context.chain_id as i64)
}

pub(crate) fn gas_left(mut caller: Caller<'_, FrameData>) -> HostResult<i64> {
    Ok(charge(&mut caller, HOST_CALL_BASE)? as i64)
}

pub(crate) fn return_data_len(mut caller: Caller<'_, FrameData>) -> HostResult<i32> {
    charge(&mut caller, HOST_CALL_BASE)?;
    guest_len(caller.data().frame.return_data.len())
}

pub(crate) fn return_data_read(mut caller: Caller<'_, FrameData>, ptr: i32) -> HostResult<()> {
    let len = caller.data().frame.return_data.len();
    charge(
        &mut caller,
        linear(HOST_CALL_BASE, COPY_PER_BYTE, len as u64),
    )?;
    let mem = super::memory(&mut caller)?;
    let (data, state) = mem.data_and_store_mut(&mut caller);
    let r = super::range(ptr, super::guest_len(len)?, data.len())?;
    data[r].copy_from_slice(&state.frame.return_data);
    Ok(())
}

/// The metered `memory.grow` (see `instrument`): charges `MEMORY_GROW_PER_PAGE` per page of a
/// request within the module limit, then grows; returns the old size in pages, or `-1` as
/// `memory.grow` does.
pub(crate) fn metered_memory_grow(
    mut caller: Caller<'_, FrameData>,
    pages: i32,
) -> HostResult<i32> {
    let mem = super::memory(&mut caller)?;
    let limit = caller.data().env().vm.limits().max_memory_pages as u64;
    let requested = pages as u32 as u64;
    // A request past the limit fails, as `memory.grow` does, without paying for pages it never
    // gets.
    let current = mem.size(&caller);
    let chargeable = if current.saturating_add(requested) > limit {
        0
    } else {
        requested
    };
    charge(
        &mut caller,
        linear(HOST_CALL_BASE, MEMORY_GROW_PER_PAGE, chargeable),
    )?;
    Ok(match mem.grow(&mut caller, requested) {
        Ok(old) => old as i32,
        Err(_) => -1,
    })
}
