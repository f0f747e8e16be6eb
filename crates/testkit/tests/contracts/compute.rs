//! `contracts/compute`: pure WASM loops, whose gas grows exactly linearly with the rounds.

use shortcrust_test_contracts::COMPUTE;
use shortcrust_testkit::Harness;

#[test]
fn loops_cost_the_same_per_round() {
    let mut h = Harness::new().expect("harness");
    let alice = h.account("alice");
    let compute = h.deploy("compute", COMPUTE).expect("deploy");
    let mut gas = super::snapshot("compute");
    for entry in ["field_iterate", "mix_iterate"] {
        let mut costs = Vec::new();
        for rounds in [1_000u64, 2_000, 3_000] {
            let out = h
                .query(alice, compute, entry, &(7u64, rounds))
                .expect("query");
            assert!(out.value::<u64>().is_ok(), "{entry} {rounds}");
            costs.push(out.gas());
        }
        assert_eq!(
            costs[2] - costs[1],
            costs[1] - costs[0],
            "{entry}: linear in rounds"
        );
        gas.record(&format!("{entry} (1,000 rounds)"), costs[0]);
        gas.record(
            &format!("{entry} (per 1,000 more rounds)"),
            costs[1] - costs[0],
        );
    }
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
