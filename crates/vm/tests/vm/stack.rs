//! The deterministic stack limit: recursion fails with the same error and the same gas whatever
//! the native stack of the thread that runs the call.

use shortcrust_vm::{CallError, Receipt, instrument::STACK_BUDGET_SLOTS};

use crate::{GAS, deploy_wat, session};

const RECURSIVE: &str = r#"(module
  (memory (export "memory") 1)
  (func $down (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (i64.add (i64.const 1) (call $down (i64.sub (local.get $n) (i64.const 1)))))))
  (func (export "forever") (drop (call $down (i64.const -1))))
  (func (export "shallow") (drop (call $down (i64.const 100))))
  (func $indirect (type $t) (param i32)
    (call_indirect (type $t) (local.get 0) (i32.const 0)))
  (type $t (func (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $indirect)
  (func (export "forever_indirect") (call $indirect (i32.const 0))))
"#;

fn run_on_thread(stack: usize, entry: &'static str) -> Receipt {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let mut s = session();
            let id = deploy_wat(&mut s, RECURSIVE);
            s.call(id, entry, &[], GAS).expect("no VM fault")
        })
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn unbounded_recursion_hits_the_deterministic_limit() {
    let r = run_on_thread(8 << 20, "forever");
    assert_eq!(
        r.result,
        Err(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))
    );
    assert!(r.gas_spent < GAS, "the limit, not gas, must stop it");
}

#[test]
fn same_result_and_gas_on_small_and_large_thread_stacks() {
    for entry in ["forever", "forever_indirect", "shallow"] {
        let small = run_on_thread(192 * 1024, entry);
        let large = run_on_thread(64 << 20, entry);
        assert_eq!(small, large, "{entry}");
    }
    assert!(run_on_thread(192 * 1024, "shallow").result.is_ok());
    assert!(matches!(
        run_on_thread(192 * 1024, "forever_indirect").result,
        Err(CallError::StackLimitExceeded(_))
    ));
}
