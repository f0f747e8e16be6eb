//! `pure-poseidon`: `poseidon_hash` (Dusk's Poseidon over BLS12-381 scalars, dusk-poseidon 0.41,
//! `Domain::Other`) computed inside the contract, with the host function's checks and statuses,
//! under the `verifier` contract's entry-point signature. (`poseidon_bn254` is in
//! `pure-poseidon-bn254`: light-poseidon needs `std`.)
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use dusk_bls12_381::BlsScalar;
use dusk_poseidon::{Domain, Hash};
use shortcrust_sdk::abi::{limits, status};

shortcrust_sdk::entry_points! {
    /// Dusk's Poseidon over BLS12-381 scalars (little-endian); `Err` is the malformed-input status.
    fn poseidon_hash(scalars: Vec<[u8; 32]>) -> Result<[u8; 32], i32> {
        if scalars.is_empty() || scalars.len() > limits::MAX_POSEIDON_INPUTS as usize {
            return Err(if scalars.is_empty() { status::ERR_LENGTH } else { status::ERR_TOO_MANY });
        }
        let scalars = scalars
            .iter()
            .map(|bytes| Option::<BlsScalar>::from(BlsScalar::from_bytes(bytes)).ok_or(status::ERR_MALFORMED))
            .collect::<Result<Vec<_>, _>>()?;
        Hash::digest(Domain::Other, &scalars)
            .first()
            .map(BlsScalar::to_bytes)
            .ok_or(status::ERR_INTERNAL)
    }
}
