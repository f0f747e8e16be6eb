//! The tour's report: the text tables (deploys; one row per step with its result, gas, wall
//! time and host-function share; the light-client checks) and the `--json` object.

use serde_json::{Value, json};
use shortcrust_vm::Root;

use super::light_client::Check;
use super::proofs::{CACHE_VERSION, Fixtures};
use super::{CHAIN_ID, Deployed, OPERATOR, Step};
use crate::format::{Align, Table, gas, truncate};
use crate::report::Report;

/// Scenario keys (as in `Step::scenario`) and their headings, in tour order.
pub const SCENARIOS: [(&str, &str); 5] = [
    (
        "basics",
        "0 · plain contracts, for contrast: no cryptography, the host functions are storage and calls",
    ),
    (
        "darkpool",
        "1 · dark pool: hidden balances proven with PLONK, the match attested by a Dusk BLS multisignature",
    ),
    (
        "bridge",
        "2 · bridge: a circom/snarkjs Groth16 proof of a deposit mints wrapped tokens, once",
    ),
    (
        "committee",
        "3 · committee: IETF BLS keys with proofs of possession; more than 2/3 of the stake attests (fast aggregate)",
    ),
    (
        "wallet",
        "4 · wallet: Dusk Schnorr, BIP-340 and Ed25519 accounts sign transfers; nonces refuse replays",
    ),
];

/// Everything the report shows.
pub struct Tour<'a> {
    pub contracts: &'a [Deployed],
    pub names: &'a [([u8; 32], String)],
    pub steps: &'a [Step],
    pub root: Root,
    pub checks: &'a [Check],
    pub fixtures: &'a Fixtures,
    pub millis: u128,
}

impl Tour<'_> {
    fn name_of(&self, id: &[u8; 32]) -> String {
        self.names
            .iter()
            .find(|(known, _)| known == id)
            .map_or_else(|| hex::encode(id), |(_, name)| name.clone())
    }
}

/// `part / whole` as a percentage with one decimal.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".into();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    part as f64 / whole as f64
}

fn millis(micros: u128) -> String {
    format!("{:.2}", micros as f64 / 1000.0)
}

/// The host function that charged the most gas in a step, with its number of calls.
fn heaviest(step: &Step) -> String {
    step.host
        .iter()
        .max_by_key(|h| h.gas)
        .map(|h| {
            if h.calls > 1 {
                format!("{} ×{}", h.name, h.calls)
            } else {
                h.name.to_string()
            }
        })
        .unwrap_or_default()
}

fn steps_table(tour: &Tour) -> String {
    let mut table = Table::new(&[
        ("#", Align::Right),
        ("step", Align::Left),
        ("contract::entry", Align::Left),
        ("result", Align::Left),
        ("gas", Align::Right),
        ("ms", Align::Right),
        ("host", Align::Right),
        ("crypto", Align::Right),
        ("heaviest host function", Align::Left),
    ]);
    let mut scenario = "";
    for (number, step) in tour.steps.iter().enumerate() {
        if step.scenario != scenario {
            scenario = step.scenario;
            // A marker row (`@` and the scenario's index), replaced by its heading once rendered.
            if let Some(index) = SCENARIOS.iter().position(|(key, _)| *key == scenario) {
                table.row(vec![format!("@{index}")]);
            }
        }
        let mut result = truncate(&step.result, 72);
        if !step.as_expected {
            result = format!("UNEXPECTED {result}");
        }
        table.row(vec![
            (number + 1).to_string(),
            step.what.clone(),
            format!("{}::{}", step.contract, step.entry),
            result,
            gas(step.gas),
            millis(step.micros),
            percent(step.host_gas, step.gas),
            percent(step.crypto_gas, step.gas),
            heaviest(step),
        ]);
    }
    let rendered = table.render();
    let mut out = String::new();
    for line in rendered.lines() {
        let heading = line
            .trim()
            .strip_prefix('@')
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| SCENARIOS.get(index))
            .map(|(_, title)| *title);
        match heading {
            Some(title) => out.push_str(&format!("\n{title}\n")),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn deploys_table(tour: &Tour) -> String {
    let mut table = Table::new(&[
        ("contract", Align::Left),
        ("id", Align::Left),
        ("bytes", Align::Right),
        ("deploy gas", Align::Right),
        ("ms", Align::Right),
    ]);
    for c in tour.contracts {
        table.row(vec![
            c.name.to_string(),
            c.id.to_string(),
            gas(c.code_bytes as u64),
            gas(c.gas),
            millis(c.micros),
        ]);
    }
    table.render()
}

fn checks_table(tour: &Tour) -> String {
    let mut table = Table::new(&[
        ("light-client check", Align::Left),
        ("storage key", Align::Left),
        ("proof", Align::Right),
        ("verdict from the bytes and the root", Align::Left),
    ]);
    for check in tour.checks {
        let key = match check.key.split_first() {
            Some((prefix, account)) => match <[u8; 32]>::try_from(account) {
                Ok(account) => format!("{}‖{}", *prefix as char, tour.name_of(&account)),
                Err(_) => hex::encode(&check.key),
            },
            None => String::new(),
        };
        let mut verdict = truncate(&check.verdict, 90);
        if !check.as_expected {
            verdict = format!("UNEXPECTED {verdict} (expected {})", check.expected);
        }
        table.row(vec![
            check.what.to_string(),
            key,
            format!("{} B", check.proof_bytes),
            verdict,
        ]);
    }
    table.render()
}

fn fixtures_line(f: &Fixtures) -> String {
    let source = if f.from_cache {
        format!("loaded from the cache {}", f.cache.display())
    } else {
        match &f.cache_error {
            None => format!("made now and cached in {}", f.cache.display()),
            Some(e) => format!("made now (not cached: {e})"),
        }
    };
    format!(
        "Fixtures: the dark pool's PLONK setup and 4 balance proofs {source} ({} ms); every other key, signature and proof is made from fixed seeds on each run.\n",
        f.millis
    )
}

pub fn render(tour: &Tour) -> Report {
    let surprises: Vec<String> = tour
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.as_expected)
        .map(|(i, s)| {
            format!(
                "step {} ({}::{}): {} — expected {}",
                i + 1,
                s.contract,
                s.entry,
                s.result,
                s.expected
            )
        })
        .chain(tour.checks.iter().filter(|c| !c.as_expected).map(|c| {
            format!(
                "light client, {}: {} — expected {}",
                c.what, c.verdict, c.expected
            )
        }))
        .collect();
    let total: u64 = tour.steps.iter().map(|s| s.gas).sum();
    let host: u64 = tour.steps.iter().map(|s| s.host_gas).sum();
    let crypto: u64 = tour.steps.iter().map(|s| s.crypto_gas).sum();
    let refused = tour.steps.iter().filter(|s| !s.ok).count();

    let mut text = String::from(
        "Shortcrust demo — a tour of the seed's applications with real proofs and signatures, on a throw-away in-memory VM\n",
    );
    text.push_str(&fixtures_line(tour.fixtures));
    text.push('\n');
    text.push_str(&deploys_table(tour));
    text.push_str(&steps_table(tour));
    text.push_str(&format!(
        "\n{} transactions ({refused} refused, as expected); {} gas in total, {} of it charged by host functions, {} by the cryptographic ones.\n",
        tour.steps.len(),
        gas(total),
        percent(host, total),
        percent(crypto, total)
    ));
    text.push_str(&format!(
        "\n5 · light client: the session is committed; proofs are checked against the state root alone\nstate root {}\n\n",
        tour.root
    ));
    text.push_str(&checks_table(tour));
    text.push_str(&format!(
        "\nAccounts: operator = 01…01 (owns every contract), alice = a1…a1, bob = b0…b0, carol = c0…c0, dave = da…da, relayer = 7e…7e; chain id {CHAIN_ID}.\n\"host\": the share of a step's gas charged by host functions (cryptography, storage, events, calls); \"crypto\": by the cryptographic ones (hashes, proof and signature checks). Times are native wall-clock on this machine and no part of the results; the gas and the root are the same on every run. Total {:.1} s.\n",
        tour.millis as f64 / 1000.0
    ));
    if !surprises.is_empty() {
        text.push_str("\nUNEXPECTED OUTCOMES:\n");
        for s in &surprises {
            text.push_str(&format!("  {s}\n"));
        }
    }
    Report {
        json: to_json(tour, &surprises, [total, host, crypto]),
        text,
        success: surprises.is_empty(),
    }
}

/// `totals`: gas, host-function gas and cryptographic host-function gas of all the steps.
fn to_json(tour: &Tour, surprises: &[String], totals: [u64; 3]) -> Value {
    let [total, host, crypto] = totals;
    let f = tour.fixtures;
    json!({
        "ok": surprises.is_empty(),
        "error": if surprises.is_empty() { Value::Null } else { json!(surprises.join("; ")) },
        "chain_id": CHAIN_ID,
        "fixtures": {
            "version": CACHE_VERSION,
            "cache": f.cache.display().to_string(),
            "from_cache": f.from_cache,
            "cache_error": f.cache_error,
            "millis": f.millis,
        },
        "contracts": tour.contracts.iter().map(|c| json!({
            "name": c.name,
            "id": c.id.to_string(),
            "owner": hex::encode(OPERATOR),
            "code_bytes": c.code_bytes,
            "deploy_gas": c.gas,
            "micros": c.micros,
        })).collect::<Vec<_>>(),
        "steps": tour.steps.iter().enumerate().map(|(i, s)| json!({
            "number": i + 1,
            "scenario": s.scenario,
            "what": s.what,
            "sender": hex::encode(s.sender),
            "sender_name": tour.name_of(&s.sender),
            "contract": s.contract,
            "contract_id": s.contract_id.to_string(),
            "entry": s.entry,
            "input_bytes": s.input_bytes,
            "args": s.args,
            "expected": s.expected,
            "result": s.result,
            "ok": s.ok,
            "error": s.error,
            "output": hex::encode(&s.output),
            "gas_spent": s.gas,
            "host_gas": s.host_gas,
            "host_share": share(s.host_gas, s.gas),
            "crypto_gas": s.crypto_gas,
            "crypto_share": share(s.crypto_gas, s.gas),
            "host_functions": s.host.iter().map(|h| json!({
                "name": h.name, "calls": h.calls, "gas": h.gas,
            })).collect::<Vec<_>>(),
            "events": s.events,
            "micros": s.micros,
            "as_expected": s.as_expected,
        })).collect::<Vec<_>>(),
        "gas_spent": total,
        "host_gas": host,
        "host_share": share(host, total),
        "crypto_gas": crypto,
        "crypto_share": share(crypto, total),
        "root": tour.root.to_string(),
        "light_client": tour.checks.iter().map(|c| json!({
            "what": c.what,
            "contract": c.contract.to_string(),
            "key": hex::encode(&c.key),
            "proof_bytes": c.proof_bytes,
            "expected": c.expected,
            "verdict": c.verdict,
            "value": c.value.as_ref().map(hex::encode),
            "verified": c.verdict.starts_with("present") || c.verdict == "absent",
            "as_expected": c.as_expected,
        })).collect::<Vec<_>>(),
        "millis": tour.millis,
    })
}
