//! `shortcrust demo`: the tour of the seed. Every step's expected outcome (the refusals with
//! their exact messages), the real cryptography behind each (which host functions ran), the
//! host-gas shares, the light-client checks against the final root — and determinism: a run
//! that makes the dark pool's PLONK fixtures and a run that reads them from the cache print the
//! same gas for every step and the same state root.

use std::process::Command;

use serde_json::Value;

use crate::support::Run;

/// `shortcrust ARGS` with the demo's fixture cache in `cache`.
fn demo(cache: &std::path::Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_shortcrust"))
        .arg("demo")
        .args(args)
        .env("SHORTCRUST_DEMO_CACHE", cache)
        .env_remove("SHORTCRUST_STATE")
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every step of the tour: scenario, contract, entry, and `Some(revert message)` for the
/// expected refusals.
const STEPS: &[(&str, &str, &str, Option<&str>)] = &[
    ("basics", "token", "init", None),
    ("basics", "token", "transfer", None),
    (
        "basics",
        "token",
        "transfer",
        Some("insufficient balance: have 250000, need 1000000"),
    ),
    ("basics", "caller", "increment_counter", None),
    ("darkpool", "darkpool", "register_verifier", None),
    ("darkpool", "darkpool", "set_committee", None),
    ("darkpool", "darkpool", "deposit", None),
    ("darkpool", "darkpool", "deposit", None),
    (
        "darkpool",
        "darkpool",
        "settle",
        Some("committee attestation does not verify (status 0)"),
    ),
    ("darkpool", "darkpool", "settle", None),
    (
        "darkpool",
        "darkpool",
        "settle",
        Some("match already settled"),
    ),
    ("bridge", "bridge", "register_verifying_key", None),
    ("bridge", "bridge", "claim", None),
    (
        "bridge",
        "bridge",
        "claim",
        Some("nullifier already claimed"),
    ),
    ("bridge", "bridge", "transfer", None),
    ("committee", "committee", "admit", None),
    ("committee", "committee", "admit", None),
    ("committee", "committee", "admit", None),
    ("committee", "committee", "admit", None),
    ("committee", "committee", "register_key", None),
    ("committee", "committee", "register_key", None),
    ("committee", "committee", "register_key", None),
    ("committee", "committee", "register_key", None),
    (
        "committee",
        "committee",
        "attest",
        Some("signers hold 60 of 100 stake, more than two thirds is needed"),
    ),
    ("committee", "committee", "attest", None),
    ("wallet", "wallet", "register", None),
    ("wallet", "wallet", "register", None),
    ("wallet", "wallet", "register", None),
    ("wallet", "wallet", "mint", None),
    ("wallet", "wallet", "transfer", None),
    (
        "wallet",
        "wallet",
        "transfer",
        Some("wrong nonce: expected 1, got 0"),
    ),
    ("wallet", "wallet", "transfer", None),
    ("wallet", "wallet", "transfer", None),
];

/// Host functions that must have run (name, calls) in the step numbered `.0` (1-based): the
/// real proofs and signatures of each scenario.
const CRYPTO: &[(usize, &str, u64)] = &[
    (7, "verify_plonk", 1),
    (8, "verify_plonk", 1),
    (9, "verify_bls_aggregate", 1),
    (10, "verify_bls_aggregate", 1),
    (10, "verify_plonk", 2),
    (13, "verify_groth16_bn254", 1),
    (20, "verify_bls", 1),
    (23, "verify_bls", 1),
    (25, "verify_bls_aggregate", 1),
    (26, "verify_schnorr", 1),
    (27, "verify_bip340", 1),
    (28, "verify_ed25519", 1),
    (30, "verify_schnorr", 1),
    (32, "verify_bip340", 1),
    (33, "verify_ed25519", 1),
];

fn host_calls(step: &Value, name: &str) -> u64 {
    step["host_functions"]
        .as_array()
        .expect("host_functions")
        .iter()
        .find(|h| h["name"] == name)
        .and_then(|h| h["calls"].as_u64())
        .unwrap_or(0)
}

fn check_steps(json: &Value) {
    assert_eq!(json["ok"], true, "{json:#}");
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), STEPS.len());
    for (step, (scenario, contract, entry, refusal)) in steps.iter().zip(STEPS) {
        let at = format!("step {}: {step:#}", step["number"]);
        assert_eq!(step["scenario"], *scenario, "{at}");
        assert_eq!(step["contract"], *contract, "{at}");
        assert_eq!(step["entry"], *entry, "{at}");
        assert_eq!(step["as_expected"], true, "{at}");
        assert_eq!(step["ok"], refusal.is_none(), "{at}");
        match refusal {
            Some(message) => {
                assert_eq!(step["error"], format!("reverted: {message}"), "{at}");
                assert_eq!(step["result"], format!("refused: {message}"), "{at}");
            }
            None => assert!(step["error"].is_null(), "{at}"),
        }
        // The host-gas share is present and consistent with the gas.
        let gas = step["gas_spent"].as_u64().expect("gas_spent");
        let host = step["host_gas"].as_u64().expect("host_gas");
        let crypto = step["crypto_gas"].as_u64().expect("crypto_gas");
        assert!(crypto <= host && host < gas, "{at}");
        let share = step["host_share"].as_f64().expect("host_share");
        assert!((share - host as f64 / gas as f64).abs() < 1e-9, "{at}");
        if *scenario == "basics" {
            assert_eq!(crypto, 0, "no cryptography in the plain contracts: {at}");
        }
    }
    for (number, name, calls) in CRYPTO {
        let step = &steps[number - 1];
        assert_eq!(host_calls(step, name), *calls, "{name} in {step:#}");
    }
    // The proof-carrying steps spend most of their gas in the cryptography (since schedule v2
    // prices a storage read cold, at 300 µs, their reads weigh more: step 10 0.84, step 13 0.59).
    for number in [7, 8, 10, 13] {
        let share = steps[number - 1]["crypto_share"].as_f64().expect("share");
        assert!(share > 0.5, "step {number}: {share}");
    }
    assert_eq!(steps[12]["output"], hex(&1_000u64.to_le_bytes()));
    assert_eq!(steps[24]["output"], hex(&80u64.to_le_bytes()));

    let contracts: Vec<&str> = json["contracts"]
        .as_array()
        .expect("contracts")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        contracts,
        [
            "counter",
            "token",
            "caller",
            "verifier",
            "darkpool",
            "bridge",
            "committee",
            "wallet"
        ]
    );

    let checks = json["light_client"].as_array().expect("light_client");
    let verdicts: Vec<&str> = checks
        .iter()
        .filter_map(|c| c["verdict"].as_str())
        .collect();
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[0], "present: 600");
    assert_eq!(verdicts[1], "absent");
    assert!(verdicts[2].starts_with("refused: "), "{verdicts:?}");
    assert!(checks.iter().all(|c| c["as_expected"] == true));
    assert_eq!(checks[0]["value"], hex(&600u64.to_le_bytes()));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn gas_of(json: &Value) -> Vec<u64> {
    json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["gas_spent"].as_u64())
        .collect()
}

#[test]
fn demo_tours_the_seed_deterministically_with_real_proofs() {
    let cache = tempfile::tempdir().expect("temp dir");

    // First run: no cache, so the PLONK setup and proofs are made and cached.
    let cold = demo(cache.path(), &["--json"]);
    assert_eq!(cold.code, 0, "{}\n{}", cold.stdout, cold.stderr);
    let cold = cold.json();
    check_steps(&cold);
    assert_eq!(cold["fixtures"]["from_cache"], false);
    assert!(cold["fixtures"]["cache_error"].is_null(), "{cold:#}");

    // Second run: from the cache; the same gas, step for step, and the same root.
    let warm = demo(cache.path(), &["--json"]);
    assert_eq!(warm.code, 0, "{}\n{}", warm.stdout, warm.stderr);
    let warm = warm.json();
    check_steps(&warm);
    assert_eq!(warm["fixtures"]["from_cache"], true);
    assert_eq!(gas_of(&cold), gas_of(&warm));
    assert_eq!(cold["gas_spent"], warm["gas_spent"]);
    let root = cold["root"].as_str().expect("root");
    assert_eq!(root.len(), 64);
    assert_eq!(warm["root"], root);

    // The text report: every scenario, the refusals, the light client, the same root.
    let text = demo(cache.path(), &[]);
    assert_eq!(text.code, 0, "{}\n{}", text.stdout, text.stderr);
    let out = &text.stdout;
    for heading in [
        "0 · plain contracts",
        "1 · dark pool",
        "2 · bridge",
        "3 · committee",
        "4 · wallet",
        "5 · light client",
    ] {
        assert!(out.contains(heading), "{heading}:\n{out}");
    }
    for (_, _, _, refusal) in STEPS {
        if let Some(message) = refusal {
            assert!(
                out.contains(&format!("refused: {message}")),
                "{message}:\n{out}"
            );
        }
    }
    assert!(out.contains("darkpool::settle"), "{out}");
    assert!(out.contains("verify_plonk ×2"), "{out}");
    assert!(out.contains(&format!("state root {root}")), "{out}");
    assert!(out.contains("present: 600"), "{out}");
    assert!(!out.contains("UNEXPECTED"), "{out}");
}
