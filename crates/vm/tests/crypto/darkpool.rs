//! `darkpool`: hidden balances moved by real dusk-plonk proofs, trades attested by a committee's
//! multisignature made with Dusk's BLS crate, and every way of cheating refused. The circuit is
//! `shortcrust_crypto::plonk::testkit::darkpool`, the one the demo and the harness tests use.

use std::sync::OnceLock;

use bls12_381_bls::{MultisigSignature, PublicKey as DuskPublicKey, SecretKey as DuskSecretKey};
use dusk_bytes::Serializable as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_abi::{bls_aggregate_mode, bls_scheme};
use shortcrust_crypto::plonk::testkit::darkpool::{
    Leg, Opening, PUBLIC_INPUTS, Transition, TransitionCircuit,
};
use shortcrust_test_contracts::DARKPOOL;
use shortcrust_test_contracts::client::darkpool::{BASE, MATCH_DOMAIN, QUOTE, Trade};
use shortcrust_vm::{ContractId, Event, Receipt, Session, Vm};

use super::{
    ALICE, BOB, CAROL, GAS, RELAYER, assert_reverted, deploy, domain_payload, encode, new_session,
    output, revert_message, set_sender, wasm_gas,
};

/// A proof and the transition it proves.
struct Proven {
    transition: Transition,
    proof: Vec<u8>,
}

/// Everything expensive, made once: the circuit, the committee's keys and the proofs of the
/// scenario. Alice deposits 100 base, Bob 5,000 quote; in match 1 Alice sells 40 base to Bob for
/// 2,000 quote; then Bob withdraws his 40 base.
struct Scenario {
    circuit: TransitionCircuit,
    committee: Vec<(DuskSecretKey, DuskPublicKey)>,
    alice_deposit: Proven,
    bob_deposit: Proven,
    alice_sells: Proven,
    bob_buys: Proven,
    bob_withdraws: Proven,
}

fn prove(circuit: &TransitionCircuit, transition: Transition, seed: u64) -> Proven {
    let proven = circuit
        .prove(&transition, seed)
        .expect("the transition's witness is valid");
    assert_eq!(
        proven.public_inputs,
        transition.public_inputs(),
        "the layout the contract builds"
    );
    assert_eq!(proven.public_inputs.len(), PUBLIC_INPUTS * 32);
    Proven {
        transition,
        proof: proven.proof,
    }
}

fn scenario() -> &'static Scenario {
    static SCENARIO: OnceLock<Scenario> = OnceLock::new();
    SCENARIO.get_or_init(|| {
        let circuit = TransitionCircuit::setup().expect("the transition circuit compiles");
        let zero = Opening::new(0, 0);
        let (credit, debit) = (Leg::credit, Leg::debit);
        let alice_deposit = Transition::new(&ALICE, credit(zero, 100, 11), Leg::unchanged(zero));
        let bob_deposit = Transition::new(&BOB, Leg::unchanged(zero), credit(zero, 5_000, 21));
        let alice_sells = Transition::new(
            &ALICE,
            debit(Opening::new(100, 11), 40, 12),
            credit(zero, 2_000, 13),
        );
        let bob_buys = Transition::new(
            &BOB,
            credit(zero, 40, 22),
            debit(Opening::new(5_000, 21), 2_000, 23),
        );
        let bob_withdraws = Transition::new(
            &BOB,
            debit(Opening::new(40, 22), 40, 24),
            Leg::unchanged(Opening::new(3_000, 23)),
        );
        let mut rng = ChaCha20Rng::seed_from_u64(0xc0ffee);
        let committee = (0..4)
            .map(|_| {
                let sk = DuskSecretKey::random(&mut rng);
                (sk.clone(), DuskPublicKey::from(&sk))
            })
            .collect();
        Scenario {
            alice_deposit: prove(&circuit, alice_deposit, 1),
            bob_deposit: prove(&circuit, bob_deposit, 2),
            alice_sells: prove(&circuit, alice_sells, 3),
            bob_buys: prove(&circuit, bob_buys, 4),
            bob_withdraws: prove(&circuit, bob_withdraws, 5),
            circuit,
            committee,
        }
    })
}

/// The match-1 trade.
fn match_one() -> Trade {
    let s = scenario();
    Trade {
        match_id: [1; 32],
        seller: ALICE,
        buyer: BOB,
        base_amount: 40,
        quote_amount: 2_000,
        seller_base_new: s.alice_sells.transition.base.new_opening().commitment(),
        seller_quote_new: s.alice_sells.transition.quote.new_opening().commitment(),
        buyer_base_new: s.bob_buys.transition.base.new_opening().commitment(),
        buyer_quote_new: s.bob_buys.transition.quote.new_opening().commitment(),
    }
}

/// The 32 bytes the committee signs for `trade` in `pool`, computed independently.
fn attestation_digest(pool: ContractId, trade: &Trade) -> [u8; 32] {
    shortcrust_crypto::blake2b_256(&domain_payload(MATCH_DOMAIN, pool, &encode(trade)))
}

/// The multisignature of committee members `signers` (indexes) over `digest`.
fn multisign(signers: &[usize], digest: &[u8; 32]) -> [u8; 48] {
    let committee = &scenario().committee;
    let partials: Vec<MultisigSignature> = signers
        .iter()
        .map(|&i| committee[i].0.sign_multisig(&committee[i].1, digest))
        .collect();
    partials[0].aggregate(&partials[1..]).to_bytes()
}

fn committee_keys() -> Vec<[u8; 96]> {
    scenario()
        .committee
        .iter()
        .map(|(_, pk)| pk.to_bytes())
        .collect()
}

/// `deposit`'s input for a proven deposit.
fn deposit_input(trader: [u8; 32], proven: &Proven) -> Vec<u8> {
    let t = &proven.transition;
    encode(&(
        trader,
        t.base.credit,
        t.quote.credit,
        t.base.new_opening().commitment(),
        t.quote.new_opening().commitment(),
        proven.proof.clone(),
    ))
}

fn settle_input(
    trade: &Trade,
    seller: &[u8],
    buyer: &[u8],
    signers: &[u32],
    sig: [u8; 48],
) -> Vec<u8> {
    encode(&(
        trade,
        seller.to_vec(),
        buyer.to_vec(),
        signers.to_vec(),
        sig,
    ))
}

fn commitment(session: &mut Session, pool: ContractId, trader: [u8; 32], asset: u8) -> [u8; 64] {
    output(
        &session
            .query(pool, "commitment", &encode(&(trader, asset)), GAS)
            .expect("no VM fault"),
    )
}

/// Price of one transition check: `hash_to_scalar` of the trader and one PLONK verification.
fn transition_price(proof_len: usize) -> u64 {
    let vd = scenario().circuit.verifier_data.len();
    shortcrust_crypto::hash_to_scalar_gas(32)
        + shortcrust_crypto::verify_plonk_gas(vd, proof_len, 13 * 32)
}

/// Price of the attestation check of a settlement by `signers` members.
fn attestation_price(trade: &Trade, signers: usize) -> u64 {
    let encoded = domain_payload(MATCH_DOMAIN, ContractId([0; 32]), &encode(trade));
    shortcrust_crypto::blake2b_256_gas(encoded.len())
        + shortcrust_crypto::verify_bls_aggregate_gas(
            bls_scheme::DUSK_MIN_SIG,
            bls_aggregate_mode::FAST,
            96 * signers,
            32,
            48,
        )
}

/// A pool with the verifier, a 3-of-4 committee and both deposits; the sender is the owner.
/// Returns the receipts of the two deposits.
fn funded_pool() -> (Vm, Session, ContractId, [Receipt; 2]) {
    let s = scenario();
    let (vm, mut session) = new_session();
    let pool = deploy(&mut session, DARKPOOL);
    output::<()>(
        &session
            .call(
                pool,
                "register_verifier",
                &encode(&s.circuit.verifier_data),
                GAS,
            )
            .expect("no VM fault"),
    );
    output::<()>(
        &session
            .call(
                pool,
                "set_committee",
                &encode(&(committee_keys(), 3u32)),
                GAS,
            )
            .expect("no VM fault"),
    );
    let alice = session
        .call(
            pool,
            "deposit",
            &deposit_input(ALICE, &s.alice_deposit),
            GAS,
        )
        .expect("no VM fault");
    output::<()>(&alice);
    let bob = session
        .call(pool, "deposit", &deposit_input(BOB, &s.bob_deposit), GAS)
        .expect("no VM fault");
    output::<()>(&bob);
    (vm, session, pool, [alice, bob])
}

#[test]
fn a_matched_trade_settles_once_with_proofs_and_a_committee_quorum() {
    let s = scenario();
    let (_vm, mut session, pool, deposits) = funded_pool();
    assert_eq!(
        deposits[0].events,
        vec![Event {
            contract: pool,
            topic: b"deposit".to_vec(),
            data: encode(&(ALICE, 100u64, 0u64))
        }]
    );
    let identity = Opening::new(0, 0).commitment();
    assert_eq!(
        commitment(&mut session, pool, CAROL, BASE),
        identity,
        "unknown traders hold zero"
    );
    assert_eq!(
        commitment(&mut session, pool, ALICE, BASE),
        Opening::new(100, 11).commitment()
    );

    let trade = match_one();
    let digest = attestation_digest(pool, &trade);
    let view: [u8; 32] = output(
        &session
            .query(pool, "attestation_message", &encode(&trade), GAS)
            .expect("no VM fault"),
    );
    assert_eq!(view, digest);
    let signature = multisign(&[0, 1, 3], &digest);
    let input = settle_input(
        &trade,
        &s.alice_sells.proof,
        &s.bob_buys.proof,
        &[0, 1, 3],
        signature,
    );

    set_sender(&mut session, RELAYER);
    let receipt = session
        .call(pool, "settle", &input, GAS)
        .expect("no VM fault");
    output::<()>(&receipt);
    assert_eq!(
        receipt.events,
        vec![Event {
            contract: pool,
            topic: b"settlement".to_vec(),
            data: encode(&([1u8; 32], ALICE, BOB, 40u64, 2_000u64)),
        }]
    );
    assert_eq!(
        commitment(&mut session, pool, ALICE, BASE),
        trade.seller_base_new
    );
    assert_eq!(
        commitment(&mut session, pool, ALICE, QUOTE),
        trade.seller_quote_new
    );
    assert_eq!(
        commitment(&mut session, pool, BOB, BASE),
        trade.buyer_base_new
    );
    assert_eq!(
        commitment(&mut session, pool, BOB, QUOTE),
        trade.buyer_quote_new
    );
    assert!(output::<bool>(
        &session
            .query(pool, "is_settled", &encode(&[1u8; 32]), GAS)
            .expect("no VM fault")
    ));

    // The same settlement again.
    let replay = session
        .call(pool, "settle", &input, GAS)
        .expect("no VM fault");
    assert_reverted(&replay, "match already settled", 0);

    // Bob withdraws the 40 base he bought.
    set_sender(&mut session, BOB);
    let t = &s.bob_withdraws.transition;
    let withdraw_input = encode(&(
        40u64,
        0u64,
        t.base.new_opening().commitment(),
        t.quote.new_opening().commitment(),
        s.bob_withdraws.proof.clone(),
    ));
    let withdrawal = session
        .call(pool, "withdraw", &withdraw_input, GAS)
        .expect("no VM fault");
    output::<()>(&withdrawal);
    assert_eq!(withdrawal.events[0].data, encode(&(BOB, 40u64, 0u64)));
    // Alice cannot use Bob's withdrawal proof.
    set_sender(&mut session, ALICE);
    assert_reverted(
        &session
            .call(pool, "withdraw", &withdraw_input, GAS)
            .expect("no VM fault"),
        "the trader's balance proof does not verify (status 0)",
        transition_price(1008),
    );

    let proof_len = s.alice_sells.proof.len();
    let observed = [
        (
            "deposit",
            wasm_gas(&deposits[0], transition_price(proof_len)),
            deposits[0].gas_spent,
        ),
        (
            "settle (3 signers, 2 proofs)",
            wasm_gas(
                &receipt,
                attestation_price(&trade, 3) + 2 * transition_price(proof_len),
            ),
            receipt.gas_spent,
        ),
        (
            "withdraw",
            wasm_gas(&withdrawal, transition_price(proof_len)),
            withdrawal.gas_spent,
        ),
    ];
    for (label, wasm, total) in observed {
        println!("darkpool {label}: {total} gas ({wasm} outside the host functions' prices)");
    }
    let pinned: Vec<(&str, u64)> = observed.iter().map(|(l, w, _)| (*l, *w)).collect();
    assert_eq!(
        pinned, EXPECTED_WASM_GAS,
        "darkpool gas changed: update the snapshot if intended"
    );
}

const EXPECTED_WASM_GAS: &[(&str, u64)] = &[
    ("deposit", 13_238_755),
    ("settle (3 signers, 2 proofs)", 35_873_049),
    ("withdraw", 13_238_554),
];

#[test]
fn tampered_settlements_are_refused_and_change_nothing() {
    let s = scenario();
    let (_vm, mut session, pool, _) = funded_pool();
    set_sender(&mut session, RELAYER);
    let trade = match_one();
    let digest = attestation_digest(pool, &trade);
    let good_signature = multisign(&[0, 1, 3], &digest);
    let (seller, buyer) = (&s.alice_sells.proof, &s.bob_buys.proof);
    let attempt = |session: &mut Session,
                   trade: &Trade,
                   seller: &[u8],
                   buyer: &[u8],
                   signers: &[u32],
                   sig| {
        session
            .call(
                pool,
                "settle",
                &settle_input(trade, seller, buyer, signers, sig),
                GAS,
            )
            .expect("no VM fault")
    };
    let bls3 = attestation_price(&trade, 3);

    // The committee's side: wrong signer set, too few signers, bad indexes, an outsider's key.
    let r = attempt(
        &mut session,
        &trade,
        seller,
        buyer,
        &[0, 1, 2],
        good_signature,
    );
    assert_reverted(&r, "committee attestation does not verify (status 0)", bls3);
    let two = multisign(&[0, 1], &digest);
    assert_eq!(
        revert_message(&attempt(&mut session, &trade, seller, buyer, &[0, 1], two)),
        "2 signers, the committee needs 3"
    );
    let r = attempt(
        &mut session,
        &trade,
        seller,
        buyer,
        &[3, 1, 0],
        good_signature,
    );
    assert_eq!(
        revert_message(&r),
        "signer indexes must be strictly increasing"
    );
    let r = attempt(
        &mut session,
        &trade,
        seller,
        buyer,
        &[0, 1, 7],
        good_signature,
    );
    assert_eq!(revert_message(&r), "no committee member 7");
    let outsider = DuskSecretKey::random(&mut ChaCha20Rng::seed_from_u64(99));
    let outsider_partial = outsider.sign_multisig(&DuskPublicKey::from(&outsider), &digest);
    let committee = &s.committee;
    let forged = committee[0]
        .0
        .sign_multisig(&committee[0].1, &digest)
        .aggregate(&[
            committee[1].0.sign_multisig(&committee[1].1, &digest),
            outsider_partial,
        ])
        .to_bytes();
    let r = attempt(&mut session, &trade, seller, buyer, &[0, 1, 2], forged);
    assert_reverted(&r, "committee attestation does not verify (status 0)", bls3);
    // A signature over another pool's message (same trade, other pool id).
    let elsewhere = multisign(&[0, 1, 3], &attestation_digest(ContractId([9; 32]), &trade));
    let r = attempt(&mut session, &trade, seller, buyer, &[0, 1, 3], elsewhere);
    assert_reverted(&r, "committee attestation does not verify (status 0)", bls3);

    // The traders' side, with a valid attestation of what is submitted.
    let mut bigger = trade.clone();
    bigger.base_amount = 41;
    let bigger_sig = multisign(&[0, 1, 3], &attestation_digest(pool, &bigger));
    let r = attempt(&mut session, &bigger, seller, buyer, &[0, 1, 3], bigger_sig);
    assert_reverted(
        &r,
        "the seller's balance proof does not verify (status 0)",
        bls3 + transition_price(1008),
    );
    let mut flipped = buyer.clone();
    let last_scalar = flipped.len() - 32;
    flipped[last_scalar] ^= 1;
    let r = attempt(
        &mut session,
        &trade,
        seller,
        &flipped,
        &[0, 1, 3],
        good_signature,
    );
    assert_reverted(
        &r,
        "the buyer's balance proof does not verify (status 0)",
        bls3 + 2 * transition_price(1008),
    );
    let r = attempt(
        &mut session,
        &trade,
        buyer,
        seller,
        &[0, 1, 3],
        good_signature,
    );
    assert_reverted(
        &r,
        "the seller's balance proof does not verify (status 0)",
        bls3,
    );
    let r = attempt(
        &mut session,
        &trade,
        &seller[..1000],
        buyer,
        &[0, 1, 3],
        good_signature,
    );
    assert_reverted(
        &r,
        "the seller's balance proof is malformed (status -1)",
        bls3,
    );
    let mut selfish = trade.clone();
    selfish.buyer = ALICE;
    assert_eq!(
        revert_message(&attempt(
            &mut session,
            &selfish,
            seller,
            buyer,
            &[0, 1, 3],
            good_signature
        )),
        "a trader cannot trade with themselves"
    );

    // Nothing moved: the honest settlement still goes through.
    assert_eq!(
        commitment(&mut session, pool, ALICE, BASE),
        Opening::new(100, 11).commitment()
    );
    assert_eq!(
        commitment(&mut session, pool, BOB, BASE),
        Opening::new(0, 0).commitment()
    );
    output::<()>(&attempt(
        &mut session,
        &trade,
        seller,
        buyer,
        &[0, 1, 3],
        good_signature,
    ));
}

#[test]
fn the_seller_must_have_the_funds() {
    let s = scenario();
    let (_vm, mut session, pool, _) = funded_pool();
    // Alice holds 100 base. Selling 150 has no witness: the prover cannot even assign it.
    let overdraft = Transition::new(
        &ALICE,
        Leg {
            old: Opening::new(100, 11),
            debit: 150,
            credit: 0,
            new_blinding: 12u64.into(),
        },
        Leg {
            old: Opening::new(0, 0),
            debit: 0,
            credit: 3_000,
            new_blinding: 13u64.into(),
        },
    );
    assert!(
        s.circuit.prove(&overdraft, 6).is_err(),
        "no proof of an overdraft"
    );
    // Her strongest proof (selling all 100) does not cover a trade of 150.
    let all_in = Transition::new(
        &ALICE,
        Leg {
            debit: 100,
            ..overdraft.base
        },
        overdraft.quote,
    );
    let all_in = prove(&s.circuit, all_in, 7);
    let mut trade = match_one();
    trade.base_amount = 150;
    trade.quote_amount = 3_000;
    trade.seller_base_new = all_in.transition.base.new_opening().commitment();
    trade.seller_quote_new = all_in.transition.quote.new_opening().commitment();
    let signature = multisign(&[1, 2, 3], &attestation_digest(pool, &trade));
    let input = settle_input(
        &trade,
        &all_in.proof,
        &s.bob_buys.proof,
        &[1, 2, 3],
        signature,
    );
    assert_reverted(
        &session
            .call(pool, "settle", &input, GAS)
            .expect("no VM fault"),
        "the seller's balance proof does not verify (status 0)",
        attestation_price(&trade, 3) + transition_price(1008),
    );
}

#[test]
fn proofs_are_bound_to_the_balances_they_were_made_for() {
    let s = scenario();
    let (_vm, mut session, pool, _) = funded_pool();
    let trade = match_one();
    let signature = multisign(&[0, 1, 2], &attestation_digest(pool, &trade));
    let input = settle_input(
        &trade,
        &s.alice_sells.proof,
        &s.bob_buys.proof,
        &[0, 1, 2],
        signature,
    );
    output::<()>(
        &session
            .call(pool, "settle", &input, GAS)
            .expect("no VM fault"),
    );

    // The committee attests a second match with the same amounts; the old proofs were made
    // against balances that are gone.
    let mut again = trade.clone();
    again.match_id = [2; 32];
    let signature = multisign(&[0, 1, 2], &attestation_digest(pool, &again));
    let input = settle_input(
        &again,
        &s.alice_sells.proof,
        &s.bob_buys.proof,
        &[0, 1, 2],
        signature,
    );
    assert_reverted(
        &session
            .call(pool, "settle", &input, GAS)
            .expect("no VM fault"),
        "the seller's balance proof does not verify (status 0)",
        attestation_price(&again, 3) + transition_price(1008),
    );
    // A deposit proof cannot be replayed, for the same trader or another one.
    let r = session
        .call(
            pool,
            "deposit",
            &deposit_input(ALICE, &s.alice_deposit),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(
        revert_message(&r),
        "the trader's balance proof does not verify (status 0)"
    );
    let r = session
        .call(
            pool,
            "deposit",
            &deposit_input(CAROL, &s.alice_deposit),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(
        revert_message(&r),
        "the trader's balance proof does not verify (status 0)"
    );
}

#[test]
fn only_the_owner_configures_and_credits() {
    let s = scenario();
    let (_vm, mut session) = new_session();
    let pool = deploy(&mut session, DARKPOOL);
    let settle = settle_input(&match_one(), &[], &[], &[0, 1, 2], [0; 48]);
    assert_eq!(
        revert_message(
            &session
                .call(pool, "settle", &settle, GAS)
                .expect("no VM fault")
        ),
        "no committee registered"
    );

    set_sender(&mut session, ALICE);
    let vd = encode(&s.circuit.verifier_data);
    assert_eq!(
        revert_message(
            &session
                .call(pool, "register_verifier", &vd, GAS)
                .expect("no VM fault")
        ),
        "only the owner may register the verifier"
    );
    let committee = encode(&(committee_keys(), 3u32));
    assert_eq!(
        revert_message(
            &session
                .call(pool, "set_committee", &committee, GAS)
                .expect("no VM fault")
        ),
        "only the owner may set the committee"
    );
    let deposit = deposit_input(ALICE, &s.alice_deposit);
    assert_eq!(
        revert_message(
            &session
                .call(pool, "deposit", &deposit, GAS)
                .expect("no VM fault")
        ),
        "only the owner may credit deposits"
    );

    set_sender(&mut session, super::OWNER);
    assert_eq!(
        revert_message(
            &session
                .call(pool, "deposit", &deposit, GAS)
                .expect("no VM fault")
        ),
        "no verifier registered"
    );
    let other_circuit = shortcrust_crypto::plonk::testkit::fixture(3, 2).verifier_data;
    assert_eq!(
        revert_message(
            &session
                .call(pool, "register_verifier", &encode(&other_circuit), GAS)
                .expect("no VM fault")
        ),
        "verifier data is not for a circuit with 13 public inputs"
    );
    output::<()>(
        &session
            .call(pool, "register_verifier", &vd, GAS)
            .expect("no VM fault"),
    );
    assert_eq!(
        revert_message(
            &session
                .call(pool, "register_verifier", &vd, GAS)
                .expect("no VM fault")
        ),
        "verifier already registered"
    );

    let keys = committee_keys();
    for (input, message) in [
        (
            encode(&(Vec::<[u8; 96]>::new(), 1u32)),
            "a committee has 1 to 128 members",
        ),
        (
            encode(&(keys.clone(), 0u32)),
            "the threshold must be between 1 and the committee size",
        ),
        (
            encode(&(keys.clone(), 5u32)),
            "the threshold must be between 1 and the committee size",
        ),
        (
            encode(&(vec![keys[0], keys[1], keys[0]], 2u32)),
            "committee keys must be distinct",
        ),
    ] {
        assert_eq!(
            revert_message(
                &session
                    .call(pool, "set_committee", &input, GAS)
                    .expect("no VM fault")
            ),
            message
        );
    }
    output::<()>(
        &session
            .call(pool, "set_committee", &committee, GAS)
            .expect("no VM fault"),
    );
    assert_eq!(
        revert_message(
            &session
                .call(pool, "commitment", &encode(&(ALICE, 2u8)), GAS)
                .expect("no VM fault")
        ),
        "asset is 0 (base) or 1 (quote)"
    );
}
