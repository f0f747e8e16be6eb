//! The contract runtime: a global bump allocator and a panic handler that reverts with the panic
//! message. Compiled only for wasm32 with the `runtime` feature (on by default).
//!
//! **Why a bump allocator that never frees is right here**: every call frame runs in a fresh
//! instance of the contract's module, so linear memory is scratch that disappears when the frame
//! ends. Freeing would only spend gas; never freeing keeps allocation a few instructions and
//! makes its cost (and every address it hands out) a pure function of the allocation sequence —
//! deterministic, as consensus requires. Memory only grows when an allocation does not fit, one
//! `memory.grow` for as many pages as needed, which the VM prices per page.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::Cell;
use core::ptr::null_mut;

const PAGE_SIZE: usize = 65_536;

/// Bump allocator over the linear memory above the linker's `__heap_base`.
struct BumpAllocator {
    /// Next free address; `0` until the first allocation, which starts at `__heap_base`.
    next: Cell<usize>,
}

// SAFETY: contracts are single-threaded — the VM enables neither threads nor shared memory — so
// the `Cell` is never accessed from two threads.
unsafe impl Sync for BumpAllocator {}

#[global_allocator]
static ALLOCATOR: BumpAllocator = BumpAllocator { next: Cell::new(0) };

unsafe extern "C" {
    /// Start of the free memory after the stack and static data, defined by `wasm-ld`.
    static __heap_base: u8;
}

impl BumpAllocator {
    /// Reserves `size` bytes aligned to `align`, growing memory if needed; null when memory cannot
    /// grow (the VM's page limit), which Rust turns into an allocation-failure panic (a revert).
    fn bump(&self, size: usize, align: usize) -> *mut u8 {
        let next = match self.next.get() {
            0 => &raw const __heap_base as usize,
            next => next,
        };
        // `align` is a power of two (guaranteed by `Layout`).
        let Some(start) = next.checked_add(align - 1).map(|n| n & !(align - 1)) else {
            return null_mut();
        };
        let Some(end) = start.checked_add(size) else {
            return null_mut();
        };
        if !ensure_memory(end) {
            return null_mut();
        }
        self.next.set(end);
        start as *mut u8
    }
}

/// Grows linear memory so that addresses below `end` are valid.
fn ensure_memory(end: usize) -> bool {
    let current = wasm32::memory_size(0).saturating_mul(PAGE_SIZE);
    if end <= current {
        return true;
    }
    let pages = (end - current).div_ceil(PAGE_SIZE);
    wasm32::memory_grow(0, pages) != usize::MAX
}

// SAFETY: `alloc` returns either null or a fresh, suitably aligned region inside linear memory that
// no other allocation overlaps (the bump pointer only moves forward); `realloc` keeps the contents.
unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.bump(layout.size(), layout.align())
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {
        // Never frees: the frame's whole memory is discarded when it ends (see the module docs).
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Growing the most recent allocation (the common case of a `Vec` being filled) extends it
        // in place instead of copying.
        let old_end = (ptr as usize).wrapping_add(layout.size());
        if old_end == self.next.get() && new_size >= layout.size() {
            let Some(new_end) = (ptr as usize).checked_add(new_size) else {
                return null_mut();
            };
            if !ensure_memory(new_end) {
                return null_mut();
            }
            self.next.set(new_end);
            return ptr;
        }
        let new = self.bump(new_size, layout.align());
        if !new.is_null() {
            // SAFETY: both regions are valid for `min(old, new)` bytes and do not overlap (`new`
            // lies above every earlier allocation, including `ptr`'s).
            unsafe { core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
        }
        new
    }
}

/// Reverts with the panic message, so a panicking contract fails like an explicit `revert`: its
/// writes and events are rolled back and the caller reads the message.
///
/// Messages without formatting arguments (`panic!("literal")`, `Option::unwrap`, `expect`) are
/// passed through as they are. Formatted ones (an index out of bounds, `Result::unwrap`,
/// `panic!("{n}")`) are rendered only with the `panic-fmt` feature, into a fixed buffer of
/// [`PANIC_BUFFER_LEN`] bytes cut at a character boundary; without it they revert with
/// [`crate::FORMATTED_PANIC`]. Why off by default: rendering links `core::fmt` (the formatter, integer
/// and `Debug` printing) into every contract, about 2 KiB of code, which every node compiles
/// at deploy and every deployer pays for per byte. The location is left out: it would embed
/// build paths in the contract and cost bytes without helping the caller.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let message = info.message();
    if let Some(text) = message.as_str() {
        crate::revert(text);
    }
    #[cfg(not(feature = "panic-fmt"))]
    crate::revert(crate::FORMATTED_PANIC);
    #[cfg(feature = "panic-fmt")]
    render_and_revert(&message)
}

/// Renders a formatted panic message and reverts with it.
#[cfg(feature = "panic-fmt")]
fn render_and_revert(message: &core::panic::PanicMessage<'_>) -> ! {
    let mut buffer = FixedBuffer {
        bytes: [0; PANIC_BUFFER_LEN],
        len: 0,
    };
    // Truncation is not an error for `FixedBuffer`, so this cannot fail.
    let _ = core::fmt::write(&mut buffer, format_args!("{message}"));
    crate::revert_bytes(&buffer.bytes[..buffer.len])
}

/// Longest formatted panic message kept.
#[cfg(feature = "panic-fmt")]
const PANIC_BUFFER_LEN: usize = 256;

/// A `fmt::Write` sink into a fixed array that silently drops what does not fit, cutting at a
/// character boundary so the result stays valid UTF-8.
#[cfg(feature = "panic-fmt")]
struct FixedBuffer {
    bytes: [u8; PANIC_BUFFER_LEN],
    len: usize,
}

#[cfg(feature = "panic-fmt")]
impl core::fmt::Write for FixedBuffer {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let room = PANIC_BUFFER_LEN - self.len;
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}
