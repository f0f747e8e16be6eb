//! The seed's security model, tested: a validator whose `verify_groth16_bn254` host function
//! lies (it accepts an invalid proof, so the bridge contract mints) cannot get a block
//! finalized; the honest validators' state never holds the false mint.

use std::time::Duration;

use commonware_runtime::Clock as _;

use shortcrust_chain::{Action, Hash32, SignedTransaction, TxStatus};
use shortcrust_crypto::snarkjs;
use shortcrust_node::consensus::Behaviour;
use shortcrust_node::{DEV_CHAIN_ID, dev_key};
use shortcrust_test_contracts::BRIDGE;

use crate::harness::{Sim, simulate, validator_account};

const VERIFYING_KEY: &str =
    include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/verification_key.json");
const PROOF: &str = include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/proof.json");
const PUBLIC: &str = include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/public.json");

const GAS: u64 = 2_000_000_000;

fn tx(from: u32, nonce: u64, extra: u64, action: Action) -> SignedTransaction {
    shortcrust_node::client::sign(&dev_key(from), DEV_CHAIN_ID, nonce, extra, 1, action)
        .expect("signs")
}

/// The fixture's real proof, claiming a larger amount than it proves: well-formed, invalid.
fn forged_claim(bridge: [u8; 32], from: u32, nonce: u64) -> SignedTransaction {
    let proof = snarkjs::proof_from_json(PROOF).expect("fixture proof converts");
    let mut signals: Vec<[u8; 32]> = snarkjs::public_inputs_from_json(PUBLIC)
        .expect("fixture signals convert")
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32 bytes"))
        .collect();
    signals[3][31] ^= 1;
    tx(
        from,
        nonce,
        GAS,
        Action::Call {
            contract: bridge,
            entry: "claim".into(),
            input: borsh::to_vec(&(&proof, &signals)).expect("encodes"),
            amount: 0,
        },
    )
}

/// The receipt of `hash` in validator `i`'s finalized chain.
fn receipt(sim: &Sim, i: usize, hash: Hash32) -> Option<shortcrust_chain::Receipt> {
    let db = sim.node(i).db();
    let at = db.tx_location(&hash).unwrap()?;
    Some(db.receipts(at.height).unwrap()?[at.index as usize].clone())
}

#[test]
fn a_validator_whose_groth16_host_function_lies_cannot_finalize_the_false_mint() {
    simulate(6, |context| async move {
        let sim = Sim::start_with_liars(&context, vec![Behaviour::Honest; 4], vec![3]).await;
        // The bridge and its verifying key, through signed transactions (gossiped).
        let key = snarkjs::verifying_key_from_json(VERIFYING_KEY).expect("key converts");
        let deploy = tx(
            0,
            0,
            shortcrust_vm::gas::deploy_cost(BRIDGE.len()) + GAS,
            Action::Deploy {
                code: BRIDGE.to_vec(),
                init: None,
                nonce: 0,
            },
        );
        sim.node(0)
            .submit(vec![deploy.clone()])
            .remove(0)
            .expect("admitted");
        let mut bridge = None;
        for _ in 0..600 {
            context.sleep(Duration::from_millis(50)).await;
            if let Some(r) = receipt(&sim, 0, deploy.hash()) {
                assert_eq!(r.status, TxStatus::Ok);
                bridge = r.contract;
                break;
            }
        }
        let bridge = bridge.expect("the bridge is deployed");
        let register = tx(
            0,
            1,
            GAS,
            Action::Call {
                contract: bridge,
                entry: "register_verifying_key".into(),
                input: borsh::to_vec(&key).expect("encodes"),
                amount: 0,
            },
        );
        sim.node(1)
            .submit(vec![register.clone()])
            .remove(0)
            .expect("admitted");
        loop {
            context.sleep(Duration::from_millis(50)).await;
            if sim
                .node(0)
                .db()
                .tx_location(&register.hash())
                .unwrap()
                .is_some()
            {
                assert_eq!(
                    receipt(&sim, 0, register.hash()).unwrap().status,
                    TxStatus::Ok
                );
                break;
            }
        }
        // A forged claim only the liar holds: when it leads, it "verifies" it, mints, and
        // advertises the resulting state root. Finalization trails proposals by a few views:
        // blocks this far above the finalized head were proposed after the liar held it.
        let liar_armed_at = sim.node(0).head().header.height + 3;
        let own_claim = forged_claim(bridge, 2, 0);
        sim.node(3)
            .admit(vec![own_claim.clone()])
            .remove(0)
            .expect("admitted");
        sim.wait_for_height(
            &context,
            &[0, 1, 2],
            liar_armed_at + 8,
            Duration::from_secs(300),
        )
        .await;
        let refused: u64 = (0..3).map(|i| sim.refused(i)).sum();
        assert!(
            refused >= 1,
            "honest validators refused {refused} proposals"
        );
        // Then a forged claim every validator hears of: honest leaders include it, and it
        // fails. The liar, re-executing that block with its lying host function, disagrees
        // with the finalized chain and stops following it.
        let gossiped = forged_claim(bridge, 1, 0);
        sim.node(2)
            .submit(vec![gossiped.clone()])
            .remove(0)
            .expect("admitted");
        let target = liar_armed_at + 16;
        sim.wait_for_height(&context, &[0, 1, 2], target, Duration::from_secs(300))
            .await;
        sim.assert_agree(&[0, 1, 2], target);

        // Honest validators included the gossiped claim and found the proof invalid.
        let r = receipt(&sim, 0, gossiped.hash()).expect("the forged claim was included");
        assert!(
            matches!(&r.status, TxStatus::Failed(m) if m.contains("proof does not verify")),
            "the forged claim: {:?}",
            r.status
        );
        assert!(r.events.is_empty(), "no mint event");
        // The liar's blocks (each with its "valid" claim) were all refused: none is
        // finalized. The liar itself stays behind.
        let liar = validator_account(&sim, 3);
        for h in liar_armed_at + 1..=target {
            let block = sim.node(0).db().block(h).unwrap().unwrap();
            assert_ne!(
                block.header.proposer, liar,
                "the liar's block {h} was finalized"
            );
        }
        assert!(
            sim.node(0)
                .db()
                .tx_location(&own_claim.hash())
                .unwrap()
                .is_none(),
            "the claim only the liar held (and \"verified\") was never finalized"
        );
        assert!(sim.node(3).head().header.height < target);
    });
}
