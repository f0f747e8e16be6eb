//! Gas: instructions are metered by fuel, out of gas is a clean and deterministic failure, and a
//! failed call leaves the session as it was.

use shortcrust_vm::gas::Class;
use shortcrust_vm::{CallError, gas};

use crate::{GAS, call, deploy_wat, session};

const LOOPS: &str = r#"(module
  (import "shortcrust_v1" "storage_write" (func $sw (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "key!value")
  (func (export "spin") (loop $l (br $l)))
  (func (export "count_to_1000") (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000)))))
  (func (export "write_then_spin")
    (call $sw (i32.const 0) (i32.const 4) (i32.const 4) (i32.const 5))
    (loop $l (br $l)))
  (func (export "grow_forever")
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1)))))
  (func (export "nan") (result)
    (i32.store (i32.const 16) (i32.reinterpret_f32 (f32.div (f32.const 0) (f32.const 0))))))
"#;

#[test]
fn infinite_loop_runs_out_of_gas_deterministically() {
    let mut s = session();
    let id = deploy_wat(&mut s, LOOPS);
    let a = s.call(id, "spin", &[], 1_000_000).expect("no VM fault");
    let b = s.call(id, "spin", &[], 1_000_000).expect("no VM fault");
    assert_eq!(a.result, Err(CallError::OutOfGas));
    assert_eq!(a.gas_spent, 1_000_000);
    assert_eq!(a, b);
}

#[test]
fn instruction_gas_is_exact_and_repeatable() {
    let mut s = session();
    let id = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1)
             (func (export "count_to_1000") (local $i i32)
               (loop $l
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))))"#,
    );
    let r = call(&mut s, id, "count_to_1000");
    assert!(r.result.is_ok());
    // 1000 iterations of local.get, i32.const, i32.add, local.set, local.get, i32.const,
    // i32.lt_u, br_if, priced by class, on top of the empty call.
    let per_iteration = 3 * crate::price(Class::Local)
        + 2 * crate::price(Class::Const)
        + 2 * crate::price(Class::IntSimple)
        + crate::price(Class::CondBranch);
    assert_eq!(
        r.gas_spent,
        crate::validation::EMPTY_CALL_GAS + per_iteration * 1000
    );
    assert_eq!(call(&mut s, id, "count_to_1000").gas_spent, r.gas_spent);
    // Schedule v1 (protocol 1): 3 gas an iteration (locals and constants free, the rest 1).
    let mut config = shortcrust_vm::SessionConfig::default();
    config.context.protocol_version = 1;
    let mut v1 = shortcrust_vm::Vm::ephemeral()
        .expect("vm")
        .session(config)
        .expect("session");
    let id = deploy_wat(
        &mut v1,
        r#"(module (memory (export "memory") 1)
             (func (export "count_to_1000") (local $i i32)
               (loop $l
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))))"#,
    );
    let r = call(&mut v1, id, "count_to_1000");
    assert_eq!(r.gas_spent, crate::validation::EMPTY_CALL_GAS + 3 * 1000);
}

#[test]
fn data_segments_are_paid_per_byte_at_every_instantiation() {
    let wat = |data: &str| {
        format!(
            r#"(module (memory (export "memory") 1) (data (i32.const 0) "{data}") (func (export "run")))"#
        )
    };
    let mut s = session();
    let small = deploy_wat(&mut s, &wat("ab"));
    let large = deploy_wat(&mut s, &wat(&"x".repeat(1002)));
    let (small, large) = (
        call(&mut s, small, "run").gas_spent,
        call(&mut s, large, "run").gas_spent,
    );
    assert_eq!(
        large - small,
        1000,
        "one gas per byte copied into a fresh memory"
    );
}

#[test]
fn out_of_gas_rolls_back_writes() {
    let mut s = session();
    let id = deploy_wat(&mut s, LOOPS);
    let r = s
        .call(id, "write_then_spin", &[], 500_000)
        .expect("no VM fault");
    assert_eq!(r.result, Err(CallError::OutOfGas));
    assert!(
        s.changes().storage.is_empty(),
        "a failed call must leave no writes"
    );
}

#[test]
fn gas_below_the_call_base_fails_cleanly() {
    let mut s = session();
    let id = deploy_wat(&mut s, LOOPS);
    let r = s
        .call(id, "count_to_1000", &[], gas::TX_BASE - 1)
        .expect("no VM fault");
    assert_eq!(r.result, Err(CallError::OutOfGas));
    assert_eq!(r.gas_spent, gas::TX_BASE - 1);
}

#[test]
fn memory_growth_stops_at_the_limit_and_is_paid_per_page_before_growing() {
    let mut s = session();
    let id = deploy_wat(&mut s, LOOPS);
    let r = call(&mut s, id, "grow_forever");
    assert!(r.result.is_ok(), "{:?}", r.result);
    // 255 pages granted (256-page limit, 1 initial), each paid before it was granted; the
    // final refused request pays only the host-call base.
    assert!(
        r.gas_spent >= gas::TX_BASE + 255 * gas::MEMORY_GROW_PER_PAGE,
        "{}",
        r.gas_spent
    );
    // Each round: the host call and a few instructions around it (generously bounded).
    let calls = 256 * (gas::HOST_CALL_BASE + 1_000);
    assert!(
        r.gas_spent
            < gas::TX_BASE + gas::initial_memory_cost(1) + 255 * gas::MEMORY_GROW_PER_PAGE + calls,
        "{}",
        r.gas_spent
    );
    let poor = s
        .call(
            id,
            "grow_forever",
            &[],
            gas::TX_BASE + 10 * gas::MEMORY_GROW_PER_PAGE,
        )
        .expect("no VM fault");
    assert_eq!(poor.result, Err(CallError::OutOfGas));
}

/// The metered grow is an import the VM adds, which shifts the module's own function indices:
/// calls, exports, tables, `ref.func` and the start function must all still reach the right
/// function, with and without imports of the module's own.
#[test]
fn metered_grow_keeps_function_indices_right() {
    for own_import in [
        "",
        r#"(import "shortcrust_v1" "gas_left" (func $gas (result i64)))"#,
    ] {
        let wat = format!(
            r#"(module {own_import}
              (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
              (memory (export "memory") 1)
              (global $started (mut i32) (i32.const 0))
              (type $t (func (result i32)))
              (table 2 funcref)
              (elem (i32.const 0) $seven $grow)
              (func $seven (type $t) (i32.const 7))
              (func $grow (type $t) (memory.grow (i32.const 2)))
              (func $init (global.set $started (i32.const 1)))
              (start $init)
              (func (export "run")
                (i32.store (i32.const 0) (call_indirect (type $t) (i32.const 0)))
                (i32.store (i32.const 4) (call_indirect (type $t) (i32.const 1)))
                (i32.store (i32.const 8) (call $seven))
                (i32.store (i32.const 12) (memory.size))
                (i32.store (i32.const 16) (global.get $started))
                (table.set (i32.const 1) (ref.func $seven))
                (i32.store (i32.const 20) (call_indirect (type $t) (i32.const 1)))
                (call $out (i32.const 0) (i32.const 24))))"#
        );
        let mut s = session();
        let id = deploy_wat(&mut s, &wat);
        let out = call(&mut s, id, "run").result.unwrap();
        let words: Vec<i32> = out
            .chunks(4)
            .map(|c| i32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(words, vec![7, 1, 7, 3, 1, 7], "with {own_import:?}");
    }
}

#[test]
fn infinite_loop_in_start_function_is_metered() {
    let mut s = session();
    let id = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1)
             (func $forever (loop $l (br $l)))
             (start $forever)
             (func (export "run")))"#,
    );
    let r = s.call(id, "run", &[], 2_000_000).expect("no VM fault");
    assert_eq!(r.result, Err(CallError::OutOfGas));
    assert_eq!(r.gas_spent, 2_000_000);
}

#[test]
fn nan_results_are_canonical() {
    let mut s = session();
    let id = deploy_wat(
        &mut s,
        r#"(module
             (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
             (memory (export "memory") 1)
             (func (export "nan")
               (i32.store (i32.const 0)
                 (i32.reinterpret_f32 (f32.div (f32.const 0) (f32.const 0))))
               (i64.store (i32.const 4)
                 (i64.reinterpret_f64 (f64.sqrt (f64.const -1))))
               (call $out (i32.const 0) (i32.const 12))))"#,
    );
    let r = call(&mut s, id, "nan");
    let out = r.result.unwrap();
    assert_eq!(&out[0..4], &0x7fc0_0000u32.to_le_bytes());
    assert_eq!(&out[4..12], &0x7ff8_0000_0000_0000u64.to_le_bytes());
}

#[test]
fn gas_left_is_visible_and_decreasing() {
    let mut s = session();
    let id = deploy_wat(
        &mut s,
        r#"(module
             (import "shortcrust_v1" "gas_left" (func $gas (result i64)))
             (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
             (memory (export "memory") 1)
             (func (export "run")
               (i64.store (i32.const 0) (call $gas))
               (i64.store (i32.const 8) (call $gas))
               (call $out (i32.const 0) (i32.const 16))))"#,
    );
    let out = call(&mut s, id, "run").result.unwrap();
    let first = u64::from_le_bytes(out[0..8].try_into().unwrap());
    let second = u64::from_le_bytes(out[8..16].try_into().unwrap());
    assert!(first < GAS - gas::TX_BASE && second < first);
    // gas_left's price plus the i64.store (with its memory tier's charges) and the call
    // instruction (constants are free).
    assert_eq!(
        first - second,
        crate::host_base() + crate::access_price(true) + crate::price(Class::Call)
    );
}
