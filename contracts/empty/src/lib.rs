//! `empty`: one entry point, `noop`, that does nothing. Measures the fixed cost of a call (instance
//! creation, input and output plumbing, gas accounting) in the benchmarks.
#![no_std]

shortcrust_sdk::entry_points! {
    /// Does nothing; takes no input and returns no output.
    fn noop() {}
}
