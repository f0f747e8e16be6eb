//! The calling contract's key–value storage, raw and borsh-typed.
//!
//! Keys are raw bytes (at most [`shortcrust_abi::limits::MAX_KEY_LEN`]); values are at most
//! [`shortcrust_abi::limits::MAX_VALUE_LEN`] bytes. The typed functions encode values with borsh.
//! A contract can only ever reach its own storage: the host scopes every key to the caller.

use alloc::vec;
use alloc::vec::Vec;

use borsh::{BorshDeserialize, BorshSerialize};

use crate::raw;
use crate::util::{len_i32, ptr_i32, ptr_i32_mut};

/// First read attempt size: most values (counters, balances, small structs) fit, so one host call
/// usually suffices; larger values are read again at their exact size.
const FIRST_READ_CAPACITY: usize = 128;

/// The raw value stored under `key`, or `None` if absent.
pub fn get_raw(key: &[u8]) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; FIRST_READ_CAPACITY];
    let len = read_into(key, &mut buf)?;
    if len > buf.len() {
        buf = vec![0u8; len];
        // The value cannot change between the two reads: a frame is single-threaded.
        read_into(key, &mut buf)?;
    }
    buf.truncate(len);
    Some(buf)
}

/// Reads `key` into `buf`; returns the value's full length (which may exceed `buf.len()`).
fn read_into(key: &[u8], buf: &mut [u8]) -> Option<usize> {
    // SAFETY: the key is a live slice; the host writes at most `buf.len()` bytes into `buf`.
    let len = unsafe {
        raw::storage_read(
            ptr_i32(key.as_ptr()),
            len_i32(key.len()),
            ptr_i32_mut(buf.as_mut_ptr()),
            len_i32(buf.len()),
        )
    };
    // `-1` (absent) and any other negative value fail the conversion.
    usize::try_from(len).ok()
}

/// Stores `value` under `key`, replacing any earlier value.
pub fn set_raw(key: &[u8], value: &[u8]) {
    // SAFETY: both are live slices that the host only reads.
    unsafe {
        raw::storage_write(
            ptr_i32(key.as_ptr()),
            len_i32(key.len()),
            ptr_i32(value.as_ptr()),
            len_i32(value.len()),
        )
    };
}

/// Removes `key`; returns whether it was present.
pub fn remove(key: &[u8]) -> bool {
    // SAFETY: the key is a live slice that the host only reads.
    unsafe { raw::storage_remove(ptr_i32(key.as_ptr()), len_i32(key.len())) == 1 }
}

/// Whether `key` holds a value.
pub fn contains(key: &[u8]) -> bool {
    read_into(key, &mut []).is_some()
}

/// The borsh-decoded value under `key`, or `None` if absent.
///
/// Reverts if the stored bytes do not decode as `T`: only this contract writes its storage, so
/// that is a bug in the contract (say, a type changed between versions), never the caller's input.
pub fn get<T: BorshDeserialize>(key: &[u8]) -> Option<T> {
    let bytes = get_raw(key)?;
    match borsh::from_slice(&bytes) {
        Ok(value) => Some(value),
        Err(_) => crate::revert("storage value does not decode as the requested type"),
    }
}

/// [`get`], or `default` when the key is absent.
pub fn get_or<T: BorshDeserialize>(key: &[u8], default: T) -> T {
    get(key).unwrap_or(default)
}

/// Stores the borsh encoding of `value` under `key`.
pub fn set<T: BorshSerialize + ?Sized>(key: &[u8], value: &T) {
    set_raw(key, &crate::encode(value));
}
