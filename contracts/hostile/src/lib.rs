//! `hostile`: a contract that misbehaves on purpose, one way per entry point, so the VM's tests can
//! check that each misbehaviour ends in a documented error, with gas charged, without harming the
//! host or the session.
//!
//! | entry point | misbehaviour |
//! |---|---|
//! | `spin()` | infinite loop: must run out of gas |
//! | `recurse_forever(depth: u64) -> u64` | unbounded native recursion: must hit the stack limit |
//! | `grow_memory_forever() -> u32` | `memory.grow` one page at a time until refused; returns the pages obtained |
//! | `grow_memory_huge() -> i32` | one `memory.grow` of 65 535 pages; returns what `memory.grow` returned |
//! | `allocate_forever()` | allocates 1 MiB blocks until the allocator fails (a panic, so a revert) |
//! | `out_of_bounds_output()` | passes a pointer past the end of memory to `output_write` |
//! | `out_of_bounds_storage()` | passes an out-of-bounds key pointer to `storage_write` |
//! | `negative_length()` | passes a negative length to `emit` |
//! | `write_oversized_value()` | stores a value one byte over `MAX_VALUE_LEN` |
//! | `write_oversized_key()` | uses a key one byte over `MAX_KEY_LEN` |
//! | `oversized_output()` | sets an output one byte over `MAX_OUTPUT_LEN` |
//! | `event_spam()` | emits events until the per-call limit stops it |
//! | `write_then_panic()` | writes storage and emits an event, then panics: all rolled back |
//! | `panic_with_message()` | `panic!("hostile panic")` → revert with that message |
//! | `panic_formatted(n: u64)` | a panic with a formatted message (`index 7 out of range`-like) |
//! | `revert_invalid_utf8()` | reverts with bytes that are not UTF-8 |
#![no_std]

extern crate alloc;

use alloc::vec;
use alloc::vec::Vec;
use core::arch::wasm32;
use core::hint::black_box;

use shortcrust_sdk::{emit_raw, limits, raw, storage};

/// Past the end of any memory a contract can have (the top of the 4 GiB address space).
const FAR_POINTER: i32 = -16; // 0xFFFF_FFF0 as an unsigned offset

#[inline(never)]
#[allow(unconditional_recursion, reason = "recursing without end is the point")]
fn deep(depth: u64) -> u64 {
    // `black_box` keeps the call from being turned into a loop or a tail call.
    black_box(deep(black_box(depth + 1))) + 1
}

shortcrust_sdk::entry_points! {
    /// Loops forever.
    fn spin() {
        let mut i = 0u64;
        loop {
            i = black_box(i.wrapping_add(1));
        }
    }

    /// Recurses without end.
    fn recurse_forever(depth: u64) -> u64 {
        deep(depth)
    }

    /// Grows memory one page at a time until `memory.grow` fails; returns the pages obtained.
    fn grow_memory_forever() -> u32 {
        let mut pages = 0u32;
        while wasm32::memory_grow(0, 1) != usize::MAX {
            pages += 1;
        }
        pages
    }

    /// Asks for 65 535 pages (almost 4 GiB) at once; returns `memory.grow`'s result (-1 if refused).
    fn grow_memory_huge() -> i32 {
        wasm32::memory_grow(0, 65_535) as i32
    }

    /// Allocates and touches 1 MiB blocks until allocation fails.
    fn allocate_forever() {
        let mut blocks: Vec<Vec<u8>> = Vec::new();
        loop {
            blocks.push(black_box(vec![1u8; 1 << 20]));
        }
    }

    /// `output_write` with a pointer past the end of memory.
    fn out_of_bounds_output() {
        // SAFETY: deliberately invalid; the host must bounds-check and trap the frame.
        unsafe { raw::output_write(FAR_POINTER, 100) };
    }

    /// `storage_write` with a key pointer past the end of memory.
    fn out_of_bounds_storage() {
        let value = [1u8; 8];
        // SAFETY: deliberately invalid; the host must bounds-check and trap the frame.
        unsafe { raw::storage_write(FAR_POINTER, 8, value.as_ptr() as i32, 8) };
    }

    /// `emit` with a negative data length.
    fn negative_length() {
        let topic = *b"t";
        // SAFETY: deliberately invalid; the host must reject the length and trap the frame.
        unsafe { raw::emit(topic.as_ptr() as i32, 1, topic.as_ptr() as i32, -1) };
    }

    /// Stores a value one byte longer than the limit.
    fn write_oversized_value() {
        let value = vec![7u8; limits::MAX_VALUE_LEN as usize + 1];
        storage::set_raw(b"big", &value);
    }

    /// Stores under a key one byte longer than the limit.
    fn write_oversized_key() {
        let key = vec![7u8; limits::MAX_KEY_LEN as usize + 1];
        storage::set_raw(&key, b"v");
    }

    /// Sets an output one byte longer than the limit.
    fn oversized_output() {
        let output = vec![0u8; limits::MAX_OUTPUT_LEN as usize + 1];
        shortcrust_sdk::output(&output);
    }

    /// Emits events until the host stops it.
    fn event_spam() {
        let data = [0u8; 64];
        for _ in 0..=limits::MAX_EVENTS_PER_CALL {
            emit_raw(b"spam", &data);
        }
    }

    /// Writes storage and emits an event, then panics: neither may survive.
    fn write_then_panic() {
        storage::set(b"written", &1u64);
        emit_raw(b"doomed", b"");
        panic!("panic after writing");
    }

    /// Panics with a fixed message.
    fn panic_with_message() {
        panic!("hostile panic");
    }

    /// Panics with a formatted message.
    fn panic_formatted(n: u64) {
        panic!("formatted panic: n = {n}");
    }

    /// Reverts with a message that is not UTF-8.
    fn revert_invalid_utf8() {
        shortcrust_sdk::revert_bytes(&[0xff, 0xfe, b'x']);
    }
}
