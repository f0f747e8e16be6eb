//! Every RPC error code, garbage, oversized requests and replays: a precise error each time and
//! nothing changed.

use std::io::{Read, Write};

use serde_json::{Value, json};
use shortcrust_chain::{
    Action, MAX_TX_BYTES, MempoolConfig, SigningKey, Transaction, TransactionV1, accounts_contract,
};
use shortcrust_node::{DEV_CHAIN_ID, RpcCode, dev_genesis, dev_key};

use crate::support::*;

/// The node's head and mempool size, to check that a refusal changed nothing.
fn snapshot(node: &TestNode) -> (u64, usize) {
    (node.node.head().header.height, node.node.mempool_len())
}

fn expect(node: &TestNode, method: &str, params: Vec<Value>, code: RpcCode) {
    let before = snapshot(node);
    let got = code_of(&node.client(), method, params);
    assert_eq!(got, code.code(), "{method}: expected {code:?}");
    assert_eq!(snapshot(node), before, "{method} changed the node");
}

fn raw_tx(
    key: &SigningKey,
    f: impl FnOnce(&mut TransactionV1),
) -> shortcrust_chain::SignedTransaction {
    let mut body = TransactionV1 {
        chain_id: DEV_CHAIN_ID,
        sender: key.verifying_key().to_bytes(),
        nonce: 0,
        gas_limit: 10_000_000,
        gas_price: 1,
        action: Action::Transfer {
            to: account(&dev_key(9)),
            amount: 1,
        },
    };
    f(&mut body);
    Transaction::V1(body).sign(key).expect("signs")
}

#[test]
fn every_transaction_error_has_its_code() {
    let node = TestNode::manual(None);
    let key = dev_key(1);
    let send = "sc_sendTransaction";
    // Parameters: not hex, wrong count.
    expect(&node, send, vec![json!("zz")], RpcCode::InvalidParams);
    expect(&node, send, vec![], RpcCode::InvalidParams);
    expect(&node, send, vec![json!(17)], RpcCode::InvalidParams);
    // Not a transaction.
    expect(&node, send, vec![json!("00")], RpcCode::MalformedTx);
    let mut trailing = transfer(&key, 0, account(&dev_key(2)), 1).to_bytes();
    trailing.push(0);
    expect(
        &node,
        send,
        vec![json!(hex::encode(trailing))],
        RpcCode::MalformedTx,
    );
    // Oversized: over MAX_TX_BYTES (refused before decoding).
    expect(
        &node,
        send,
        vec![json!(hex::encode(vec![0u8; MAX_TX_BYTES + 1]))],
        RpcCode::Oversized,
    );
    // Wrong chain.
    let t = raw_tx(&key, |b| b.chain_id = 1);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::WrongChain);
    // Bad signature.
    let mut t = transfer(&key, 0, account(&dev_key(2)), 1);
    t.signature[5] ^= 1;
    expect(&node, send, vec![hex_tx(&t)], RpcCode::BadSignature);
    // Gas limit below the intrinsic gas, and above the block limit.
    let t = raw_tx(&key, |b| b.gas_limit = 1);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::GasLimit);
    let t = raw_tx(&key, |b| b.gas_limit = u64::MAX);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::GasLimit);
    // Gas price below the minimum (1).
    let t = raw_tx(&key, |b| b.gas_price = 0);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::GasPriceTooLow);
    // A sender with no balance.
    let poor = SigningKey::from_bytes(&[42; 32]);
    let t = transfer(&poor, 0, account(&dev_key(2)), 1);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::InsufficientBalance);
    // A nonce far ahead (a gap the mempool will not queue).
    let t = transfer(&key, 1_000, account(&dev_key(2)), 1);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::NonceGap);

    // Admitted once, then already known; included, then a replay (nonce too low).
    let t = transfer(&key, 0, account(&dev_key(2)), 1);
    let client = node.client();
    let hash = client.send(&t).expect("admitted");
    expect(&node, send, vec![hex_tx(&t)], RpcCode::AlreadyKnown);
    let pending = client
        .request("sc_getTransaction", vec![json!(hash)])
        .expect("pending");
    assert_eq!(pending["status"], "pending");
    let block = node
        .node
        .produce_block(false)
        .expect("block")
        .expect("produced");
    assert_eq!(block.block.transactions.len(), 1);
    expect(&node, send, vec![hex_tx(&t)], RpcCode::NonceTooLow);
    let included = client
        .request("sc_getTransaction", vec![json!(hash)])
        .expect("included");
    assert_eq!(included["status"], "included");

    // The batch form reports each error in place.
    let good = transfer(&key, 1, account(&dev_key(2)), 1);
    let r = client
        .request(
            "sc_sendTransactions",
            vec![json!([
                hex::encode(good.to_bytes()),
                "00",
                hex::encode(t.to_bytes())
            ])],
        )
        .expect("batch answered");
    assert_eq!(r[0]["hash"], good.hash().to_string());
    assert_eq!(r[1]["error"]["code"], RpcCode::MalformedTx.code());
    assert_eq!(r[2]["error"]["code"], RpcCode::NonceTooLow.code());
}

#[test]
fn a_full_mempool_refuses() {
    let mut config = MempoolConfig::new(dev_genesis().params);
    config.max_txs = 2;
    let node = TestNode::manual(Some(config));
    let client = node.client();
    for nonce in 0..2 {
        client
            .send(&transfer(&dev_key(1), nonce, account(&dev_key(2)), 1))
            .expect("admitted");
    }
    let t = transfer(&dev_key(3), 0, account(&dev_key(2)), 1);
    expect(
        &node,
        "sc_sendTransaction",
        vec![hex_tx(&t)],
        RpcCode::MempoolFull,
    );
}

#[test]
fn lookups_of_unknown_things_and_bad_parameters() {
    let node = TestNode::manual(None);
    let zero = "00".repeat(32);
    expect(
        &node,
        "sc_getBlockByHeight",
        vec![json!(99)],
        RpcCode::UnknownBlock,
    );
    expect(
        &node,
        "sc_getBlockByHeight",
        vec![json!(-1)],
        RpcCode::InvalidParams,
    );
    expect(
        &node,
        "sc_getBlockByHash",
        vec![json!(zero)],
        RpcCode::UnknownBlock,
    );
    expect(
        &node,
        "sc_getBlockByHash",
        vec![json!("abc")],
        RpcCode::InvalidParams,
    );
    expect(
        &node,
        "sc_getTransaction",
        vec![json!(zero)],
        RpcCode::UnknownTransaction,
    );
    expect(
        &node,
        "sc_getTransaction",
        vec![json!("x")],
        RpcCode::InvalidParams,
    );
    expect(
        &node,
        "sc_getContract",
        vec![json!(zero)],
        RpcCode::UnknownContract,
    );
    expect(
        &node,
        "sc_getProof",
        vec![json!(zero), json!("00")],
        RpcCode::UnknownContract,
    );
    expect(
        &node,
        "sc_getProof",
        vec![json!(zero), json!("0g")],
        RpcCode::InvalidParams,
    );
    expect(
        &node,
        "sc_getAccount",
        vec![json!(zero), json!(5)],
        RpcCode::UnknownBlock,
    );
    expect(
        &node,
        "sc_getAccount",
        vec![json!(zero), json!({"x": 1})],
        RpcCode::InvalidParams,
    );
    expect(
        &node,
        "sc_call",
        vec![json!({"contract": zero, "entry": "x"})],
        RpcCode::UnknownContract,
    );
    expect(
        &node,
        "sc_call",
        vec![json!({"contract": zero, "entry": "x", "bogus": 1})],
        RpcCode::InvalidParams,
    );
    // The accounts system contract carries no schema: JSON args cannot be encoded.
    let system = accounts_contract().to_string();
    expect(
        &node,
        "sc_call",
        vec![json!({"contract": system, "entry": "x", "args": []})],
        RpcCode::NoSchema,
    );
    expect(&node, "sc_noSuchMethod", vec![], RpcCode::MethodNotFound);
    // The account of an unknown id is the empty account, not an error.
    let a = node
        .client()
        .request("sc_getAccount", vec![json!(zero)])
        .expect("account");
    assert_eq!(a["nonce"], 0);
}

/// One raw HTTP POST; returns the status line and the body.
fn post(node: &TestNode, body: &[u8]) -> (String, String) {
    let mut s = std::net::TcpStream::connect(node.addr).expect("connects");
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        node.addr,
        body.len()
    );
    s.write_all(head.as_bytes()).expect("writes");
    // The server may answer and close before reading all of an oversized body.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.lines().next().unwrap_or("").to_string();
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[test]
fn garbage_and_oversized_requests() {
    let node = TestNode::manual(None);
    let before = snapshot(&node);
    let (status, body) = post(&node, b"{not json");
    assert!(status.contains("200"), "{status}");
    assert!(
        body.contains(&RpcCode::ParseError.code().to_string()),
        "{body}"
    );
    let (_, body) = post(&node, br#"{"jsonrpc":"2.0","id":1}"#);
    assert!(
        body.contains(&RpcCode::InvalidRequest.code().to_string()) || body.contains("-32601"),
        "{body}"
    );
    // Over the 8 MiB request limit.
    let big = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"sc_sendTransaction","params":["{}"]}}"#,
        "0".repeat(9 << 20)
    );
    let (status, _) = post(&node, big.as_bytes());
    assert!(status.contains("413"), "{status}");
    assert_eq!(snapshot(&node), before);
}
