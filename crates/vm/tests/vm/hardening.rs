//! Consensus-grade execution: each test closes one hole found by review and fails on the code
//! before the fix (each says how).

use std::sync::Arc;

use shortcrust_abi::limits::{MAX_ENTRY_NAME_LEN, MAX_INPUT_LEN};
use shortcrust_abi::status;
use shortcrust_store::MemoryStore;
use shortcrust_vm::instrument::STACK_BUDGET_SLOTS;
use shortcrust_vm::{
    CallError, DeployOptions, Fault, Receipt, SessionConfig, Vm, VmConfig, VmError, gas,
};

use crate::{GAS, call, deploy_wat, session};

/// `n` i64 locals, each given a value before the recursive call and summed after it, so that
/// they are live across the call and take native stack in every frame.
fn live_locals(n: usize) -> (String, String, String) {
    let decl = (0..n).map(|i| format!("(local $l{i} i64)")).collect();
    let set = (0..n)
        .map(|i| {
            format!("(local.set $l{i} (i64.add (i64.extend_i32_u (local.get $n)) (i64.const {i})))")
        })
        .collect();
    let sum = (0..n)
        .map(|i| format!("(global.set $sink (i64.add (global.get $sink) (local.get $l{i})))"))
        .collect();
    (decl, set, sum)
}

/// Recursion through `call_indirect` naming a type structurally equal to, but distinct from,
/// the one the big-frame function is declared with. Before the fix each level was charged the
/// default 8-slot frame, so recursion ran to the native stack.
fn alias_recursion_wat() -> String {
    let (decl, set, sum) = live_locals(200);
    format!(
        r#"(module
  (memory (export "memory") 1)
  (global $sink (mut i64) (i64.const 0))
  (type $declared (func (param i32)))
  (type $alias (func (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $big)
  (func $big (type $declared) (param $n i32) {decl}
    {set}
    (if (local.get $n)
      (then (call_indirect (type $alias) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))))
    {sum})
  (func (export "forever") (call $big (i32.const -1)))
  (func (export "levels_20") (call $big (i32.const 20)))
  (func (export "levels_40") (call $big (i32.const 40))))"#
    )
}

fn run_on_thread<T: Send + 'static>(stack: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("join")
}

#[test]
fn call_indirect_through_an_equal_type_is_charged_the_real_frame() {
    let wat = alias_recursion_wat();
    let run = move |entry: &'static str| {
        let wat = wat.clone();
        move || {
            let mut s = session();
            let id = deploy_wat(&mut s, &wat);
            // A native stack overflow is a fault (`Err`), never a contract error: with the
            // instrumentation off this `expect` fails.
            s.call(id, entry, &[], GAS).expect("no VM fault")
        }
    };
    let (g20, g40) = (
        run_on_thread(8 << 20, run("levels_20")),
        run_on_thread(8 << 20, run("levels_40")),
    );
    assert_eq!(
        (g20.result.clone(), g40.result.clone()),
        (Ok(vec![]), Ok(vec![]))
    );
    let per_level = (g40.gas_spent - g20.gas_spent) / 20;
    let small = run_on_thread(256 * 1024, run("forever"));
    let large = run_on_thread(64 << 20, run("forever"));
    assert_eq!(
        small.result,
        Err(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))
    );
    assert_eq!(small, large, "same error and gas on every stack size");
    // Each level is charged ~210 slots (8 + 201 locals + operands): the budget of 16,384
    // allows fewer than 80 levels. Charged 8 slots, it would allow 2,048, and the native stack
    // (1 MiB, ~1.7 KiB a level) would end it after ~600.
    let levels = (small.gas_spent - g20.gas_spent) / per_level + 20;
    assert!(
        levels < 80,
        "ran {levels} levels: the frame was under-charged"
    );
}

/// A contract whose `start` recurses `levels` frames of ~1,010 slots, and whose `run` does
/// nothing.
fn start_recursion_wat(levels: u32) -> String {
    let locals: String = (0..1000).map(|_| "(local i64)").collect();
    format!(
        r#"(module
  (memory (export "memory") 1)
  (func $rec (param $n i32) {locals}
    (if (local.get $n) (then (call $rec (i32.sub (local.get $n) (i32.const 1))))))
  (func $start (call $rec (i32.const {levels})))
  (start $start)
  (func (export "run")))"#
    )
}

/// Recurses `levels` frames of ~1,010 slots, then calls `run` of the contract whose id is the
/// input, and outputs the call's status.
fn nest_then_call_wat(levels: u32) -> String {
    let locals: String = (0..1000).map(|_| "(local i64)").collect();
    format!(
        r#"(module
  (import "shortcrust_v1" "input_read" (func $in (param i32)))
  (import "shortcrust_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "run")
  (func $rec (param $n i32) (result i32) {locals}
    (if (result i32) (local.get $n)
      (then (call $rec (i32.sub (local.get $n) (i32.const 1))))
      (else (call $call (i32.const 0) (i32.const 64) (i32.const 3) (i32.const 0) (i32.const 0)
                        (i64.const 0)))))
  (func (export "nest")
    (call $in (i32.const 0))
    (i32.store (i32.const 128) (call $rec (i32.const {levels})))
    (call $out (i32.const 128) (i32.const 4))))"#
    )
}

#[test]
fn a_callee_start_function_starts_from_its_callers_stack_height() {
    let mut s = session();
    // ~10,100 slots each: either fits the 16,384-slot budget alone, not both.
    let callee = deploy_wat(&mut s, &start_recursion_wat(10));
    let caller = deploy_wat(&mut s, &nest_then_call_wat(10));
    assert_eq!(call(&mut s, callee, "run").result, Ok(vec![]));
    let r = s
        .call(caller, "nest", callee.as_bytes(), GAS)
        .expect("no VM fault");
    // Before the fix the start function ran from height 0 and the call succeeded.
    assert_eq!(r.result, Ok(status::CALL_TRAPPED.to_le_bytes().to_vec()));
    assert_eq!(
        r.calls.get(1).and_then(|c| c.error.clone()),
        Some(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))
    );
    // The caller alone, calling a contract without a start function, is within budget.
    let plain = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1) (func (export "run")))"#,
    );
    let ok = s
        .call(caller, "nest", plain.as_bytes(), GAS)
        .expect("no VM fault");
    assert_eq!(ok.result, Ok(status::CALL_OK.to_le_bytes().to_vec()));
}

#[test]
fn initial_memory_is_paid_per_page_before_instantiation() {
    let wat = |pages: u32| {
        format!(r#"(module (memory (export "memory") {pages}) (func (export "noop")))"#)
    };
    let mut s = session();
    let small = deploy_wat(&mut s, &wat(1));
    let large = deploy_wat(&mut s, &wat(256));
    assert_eq!(
        call(&mut s, small, "noop").gas_spent,
        gas::TX_BASE + gas::initial_memory_cost(1) + 1
    );
    let full = gas::TX_BASE + gas::initial_memory_cost(256);
    assert_eq!(call(&mut s, large, "noop").gas_spent, full + 1);
    // 256 pages cost more than 10 ms of gas at the unit (0.1 ns): before the fix, nothing.
    assert!(gas::initial_memory_cost(256) > 100_000_000);
    let poor = s.call(large, "noop", &[], full - 1).expect("no VM fault");
    assert_eq!(poor.result, Err(CallError::OutOfGas));
    assert_eq!(poor.gas_spent, full - 1);
}

/// `nest` with input `[d]` calls itself with `[d - 1]` until `d == 0`, after writing a key;
/// it outputs the status of its own nested call (or nothing at the bottom).
const SELF_NEST: &str = r#"(module
  (import "shortcrust_v1" "input_read" (func $in (param i32)))
  (import "shortcrust_v1" "self_id" (func $self (param i32)))
  (import "shortcrust_v1" "storage_write" (func $sw (param i32 i32 i32 i32)))
  (import "shortcrust_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "nest")
  (func (export "nest")
    (call $in (i32.const 100))
    (call $sw (i32.const 100) (i32.const 1) (i32.const 100) (i32.const 1))
    (if (i32.load8_u (i32.const 100))
      (then
        (call $self (i32.const 0))
        (i32.store8 (i32.const 101) (i32.sub (i32.load8_u (i32.const 100)) (i32.const 1)))
        (i32.store (i32.const 128)
          (call $call (i32.const 0) (i32.const 64) (i32.const 4) (i32.const 101) (i32.const 1)
                      (i64.const 0)))
        (call $out (i32.const 128) (i32.const 4))))))"#;

fn small_pool_vm(instances: u32) -> Vm {
    Vm::with_store(
        Arc::new(MemoryStore::new()),
        VmConfig {
            pool_instances: instances,
            ..VmConfig::default()
        },
    )
    .expect("vm")
}

#[test]
fn instance_pool_exhaustion_aborts_the_call_instead_of_reaching_the_caller() {
    let vm = small_pool_vm(2);
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let id = deploy_wat(&mut s, SELF_NEST);
    let before = s.changes();
    // Two frames fit the pool of two.
    let ok = s.call(id, "nest", &[1], GAS).expect("no VM fault");
    assert_eq!(ok.result, Ok(status::CALL_OK.to_le_bytes().to_vec()));
    let after_ok = s.changes();
    assert_ne!(after_ok, before);
    // Three do not: before the fix the caller saw CALL_TRAPPED and could act on it.
    match s.call(id, "nest", &[2], GAS) {
        Err(VmError::Fault(Fault::InstancePoolExhausted)) => {}
        other => panic!("expected a fault, got {other:?}"),
    }
    assert_eq!(
        s.changes(),
        after_ok,
        "a fault leaves the session unchanged"
    );
    // The VM still works.
    assert!(
        s.call(id, "nest", &[1], GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
}

#[test]
fn concurrent_sessions_on_a_small_pool_get_the_same_receipt_or_a_fault() {
    let vm = small_pool_vm(3);
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let id = deploy_wat(&mut s, SELF_NEST);
    let root = s.commit().expect("commit");
    let reference: Receipt = vm
        .session(SessionConfig {
            root: Some(root),
            ..SessionConfig::default()
        })
        .expect("session")
        .call(id, "nest", &[1], GAS)
        .expect("no VM fault");
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let vm = vm.clone();
            let reference = reference.clone();
            std::thread::spawn(move || {
                let (mut ok, mut faults) = (0, 0);
                for _ in 0..40 {
                    let mut s = vm
                        .session(SessionConfig {
                            root: Some(root),
                            ..SessionConfig::default()
                        })
                        .expect("session");
                    match s.call(id, "nest", &[1], GAS) {
                        Ok(r) => {
                            assert_eq!(r, reference, "a receipt never depends on load");
                            ok += 1;
                        }
                        Err(VmError::Fault(Fault::InstancePoolExhausted)) => faults += 1,
                        Err(e) => panic!("unexpected {e}"),
                    }
                }
                (ok, faults)
            })
        })
        .collect();
    let ok: u32 = threads
        .into_iter()
        .map(|t| t.join().expect("thread").0)
        .sum();
    assert!(ok > 0);
}

#[test]
fn a_failed_callee_reports_our_text_not_wasmtimes() {
    let mut s = session();
    let divide = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1)
             (func (export "run") (drop (i32.div_u (i32.const 1) (i32.const 0)))))"#,
    );
    let relay = deploy_wat(
        &mut s,
        r#"(module
  (import "shortcrust_v1" "input_read" (func $in (param i32)))
  (import "shortcrust_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "shortcrust_v1" "return_data_len" (func $rlen (result i32)))
  (import "shortcrust_v1" "return_data_read" (func $rread (param i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "run")
  (func (export "relay")
    (call $in (i32.const 0))
    (drop (call $call (i32.const 0) (i32.const 64) (i32.const 3) (i32.const 0) (i32.const 0)
                      (i64.const 0)))
    (call $rread (i32.const 256))
    (call $out (i32.const 256) (call $rlen))))"#,
    );
    let r = s
        .call(relay, "relay", divide.as_bytes(), GAS)
        .expect("no VM fault");
    // Before the fix: "trap: wasm trap: integer divide by zero" (wasmtime's wording).
    assert_eq!(
        r.result,
        Ok(b"trap: integer division by zero".to_vec()),
        "{:?}",
        r.result
            .as_ref()
            .map(|o| String::from_utf8_lossy(o).into_owned())
    );
}

#[test]
fn top_level_input_and_entry_name_limits_are_enforced() {
    let mut s = session();
    let id = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1) (func (export "run")))"#,
    );
    let before = s.changes();
    let big = vec![0u8; MAX_INPUT_LEN as usize + 1];
    match s.call(id, "run", &big, GAS) {
        Err(VmError::Refused(CallError::LimitExceeded { what, value, limit })) => {
            assert_eq!(what, "call input length");
            assert_eq!(
                (value, limit),
                (MAX_INPUT_LEN as u64 + 1, MAX_INPUT_LEN as u64)
            );
        }
        other => panic!("{other:?}"),
    }
    let long = "r".repeat(MAX_ENTRY_NAME_LEN as usize + 1);
    match s.query(id, &long, &[], GAS) {
        Err(VmError::Refused(CallError::LimitExceeded { what, .. })) => {
            assert_eq!(what, "entry name length")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.changes(), before);
    let exact = vec![0u8; MAX_INPUT_LEN as usize];
    assert!(
        s.call(id, "run", &exact, GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
}

#[test]
fn storage_read_pays_for_what_it_may_copy_before_reading() {
    let wat = |cap: u32| {
        format!(
            r#"(module
  (import "shortcrust_v1" "storage_read" (func $sr (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "read") (drop (call $sr (i32.const 0) (i32.const 4) (i32.const 16) (i32.const {cap})))))"#
        )
    };
    let mut s = session();
    let none = deploy_wat(&mut s, &wat(0));
    let some = deploy_wat(&mut s, &wat(1000));
    // The key is absent: before the fix both reads cost the same, and the bytes copied were
    // charged after the read.
    let (a, b) = (
        call(&mut s, none, "read").gas_spent,
        call(&mut s, some, "read").gas_spent,
    );
    assert_eq!(b - a, 1000 * gas::STORAGE_READ_PER_BYTE);
}

#[test]
fn module_caches_are_bounded_and_hold_only_committed_code() {
    let module = |n: u32| {
        wat::parse_str(format!(
            r#"(module (memory (export "memory") 1) (func (export "run") (drop (i32.const {n}))))"#
        ))
        .expect("wat")
    };
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let vm = Vm::open(dir.path()).expect("open");
        // Deploys in a dropped session and a failed deploy leave nothing on disk.
        let mut dropped = vm.session(SessionConfig::default()).expect("session");
        dropped
            .deploy(&module(1), DeployOptions::default())
            .expect("deploy");
        let id = dropped
            .deploy(&module(2), DeployOptions::default())
            .expect("deploy")
            .id;
        assert!(
            dropped
                .call(id, "run", &[], GAS)
                .expect("no VM fault")
                .result
                .is_ok()
        );
        drop(dropped);
        let mut s = vm.session(SessionConfig::default()).expect("session");
        s.deploy(&module(3), DeployOptions::default())
            .expect("deploy");
        assert!(matches!(
            s.deploy(&module(3), DeployOptions::default()),
            Err(shortcrust_vm::DeployError::AlreadyDeployed(_))
        ));
        assert_eq!(vm.disk_cache_usage().0, 0, "nothing committed yet");
        s.commit().expect("commit");
        assert_eq!(vm.disk_cache_usage().0, 1, "only the committed module");
    }
    let vm = Vm::open(dir.path()).expect("reopen");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let id = shortcrust_vm::contract_id(&[0; 32], &shortcrust_store::code_hash(&module(3)), 0);
    assert!(
        s.call(id, "run", &[], GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
    assert_eq!(vm.cache_stats().compiled, 0, "restart recompiles nothing");

    // In memory: at most `module_cache_entries`, least recently used evicted first; an evicted
    // module is recompiled on demand.
    let vm = Vm::with_store(
        Arc::new(MemoryStore::new()),
        VmConfig {
            module_cache_entries: 2,
            ..VmConfig::default()
        },
    )
    .expect("vm");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let ids: Vec<_> = (10..15)
        .map(|n| {
            s.deploy(&module(n), DeployOptions::default())
                .expect("deploy")
                .id
        })
        .collect();
    let stats = vm.cache_stats();
    assert_eq!(stats.in_memory, 2);
    assert_eq!(stats.evicted, 3);
    assert!(
        s.call(ids[0], "run", &[], GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
    assert!(vm.cache_stats().in_memory <= 2);
}

/// A store whose views fail every storage read once `failing` is set: a disk error.
struct FlakyStore {
    inner: MemoryStore,
    failing: Arc<std::sync::atomic::AtomicBool>,
}

struct FlakyView {
    inner: Arc<dyn shortcrust_store::StateView>,
    failing: Arc<std::sync::atomic::AtomicBool>,
}

impl shortcrust_store::StateView for FlakyView {
    fn root(&self) -> shortcrust_store::Root {
        self.inner.root()
    }
    fn get(
        &self,
        contract: &shortcrust_vm::ContractId,
        key: &[u8],
    ) -> Result<Option<Vec<u8>>, shortcrust_store::StoreError> {
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(shortcrust_store::StoreError::Backend(
                "disk I/O error".into(),
            ));
        }
        self.inner.get(contract, key)
    }
    fn contract(
        &self,
        id: &shortcrust_vm::ContractId,
    ) -> Result<Option<shortcrust_store::ContractMeta>, shortcrust_store::StoreError> {
        self.inner.contract(id)
    }
    fn code(&self, hash: &[u8; 32]) -> Result<Option<Arc<[u8]>>, shortcrust_store::StoreError> {
        self.inner.code(hash)
    }
}

impl shortcrust_store::Store for FlakyStore {
    fn empty_root(&self) -> shortcrust_store::Root {
        self.inner.empty_root()
    }
    fn head(&self) -> Result<shortcrust_store::Root, shortcrust_store::StoreError> {
        self.inner.head()
    }
    fn view(
        &self,
        root: &shortcrust_store::Root,
    ) -> Result<Arc<dyn shortcrust_store::StateView>, shortcrust_store::StoreError> {
        Ok(Arc::new(FlakyView {
            inner: self.inner.view(root)?,
            failing: self.failing.clone(),
        }))
    }
    fn commit(
        &self,
        base: &shortcrust_store::Root,
        changes: &shortcrust_store::ChangeSet,
    ) -> Result<shortcrust_store::Root, shortcrust_store::StoreError> {
        self.inner.commit(base, changes)
    }
}

#[test]
fn a_store_read_error_aborts_the_call_even_inside_a_callee() {
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let store = FlakyStore {
        inner: MemoryStore::new(),
        failing: failing.clone(),
    };
    let vm = Vm::with_store(Arc::new(store), VmConfig::default()).expect("vm");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let counter = deploy_wat(&mut s, crate::COUNTER_WAT);
    let relay = deploy_wat(
        &mut s,
        &nest_then_call_wat(0)
            .replace("\"run\"", "\"increment\"")
            .replace("(i32.const 3) (i32.const 0)", "(i32.const 9) (i32.const 0)"),
    );
    let root = s.commit().expect("commit");
    let mut s = vm
        .session(SessionConfig {
            root: Some(root),
            ..SessionConfig::default()
        })
        .expect("session");
    let ok = s
        .call(relay, "nest", counter.as_bytes(), GAS)
        .expect("no VM fault");
    assert_eq!(ok.result, Ok(status::CALL_OK.to_le_bytes().to_vec()));
    // A fresh session: its reads reach the store (the first session's write is in its overlay).
    let mut s = vm
        .session(SessionConfig {
            root: Some(root),
            ..SessionConfig::default()
        })
        .expect("session");
    let before = s.changes();
    failing.store(true, std::sync::atomic::Ordering::SeqCst);
    // The counter's read fails inside the callee. Before the fix the caller saw CALL_TRAPPED
    // and went on: a result that depended on this node's disk.
    match s.call(relay, "nest", counter.as_bytes(), GAS) {
        Err(VmError::Fault(Fault::Store(_))) => {}
        other => panic!("expected a store fault, got {other:?}"),
    }
    assert_eq!(s.changes(), before, "nothing of the aborted call remains");
}
