//! Many validators, one chain: deterministic simulations of the chain on commonware consensus
//! (fixed seeds, simulated time and network; seconds of wall time each). Every test asserts
//! safety (the same block, hence the same state root, at every height on every honest
//! validator, each with its finalization certificate) and liveness (the chain keeps
//! finalizing).

mod harness;
mod lying_host;

use std::time::Duration;

use commonware_cryptography::Signer as _;
use commonware_utils::TryCollect as _;
use commonware_utils::ordered::Set;
use harness::{Sim, dev_account, simulate, transfer, validator_account};
use shortcrust_chain::read_account;
use shortcrust_node::DEV_CHAIN_ID;
use shortcrust_node::consensus::Behaviour;
use shortcrust_node::consensus::light::{LightError, verify_final, verify_final_through};
use shortcrust_node::consensus::namespace;

const HONEST4: [Behaviour; 4] = [Behaviour::Honest; 4];

#[test]
fn four_honest_validators_finalize_transfers_submitted_to_one() {
    simulate(1, |context| async move {
        let sim = Sim::start(&context, HONEST4.to_vec()).await;
        let to = dev_account(9);
        // Ten transfers, all submitted to validator 2: included when it leads.
        let txs: Vec<_> = (0..10).map(|n| transfer(0, n, to, 1_000)).collect();
        for r in sim.node(2).submit(txs) {
            r.expect("admitted");
        }
        sim.wait_for_height(&context, &[0, 1, 2, 3], 12, Duration::from_secs(120))
            .await;
        let hashes = sim.assert_agree(&[0, 1, 2, 3], 12);
        assert_eq!(hashes.len(), 13);
        // Every validator's state holds the transfers, and the proposer of each block is the
        // validator that led its view.
        let all = [0, 1, 2, 3];
        let proposers: Vec<_> = all.iter().map(|&i| validator_account(&sim, i)).collect();
        for &i in &all {
            let node = sim.node(i);
            let view = node.head_view().unwrap();
            let account = read_account(&*view, &to).unwrap();
            assert_eq!(account.balance, shortcrust_node::DEV_BALANCE + 10_000);
            for h in 1..=12 {
                let block = node.db().block(h).unwrap().unwrap();
                assert!(proposers.contains(&block.header.proposer));
            }
        }
        light_client_checks(&sim, 12);
    });
}

/// A light client checks, offline, that each stored block is final: from the certificate a
/// node stored, the validator set and the chain's namespace. Wrong block, wrong validator
/// set and damaged bytes are each refused precisely.
fn light_client_checks(sim: &Sim, height: u64) {
    let ns = namespace(DEV_CHAIN_ID);
    let db = sim.node(1).db();
    for h in 1..=height {
        let header = db.block(h).unwrap().unwrap().header;
        // Its own certificate, or the first descendant's with the headers in between.
        let (certified, certificate) = db
            .next_finalization(h, u64::MAX)
            .unwrap()
            .expect("a certificate at or above every stored block");
        let descendants: Vec<_> = (h + 1..=certified)
            .map(|d| db.block(d).unwrap().unwrap().header)
            .collect();
        verify_final_through(&ns, &sim.set, &header, &descendants, &certificate)
            .expect("final through its descendants");
        // Any later certificate proves it too, through the chain of headers...
        let later: Vec<_> = (h + 1..=height)
            .map(|d| db.block(d).unwrap().unwrap().header)
            .collect();
        let (top, top_certificate) = db.next_finalization(height, u64::MAX).unwrap().unwrap();
        let mut chain = later.clone();
        chain.extend((height + 1..=top).map(|d| db.block(d).unwrap().unwrap().header));
        verify_final_through(&ns, &sim.set, &header, &chain, &top_certificate)
            .expect("final through the chain up to the top certificate");
        // ...but not through a broken link.
        if let Some(first) = chain.first_mut() {
            first.parent_hash.0[0] ^= 1;
            assert!(matches!(
                verify_final_through(&ns, &sim.set, &header, &chain, &top_certificate),
                Err(LightError::BrokenChain { .. })
            ));
        }
        if certified != h {
            continue;
        }
        let checked = verify_final(&ns, &sim.set, &header, &certificate).expect("final");
        assert_eq!(checked.proposal.payload.0, header.hash().0);
        if h > 1 {
            let other = db.block(h - 1).unwrap().unwrap().header;
            assert!(matches!(
                verify_final(&ns, &sim.set, &other, &certificate),
                Err(LightError::WrongBlock { .. })
            ));
        }
        let strangers: Set<_> = harness::validator_keys(8)[4..]
            .iter()
            .map(|k| k.public_key())
            .try_collect()
            .unwrap();
        assert!(verify_final(&ns, &strangers, &header, &certificate).is_err());
        assert!(matches!(
            verify_final(b"another chain", &sim.set, &header, &certificate),
            Err(LightError::BadSignatures)
        ));
        assert!(matches!(
            verify_final(
                &ns,
                &sim.set,
                &header,
                &certificate[..certificate.len() - 1]
            ),
            Err(LightError::Malformed(_))
        ));
        let mut forged = certificate.clone();
        let last = forged.len() - 1;
        forged[last] ^= 1;
        assert!(verify_final(&ns, &sim.set, &header, &forged).is_err());
    }
}

#[test]
fn a_crashed_validator_restarts_and_catches_up_from_its_peers() {
    simulate(2, |context| async move {
        let mut sim = Sim::start(&context, HONEST4.to_vec()).await;
        sim.wait_for_height(&context, &[0, 1, 2, 3], 3, Duration::from_secs(60))
            .await;
        sim.crash(3).await;
        // Three of four keep finalizing, transactions included (gossiped among them).
        let to = dev_account(8);
        for r in sim
            .node(0)
            .submit((0..5).map(|n| transfer(1, n, to, 7)).collect())
        {
            r.expect("admitted");
        }
        let stopped_at = 3;
        sim.wait_for_height(
            &context,
            &[0, 1, 2],
            stopped_at + 8,
            Duration::from_secs(120),
        )
        .await;
        sim.start_one(&context, 3).await;
        let target = sim.node(0).head().header.height + 4;
        sim.wait_for_height(&context, &[0, 1, 2, 3], target, Duration::from_secs(180))
            .await;
        sim.assert_agree(&[0, 1, 2, 3], target);
        let view = sim.node(3).head_view().unwrap();
        assert_eq!(
            read_account(&*view, &to).unwrap().balance,
            shortcrust_node::DEV_BALANCE + 35
        );
    });
}

#[test]
fn a_partitioned_validator_rejoins_after_the_partition_heals() {
    simulate(3, |context| async move {
        let mut sim = Sim::start(&context, HONEST4.to_vec()).await;
        sim.wait_for_height(&context, &[0, 1, 2, 3], 2, Duration::from_secs(60))
            .await;
        sim.isolate(1).await;
        let before = sim.node(1).head().header.height;
        sim.wait_for_height(&context, &[0, 2, 3], before + 6, Duration::from_secs(120))
            .await;
        // Cut off, it cannot finalize anything alone (one of four is no quorum).
        assert!(sim.node(1).head().header.height <= before + 1);
        sim.heal(1).await;
        let target = sim.node(0).head().header.height + 3;
        sim.wait_for_height(&context, &[0, 1, 2, 3], target, Duration::from_secs(180))
            .await;
        sim.assert_agree(&[0, 1, 2, 3], target);
    });
}

/// Runs four validators, the last with `behaviour`. Transactions flow through the honest ones;
/// the faulty one also holds transactions of its own (admitted without gossip), so every
/// block it proposes is tampered with. Checks that honest validators refuse its proposals,
/// that none of its blocks is finalized, and that the chain keeps going.
fn faulty_proposer_is_refused(seed: u64, behaviour: Behaviour) {
    simulate(seed, move |context| async move {
        let mut behaviours = HONEST4.to_vec();
        behaviours[3] = behaviour;
        let sim = Sim::start(&context, behaviours).await;
        let to = dev_account(7);
        for r in sim
            .node(0)
            .submit((0..20).map(|n| transfer(2, n, to, 1)).collect())
        {
            r.expect("admitted");
        }
        for r in sim
            .node(3)
            .admit((0..5).map(|n| transfer(3, n, to, 1_000)).collect())
        {
            r.expect("admitted");
        }
        sim.wait_for_height(&context, &[0, 1, 2], 12, Duration::from_secs(240))
            .await;
        sim.assert_agree(&[0, 1, 2], 12);
        let byzantine = validator_account(&sim, 3);
        for h in 1..=12 {
            let block = sim.node(0).db().block(h).unwrap().unwrap();
            assert_ne!(
                block.header.proposer, byzantine,
                "block {h}, proposed by the faulty validator ({behaviour:?}), was finalized"
            );
        }
        let refused: u64 = (0..3).map(|i| sim.refused(i)).sum();
        assert!(
            refused >= 3,
            "honest validators refused {refused} proposals"
        );
        let view = sim.node(0).head_view().unwrap();
        assert_eq!(
            read_account(&*view, &to).unwrap().balance,
            shortcrust_node::DEV_BALANCE + 20,
            "the honest transfers are in, the faulty validator's never"
        );
    });
}

#[test]
fn blocks_advertising_a_wrong_state_root_are_refused() {
    faulty_proposer_is_refused(4, Behaviour::WrongStateRoot);
}

#[test]
fn blocks_with_an_invalid_signature_are_refused() {
    faulty_proposer_is_refused(5, Behaviour::BadSignature);
}
