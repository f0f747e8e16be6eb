//! `committee`: members register blst-made IETF BLS keys with standard proofs of possession
//! (`PopProve`), each key once, and rounds are attested by fast-aggregate signatures of more than
//! two thirds of the stake.

use blst::min_pk::{AggregateSignature, SecretKey, Signature};
use shortcrust_abi::{bls_aggregate_mode, bls_scheme, status};
use shortcrust_crypto::bls::{IETF_DST, IETF_POP_DST};
use shortcrust_test_contracts::COMMITTEE;
use shortcrust_test_contracts::client::committee::ATTEST_DOMAIN;
use shortcrust_vm::{ContractId, Event, Receipt, Session, Vm};

use super::{
    ALICE, BOB, CAROL, GAS, OWNER, RELAYER, assert_reverted, deploy, domain_payload, encode,
    new_session, output, revert_message, set_sender, wasm_gas,
};

const DAVE: [u8; 32] = [0xda; 32];
/// The IETF proof-of-possession tag of the other (min-sig) ciphersuite: a standard tag, but not
/// the one of the committee's keys.
const MIN_SIG_POP_DST: &[u8] = b"BLS_POP_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_";

/// The contract's `Member`, field for field.
#[derive(borsh::BorshDeserialize, Debug, PartialEq, Eq)]
struct Member {
    account: [u8; 32],
    stake: u64,
    public_key: Option<[u8; 48]>,
}

/// The contract's `Attestation`, field for field.
#[derive(borsh::BorshDeserialize, Debug, PartialEq, Eq)]
struct Attestation {
    payload: [u8; 32],
    signers: Vec<u32>,
    signing_stake: u64,
    total_stake: u64,
}

/// Members in admission order (index 0..4) with their stake: 100 in all.
const MEMBERS: [([u8; 32], u64); 4] = [(ALICE, 40), (BOB, 30), (CAROL, 20), (DAVE, 10)];

fn secret_key(index: usize) -> SecretKey {
    SecretKey::key_gen(&[index as u8 + 0x10; 32], &[]).expect("32 bytes of key material")
}

fn public_key(index: usize) -> [u8; 48] {
    secret_key(index).sk_to_pk().compress()
}

/// `key`'s standard IETF proof of possession (`PopProve`), as blst makes it: the signature of
/// the compressed public key under the POP tag.
fn proof_of_possession(key: &SecretKey) -> [u8; 96] {
    key.sign(&key.sk_to_pk().compress(), IETF_POP_DST, &[])
        .compress()
}

fn attestation_message(committee: ContractId, round: u64, payload: [u8; 32]) -> Vec<u8> {
    domain_payload(ATTEST_DOMAIN, committee, &encode(&(round, payload)))
}

/// The aggregate signature of members `signers` over `message`.
fn aggregate(signers: &[usize], message: &[u8]) -> [u8; 96] {
    let signatures: Vec<Signature> = signers
        .iter()
        .map(|&i| secret_key(i).sign(message, IETF_DST, &[]))
        .collect();
    let refs: Vec<&Signature> = signatures.iter().collect();
    AggregateSignature::aggregate(&refs, true)
        .expect("valid signatures")
        .to_signature()
        .compress()
}

fn register_input(public_key: [u8; 48], pop: [u8; 96]) -> Vec<u8> {
    encode(&(public_key, pop))
}

fn attest(
    session: &mut Session,
    id: ContractId,
    round: u64,
    payload: [u8; 32],
    signers: &[u32],
    sig: [u8; 96],
) -> Receipt {
    session
        .call(
            id,
            "attest",
            &encode(&(round, payload, signers.to_vec(), sig)),
            GAS,
        )
        .expect("no VM fault")
}

/// Price of an attestation check by `signers` members.
fn attest_price(signers: usize) -> u64 {
    let message_len = attestation_message(ContractId([0; 32]), 0, [0; 32]).len();
    shortcrust_crypto::verify_bls_aggregate_gas(
        bls_scheme::IETF_MIN_PK_POP,
        bls_aggregate_mode::FAST,
        48 * signers,
        message_len,
        96,
    )
}

fn register_price() -> u64 {
    shortcrust_crypto::verify_bls_gas(bls_scheme::IETF_POP_PROOF, 48, 0, 96)
}

/// A committee with the four members admitted and their keys registered; the sender is
/// [`RELAYER`]. Returns Alice's registration receipt.
fn full_committee() -> (Vm, Session, ContractId, Receipt) {
    let (vm, mut session) = new_session();
    let id = deploy(&mut session, COMMITTEE);
    for (member, stake) in MEMBERS {
        output::<u32>(
            &session
                .call(id, "admit", &encode(&(member, stake)), GAS)
                .expect("no VM fault"),
        );
    }
    let mut first = None;
    for (index, (member, _)) in MEMBERS.iter().enumerate() {
        set_sender(&mut session, *member);
        let pop = proof_of_possession(&secret_key(index));
        let receipt = session
            .call(
                id,
                "register_key",
                &register_input(public_key(index), pop),
                GAS,
            )
            .expect("no VM fault");
        output::<()>(&receipt);
        first.get_or_insert(receipt);
    }
    set_sender(&mut session, RELAYER);
    (vm, session, id, first.expect("four members"))
}

#[test]
fn keys_are_registered_by_admitted_members_with_a_proof_of_possession() {
    let (_vm, mut session) = new_session();
    let id = deploy(&mut session, COMMITTEE);
    let alice_key = secret_key(0);
    let pop = proof_of_possession(&alice_key);
    // The host agrees with blst before the contract relies on it.
    assert_eq!(
        shortcrust_crypto::verify_bls(bls_scheme::IETF_POP_PROOF, &public_key(0), &[], &pop),
        1
    );
    let register = register_input(public_key(0), pop);

    set_sender(&mut session, ALICE);
    assert_eq!(
        revert_message(
            &session
                .call(id, "register_key", &register, GAS)
                .expect("no VM fault")
        ),
        "only admitted members may register a key"
    );
    assert_eq!(
        revert_message(
            &session
                .call(id, "admit", &encode(&(ALICE, 40u64)), GAS)
                .expect("no VM fault")
        ),
        "only the owner may admit members"
    );
    set_sender(&mut session, OWNER);
    let admitted = session
        .call(id, "admit", &encode(&(ALICE, 40u64)), GAS)
        .expect("no VM fault");
    assert_eq!(output::<u32>(&admitted), 0);
    assert_eq!(
        admitted.events,
        vec![Event {
            contract: id,
            topic: b"admitted".to_vec(),
            data: encode(&(0u32, ALICE, 40u64))
        }]
    );
    assert_eq!(
        output::<u32>(
            &session
                .call(id, "admit", &encode(&(BOB, 30u64)), GAS)
                .expect("no VM fault")
        ),
        1
    );

    set_sender(&mut session, ALICE);
    let price = register_price();
    let refused = |session: &mut Session, input: Vec<u8>, message: &str| {
        assert_reverted(
            &session
                .call(id, "register_key", &input, GAS)
                .expect("no VM fault"),
            message,
            price,
        );
    };
    // Bob's (valid) proof of possession with Alice's key; a proof by Bob's secret key of
    // Alice's key bytes (a rogue key has no proof of its own); an ordinary signature of the key
    // bytes (the signing tag, which attestations use); a proof under the min-sig ciphersuite's
    // POP tag; and the identity as a key.
    refused(
        &mut session,
        register_input(public_key(0), proof_of_possession(&secret_key(1))),
        "proof of possession does not verify (status 0)",
    );
    let rogue = secret_key(1)
        .sign(&public_key(0), IETF_POP_DST, &[])
        .compress();
    refused(
        &mut session,
        register_input(public_key(0), rogue),
        "proof of possession does not verify (status 0)",
    );
    let ordinary = alice_key.sign(&public_key(0), IETF_DST, &[]).compress();
    refused(
        &mut session,
        register_input(public_key(0), ordinary),
        "proof of possession does not verify (status 0)",
    );
    let wrong_tag = alice_key
        .sign(&public_key(0), MIN_SIG_POP_DST, &[])
        .compress();
    refused(
        &mut session,
        register_input(public_key(0), wrong_tag),
        "proof of possession does not verify (status 0)",
    );
    let mut identity = [0u8; 48];
    identity[0] = 0xc0;
    refused(
        &mut session,
        register_input(identity, pop),
        &format!(
            "malformed key or proof of possession (status {})",
            status::ERR_IDENTITY
        ),
    );
    assert_eq!(
        output::<u64>(
            &session
                .query(id, "total_stake", &[], GAS)
                .expect("no VM fault")
        ),
        0
    );

    let receipt = session
        .call(id, "register_key", &register, GAS)
        .expect("no VM fault");
    output::<()>(&receipt);
    assert_eq!(receipt.events[0].data, encode(&(0u32, public_key(0))));
    assert_eq!(
        output::<Option<Member>>(
            &session
                .query(id, "member", &encode(&0u32), GAS)
                .expect("no VM fault")
        ),
        Some(Member {
            account: ALICE,
            stake: 40,
            public_key: Some(public_key(0))
        })
    );
    assert_eq!(
        output::<u64>(
            &session
                .query(id, "total_stake", &[], GAS)
                .expect("no VM fault")
        ),
        40
    );
    assert_eq!(
        revert_message(
            &session
                .call(id, "register_key", &register, GAS)
                .expect("no VM fault")
        ),
        "this member already registered a key"
    );
    // Bob copies Alice's key and proof, which verify for anyone: refused, so Alice's signatures
    // never count Bob's stake too.
    set_sender(&mut session, BOB);
    let copied = session
        .call(id, "register_key", &register, GAS)
        .expect("no VM fault");
    assert_eq!(
        revert_message(&copied),
        "this key is already registered by member 0"
    );
    assert!(copied.events.is_empty());
    assert_eq!(
        output::<Option<Member>>(
            &session
                .query(id, "member", &encode(&1u32), GAS)
                .expect("no VM fault")
        ),
        Some(Member {
            account: BOB,
            stake: 30,
            public_key: None
        })
    );

    // Stake changes move the total once a key is registered; Bob's counts with his own key.
    set_sender(&mut session, OWNER);
    output::<u32>(
        &session
            .call(id, "admit", &encode(&(ALICE, 45u64)), GAS)
            .expect("no VM fault"),
    );
    output::<u32>(
        &session
            .call(id, "admit", &encode(&(BOB, 99u64)), GAS)
            .expect("no VM fault"),
    );
    assert_eq!(
        output::<u64>(
            &session
                .query(id, "total_stake", &[], GAS)
                .expect("no VM fault")
        ),
        45
    );
    set_sender(&mut session, BOB);
    output::<()>(
        &session
            .call(
                id,
                "register_key",
                &register_input(public_key(1), proof_of_possession(&secret_key(1))),
                GAS,
            )
            .expect("no VM fault"),
    );
    assert_eq!(
        output::<u64>(
            &session
                .query(id, "total_stake", &[], GAS)
                .expect("no VM fault")
        ),
        45 + 99
    );

    let wasm = wasm_gas(&receipt, register_price());
    println!(
        "committee register_key: {} gas ({wasm} outside the host functions' prices)",
        receipt.gas_spent
    );
    assert_eq!(
        wasm, EXPECTED_REGISTER_WASM_GAS,
        "committee gas changed: update the snapshot if intended"
    );
}

const EXPECTED_REGISTER_WASM_GAS: u64 = 13_714_192;

#[test]
fn more_than_two_thirds_of_the_stake_attests_a_round() {
    let (_vm, mut session, id, _) = full_committee();
    let payload = [0x42; 32];
    let message = attestation_message(id, 1, payload);
    let view: Vec<u8> = output(
        &session
            .query(id, "attestation_message", &encode(&(1u64, payload)), GAS)
            .expect("no VM fault"),
    );
    assert_eq!(view, message);

    // Alice and Bob hold 70 of 100: 3 × 70 > 2 × 100.
    let receipt = attest(
        &mut session,
        id,
        1,
        payload,
        &[0, 1],
        aggregate(&[0, 1], &message),
    );
    assert_eq!(output::<u64>(&receipt), 70);
    assert_eq!(
        receipt.events,
        vec![Event {
            contract: id,
            topic: b"attested".to_vec(),
            data: encode(&(1u64, payload, 70u64))
        }]
    );
    assert_eq!(
        output::<Option<Attestation>>(
            &session
                .query(id, "attestation", &encode(&1u64), GAS)
                .expect("no VM fault")
        ),
        Some(Attestation {
            payload,
            signers: vec![0, 1],
            signing_stake: 70,
            total_stake: 100
        })
    );
    assert_eq!(
        output::<Option<u64>>(
            &session
                .query(id, "last_round", &[], GAS)
                .expect("no VM fault")
        ),
        Some(1)
    );
    let again = attest(
        &mut session,
        id,
        1,
        payload,
        &[0, 1],
        aggregate(&[0, 1], &message),
    );
    assert_eq!(
        revert_message(&again),
        "round 1 is not after the last attested round 1"
    );

    // Round 3 (rounds may be skipped, never repeated or reordered) by everyone.
    let message = attestation_message(id, 3, payload);
    let everyone = attest(
        &mut session,
        id,
        3,
        payload,
        &[0, 1, 2, 3],
        aggregate(&[0, 1, 2, 3], &message),
    );
    assert_eq!(output::<u64>(&everyone), 100);
    let two = attest(
        &mut session,
        id,
        2,
        payload,
        &[0, 1],
        aggregate(&[0, 1], &attestation_message(id, 2, payload)),
    );
    assert_eq!(
        revert_message(&two),
        "round 2 is not after the last attested round 3"
    );
    assert_eq!(
        output::<Option<Attestation>>(
            &session
                .query(id, "attestation", &encode(&2u64), GAS)
                .expect("no VM fault")
        ),
        None
    );

    let wasm = wasm_gas(&receipt, attest_price(2));
    let wasm_everyone = wasm_gas(&everyone, attest_price(4));
    println!(
        "committee attest (2 signers): {} gas ({wasm} outside the host functions' prices)",
        receipt.gas_spent
    );
    println!(
        "committee attest (4 signers): {} gas ({wasm_everyone} outside)",
        everyone.gas_spent
    );
    assert_eq!(
        [wasm, wasm_everyone],
        EXPECTED_ATTEST_WASM_GAS,
        "committee gas changed: update the snapshot if intended"
    );
}

const EXPECTED_ATTEST_WASM_GAS: [u64; 2] = [13_227_906, 19_249_378];

#[test]
fn attestations_without_quorum_or_with_wrong_signatures_are_refused() {
    let (_vm, mut session, id, _) = full_committee();
    let payload = [0x42; 32];
    let message = attestation_message(id, 1, payload);
    let good = aggregate(&[0, 1], &message);

    // Alice and Carol hold 60 of 100: not enough, however valid their signature.
    let r = attest(
        &mut session,
        id,
        1,
        payload,
        &[0, 2],
        aggregate(&[0, 2], &message),
    );
    assert_eq!(
        revert_message(&r),
        "signers hold 60 of 100 stake, more than two thirds is needed"
    );
    // Exactly two thirds is not more than two thirds: suspend Dave (total 90, Alice and Carol 60).
    set_sender(&mut session, OWNER);
    output::<u32>(
        &session
            .call(id, "admit", &encode(&(DAVE, 0u64)), GAS)
            .expect("no VM fault"),
    );
    set_sender(&mut session, RELAYER);
    let r = attest(
        &mut session,
        id,
        1,
        payload,
        &[0, 2],
        aggregate(&[0, 2], &message),
    );
    assert_eq!(
        revert_message(&r),
        "signers hold 60 of 90 stake, more than two thirds is needed"
    );

    let price = attest_price(2);
    let refused = |session: &mut Session, signers: &[u32], sig, text: &str| {
        assert_reverted(&attest(session, id, 1, payload, signers, sig), text, price);
    };
    // Signed by Alice and Carol, claimed as Alice and Bob; another payload; another round.
    refused(
        &mut session,
        &[0, 1],
        aggregate(&[0, 2], &message),
        "attestation does not verify (status 0)",
    );
    refused(
        &mut session,
        &[0, 1],
        aggregate(&[0, 1], &attestation_message(id, 1, [0x43; 32])),
        "attestation does not verify (status 0)",
    );
    refused(
        &mut session,
        &[0, 1],
        aggregate(&[0, 1], &attestation_message(id, 2, payload)),
        "attestation does not verify (status 0)",
    );
    // One signature short of the aggregate.
    refused(
        &mut session,
        &[0, 1],
        aggregate(&[0], &message),
        "attestation does not verify (status 0)",
    );
    // A flipped bit in the signature: the host finds it malformed, as blst does.
    let mut flipped = good;
    flipped[95] ^= 1;
    let keys = [public_key(0), public_key(1)].concat();
    let status = shortcrust_crypto::verify_bls_aggregate(
        bls_scheme::IETF_MIN_PK_POP,
        bls_aggregate_mode::FAST,
        &keys,
        &message,
        &flipped,
    );
    assert!(
        status < 0,
        "a flipped coordinate bit leaves the curve or the subgroup: {status}"
    );
    refused(
        &mut session,
        &[0, 1],
        flipped,
        &format!("malformed attestation (status {status})"),
    );

    // Malformed signer lists are refused before any cryptography.
    assert_eq!(
        revert_message(&attest(&mut session, id, 1, payload, &[1, 0], good)),
        "signer indexes must be strictly increasing"
    );
    assert_eq!(
        revert_message(&attest(&mut session, id, 1, payload, &[0, 0, 1], good)),
        "signer indexes must be strictly increasing"
    );
    assert_eq!(
        revert_message(&attest(&mut session, id, 1, payload, &[0, 9], good)),
        "member 9 does not exist or has no key"
    );
    assert_eq!(
        revert_message(&attest(&mut session, id, 1, payload, &[], good)),
        "no signers"
    );
    set_sender(&mut session, OWNER);
    assert_eq!(
        output::<u32>(
            &session
                .call(id, "admit", &encode(&([0xeeu8; 32], 500u64)), GAS)
                .expect("no VM fault")
        ),
        4
    );
    set_sender(&mut session, RELAYER);
    assert_eq!(
        revert_message(&attest(&mut session, id, 1, payload, &[0, 1, 4], good)),
        "member 4 does not exist or has no key"
    );

    // Nothing was recorded; the valid attestation still passes.
    assert_eq!(
        output::<Option<u64>>(
            &session
                .query(id, "last_round", &[], GAS)
                .expect("no VM fault")
        ),
        None
    );
    assert_eq!(
        output::<u64>(&attest(&mut session, id, 1, payload, &[0, 1], good)),
        70
    );
}
