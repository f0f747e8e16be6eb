//! `counter`: the smallest stateful contract — one `u64` in storage.
//!
//! Entry points: `increment() -> u64` adds one, `add(n: u64) -> u64` adds `n` (reverting on
//! overflow), `get() -> u64` reads it. Used by the VM's tests (gas snapshots) and the benchmarks
//! (calls per second).
#![no_std]

use shortcrust_sdk::storage;

/// Storage key of the count.
const COUNT: &[u8] = b"count";

fn load() -> u64 {
    storage::get_or(COUNT, 0u64)
}

shortcrust_sdk::entry_points! {
    /// Adds one to the counter; returns the new value.
    fn increment() -> u64 {
        add(1)
    }

    /// Adds `n` to the counter; returns the new value. Reverts if the sum overflows.
    fn add(n: u64) -> u64 {
        let Some(value) = load().checked_add(n) else {
            shortcrust_sdk::revert("counter overflow");
        };
        storage::set(COUNT, &value);
        value
    }

    /// The current value (0 before the first increment).
    fn get() -> u64 {
        load()
    }
}
