//! `contracts/darkpool`: hidden balances moved by real dusk-plonk proofs of the shared circuit
//! (`shortcrust_crypto::plonk::testkit::darkpool`, the one the VM tests and the CLI demo use)
//! and a trade settled under a 3-of-4 Dusk BLS multisignature of the matching committee. Alice
//! deposits 100 base, Bob 5,000 quote; Alice sells 40 base to Bob for 2,000 quote; Bob withdraws
//! his 40 base. A settlement claimed by other signers than signed, one with a tampered proof, a
//! replayed settlement and a withdrawal with someone else's proof are refused. The VM-level
//! tests (`crates/vm/tests/crypto/darkpool.rs`) cover the other ways of cheating.

use bls12_381_bls::{MultisigSignature, PublicKey, SecretKey};
use dusk_bytes::Serializable as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_crypto::plonk::testkit::darkpool::{Leg, Opening, Transition, TransitionCircuit};
use shortcrust_test_contracts::DARKPOOL;
use shortcrust_test_contracts::client::darkpool::{BASE, MATCH_DOMAIN, QUOTE, Trade};
use shortcrust_testkit::Harness;
use shortcrust_vm::ContractId;

use super::{domain_payload, encode};

/// `transition`'s proof, blinded from `seed`.
fn prove(circuit: &TransitionCircuit, transition: &Transition, seed: u64) -> Vec<u8> {
    let proven = circuit
        .prove(transition, seed)
        .expect("the transition's witness is valid");
    assert_eq!(proven.public_inputs, transition.public_inputs());
    proven.proof
}

/// The new commitments of a transition, base then quote.
fn new_commitments(t: &Transition) -> ([u8; 64], [u8; 64]) {
    (t.base.new_commitment(), t.quote.new_commitment())
}

/// The multisignature of `committee` members `signers` over `trade` in `pool`: the BLAKE2b-256
/// of the domain-separated trade, as the contract's `attestation_message` computes it.
fn multisign(
    committee: &[(SecretKey, PublicKey)],
    signers: &[usize],
    pool: ContractId,
    trade: &Trade,
) -> [u8; 48] {
    let digest =
        shortcrust_crypto::blake2b_256(&domain_payload(MATCH_DOMAIN, pool, &encode(trade)));
    let partials: Vec<MultisigSignature> = signers
        .iter()
        .map(|&i| committee[i].0.sign_multisig(&committee[i].1, &digest))
        .collect();
    partials[0].aggregate(&partials[1..]).to_bytes()
}

#[test]
fn deposits_a_matched_trade_and_a_withdrawal_with_real_proofs() {
    let mut h = Harness::new().expect("harness");
    let operator = h.account("deployer");
    let (alice, bob, relayer) = (h.account("alice"), h.account("bob"), h.account("relayer"));
    let pool = h.deploy("darkpool", DARKPOOL).expect("deploy");
    let mut gas = super::snapshot("darkpool");

    let circuit = TransitionCircuit::setup().expect("the transition circuit compiles");
    let zero = Opening::new(0, 0);
    let alice_deposit = Transition::new(&alice, Leg::credit(zero, 100, 11), Leg::unchanged(zero));
    let bob_deposit = Transition::new(&bob, Leg::unchanged(zero), Leg::credit(zero, 5_000, 21));
    let alice_sells = Transition::new(
        &alice,
        Leg::debit(Opening::new(100, 11), 40, 12),
        Leg::credit(zero, 2_000, 13),
    );
    let bob_buys = Transition::new(
        &bob,
        Leg::credit(zero, 40, 22),
        Leg::debit(Opening::new(5_000, 21), 2_000, 23),
    );
    let bob_withdraws = Transition::new(
        &bob,
        Leg::debit(Opening::new(40, 22), 40, 24),
        Leg::unchanged(Opening::new(3_000, 23)),
    );
    let mut rng = ChaCha20Rng::seed_from_u64(0xc0ffee);
    let committee: Vec<(SecretKey, PublicKey)> = (0..4)
        .map(|_| {
            let sk = SecretKey::random(&mut rng);
            let pk = PublicKey::from(&sk);
            (sk, pk)
        })
        .collect();

    let registered = h
        .call(operator, pool, "register_verifier", &circuit.verifier_data)
        .expect("call");
    registered.assert_ok();
    gas.record("register_verifier", registered.gas());
    let keys: Vec<[u8; 96]> = committee.iter().map(|(_, pk)| pk.to_bytes()).collect();
    let configured = h
        .call(operator, pool, "set_committee", &(keys, 3u32))
        .expect("call");
    configured.assert_ok();
    gas.record("set_committee (3 of 4)", configured.gas());

    for (label, trader, transition, seed, amounts) in [
        ("deposit (base)", alice, &alice_deposit, 1, (100u64, 0u64)),
        ("deposit (quote)", bob, &bob_deposit, 2, (0, 5_000)),
    ] {
        let (new_base, new_quote) = new_commitments(transition);
        let proof = prove(&circuit, transition, seed);
        let deposit = (trader, amounts.0, amounts.1, new_base, new_quote, proof);
        h.call(relayer, pool, "deposit", &deposit)
            .expect("call")
            .assert_reverted("only the owner may credit deposits");
        let deposited = h.call(operator, pool, "deposit", &deposit).expect("call");
        deposited
            .assert_ok()
            .assert_event("deposit", &encode(&(trader, amounts.0, amounts.1)));
        gas.record(label, deposited.gas());
    }
    let held = h
        .query(relayer, pool, "commitment", &(alice, BASE))
        .expect("query");
    assert_eq!(
        held.value::<[u8; 64]>(),
        Ok(Opening::new(100, 11).commitment())
    );

    // Match 1, submitted by a relayer with both traders' proofs and members 0, 1 and 3's
    // multisignature.
    let (seller_base_new, seller_quote_new) = new_commitments(&alice_sells);
    let (buyer_base_new, buyer_quote_new) = new_commitments(&bob_buys);
    let trade = Trade {
        match_id: [1; 32],
        seller: alice,
        buyer: bob,
        base_amount: 40,
        quote_amount: 2_000,
        seller_base_new,
        seller_quote_new,
        buyer_base_new,
        buyer_quote_new,
    };
    let seller_proof = prove(&circuit, &alice_sells, 3);
    let buyer_proof = prove(&circuit, &bob_buys, 4);
    let signature = multisign(&committee, &[0, 1, 3], pool, &trade);
    let settle = |signers: &[u32], buyer_proof: &[u8]| {
        (
            trade.clone(),
            seller_proof.clone(),
            buyer_proof.to_vec(),
            signers.to_vec(),
            signature,
        )
    };
    let misattributed = h
        .call(relayer, pool, "settle", &settle(&[0, 1, 2], &buyer_proof))
        .expect("call");
    misattributed.assert_reverted("committee attestation does not verify (status 0)");
    gas.record("settle (wrong signers, refused)", misattributed.gas());
    let mut tampered = buyer_proof.clone();
    let last_scalar = tampered.len() - 32;
    tampered[last_scalar] ^= 1;
    h.call(relayer, pool, "settle", &settle(&[0, 1, 3], &tampered))
        .expect("call")
        .assert_reverted("the buyer's balance proof does not verify (status 0)");

    let settled = h
        .call(relayer, pool, "settle", &settle(&[0, 1, 3], &buyer_proof))
        .expect("call");
    settled.assert_ok().assert_event(
        "settlement",
        &encode(&([1u8; 32], alice, bob, 40u64, 2_000u64)),
    );
    gas.record("settle (3 signers, 2 proofs)", settled.gas());
    for (trader, asset, expected) in [
        (alice, BASE, seller_base_new),
        (alice, QUOTE, seller_quote_new),
        (bob, BASE, buyer_base_new),
        (bob, QUOTE, buyer_quote_new),
    ] {
        let held = h
            .query(relayer, pool, "commitment", &(trader, asset))
            .expect("query");
        assert_eq!(held.value::<[u8; 64]>(), Ok(expected));
    }
    h.call(relayer, pool, "settle", &settle(&[0, 1, 3], &buyer_proof))
        .expect("call")
        .assert_reverted("match already settled");

    // Bob withdraws the 40 base he bought; Alice cannot use his proof.
    let (new_base, new_quote) = new_commitments(&bob_withdraws);
    let withdraw = (
        40u64,
        0u64,
        new_base,
        new_quote,
        prove(&circuit, &bob_withdraws, 5),
    );
    h.call(alice, pool, "withdraw", &withdraw)
        .expect("call")
        .assert_reverted("the trader's balance proof does not verify (status 0)");
    let withdrawn = h.call(bob, pool, "withdraw", &withdraw).expect("call");
    withdrawn
        .assert_ok()
        .assert_event("withdrawal", &encode(&(bob, 40u64, 0u64)));
    gas.record("withdraw", withdrawn.gas());
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
