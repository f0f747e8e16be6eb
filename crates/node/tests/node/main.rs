//! The node's tests: one binary of modules.
//!
//! - `rpc`: a node in process on an ephemeral loopback port, the token and the bridge deployed
//!   and called with signed transactions over HTTP, receipts, WebSocket subscriptions, proofs
//!   checked against block state roots; and `shortcrust-node --dev` as a process;
//! - `bad_input`: every RPC error code, garbage JSON, an oversized request, a replay;
//! - `crash`: SIGKILL at seeded random moments under load, then the restart invariants;
//! - `perf` (ignored): throughput and latency through RPC, and the chain's overhead over the VM.

mod support;

mod bad_input;
mod crash;
mod perf;
mod rpc;
