//! The harness on the example contracts: typed calls, accounts, blocks, events, readable
//! reverts, traces, flame graphs, forks and the contracts' gas snapshots
//! (`contracts/<name>/.gas-snapshot`; `SHORTCRUST_GAS_SNAPSHOT=update` rewrites them).

use shortcrust_test_contracts::{CALLER, COUNTER, TOKEN};
use shortcrust_testkit::{GasSnapshot, Harness};
use shortcrust_vm::CallError;

fn snapshot_file(contract: &str) -> String {
    format!(
        "{}/../../contracts/{contract}/.gas-snapshot",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn counter_typed_calls_reverts_and_gas_snapshot() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let counter = h.deploy("counter", COUNTER).expect("deploy");
    let mut gas = GasSnapshot::new(snapshot_file("counter"));

    let get = h.query(alice, counter, "get", &()).expect("query");
    assert_eq!(get.value::<u64>(), Ok(0));
    gas.record("get (absent)", get.gas());
    let first = h.call(alice, counter, "increment", &()).expect("call");
    assert_eq!(first.value::<u64>(), Ok(1));
    gas.record("increment (first write)", first.gas());
    let add = h.call(alice, counter, "add", &5u64).expect("call");
    assert_eq!(add.value::<u64>(), Ok(6));
    gas.record("add", add.gas());
    let bad = h.call(alice, counter, "add", &vec![1u8]).expect("call");
    assert!(!bad.is_ok());
    gas.record("add (bad input)", bad.gas());
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn token_events_accounts_and_snapshot() {
    let mut h = Harness::new().expect("harness");
    let owner = h.account("deployer");
    let (alice, bob) = (h.account("alice"), h.account("bob"));
    let token = h.deploy("token", TOKEN).expect("deploy");
    let mut gas = GasSnapshot::new(snapshot_file("token"));

    let init = h.call(owner, token, "init", &1_000u64).expect("call");
    init.assert_ok();
    gas.record("init", init.gas());
    let transfer = h
        .call(owner, token, "transfer", &(alice, 100u64))
        .expect("call");
    transfer.assert_ok();
    assert!(!transfer.events().is_empty(), "a transfer emits an event");
    gas.record("transfer (new account)", transfer.gas());
    let overdraft = h
        .call(bob, token, "transfer", &(alice, 1u64))
        .expect("call");
    assert!(matches!(
        overdraft.value::<()>(),
        Err(shortcrust_testkit::Failure::Call { .. })
    ));
    gas.record("transfer (overdraft)", overdraft.gas());
    let balance = h.query(bob, token, "balance_of", &alice).expect("query");
    assert_eq!(balance.value::<u64>(), Ok(100));
    gas.record("balance_of", balance.gas());
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_revert_names_the_contract_entry_and_call_path() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let counter = h.deploy("counter", COUNTER).expect("deploy");
    let caller = h.deploy("caller", CALLER).expect("deploy");
    // `call_twice_then_revert` calls the counter twice, then reverts itself.
    let out = h
        .call(
            alice,
            caller,
            "call_twice_then_revert",
            &(counter.0, "increment".to_string()),
        )
        .expect("call");
    out.assert_reverted("caller reverts after two calls");
    let message = out.value::<()>().expect_err("it failed").to_string();
    assert!(
        message.contains("caller::call_twice_then_revert failed: reverted: caller reverts"),
        "{message}"
    );
    // A failure inside a callee: the path leads to it.
    let out = h
        .call(alice, caller, "increment_counter", &[0u8; 32])
        .expect("call");
    let path = out.trace.failure_path();
    assert_eq!(
        path.first().map(String::as_str),
        Some("caller::increment_counter")
    );
    assert_eq!(path.len(), 2, "{path:?}");
    assert!(matches!(
        out.trace.failing_frame().and_then(|f| f.error.clone()),
        Some(e) if e.contains("unknown contract")
    ));
}

#[test]
fn traces_split_gas_by_frame_and_host_function() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let counter = h.deploy("counter", COUNTER).expect("deploy");
    let caller = h.deploy("caller", CALLER).expect("deploy");
    let out = h
        .call(alice, caller, "increment_counter", &counter.0)
        .expect("call");
    out.assert_ok();
    let root = out.trace.root.as_ref().expect("a frame");
    assert_eq!(root.label, "caller");
    assert_eq!(root.children.len(), 1);
    let callee = &root.children[0];
    assert_eq!(
        (callee.label.as_str(), callee.entry.as_str()),
        ("counter", "increment")
    );
    let names: Vec<_> = callee.host_gas.iter().map(|g| g.name).collect();
    assert!(names.contains(&"storage_write"), "{names:?}");
    assert!(root.host_gas.iter().any(|g| g.name == "call"));
    // Every gas unit is accounted for exactly once.
    for frame in [root, callee] {
        let host: u64 = frame.host_gas.iter().map(|g| g.gas).sum();
        let children: u64 = frame.children.iter().map(|c| c.gas_spent).sum();
        assert_eq!(
            frame.instruction_gas + frame.memory_gas + host + children,
            frame.gas_spent
        );
    }
    assert_eq!(out.trace.tx_base + root.gas_spent, out.gas());
    let text = out.trace.render();
    assert!(text.contains("caller::increment_counter"), "{text}");
    assert!(text.contains("storage_write ×1"), "{text}");
    // The flame graph is a valid SVG naming the frames.
    let svg = out.trace.flamegraph_svg("increment_counter").expect("svg");
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(svg.starts_with("<?xml") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("counter::increment"));
    let folded: u64 = out
        .trace
        .folded()
        .iter()
        .filter_map(|l| l.rsplit_once(' ')?.1.parse::<u64>().ok())
        .sum();
    assert_eq!(
        folded,
        out.gas(),
        "the flame graph's widths add up to the gas"
    );
}

#[test]
fn forks_from_a_snapshot_do_not_see_each_other() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let counter = h.deploy("counter", COUNTER).expect("deploy");
    h.call(alice, counter, "add", &10u64)
        .expect("call")
        .assert_ok();
    let setup = h.snapshot().expect("snapshot");
    let mut a = h.fork(&setup).expect("fork");
    let mut b = h.fork(&setup).expect("fork");
    assert_eq!(
        a.call(alice, counter, "add", &1u64)
            .expect("call")
            .value::<u64>(),
        Ok(11)
    );
    assert_eq!(
        b.call(alice, counter, "add", &2u64)
            .expect("call")
            .value::<u64>(),
        Ok(12)
    );
    assert_eq!(
        h.query(alice, counter, "get", &())
            .expect("q")
            .value::<u64>(),
        Ok(10)
    );
    // Block control reaches the contract's context.
    h.set_block(42, 1_800_000_000);
    h.advance(6);
    h.call(alice, counter, "increment", &())
        .expect("call")
        .assert_ok();
    let limited = {
        h.set_gas_limit(40_000);
        h.call(alice, counter, "increment", &()).expect("call")
    };
    limited.assert_failed(&CallError::OutOfGas);
}

#[test]
fn gas_snapshot_check_reports_a_readable_diff() {
    let dir = std::env::temp_dir().join(format!("testkit-snap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(".gas-snapshot");
    std::fs::write(&file, "a 100\nb 200\ngone 5\n").expect("write");
    let mut s = GasSnapshot::new(&file).tolerance(1.0);
    s.record("a", 100);
    s.record("b", 250);
    s.record("c", 7);
    let message = s.check().expect_err("changed").to_string();
    assert!(message.contains("~ b: 200 → 250 (+25.00%)"), "{message}");
    assert!(message.contains("+ c: 7 (new case)"), "{message}");
    assert!(
        message.contains("- gone: 5 (no longer recorded)"),
        "{message}"
    );
    let mut within = GasSnapshot::new(&file).tolerance(30.0);
    for (n, g) in [("a", 100), ("b", 250), ("gone", 5)] {
        within.record(n, g);
    }
    within.check().expect("within tolerance");
    let _ = std::fs::remove_dir_all(&dir);
}
