//! `shortcrust run`: one-shot deploy and call.

use crate::support::{s, shortcrust, write};

/// Checks the five fields DESIGN §10 requires of a receipt object, with their types.
fn assert_receipt_shape(json: &serde_json::Value) {
    assert!(json["ok"].is_boolean(), "{json}");
    assert!(
        json["error"].is_null() || json["error"].is_string(),
        "{json}"
    );
    assert!(json["gas_spent"].is_u64(), "{json}");
    assert!(json["output"].is_string(), "{json}");
    assert!(json["events"].is_array(), "{json}");
}

#[test]
fn module_without_imports_runs() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = wat::parse_str(
        r#"(module (memory (export "memory") 1) (func (export "main") (local i32) (local.set 0 (i32.const 7))))"#,
    )
    .unwrap();
    let file = write(dir.path(), "bare.wasm", &wasm);
    let run = shortcrust(&["run", s(&file), "main", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_receipt_shape(&json);
    assert_eq!(json["ok"], true);
    assert_eq!(json["error"], serde_json::Value::Null);
    assert_eq!(json["output"], "");
    assert!(json["gas_spent"].as_u64().unwrap() >= shortcrust_vm::gas::TX_BASE);

    let text = shortcrust(&["run", s(&file), "main"]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("result    ok"), "{}", text.stdout);
}

#[test]
fn contract_call_returns_output_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let counter = write(
        dir.path(),
        "counter.wasm",
        shortcrust_test_contracts::COUNTER,
    );
    let run = shortcrust(&[
        "run",
        s(&counter),
        "add",
        "--input",
        "0x2a00000000000000",
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_receipt_shape(&json);
    assert_eq!(json["output"], "2a00000000000000");
    assert_eq!(json["output_json"], 42);

    // The caller contract's `try_call` on an unknown contract: handled failure, an event.
    let caller = write(dir.path(), "caller.wasm", shortcrust_test_contracts::CALLER);
    // borsh: target [u8; 32], entry String, input Vec<u8>, gas_limit u64
    let mut input = vec![7u8; 32];
    input.extend_from_slice(&3u32.to_le_bytes());
    input.extend_from_slice(b"get");
    input.extend_from_slice(&0u32.to_le_bytes());
    input.extend_from_slice(&0u64.to_le_bytes());
    let run = shortcrust(&[
        "run",
        s(&caller),
        "try_call",
        "--input",
        &hex::encode(&input),
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{json}");
    assert_eq!(events[0]["topic_utf8"], "outcome");
    assert_eq!(events[0]["topic"], hex::encode("outcome"));
    assert_eq!(events[0]["contract"], json["contract"]);
    assert!(events[0]["data"].is_string());
    // Two frames: the caller, and its failed call into the unknown contract.
    let calls = json["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2, "{json}");
    assert!(
        calls[1]["error"]
            .as_str()
            .unwrap()
            .contains("unknown contract")
    );
}

#[test]
fn revert_and_out_of_gas_fail_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = write(
        dir.path(),
        "hostile.wasm",
        shortcrust_test_contracts::HOSTILE,
    );

    let run = shortcrust(&["run", s(&hostile), "spin", "--gas", "200000", "--json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_receipt_shape(&json);
    assert_eq!(json["ok"], false);
    assert_eq!(json["error"], "out of gas");
    assert_eq!(json["gas_spent"], 200_000);

    let run = shortcrust(&["run", s(&hostile), "panic_with_message", "--json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert!(
        json["error"].as_str().unwrap().starts_with("reverted: "),
        "{json}"
    );

    let run = shortcrust(&["run", s(&hostile), "no_such_entry"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("no entry point \"no_such_entry\""),
        "{}",
        run.stdout
    );
}

#[test]
fn invalid_module_reports_the_deploy_price() {
    let dir = tempfile::tempdir().unwrap();
    // Imports a function the ABI does not have.
    let wasm = wat::parse_str(
        r#"(module (import "shortcrust_v1" "launch_missiles" (func)) (memory (export "memory") 1) (func (export "main")))"#,
    )
    .unwrap();
    let file = write(dir.path(), "bad.wasm", &wasm);
    let run = shortcrust(&["run", s(&file), "main", "--json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_receipt_shape(&json);
    assert_eq!(json["ok"], false);
    let error = json["error"].as_str().unwrap();
    assert!(error.contains("launch_missiles"), "{error}");
    assert_eq!(
        json["gas_spent"],
        shortcrust_vm::gas::deploy_cost(wasm.len())
    );

    // Not WebAssembly at all.
    let file = write(dir.path(), "text.wasm", b"hello");
    let json = shortcrust(&["run", s(&file), "main", "--json"]).json();
    assert_eq!(json["ok"], false);
    assert!(!json["error"].as_str().unwrap().contains('\n'));
}

#[test]
fn unreadable_input_is_a_usage_error_with_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.wasm");
    let run = shortcrust(&["run", s(&missing), "main", "--json"]);
    assert_eq!(run.code, 2);
    let json = run.json();
    assert_receipt_shape(&json);
    assert_eq!(json["ok"], false);
    assert!(json["error"].as_str().unwrap().contains("cannot read"));
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);

    let counter = write(
        dir.path(),
        "counter.wasm",
        shortcrust_test_contracts::COUNTER,
    );
    let run = shortcrust(&["run", s(&counter), "add", "--input", "0xzz", "--json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.json()["error"]
            .as_str()
            .unwrap()
            .contains("--input: not valid hex")
    );

    // Without --json: nothing on stdout, the message on stderr.
    let run = shortcrust(&["run", s(&missing), "main"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.starts_with("error: cannot read"),
        "{}",
        run.stderr
    );

    // A command line clap refuses still yields one object with --json.
    let run = shortcrust(&["--json", "run", "--gas", "many"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["ok"], false);
}
