//! Chain tests: one binary, one module per topic. Keys come from fixed seeds, so every run
//! signs the same bytes.

mod blocks;
mod checks;
mod contracts;
mod genesis;
mod invalid;
mod mempool;
mod proofs;
mod support;
mod throughput;
mod transfers;
