//! `shortcrust devnet`: four validator processes on loopback. Transactions sent to different
//! validators are finalized everywhere; one validator is killed (SIGKILL) and the three left
//! keep finalizing, agreeing on the head and its state root; a light client checks a balance
//! at a final block from any node; SIGTERM stops the devnet and every validator.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shortcrust_chain::{AccountId, Action, SigningKey, accounts_contract};
use shortcrust_node::client::{Client, sign};
use shortcrust_node::dev_key;

use crate::support::shortcrust;

const TIMEOUT: Duration = Duration::from_secs(90);

/// The devnet process and its validators' pids: killed if the test fails half-way.
struct Devnet {
    child: Child,
    pids: Vec<i32>,
    rpcs: Vec<String>,
}

impl Drop for Devnet {
    fn drop(&mut self) {
        for &pid in &self.pids {
            // SAFETY: kill(2) with a pid this test read from the devnet's output; it touches no
            // memory (a pid already gone makes it fail harmlessly).
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_devnet(dir: &std::path::Path) -> Devnet {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shortcrust"))
        .args(["devnet", "--validators", "4", "--idle-wait", "200", "--dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("devnet starts");
    let stdout = child.stdout.take().expect("piped");
    let mut devnet = Devnet {
        child,
        pids: Vec::new(),
        rpcs: Vec::new(),
    };
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("devnet printed its validators")
            .expect("utf-8");
        // "validator 0: pid 123 rpc http://127.0.0.1:4567 account ab…"
        if let Some(rest) = line.strip_prefix("validator ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            devnet.pids.push(words[2].parse().expect("a pid"));
            devnet.rpcs.push(words[4].to_string());
        }
        if line.starts_with("devnet running") {
            break;
        }
    }
    // Keep draining the devnet's stdout so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    assert_eq!(devnet.pids.len(), 4, "four validators");
    devnet
}

fn balance(client: &Client, id: &AccountId) -> u128 {
    let v = client
        .request("sc_getAccount", vec![json!(id.to_string())])
        .expect("sc_getAccount");
    v["balance"]
        .as_str()
        .and_then(|b| b.parse().ok())
        .expect("a balance")
}

/// Waits until every client's node holds `amount` in `id`.
fn wait_balance(clients: &[&Client], id: &AccountId, amount: u128) {
    let start = Instant::now();
    for client in clients {
        while balance(client, id) != amount {
            assert!(
                start.elapsed() < TIMEOUT,
                "{id} never held {amount} on every node"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn transfer(client: &Client, from: &SigningKey, to: AccountId, amount: u128) -> String {
    let nonce = client.nonce(from).expect("nonce");
    let tx = sign(from, 1337, nonce, 0, 1, Action::Transfer { to, amount }).expect("signs");
    client.send(&tx).expect("accepted")
}

fn status(client: &Client) -> Value {
    client.status().expect("sc_status")
}

#[test]
fn four_validators_finalize_survive_a_kill_and_serve_light_clients() {
    let dir = tempfile::tempdir().unwrap();
    let devnet = start_devnet(dir.path());
    let clients: Vec<Client> = devnet
        .rpcs
        .iter()
        .map(|url| Client::new(url).expect("client"))
        .collect();

    // One transfer sent to each validator, from a different dev account.
    let recipients: Vec<AccountId> = (0..4)
        .map(|i| AccountId::from(&dev_key(100 + i).verifying_key()))
        .collect();
    for (i, client) in clients.iter().enumerate() {
        let hash = transfer(client, &dev_key(i as u32), recipients[i], 1_000 + i as u128);
        client.wait_included(&hash, TIMEOUT).expect("finalized");
    }
    let everyone: Vec<&Client> = clients.iter().collect();
    for (i, to) in recipients.iter().enumerate() {
        wait_balance(&everyone, to, 1_000 + i as u128);
    }

    // Kill validator 3 outright: the three others (a quorum of 2f + 1) go on.
    // SAFETY: kill(2) on a pid the devnet printed; it touches no memory.
    unsafe {
        libc::kill(devnet.pids[3], libc::SIGKILL);
    }
    let survivors = &clients[..3];
    let late = AccountId::from(&dev_key(200).verifying_key());
    for (i, client) in survivors.iter().enumerate() {
        let hash = transfer(client, &dev_key(4 + i as u32), late, 7);
        client
            .wait_included(&hash, TIMEOUT)
            .expect("finalized without validator 3");
    }
    let survivors: Vec<&Client> = survivors.iter().collect();
    wait_balance(&survivors, &late, 21);

    // Same finalized block and state root at a height all three have reached...
    let heights: Vec<u64> = survivors
        .iter()
        .map(|c| status(c)["head_height"].as_u64().unwrap())
        .collect();
    let common = *heights.iter().min().unwrap();
    let blocks: Vec<Value> = survivors
        .iter()
        .map(|c| {
            c.request("sc_getBlockByHeight", vec![json!(common)])
                .unwrap()
        })
        .collect();
    for b in &blocks[1..] {
        assert_eq!(b["hash"], blocks[0]["hash"], "one block at height {common}");
        assert_eq!(b["state_root"], blocks[0]["state_root"]);
    }
    // ...and the same head, once they are between two blocks (an idle chain makes one every
    // ~200 ms here).
    let start = Instant::now();
    loop {
        let heads: Vec<Value> = survivors.iter().map(|c| status(c)).collect();
        if heads[1..].iter().all(|h| {
            h["head_hash"] == heads[0]["head_hash"]
                && h["head_state_root"] == heads[0]["head_state_root"]
        }) {
            break;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "survivors never agreed: {heads:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // A light client checks `late`'s balance at a final block, from validator 1's answers,
    // trusting only the validator set in validator 0's configuration.
    let config = dir.path().join("validator-0/config.toml");
    let height = common.to_string();
    let bundle = dir.path().join("bundle.json");
    let contract = accounts_contract().to_string();
    let key = late.to_string();
    // `shortcrust --json light verify` of `late`'s record, trusting validator 0's configuration.
    let light = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "light",
            "verify",
            "--config",
            config.to_str().unwrap(),
            "--contract",
            &contract,
            "--key",
            &key,
        ];
        args.extend_from_slice(extra);
        shortcrust(&args)
    };
    let run = light(&[
        "--rpc",
        &devnet.rpcs[1],
        "--height",
        &height,
        "--save",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let out = run.json();
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["block"], blocks[0]["hash"]);
    let value = hex::decode(out["value"].as_str().expect("the account exists")).unwrap();
    let account = shortcrust_chain::Account::decode(Some(&value)).unwrap();
    assert_eq!(account.balance, 21, "the proven record is late's: {out}");

    // Offline, from the saved bundle: the right value verifies, a wrong one does not, and a
    // certificate with one flipped byte proves nothing.
    let offline = |bundle: &std::path::Path, value: &str| {
        light(&["--from", bundle.to_str().unwrap(), "--value", value])
    };
    let right = hex::encode(&value);
    assert_eq!(offline(&bundle, &right).code, 0);
    let wrong = offline(&bundle, "00");
    assert_eq!(wrong.code, 1, "{}", wrong.stdout);
    assert_eq!(wrong.json()["ok"], false);
    let mut saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    let mut cert = hex::decode(saved["certificate"].as_str().unwrap()).unwrap();
    let last = cert.len() - 1;
    cert[last] ^= 1;
    saved["certificate"] = json!(hex::encode(cert));
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, saved.to_string()).unwrap();
    let refused = offline(&tampered, &right);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("certificate")
            || refused.json()["error"]
                .as_str()
                .unwrap()
                .contains("signatures"),
        "{}",
        refused.stdout
    );

    // SIGTERM stops the devnet and its validators.
    let mut devnet = devnet;
    // SAFETY: kill(2) on the devnet child this test spawned and has not reaped.
    unsafe {
        libc::kill(devnet.child.id() as i32, libc::SIGTERM);
    }
    let start = Instant::now();
    let status = loop {
        if let Some(status) = devnet.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < TIMEOUT, "devnet did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "devnet exit: {status}");
    for &pid in &devnet.pids[..3] {
        // SAFETY: signal 0 only asks whether the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        assert!(
            !alive,
            "validator {pid} still runs after the devnet stopped"
        );
    }
}
