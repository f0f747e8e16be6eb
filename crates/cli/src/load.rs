//! Load against a running chain's validators (`shortcrust devnet --load KIND`): finalized
//! transactions per second and time to finality, measured from the outside over JSON-RPC.
//!
//! # Method
//!
//! - `senders` fresh accounts (keys derived from [`dev_key`] at 10,000 + i) are funded from the
//!   dev accounts first; sender `s` sends through validator `s mod n`, so every validator's
//!   mempool takes client traffic and gossip carries it to the others.
//! - Transactions are signed before the clock starts. Each validator's thread submits its
//!   senders' transactions in waves of [`WINDOW`] per sender (`sc_sendTransactions`, one batch
//!   per wave; the mempool admits at most 64 pending transactions per sender) and starts the
//!   next wave once the previous one is final.
//! - A watcher polls validator 0 for new blocks (every 2 ms); a transaction's finality time is
//!   when the watcher first sees the block holding it, minus when its batch was sent. On a
//!   validators' chain a node stores only finalized blocks, so "in a stored block" is "final".
//! - Throughput is the transactions divided by the time from the first send to the last
//!   transaction seen final. Idle finality is measured apart: [`IDLE_SAMPLES`] transfers sent
//!   one at a time, each waited for.
//! - Nothing is measured before the chain is warm (two rounds of leaders finalized, see
//!   `warm_up`): the first seconds after start measure p2p dialling, not consensus.
//!
//! Kinds: `transfers` (signed native transfers) and `bridge` (Groth16 claims on the bridge
//! contract: each a real BN254 proof, with a fresh nullifier, verified by every validator).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shortcrust_chain::{AccountId, Action, SignedTransaction, SigningKey};
use shortcrust_crypto::groth16::testkit::SquareRootsCircuit;
use shortcrust_node::client::{Client, ClientError, sign};
use shortcrust_node::dev_key;

use crate::error::CliError;

/// Transactions per sender in flight (the mempool admits 64 per sender).
pub const WINDOW: usize = 32;
/// Transfers timed one at a time for the idle finality figure.
pub const IDLE_SAMPLES: usize = 20;
/// How long the whole load may take before it is declared stuck.
const LOAD_TIMEOUT: Duration = Duration::from_secs(600);
/// The seed of the bridge load's Groth16 keys.
const BRIDGE_SEED: u64 = 12;

/// What to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LoadKind {
    /// Signed native transfers.
    Transfers,
    /// Groth16 (BN254) claims on the bridge contract.
    Bridge,
}

/// What a load measured.
#[derive(Clone, Debug)]
pub struct LoadReport {
    pub kind: LoadKind,
    pub validators: usize,
    pub transactions: usize,
    pub seconds: f64,
    pub blocks: u64,
    pub latencies_ms: Vec<f64>,
    /// Idle finality samples, in the order they were taken.
    pub idle_ms: Vec<f64>,
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

impl LoadReport {
    pub fn tps(&self) -> f64 {
        self.transactions as f64 / self.seconds.max(1e-9)
    }

    pub fn json(&self) -> Value {
        let p = |v: &[f64], q| (percentile(v, q) * 10.0).round() / 10.0;
        json!({
            "kind": format!("{:?}", self.kind).to_lowercase(),
            "validators": self.validators,
            "transactions": self.transactions,
            "seconds": self.seconds,
            "blocks": self.blocks,
            "finalized_tx_per_s": self.tps().round(),
            "finality_under_load_ms": {"p50": p(&self.latencies_ms, 50.0), "p99": p(&self.latencies_ms, 99.0)},
            "finality_idle_ms": {"p50": p(&self.idle_ms, 50.0), "p99": p(&self.idle_ms, 99.0)},
            "finality_idle_samples_ms": self.idle_ms.iter().map(|v| v.round()).collect::<Vec<_>>(),
        })
    }

    pub fn text(&self) -> String {
        let p = percentile;
        format!(
            "load: {} {:?} across {} validators in {:.2} s ({} blocks)\n  finalized          {:.0} tx/s\n  finality, loaded   p50 {:.0} ms  p99 {:.0} ms\n  finality, idle     p50 {:.0} ms  p99 {:.0} ms ({} transfers one at a time)\n",
            self.transactions,
            self.kind,
            self.validators,
            self.seconds,
            self.blocks,
            self.tps(),
            p(&self.latencies_ms, 50.0),
            p(&self.latencies_ms, 99.0),
            p(&self.idle_ms, 50.0),
            p(&self.idle_ms, 99.0),
            self.idle_ms.len(),
        )
    }
}

fn rpc(e: ClientError) -> CliError {
    CliError::Measurement(e.to_string())
}

fn signed(
    key: &SigningKey,
    chain_id: u64,
    nonce: u64,
    extra_gas: u64,
    action: Action,
) -> Result<SignedTransaction, CliError> {
    sign(key, chain_id, nonce, extra_gas, 1, action)
        .map_err(|e| CliError::Measurement(format!("signing: {e}")))
}

/// Sends `txs` in one batch; fails on any refusal.
fn send_batch(client: &Client, txs: &[SignedTransaction]) -> Result<Vec<String>, CliError> {
    let encoded: Vec<Value> = txs
        .iter()
        .map(|t| json!(hex::encode(t.to_bytes())))
        .collect();
    let answer = client
        .request("sc_sendTransactions", vec![Value::Array(encoded)])
        .map_err(rpc)?;
    let items = answer.as_array().cloned().unwrap_or_default();
    items
        .iter()
        .map(|item| {
            item["hash"].as_str().map(str::to_string).ok_or_else(|| {
                CliError::Measurement(format!("a load transaction was refused: {item}"))
            })
        })
        .collect()
}

/// Sends one transaction and waits for it; returns its receipt.
fn send_and_wait(client: &Client, tx: &SignedTransaction) -> Result<Value, CliError> {
    let hash = client.send(tx).map_err(rpc)?;
    let included = client
        .wait_included(&hash, Duration::from_secs(60))
        .map_err(rpc)?;
    if included["receipt"]["status"] != "ok" {
        return Err(CliError::Measurement(format!(
            "setup transaction failed: {}",
            included["receipt"]
        )));
    }
    Ok(included)
}

/// A deployed bridge with a registered key, and the circuit that proves its claims.
struct Bridge {
    contract: [u8; 32],
    circuit: SquareRootsCircuit,
    claim_gas: u64,
}

fn claim_input(circuit: &SquareRootsCircuit, index: u64) -> Vec<u8> {
    // Public signals [nullifier, recipient_hi, recipient_lo, amount] are the squares of the
    // roots: a fresh nullifier per claim, a fixed recipient, an amount of 100.
    let proof = circuit.prove_with_roots(&[1_000 + index, 7, 11, 10], index);
    let signals: Vec<[u8; 32]> = proof
        .public_inputs
        .chunks_exact(32)
        .filter_map(|c| c.try_into().ok())
        .collect();
    borsh::to_vec(&(proof.proof, signals)).unwrap_or_default()
}

fn claim_action(bridge: &Bridge, index: u64) -> Action {
    Action::Call {
        contract: bridge.contract,
        entry: "claim".into(),
        input: claim_input(&bridge.circuit, index),
        amount: 0,
    }
}

/// Deploys the bridge from dev account 0, registers the circuit's key, and makes one claim to
/// learn its gas.
fn setup_bridge(client: &Client, chain_id: u64) -> Result<Bridge, CliError> {
    let operator = dev_key(0);
    let code = shortcrust_test_contracts::BRIDGE.to_vec();
    let deploy_gas = shortcrust_vm::gas::deploy_cost(code.len()).saturating_add(100_000_000);
    let nonce = client.nonce(&operator).map_err(rpc)?;
    let deploy = signed(
        &operator,
        chain_id,
        nonce,
        deploy_gas,
        Action::Deploy {
            code,
            init: None,
            nonce: 0,
        },
    )?;
    let receipt = send_and_wait(client, &deploy)?;
    let contract = crate::format::parse_hex32(
        "bridge contract",
        receipt["receipt"]["contract"].as_str().unwrap_or(""),
    )?;
    let circuit = SquareRootsCircuit::setup(BRIDGE_SEED, 4);
    let register = signed(
        &operator,
        chain_id,
        nonce + 1,
        100_000_000,
        Action::Call {
            contract,
            entry: "register_verifying_key".into(),
            input: borsh::to_vec(&circuit.verifying_key()).unwrap_or_default(),
            amount: 0,
        },
    )?;
    send_and_wait(client, &register)?;
    let mut bridge = Bridge {
        contract,
        circuit,
        claim_gas: 1_000_000_000,
    };
    let first = signed(
        &operator,
        chain_id,
        nonce + 2,
        bridge.claim_gas,
        claim_action(&bridge, u64::MAX / 2),
    )?;
    let receipt = send_and_wait(client, &first)?;
    let used = receipt["receipt"]["gas_used"].as_u64().unwrap_or(0);
    // The gas limit is the intrinsic gas plus this: the measured use, with a margin.
    bridge.claim_gas = used + used / 5;
    Ok(bridge)
}

/// Funds `senders` new accounts from the dev accounts (through validator 0) and waits for it.
fn fund(client: &Client, chain_id: u64, senders: &[SigningKey]) -> Result<(), CliError> {
    // Dev accounts 1 to 8 (0 operates the bridge, 9 times idle finality).
    let funders: Vec<SigningKey> = (1..9).map(dev_key).collect();
    let mut nonces = Vec::new();
    for f in &funders {
        nonces.push(client.nonce(f).map_err(rpc)?);
    }
    let mut txs = Vec::new();
    for (i, s) in senders.iter().enumerate() {
        let f = i % funders.len();
        let to = AccountId::from(&s.verifying_key());
        txs.push(signed(
            &funders[f],
            chain_id,
            nonces[f],
            0,
            Action::Transfer {
                to,
                amount: 1_000_000_000_000_000_000_000,
            },
        )?);
        nonces[f] += 1;
    }
    for chunk in txs.chunks(WINDOW * funders.len()) {
        let hashes = send_batch(client, chunk)?;
        for h in hashes {
            client
                .wait_included(&h, Duration::from_secs(60))
                .map_err(rpc)?;
        }
    }
    Ok(())
}

/// Runs `count` transactions of `kind` through the validators at `rpcs`.
pub fn run_load(
    rpcs: &[String],
    kind: LoadKind,
    count: usize,
    senders: usize,
) -> Result<LoadReport, CliError> {
    let clients: Vec<Client> = rpcs
        .iter()
        .map(|u| Client::new(u).map_err(rpc))
        .collect::<Result<_, _>>()?;
    let Some(first) = clients.first() else {
        return Err(CliError::Measurement("no validators to load".into()));
    };
    let chain_id = first.chain_id().map_err(rpc)?;
    let bridge = match kind {
        LoadKind::Bridge => Some(setup_bridge(first, chain_id)?),
        LoadKind::Transfers => None,
    };
    warm_up(&clients)?;
    let idle_ms = idle_finality(&clients, chain_id)?;

    let senders = senders.clamp(1, count.max(1));
    let keys: Vec<SigningKey> = (0..senders as u32).map(|i| dev_key(10_000 + i)).collect();
    fund(first, chain_id, &keys)?;
    wait_synced(&clients)?;
    let sink = AccountId::from(&dev_key(20_000).verifying_key());
    // waves[v][w]: the transactions validator v's thread sends in wave w.
    let n = clients.len();
    let mut waves: Vec<Vec<Vec<SignedTransaction>>> = vec![Vec::new(); n];
    for (i, index) in (0..count).enumerate() {
        let s = i % senders;
        let nonce = (i / senders) as u64;
        let action = match &bridge {
            Some(b) => claim_action(b, index as u64),
            None => Action::Transfer {
                to: sink,
                amount: 1,
            },
        };
        let extra = bridge.as_ref().map_or(0, |b| b.claim_gas);
        let tx = signed(&keys[s], chain_id, nonce, extra, action)?;
        let wave = nonce as usize / WINDOW;
        let per_validator = &mut waves[s % n];
        if per_validator.len() <= wave {
            per_validator.resize(wave + 1, Vec::new());
        }
        per_validator[wave].push(tx);
    }

    let start_height = first.status().map_err(rpc)?["head_height"]
        .as_u64()
        .unwrap_or(0);
    let seen: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (seen, done, url) = (seen.clone(), done.clone(), rpcs[0].clone());
        std::thread::spawn(move || watch(&url, start_height, &seen, &done))
    };
    let started = Instant::now();
    let mut threads = Vec::new();
    for (v, waves) in waves.into_iter().enumerate() {
        let (url, seen) = (rpcs[v].clone(), seen.clone());
        threads.push(std::thread::spawn(move || send_waves(&url, waves, &seen)));
    }
    let mut sent: HashMap<String, Instant> = HashMap::new();
    let mut failure = None;
    for t in threads {
        match t.join() {
            Ok(Ok(times)) => sent.extend(times),
            Ok(Err(e)) => failure = Some(e),
            Err(_) => failure = Some(CliError::Measurement("a sender thread panicked".into())),
        }
    }
    done.store(true, Ordering::SeqCst);
    let last_height = watcher
        .join()
        .map_err(|_| CliError::Measurement("the watcher panicked".into()))??;
    if let Some(e) = failure {
        return Err(e);
    }
    check_effects(first, bridge.as_ref(), sink, count)?;
    let seen = seen
        .lock()
        .map_err(|_| CliError::Measurement("poisoned".into()))?;
    let mut latencies: Vec<f64> = sent
        .iter()
        .filter_map(|(h, t)| {
            seen.get(h)
                .map(|s| s.duration_since(*t).as_secs_f64() * 1e3)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let end = sent.keys().filter_map(|h| seen.get(h)).max().copied();
    let seconds = end.map_or(0.0, |e| e.duration_since(started).as_secs_f64());
    Ok(LoadReport {
        kind,
        validators: n,
        transactions: count,
        seconds,
        blocks: last_height.saturating_sub(start_height),
        latencies_ms: latencies,
        idle_ms,
    })
}

/// Waits until the chain is warm: two full rounds of leaders finalized (every validator has
/// proposed, so every p2p link is up) and every validator has stored them. Right after start,
/// a validator's peers may still be dialling it (authenticated p2p dials every 500 ms): a
/// transaction it gossips then reaches no one, and waits for that validator's own turn to lead.
fn warm_up(clients: &[Client]) -> Result<(), CliError> {
    let rounds = 2 * clients.len() as u64;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let head = clients[0].status().map_err(rpc)?["head_height"]
            .as_u64()
            .unwrap_or(0);
        if head >= rounds {
            break;
        }
        if Instant::now() > deadline {
            return Err(CliError::Measurement(
                "the chain does not finalize blocks".into(),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    wait_synced(clients)
}

/// Waits until every validator has stored validator 0's head (the funding is then known to
/// every mempool that will admit the load).
fn wait_synced(clients: &[Client]) -> Result<(), CliError> {
    let height = |c: &Client| -> Result<u64, CliError> {
        Ok(c.status().map_err(rpc)?["head_height"]
            .as_u64()
            .unwrap_or(0))
    };
    let target = height(&clients[0])?;
    let deadline = Instant::now() + Duration::from_secs(60);
    for c in clients {
        while height(c)? < target {
            if Instant::now() > deadline {
                return Err(CliError::Measurement("a validator is not following".into()));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    Ok(())
}

/// Checks that the load did what it says, not merely that its transactions were included: the
/// sink holds one unit per transfer, or the bridge minted 100 per claim (plus the setup claim).
fn check_effects(
    client: &Client,
    bridge: Option<&Bridge>,
    sink: AccountId,
    count: usize,
) -> Result<(), CliError> {
    let (found, expected) = match bridge {
        None => {
            let v = client
                .request("sc_getAccount", vec![json!(sink.to_string())])
                .map_err(rpc)?;
            let balance: u128 = v["balance"]
                .as_str()
                .and_then(|b| b.parse().ok())
                .unwrap_or(0);
            (balance, count as u128)
        }
        Some(b) => {
            let v = client
                .request(
                    "sc_call",
                    vec![json!({"contract": hex::encode(b.contract), "entry": "total_supply"})],
                )
                .map_err(rpc)?;
            let bytes = hex::decode(v["output"].as_str().unwrap_or("")).unwrap_or_default();
            let supply = <[u8; 8]>::try_from(bytes.as_slice()).map_or(0, u64::from_le_bytes);
            (u128::from(supply), 100 * (count as u128 + 1))
        }
    };
    if found != expected {
        return Err(CliError::Measurement(format!(
            "the load's effect is {found}, expected {expected}: some transactions failed"
        )));
    }
    Ok(())
}

/// Transfers sent one at a time, each waited for: finality on an otherwise idle chain.
fn idle_finality(clients: &[Client], chain_id: u64) -> Result<Vec<f64>, CliError> {
    let key = dev_key(9);
    let to = AccountId::from(&dev_key(20_001).verifying_key());
    let mut out = Vec::with_capacity(IDLE_SAMPLES);
    // Counted here: the next validator asked may not have stored the last block yet.
    let mut nonce = clients[0].nonce(&key).map_err(rpc)?;
    for i in 0..IDLE_SAMPLES {
        let client = &clients[i % clients.len()];
        nonce += u64::from(i > 0);
        let tx = signed(&key, chain_id, nonce, 0, Action::Transfer { to, amount: 1 })?;
        let t = Instant::now();
        send_and_wait(client, &tx)?;
        out.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(out)
}

/// One validator's sender: each wave once the previous one is final. Returns send times.
fn send_waves(
    url: &str,
    waves: Vec<Vec<SignedTransaction>>,
    seen: &Mutex<HashMap<String, Instant>>,
) -> Result<HashMap<String, Instant>, CliError> {
    let client = Client::new(url).map_err(rpc)?;
    let deadline = Instant::now() + LOAD_TIMEOUT;
    let mut sent = HashMap::new();
    for wave in waves {
        let now = Instant::now();
        let hashes = send_batch(&client, &wave)?;
        for h in &hashes {
            sent.insert(h.clone(), now);
        }
        loop {
            let all = {
                let seen = seen
                    .lock()
                    .map_err(|_| CliError::Measurement("poisoned".into()))?;
                hashes.iter().all(|h| seen.contains_key(h))
            };
            if all {
                break;
            }
            if Instant::now() > deadline {
                return Err(CliError::Measurement(
                    "the load did not finish in time".into(),
                ));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    Ok(sent)
}

/// Records when each transaction is first seen in a block of validator `url`.
fn watch(
    url: &str,
    start_height: u64,
    seen: &Mutex<HashMap<String, Instant>>,
    done: &AtomicBool,
) -> Result<u64, CliError> {
    let client = Client::new(url).map_err(rpc)?;
    let mut height = start_height;
    while !done.load(Ordering::SeqCst) {
        let head = client.status().map_err(rpc)?["head_height"]
            .as_u64()
            .unwrap_or(height);
        while height < head {
            height += 1;
            let block = client
                .request("sc_getBlockByHeight", vec![json!(height)])
                .map_err(rpc)?;
            let now = Instant::now();
            let mut seen = seen
                .lock()
                .map_err(|_| CliError::Measurement("poisoned".into()))?;
            for h in block["transactions"].as_array().into_iter().flatten() {
                if let Some(h) = h.as_str() {
                    seen.entry(h.to_string()).or_insert(now);
                }
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok(height)
}
