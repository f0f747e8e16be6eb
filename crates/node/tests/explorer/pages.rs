//! Every page of the explorer, against a dev node with real contracts and transactions.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use serde_json::{Value, json};
use shortcrust_chain::{Action, SigningKey};
use shortcrust_node::client::Client;
use shortcrust_node::{DEV_BALANCE, dev_key};

use crate::browser::{Browser, screenshot_dir};
use crate::support::*;

/// Deploys `code` from dev key 0; returns the contract id (hex).
fn deploy_hex(client: &Client, code: &[u8], init: Option<(&str, Vec<u8>)>) -> String {
    hex::encode(deploy(client, code, init, 0).0.0)
}

fn call(client: &Client, key: &SigningKey, contract: &str, entry: &str, input: Vec<u8>) -> Value {
    let n = client.nonce(key).expect("nonce");
    let contract: [u8; 32] = hex::decode(contract)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let t = tx(
        key,
        n,
        GAS,
        Action::Call {
            contract,
            entry: entry.into(),
            input,
            amount: 0,
        },
    );
    send_wait(client, &t)
}

fn id32(hex_id: &str) -> [u8; 32] {
    hex::decode(hex_id)
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

/// Runs `f` on another thread: the RPC client blocks on its own runtime, which cannot run
/// inside the browser's async code.
fn off<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("no panic"))
}

/// `DEV_BALANCE` grouped as the explorer prints amounts (narrow no-break spaces).
fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[test]
fn every_page_in_headless_chromium() {
    let node = TestNode::start();
    let client = node.client();
    let base = node.url();

    // Contracts and transactions: a token transfer (events), a counter, and a caller whose
    // nested call fails (the revert path goes through two frames).
    let alice = dev_key(0);
    let bob_key = dev_key(1);
    let bob = account(&bob_key).to_string();
    let token = deploy_hex(
        &client,
        shortcrust_test_contracts::TOKEN,
        Some(("init", encode(&1_000_000u64))),
    );
    let counter = deploy_hex(&client, shortcrust_test_contracts::COUNTER, None);
    let caller = deploy_hex(&client, shortcrust_test_contracts::CALLER, None);
    let transfer = call(
        &client,
        &alice,
        &token,
        "transfer",
        encode(&(id32(&bob), 250u64)),
    );
    assert_eq!(transfer["receipt"]["status"], "ok", "{transfer}");
    let transfer_hash = transfer["hash"].as_str().expect("hash").to_string();
    let transfer_height = transfer["block_height"].as_u64().expect("height");
    let counted = call(&client, &bob_key, &counter, "increment", Vec::new());
    assert_eq!(counted["receipt"]["status"], "ok", "{counted}");
    // `increment_counter` on the token: the token has no `increment`, the caller reverts.
    let failing = call(
        &client,
        &alice,
        &caller,
        "increment_counter",
        encode(&id32(&token)),
    );
    assert_eq!(failing["receipt"]["status"], "failed", "{failing}");
    let failing_hash = failing["hash"].as_str().expect("hash").to_string();

    let _ = std::fs::remove_dir_all(screenshot_dir());
    node.runtime.block_on(async {
        let b = Browser::start().await;

        // --- Overview: head, finalized, throughput chart, latest blocks; live updates.
        b.open(&format!("{base}/")).await;
        let head = off(|| client.status().expect("status"))["head_height"]
            .as_u64()
            .expect("head");
        b.wait_text("h1", "Chain overview").await;
        b.wait_text("#stat-head", &format!("#{head}")).await;
        b.wait_text("#stat-final", &format!("#{head}")).await;
        b.wait_text("#stat-chain", "1337").await;
        b.wait_text("#tps-caption", "Transactions per second").await;
        b.wait_text("#latest-blocks", &format!("#{head}")).await;
        b.wait_text("#latest-txs", "increment_counter").await;
        b.wait_text("#live-text", "live").await;
        let bars = b
            .js("return document.querySelectorAll('#tps-chart rect.bar').length;", vec![])
            .await;
        let chart = b.js("return document.querySelector('#tps-chart').outerHTML.slice(0, 600);", vec![]).await;
        assert_eq!(bars, json!(30), "one bar per 10 s over 5 minutes: {chart}");
        // Live: a new block appears without reloading, and the layout above it does not move.
        let top_before = b
            .js("return document.querySelector('#latest-h').getBoundingClientRect().top;", vec![])
            .await;
        let live_tx = off(|| call(&client, &bob_key, &counter, "increment", Vec::new()));
        let live_height = live_tx["block_height"].as_u64().expect("height");
        b.wait_text("#stat-head", &format!("#{live_height}")).await;
        b.wait_text("#latest-blocks tr:first-child", &format!("#{live_height}"))
            .await;
        let top_after = b
            .js("return document.querySelector('#latest-h').getBoundingClientRect().top;", vec![])
            .await;
        assert_eq!(top_before, top_after, "live data moved the layout");
        b.screenshot("overview").await;

        // --- Block list, then a block page reached by a click.
        b.open(&format!("{base}/blocks")).await;
        b.wait_text("caption", &format!("of {}", live_height + 1)).await;
        let rows = b.js("return document.querySelectorAll('tbody tr').length;", vec![]).await;
        assert_eq!(rows, json!(live_height + 1), "every block listed (fewer than a page)");
        b.js(
            "document.querySelector(`a[href='/block/${arguments[0]}']`).click();",
            vec![json!(transfer_height)],
        )
        .await;
        b.wait_path(&format!("/block/{transfer_height}")).await;
        b.wait_text("h1", &format!("Block #{transfer_height}")).await;
        b.wait_text("main", &transfer_hash[..8]).await;
        b.wait_text("main", "Gas used").await;
        let meter = b.js("return !!document.querySelector('dl.fields meter');", vec![]).await;
        assert_eq!(meter, json!(true), "gas used against the limit as a meter");
        b.wait_text("tbody", "ok").await;
        b.screenshot("block").await;

        // --- Transaction: status, sender, fee, call tree with host-function gas, flame graph,
        // decoded events.
        b.js(&format!("document.querySelector(\"a[href='/tx/{transfer_hash}']\").click();"), vec![])
            .await;
        b.wait_path(&format!("/tx/{transfer_hash}")).await;
        b.wait_text("main", "Summary").await;
        b.wait_text("dl.fields", "ok").await;
        let summary = b.text("dl.fields").await.expect("summary");
        assert!(summary.contains(&account(&alice).to_string()), "sender: {summary}");
        let fee = transfer["receipt"]["fee"].as_str().expect("fee");
        assert!(summary.contains(&grouped(fee.parse().expect("fee"))), "fee {fee}: {summary}");
        let tree = b.wait_text("#call-tree", "transfer").await;
        assert!(tree.contains("storage_write"), "host-function gas in the call tree: {tree}");
        assert!(tree.contains("WASM instructions"), "{tree}");
        let flame = b
            .js("return document.querySelectorAll('#flame rect').length;", vec![])
            .await;
        assert!(flame.as_u64().expect("count") >= 3, "flame graph frames: {flame}");
        b.wait_text("#ev-h + .table-wrap", "transfer").await;
        b.wait_text("#ev-h + .table-wrap", "250").await;
        b.screenshot("transaction").await;

        // --- Contract: metadata, entry points, a query from the form, storage, events.
        b.open(&format!("{base}/contract/{token}")).await;
        b.wait_text("h1", "Contract").await;
        let info = b.wait_text("dl.fields", "Code hash").await;
        assert!(info.contains(&account(&alice).to_string()), "owner: {info}");
        b.wait_text(".entries", "balance_of(account: [u8; 32]) → u64").await;
        b.wait_text(".entries", "transfer").await;
        b.js(
            "const f = document.querySelector(\"form[data-entry='balance_of']\"); \
             f.querySelector('textarea').value = JSON.stringify({account: arguments[0]}); \
             f.querySelector('button').click();",
            vec![json!(bob)],
        )
        .await;
        b.wait_text("form[data-entry='balance_of'] output", "result: 250").await;
        b.wait_text("#st-h + .table-wrap", "key(s)").await;
        b.wait_text("#contract-events", "transfer").await;
        b.screenshot("contract").await;

        // --- Proof view from a storage key's "prove" link: checked in the browser.
        b.js("document.querySelector('#st-h + .table-wrap a[href^=\"/proof\"]').click();", vec![])
            .await;
        b.wait_path("/proof?").await;
        b.wait_text("#proof-verdict", "Proven: the key holds 0x").await;
        let steps = b.text("#proof-steps").await.expect("steps");
        assert!(!steps.contains('✗'), "{steps}");
        assert!(steps.contains("state root"), "{steps}");
        b.screenshot("proof").await;
        // An account's record, against an older block.
        b.open(&format!("{base}/proof?account={bob}&block={transfer_height}")).await;
        b.wait_text("#proof-verdict", "Proven: the key holds").await;
        // --- Account: balance, nonce, recent transactions.
        b.open(&format!("{base}/account/{bob}")).await;
        b.wait_text("#nonce", "2").await;
        let balance = b.text("#balance").await.expect("balance");
        let expected: u128 = off(|| client.request("sc_getAccount", vec![json!(bob)]).expect("account"))["balance"]
            .as_str()
            .expect("balance")
            .parse()
            .expect("number");
        assert!(expected < DEV_BALANCE, "bob paid fees");
        assert_eq!(balance, grouped(expected));
        b.wait_text("#atx-h + .table-wrap", "increment").await;
        b.screenshot("account").await;

        // --- Search: a height, a transaction hash, a contract id, an account id, typed in the
        // search box and submitted with Enter.
        for (query, path) in [
            (transfer_height.to_string(), format!("/block/{transfer_height}")),
            (failing_hash.clone(), format!("/tx/{failing_hash}")),
            (counter.clone(), format!("/contract/{counter}")),
            (bob.clone(), format!("/account/{bob}")),
        ] {
            b.js(
                "const q = document.querySelector('#q'); q.value = arguments[0]; \
                 q.form.requestSubmit();",
                vec![json!(query)],
            )
            .await;
            b.wait_path(&path).await;
        }
        // An unknown hash says so.
        b.open(&format!("{base}/search?q={}", "ab".repeat(32))).await;
        b.wait_text("main", "Nothing on chain matches").await;
        b.screenshot("search").await;

        // --- The failing transaction, from search, to its revert path and message.
        b.open(&format!("{base}/search?q={failing_hash}")).await;
        b.wait_path(&format!("/tx/{failing_hash}")).await;
        b.wait_text("dl.fields", "failed").await;
        b.wait_text("#revert-message", "counter failed").await;
        let path = b.wait_text("#revert-path", "increment_counter").await;
        let frames = b
            .js("return document.querySelectorAll('#revert-path li').length;", vec![])
            .await;
        assert_eq!(frames, json!(2), "caller → token: {path}");
        assert!(path.contains("increment"), "{path}");
        b.screenshot("transaction-failed").await;

        // --- Keyboard: the first Tab reaches the skip link; the search box is reachable.
        b.open(&format!("{base}/")).await;
        let first = b
            .js(
                "document.activeElement.blur(); document.body.focus(); return null;",
                vec![],
            )
            .await;
        assert!(first.is_null());
        let tab = fantoccini::key::Key::Tab.into();
        b.client
            .perform_actions(
                KeyActions::new("keyboard".into())
                    .then(KeyAction::Down { value: tab })
                    .then(KeyAction::Up { value: tab }),
            )
            .await
            .expect("tab");
        let focused = b.js("return document.activeElement.textContent;", vec![]).await;
        assert_eq!(focused, json!("Skip to content"));

        // --- Phone width: no horizontal scrolling on the overview and a transaction.
        b.client.set_window_size(390, 844).await.expect("resize");
        for (name, url) in [
            ("phone-overview", format!("{base}/")),
            ("phone-transaction", format!("{base}/tx/{transfer_hash}")),
        ] {
            b.open(&url).await;
            b.wait_text("main", "").await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            let overflow = b
                .js(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                    vec![],
                )
                .await;
            assert_eq!(overflow, json!(0), "{name}: page wider than the phone");
            b.screenshot(name).await;
        }
        b.close().await;
    });

    for name in [
        "overview",
        "block",
        "transaction",
        "contract",
        "proof",
        "account",
        "search",
        "transaction-failed",
        "phone-overview",
        "phone-transaction",
    ] {
        assert!(
            screenshot_dir().join(format!("{name}.png")).exists(),
            "screenshot {name}"
        );
    }
}
