//! Bugs found while fuzzing, in files this crate does not own, each as a test of the *fixed*
//! behaviour. Ignored until fixed (run them with `cargo test -p shortcrust-fuzzing --test
//! known_bugs -- --ignored`); when one passes, un-ignore it (it stays as a regression test), move
//! its input into the corpus and delete its entry in `src/known_issues.rs`, which lets the fuzz
//! targets go on past it.
//!
//! Tests whose failure is a crash (stack overflow, exhausted memory) run their body in a child
//! process, so that they fail instead of taking the test binary down.

use std::process::Command;
use std::time::{Duration, Instant};

use shortcrust_sdk::schema::{Schema, Type, decode_exact};
use shortcrust_vm::{DeployError, ModuleLimits, validate};

/// Runs test `name`'s body (`body`) in a child process when not already in one, and asserts
/// that the child succeeded within `limit`.
fn in_child(name: &str, limit: Duration, body: impl FnOnce()) {
    if std::env::var_os("KNOWN_BUG_CHILD").is_some() {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let start = Instant::now();
    let mut child = Command::new(exe)
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KNOWN_BUG_CHILD", "1")
        .spawn()
        .expect("run the test in a child process");
    loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            assert!(status.success(), "{name}: the child failed ({status})");
            return;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{name}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Found by `smith_run` at its first input, fixed in b566b2f: `validate::features()` enabled
/// wasmparser's `GC_TYPES`, so the validator accepted `externref` that wasmtime (built without
/// GC) then refused to compile (`DeployError::Compile`). The validator must refuse it itself.
#[test]
fn externref_is_refused_by_the_validator() {
    for text in [
        r#"(module (memory (export "memory") 1) (func (export "run") (drop (ref.null extern))))"#,
        r#"(module (memory (export "memory") 1) (table 1 externref))"#,
        r#"(module (memory (export "memory") 1) (global externref (ref.null extern)))"#,
        r#"(module (memory (export "memory") 1) (func (export "run") (local externref)))"#,
    ] {
        let code = wat::parse_str(text).expect("WAT");
        let verdict = validate::validate(&code, &ModuleLimits::default(), 1);
        assert!(
            matches!(verdict, Err(DeployError::Invalid(_))),
            "{text}: {:?}",
            verdict.map(|_| ())
        );
    }
}

/// `src/known_issues.rs`, `deep_type_overflows_the_stack`: a deeply nested type is an error (or
/// a type), never a stack overflow.
#[test]
#[ignore = "known bug: crates/sdk/src/schema.rs TypeParser recurses without a depth limit"]
fn deeply_nested_type_is_not_a_crash() {
    in_child(
        "deeply_nested_type_is_not_a_crash",
        Duration::from_secs(60),
        || {
            let depth = 1_000_000;
            let _ = Type::parse(&"(".repeat(depth));
            let _ = Type::parse(&format!("{}u8{}", "Vec<".repeat(depth), ">".repeat(depth)));
            let schema = format!(
                r#"{{"schema_version":1,"entry_points":[{{"name":"f","args":[],"returns":"{}"}}]}}"#,
                "[".repeat(depth)
            );
            let _ = Schema::parse(&schema);
        },
    );
}

/// `src/known_issues.rs`, `zero_sized_sequence`: decoding a few bytes takes a few bytes' worth
/// of time and memory, whatever the type.
#[test]
#[ignore = "known bug: crates/sdk/src/schema.rs decode loops once per zero-sized element"]
fn zero_sized_sequences_decode_in_bounded_time() {
    in_child(
        "zero_sized_sequences_decode_in_bounded_time",
        // Short: the unfixed loop allocates about 400 MiB a second.
        Duration::from_secs(2),
        || {
            let unit_vec = Type::parse("Vec<()>").expect("type");
            let _ = decode_exact(&unit_vec, &[0x00, 0x00, 0x00, 0x10]);
            let unit_array = Type::parse("[(); 18446744073709551615]").expect("type");
            let _ = decode_exact(&unit_array, &[]);
        },
    );
}
