//! `{{name}}` in an in-process VM: build it, deploy it, call it, check events, reverts and gas.

use shortcrust_testkit::Harness;
use shortcrust_testkit::build::build_contract;

#[test]
fn greets_counts_and_refuses_nobody() {
    let built = build_contract(env!("CARGO_MANIFEST_DIR").as_ref()).expect("build the contract");
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let id = h.deploy("{{name}}", &built.wasm).expect("deploy");

    let out = h.call(alice, id, "greet", &"world".to_string()).expect("call");
    assert_eq!(out.value::<String>(), Ok("Hello, world!".to_string()));
    out.assert_event("greeted", &borsh::to_vec(&("world".to_string(), 1u64)).expect("encode"));
    println!("greet: {} gas\n{}", out.gas(), out.trace.render());

    let count = h.query(alice, id, "count", &()).expect("query");
    assert_eq!(count.value::<u64>(), Ok(1));
    h.call(alice, id, "greet", &String::new())
        .expect("call")
        .assert_reverted("nobody to greet");
}
