//! `bridge`: claims proven with Groth16 over BN254 — real circom/snarkjs proofs (the committed
//! `testdata/snarkjs-bridge` fixture, converted from snarkjs JSON) and proofs made here with
//! arkworks' prover — minted once per nullifier, and every tampered claim refused.

use std::sync::OnceLock;

use ark_bn254::{Bn254, Fr};
use ark_ff::{BigInteger, Field, PrimeField};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_relations::lc;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_crypto::{groth16, snarkjs};
use shortcrust_test_contracts::BRIDGE;
use shortcrust_vm::{ContractId, Event, Receipt, Session, Vm};

use super::{
    ALICE, BOB, CAROL, GAS, OWNER, RELAYER, assert_reverted, deploy, encode, new_session, output,
    revert_message, set_sender, wasm_gas,
};

/// The committed circom/snarkjs fixture (see its README): Alice's claim of 1,000 and a second
/// proof from the same deposit secret naming Bob.
mod fixture {
    pub const VERIFYING_KEY: &str = include_str!("testdata/snarkjs-bridge/verification_key.json");
    pub const PROOF: &str = include_str!("testdata/snarkjs-bridge/proof.json");
    pub const PUBLIC: &str = include_str!("testdata/snarkjs-bridge/public.json");
    pub const PROOF_BOB: &str = include_str!("testdata/snarkjs-bridge/proof_same_secret_bob.json");
    pub const PUBLIC_BOB: &str =
        include_str!("testdata/snarkjs-bridge/public_same_secret_bob.json");
}

/// A claim in the host encoding.
#[derive(Clone)]
struct Claim {
    proof: Vec<u8>,
    signals: Vec<[u8; 32]>,
}

impl Claim {
    fn input(&self) -> Vec<u8> {
        encode(&(self.proof.clone(), self.signals.clone()))
    }

    fn with_signal(&self, index: usize, value: [u8; 32]) -> Claim {
        let mut claim = self.clone();
        claim.signals[index] = value;
        claim
    }
}

fn signals_from(bytes: &[u8]) -> Vec<[u8; 32]> {
    bytes
        .chunks_exact(32)
        .map(|c| c.try_into().expect("32 bytes"))
        .collect()
}

fn snarkjs_claim(proof: &str, public: &str) -> Claim {
    Claim {
        proof: snarkjs::proof_from_json(proof).expect("fixture proof converts"),
        signals: signals_from(
            &snarkjs::public_inputs_from_json(public).expect("fixture signals convert"),
        ),
    }
}

fn snarkjs_key() -> Vec<u8> {
    snarkjs::verifying_key_from_json(fixture::VERIFYING_KEY).expect("fixture key converts")
}

/// The bridge's statement as an arkworks circuit, with the layout of the circom one:
/// public `[nullifier, recipient_hi, recipient_lo, amount]`, private `secret`, and
/// `nullifier = secret^5` (x ↦ x⁵ is a permutation of BN254's scalar field, so each secret has
/// one nullifier; the circom fixture uses Poseidon instead).
#[derive(Clone)]
struct Deposit {
    secret: Option<Fr>,
    recipient_hi: Fr,
    recipient_lo: Fr,
    amount: Fr,
}

impl ConstraintSynthesizer<Fr> for Deposit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let missing = || SynthesisError::AssignmentMissing;
        let secret = self.secret;
        let power = |n: u64| secret.map(|s| s.pow([n])).ok_or_else(missing);
        let s = cs.new_witness_variable(|| secret.ok_or_else(missing))?;
        let s2 = cs.new_witness_variable(|| power(2))?;
        let s4 = cs.new_witness_variable(|| power(4))?;
        let nullifier = cs.new_input_variable(|| power(5))?;
        // The recipient and the amount take part in no constraint, yet the proof is bound to
        // them: Groth16's QAP reduction gives every public input its own polynomial.
        let _recipient_hi = cs.new_input_variable(|| Ok(self.recipient_hi))?;
        let _recipient_lo = cs.new_input_variable(|| Ok(self.recipient_lo))?;
        let _amount = cs.new_input_variable(|| Ok(self.amount))?;
        cs.enforce_r1cs_constraint(|| lc!() + s, || lc!() + s, || lc!() + s2)?;
        cs.enforce_r1cs_constraint(|| lc!() + s2, || lc!() + s2, || lc!() + s4)?;
        cs.enforce_r1cs_constraint(|| lc!() + s4, || lc!() + s, || lc!() + nullifier)?;
        Ok(())
    }
}

fn field_be(element: Fr) -> [u8; 32] {
    element
        .into_bigint()
        .to_bytes_be()
        .try_into()
        .expect("32 bytes")
}

/// Keys for [`Deposit`], made once.
fn proving_key() -> &'static ProvingKey<Bn254> {
    static KEY: OnceLock<ProvingKey<Bn254>> = OnceLock::new();
    KEY.get_or_init(|| {
        let shape = Deposit {
            secret: None,
            recipient_hi: Fr::from(0u8),
            recipient_lo: Fr::from(0u8),
            amount: Fr::from(0u8),
        };
        let mut rng = ChaCha20Rng::seed_from_u64(0xb41d);
        Groth16::<Bn254>::generate_random_parameters_with_reduction(shape, &mut rng)
            .expect("key generation")
    })
}

/// An arkworks proof of a deposit of `amount` for `recipient` with `secret`. `amount` is a field
/// element so that out-of-layout statements (amounts of 2^64 and more) can be proven too.
fn ark_claim(secret: u64, recipient: [u8; 32], amount: Fr) -> Claim {
    let statement = Deposit {
        secret: Some(Fr::from(secret)),
        recipient_hi: Fr::from_be_bytes_mod_order(&recipient[..16]),
        recipient_lo: Fr::from_be_bytes_mod_order(&recipient[16..]),
        amount,
    };
    let mut rng = ChaCha20Rng::seed_from_u64(secret);
    let proof = Groth16::<Bn254>::create_random_proof_with_reduction(
        statement.clone(),
        proving_key(),
        &mut rng,
    )
    .expect("proving a satisfied circuit");
    let nullifier = Fr::from(secret).pow([5]);
    Claim {
        proof: groth16::encode_proof(&proof).to_vec(),
        signals: vec![
            field_be(nullifier),
            field_be(statement.recipient_hi),
            field_be(statement.recipient_lo),
            field_be(amount),
        ],
    }
}

fn ark_key() -> Vec<u8> {
    groth16::encode_verifying_key(&proving_key().vk)
}

/// A bridge with `key` registered; the sender is the owner.
fn bridge_with(key: &[u8]) -> (Vm, Session, ContractId, Receipt) {
    let (vm, mut session) = new_session();
    let bridge = deploy(&mut session, BRIDGE);
    let receipt = session
        .call(
            bridge,
            "register_verifying_key",
            &encode(&key.to_vec()),
            GAS,
        )
        .expect("no VM fault");
    output::<()>(&receipt);
    (vm, session, bridge, receipt)
}

fn balance(session: &mut Session, bridge: ContractId, account: [u8; 32]) -> u64 {
    output(
        &session
            .query(bridge, "balance_of", &encode(&account), GAS)
            .expect("no VM fault"),
    )
}

fn claim_price(claim: &Claim, key_len: usize) -> u64 {
    shortcrust_crypto::verify_groth16_bn254_gas(
        key_len,
        claim.proof.len(),
        32 * claim.signals.len(),
    )
}

#[test]
fn a_snarkjs_proof_mints_once_to_the_recipient_it_names() {
    let key = snarkjs_key();
    let (_vm, mut session, bridge, registered) = bridge_with(&key);
    assert_eq!(
        registered.events[0].data,
        encode(&shortcrust_crypto::blake2b_256(&key))
    );
    let claim = snarkjs_claim(fixture::PROOF, fixture::PUBLIC);
    let mut amount = [0u8; 32];
    amount[30..].copy_from_slice(&1_000u16.to_be_bytes());
    assert_eq!(claim.signals[3], amount, "the fixture claims 1,000");

    // Anyone submits; the tokens go to Alice, the recipient in the proof.
    set_sender(&mut session, RELAYER);
    let receipt = session
        .call(bridge, "claim", &claim.input(), GAS)
        .expect("no VM fault");
    assert_eq!(output::<u64>(&receipt), 1_000);
    assert_eq!(
        receipt.events,
        vec![Event {
            contract: bridge,
            topic: b"claim".to_vec(),
            data: encode(&(claim.signals[0], ALICE, 1_000u64))
        }]
    );
    assert_eq!(balance(&mut session, bridge, ALICE), 1_000);
    assert_eq!(balance(&mut session, bridge, RELAYER), 0);
    assert!(output::<bool>(
        &session
            .query(bridge, "is_claimed", &encode(&claim.signals[0]), GAS)
            .expect("no VM fault")
    ));

    // A second valid proof from the same deposit secret, naming Bob: same nullifier, refused.
    let bob = snarkjs_claim(fixture::PROOF_BOB, fixture::PUBLIC_BOB);
    assert_eq!(bob.signals[0], claim.signals[0]);
    let joined: Vec<u8> = bob.signals.concat();
    assert_eq!(
        shortcrust_crypto::verify_groth16_bn254(&key, &bob.proof, &joined),
        1,
        "a valid proof"
    );
    assert_reverted(
        &session
            .call(bridge, "claim", &bob.input(), GAS)
            .expect("no VM fault"),
        "nullifier already claimed",
        0,
    );
    assert_reverted(
        &session
            .call(bridge, "claim", &claim.input(), GAS)
            .expect("no VM fault"),
        "nullifier already claimed",
        0,
    );

    // The wrapped token moves like a token.
    set_sender(&mut session, ALICE);
    output::<()>(
        &session
            .call(bridge, "transfer", &encode(&(CAROL, 400u64)), GAS)
            .expect("no VM fault"),
    );
    assert_eq!(balance(&mut session, bridge, CAROL), 400);
    assert_eq!(
        output::<u64>(
            &session
                .query(bridge, "total_supply", &[], GAS)
                .expect("no VM fault")
        ),
        1_000
    );

    let wasm = wasm_gas(&receipt, claim_price(&claim, key.len()));
    println!(
        "bridge claim (snarkjs): {} gas ({wasm} outside the host functions' prices)",
        receipt.gas_spent
    );
    assert_eq!(
        wasm, EXPECTED_CLAIM_WASM_GAS,
        "bridge gas changed: update the snapshot if intended"
    );
}

const EXPECTED_CLAIM_WASM_GAS: u64 = 16_719_558;

#[test]
fn tampered_snarkjs_claims_are_refused() {
    let key = snarkjs_key();
    let (_vm, mut session, bridge, _) = bridge_with(&key);
    let claim = snarkjs_claim(fixture::PROOF, fixture::PUBLIC);
    let price = claim_price(&claim, key.len());
    let refused = |session: &mut Session, claim: &Claim, message: &str| {
        assert_reverted(
            &session
                .call(bridge, "claim", &claim.input(), GAS)
                .expect("no VM fault"),
            message,
            price,
        );
    };
    let mut more = claim.signals[3];
    more[31] = more[31].wrapping_add(1);
    refused(
        &mut session,
        &claim.with_signal(3, more),
        "proof does not verify (status 0)",
    );
    let bob_half = {
        let mut half = [0u8; 32];
        half[16..].copy_from_slice(&BOB[..16]);
        half
    };
    refused(
        &mut session,
        &claim.with_signal(1, bob_half),
        "proof does not verify (status 0)",
    );
    let mut flipped = claim.clone();
    flipped.proof[100] ^= 1;
    let status =
        shortcrust_crypto::verify_groth16_bn254(&key, &flipped.proof, &claim.signals.concat());
    refused(
        &mut session,
        &flipped,
        &format!("malformed proof or signals (status {status})"),
    );
    assert!(
        status < 0,
        "a flipped coordinate bit leaves the curve or the subgroup: {status}"
    );
    let mut truncated = claim.clone();
    truncated.proof.pop();
    refused(
        &mut session,
        &truncated,
        "malformed proof or signals (status -1)",
    );

    // Nothing was minted; the honest claim still works.
    assert_eq!(balance(&mut session, bridge, ALICE), 0);
    assert_eq!(
        output::<u64>(
            &session
                .call(bridge, "claim", &claim.input(), GAS)
                .expect("no VM fault")
        ),
        1_000
    );
}

#[test]
fn arkworks_proofs_claim_and_out_of_layout_statements_are_refused() {
    let (_vm, mut session, bridge, _) = bridge_with(&ark_key());
    set_sender(&mut session, RELAYER);
    let alice = ark_claim(1, ALICE, Fr::from(250u64));
    let bob = ark_claim(2, BOB, Fr::from(u64::MAX - 250));
    assert_eq!(
        output::<u64>(
            &session
                .call(bridge, "claim", &alice.input(), GAS)
                .expect("no VM fault")
        ),
        250
    );
    assert_eq!(
        output::<u64>(
            &session
                .call(bridge, "claim", &bob.input(), GAS)
                .expect("no VM fault")
        ),
        u64::MAX - 250
    );
    assert_eq!(balance(&mut session, bridge, BOB), u64::MAX - 250);
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &alice.input(), GAS)
                .expect("no VM fault")
        ),
        "nullifier already claimed"
    );
    // The supply cannot overflow: a third valid claim is refused whole.
    let carol = ark_claim(3, CAROL, Fr::from(1u64));
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &carol.input(), GAS)
                .expect("no VM fault")
        ),
        "total supply would overflow u64"
    );
    assert!(!output::<bool>(
        &session
            .query(bridge, "is_claimed", &encode(&carol.signals[0]), GAS)
            .expect("no VM fault")
    ));

    // Valid proofs of statements outside the layout the contract accepts.
    let big = ark_claim(4, CAROL, Fr::from(u64::MAX) + Fr::from(1u64));
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &big.input(), GAS)
                .expect("no VM fault")
        ),
        "amount must be below 2^64"
    );
    let zero = ark_claim(5, CAROL, Fr::from(0u64));
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &zero.input(), GAS)
                .expect("no VM fault")
        ),
        "amount must be positive"
    );
    let mut wide = ark_claim(6, CAROL, Fr::from(5u64));
    wide.signals[1][15] = 1;
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &wide.input(), GAS)
                .expect("no VM fault")
        ),
        "recipient halves must be below 2^128"
    );
    let mut short = alice.clone();
    short.signals.pop();
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &short.input(), GAS)
                .expect("no VM fault")
        ),
        "expected 4 public signals [nullifier, recipient_hi, recipient_lo, amount], got 3"
    );
    // A nullifier that is not a field element (≥ r): the host calls it malformed.
    let fresh = ark_claim(7, CAROL, Fr::from(5u64));
    let r = session
        .call(
            bridge,
            "claim",
            &fresh.with_signal(0, [0xff; 32]).input(),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "malformed proof or signals (status -6)");
    // Alice's proof with Carol's nullifier, or under another key.
    let r = session
        .call(
            bridge,
            "claim",
            &alice.with_signal(0, fresh.signals[0]).input(),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(revert_message(&r), "proof does not verify (status 0)");
}

#[test]
fn only_the_owner_registers_a_four_signal_key_and_rotation_keeps_nullifiers_spent() {
    let (_vm, mut session) = new_session();
    let bridge = deploy(&mut session, BRIDGE);
    let claim = snarkjs_claim(fixture::PROOF, fixture::PUBLIC);
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &claim.input(), GAS)
                .expect("no VM fault")
        ),
        "no verifying key registered"
    );
    assert_eq!(
        output::<Option<[u8; 32]>>(
            &session
                .query(bridge, "verifying_key_hash", &[], GAS)
                .expect("no VM fault")
        ),
        None
    );

    set_sender(&mut session, ALICE);
    let register = |key: &[u8]| encode(&key.to_vec());
    let r = session
        .call(
            bridge,
            "register_verifying_key",
            &register(&snarkjs_key()),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(
        revert_message(&r),
        "only the owner may register the verifying key"
    );

    set_sender(&mut session, OWNER);
    // The multiplier fixture of shortcrust-crypto has two public signals.
    let two_signals = groth16::testkit::snarkjs_multiplier().verifying_key;
    let r = session
        .call(
            bridge,
            "register_verifying_key",
            &register(&two_signals),
            GAS,
        )
        .expect("no VM fault");
    assert_eq!(
        revert_message(&r),
        "a verifying key for 4 public signals is 392 bytes, got 328"
    );
    let mut lying = snarkjs_key();
    lying[224] = 4;
    let r = session
        .call(bridge, "register_verifying_key", &register(&lying), GAS)
        .expect("no VM fault");
    assert_eq!(
        revert_message(&r),
        "the verifying key does not declare 4 public inputs"
    );

    output::<()>(
        &session
            .call(
                bridge,
                "register_verifying_key",
                &register(&snarkjs_key()),
                GAS,
            )
            .expect("no VM fault"),
    );
    output::<u64>(
        &session
            .call(bridge, "claim", &claim.input(), GAS)
            .expect("no VM fault"),
    );
    // After a rotation to the arkworks circuit, snarkjs proofs no longer verify, and a claim
    // reusing a spent nullifier is refused before its proof is even checked.
    output::<()>(
        &session
            .call(bridge, "register_verifying_key", &register(&ark_key()), GAS)
            .expect("no VM fault"),
    );
    let hash: Option<[u8; 32]> = output(
        &session
            .query(bridge, "verifying_key_hash", &[], GAS)
            .expect("no VM fault"),
    );
    assert_eq!(hash, Some(shortcrust_crypto::blake2b_256(&ark_key())));
    let bob = snarkjs_claim(fixture::PROOF_BOB, fixture::PUBLIC_BOB);
    let other = bob.with_signal(0, ark_claim(8, BOB, Fr::from(1u64)).signals[0]);
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &other.input(), GAS)
                .expect("no VM fault")
        ),
        "proof does not verify (status 0)"
    );
    assert_eq!(
        revert_message(
            &session
                .call(bridge, "claim", &bob.input(), GAS)
                .expect("no VM fault")
        ),
        "nullifier already claimed"
    );
}
