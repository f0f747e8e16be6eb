//! `pure-hash`: the byte-hash host functions (`blake2b_256`, `sha256`, `keccak256`,
//! `hash_to_scalar`) computed inside the contract with the same crates the host uses
//! (blake2b_simd, sha2 0.11, sha3 0.12, dusk-bls12_381), under the `verifier` contract's
//! entry-point names and signatures, so the benchmark sends both the same input.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use dusk_bls12_381::BlsScalar;
use sha2::Digest as _;

shortcrust_sdk::entry_points! {
    /// BLAKE2b-256 of `data`.
    fn blake2b_256(data: Vec<u8>) -> [u8; 32] {
        let digest = blake2b_simd::Params::new().hash_length(32).hash(&data);
        let mut out = [0u8; 32];
        out.copy_from_slice(digest.as_bytes());
        out
    }

    /// SHA-256 of `data`.
    fn sha256(data: Vec<u8>) -> [u8; 32] {
        sha2::Sha256::digest(&data).into()
    }

    /// Keccak-256 (Ethereum's) of `data`.
    fn keccak256(data: Vec<u8>) -> [u8; 32] {
        sha3::Keccak256::digest(&data).into()
    }

    /// Dusk's `BlsScalar::hash_to_scalar` of `data` (32-byte little-endian scalar).
    fn hash_to_scalar(data: Vec<u8>) -> [u8; 32] {
        BlsScalar::hash_to_scalar(&data).to_bytes()
    }
}
