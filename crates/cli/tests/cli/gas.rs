//! `shortcrust gas`: the schedule in force.

use crate::support::shortcrust;

#[test]
fn gas_schedule_lists_every_host_function_with_the_prices_in_force() {
    let run = shortcrust(&["gas", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let functions = json["host_functions"].as_array().unwrap();
    for decl in shortcrust_abi::HOST_FUNCTIONS {
        assert!(
            functions.iter().any(|f| f["name"] == decl.name),
            "{} missing",
            decl.name
        );
    }
    let vm = json["vm"].as_array().unwrap();
    let tx_base = vm.iter().find(|c| c["name"] == "TX_BASE").unwrap();
    assert_eq!(tx_base["gas"], shortcrust_vm::gas::TX_BASE);
    let ed25519 = functions
        .iter()
        .find(|f| f["name"] == "verify_ed25519")
        .unwrap();
    // The newest schedule (v2) charges 3/2 of the crypto formula; v1 the formula itself.
    let formula = shortcrust_crypto::verify_ed25519_gas(32, 0, 64);
    assert_eq!(ed25519["formulas"][0]["base"], formula * 3 / 2);
    let v1 = shortcrust(&["gas", "--protocol", "1", "--json"]).json();
    let v1_ed25519 = v1["host_functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "verify_ed25519")
        .unwrap()
        .clone();
    assert_eq!(v1_ed25519["formulas"][0]["base"], formula);

    let text = shortcrust(&["gas"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("verify_bls_aggregate  ietf fast"),
        "{}",
        text.stdout
    );
}
