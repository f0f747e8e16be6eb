//! `shortcrust calibrate`: a quick run produces every measurement, and the schedule it prints as
//! "in force" is the one the pricing functions charge. No assertion on timings (they vary).

use serde_json::Value;
use shortcrust_crypto as crypto;

use crate::support::shortcrust;

fn positive(value: &Value) -> bool {
    value.as_f64().is_some_and(|v| v > 0.0 && v.is_finite())
}

#[test]
fn quick_calibration_measures_wasm_and_every_host_function() {
    let run = shortcrust(&["calibrate", "--quick", "--json"]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let json = run.json();
    assert_eq!(json["ok"], true, "{json}");
    assert_eq!(json["quick"], true);
    assert_eq!(
        json["gas_per_nanosecond_frozen"],
        crypto::gas::GAS_PER_NANOSECOND
    );

    let wasm = &json["wasm"];
    assert!(positive(&wasm["ns_per_gas"]), "{wasm}");
    assert!(positive(&wasm["gas_per_ns"]), "{wasm}");
    let entries: Vec<&str> = wasm["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"].as_str().unwrap())
        .collect();
    assert_eq!(entries, ["field_iterate", "mix_iterate"]);
    for entry in wasm["entries"].as_array().unwrap() {
        let points = entry["points"].as_array().unwrap();
        assert!(points.len() >= 2, "{entry}");
        // More rounds, more gas: the gas counts are the VM's, deterministic.
        let gas: Vec<u64> = points.iter().map(|p| p["gas"].as_u64().unwrap()).collect();
        assert!(gas.windows(2).all(|w| w[0] < w[1]), "{gas:?}");
        assert!(points.iter().all(|p| positive(&p["ns"])), "{entry}");
    }

    let functions = json["host_functions"].as_array().unwrap();
    // Every cryptographic host function of the ABI table is calibrated (state and call
    // functions are priced by the VM and not measured here).
    for name in [
        "blake2b_256",
        "sha256",
        "keccak256",
        "hash_to_scalar",
        "poseidon_hash",
        "poseidon_bn254",
        "verify_plonk",
        "verify_groth16_bn254",
        "verify_schnorr",
        "verify_bip340",
        "verify_ed25519",
        "verify_bls",
        "verify_bls_aggregate",
    ] {
        assert!(
            functions.iter().any(|f| f["function"] == name),
            "{name} missing"
        );
    }
    assert_eq!(
        functions
            .iter()
            .filter(|f| f["function"] == "verify_bls_aggregate")
            .count(),
        4,
        "one entry per scheme and mode"
    );
    for f in functions {
        let points = f["points"].as_array().unwrap();
        assert!(!points.is_empty(), "{f}");
        for p in points {
            assert!(positive(&p["ns"]), "{f}");
            assert!(p["gas_in_force"].as_u64().is_some_and(|g| g > 0), "{f}");
        }
        assert!(f["in_force"]["base"].as_u64().is_some_and(|g| g > 0), "{f}");
        for line in ["fitted_ns", "fitted_gas", "fitted_gas_frozen_rate"] {
            assert!(
                f[line]["base"].is_f64() && f[line]["per_unit"].is_f64(),
                "{f}"
            );
        }
        let flag = f["flag"].as_str().unwrap();
        assert!(
            ["ok", "under-priced", "over 3×", "no positive fit"].contains(&flag),
            "{f}"
        );
        if flag != "no positive fit" {
            assert!(positive(&f["ratio"]["min"]), "{f}");
            assert!(
                f["ratio"]["max"].as_f64() >= f["ratio"]["min"].as_f64(),
                "{f}"
            );
        }
    }

    // The price in force at each measured size is what the VM charges under the newest schedule
    // (v2: 3/2 of the crypto formula, `Schedule::crypto_gas`).
    let latest =
        shortcrust_vm::gas::Schedule::for_protocol(shortcrust_abi::LATEST_PROTOCOL_VERSION)
            .expect("a schedule");
    let blake = functions
        .iter()
        .find(|f| f["function"] == "blake2b_256")
        .unwrap();
    for p in blake["points"].as_array().unwrap() {
        let words = p["units"].as_u64().unwrap() as usize;
        assert_eq!(
            p["gas_in_force"],
            latest.crypto_gas(crypto::blake2b_256_gas(words * 32)),
            "{p}"
        );
    }
    let ed25519 = functions
        .iter()
        .find(|f| f["function"] == "verify_ed25519")
        .unwrap();
    assert_eq!(
        ed25519["in_force"]["base"],
        latest.crypto_gas(crypto::verify_ed25519_gas(32, 0, 64))
    );
}

#[test]
fn calibration_text_shows_the_fitted_schedule_beside_the_one_in_force() {
    let run = shortcrust(&["calibrate", "--quick"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for heading in [
        "WASM rate",
        "WASM execution",
        "Native cost of the cryptographic host functions",
        "Schedule: fitted",
        "in force / fitted",
        "verify_bls_aggregate  dusk distinct",
    ] {
        assert!(run.stdout.contains(heading), "{heading}:\n{}", run.stdout);
    }
}

#[test]
fn workloads_report_a_fairness_ratio_for_every_cost_driver() {
    // A small state keeps the test short (the default, 10⁶ keys, is the price's state).
    let run = crate::support::shortcrust(&[
        "calibrate",
        "--workloads",
        "--quick",
        "--json",
        "--state-keys",
        "20000",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let workloads = json["workloads"].as_array().expect("workloads");
    let cold = workloads
        .iter()
        .find(|w| w["name"] == "storage_read_cold")
        .expect("the cold-storage workload");
    assert_eq!(cold["state_keys"], 20_000, "{cold}");
    assert_eq!(workloads[0]["state_keys"], Value::Null);
    let names: Vec<&str> = workloads
        .iter()
        .filter_map(|w| w["name"].as_str())
        .collect();
    for expected in [
        "int_mul_chain",
        "div_chain",
        "float_sqrt_div",
        "load_scattered",
        "call_indirect_chain",
        "locals_shuffle",
        "br_table_random",
        "pointer_chase_64k",
        "pointer_chase_16m",
        "branch_random",
        "call_chain",
        "memory_fill_16m",
        "memory_fill_small",
        "memory_fill",
        "host_gas_left",
        "storage_read_cold",
        "storage_write_cold",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for w in workloads {
        // The longer run does four times the iterations of the shorter: more gas, always.
        let gas = w["gas"].as_array().expect("two runs");
        assert!(gas[1].as_u64() > gas[0].as_u64(), "{w}");
        assert!(w["loop_gas"].as_u64().is_some_and(|g| g > 0), "{w}");
        // A time difference (quick runs of page-fault-heavy workloads can measure 0).
        let f = w["fairness"].as_f64().expect("a ratio");
        assert!(f >= 0.0 && f.is_finite(), "{w}");
    }
    let mul = &workloads[0];
    assert_eq!(mul["name"], "int_mul_chain");
    assert!(mul["fairness"].as_f64().is_some_and(|f| f > 0.0), "{mul}");
    assert_eq!(json["protocol_version"], 2);
    assert!(
        json["block_worst_case_ms"]
            .as_f64()
            .is_some_and(|ms| ms > 0.0)
    );
}

/// Each protocol's schedule prices the same workload: gas is deterministic, so the v1 loop costs
/// exactly what schedule v1 says (1 gas per instruction but locals and constants) and v2 more.
#[test]
fn workloads_run_under_the_schedule_of_the_protocol_asked_for() {
    let loop_gas = |protocol: &str| {
        let run = crate::support::shortcrust(&[
            "calibrate",
            "--workloads",
            "--quick",
            "--json",
            "--protocol",
            protocol,
            "--only",
            "int_mul_chain",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json = run.json();
        assert_eq!(json["workloads"].as_array().map(Vec::len), Some(1));
        json["workloads"][0]["loop_gas"].as_u64().expect("loop gas")
    };
    let (v1, v2) = (loop_gas("1"), loop_gas("2"));
    // 15,000 iterations (20,000 − 5,000) of 16 × (i64.mul, i64.xor) + the loop's
    // i64.eqz, br_if, i64.sub, br: under v1 1 gas each.
    assert_eq!(v1, 15_000 * (16 * 2 + 4));
    assert!(v2 > 3 * v1, "{v1} {v2}");
    let run = crate::support::shortcrust(&["calibrate", "--workloads", "--only", "nope"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    // An empty state has no key to read: refused before anything runs.
    let run = crate::support::shortcrust(&["calibrate", "--workloads", "--state-keys", "0"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
}
