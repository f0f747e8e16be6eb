//! `pure-poseidon-bn254`: `poseidon_bn254` (circomlib's Poseidon over BN254, light-poseidon 0.5)
//! computed inside the contract, with the host function's checks and statuses, under the
//! `verifier` contract's entry-point signature.
//!
//! light-poseidon 0.5 needs `std` (it depends on num-bigint with its default features and on
//! thiserror 1), so unlike the other pure contracts this one links `std`: std's allocator and
//! panic handler replace the SDK's runtime (a panic traps instead of reverting with its message).

use ark_bn254::Fr;
use light_poseidon::{Poseidon, PoseidonBytesHasher, PoseidonError};
use shortcrust_sdk::abi::status;

/// Most inputs of `poseidon_bn254` (circomlib's widest parameters: width 13).
const MAX_POSEIDON_BN254_INPUTS: usize = 12;

shortcrust_sdk::entry_points! {
    /// circomlib's Poseidon over BN254 (big-endian); `Err` is the malformed-input status.
    fn poseidon_bn254(elements: Vec<[u8; 32]>) -> Result<[u8; 32], i32> {
        if elements.is_empty() || elements.len() > MAX_POSEIDON_BN254_INPUTS {
            return Err(if elements.is_empty() { status::ERR_LENGTH } else { status::ERR_TOO_MANY });
        }
        let inputs: Vec<&[u8]> = elements.iter().map(|e| e.as_slice()).collect();
        let mut hasher = Poseidon::<Fr>::new_circom(inputs.len()).map_err(|_| status::ERR_INTERNAL)?;
        hasher.hash_bytes_be(&inputs).map_err(|error| match error {
            PoseidonError::InputLargerThanModulus => status::ERR_MALFORMED,
            _ => status::ERR_INTERNAL,
        })
    }
}
