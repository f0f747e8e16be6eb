//! Scenario 2, the seed article's cross-chain bridge (`contracts/bridge`): a deposit on another
//! chain is proven with Groth16 over BN254 — a real circom circuit and real snarkjs proofs, the
//! committed fixture of `crates/vm/tests/crypto/testdata/snarkjs-bridge` (its README gives the
//! provenance: circom 2.2.3, circomlib's Poseidon, snarkjs 0.7.6) — and the bridge mints the
//! wrapped amount to the recipient the proof names, once per nullifier.
//!
//! A relayer claims Alice's deposit of 1,000; then submits a second proof from the same deposit
//! secret that names Bob — valid, but with the same nullifier, so refused; Alice then pays Carol
//! 400 (the light-client check proves Alice's remaining 600 from the state root).

use shortcrust_crypto::snarkjs;

use super::{ALICE, CAROL, Expect, OPERATOR, RELAYER, Tour, encode};
use crate::error::CliError;

const VERIFYING_KEY: &str =
    include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/verification_key.json");
const PROOF: &str = include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/proof.json");
const PUBLIC: &str = include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/public.json");
const PROOF_BOB: &str =
    include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/proof_same_secret_bob.json");
const PUBLIC_BOB: &str =
    include_str!("../../../vm/tests/crypto/testdata/snarkjs-bridge/public_same_secret_bob.json");

/// Alice's claim, minted by this scenario: what the light-client check proves.
pub const ALICE_BALANCE: u64 = 600;

fn converted(
    what: &str,
    result: Result<Vec<u8>, snarkjs::SnarkjsError>,
) -> Result<Vec<u8>, CliError> {
    result.map_err(|e| CliError::Vm(format!("demo fixture: converting the snarkjs {what}: {e}")))
}

/// `claim`'s input: the proof and the public signals, from snarkjs JSON.
fn claim(proof: &str, public: &str) -> Result<Vec<u8>, CliError> {
    let proof = converted("proof", snarkjs::proof_from_json(proof))?;
    let signals: Vec<[u8; 32]> =
        converted("public signals", snarkjs::public_inputs_from_json(public))?
            .chunks_exact(32)
            .filter_map(|chunk| chunk.try_into().ok())
            .collect();
    Ok(encode(&(proof, signals)))
}

pub fn run(tour: &mut Tour) -> Result<(), CliError> {
    tour.scenario("bridge");
    let key = converted(
        "verifying key",
        snarkjs::verifying_key_from_json(VERIFYING_KEY),
    )?;
    tour.call(
        OPERATOR,
        "bridge",
        "register_verifying_key",
        encode(&key),
        "operator registers the circom circuit's key",
        Expect::Ok,
    )?;
    tour.call(
        RELAYER,
        "bridge",
        "claim",
        claim(PROOF, PUBLIC)?,
        "relayer claims alice's 1,000 (snarkjs Groth16)",
        Expect::Returns(encode(&1_000u64)),
    )?;
    tour.call(
        RELAYER,
        "bridge",
        "claim",
        claim(PROOF_BOB, PUBLIC_BOB)?,
        "same deposit, 2nd valid proof, naming bob",
        Expect::Refused("nullifier already claimed"),
    )?;
    tour.call(
        ALICE,
        "bridge",
        "transfer",
        encode(&(CAROL, 1_000 - ALICE_BALANCE)),
        "alice pays carol 400 wrapped tokens",
        Expect::Ok,
    )?;
    Ok(())
}
