//! Events: a topic and data, attributed by the host to the emitting contract and returned in the
//! receipt. Events of a frame that fails are rolled back with its storage writes.

use borsh::BorshSerialize;

use crate::raw;
use crate::util::{len_i32, ptr_i32};

/// Emits an event whose data is the borsh encoding of `data`.
/// The topic is at most [`shortcrust_abi::limits::MAX_EVENT_TOPIC_LEN`] bytes, the encoded data at
/// most [`shortcrust_abi::limits::MAX_EVENT_DATA_LEN`].
pub fn emit<T: BorshSerialize + ?Sized>(topic: &str, data: &T) {
    emit_raw(topic.as_bytes(), &crate::encode(data));
}

/// Emits an event with raw topic and data bytes.
pub fn emit_raw(topic: &[u8], data: &[u8]) {
    // SAFETY: both are live slices that the host only reads.
    unsafe {
        raw::emit(
            ptr_i32(topic.as_ptr()),
            len_i32(topic.len()),
            ptr_i32(data.as_ptr()),
            len_i32(data.len()),
        )
    };
}
