//! `pure-plonk`: `verify_plonk` computed inside the contract with dusk-plonk 0.22.1, doing the
//! work of the host function on a cache miss: check the verifier data's layout, deserialize the
//! verifier (`Verifier::try_from_bytes`: every point decompressed and subgroup-checked), decode
//! the proof and the public inputs, verify. Same host encoding, statuses (for the checks made
//! here) and entry-point signature as the `verifier` contract.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use dusk_plonk::prelude::{Error as PlonkError, Proof, Verifier};
use shortcrust_sdk::abi::{limits, status};

/// Bytes of one little-endian public input.
const SCALAR_LEN: usize = 32;
/// Bytes of a proof: 11 compressed G1 points and 15 scalars.
const PROOF_LEN: usize = 11 * 48 + 15 * SCALAR_LEN;
/// Bytes of the verifier data's header: six big-endian `u64`s.
const HEADER_LEN: usize = 6 * 8;
/// Bytes of dusk-plonk's verifier key and opening key.
const VERIFIER_KEY_LEN: usize = 8 + 15 * 48 + 5 * 48;
const OPENING_KEY_LEN: usize = 48 + 2 * 96;
/// Largest constraint count (the evaluation domain must fit the scalar field's 2-adicity).
const MAX_CONSTRAINTS: u64 = 1 << 31;

/// The `i`-th big-endian `u64` of the header.
fn header(bytes: &[u8], i: usize) -> Result<usize, i32> {
    let field = bytes.get(8 * i..8 * i + 8).ok_or(status::ERR_LENGTH)?;
    let value = u64::from_be_bytes(field.try_into().map_err(|_| status::ERR_LENGTH)?);
    usize::try_from(value).map_err(|_| status::ERR_LENGTH)
}

/// Checks the header's lengths against the encoding and the fields dusk-plonk leaves unchecked.
fn check_layout(bytes: &[u8], inputs: usize) -> Result<(), i32> {
    let label_len = header(bytes, 0)?;
    if header(bytes, 1)? != VERIFIER_KEY_LEN || header(bytes, 2)? != OPENING_KEY_LEN {
        return Err(status::ERR_LENGTH);
    }
    if header(bytes, 3)? != inputs {
        return Err(status::ERR_LENGTH);
    }
    let total = inputs
        .checked_mul(8)
        .and_then(|indexes| indexes.checked_add(HEADER_LEN + VERIFIER_KEY_LEN + OPENING_KEY_LEN))
        .and_then(|len| len.checked_add(label_len));
    if total != Some(bytes.len()) {
        return Err(status::ERR_LENGTH);
    }
    let key = bytes
        .get(HEADER_LEN + label_len..HEADER_LEN + label_len + VERIFIER_KEY_LEN)
        .ok_or(status::ERR_LENGTH)?;
    let (constraints, rest) = key.split_at(8);
    let constraints = u64::from_le_bytes(constraints.try_into().map_err(|_| status::ERR_LENGTH)?);
    if constraints > MAX_CONSTRAINTS || rest[15 * 48..].iter().any(|b| *b != 0) {
        return Err(status::ERR_MALFORMED);
    }
    Ok(())
}

fn verify(verifier_data: &[u8], proof: &[u8], public_inputs: &[u8]) -> Result<(), i32> {
    if !public_inputs.len().is_multiple_of(SCALAR_LEN) {
        return Err(status::ERR_LENGTH);
    }
    let n = public_inputs.len() / SCALAR_LEN;
    if n > limits::MAX_PUBLIC_INPUTS as usize {
        return Err(status::ERR_TOO_MANY);
    }
    let proof: &[u8; PROOF_LEN] = proof.try_into().map_err(|_| status::ERR_LENGTH)?;
    check_layout(verifier_data, n)?;
    let inputs = public_inputs
        .chunks_exact(SCALAR_LEN)
        .map(|chunk| {
            let bytes: [u8; SCALAR_LEN] = chunk.try_into().map_err(|_| status::ERR_LENGTH)?;
            Option::<BlsScalar>::from(BlsScalar::from_bytes(&bytes)).ok_or(status::ERR_MALFORMED)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The host tells a bad point from a bad subgroup membership; one status suffices here.
    let verifier = Verifier::try_from_bytes(verifier_data).map_err(|_| status::ERR_NOT_ON_CURVE)?;
    let proof = Proof::from_bytes(proof).map_err(|_| status::ERR_NOT_ON_CURVE)?;
    match verifier.verify(&proof, &inputs) {
        Ok(()) => Ok(()),
        Err(PlonkError::ProofVerificationError | PlonkError::PairingCheckFailure) => {
            Err(status::INVALID)
        }
        Err(PlonkError::InconsistentPublicInputsLen { .. }) => Err(status::ERR_LENGTH),
        Err(PlonkError::InvalidEvalDomainSize { .. }) => Err(status::ERR_MALFORMED),
        Err(_) => Err(status::ERR_INTERNAL),
    }
}

shortcrust_sdk::entry_points! {
    /// dusk-plonk: verifier data (`Verifier::to_bytes`), proof (1008 bytes), public inputs
    /// (`n` little-endian 32-byte scalars, concatenated).
    fn verify_plonk(verifier_data: Vec<u8>, proof: Vec<u8>, public_inputs: Vec<u8>) -> i32 {
        match verify(&verifier_data, &proof, &public_inputs) {
            Ok(()) => status::VALID,
            Err(code) => code,
        }
    }
}
