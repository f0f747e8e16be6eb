//! Integration tests of the `shortcrust` binary: each test runs the real executable
//! (`CARGO_BIN_EXE_shortcrust`) and checks its stdout, stderr and exit code.

mod authoring;
mod bench;
mod calibrate;
mod demo;
mod devnet;
mod gas;
mod run;
mod state;
mod support;
mod tutorial;
mod verify;
