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

mod arguments;
mod calls;

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

/// A change of one storage key: contract, key, value (`None`: removed).
type Change = (ContractId, Vec<u8>, Option<Vec<u8>>);

/// The session's storage changes as [`Change`]s.
fn storage_of(s: &Session) -> Vec<Change> {
    s.changes()
        .storage
        .into_iter()
        .map(|((c, k), v)| (c, k, v))
        .collect()
}

/// `v`, sorted.
fn sorted(mut v: Vec<Change>) -> Vec<Change> {
    v.sort();
    v
}
