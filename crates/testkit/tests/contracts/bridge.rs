//! `contracts/bridge`: a claim proven with a real circom/snarkjs Groth16 proof over BN254 (the
//! VM tests' committed `snarkjs-bridge` fixture, converted by `shortcrust_crypto::snarkjs`)
//! mints once to the recipient the proof names; a tampered claim, a second proof from the same
//! deposit secret and a replay are refused. The VM-level tests
//! (`crates/vm/tests/crypto/bridge.rs`) add arkworks-made proofs and the edge cases.

use shortcrust_crypto::snarkjs;
use shortcrust_test_contracts::BRIDGE;
use shortcrust_testkit::Harness;

use super::encode;

/// The circom/snarkjs fixture (see its README): a deposit of 1,000 claimed for [`RECIPIENT`],
/// and a second proof from the same deposit secret naming someone else.
mod fixture {
    pub const VERIFYING_KEY: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/verification_key.json");
    pub const PROOF: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/proof.json");
    pub const PUBLIC: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/public.json");
    pub const PROOF_OTHER: &str =
        include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/proof_same_secret_bob.json");
    pub const PUBLIC_OTHER: &str = include_str!(
        "../../../vm/tests/crypto/testdata/snarkjs-bridge/public_same_secret_bob.json"
    );
}

/// The recipient the fixture's proof names (its public signals 1 and 2 are the two halves).
const RECIPIENT: [u8; 32] = [0xa1; 32];

/// `claim`'s arguments from a snarkjs proof and its public signals `[nullifier, recipient_hi,
/// recipient_lo, amount]`.
fn claim(proof: &str, public: &str) -> (Vec<u8>, Vec<[u8; 32]>) {
    let signals = snarkjs::public_inputs_from_json(public).expect("fixture signals convert");
    (
        snarkjs::proof_from_json(proof).expect("fixture proof converts"),
        signals
            .chunks_exact(32)
            .map(|c| c.try_into().expect("32 bytes"))
            .collect(),
    )
}

#[test]
fn a_snarkjs_proof_mints_once_and_tampered_claims_are_refused() {
    let mut h = Harness::new().expect("harness");
    let owner = h.account("deployer");
    let (relayer, carol) = (h.account("relayer"), h.account("carol"));
    let bridge = h.deploy("bridge", BRIDGE).expect("deploy");
    let mut gas = super::snapshot("bridge");

    let key = snarkjs::verifying_key_from_json(fixture::VERIFYING_KEY).expect("key converts");
    h.call(relayer, bridge, "register_verifying_key", &key)
        .expect("call")
        .assert_reverted("only the owner may register the verifying key");
    let registered = h
        .call(owner, bridge, "register_verifying_key", &key)
        .expect("call");
    registered.assert_ok().assert_event(
        "verifying_key",
        &encode(&shortcrust_crypto::blake2b_256(&key)),
    );
    gas.record("register_verifying_key", registered.gas());

    let (proof, signals) = claim(fixture::PROOF, fixture::PUBLIC);
    assert_eq!(
        u64::from_be_bytes(signals[3][24..].try_into().expect("8")),
        1_000
    );
    // A larger amount, and a flipped byte of the proof, under the honest nullifier.
    let mut more = signals.clone();
    more[3][31] ^= 1;
    let refused = h
        .call(relayer, bridge, "claim", &(&proof, &more))
        .expect("call");
    refused.assert_reverted("proof does not verify (status 0)");
    gas.record("claim (tampered amount, refused)", refused.gas());
    let mut flipped = proof.clone();
    flipped[100] ^= 1;
    let status = shortcrust_crypto::verify_groth16_bn254(&key, &flipped, &signals.concat());
    assert!(status < 0, "the flipped bit leaves the curve: {status}");
    h.call(relayer, bridge, "claim", &(&flipped, &signals))
        .expect("call")
        .assert_reverted(&format!("malformed proof or signals (status {status})"));

    // Anyone submits; the tokens go to the recipient in the proof.
    let claimed = h
        .call(relayer, bridge, "claim", &(&proof, &signals))
        .expect("call");
    assert_eq!(claimed.value::<u64>(), Ok(1_000));
    claimed.assert_event("claim", &encode(&(signals[0], RECIPIENT, 1_000u64)));
    gas.record("claim (snarkjs)", claimed.gas());
    let is_claimed = h
        .query(relayer, bridge, "is_claimed", &signals[0])
        .expect("query");
    assert_eq!(is_claimed.value::<bool>(), Ok(true));

    // The same claim again, and a valid proof from the same secret naming another recipient.
    h.call(relayer, bridge, "claim", &(&proof, &signals))
        .expect("call")
        .assert_reverted("nullifier already claimed");
    let (other_proof, other_signals) = claim(fixture::PROOF_OTHER, fixture::PUBLIC_OTHER);
    assert_eq!(other_signals[0], signals[0], "the same nullifier");
    h.call(relayer, bridge, "claim", &(&other_proof, &other_signals))
        .expect("call")
        .assert_reverted("nullifier already claimed");

    // The wrapped token moves like a token.
    let moved = h
        .call(RECIPIENT, bridge, "transfer", &(carol, 400u64))
        .expect("call");
    moved
        .assert_ok()
        .assert_event("transfer", &encode(&(RECIPIENT, carol, 400u64)));
    gas.record("transfer", moved.gas());
    for (account, expected) in [(RECIPIENT, 600u64), (carol, 400), (relayer, 0)] {
        let balance = h
            .query(relayer, bridge, "balance_of", &account)
            .expect("query");
        assert_eq!(balance.value::<u64>(), Ok(expected));
    }
    let supply = h
        .query(relayer, bridge, "total_supply", &())
        .expect("query");
    assert_eq!(supply.value::<u64>(), Ok(1_000));
    gas.finish().unwrap_or_else(|e| panic!("{e}"));
}
