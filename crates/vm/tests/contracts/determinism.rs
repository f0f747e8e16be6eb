//! Differential determinism: the example-contract scenario yields bit-identical receipts, gas,
//! events and state roots (a) in two processes, (b) on threads with 256 KiB and 64 MiB stacks,
//! (c) with Cranelift at `OptLevel::None` and `OptLevel::Speed`, (d) with and without warm
//! instances (`VmConfig::warm_instances`: later frames of a contract reuse a reset instance).
//!
//! The scenario is summarised as the `Debug` text of every receipt and root in order (no hash
//! maps anywhere in a receipt), hashed with BLAKE2b; any difference changes the digest, and the
//! first differing step is printed.

use std::sync::Arc;

use shortcrust_store::MemoryStore;
use shortcrust_test_contracts::{CALLER, COMPUTE, COUNTER, HOSTILE, TOKEN};
use shortcrust_vm::{DeployOptions, OptLevel, SessionConfig, Vm, VmConfig};

use super::{ALICE, BOB, GAS, OWNER, encode, set_sender};

/// Runs every example contract through successes and each kind of failure, twice (so that the
/// second round runs in warm instances, when there are any); returns one line per step.
fn scenario_with(opt_level: OptLevel, warm_instances: usize) -> Vec<String> {
    let vm = Vm::with_store(
        Arc::new(MemoryStore::new()),
        VmConfig {
            opt_level,
            warm_instances,
            ..VmConfig::default()
        },
    )
    .expect("vm");
    let mut s = vm.session(SessionConfig::default()).expect("session");
    set_sender(&mut s, OWNER);
    let mut lines = Vec::new();
    let mut deploy = |s: &mut shortcrust_vm::Session, code: &[u8]| {
        let d = s.deploy(code, DeployOptions::default()).expect("deploy");
        lines.push(format!("{d:?}"));
        d.id
    };
    let counter = deploy(&mut s, COUNTER);
    let token = deploy(&mut s, TOKEN);
    let caller = deploy(&mut s, CALLER);
    let hostile = deploy(&mut s, HOSTILE);
    let compute = deploy(&mut s, COMPUTE);
    let steps: Vec<(_, &str, Vec<u8>, u64)> = vec![
        (counter, "increment", vec![], GAS),
        (counter, "add", encode(&5u64), GAS),
        (counter, "add", vec![1], GAS),
        (token, "init", encode(&1_000u64), GAS),
        (token, "transfer", encode(&(ALICE, 100u64)), GAS),
        (token, "transfer", encode(&(BOB, 5_000u64)), GAS),
        (token, "mint", encode(&(BOB, 7u64)), GAS),
        (caller, "increment_counter", encode(&counter.0), GAS),
        (
            caller,
            "try_call",
            encode(&(counter.0, "add".to_string(), vec![9u8], 0u64)),
            GAS,
        ),
        (caller, "recurse", encode(&0u32), GAS),
        (
            caller,
            "call_twice_then_revert",
            encode(&(counter.0, "increment".to_string())),
            GAS,
        ),
        (hostile, "spin", vec![], 5_000_000),
        (hostile, "recurse_forever", encode(&0u64), GAS),
        (hostile, "allocate_forever", vec![], GAS),
        (hostile, "out_of_bounds_output", vec![], GAS),
        (hostile, "write_oversized_value", vec![], GAS),
        (hostile, "event_spam", vec![], GAS),
        (hostile, "write_then_panic", vec![], GAS),
        (hostile, "panic_formatted", encode(&42u64), GAS),
        (
            compute,
            "field_iterate",
            encode(&(12_345u64, 2_000u64)),
            GAS,
        ),
        (compute, "mix_iterate", encode(&(12_345u64, 2_000u64)), GAS),
        (
            compute,
            "field_iterate",
            encode(&(1u64, 1u64 << 40)),
            3_000_000,
        ),
    ];
    for round in 0..2 {
        for (id, entry, input, gas) in &steps {
            let receipt = s.call(*id, entry, input, *gas).expect("no VM fault");
            lines.push(format!("{round} {entry}: {receipt:?}"));
        }
    }
    let warm = s.warm_instances().min(1);
    let root = s.commit().expect("commit");
    lines.push(format!("root {root:?}"));
    lines.push(format!("warm {warm}"));
    lines
}

fn digest(lines: &[String]) -> String {
    let mut h = blake2b_simd::Params::new().hash_length(32).to_state();
    for line in lines {
        h.update(line.as_bytes());
        h.update(b"\n");
    }
    h.finalize().to_hex().to_string()
}

fn assert_same(a: &[String], b: &[String], what: &str) {
    if let Some(i) = (0..a.len().max(b.len())).find(|i| a.get(*i) != b.get(*i)) {
        panic!(
            "{what}: step {i} differs:\n  {:?}\n  {:?}",
            a.get(i),
            b.get(i)
        );
    }
}

fn on_thread(stack: usize, opt: OptLevel) -> Vec<String> {
    on_thread_with(stack, opt, VmConfig::default().warm_instances)
}

fn on_thread_with(stack: usize, opt: OptLevel, warm_instances: usize) -> Vec<String> {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || scenario_with(opt, warm_instances))
        .expect("spawn")
        .join()
        .expect("scenario thread")
}

#[test]
fn identical_on_small_and_large_stacks() {
    let small = on_thread(256 * 1024, OptLevel::Speed);
    let large = on_thread(64 << 20, OptLevel::Speed);
    assert_same(&small, &large, "256 KiB vs 64 MiB stack");
}

#[test]
fn identical_with_and_without_warm_instances() {
    let warm = on_thread_with(8 << 20, OptLevel::Speed, 4);
    let cold = on_thread_with(8 << 20, OptLevel::Speed, 0);
    // The one line that must differ: the warm run kept instances, the cold one none.
    let (warm_kept, cold_kept) = (warm.last().cloned(), cold.last().cloned());
    assert_eq!(warm_kept.as_deref(), Some("warm 1"));
    assert_eq!(cold_kept.as_deref(), Some("warm 0"));
    let n = warm.len() - 1;
    assert_same(&warm[..n], &cold[..n], "warm vs fresh instances");
}

#[test]
fn identical_at_both_cranelift_optimisation_levels() {
    let none = on_thread(8 << 20, OptLevel::None);
    let speed = on_thread(8 << 20, OptLevel::Speed);
    assert_same(&none, &speed, "OptLevel::None vs Speed");
}

/// Set in the child processes of [`identical_in_two_processes`].
const CHILD: &str = "SHORTCRUST_DETERMINISM_CHILD";

/// In a child process (and only there), prints the scenario's digest.
#[test]
fn child_prints_digest() {
    if std::env::var_os(CHILD).is_some() {
        println!("DIGEST={}", digest(&on_thread(8 << 20, OptLevel::Speed)));
    }
}

#[test]
fn identical_in_two_processes() {
    let here = digest(&on_thread(8 << 20, OptLevel::Speed));
    let exe = std::env::current_exe().expect("test binary");
    for _ in 0..2 {
        let out = std::process::Command::new(&exe)
            .args([
                "--exact",
                "determinism::child_prints_digest",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .expect("run the child process");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let child = stdout
            .split("DIGEST=")
            .nth(1)
            .and_then(|rest| rest.get(..64))
            .unwrap_or_else(|| panic!("the child printed no digest: {stdout}"));
        assert_eq!(child, here, "another process computed another digest");
    }
}
