//! End to end through JSON-RPC: deploys, calls, receipts, subscriptions, proofs.

use std::time::Duration;

use jsonrpsee::core::client::SubscriptionClientT;
use jsonrpsee::rpc_params;
use serde_json::{Value, json};
use shortcrust_chain::{Action, Hash32, verify_account_proof};
use shortcrust_node::dev_key;
use shortcrust_store::{Root, StorageClaim, StorageProof};
use shortcrust_vm::ContractId;

use crate::support::*;

fn root_of(hex_root: &Value) -> Root {
    let bytes: [u8; 32] = hex::decode(hex_root.as_str().expect("hex"))
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    Root(bytes)
}

fn call_tx(
    client: &shortcrust_node::client::Client,
    key: &shortcrust_chain::SigningKey,
    contract: ContractId,
    entry: &str,
    input: Vec<u8>,
) -> Value {
    let n = client.nonce(key).expect("nonce");
    let t = tx(
        key,
        n,
        GAS,
        Action::Call {
            contract: contract.0,
            entry: entry.into(),
            input,
            amount: 0,
        },
    );
    send_wait(client, &t)
}

#[test]
fn token_through_rpc_with_receipts_events_subscriptions_and_proofs() {
    let node = TestNode::start();
    let client = node.client();
    let status = client.status().expect("status");
    assert_eq!(status["chain_id"], 1337);
    assert_eq!(status["peers"], 0);
    assert_eq!(status["finalized_height"], status["head_height"]);

    let (token, deployed) = deploy(
        &client,
        shortcrust_test_contracts::TOKEN,
        Some(("init", encode(&1_000_000u64))),
        0,
    );
    // The init call's frame is in the call tree with its gas.
    let calls = deployed["receipt"]["calls"].as_array().expect("calls");
    assert_eq!(calls[0]["entry"], "init");
    assert!(calls[0]["gas_spent"].as_u64().expect("gas") > 0);

    // Subscribe over WebSocket before the transfer.
    let ws_url = node.ws_url();
    let token_hex = token.to_string();
    let (event_tx, event_rx) = std::sync::mpsc::channel();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    node.runtime.spawn(async move {
        let ws = jsonrpsee_ws_client::WsClientBuilder::default()
            .build(&ws_url)
            .await
            .expect("ws connects");
        let mut events = ws
            .subscribe::<Value, _>(
                "sc_subscribeEvents",
                rpc_params![token_hex],
                "sc_unsubscribeEvents",
            )
            .await
            .expect("subscribes to events");
        let mut blocks = ws
            .subscribe::<Value, _>(
                "sc_subscribeNewBlocks",
                rpc_params![],
                "sc_unsubscribeNewBlocks",
            )
            .await
            .expect("subscribes to blocks");
        let _ = ready_tx.send(());
        let event = events.next().await.expect("an event").expect("decodes");
        let block = blocks.next().await.expect("a block").expect("decodes");
        let _ = event_tx.send((event, block));
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("subscribed");

    let alice = dev_key(0);
    let bob = account(&dev_key(1));
    let v = call_tx(&client, &alice, token, "transfer", encode(&(bob.0, 250u64)));
    let receipt = &v["receipt"];
    assert_eq!(receipt["status"], "ok", "{v}");
    assert_eq!(receipt["events"][0]["topic"], "transfer");
    assert_eq!(receipt["events"][0]["decoded"]["fields"]["amount"], 250);
    assert!(
        receipt["fee"]
            .as_str()
            .expect("fee")
            .parse::<u128>()
            .expect("fee")
            > 0
    );
    assert_eq!(receipt["calls"][0]["entry"], "transfer");
    let height = v["block_height"].as_u64().expect("height");

    let (event, block) = event_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("notified");
    assert_eq!(event["topic"], "transfer");
    assert_eq!(event["tx_hash"], v["hash"]);
    assert_eq!(event["decoded"]["fields"]["amount"], 250);
    assert!(block["height"].as_u64().expect("height") >= 1);

    // Read-only calls: hex input, and JSON args through the schema.
    let q = client
        .request("sc_call", vec![json!({"contract": token.to_string(), "entry": "balance_of", "input": hex::encode(bob.0)})])
        .expect("call");
    assert_eq!(q["ok"], true);
    assert_eq!(q["decoded"], 250);
    let q = client
        .request(
            "sc_call",
            vec![json!({"contract": token.to_string(), "entry": "total_supply", "args": []})],
        )
        .expect("call");
    assert_eq!(q["decoded"], 1_000_000);
    // At the block before the transfer, Bob had nothing.
    let q = client
        .request("sc_call", vec![json!({"contract": token.to_string(), "entry": "balance_of", "input": hex::encode(bob.0), "block": height - 1})])
        .expect("call");
    assert_eq!(q["decoded"], 0);

    // The contract, its schema, the stored event index.
    let c = client
        .request("sc_getContract", vec![json!(token.to_string())])
        .expect("contract");
    assert_eq!(c["size"], shortcrust_test_contracts::TOKEN.len());
    assert!(c["schema"]["entry_points"].is_array() || c["schema"].is_object());
    let events = client
        .request("sc_getEvents", vec![json!(token.to_string())])
        .expect("events");
    let topics: Vec<&str> = events
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["topic"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(topics, ["mint", "transfer"]);

    // Blocks by height and by hash agree; the transaction is in its block.
    let b = client
        .request("sc_getBlockByHeight", vec![json!(height)])
        .expect("block");
    let by_hash = client
        .request("sc_getBlockByHash", vec![b["hash"].clone()])
        .expect("block");
    assert_eq!(b, by_hash);
    assert!(
        b["transactions"]
            .as_array()
            .expect("txs")
            .contains(&v["hash"])
    );

    // A storage proof of Bob's token balance against that block's state root.
    let mut key = vec![b'b'];
    key.extend_from_slice(&bob.0);
    let p = client
        .request(
            "sc_getProof",
            vec![
                json!(token.to_string()),
                json!(hex::encode(&key)),
                json!(height),
            ],
        )
        .expect("proof");
    assert_eq!(p["state_root"], b["state_root"]);
    let proof =
        StorageProof::from_bytes(&hex::decode(p["proof"].as_str().expect("hex")).expect("hex"))
            .expect("decodes");
    match proof
        .verify(&root_of(&b["state_root"]), &token, &key)
        .expect("verifies")
    {
        StorageClaim::Present(_, value) => assert_eq!(value, encode(&250u64)),
        other => panic!("expected a value, got {other:?}"),
    }
    // An account proof of Alice's balance and nonce.
    let p = client
        .request(
            "sc_getAccountProof",
            vec![json!(account(&alice).to_string()), json!(height)],
        )
        .expect("account proof");
    let proof =
        StorageProof::from_bytes(&hex::decode(p["proof"].as_str().expect("hex")).expect("hex"))
            .expect("decodes");
    let proven = verify_account_proof(&root_of(&b["state_root"]), &account(&alice), &proof)
        .expect("verifies");
    let a = client
        .request(
            "sc_getAccount",
            vec![json!(account(&alice).to_string()), json!(height)],
        )
        .expect("account");
    assert_eq!(a["nonce"], proven.nonce);
    assert_eq!(a["balance"], proven.balance.to_string());
    assert_eq!(proven.nonce, 2);

    // The head block's state root is the node's state head.
    let head = client.request("sc_latestBlock", vec![]).expect("head");
    assert_eq!(
        root_of(&head["state_root"]),
        node.node.state_head().expect("state head")
    );
    let _ = Hash32::ZERO;
}

mod fixture {
    pub const VERIFYING_KEY: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/verification_key.json");
    pub const PROOF: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/proof.json");
    pub const PUBLIC: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/public.json");
}

#[test]
fn bridge_claim_with_a_real_snarkjs_proof_through_rpc() {
    use shortcrust_crypto::snarkjs;
    let node = TestNode::start();
    let client = node.client();
    let (bridge, _) = deploy(&client, shortcrust_test_contracts::BRIDGE, None, 0);
    let key = snarkjs::verifying_key_from_json(fixture::VERIFYING_KEY).expect("key converts");
    let owner = dev_key(0);
    let v = call_tx(
        &client,
        &owner,
        bridge,
        "register_verifying_key",
        encode(&key),
    );
    assert_eq!(v["receipt"]["status"], "ok", "{v}");
    let proof = snarkjs::proof_from_json(fixture::PROOF).expect("proof converts");
    let signals: Vec<[u8; 32]> = snarkjs::public_inputs_from_json(fixture::PUBLIC)
        .expect("signals convert")
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32"))
        .collect();
    // Anyone may submit a claim: here a second dev account.
    let claimer = dev_key(2);
    let v = call_tx(
        &client,
        &claimer,
        bridge,
        "claim",
        encode(&(proof.clone(), signals.clone())),
    );
    let receipt = &v["receipt"];
    assert_eq!(receipt["status"], "ok", "{v}");
    assert_eq!(receipt["output"], hex::encode(encode(&1_000u64)));
    assert_eq!(receipt["events"][0]["topic"], "claim");
    // The same claim again: the transaction is valid, the call reverts, the fee is paid.
    let v = call_tx(
        &client,
        &claimer,
        bridge,
        "claim",
        encode(&(proof, signals)),
    );
    assert_eq!(v["receipt"]["status"], "failed");
    assert!(
        v["receipt"]["error"]
            .as_str()
            .expect("error")
            .contains("nullifier already claimed")
    );
    assert!(v["receipt"]["fee"].as_str().expect("fee") != "0");
}

#[test]
fn the_node_binary_runs_a_dev_chain() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shortcrust-node"))
        .args(["--dev", "--rpc-addr", "127.0.0.1:0", "--dir"])
        .arg(dir.path().join("node"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut url = None;
    let mut saw_dev_warning = false;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        saw_dev_warning |= line.contains("DEV ONLY");
        if let Some(u) = line.strip_prefix("rpc: ") {
            url = Some(u.to_string());
            break;
        }
    }
    let url = url.expect("the node prints its RPC address");
    assert!(saw_dev_warning);
    let client = shortcrust_node::client::Client::new(&url).expect("client");
    let t = transfer(&dev_key(3), 0, account(&dev_key(4)), 5);
    let v = send_wait(&client, &t);
    assert_eq!(v["receipt"]["status"], "ok");
    let a = client
        .request(
            "sc_getAccount",
            vec![json!(account(&dev_key(4)).to_string())],
        )
        .expect("account");
    assert_eq!(a["balance"], (shortcrust_node::DEV_BALANCE + 5).to_string());
    let _ = child.kill();
    let _ = child.wait();
}
