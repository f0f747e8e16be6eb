//! The stateful commands on a state directory, each step a separate process (so every step is
//! also a restart of the VM on the same directory).

use serde_json::Value;

use crate::support::{Run, s, shortcrust, shortcrust_in, write};

fn ok_json(run: &Run) -> Value {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run.json()
}

#[test]
fn deploy_call_query_inspect_prove_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state-dir");
    let counter = write(
        dir.path(),
        "counter.wasm",
        shortcrust_test_contracts::COUNTER,
    );

    let deployed = ok_json(&shortcrust_in(&state, &["deploy", s(&counter), "--json"]));
    let id = deployed["contract"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 64);
    assert_eq!(
        deployed["gas_spent"],
        shortcrust_vm::gas::deploy_cost(shortcrust_test_contracts::COUNTER.len())
    );

    let first = ok_json(&shortcrust_in(
        &state,
        &["call", &id, "increment", "--json"],
    ));
    assert_eq!(first["output_json"], 1);
    assert_eq!(first["committed"], true);
    let second = ok_json(&shortcrust_in(
        &state,
        &["call", &id, "add", "[41]", "--json"],
    ));
    assert_eq!(second["output_json"], 42);
    let head = second["root"].as_str().unwrap().to_string();

    // A failing call reports its gas and commits nothing.
    let overflow = shortcrust_in(
        &state,
        &["call", &id, "add", "\"18446744073709551615\"", "--json"],
    );
    assert_eq!(overflow.code, 1);
    let overflow = overflow.json();
    assert_eq!(overflow["ok"], false);
    assert_eq!(overflow["error"], "reverted: counter overflow");
    assert!(overflow["gas_spent"].as_u64().unwrap() > shortcrust_vm::gas::TX_BASE);
    assert_eq!(overflow["committed"], false);
    assert_eq!(overflow["root"], head.as_str());

    // A query runs the call but never commits.
    let query = ok_json(&shortcrust_in(
        &state,
        &["query", &id, "increment", "--json"],
    ));
    assert_eq!(query["output_json"], 43);
    assert_eq!(query["committed"], false);
    let get = ok_json(&shortcrust_in(&state, &["query", &id, "get", "--json"]));
    assert_eq!(get["output_json"], 42);
    // Raw input instead of JSON arguments.
    let raw = ok_json(&shortcrust_in(
        &state,
        &["query", &id, "add", "--input", "0100000000000000", "--json"],
    ));
    assert_eq!(raw["output"], "2b00000000000000");

    let root = ok_json(&shortcrust_in(&state, &["root", "--json"]));
    assert_eq!(root["root"], head.as_str());
    assert_eq!(root["height"], 3);
    assert_eq!(root["contracts"], 1);

    let commits = ok_json(&shortcrust_in(&state, &["commits", "--json"]));
    let list = commits["commits"].as_array().unwrap();
    assert_eq!(list.len(), 4, "empty root + deploy + two calls: {commits}");
    assert_eq!(list[3]["root"], head.as_str());
    assert_eq!(list[3]["head"], true);
    assert_eq!(list[3]["parent"], list[2]["root"]);

    let inspect = ok_json(&shortcrust_in(&state, &["inspect", &id, "--json"]));
    assert_eq!(
        inspect["code_bytes"],
        shortcrust_test_contracts::COUNTER.len()
    );
    assert_eq!(inspect["storage"].as_array().unwrap().len(), 1);
    assert_eq!(inspect["storage"][0]["key_utf8"], "count");
    assert_eq!(inspect["storage"][0]["value_bytes"], 8);
    assert!(
        inspect["entry_points"]
            .as_array()
            .unwrap()
            .contains(&Value::from("add(n: u64) -> u64"))
    );

    let proof = ok_json(&shortcrust_in(
        &state,
        &["prove", &id, "count", "--text", "--json"],
    ));
    assert_eq!(proof["verified"], true);
    assert_eq!(proof["claim"], "present");
    assert_eq!(proof["value"], "2a00000000000000");
    assert_eq!(proof["root"], head.as_str());
    // The proof checks with the store's pure verifier, outside the CLI.
    let bytes = hex::decode(proof["proof"].as_str().unwrap()).unwrap();
    let decoded = shortcrust_store::StorageProof::from_bytes(&bytes).unwrap();
    let root_bytes: [u8; 32] = hex::decode(&head).unwrap().try_into().unwrap();
    let id_bytes: [u8; 32] = hex::decode(&id).unwrap().try_into().unwrap();
    let claim = decoded
        .verify(
            &shortcrust_store::Root(root_bytes),
            &shortcrust_vm::ContractId(id_bytes),
            b"count",
        )
        .unwrap();
    assert_eq!(claim.value(), Some(&42u64.to_le_bytes()[..]));

    let absent = ok_json(&shortcrust_in(
        &state,
        &["prove", &id, "0x6e6f7065", "--json"],
    ));
    assert_eq!(absent["claim"], "absent");
    assert_eq!(absent["verified"], true);

    // An older root is still readable and provable.
    let first_root = first["root"].as_str().unwrap();
    let old = ok_json(&shortcrust_in(
        &state,
        &["query", &id, "get", "--root", first_root, "--json"],
    ));
    assert_eq!(old["output_json"], 1);

    // The human-readable forms, and --state given as a flag instead of the environment.
    let text = shortcrust(&["--state", s(&state), "inspect", &id]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("count"), "{}", text.stdout);
    let text = shortcrust(&["commits", "--state", s(&state)]);
    assert!(text.stdout.contains("head"), "{}", text.stdout);
}

#[test]
fn state_errors_are_precise_and_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let zero_id = "00".repeat(32);

    // Missing directory: read commands refuse and create nothing.
    let run = shortcrust_in(&state, &["root", "--json"]);
    assert_eq!(run.code, 3);
    assert!(
        run.json()["error"]
            .as_str()
            .unwrap()
            .contains("no state directory")
    );
    assert!(!state.exists());

    // A directory that is neither empty nor a state directory is never written into.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    write(&foreign, "notes.txt", b"mine");
    let counter = write(
        dir.path(),
        "counter.wasm",
        shortcrust_test_contracts::COUNTER,
    );
    let run = shortcrust_in(&foreign, &["deploy", s(&counter)]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("not a Shortcrust state directory"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1);

    let id = ok_json(&shortcrust_in(&state, &["deploy", s(&counter), "--json"]))["contract"]
        .as_str()
        .unwrap()
        .to_string();

    // Unknown contract, unknown root, bad arguments.
    let run = shortcrust_in(&state, &["call", &zero_id, "get", "--json"]);
    assert_eq!(run.code, 3);
    assert!(
        run.json()["error"]
            .as_str()
            .unwrap()
            .contains("is not deployed")
    );
    let run = shortcrust_in(&state, &["query", &id, "get", "--root", &"11".repeat(32)]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("unknown state root"), "{}", run.stderr);
    let run = shortcrust_in(&state, &["call", &id, "add", "[1, 2]", "--json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.json()["error"]
            .as_str()
            .unwrap()
            .contains("takes 1 argument")
    );
    let run = shortcrust_in(&state, &["call", &id, "add", "{not json", "--json"]);
    assert_eq!(run.code, 2);
    let run = shortcrust_in(&state, &["call", "abc", "add", "--json"]);
    assert_eq!(run.code, 2);

    // A second process holding the directory: refused, and the data is untouched.
    let head = ok_json(&shortcrust_in(&state, &["root", "--json"]))["root"].clone();
    {
        let _holder = shortcrust_vm::Vm::open(&state).unwrap();
        let run = shortcrust_in(&state, &["call", &id, "increment", "--json"]);
        assert_eq!(run.code, 3);
        assert!(
            run.json()["error"].as_str().unwrap().contains("in use"),
            "{}",
            run.stdout
        );
    }
    assert_eq!(
        ok_json(&shortcrust_in(&state, &["root", "--json"]))["root"],
        head
    );

    // A damaged database is reported, not trusted.
    std::fs::write(
        state.join("state").join("state.redb"),
        b"this is not a database",
    )
    .unwrap();
    let run = shortcrust_in(&state, &["root", "--json"]);
    assert_eq!(run.code, 3);
    let error = run.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("state.redb"), "{error}");
}
