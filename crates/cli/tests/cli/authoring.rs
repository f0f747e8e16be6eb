//! Authoring output: events decoded through the schema, `--trace`, `--flamegraph`, and the call
//! path of a failure, in text and JSON.

use serde_json::Value;

use crate::support::{s, shortcrust_in, write};

#[test]
fn events_are_decoded_and_traces_and_flame_graphs_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let token = write(dir.path(), "token.wasm", shortcrust_test_contracts::TOKEN);
    let deployed = shortcrust_in(&state, &["deploy", s(&token), "--json"]).json();
    let id = deployed["contract"].as_str().unwrap().to_string();
    let init = shortcrust_in(&state, &["call", &id, "init", "[1000]", "--json"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let mint = &init.json()["events"][0]["decoded"];
    assert_eq!(mint["name"], "mint");
    assert_eq!(mint["fields"]["amount"], 1000);
    assert_eq!(mint["fields"]["to"], "00".repeat(32));

    let svg = dir.path().join("transfer.svg");
    let to = "ab".repeat(32);
    let transfer = shortcrust_in(
        &state,
        &[
            "call",
            &id,
            "transfer",
            &format!(r#"["{to}", 5]"#),
            "--trace",
            "--flamegraph",
            s(&svg),
            "--json",
        ],
    );
    assert_eq!(transfer.code, 0, "{}", transfer.stderr);
    let json = transfer.json();
    assert_eq!(
        json["events"][0]["decoded"],
        serde_json::json!({"name": "transfer", "fields": {"from": "00".repeat(32), "to": to, "amount": 5}})
    );
    let root = &json["trace"]["root"];
    assert_eq!(root["entry"], "transfer");
    let host: Vec<&str> = root["host_gas"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["name"].as_str())
        .collect();
    assert!(
        host.contains(&"storage_write") && host.contains(&"emit"),
        "{host:?}"
    );
    let parts = root["instruction_gas"].as_u64().unwrap()
        + root["memory_gas"].as_u64().unwrap()
        + root["host_gas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["gas"].as_u64().unwrap())
            .sum::<u64>();
    assert_eq!(parts, root["gas_spent"].as_u64().unwrap());
    let svg = std::fs::read_to_string(&svg).expect("the flame graph was written");
    assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("storage_write"));

    // Text: the tree and the decoded events.
    let text = shortcrust_in(
        &state,
        &[
            "query",
            &id,
            "transfer",
            &format!(r#"["{to}", 1]"#),
            "--trace",
        ],
    );
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("decoded events"), "{}", text.stdout);
    assert!(text.stdout.contains("storage_write ×"), "{}", text.stdout);

    // A failure says where it happened.
    let overdraft = shortcrust_in(
        &state,
        &[
            "call",
            &id,
            "transfer",
            &format!(r#"["{to}", 999999]"#),
            "--json",
        ],
    );
    assert_eq!(overdraft.code, 1);
    let json: Value = overdraft.json();
    assert_eq!(
        json["error"],
        "reverted: insufficient balance: have 995, need 999999"
    );
    let path = json["failure_path"].as_array().unwrap();
    assert_eq!(path.len(), 1);
    assert!(path[0].as_str().unwrap().ends_with("::transfer"));
}
