//! Call frames: cross-contract calls, per-frame rollback, gas forwarding, the depth cap, events.

use shortcrust_abi::status;
use shortcrust_vm::CallError;

use crate::{GAS, deploy_wat, session};

const IMPORTS: &str = r#"
  (import "shortcrust_v1" "storage_write" (func $sw (param i32 i32 i32 i32)))
  (import "shortcrust_v1" "storage_read" (func $sr (param i32 i32 i32 i32) (result i32)))
  (import "shortcrust_v1" "revert" (func $revert (param i32 i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (import "shortcrust_v1" "input_read" (func $in (param i32)))
  (import "shortcrust_v1" "emit" (func $emit (param i32 i32 i32 i32)))
  (import "shortcrust_v1" "gas_left" (func $gas (result i64)))
  (import "shortcrust_v1" "self_id" (func $self (param i32)))
  (import "shortcrust_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "shortcrust_v1" "return_data_len" (func $rdlen (result i32)))
  (import "shortcrust_v1" "return_data_read" (func $rd (param i32)))
"#;

fn callee() -> String {
    format!(
        r#"(module {IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 0) "keyvalnope: not today")
  (func (export "ok")
    (call $sw (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 3))
    (call $emit (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 3))
    (call $out (i32.const 3) (i32.const 3)))
  (func (export "fail")
    (call $sw (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 3))
    (call $emit (i32.const 0) (i32.const 3) (i32.const 3) (i32.const 3))
    (call $revert (i32.const 6) (i32.const 15)))
  (func (export "spin") (loop $l (br $l)))
  (func (export "gas") (i64.store (i32.const 100) (call $gas)) (call $out (i32.const 100) (i32.const 8))))"#
    )
}

/// `run`: input is a 32-byte callee id then an entry name; calls it with gas limit 0 (all it
/// may get), writes key "st" = status, emits, and outputs status (4 bytes) ++ return data.
fn caller() -> String {
    format!(
        r#"(module {IMPORTS}
  (import "shortcrust_v1" "input_len" (func $inlen (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "st")
  (func (export "run") (local $status i32) (local $len i32)
    (call $in (i32.const 64))
    (local.set $status
      (call $call (i32.const 64) (i32.const 96) (i32.sub (call $inlen) (i32.const 32))
                  (i32.const 0) (i32.const 0) (i64.const 0)))
    (i32.store (i32.const 200) (local.get $status))
    (call $sw (i32.const 0) (i32.const 2) (i32.const 200) (i32.const 4))
    (call $emit (i32.const 0) (i32.const 2) (i32.const 200) (i32.const 4))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 204))
    (call $out (i32.const 200) (i32.add (i32.const 4) (local.get $len))))
  (func (export "recurse")
    (call $self (i32.const 300))
    (i32.store (i32.const 400) (i32.const 0x75636572)) ;; "recu"
    (i32.store (i32.const 404) (i32.const 0x00657372)) ;; "rse"
    (call $emit (i32.const 0) (i32.const 2) (i32.const 0) (i32.const 0))
    (i32.store (i32.const 200)
      (call $call (i32.const 300) (i32.const 400) (i32.const 7) (i32.const 0) (i32.const 0) (i64.const 0)))
    (call $out (i32.const 200) (i32.const 4))))"#
    )
}

fn input(id: shortcrust_vm::ContractId, entry: &str) -> Vec<u8> {
    let mut v = id.0.to_vec();
    v.extend_from_slice(entry.as_bytes());
    v
}

fn status_of(output: &[u8]) -> i32 {
    i32::from_le_bytes(output[0..4].try_into().unwrap())
}

#[test]
fn successful_callee_effects_and_output_reach_the_caller() {
    let mut s = session();
    let callee = deploy_wat(&mut s, &callee());
    let caller = deploy_wat(&mut s, &caller());
    let r = s
        .call(caller, "run", &input(callee, "ok"), GAS)
        .expect("no VM fault");
    let out = r.result.unwrap();
    assert_eq!(status_of(&out), status::CALL_OK);
    assert_eq!(&out[4..], b"val");
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.events[0].contract, callee);
    assert_eq!(r.events[1].contract, caller);
    let changes = s.changes().storage;
    assert_eq!(
        changes.get(&(callee, b"key".to_vec())),
        Some(&Some(b"val".to_vec()))
    );
    assert_eq!(r.calls.len(), 2);
    assert_eq!((r.calls[0].depth, r.calls[1].depth), (1, 2));
    assert!(r.calls[1].gas_spent > 0 && r.calls[1].gas_spent < r.calls[0].gas_spent);
}

#[test]
fn failing_callee_is_rolled_back_and_the_caller_continues() {
    let mut s = session();
    let callee = deploy_wat(&mut s, &callee());
    let caller = deploy_wat(&mut s, &caller());
    let r = s
        .call(caller, "run", &input(callee, "fail"), GAS)
        .expect("no VM fault");
    let out = r.result.unwrap();
    assert_eq!(status_of(&out), status::CALL_REVERTED);
    assert_eq!(&out[4..], b"nope: not today");
    // Only the caller's own write and event survive.
    let changes = s.changes().storage;
    assert_eq!(changes.len(), 1);
    assert!(changes.contains_key(&(caller, b"st".to_vec())));
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].contract, caller);
    assert_eq!(
        r.calls[1].error,
        Some(CallError::Reverted("nope: not today".into()))
    );
}

#[test]
fn callee_out_of_gas_keeps_one_64th_for_the_caller() {
    let mut s = session();
    let callee = deploy_wat(&mut s, &callee());
    let caller = deploy_wat(&mut s, &caller());
    let r = s
        .call(caller, "run", &input(callee, "spin"), GAS)
        .expect("no VM fault");
    let out = r
        .result
        .expect("caller survives its callee running out of gas");
    assert_eq!(status_of(&out), status::CALL_OUT_OF_GAS);
    assert!(r.gas_spent < GAS);
    let given = r.calls[1].gas_limit;
    let caller_left_at_call = given * 64 / 63;
    assert!(given <= caller_left_at_call - caller_left_at_call / 64 + 1);
    assert_eq!(r.calls[1].gas_spent, given);
}

#[test]
fn callee_sees_at_most_63_64ths_of_the_gas() {
    let mut s = session();
    let callee = deploy_wat(&mut s, &callee());
    let caller = deploy_wat(&mut s, &caller());
    let r = s
        .call(caller, "run", &input(callee, "gas"), GAS)
        .expect("no VM fault");
    let out = r.result.unwrap();
    let seen = u64::from_le_bytes(out[4..12].try_into().unwrap());
    assert!(seen < (GAS - shortcrust_vm::gas::TX_BASE) * 63 / 64);
}

#[test]
fn unknown_contract_and_entry_are_statuses_for_the_caller() {
    let mut s = session();
    let callee = deploy_wat(&mut s, &callee());
    let caller = deploy_wat(&mut s, &caller());
    let out = s
        .call(
            caller,
            "run",
            &input(shortcrust_vm::ContractId([9; 32]), "ok"),
            GAS,
        )
        .expect("no VM fault")
        .result
        .unwrap();
    assert_eq!(status_of(&out), status::CALL_UNKNOWN_CONTRACT);
    let out = s
        .call(caller, "run", &input(callee, "nope"), GAS)
        .expect("no VM fault")
        .result
        .unwrap();
    assert_eq!(status_of(&out), status::CALL_UNKNOWN_ENTRY);
}

#[test]
fn call_depth_is_capped() {
    let mut s = session();
    let caller = deploy_wat(&mut s, &caller());
    let r = s.call(caller, "recurse", &[], GAS).expect("no VM fault");
    assert!(r.result.is_ok(), "{:?}", r.result);
    let max = shortcrust_abi::limits::MAX_CALL_DEPTH as usize;
    assert_eq!(r.calls.len(), max);
    assert_eq!(r.events.len(), max);
    assert_eq!(r.calls.last().unwrap().depth, max as u32);
}

#[test]
fn top_level_revert_leaves_the_session_unchanged() {
    let mut s = session();
    let callee = deploy_wat(&mut s, &callee());
    let r = s.call(callee, "fail", &[], GAS).expect("no VM fault");
    assert_eq!(r.result, Err(CallError::Reverted("nope: not today".into())));
    assert!(r.events.is_empty());
    assert!(s.changes().storage.is_empty());
    // A query's writes never stick, even when it succeeds.
    let q = s.query(callee, "ok", &[], GAS).expect("no VM fault");
    assert_eq!(q.result, Ok(b"val".to_vec()));
    assert!(s.changes().storage.is_empty());
    let c = s.call(callee, "ok", &[], GAS).expect("no VM fault");
    assert_eq!(c.gas_spent, q.gas_spent);
    assert_eq!(s.changes().storage.len(), 1);
}

#[test]
fn commit_then_read_in_a_new_session() {
    let vm = shortcrust_vm::Vm::ephemeral().unwrap();
    let mut s = vm.session(Default::default()).unwrap();
    let callee = deploy_wat(&mut s, &callee());
    assert!(
        s.call(callee, "ok", &[], GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
    let root = s.commit().unwrap();
    let mut s2 = vm
        .session(shortcrust_vm::SessionConfig {
            root: Some(root),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        s2.call(callee, "ok", &[], GAS).expect("no VM fault").result,
        Ok(b"val".to_vec())
    );
    let mut old = vm
        .session(shortcrust_vm::SessionConfig {
            root: Some(vm.store().empty_root()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        old.call(callee, "ok", &[], GAS)
            .expect("no VM fault")
            .result,
        Err(CallError::UnknownContract(callee))
    );
}
