//! The call's input and output, and reverting.

use alloc::vec;
use alloc::vec::Vec;

use crate::raw;
use crate::util::{len_i32, ptr_i32, ptr_i32_mut};

/// Length in bytes of the current call's input.
pub fn input_len() -> usize {
    // SAFETY: no pointer arguments.
    let len = unsafe { raw::input_len() };
    // The host never reports a negative length; treat one as empty rather than trusting it.
    usize::try_from(len).unwrap_or(0)
}

/// The whole input of the current call.
pub fn input() -> Vec<u8> {
    let len = input_len();
    let mut buf = vec![0u8; len];
    if len > 0 {
        // SAFETY: `buf` is exactly `input_len()` writable bytes, which is what `input_read` writes.
        unsafe { raw::input_read(ptr_i32_mut(buf.as_mut_ptr())) };
    }
    buf
}

/// Sets the output of the current call, replacing any earlier output.
/// At most [`shortcrust_abi::limits::MAX_OUTPUT_LEN`] bytes (the host traps the frame otherwise).
pub fn output(bytes: &[u8]) {
    // SAFETY: the host reads `bytes.len()` bytes from a live slice.
    unsafe { raw::output_write(ptr_i32(bytes.as_ptr()), len_i32(bytes.len())) };
}

/// Aborts the current call frame with `message`: its storage writes and events are rolled back
/// and the caller sees the message. Messages longer than
/// [`shortcrust_abi::limits::MAX_REVERT_LEN`] bytes are cut by the host.
pub fn revert(message: &str) -> ! {
    revert_bytes(message.as_bytes())
}

/// [`revert`] with a message given as bytes. The host expects UTF-8; this exists for callers
/// that already hold the message as bytes (such as a callee's revert message being forwarded).
pub fn revert_bytes(message: &[u8]) -> ! {
    // SAFETY: the host reads `message.len()` bytes from a live slice.
    unsafe { raw::revert(ptr_i32(message.as_ptr()), len_i32(message.len())) };
    // The host never returns from `revert`; if it did, stop here rather than run on.
    unreachable_after_revert()
}

#[cfg(target_arch = "wasm32")]
fn unreachable_after_revert() -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(not(target_arch = "wasm32"))]
fn unreachable_after_revert() -> ! {
    unreachable!("`revert` returned")
}
