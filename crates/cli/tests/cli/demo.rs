//! `shortcrust demo`: the showcase scenario.

use crate::support::shortcrust;

#[test]
fn demo_runs_every_step_as_expected() {
    let run = shortcrust(&["demo"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("insufficient balance: have 255000, need 1000000"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("only the owner may mint"));
    assert!(
        run.stdout
            .contains("caught revert: insufficient balance: have 0, need 10")
    );
    assert!(!run.stdout.contains("UNEXPECTED"));

    let json = shortcrust(&["demo", "--json"]).json();
    assert_eq!(json["ok"], true, "{json}");
    let calls = json["calls"].as_array().unwrap();
    assert!(calls.iter().all(|c| c["as_expected"] == true));
    assert_eq!(calls.iter().filter(|c| c["ok"] == false).count(), 2);
    // Deterministic: the same scenario gives the same root and the same gas.
    let again = shortcrust(&["demo", "--json"]).json();
    assert_eq!(json["root"], again["root"]);
    assert_eq!(json["gas_spent"], again["gas_spent"]);
    assert_eq!(json["contracts"].as_array().unwrap().len(), 3);
}
