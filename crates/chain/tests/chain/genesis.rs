//! Genesis from JSON files: parsing, every refusal, deterministic builds, the genesis header,
//! a persistent state that survives a restart.

use std::path::Path;

use shortcrust_chain::gas::DEFAULT_BLOCK_GAS_LIMIT;
use shortcrust_chain::{
    AccountId, Action, Genesis, GenesisError, Hash32, TxStatus, merkle, read_params,
};
use shortcrust_store::code_hash;
use shortcrust_test_contracts::{COUNTER, TOKEN};
use shortcrust_vm::{Vm, contract_id};

use super::support::*;

const BIG: &str = "1000000000000000000000000000000";

fn genesis_json(alice: &shortcrust_chain::SigningKey, extra: &AccountId) -> String {
    format!(
        r#"{{
  "chain_id": {CHAIN_ID},
  "block_gas_limit": {DEFAULT_BLOCK_GAS_LIMIT},
  "timestamp": 1767225600,
  "accounts": [
    {{ "public_key": "{pk}", "balance": {FUNDS} }},
    {{ "account": "{extra}", "balance": "{BIG}" }}
  ],
  "contracts": [
    {{ "path": "token.wasm", "owner": "{owner}", "nonce": 3 }},
    {{ "code": "{counter}", "owner_public_key": "{pk}" }}
  ]
}}"#,
        pk = hex::encode(alice.verifying_key().as_bytes()),
        owner = id(alice),
        counter = hex::encode(COUNTER),
    )
}

fn write_genesis(dir: &Path, json: &str) -> std::path::PathBuf {
    std::fs::write(dir.join("token.wasm"), TOKEN).expect("write wasm");
    let path = dir.join("genesis.json");
    std::fs::write(&path, json).expect("write json");
    path
}

#[test]
fn a_genesis_file_builds_the_same_state_everywhere_and_survives_a_restart() {
    let alice = key(1);
    let extra = AccountId([0xee; 32]);
    let files = tempfile::tempdir().expect("tempdir");
    let path = write_genesis(files.path(), &genesis_json(&alice, &extra));
    let genesis = Genesis::from_file(&path).expect("parses");
    assert_eq!(genesis.params, params());
    assert_eq!(genesis.timestamp, 1_767_225_600);
    assert_eq!(
        genesis.accounts,
        vec![(id(&alice), FUNDS), (extra, BIG.parse().expect("u128"))]
    );
    let token = contract_id(&id(&alice).0, &code_hash(TOKEN), 3);
    let counter = contract_id(&id(&alice).0, &code_hash(COUNTER), 0);
    assert_eq!(genesis.contract_ids(), vec![token, counter]);

    let state_dir = tempfile::tempdir().expect("tempdir");
    let root = {
        let vm = Vm::open(state_dir.path()).expect("vm");
        let root = genesis.build(&vm).expect("builds");
        let header = genesis.header(root);
        assert_eq!(header.height, 0);
        assert_eq!(header.parent_hash, Hash32::ZERO);
        assert_eq!(header.transactions_root, merkle::root(&[]));
        assert_eq!(header.gas_limit, DEFAULT_BLOCK_GAS_LIMIT);
        root
    };
    // Another VM, in memory: the same root.
    let memory = Vm::ephemeral().expect("vm");
    assert_eq!(genesis.build(&memory).expect("builds"), root);
    // Changing anything changes the root, the chain id included.
    let mut other = genesis.clone();
    other.params.chain_id += 1;
    assert_ne!(other.build(&memory).expect("builds"), root);

    // Reopened from disk, the chain runs on.
    let vm = Vm::open(state_dir.path()).expect("reopens");
    let view = vm.store().view(&root).expect("view");
    assert_eq!(read_params(&*view).expect("params"), params());
    let mut chain = TestChain {
        vm,
        head: genesis.header(root),
        genesis,
    };
    assert_eq!(chain.balance(&id(&alice)), FUNDS);
    assert_eq!(chain.balance(&extra), BIG.parse::<u128>().expect("u128"));
    let tx = sign(
        &alice,
        0,
        CALL_GAS,
        1,
        Action::Call {
            contract: counter.0,
            entry: "increment".into(),
            input: Vec::new(),
            amount: 0,
        },
    );
    let built = chain.advance(vec![tx]);
    assert_eq!(built.receipts[0].status, TxStatus::Ok);
    assert_eq!(built.receipts[0].output, borsh::to_vec(&1u64).expect("enc"));
}

#[track_caller]
fn rejected(json: &str, expected: &str) {
    match Genesis::from_json(json, Path::new("/nonexistent")) {
        Err(e) => assert!(
            e.to_string().contains(expected),
            "{e} does not say {expected:?}"
        ),
        Ok(g) => panic!("accepted: {g:?}"),
    }
}

#[test]
fn bad_genesis_files_are_refused_with_the_reason() {
    let id_hex = "11".repeat(32);
    let acct = |balance: &str| format!(r#"{{ "account": "{id_hex}", "balance": {balance} }}"#);
    rejected(r#"{ "accounts": [] }"#, "chain_id");
    rejected(r#"{ "chain_id": 1, "color": "blue" }"#, "unknown field");
    rejected(
        &format!(
            r#"{{ "chain_id": 1, "accounts": [{}, {}] }}"#,
            acct("1"),
            acct("2")
        ),
        "listed twice",
    );
    rejected(
        &format!(
            r#"{{ "chain_id": 1, "accounts": [{}, {{ "account": "{}", "balance": "{}" }}] }}"#,
            acct("1"),
            "22".repeat(32),
            u128::MAX
        ),
        "more than u128::MAX",
    );
    rejected(
        &format!(r#"{{ "chain_id": 1, "accounts": [{}] }}"#, acct("-1")),
        "non-negative",
    );
    rejected(
        &format!(r#"{{ "chain_id": 1, "accounts": [{}] }}"#, acct("1.5")),
        "non-negative",
    );
    rejected(
        &format!(r#"{{ "chain_id": 1, "accounts": [{}] }}"#, acct("\"12a\"")),
        "decimal digits",
    );
    rejected(
        r#"{ "chain_id": 1, "accounts": [{ "account": "abcd", "balance": 1 }] }"#,
        "accounts[0].account: must be 32 bytes",
    );
    rejected(
        &format!(
            r#"{{ "chain_id": 1, "accounts": [{{ "account": "{id_hex}", "public_key": "{id_hex}", "balance": 1 }}] }}"#
        ),
        "exactly one of `account` or `public_key`",
    );
    rejected(
        &format!(
            r#"{{ "chain_id": 1, "contracts": [{{ "path": "a.wasm", "code": "00", "owner": "{id_hex}" }}] }}"#
        ),
        "exactly one of `path` or `code`",
    );
    rejected(
        &format!(
            r#"{{ "chain_id": 1, "contracts": [{{ "path": "missing.wasm", "owner": "{id_hex}" }}] }}"#
        ),
        "missing.wasm",
    );
    rejected(
        r#"{ "chain_id": 1, "contracts": [{ "code": "00" }] }"#,
        "owner",
    );
    rejected(
        r#"{ "chain_id": 1, "protocol_version": 0 }"#,
        "protocol version",
    );
    rejected(
        r#"{ "chain_id": 1, "block_gas_limit": 5 }"#,
        "must admit one transaction",
    );
    match Genesis::from_file("/nonexistent/genesis.json") {
        Err(GenesisError::Io { path, .. }) => assert!(path.ends_with("genesis.json")),
        other => panic!("{other:?}"),
    }
    // A contract that does not deploy names its index.
    let g = Genesis::from_json(
        &format!(
            r#"{{ "chain_id": 1, "contracts": [{{ "code": "0061736d", "owner": "{id_hex}" }}] }}"#
        ),
        Path::new("."),
    )
    .expect("parses");
    match g.build(&Vm::ephemeral().expect("vm")) {
        Err(GenesisError::Deploy { index: 0, .. }) => {}
        other => panic!("{other:?}"),
    }
}
