//! `{{name}}`: a Shortcrust contract.
//!
//! Entry points: `greet(who: String) -> String` greets `who`, counts the greeting and emits a
//! `greeted` event; `count() -> u64` reads the count. Build it with `shortcrust build`, test it
//! with `cargo test` (the harness runs it in an in-process VM).
#![no_std]
// On the host (for `cargo test`), the entry points are only compiled, not called.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

extern crate alloc;

use alloc::format;
use alloc::string::String;

use shortcrust_sdk::{revert, storage};

/// Storage key of the greeting count.
const COUNT: &[u8] = b"count";

shortcrust_sdk::entry_points! {
    events {
        /// `who` was greeted; `count` greetings so far.
        greeted { who: String, count: u64 }
    }

    /// Greets `who` and returns the greeting. Reverts when `who` is empty.
    fn greet(who: String) -> String {
        if who.is_empty() {
            revert("nobody to greet");
        }
        let count = storage::get_or(COUNT, 0u64) + 1;
        storage::set(COUNT, &count);
        let greeting = format!("Hello, {who}!");
        greeted { who, count }.emit();
        greeting
    }

    /// How many greetings so far.
    fn count() -> u64 {
        storage::get_or(COUNT, 0u64)
    }
}
