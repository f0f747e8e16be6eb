//! Conversions between Rust pointers/lengths and the ABI's `i32` offsets.
//!
//! On wasm32 a pointer is a 32-bit offset into linear memory and every slice length fits in 32
//! bits, so these conversions are lossless there. On the host they are never reached (the raw
//! imports panic first) and merely truncate.

/// A guest pointer as the ABI's `i32` offset.
#[inline(always)]
pub(crate) fn ptr_i32(ptr: *const u8) -> i32 {
    ptr as usize as i32
}

/// A mutable guest pointer as the ABI's `i32` offset.
#[inline(always)]
pub(crate) fn ptr_i32_mut(ptr: *mut u8) -> i32 {
    ptr as usize as i32
}

/// A slice length as the ABI's `i32`.
#[inline(always)]
pub(crate) fn len_i32(len: usize) -> i32 {
    len as i32
}

/// String equality usable in constant evaluation.
pub(crate) const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
