//! `contracts/committee`: four members register blst-made IETF BLS keys with proofs of
//! possession, and rounds are attested by fast-aggregate signatures of more than two thirds of
//! the stake; a rogue proof of possession, a signature by other members than claimed, a round
//! without quorum and a replayed round are refused. The VM-level tests
//! (`crates/vm/tests/crypto/committee.rs`) cover the other malformed inputs.

use blst::min_pk::{AggregateSignature, SecretKey, Signature};
use shortcrust_crypto::bls::{IETF_DST, IETF_POP_DST};
use shortcrust_test_contracts::COMMITTEE;
use shortcrust_test_contracts::client::committee::ATTEST_DOMAIN;
use shortcrust_testkit::Harness;
use shortcrust_vm::ContractId;

use super::{domain_payload, encode};

/// The contract's `Attestation`, field for field.
#[derive(borsh::BorshDeserialize, Debug, PartialEq, Eq)]
struct Attestation {
    payload: [u8; 32],
    signers: Vec<u32>,
    signing_stake: u64,
    total_stake: u64,
}

fn secret_key(index: usize) -> SecretKey {
    SecretKey::key_gen(&[index as u8 + 0x10; 32], &[]).expect("32 bytes of key material")
}

/// Member `index`'s `register_key` arguments: its public key and the standard proof of
/// possession (`PopProve`) made by `prover`'s secret key (the member's own unless rogue).
fn registration(index: usize, prover: usize) -> ([u8; 48], [u8; 96]) {
    let public = secret_key(index).sk_to_pk().compress();
    let pop = secret_key(prover)
        .sign(&public, IETF_POP_DST, &[])
        .compress();
    (public, pop)
}

/// `attest`'s arguments: round `round` of `payload` claimed by `claimed`, signed by `signers`.
fn attestation(
    committee: ContractId,
    round: u64,
    payload: [u8; 32],
    claimed: &[u32],
    signers: &[usize],
) -> (u64, [u8; 32], Vec<u32>, [u8; 96]) {
    let message = domain_payload(ATTEST_DOMAIN, committee, &encode(&(round, payload)));
    let signatures: Vec<Signature> = signers
        .iter()
        .map(|&i| secret_key(i).sign(&message, IETF_DST, &[]))
        .collect();
    let refs: Vec<&Signature> = signatures.iter().collect();
    let aggregate = AggregateSignature::aggregate(&refs, true)
        .expect("valid signatures")
        .to_signature()
        .compress();
    (round, payload, claimed.to_vec(), aggregate)
}

#[test]
fn members_register_keys_and_a_two_thirds_quorum_attests_rounds() {
    let mut h = Harness::new().expect("harness");
    let owner = h.account("deployer");
    let relayer = h.account("relayer");
    let members = [
        (h.account("alice"), 40u64),
        (h.account("bob"), 30),
        (h.account("carol"), 20),
        (h.account("dave"), 10),
    ];
    let committee = h.deploy("committee", COMMITTEE).expect("deploy");
    let mut gas = super::snapshot("committee");

    for (index, (member, stake)) in members.iter().enumerate() {
        let admitted = h
            .call(owner, committee, "admit", &(member, stake))
            .expect("call");
        assert_eq!(admitted.value::<u32>(), Ok(index as u32));
        admitted.assert_event("admitted", &encode(&(index as u32, member, stake)));
        if index == 0 {
            gas.record("admit (first member)", admitted.gas());
        }
    }
    // Alice's key with a proof of possession made by Bob's secret key: a rogue key.
    let (alice, bob) = (members[0].0, members[1].0);
    h.call(alice, committee, "register_key", &registration(0, 1))
        .expect("call")
        .assert_reverted("proof of possession does not verify (status 0)");
    for (index, (member, _)) in members.iter().enumerate() {
        let registered = h
            .call(
                *member,
                committee,
                "register_key",
                &registration(index, index),
            )
            .expect("call");
        registered.assert_ok().assert_event(
            "key",
            &encode(&(index as u32, registration(index, index).0)),
        );
        if index == 0 {
            gas.record("register_key (first key)", registered.gas());
        }
    }
    h.call(bob, committee, "register_key", &registration(0, 0))
        .expect("call")
        .assert_reverted("this member already registered a key");
    let total = h
        .query(relayer, committee, "total_stake", &())
        .expect("query");
    assert_eq!(total.value::<u64>(), Ok(100));

    // Alice and Bob hold 70 of 100: 3 × 70 > 2 × 100. Anyone submits.
    let payload = [0x42; 32];
    let round_one = attestation(committee, 1, payload, &[0, 1], &[0, 1]);
    let attested = h
        .call(relayer, committee, "attest", &round_one)
        .expect("call");
    assert_eq!(attested.value::<u64>(), Ok(70));
    attested.assert_event("attested", &encode(&(1u64, payload, 70u64)));
    gas.record("attest (2 signers)", attested.gas());
    let stored = h
        .query(relayer, committee, "attestation", &1u64)
        .expect("query");
    assert_eq!(
        stored.value::<Option<Attestation>>(),
        Ok(Some(Attestation {
            payload,
            signers: vec![0, 1],
            signing_stake: 70,
            total_stake: 100
        }))
    );
    h.call(relayer, committee, "attest", &round_one)
        .expect("call")
        .assert_reverted("round 1 is not after the last attested round 1");

    // Round 2: Alice and Carol's 60 is no quorum; signed by them but claimed as Alice and Bob's.
    h.call(
        relayer,
        committee,
        "attest",
        &attestation(committee, 2, payload, &[0, 2], &[0, 2]),
    )
    .expect("call")
    .assert_reverted("signers hold 60 of 100 stake, more than two thirds is needed");
    let misattributed = h
        .call(
            relayer,
            committee,
            "attest",
            &attestation(committee, 2, payload, &[0, 1], &[0, 2]),
        )
        .expect("call");
    misattributed.assert_reverted("attestation does not verify (status 0)");
    gas.record("attest (2 signers, wrong signature)", misattributed.gas());

    // Round 3 by everyone (rounds may be skipped, never repeated or reordered).
    let everyone = h
        .call(
            relayer,
            committee,
            "attest",
            &attestation(committee, 3, payload, &[0, 1, 2, 3], &[0, 1, 2, 3]),
        )
        .expect("call");
    assert_eq!(everyone.value::<u64>(), Ok(100));
    gas.record("attest (4 signers)", everyone.gas());
    let last = h
        .query(relayer, committee, "last_round", &())
        .expect("query");
    assert_eq!(last.value::<Option<u64>>(), Ok(Some(3)));
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
