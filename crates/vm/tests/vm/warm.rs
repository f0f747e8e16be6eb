//! Warm instances (`VmConfig::warm_instances`): a later frame of a contract runs in the reset
//! instance of an earlier one, and must not be able to tell. Each probe reads everything a
//! frame can see of its instance (globals exported or not, data segments, memory beyond them)
//! and then dirties all of it; every frame must read what a fresh instance holds.

use shortcrust_vm::{DeployOptions, SessionConfig, Vm, VmConfig};

use crate::{call, deploy_wat, session};

/// `probe`: folds two mutable globals (one exported, one not), two data segments and 16 words
/// spread over both pages into one number, outputs it, then changes every one of them.
const PROBE_WAT: &str = r#"(module
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (memory (export "memory") 2)
  (global $g (mut i64) (i64.const 7))
  (global $h (export "h") (mut i32) (i32.const 100))
  (global $k i32 (i32.const 3))
  (data (i32.const 1000) "shortcrust")
  (data (i32.const 70000) "\01\02\03")
  (func $start (global.set $g (i64.add (global.get $g) (i64.const 2))))
  (start $start)
  (func (export "probe") (local $a i32) (local $acc i64)
    (local.set $acc (i64.add (global.get $g) (i64.extend_i32_u (global.get $h))))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (global.get $k))))
    (local.set $acc (i64.add (local.get $acc) (i64.load (i32.const 1000))))
    (local.set $acc (i64.add (local.get $acc) (i64.load8_u (i32.const 70001))))
    (local.set $a (i32.const 16))
    (loop $l
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
                               (i64.load (local.get $a))))
      (i64.store (local.get $a) (i64.const 0x5A5A5A5A5A5A5A5A))
      (local.set $a (i32.add (local.get $a) (i32.const 8184)))
      (br_if $l (i32.lt_u (local.get $a) (i32.const 131000))))
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (global.set $h (i32.const 0))
    (i64.store (i32.const 1000) (i64.const -1))
    (i32.store8 (i32.const 70001) (i32.const 9))
    (i64.store (i32.const 0) (local.get $acc))
    (call $out (i32.const 0) (i32.const 8)))
  (func (export "trap") (i64.store (i32.const 1000) (i64.const -1)) unreachable))"#;

/// Calls `probe` `rounds` times in one session of a VM keeping `warm` instances; returns each
/// receipt's output and gas, and how many instances the session kept.
fn probes(warm: usize, rounds: usize) -> (Vec<(Vec<u8>, u64)>, usize) {
    let vm = Vm::with_store(
        std::sync::Arc::new(shortcrust_store::MemoryStore::new()),
        VmConfig {
            warm_instances: warm,
            ..VmConfig::default()
        },
    )
    .expect("vm");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let code = wat::parse_str(PROBE_WAT).expect("wat");
    let id = s
        .deploy(&code, DeployOptions::default())
        .expect("deploy")
        .id;
    let mut out = Vec::new();
    for round in 0..rounds {
        let r = call(&mut s, id, "probe");
        let output = r
            .result
            .clone()
            .unwrap_or_else(|e| panic!("round {round}: {e:?}"));
        out.push((output, r.gas_spent));
        if round == 2 {
            // A trapping frame in between: its instance is dropped, not reset.
            assert!(call(&mut s, id, "trap").result.is_err());
        }
    }
    (out, s.warm_instances())
}

#[test]
fn a_warm_frame_sees_exactly_what_a_fresh_instance_holds() {
    let (warm, kept) = probes(4, 6);
    assert_eq!(kept, 1, "the probe's instance is kept warm");
    let (cold, none) = probes(0, 6);
    assert_eq!(none, 0, "no instance is kept when the knob is 0");
    // Every frame, warm or fresh, reads the fresh state: same output and gas each round...
    assert!(warm.iter().all(|r| *r == warm[0]), "{warm:?}");
    // ...and the same as with every frame in a fresh instance.
    assert_eq!(warm, cold);
}

#[test]
fn instances_that_changed_tables_segments_or_memory_size_or_exceed_the_resident_memory_are_not_reused()
 {
    let mutators = [
        // table.set: elements are instance state the reset does not restore.
        r#"(module (memory (export "memory") 1) (table 1 funcref) (func $f)
             (elem declare func $f)
             (func (export "run") (table.set (i32.const 0) (ref.func $f))))"#,
        // data.drop: a dropped segment stays dropped.
        r#"(module (memory (export "memory") 1) (data "x")
             (func (export "run") (data.drop 0)))"#,
        // memory.grow: a memory cannot shrink back.
        r#"(module (memory (export "memory") 1 4)
             (func (export "run") (drop (memory.grow (i32.const 1)))))"#,
        // More memory than the pool keeps resident (4 pages): a fresh frame starts with those
        // pages unmapped, and pays for it; a reset would keep them resident.
        r#"(module (memory (export "memory") 5) (func (export "run")))"#,
    ];
    for wat in mutators {
        let mut s = session();
        let id = deploy_wat(&mut s, wat);
        let gas: Vec<u64> = (0..4)
            .map(|_| {
                let r = call(&mut s, id, "run");
                assert_eq!(r.result, Ok(Vec::new()), "{wat}");
                r.gas_spent
            })
            .collect();
        assert_eq!(s.warm_instances(), 0, "{wat}");
        assert!(gas.iter().all(|g| *g == gas[0]), "{wat}: {gas:?}");
    }
    // The control: the same shape without a mutation is kept.
    let mut s = session();
    let id = deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1) (func (export "run")))"#,
    );
    for _ in 0..3 {
        assert_eq!(call(&mut s, id, "run").result, Ok(Vec::new()));
    }
    assert_eq!(s.warm_instances(), 1);
}

#[test]
fn a_warm_instance_serves_later_calls_at_the_same_gas() {
    let mut s = session();
    let id = deploy_wat(&mut s, crate::COUNTER_WAT);
    let receipts: Vec<_> = (1..=5u64)
        .map(|n| {
            let r = call(&mut s, id, "increment");
            assert_eq!(r.result, Ok(n.to_le_bytes().to_vec()));
            r.gas_spent
        })
        .collect();
    assert!(receipts.iter().all(|g| *g == receipts[0]), "{receipts:?}");
    assert_eq!(s.warm_instances(), 1);
}

#[test]
fn idle_warm_instances_give_their_pool_slots_to_a_frame_that_needs_one() {
    // A pool of one instance: the session keeps each contract's instance after its frame, and
    // the other contract's frame must still get the slot (the idle instance is dropped for it),
    // never fail with `InstancePoolExhausted`.
    let vm = Vm::with_store(
        std::sync::Arc::new(shortcrust_store::MemoryStore::new()),
        VmConfig {
            pool_instances: 1,
            ..VmConfig::default()
        },
    )
    .expect("vm");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    let a = deploy_wat(&mut s, crate::COUNTER_WAT);
    // Another module (one more global), so not an instance of the same compiled module.
    let other = crate::COUNTER_WAT
        .trim_end()
        .strip_suffix(')')
        .expect("module");
    let b = deploy_wat(&mut s, &format!("{other} (global i32 (i32.const 1)))"));
    for n in 1..=3u64 {
        for id in [a, b] {
            let r = call(&mut s, id, "increment");
            assert_eq!(r.result, Ok(n.to_le_bytes().to_vec()), "round {n}");
        }
    }
    assert_eq!(
        s.warm_instances(),
        1,
        "the last contract's instance is kept"
    );
}
