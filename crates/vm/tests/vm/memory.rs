//! Pooled memories are reset between frames: every frame starts from zeros (and its data
//! segments), whatever an earlier frame of the same contract, which reuses the same slot,
//! wrote, inside or beyond the part of the memory kept resident (`engine::KEEP_RESIDENT_BYTES`,
//! reset by memset; the rest is decommitted). Any change to how slots are reset (wasmtime's
//! `pagemap_scan`, copy-on-write images; see `docs/notes/wasmtime-call-costs.md`) must keep
//! this test passing.

use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

use crate::GAS;

/// `dirty`: grows the memory to 8 pages (past the 256 KiB kept resident), then for each of 16
/// addresses spread over every page outputs the OR of what it found there and writes a
/// non-zero word there. A fresh memory outputs 0.
const DIRTY_WAT: &str = r#"(module
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (memory (export "memory") 2 8)
  (func (export "dirty") (local $a i32) (local $seen i64)
    (drop (memory.grow (i32.const 6)))
    (local.set $a (i32.const 16))
    (loop $l
      (local.set $seen (i64.or (local.get $seen) (i64.load (local.get $a))))
      (i64.store (local.get $a) (i64.const 0x5A5A5A5A5A5A5A5A))
      (local.set $a (i32.add (local.get $a) (i32.const 32760)))
      (br_if $l (i32.lt_u (local.get $a) (i32.const 524272))))
    (i64.store (i32.const 0) (local.get $seen))
    (call $out (i32.const 0) (i32.const 8))))"#;

#[test]
fn every_frame_starts_from_zeroed_memory() {
    let code = wat::parse_str(DIRTY_WAT).expect("wat");
    let vm = Vm::ephemeral().expect("vm");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let id = s
        .deploy(&code, DeployOptions::default())
        .expect("deploy")
        .id;
    for round in 0..5 {
        let r = s.call(id, "dirty", &[], GAS).expect("no VM fault");
        assert_eq!(r.result, Ok(0u64.to_le_bytes().to_vec()), "round {round}");
    }
}
