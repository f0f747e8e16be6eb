//! The adversarial corpus: hand-written hostile modules, each asserting the *exact* error (or
//! status) the VM must give, and that nothing else changed: the session's change set, the
//! receipt's events, and for committed sessions the state root.

use shortcrust_abi::limits::{
    MAX_CALL_DEPTH, MAX_ENTRY_NAME_LEN, MAX_EVENT_DATA_LEN, MAX_EVENT_TOPIC_LEN,
    MAX_EVENTS_PER_CALL, MAX_INPUT_LEN, MAX_KEY_LEN, MAX_OUTPUT_LEN, MAX_REVERT_LEN, MAX_VALUE_LEN,
};
use shortcrust_abi::status;
use shortcrust_vm::gas::{self, CALL_BASE, TX_BASE};
use shortcrust_vm::instrument::STACK_BUDGET_SLOTS;
use shortcrust_vm::{
    CallError, ContractId, DeployError, DeployOptions, ModuleLimits, Receipt, Root, Session,
    SessionConfig, TrapCode, Vm, VmError,
};

use crate::{GAS, call, deploy_wat, session};

/// Every host function the modules below use.
const IMPORTS: &str = r#"
  (import "shortcrust_v1" "input_len" (func $inlen (result i32)))
  (import "shortcrust_v1" "input_read" (func $in (param i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (import "shortcrust_v1" "revert" (func $revert (param i32 i32)))
  (import "shortcrust_v1" "storage_read" (func $sr (param i32 i32 i32 i32) (result i32)))
  (import "shortcrust_v1" "storage_write" (func $sw (param i32 i32 i32 i32)))
  (import "shortcrust_v1" "storage_remove" (func $srm (param i32 i32) (result i32)))
  (import "shortcrust_v1" "emit" (func $emit (param i32 i32 i32 i32)))
  (import "shortcrust_v1" "self_id" (func $self (param i32)))
  (import "shortcrust_v1" "caller" (func $caller (param i32) (result i32)))
  (import "shortcrust_v1" "gas_left" (func $gas (result i64)))
  (import "shortcrust_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64) (result i32)))
  (import "shortcrust_v1" "return_data_len" (func $rdlen (result i32)))
  (import "shortcrust_v1" "return_data_read" (func $rd (param i32)))
"#;

/// Gas of a call to an empty entry point of a one-page module.
const EMPTY_CALL_GAS: u64 = TX_BASE + gas::initial_memory_cost(1) + 1;

/// Calls `entry` (gas [`GAS`]), which must fail, and checks what every failure keeps: the gas is
/// within the limit, no events, and the session exactly as before. Returns the error.
fn fails(s: &mut Session, id: ContractId, entry: &str, input: &[u8]) -> CallError {
    let before = s.changes();
    let r = s.call(id, entry, input, GAS).expect("no VM fault");
    assert!(
        r.gas_spent >= TX_BASE && r.gas_spent < GAS,
        "{entry}: gas {} (the check, not gas, must stop it)",
        r.gas_spent
    );
    assert!(
        r.events.is_empty(),
        "{entry}: a failed call keeps no events"
    );
    assert_eq!(
        s.changes(),
        before,
        "{entry}: a failed call changed the session"
    );
    match r.result {
        Err(e) => e,
        Ok(out) => panic!("{entry} must fail, got output {out:?}"),
    }
}

fn deploy_nonce(s: &mut Session, wat: &str, nonce: u64) -> ContractId {
    let code = wat::parse_str(wat).expect("valid wat");
    let options = DeployOptions {
        nonce,
        ..DeployOptions::default()
    };
    s.deploy(&code, options).expect("deploy").id
}

fn on_thread<T: Send + 'static>(stack: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the call must not crash the thread")
}

fn i32_at(bytes: &[u8], at: usize) -> i32 {
    i32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
}

fn limit_exceeded(what: &'static str, value: u32, limit: u32) -> CallError {
    CallError::LimitExceeded {
        what,
        value: value.into(),
        limit: limit.into(),
    }
}

/// Deploys `wat` on the empty state, runs `calls` and commits: the root, which is also the head.
fn committed_root(vm: &Vm, wat: &str, calls: impl FnOnce(&mut Session, ContractId)) -> Root {
    let config = SessionConfig {
        root: Some(vm.store().empty_root()),
        ..SessionConfig::default()
    };
    let mut s = vm.session(config).expect("session");
    let id = deploy_wat(&mut s, wat);
    calls(&mut s, id);
    let root = s.commit().expect("commit");
    assert_eq!(vm.store().head().expect("head"), root);
    root
}

// ---- 1. mutual recursion ------------------------------------------------------------------------

const MUTUAL_RECURSION: &str = r#"(module
  (memory (export "memory") 1)
  (func $f (param $n i64) (result i64) (local $a i64) (local $b i64)
    (local.set $a (i64.mul (local.get $n) (i64.const 3)))
    (local.set $b (call $g (i64.add (local.get $n) (i64.const 1)) (local.get $a)))
    (i64.add (local.get $a) (local.get $b)))
  (func $g (param $n i64) (param $x i64) (result i64)
    (local $c i64) (local $d i64) (local $e i64) (local $h f64) (local $i i32) (local $j i64)
    (local.set $c (i64.xor (local.get $n) (local.get $x)))
    (local.set $d (i64.rotl (local.get $c) (i64.const 7)))
    (local.set $e (call $f (local.get $n)))
    (i64.add (i64.add (local.get $c) (local.get $d)) (local.get $e)))
  (func (export "run") (drop (call $f (i64.const 0)))))"#;

// Attack: f calls g calls f (frames of different sizes) to exhaust the native stack of the node.
#[test]
fn mutual_recursion_hits_the_deterministic_stack_limit_on_any_thread() {
    let run = || {
        let mut s = session();
        let id = deploy_wat(&mut s, MUTUAL_RECURSION);
        let before = s.changes();
        let r = s.call(id, "run", &[], GAS).expect("no VM fault");
        assert_eq!(s.changes(), before);
        r
    };
    let small = on_thread(256 * 1024, run);
    let large = on_thread(64 << 20, run);
    assert_eq!(
        small.result,
        Err(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))
    );
    assert!(small.gas_spent < GAS, "the stack limit, not gas, stops it");
    assert!(small.events.is_empty());
    assert_eq!(
        small, large,
        "identical receipts on 256 KiB and 64 MiB stacks"
    );
}

// ---- 2. huge br_table ---------------------------------------------------------------------------

/// Deploys a `br_table` of `targets` targets spinning in a loop and runs it out of gas twice.
fn huge_br_table_runs_out_of_gas_exactly(targets: usize) {
    // Inside `block $b`, label 0 is the block (falls to `br $l`) and 1 the loop itself.
    let labels: String = (0..=targets)
        .map(|i| if i % 2 == 0 { "0 " } else { "1 " })
        .collect();
    let wat = format!(
        r#"(module
  (memory (export "memory") 1)
  (func (export "spin") (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 7919)))
      (block $b
        (br_table {labels} (i32.rem_u (local.get $i) (i32.const {targets}))))
      (br $l))))"#
    );
    let code = wat::parse_str(&wat).expect("valid wat");
    assert!(code.len() > targets, "{} bytes", code.len());
    let mut s = session();
    let deployed = s
        .deploy(&code, DeployOptions::default())
        .expect("a huge br_table is valid");
    assert_eq!(deployed.gas_spent, gas::deploy_cost(code.len()));
    let before = s.changes();
    let limit = 20_000_000;
    let a = s
        .call(deployed.id, "spin", &[], limit)
        .expect("no VM fault");
    let b = s
        .call(deployed.id, "spin", &[], limit)
        .expect("no VM fault");
    assert_eq!(a.result, Err(CallError::OutOfGas));
    assert_eq!(a.gas_spent, limit);
    assert_eq!(a, b, "twice identical");
    assert_eq!(s.changes(), before);
}

// Attack: a `br_table` as large as the protocol allows in an endless loop.
#[test]
fn largest_allowed_br_table_deploys_and_runs_out_of_gas_exactly() {
    let limit = shortcrust_vm::ModuleLimits::default().max_br_table_targets as usize;
    huge_br_table_runs_out_of_gas_exactly(limit);
}

// Attack: a 100,000-target `br_table` (compile-time and jump-table blow-up). Cranelift refuses
// more than 65,520 targets; the protocol refuses far fewer, before compiling, in its own words.
#[test]
fn a_br_table_over_the_limit_is_refused_before_compiling() {
    let labels: String = (0..=100_000).map(|_| "0 ").collect();
    let wat = format!(
        r#"(module (memory (export "memory") 1)
  (func (export "run") (block (br_table {labels} (i32.const 0)))))"#
    );
    let code = wat::parse_str(&wat).expect("valid wat");
    match session().deploy(&code, DeployOptions::default()) {
        Err(shortcrust_vm::DeployError::FunctionLimitExceeded {
            what, value, limit, ..
        }) => assert_eq!((what, value, limit), ("br_table targets", 100_000, 16_384)),
        other => panic!("{other:?}"),
    }
}

// ---- 3. maximum locals --------------------------------------------------------------------------

/// `$deep` has `locals` locals (its i32 parameter included), all live across its recursive call,
/// so that each native frame really holds them.
fn max_locals_wat(locals: u32) -> String {
    let mut body = String::new();
    for i in 1..locals {
        body.push_str(&format!(
            "(local.set {i} (i64.add (i64.extend_i32_u (local.get 0)) (i64.const {i})))\n"
        ));
    }
    body.push_str(
        "(local.set 1 (i64.add (local.get 1) (call $deep (i32.add (local.get 0) (i32.const 1)))))\n",
    );
    body.push_str("local.get 1\n");
    for i in 2..locals {
        body.push_str(&format!("local.get {i} i64.add\n"));
    }
    let declared = "i64 ".repeat(locals as usize - 1);
    format!(
        r#"(module
  (memory (export "memory") 1)
  (func $deep (param i32) (result i64) (local {declared})
    {body})
  (func (export "run") (drop (call $deep (i32.const 0)))))"#
    )
}

// Attack: frames as large as validation allows (4,096 live locals), recursing.
#[test]
fn maximum_locals_recursing_hit_the_stack_limit_and_one_more_is_refused() {
    let max = ModuleLimits::default().max_locals;
    assert_eq!(max, 4_096);
    let run = move || {
        let mut s = session();
        let id = deploy_wat(&mut s, &max_locals_wat(max));
        let before = s.changes();
        let r = s.call(id, "run", &[], GAS).expect("no VM fault");
        assert_eq!(s.changes(), before);
        r
    };
    let small = on_thread(256 * 1024, run);
    let large = on_thread(64 << 20, run);
    assert_eq!(
        small.result,
        Err(CallError::StackLimitExceeded(STACK_BUDGET_SLOTS))
    );
    assert!(small.gas_spent < GAS);
    assert_eq!(small, large);

    let code = wat::parse_str(format!(
        r#"(module (memory (export "memory") 1) (func (export "run") (local {})))"#,
        "i64 ".repeat(max as usize + 1)
    ))
    .expect("valid wat");
    let mut s = session();
    let before = s.changes();
    assert_eq!(
        s.deploy(&code, DeployOptions::default()),
        Err(DeployError::FunctionLimitExceeded {
            function: 0,
            what: "locals",
            value: u64::from(max) + 1,
            limit: u64::from(max),
        })
    );
    assert_eq!(s.changes(), before);
}

// ---- 4. NaN payloads ----------------------------------------------------------------------------

const F32_NANS: [u32; 6] = [
    0x7fa0_0001, // signalling, payload 1
    0xffc0_0123, // negative quiet, payload
    0x7fff_ffff, // all payload bits
    0xff80_0001, // negative signalling
    0x7fc0_0000, // canonical
    0xffc0_0000, // x86's default NaN
];
const F64_NANS: [u64; 6] = [
    0x7ff0_0000_0000_0001,
    0xfff8_0000_0000_0abc,
    0x7fff_ffff_ffff_ffff,
    0xfff4_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0xfff8_0000_0000_0000,
];
const CANONICAL_F32: u32 = 0x7fc0_0000;
const CANONICAL_F64: u64 = 0x7ff8_0000_0000_0000;

/// Arithmetic producing NaN from the input payloads (`$a` an f32 NaN, `$A` an f64 NaN) and from
/// ordinary operands read at run time: 0 at 32/48, 1 at 36/56, +inf at 40/64.
const F32_NAN_OPS: &[&str] = &[
    "(f32.div (f32.load (i32.const 32)) (f32.load (i32.const 32)))",
    "(f32.sqrt (f32.neg (f32.load (i32.const 36))))",
    "(f32.sqrt (f32.const -1))",
    "(f32.sub (f32.load (i32.const 40)) (f32.load (i32.const 40)))",
    "(f32.mul (f32.load (i32.const 32)) (f32.load (i32.const 40)))",
    "(f32.add (local.get $a) (f32.const 1))",
    "(f32.sub (f32.const 1) (local.get $a))",
    "(f32.mul (local.get $a) (local.get $a))",
    "(f32.div (local.get $a) (f32.const 2))",
    "(f32.sqrt (local.get $a))",
    "(f32.min (local.get $a) (f32.const 1))",
    "(f32.max (f32.const 1) (local.get $a))",
    "(f32.ceil (local.get $a))",
    "(f32.floor (local.get $a))",
    "(f32.trunc (local.get $a))",
    "(f32.nearest (local.get $a))",
    "(f32.demote_f64 (local.get $A))",
];
const F64_NAN_OPS: &[&str] = &[
    "(f64.div (f64.load (i32.const 48)) (f64.load (i32.const 48)))",
    "(f64.sqrt (f64.neg (f64.load (i32.const 56))))",
    "(f64.sqrt (f64.const -1))",
    "(f64.sub (f64.load (i32.const 64)) (f64.load (i32.const 64)))",
    "(f64.mul (f64.load (i32.const 48)) (f64.load (i32.const 64)))",
    "(f64.add (local.get $A) (f64.const 1))",
    "(f64.sub (f64.const 1) (local.get $A))",
    "(f64.mul (local.get $A) (local.get $A))",
    "(f64.div (local.get $A) (f64.const 2))",
    "(f64.sqrt (local.get $A))",
    "(f64.min (local.get $A) (f64.const 1))",
    "(f64.max (f64.const 1) (local.get $A))",
    "(f64.ceil (local.get $A))",
    "(f64.floor (local.get $A))",
    "(f64.trunc (local.get $A))",
    "(f64.nearest (local.get $A))",
    "(f64.promote_f32 (local.get $a))",
];

/// `run`: input is an f32 NaN (4 bytes) then an f64 NaN (8 bytes); outputs every result of
/// [`F32_NAN_OPS`] then [`F64_NAN_OPS`], then `f32.neg`/`f32.abs`/`f64.neg`/`f64.copysign` of the
/// inputs (bit operations, which the spec defines on the payload exactly).
fn nan_wat() -> String {
    let mut body = String::new();
    let mut at = 256;
    for op in F32_NAN_OPS {
        body.push_str(&format!(
            "(i32.store (i32.const {at}) (i32.reinterpret_f32 {op}))\n"
        ));
        at += 4;
    }
    for op in F64_NAN_OPS {
        body.push_str(&format!(
            "(i64.store (i32.const {at}) (i64.reinterpret_f64 {op}))\n"
        ));
        at += 8;
    }
    for op in ["(f32.neg (local.get $a))", "(f32.abs (local.get $a))"] {
        body.push_str(&format!(
            "(i32.store (i32.const {at}) (i32.reinterpret_f32 {op}))\n"
        ));
        at += 4;
    }
    for op in [
        "(f64.neg (local.get $A))",
        "(f64.copysign (local.get $A) (f64.const -1))",
    ] {
        body.push_str(&format!(
            "(i64.store (i32.const {at}) (i64.reinterpret_f64 {op}))\n"
        ));
        at += 8;
    }
    format!(
        r#"(module {IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 36) "\00\00\80\3f\00\00\80\7f")
  (data (i32.const 56) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\f0\7f")
  (func (export "run") (local $a f32) (local $A f64)
    (call $in (i32.const 0))
    (local.set $a (f32.load (i32.const 0)))
    (local.set $A (f64.load (i32.const 4)))
    {body}
    (call $out (i32.const 256) (i32.const {len}))))"#,
        len = at - 256
    )
}

// Attack: NaN-producing float arithmetic on non-canonical payloads, to make nodes disagree.
#[test]
fn nan_results_are_canonical_whatever_the_input_payload() {
    let wat = nan_wat();
    let runs: Vec<Vec<Vec<u8>>> = (0..3)
        .map(|_| {
            let mut s = session();
            let id = deploy_wat(&mut s, &wat);
            F32_NANS
                .iter()
                .zip(F64_NANS)
                .map(|(a, b)| {
                    let mut input = a.to_le_bytes().to_vec();
                    input.extend(b.to_le_bytes());
                    let r = s.call(id, "run", &input, GAS).expect("no VM fault");
                    r.result.expect("floats never trap")
                })
                .collect()
        })
        .collect();
    assert_eq!(runs[0], runs[1], "identical bytes on every run");
    assert_eq!(runs[0], runs[2], "identical bytes on every run");
    for ((out, a), b) in runs[0].iter().zip(F32_NANS).zip(F64_NANS) {
        let mut at = 0;
        for op in F32_NAN_OPS {
            let bits = i32_at(out, at) as u32;
            assert_eq!(bits, CANONICAL_F32, "{op} on {a:#x}: {bits:#x}");
            at += 4;
        }
        for op in F64_NAN_OPS {
            let bits = u64_at(out, at);
            assert_eq!(bits, CANONICAL_F64, "{op} on {b:#x}: {bits:#x}");
            at += 8;
        }
        // Sign operations are not arithmetic: they keep the payload, bit for bit.
        assert_eq!(i32_at(out, at) as u32, a ^ 0x8000_0000, "f32.neg {a:#x}");
        assert_eq!(
            i32_at(out, at + 4) as u32,
            a & 0x7fff_ffff,
            "f32.abs {a:#x}"
        );
        assert_eq!(u64_at(out, at + 8), b ^ (1 << 63), "f64.neg {b:#x}");
        assert_eq!(u64_at(out, at + 16), b | (1 << 63), "f64.copysign {b:#x}");
        assert_eq!(out.len(), at + 24);
    }
}

// ---- 5. re-entrancy -----------------------------------------------------------------------------

/// A: `outer` (input: B's id, the length of B's entry name as a u32, that name, then the name of
/// A's entry B must call back) writes k = "before", sets a global and a memory marker, calls B,
/// writes after = "yes", then outputs status, k (length, 6 bytes), k2 (length, 6 bytes),
/// return-data length and return data.
const REENTRANT_A: &str = r#"
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (data (i32.const 100) "k")
  (data (i32.const 101) "k2")
  (data (i32.const 103) "after")
  (data (i32.const 108) "before")
  (data (i32.const 114) "inner!")
  (data (i32.const 120) "clobbr")
  (data (i32.const 126) "yes")
  (data (i32.const 136) "re-entrant revert")
  (func (export "outer") (local $st i32) (local $len i32) (local $name i32)
    (call $in (i32.const 0))
    (local.set $name (i32.load (i32.const 32)))
    (global.set $g (i32.const 42))
    (i32.store (i32.const 900) (i32.const 0x5eed))
    (call $sw (i32.const 100) (i32.const 1) (i32.const 108) (i32.const 6))
    (local.set $st
      (call $call (i32.const 0) (i32.const 36) (local.get $name)
                  (i32.add (i32.const 36) (local.get $name))
                  (i32.sub (call $inlen) (i32.add (i32.const 36) (local.get $name)))
                  (i64.const 0)))
    (call $sw (i32.const 103) (i32.const 5) (i32.const 126) (i32.const 3))
    (i32.store (i32.const 1000) (local.get $st))
    (i32.store (i32.const 1004) (call $sr (i32.const 100) (i32.const 1) (i32.const 1008) (i32.const 6)))
    (i32.store (i32.const 1014) (call $sr (i32.const 101) (i32.const 2) (i32.const 1018) (i32.const 6)))
    (local.set $len (call $rdlen))
    (i32.store (i32.const 1024) (local.get $len))
    (call $rd (i32.const 1028))
    (call $out (i32.const 1000) (i32.add (i32.const 28) (local.get $len))))
  ;; Re-entered: outputs what it sees of k (length, 6 bytes), the global and the memory marker.
  (func (export "inner")
    (i32.store (i32.const 1000) (call $sr (i32.const 100) (i32.const 1) (i32.const 1004) (i32.const 6)))
    (i32.store (i32.const 1010) (global.get $g))
    (i32.store (i32.const 1014) (i32.load (i32.const 900)))
    (call $sw (i32.const 101) (i32.const 2) (i32.const 114) (i32.const 6))
    (call $out (i32.const 1000) (i32.const 18)))
  (func $clobber
    (call $sw (i32.const 100) (i32.const 1) (i32.const 120) (i32.const 6))
    (call $sw (i32.const 101) (i32.const 2) (i32.const 114) (i32.const 6))
    (call $emit (i32.const 101) (i32.const 2) (i32.const 0) (i32.const 0)))
  (func (export "inner_revert")
    (call $clobber)
    (call $revert (i32.const 136) (i32.const 17)))
  (func (export "inner_trap")
    (call $clobber)
    (drop (i32.div_u (i32.const 1) (i32.load (i32.const 904)))))
"#;

/// B: `reenter` calls back its caller's entry named by its input, writes b = status, and outputs
/// status ++ return data; `reenter_then_revert` does the same, then reverts.
const REENTRANT_B: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 600) "b")
  (data (i32.const 601) "B gives up")
  (func $reenter (local $len i32)
    (drop (call $caller (i32.const 0)))
    (call $in (i32.const 32))
    (i32.store (i32.const 500)
      (call $call (i32.const 0) (i32.const 32) (call $inlen) (i32.const 0) (i32.const 0) (i64.const 0)))
    (call $sw (i32.const 600) (i32.const 1) (i32.const 500) (i32.const 4))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 504))
    (call $out (i32.const 500) (i32.add (i32.const 4) (local.get $len))))
  (func (export "reenter") (call $reenter))
  (func (export "reenter_then_revert")
    (call $reenter)
    (call $revert (i32.const 601) (i32.const 10)))
"#;

struct Reentry {
    out: Vec<u8>,
    receipt: Receipt,
    session: Session,
    a: ContractId,
    b: ContractId,
}

fn reenter(b_entry: &str, inner: &str) -> Reentry {
    let mut s = session();
    let a = deploy_wat(&mut s, &format!("(module {IMPORTS} {REENTRANT_A})"));
    let b = deploy_wat(&mut s, &format!("(module {IMPORTS} {REENTRANT_B})"));
    let mut input = b.0.to_vec();
    input.extend((b_entry.len() as u32).to_le_bytes());
    input.extend(b_entry.as_bytes());
    input.extend(inner.as_bytes());
    let receipt = s.call(a, "outer", &input, GAS).expect("no VM fault");
    let out = receipt.result.clone().expect("A survives whatever B does");
    Reentry {
        out,
        receipt,
        session: s,
        a,
        b,
    }
}

/// What A's `outer` reports.
struct OuterView {
    status: i32,
    k: Option<Vec<u8>>,
    k2: Option<Vec<u8>>,
    return_data: Vec<u8>,
}

fn outer_view(out: &[u8]) -> OuterView {
    let read = |at: usize| match i32_at(out, at) {
        -1 => None,
        len => Some(out[at + 4..at + 4 + len as usize].to_vec()),
    };
    let len = i32_at(out, 24) as usize;
    assert_eq!(out.len(), 28 + len);
    OuterView {
        status: i32_at(out, 0),
        k: read(4),
        k2: read(14),
        return_data: out[28..].to_vec(),
    }
}

/// A change of one storage key: contract, key, value (`None`: removed).
type Change = (ContractId, Vec<u8>, Option<Vec<u8>>);

fn storage_of(s: &Session) -> Vec<Change> {
    s.changes()
        .storage
        .into_iter()
        .map(|((c, k), v)| (c, k, v))
        .collect()
}

fn sorted(mut v: Vec<Change>) -> Vec<Change> {
    v.sort();
    v
}

// Attack: B calls back into A while A's frame is paused mid-call, A writing before and after.
#[test]
fn reentrant_frame_sees_the_paused_frames_writes_and_fails_alone() {
    let entry = |c: ContractId, k: &str, v: &[u8]| (c, k.as_bytes().to_vec(), Some(v.to_vec()));

    // Success: the re-entrant frame sees A's write made before the call, but not A's globals or
    // memory (a fresh instance); A then sees the re-entrant frame's write.
    let r = reenter("reenter", "inner");
    let OuterView {
        status: st,
        k,
        k2,
        return_data: rd,
    } = outer_view(&r.out);
    assert_eq!(st, status::CALL_OK);
    assert_eq!(k.as_deref(), Some(&b"before"[..]));
    assert_eq!(k2.as_deref(), Some(&b"inner!"[..]));
    let mut inner = status::CALL_OK.to_le_bytes().to_vec();
    inner.extend(6i32.to_le_bytes());
    inner.extend(b"before");
    inner.extend(0i32.to_le_bytes()); // A's global in the re-entrant instance
    inner.extend(0i32.to_le_bytes()); // A's memory marker in the re-entrant instance
    assert_eq!(rd, inner);
    let depths: Vec<_> = r
        .receipt
        .calls
        .iter()
        .map(|c| (c.depth, c.contract))
        .collect();
    assert_eq!(depths, vec![(1, r.a), (2, r.b), (3, r.a)]);
    assert!(r.receipt.calls.iter().all(|c| c.error.is_none()));
    assert_eq!(
        storage_of(&r.session),
        sorted(vec![
            entry(r.a, "k", b"before"),
            entry(r.a, "k2", b"inner!"),
            entry(r.a, "after", b"yes"),
            entry(r.b, "b", &status::CALL_OK.to_le_bytes()),
        ])
    );

    // The re-entrant frame overwrites k, writes k2 and emits, then fails: only its own effects
    // are undone (A's earlier write to the same key is back), B's and A's others stay.
    for (inner, error, message) in [
        (
            "inner_revert",
            CallError::Reverted("re-entrant revert".into()),
            "re-entrant revert".to_string(),
        ),
        (
            "inner_trap",
            CallError::Trap(TrapCode::IntegerDivisionByZero),
            "trap: integer division by zero".to_string(),
        ),
    ] {
        let r = reenter("reenter", inner);
        let OuterView {
            status: st,
            k,
            k2,
            return_data: rd,
        } = outer_view(&r.out);
        assert_eq!(st, status::CALL_OK, "{inner}: B itself succeeded");
        assert_eq!(k.as_deref(), Some(&b"before"[..]), "{inner}");
        assert_eq!(k2, None, "{inner}");
        let failed = match &error {
            CallError::Reverted(_) => status::CALL_REVERTED,
            _ => status::CALL_TRAPPED,
        };
        let mut expected = failed.to_le_bytes().to_vec();
        expected.extend(message.as_bytes());
        assert_eq!(rd, expected, "{inner}");
        assert_eq!(r.receipt.calls[2].error, Some(error), "{inner}");
        assert!(r.receipt.events.is_empty(), "{inner}: its event is gone");
        assert_eq!(
            storage_of(&r.session),
            sorted(vec![
                entry(r.a, "k", b"before"),
                entry(r.a, "after", b"yes"),
                entry(r.b, "b", &failed.to_le_bytes()),
            ]),
            "{inner}"
        );
    }

    // The re-entrant frame succeeds but B fails after it: the re-entrant write goes with B.
    let r = reenter("reenter_then_revert", "inner");
    let OuterView {
        status: st,
        k,
        k2,
        return_data: rd,
    } = outer_view(&r.out);
    assert_eq!(st, status::CALL_REVERTED);
    assert_eq!(rd, b"B gives up");
    assert_eq!(k.as_deref(), Some(&b"before"[..]));
    assert_eq!(k2, None);
    assert_eq!(r.receipt.calls[2].error, None);
    assert_eq!(
        storage_of(&r.session),
        sorted(vec![
            entry(r.a, "k", b"before"),
            entry(r.a, "after", b"yes")
        ])
    );
}

// ---- 6. call depth with start functions ---------------------------------------------------------

/// `dive` checks that its start function ran once in this instance, then calls itself; outputs
/// its status ++ the return data. The start function fills memory and recurses 20 frames of 33
/// locals each.
const DIVER: &str = r#"
  (memory (export "memory") 1)
  (global $started (mut i32) (i32.const 0))
  (data (i32.const 0) "dive")
  (func $burn (param $n i32) (result i64)
    (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $e i64) (local $f i64)
    (local $g i64) (local $h i64) (local $i i64) (local $j i64) (local $k i64) (local $l i64)
    (local $m i64) (local $o i64) (local $p i64) (local $q i64) (local $r i64) (local $s i64)
    (local $t i64) (local $u i64) (local $v i64) (local $w i64) (local $x i64) (local $y i64)
    (local $z i64) (local $aa i64) (local $bb i64) (local $cc i64) (local $dd i64)
    (local $ee i64) (local $ff i64) (local $gg i64)
    (local.set $a (i64.extend_i32_u (local.get $n)))
    (local.set $gg (i64.mul (local.get $a) (i64.const 31)))
    (if (result i64) (i32.eqz (local.get $n))
      (then (i64.const 1))
      (else
        (i64.add (i64.add (local.get $a) (local.get $gg))
                 (call $burn (i32.sub (local.get $n) (i32.const 1)))))))
  (func $init
    (memory.fill (i32.const 1024) (i32.const 0xab) (i32.const 4096))
    (i64.store (i32.const 64) (call $burn (i32.const 20)))
    (global.set $started (i32.add (global.get $started) (i32.const 1))))
  (start $init)
  (func (export "dive") (local $st i32) (local $len i32)
    (if (i32.ne (global.get $started) (i32.const 1)) (then unreachable))
    (if (i32.ne (i32.load8_u (i32.const 5119)) (i32.const 0xab)) (then unreachable))
    (call $self (i32.const 32))
    (local.set $st
      (call $call (i32.const 32) (i32.const 0) (i32.const 4) (i32.const 0) (i32.const 0) (i64.const 0)))
    (i32.store (i32.const 8192) (local.get $st))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 8196))
    (call $out (i32.const 8192) (i32.add (i32.const 4) (local.get $len))))
"#;

// Attack: a chain of calls to the depth limit, each frame's start function using memory and stack.
#[test]
fn call_depth_exhaustion_with_start_functions_is_a_status_with_deterministic_gas() {
    let run = || {
        let mut s = session();
        let id = deploy_wat(&mut s, &format!("(module {IMPORTS} {DIVER})"));
        let a = s.call(id, "dive", &[], GAS).expect("no VM fault");
        let b = s.call(id, "dive", &[], GAS).expect("no VM fault");
        assert_eq!(a, b, "deterministic gas");
        assert!(s.changes().storage.is_empty());
        a
    };
    let small = on_thread(256 * 1024, run);
    let large = on_thread(64 << 20, run);
    assert_eq!(small, large);

    let mut expected = Vec::new();
    for _ in 1..MAX_CALL_DEPTH {
        expected.extend(status::CALL_OK.to_le_bytes());
    }
    expected.extend(status::CALL_DEPTH_EXCEEDED.to_le_bytes());
    expected.extend(
        CallError::DepthExceeded(MAX_CALL_DEPTH)
            .to_string()
            .as_bytes(),
    );
    assert_eq!(small.result, Ok(expected));
    let depths: Vec<u32> = small.calls.iter().map(|c| c.depth).collect();
    assert_eq!(depths, (1..=MAX_CALL_DEPTH).collect::<Vec<_>>());
    assert!(small.calls.iter().all(|c| c.error.is_none()));
    // Each frame paid for its start function and its callees out of its own gas.
    for pair in small.calls.windows(2) {
        assert!(pair[1].gas_limit < pair[0].gas_limit);
        assert!(pair[1].gas_spent < pair[0].gas_spent);
    }
}

// ---- 7. gas arithmetic at u64::MAX --------------------------------------------------------------

/// `fwd` (input: callee id, then an i64 gas request) records gas_left (g0), calls the callee's
/// `report` with that request, records gas_left (g1), and outputs g0, g1, status, and the
/// callee's output: its own gas_left on entry.
const GAS_FORWARDER: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 100) "report")
  (func (export "noop"))
  (func (export "report")
    (i64.store (i32.const 0) (call $gas))
    (call $out (i32.const 0) (i32.const 8)))
  (func (export "fwd") (local $req i64) (local $st i32)
    (call $in (i32.const 0))
    (local.set $req (i64.load (i32.const 32)))
    (i64.store (i32.const 200) (call $gas))
    (local.set $st
      (call $call (i32.const 0) (i32.const 100) (i32.const 6) (i32.const 0) (i32.const 0)
                  (local.get $req)))
    (i64.store (i32.const 208) (call $gas))
    (i32.store (i32.const 216) (local.get $st))
    (call $rd (i32.const 220))
    (call $out (i32.const 200) (i32.const 28)))
"#;

// Attack: gas limits at the top of the u64/i64 ranges, to overflow the VM's gas arithmetic.
#[test]
fn gas_at_u64_max_never_overflows() {
    // The helpers saturate.
    assert_eq!(gas::linear(u64::MAX, u64::MAX, u64::MAX), u64::MAX);
    assert_eq!(gas::deploy_cost(usize::MAX), u64::MAX);
    assert_eq!(gas::initial_memory_cost(u64::MAX), u64::MAX);

    let wat = format!("(module {IMPORTS} {GAS_FORWARDER})");
    let code = wat::parse_str(&wat).expect("valid wat");
    let mut s = session();
    // Deploy: a limit of u64::MAX, and one gas short of the price.
    let needed = gas::deploy_cost(code.len());
    let short = DeployOptions {
        gas_limit: needed - 1,
        ..DeployOptions::default()
    };
    assert_eq!(
        s.deploy(&code, short),
        Err(DeployError::OutOfGas {
            bytes: code.len(),
            needed,
            limit: needed - 1
        })
    );
    let deployed = s
        .deploy(
            &code,
            DeployOptions {
                gas_limit: u64::MAX,
                ..DeployOptions::default()
            },
        )
        .expect("deploy at u64::MAX");
    assert_eq!(deployed.gas_spent, needed);
    let id = deployed.id;

    // A top-level call with u64::MAX gas that returns at once (a module without data segments,
    // which are paid per byte at instantiation).
    let empty = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1) (func (export "noop")))"#,
    );
    for limit in [u64::MAX, u64::MAX - 1, i64::MAX as u64 + 1, GAS] {
        let r = s.call(empty, "noop", &[], limit).expect("no VM fault");
        assert_eq!(r.result, Ok(vec![]), "{limit}");
        assert_eq!(
            (r.gas_limit, r.gas_spent),
            (limit, EMPTY_CALL_GAS),
            "{limit}"
        );
        let q = s.query(empty, "noop", &[], limit).expect("no VM fault");
        assert_eq!(q, r, "{limit}");
    }
    // Exactly the transaction base: nothing left for the frame's memory.
    let r = s.call(empty, "noop", &[], TX_BASE).expect("no VM fault");
    assert_eq!((r.result, r.gas_spent), (Err(CallError::OutOfGas), TX_BASE));

    // A cross-contract call: whatever it asks for, the callee gets at most all but 1/64 of what
    // the caller has left.
    let mut spent = Vec::new();
    let mut overheads = Vec::new();
    for top in [GAS, u64::MAX] {
        for request in [0i64, -1, i64::MIN, i64::MAX, 1_000_000] {
            let mut input = id.0.to_vec();
            input.extend(request.to_le_bytes());
            let r = s.call(id, "fwd", &input, top).expect("no VM fault");
            let out = r.result.clone().expect("fwd succeeds");
            let (g0, g1, st, seen) = (
                u64_at(&out, 0),
                u64_at(&out, 8),
                i32_at(&out, 16),
                u64_at(&out, 20),
            );
            assert_eq!(st, status::CALL_OK, "{top} {request}");
            // What the caller had when `call` read its fuel: g0, less the `i64.store`, the
            // `local.get` and the `call` instruction, less the call's own price.
            use shortcrust_vm::gas::Class;
            let (local, call) = (crate::price(Class::Local), crate::price(Class::Call));
            let surcharge = crate::latest_schedule().host_call_surcharge();
            let remaining = g0 - crate::access_price(true) - local - call - CALL_BASE - surcharge;
            let cap = remaining - remaining / 64;
            let given = match u64::try_from(request) {
                Ok(0) | Err(_) => cap,
                Ok(asked) => asked.min(cap),
            };
            let callee = &r.calls[1];
            assert_eq!(callee.gas_limit, given, "{top} {request}");
            assert!(callee.gas_limit <= cap, "{top} {request}");
            assert_eq!(
                g1,
                remaining - callee.gas_spent - local - call - crate::host_base(),
                "{top} {request}: the caller is charged what the callee spent"
            );
            overheads.push(given - seen);
            spent.push((r.gas_spent, callee.gas_spent));
            assert!(r.gas_spent < GAS);
        }
    }
    // The same work costs the same whatever the limits.
    assert!(overheads.windows(2).all(|w| w[0] == w[1]), "{overheads:?}");
    assert!(spent.windows(2).all(|w| w[0] == w[1]), "{spent:?}");

    // A request of 1 gas: the callee cannot pay for its memory; it spent exactly its 1 gas.
    let mut input = id.0.to_vec();
    input.extend(1i64.to_le_bytes());
    let r = s.call(id, "fwd", &input, u64::MAX).expect("no VM fault");
    let out = r.result.expect("fwd survives");
    assert_eq!(i32_at(&out, 16), status::CALL_OUT_OF_GAS);
    assert_eq!(
        (r.calls[1].gas_limit, r.calls[1].gas_spent),
        (1, 1),
        "{:?}",
        r.calls[1]
    );
    assert_eq!(r.calls[1].error, Some(CallError::OutOfGas));
    assert!(s.changes().storage.is_empty());
}

// ---- 8. oversized arguments ---------------------------------------------------------------------

fn revert_long_message() -> String {
    "0123456789".repeat(200)
}

/// 1023 ASCII bytes, then a two-byte character straddling the 1024-byte limit, then more.
fn revert_straddling_message() -> Vec<u8> {
    let mut m = vec![b'a'; MAX_REVERT_LEN as usize - 1];
    m.extend("é".as_bytes());
    m.extend(vec![b'b'; 500]);
    m
}

fn wat_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}

/// Every entry first makes a valid write (which the failure must roll back), then one oversized
/// request. Five pages: every pointer range below is in bounds, so only the limit can fail it.
fn oversized_wat() -> String {
    let name = "n".repeat(MAX_ENTRY_NAME_LEN as usize);
    format!(
        r#"(module {IMPORTS}
  (memory (export "memory") 5)
  (data (i32.const 4096) "{long}")
  (data (i32.const 8192) "{straddling}")
  (data (i32.const 12288) "noop")
  (data (i32.const 12400) "{name}")
  (func $pre (call $sw (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
  (func (export "noop"))
  (func (export "{name}") (call $out (i32.const 12400) (i32.const 4)))
  (func (export "input_len")
    (i32.store (i32.const 0) (call $inlen)) (call $out (i32.const 0) (i32.const 4)))
  (func (export "key") (call $pre)
    (call $sw (i32.const 0) (i32.const {key}) (i32.const 1024) (i32.const 1)))
  (func (export "key_read") (call $pre)
    (drop (call $sr (i32.const 0) (i32.const {key}) (i32.const 2048) (i32.const 16))))
  (func (export "key_remove") (call $pre)
    (drop (call $srm (i32.const 0) (i32.const {key}))))
  (func (export "value") (call $pre)
    (call $sw (i32.const 0) (i32.const 1) (i32.const 0) (i32.const {value})))
  (func (export "topic") (call $pre)
    (call $emit (i32.const 0) (i32.const {topic}) (i32.const 0) (i32.const 1)))
  (func (export "data") (call $pre)
    (call $emit (i32.const 0) (i32.const 1) (i32.const 0) (i32.const {data})))
  (func (export "output") (call $pre)
    (call $out (i32.const 0) (i32.const {output})))
  (func (export "events") (local $i i32) (call $pre)
    (loop $l
      (call $emit (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.le_u (local.get $i) (i32.const {events})))))
  (func (export "revert_long") (call $pre)
    (call $revert (i32.const 4096) (i32.const {long_len})))
  (func (export "revert_straddling") (call $pre)
    (call $revert (i32.const 8192) (i32.const {straddling_len})))
  (func (export "revert_at_limit") (call $pre)
    (call $revert (i32.const 4096) (i32.const {revert})))
  (func (export "call_input") (call $pre)
    (call $self (i32.const 12300))
    (drop (call $call (i32.const 12300) (i32.const 12288) (i32.const 4)
                      (i32.const 0) (i32.const {input}) (i64.const 0))))
  (func (export "call_name") (call $pre)
    (call $self (i32.const 12300))
    (drop (call $call (i32.const 12300) (i32.const 12400) (i32.const {name_len})
                      (i32.const 0) (i32.const 0) (i64.const 0))))
  (func (export "at_limits") (local $st i32)
    (call $sw (i32.const 0) (i32.const {key_max}) (i32.const 0) (i32.const {value_max}))
    (drop (call $sr (i32.const 0) (i32.const {key_max}) (i32.const 0) (i32.const 16)))
    (call $emit (i32.const 0) (i32.const {topic_max}) (i32.const 0) (i32.const {data_max}))
    (call $self (i32.const 12300))
    (local.set $st (call $call (i32.const 12300) (i32.const 12288) (i32.const 4)
                               (i32.const 0) (i32.const {input_max}) (i64.const 0)))
    (if (local.get $st) (then unreachable))
    (local.set $st (call $call (i32.const 12300) (i32.const 12400) (i32.const {name_max})
                               (i32.const 0) (i32.const 0) (i64.const 0)))
    (if (local.get $st) (then unreachable))
    (call $out (i32.const 0) (i32.const {output_max}))))"#,
        long = revert_long_message(),
        long_len = revert_long_message().len(),
        straddling = wat_bytes(&revert_straddling_message()),
        straddling_len = revert_straddling_message().len(),
        revert = MAX_REVERT_LEN,
        key = MAX_KEY_LEN + 1,
        value = MAX_VALUE_LEN + 1,
        topic = MAX_EVENT_TOPIC_LEN + 1,
        data = MAX_EVENT_DATA_LEN + 1,
        output = MAX_OUTPUT_LEN + 1,
        events = MAX_EVENTS_PER_CALL,
        input = MAX_INPUT_LEN + 1,
        name_len = MAX_ENTRY_NAME_LEN + 1,
        key_max = MAX_KEY_LEN,
        value_max = MAX_VALUE_LEN,
        topic_max = MAX_EVENT_TOPIC_LEN,
        data_max = MAX_EVENT_DATA_LEN,
        input_max = MAX_INPUT_LEN,
        name_max = MAX_ENTRY_NAME_LEN,
        output_max = MAX_OUTPUT_LEN,
    )
}

// Attack: every length one past its limit (keys, values, events, output, revert, input, names).
#[test]
fn oversized_arguments_fail_with_the_exact_limit() {
    let wat = oversized_wat();
    let hostile = |s: &mut Session, id: ContractId| {
        let cases = [
            (
                "key",
                limit_exceeded("storage key length", MAX_KEY_LEN + 1, MAX_KEY_LEN),
            ),
            (
                "key_read",
                limit_exceeded("storage key length", MAX_KEY_LEN + 1, MAX_KEY_LEN),
            ),
            (
                "key_remove",
                limit_exceeded("storage key length", MAX_KEY_LEN + 1, MAX_KEY_LEN),
            ),
            (
                "value",
                limit_exceeded("storage value length", MAX_VALUE_LEN + 1, MAX_VALUE_LEN),
            ),
            (
                "topic",
                limit_exceeded(
                    "event topic length",
                    MAX_EVENT_TOPIC_LEN + 1,
                    MAX_EVENT_TOPIC_LEN,
                ),
            ),
            (
                "data",
                limit_exceeded(
                    "event data length",
                    MAX_EVENT_DATA_LEN + 1,
                    MAX_EVENT_DATA_LEN,
                ),
            ),
            (
                "output",
                limit_exceeded("output length", MAX_OUTPUT_LEN + 1, MAX_OUTPUT_LEN),
            ),
            (
                "events",
                limit_exceeded(
                    "events per call",
                    MAX_EVENTS_PER_CALL + 1,
                    MAX_EVENTS_PER_CALL,
                ),
            ),
            (
                "call_input",
                limit_exceeded("call input length", MAX_INPUT_LEN + 1, MAX_INPUT_LEN),
            ),
            (
                "call_name",
                limit_exceeded(
                    "entry name length",
                    MAX_ENTRY_NAME_LEN + 1,
                    MAX_ENTRY_NAME_LEN,
                ),
            ),
            (
                "revert_long",
                CallError::Reverted(revert_long_message()[..MAX_REVERT_LEN as usize].into()),
            ),
            (
                "revert_straddling",
                CallError::Reverted("a".repeat(MAX_REVERT_LEN as usize - 1)),
            ),
            (
                "revert_at_limit",
                CallError::Reverted(revert_long_message()[..MAX_REVERT_LEN as usize].into()),
            ),
        ];
        for (entry, expected) in cases {
            assert_eq!(fails(s, id, entry, &[]), expected, "{entry}");
        }

        // At the top level: refused before running, nothing charged, nothing changed.
        let before = s.changes();
        let input = vec![7u8; MAX_INPUT_LEN as usize + 1];
        match s.call(id, "noop", &input, GAS) {
            Err(VmError::Refused(e)) => assert_eq!(
                e,
                limit_exceeded("call input length", MAX_INPUT_LEN + 1, MAX_INPUT_LEN)
            ),
            other => panic!("oversized input: {other:?}"),
        }
        let name = "n".repeat(MAX_ENTRY_NAME_LEN as usize + 1);
        match s.call(id, &name, &[], GAS) {
            Err(VmError::Refused(e)) => assert_eq!(
                e,
                limit_exceeded(
                    "entry name length",
                    MAX_ENTRY_NAME_LEN + 1,
                    MAX_ENTRY_NAME_LEN
                )
            ),
            other => panic!("oversized entry name: {other:?}"),
        }
        match s.query(id, &name, &input, u64::MAX) {
            Err(VmError::Refused(CallError::LimitExceeded { .. })) => {}
            other => panic!("oversized query: {other:?}"),
        }
        assert_eq!(s.changes(), before);
    };

    // Same root as a session that never made the hostile calls.
    let vm = Vm::ephemeral().expect("vm");
    let clean = committed_root(&vm, &wat, |_, _| {});
    let attacked = committed_root(&vm, &wat, hostile);
    assert_eq!(attacked, clean);
}

// Control for the case above: exactly at every limit, each request succeeds.
#[test]
fn arguments_exactly_at_their_limits_succeed() {
    let mut s = session();
    let id = deploy_wat(&mut s, &oversized_wat());
    let r = call(&mut s, id, "at_limits");
    assert_eq!(
        r.result.as_ref().map(Vec::len),
        Ok(MAX_OUTPUT_LEN as usize),
        "{:?}",
        r.result.as_ref().err()
    );
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].topic.len(), MAX_EVENT_TOPIC_LEN as usize);
    assert_eq!(r.events[0].data.len(), MAX_EVENT_DATA_LEN as usize);
    let storage = s.changes().storage;
    assert_eq!(storage.len(), 1);
    let ((_, key), value) = storage.iter().next().unwrap();
    assert_eq!(key.len(), MAX_KEY_LEN as usize);
    assert_eq!(value.as_ref().map(Vec::len), Some(MAX_VALUE_LEN as usize));

    let input = vec![7u8; MAX_INPUT_LEN as usize];
    let r = s.call(id, "input_len", &input, GAS).expect("no VM fault");
    assert_eq!(r.result, Ok(MAX_INPUT_LEN.to_le_bytes().to_vec()));
    let name = "n".repeat(MAX_ENTRY_NAME_LEN as usize);
    assert_eq!(call(&mut s, id, &name).result, Ok(b"nnnn".to_vec()));
}

// ---- 9. out-of-bounds pointers ------------------------------------------------------------------

/// Every entry makes a valid write first (which the failure must roll back), then passes a range
/// starting at the last byte of its one page (65,535) with length 2, or 32 for a contract id.
const OUT_OF_BOUNDS: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 200) "two")
  (func $pre (call $sw (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
  (func (export "two")
    (call $sw (i32.const 200) (i32.const 3) (i32.const 200) (i32.const 3))
    (call $out (i32.const 200) (i32.const 2)))
  (func (export "storage_write_key") (call $pre)
    (call $sw (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 1)))
  (func (export "storage_write_value") (call $pre)
    (call $sw (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2)))
  (func (export "storage_read_key") (call $pre)
    (drop (call $sr (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 1))))
  (func (export "storage_read_out") (call $pre)
    (drop (call $sr (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2))))
  (func (export "storage_remove_key") (call $pre)
    (drop (call $srm (i32.const 65535) (i32.const 2))))
  (func (export "emit_topic") (call $pre)
    (call $emit (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 1)))
  (func (export "emit_data") (call $pre)
    (call $emit (i32.const 0) (i32.const 1) (i32.const 65535) (i32.const 2)))
  (func (export "output_write") (call $pre)
    (call $out (i32.const 65535) (i32.const 2)))
  (func (export "output_fits")
    (i32.store16 (i32.const 65534) (i32.const 0x4241))
    (call $out (i32.const 65534) (i32.const 2)))
  (func (export "input_read") (call $pre)
    (call $in (i32.const 65535)))
  (func (export "revert") (call $pre)
    (call $revert (i32.const 65535) (i32.const 2)))
  (func (export "revert_huge") (call $pre)
    (call $revert (i32.const 0) (i32.const -1)))
  (func (export "self_id") (call $pre)
    (call $self (i32.const 65535)))
  (func (export "return_data_read") (call $pre)
    (call $self (i32.const 100))
    (if (call $call (i32.const 100) (i32.const 200) (i32.const 3) (i32.const 0) (i32.const 0)
                    (i64.const 0))
      (then unreachable))
    (if (i32.ne (call $rdlen) (i32.const 2)) (then unreachable))
    (call $rd (i32.const 65535)))
  (func (export "call_id") (call $pre)
    (drop (call $call (i32.const 65535) (i32.const 200) (i32.const 3) (i32.const 0) (i32.const 0)
                      (i64.const 0))))
  (func (export "call_name") (call $pre)
    (call $self (i32.const 100))
    (drop (call $call (i32.const 100) (i32.const 65535) (i32.const 2) (i32.const 0) (i32.const 0)
                      (i64.const 0))))
  (func (export "call_input") (call $pre)
    (call $self (i32.const 100))
    (drop (call $call (i32.const 100) (i32.const 200) (i32.const 3) (i32.const 65535) (i32.const 2)
                      (i64.const 0))))
"#;

// Attack: pointers to the last byte of memory with a length running one byte past the end.
#[test]
fn out_of_bounds_pointers_fail_with_the_exact_range() {
    let wat = format!("(module {IMPORTS} {OUT_OF_BOUNDS})");
    let oob = |ptr: u32, len: u32| CallError::MemoryOutOfBounds { ptr, len };
    let hostile = |s: &mut Session, id: ContractId| {
        for (entry, input, expected) in [
            ("storage_write_key", &[][..], oob(65535, 2)),
            ("storage_write_value", &[], oob(65535, 2)),
            ("storage_read_key", &[], oob(65535, 2)),
            ("storage_read_out", &[], oob(65535, 2)),
            ("storage_remove_key", &[], oob(65535, 2)),
            ("emit_topic", &[], oob(65535, 2)),
            ("emit_data", &[], oob(65535, 2)),
            ("output_write", &[], oob(65535, 2)),
            ("input_read", &[1, 2], oob(65535, 2)),
            ("revert", &[], oob(65535, 2)),
            ("revert_huge", &[], oob(0, u32::MAX)),
            ("self_id", &[], oob(65535, 32)),
            ("return_data_read", &[], oob(65535, 2)),
            ("call_id", &[], oob(65535, 32)),
            ("call_name", &[], oob(65535, 2)),
            ("call_input", &[], oob(65535, 2)),
        ] {
            assert_eq!(fails(s, id, entry, input), expected, "{entry}");
        }
        // The same range one byte lower is in bounds.
        let r = call(s, id, "output_fits");
        assert_eq!(r.result, Ok(b"AB".to_vec()));
        // The input fits in its last two bytes too: an empty input writes nothing.
        let r = s.call(id, "input_read", &[], GAS).expect("no VM fault");
        assert_eq!(r.result, Ok(vec![]));
        assert_eq!(s.changes().storage.len(), 1, "only the last call's write");
    };
    let vm = Vm::ephemeral().expect("vm");
    let clean = committed_root(&vm, &wat, |s, id| {
        assert!(
            s.call(id, "input_read", &[], GAS)
                .expect("no VM fault")
                .result
                .is_ok()
        );
    });
    let attacked = committed_root(&vm, &wat, hostile);
    assert_eq!(
        attacked, clean,
        "the hostile calls left no trace in the state"
    );
}

// ---- 10. storage isolation ----------------------------------------------------------------------

/// `set` stores its input under "owner"; `get` outputs it (or "absent"); `forge` (input: the
/// victim's id) writes "owner", victim id ++ "owner" and the bare victim id, all to "mallory";
/// `wipe` removes "owner".
const VAULT: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 0) "owner")
  (data (i32.const 16) "mallory")
  (data (i32.const 32) "absent")
  (func (export "set") (local $n i32)
    (local.set $n (call $inlen))
    (call $in (i32.const 1024))
    (call $sw (i32.const 0) (i32.const 5) (i32.const 1024) (local.get $n)))
  (func (export "get") (local $n i32)
    (local.set $n (call $sr (i32.const 0) (i32.const 5) (i32.const 1024) (i32.const 64)))
    (if (i32.eq (local.get $n) (i32.const -1))
      (then (call $out (i32.const 32) (i32.const 6)))
      (else (call $out (i32.const 1024) (local.get $n)))))
  (func (export "forge")
    (call $in (i32.const 100))
    (i32.store (i32.const 132) (i32.load (i32.const 0)))
    (i32.store8 (i32.const 136) (i32.load8_u (i32.const 4)))
    (call $sw (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 7))
    (call $sw (i32.const 100) (i32.const 37) (i32.const 16) (i32.const 7))
    (call $sw (i32.const 100) (i32.const 32) (i32.const 16) (i32.const 7)))
  (func (export "wipe")
    (i32.store (i32.const 2000) (call $srm (i32.const 0) (i32.const 5)))
    (call $out (i32.const 2000) (i32.const 4)))
"#;

// Attack: contract A writes and removes B's key bytes (plain and prefixed with B's id).
#[test]
fn a_contract_cannot_touch_another_contracts_storage() {
    let wat = format!("(module {IMPORTS} {VAULT})");
    let vm = Vm::ephemeral().expect("vm");
    let mut setup = vm.session(SessionConfig::default()).expect("session");
    let a = deploy_nonce(&mut setup, &wat, 0);
    let b = deploy_nonce(&mut setup, &wat, 1);
    assert_ne!(a, b);
    assert!(
        setup
            .call(b, "set", b"bob", GAS)
            .expect("no VM fault")
            .result
            .is_ok()
    );
    let base = setup.commit().expect("commit");

    let mut s = vm.session(SessionConfig::default()).expect("session");
    assert_eq!(s.base_root(), base);
    assert_eq!(call(&mut s, a, "get").result, Ok(b"absent".to_vec()));
    let r = s.call(a, "forge", &b.0, GAS).expect("no VM fault");
    assert!(r.result.is_ok(), "{:?}", r.result);
    assert_eq!(call(&mut s, a, "get").result, Ok(b"mallory".to_vec()));
    assert_eq!(call(&mut s, b, "get").result, Ok(b"bob".to_vec()));
    assert_eq!(
        call(&mut s, a, "wipe").result,
        Ok(1i32.to_le_bytes().to_vec())
    );
    assert_eq!(
        call(&mut s, a, "wipe").result,
        Ok(0i32.to_le_bytes().to_vec())
    );
    assert_eq!(call(&mut s, b, "get").result, Ok(b"bob".to_vec()));

    let changes = s.changes();
    assert!(changes.contracts.is_empty() && changes.code.is_empty());
    let mut prefixed = b.0.to_vec();
    prefixed.extend(b"owner");
    let expected = sorted(vec![
        (a, b"owner".to_vec(), None),
        (a, prefixed, Some(b"mallory".to_vec())),
        (a, b.0.to_vec(), Some(b"mallory".to_vec())),
    ]);
    assert_eq!(storage_of(&s), expected, "A's contract id only");

    let root = s.commit().expect("commit");
    let mut after = vm
        .session(SessionConfig {
            root: Some(root),
            ..SessionConfig::default()
        })
        .expect("session");
    assert_eq!(call(&mut after, b, "get").result, Ok(b"bob".to_vec()));
    assert_eq!(call(&mut after, a, "get").result, Ok(b"absent".to_vec()));
}

// ---- 11. rollback of a failing callee -----------------------------------------------------------

/// `parent` (input: child id, leaf id, i64 gas for the child, child entry name) emits and writes
/// p1, calls the child, writes and emits p2, outputs status ++ return data. Each `child_*` emits
/// and writes c, calls `leaf` (which emits and writes g, successfully), then fails its own way.
const NODE: &str = r#"
  (memory (export "memory") 1)
  (data (i32.const 300) "p1p2")
  (data (i32.const 310) "c")
  (data (i32.const 320) "leaf")
  (data (i32.const 330) "g")
  (data (i32.const 340) "child gives up")
  (func (export "parent") (local $len i32)
    (call $in (i32.const 0))
    (call $emit (i32.const 300) (i32.const 2) (i32.const 0) (i32.const 0))
    (call $sw (i32.const 300) (i32.const 2) (i32.const 300) (i32.const 2))
    (i32.store (i32.const 1000)
      (call $call (i32.const 0) (i32.const 72) (i32.sub (call $inlen) (i32.const 72))
                  (i32.const 32) (i32.const 32) (i64.load (i32.const 64))))
    (call $sw (i32.const 302) (i32.const 2) (i32.const 302) (i32.const 2))
    (call $emit (i32.const 302) (i32.const 2) (i32.const 0) (i32.const 0))
    (local.set $len (call $rdlen))
    (call $rd (i32.const 1004))
    (call $out (i32.const 1000) (i32.add (i32.const 4) (local.get $len))))
  (func $effects_and_leaf
    (call $in (i32.const 0))
    (call $emit (i32.const 310) (i32.const 1) (i32.const 0) (i32.const 0))
    (call $sw (i32.const 310) (i32.const 1) (i32.const 310) (i32.const 1))
    (i32.store (i32.const 500)
      (call $call (i32.const 0) (i32.const 320) (i32.const 4) (i32.const 0) (i32.const 0) (i64.const 0)))
    (if (i32.load (i32.const 500)) (then unreachable)))
  (func (export "child_ok") (call $effects_and_leaf) (call $out (i32.const 320) (i32.const 4)))
  (func (export "child_revert") (call $effects_and_leaf) (call $revert (i32.const 340) (i32.const 14)))
  (func (export "child_trap") (call $effects_and_leaf) unreachable)
  (func (export "child_oog") (call $effects_and_leaf) (loop $l (br $l)))
  (func (export "leaf")
    (call $emit (i32.const 330) (i32.const 1) (i32.const 0) (i32.const 0))
    (call $sw (i32.const 330) (i32.const 1) (i32.const 330) (i32.const 1))
    (call $out (i32.const 320) (i32.const 4)))
"#;

// Attack: a callee (and its successful grandchild) emit and write, then the callee fails.
#[test]
fn failing_callee_events_and_writes_roll_back_while_the_callers_survive() {
    const CHILD_GAS: u64 = 50_000_000;
    let wat = format!("(module {IMPORTS} {NODE})");
    let run = |child_entry: &str| {
        let mut s = session();
        let (p, c, l) = (
            deploy_nonce(&mut s, &wat, 0),
            deploy_nonce(&mut s, &wat, 1),
            deploy_nonce(&mut s, &wat, 2),
        );
        let mut input = c.0.to_vec();
        input.extend(l.0);
        input.extend(CHILD_GAS.to_le_bytes());
        input.extend(child_entry.as_bytes());
        let r = s.call(p, "parent", &input, GAS).expect("no VM fault");
        (r, storage_of(&s), [p, c, l])
    };
    let event = |r: &Receipt| -> Vec<(ContractId, Vec<u8>)> {
        r.events
            .iter()
            .map(|e| (e.contract, e.topic.clone()))
            .collect()
    };
    let put = |c: ContractId, k: &str| (c, k.as_bytes().to_vec(), Some(k.as_bytes().to_vec()));

    // Control: everything survives, in emission order.
    let (r, storage, [p, c, l]) = run("child_ok");
    let mut out = status::CALL_OK.to_le_bytes().to_vec();
    out.extend(b"leaf");
    assert_eq!(r.result, Ok(out));
    assert_eq!(
        event(&r),
        vec![
            (p, b"p1".to_vec()),
            (c, b"c".to_vec()),
            (l, b"g".to_vec()),
            (p, b"p2".to_vec())
        ]
    );
    assert_eq!(
        storage,
        sorted(vec![put(p, "p1"), put(p, "p2"), put(c, "c"), put(l, "g")])
    );

    for (entry, error, st, message) in [
        (
            "child_revert",
            CallError::Reverted("child gives up".into()),
            status::CALL_REVERTED,
            "child gives up".to_string(),
        ),
        (
            "child_trap",
            CallError::Trap(TrapCode::Unreachable),
            status::CALL_TRAPPED,
            CallError::Trap(TrapCode::Unreachable).to_string(),
        ),
        (
            "child_oog",
            CallError::OutOfGas,
            status::CALL_OUT_OF_GAS,
            CallError::OutOfGas.to_string(),
        ),
    ] {
        let (r, storage, [p, c, l]) = run(entry);
        let mut out = st.to_le_bytes().to_vec();
        out.extend(message.as_bytes());
        assert_eq!(r.result, Ok(out), "{entry}");
        assert_eq!(
            event(&r),
            vec![(p, b"p1".to_vec()), (p, b"p2".to_vec())],
            "{entry}: only the caller's events"
        );
        assert_eq!(
            storage,
            sorted(vec![put(p, "p1"), put(p, "p2")]),
            "{entry}: only the caller's writes"
        );
        let frames: Vec<_> = r
            .calls
            .iter()
            .map(|f| (f.depth, f.contract, f.error.clone()))
            .collect();
        assert_eq!(
            frames,
            vec![(1, p, None), (2, c, Some(error)), (3, l, None)],
            "{entry}: the leaf succeeded, and went down with its parent"
        );
        assert_eq!(r.calls[1].gas_limit, CHILD_GAS, "{entry}");
        if entry == "child_oog" {
            assert_eq!(r.calls[1].gas_spent, CHILD_GAS);
        }
    }
}
