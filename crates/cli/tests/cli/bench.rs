//! `shortcrust bench`: a quick run measures every DESIGN §9 figure. No assertion on timings
//! (they vary); the restart figure's "no recompilation" is a fact, not a timing, and is checked.

use crate::support::shortcrust;

#[test]
fn quick_bench_measures_every_figure() {
    let run = shortcrust(&["bench", "--quick", "--json"]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let json = run.json();
    assert_eq!(json["ok"], true, "{json}");
    let figures = json["figures"].as_object().unwrap();
    let keys = [
        "empty_call_us",
        "counter_increments_per_second",
        "token_transfer_tx_us",
        "initial_memory_worst_fairness",
        "counter_increment_fairness",
        "metered_unmetered_field_iterate",
        "metered_unmetered_mix_iterate",
        "host_call_overhead_ns",
        "restart_first_call_us",
        "restart_open_ms",
        "groth16_host_native_ratio",
        "bls_host_native_ratio",
    ];
    for key in keys {
        let figure = &figures[key];
        assert!(
            figure["value"]
                .as_f64()
                .is_some_and(|v| v > 0.0 && v.is_finite()),
            "{key}: {figure}"
        );
        assert!(figure["what"].is_string(), "{key}");
        // Figures with a target say whether they meet it.
        assert_eq!(
            figure["target_at_most"].is_number(),
            figure["meets_target"].is_boolean(),
            "{key}: {figure}"
        );
    }
    assert_eq!(figures.len(), keys.len(), "{json}");
    for key in ["groth16_host_native_ratio", "bls_host_native_ratio"] {
        assert!(figures[key]["host_us"].as_f64().is_some_and(|v| v > 0.0));
        assert!(figures[key]["native_us"].as_f64().is_some_and(|v| v > 0.0));
    }

    // A restarted VM finds the counter's compiled module on disk.
    let restart = &figures["restart_first_call_us"];
    assert_eq!(restart["recompiled"], false, "{restart}");
    assert_eq!(restart["modules_compiled"], 0, "{restart}");
    assert!(
        restart["modules_loaded_from_disk"].as_u64() >= Some(1),
        "{restart}"
    );

    let text = shortcrust(&["bench", "--quick"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("host path / native"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("no recompilation"), "{}", text.stdout);
}

#[test]
fn quick_scenarios_measure_every_scenario_with_its_spread() {
    let run = shortcrust(&["bench", "--scenarios", "--quick", "--json"]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let json = run.json();
    assert_eq!(json["ok"], true, "{json}");
    let scenarios = json["scenarios"].as_object().unwrap();
    let keys = [
        "counter_increment",
        "deploy_cold",
        "first_call_after_deploy",
        "tx_fsync",
        "tx_no_fsync",
        "host_call",
        "plonk_verify",
    ];
    for key in keys {
        let s = &scenarios[key];
        let (low, mid, high) = (
            s["p10_ns"].as_f64().unwrap(),
            s["median_ns"].as_f64().unwrap(),
            s["p90_ns"].as_f64().unwrap(),
        );
        assert!(s["samples"].as_u64() >= Some(3), "{key}: {s}");
        assert!(low <= mid && mid <= high, "{key}: {s}");
        // The host call is a difference of two timings and may come out at or below zero
        // under noise; everything else is a positive duration.
        if key != "host_call" {
            assert!(low > 0.0 && high.is_finite(), "{key}: {s}");
        }
    }
    assert_eq!(scenarios.len(), keys.len(), "{json}");
    // Every cold deploy compiled the counter: nothing was served from a cache.
    let deploy = &scenarios["deploy_cold"];
    assert_eq!(deploy["every_deploy_compiled"], true, "{deploy}");
    assert_eq!(
        deploy["modules_compiled"].as_u64(),
        deploy["samples"].as_u64(),
        "{deploy}"
    );
}
