//! Generators and oracles of Shortcrust's fuzz targets.
//!
//! Each target is one function taking the fuzzer's bytes. It returns normally for every input and
//! panics only when a property of Shortcrust is violated (a bug): the `cargo-fuzz` targets in
//! `fuzz/fuzz_targets/` are one-line calls into this crate, and `tests/replay.rs` runs the
//! committed seed corpus (`fuzz/corpus/<target>/`) through the same functions in `cargo test`.
//!
//! | target | function | property |
//! |---|---|---|
//! | `deploy_bytes` | [`deploy_bytes`] | any bytes deploy or are refused with a `DeployError`; a refusal changes nothing |
//! | `smith_run` | [`smith_run`] | a `wasm-smith` module valid under ABI v1 deploys, and its calls give bit-identical receipts and state changes run twice and at two Cranelift optimisation levels |
//! | `host_function` | [`host_function`] | every cryptographic host function returns a documented status (never a caught panic) on any bytes, the same one twice, cached or not; prices never panic and are never zero |
//! | `schema_json` | [`schema_json`] | schema parsing and the JSON→borsh encoder return `Ok` or a `SchemaError`; what encodes decodes back to equivalent JSON and re-encodes to the same bytes |
//!
//! See `fuzz/README.md` for the commands.

pub mod deploy;
pub mod host_function;
pub mod known_issues;
pub mod schema_json;
pub mod smith;
mod vm;

pub use deploy::deploy_bytes;
pub use host_function::host_function;
pub use schema_json::schema_json;
pub use smith::smith_run;

/// A fuzz target: the fuzzer's bytes in, a panic only for a bug.
pub type Target = fn(&[u8]);

/// Every fuzz target of this crate by name (the names of `fuzz/fuzz_targets/*.rs` and of the
/// corpus directories), with its function.
pub const TARGETS: &[(&str, Target)] = &[
    ("deploy_bytes", deploy_bytes),
    ("smith_run", smith_run),
    ("host_function", host_function),
    ("schema_json", schema_json),
];
