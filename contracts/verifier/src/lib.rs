//! `verifier`: every cryptographic host function behind one entry point each, taking the raw
//! host encodings as borsh arguments and returning the host's answer unchanged.
//!
//! It is what `shortcrust verify` runs: a check made through this contract goes through the same
//! path as on chain (deploy-validated import, bounds-checked buffers, price charged before the
//! work), so the gas it reports is what a contract pays for that check plus this contract's own
//! small overhead (decoding the arguments).
//!
//! | entry point | returns |
//! |---|---|
//! | `verify_plonk(verifier_data: Vec<u8>, proof: Vec<u8>, public_inputs: Vec<u8>)` | `i32` status |
//! | `verify_groth16_bn254(verifying_key: Vec<u8>, proof: Vec<u8>, public_inputs: Vec<u8>)` | `i32` status |
//! | `verify_bls(scheme: i32, public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>)` | `i32` status |
//! | `verify_bls_aggregate(scheme: i32, mode: i32, public_keys: Vec<u8>, messages: Vec<Vec<u8>>, signature: Vec<u8>)` | `i32` status |
//! | `verify_schnorr(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>)` | `i32` status |
//! | `verify_bip340(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>)` | `i32` status |
//! | `verify_ed25519(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>)` | `i32` status |
//! | `blake2b_256(data: Vec<u8>)`, `sha256(..)`, `keccak256(..)`, `hash_to_scalar(..)` | `[u8; 32]` |
//! | `poseidon_hash(scalars: Vec<[u8; 32]>)`, `poseidon_bn254(elements: Vec<[u8; 32]>)` | `Result<[u8; 32], i32>` (`Err`: the malformed-input status) |
//!
//! Statuses are those of `shortcrust_abi::status`: `1` valid, `0` well-formed but not verifying,
//! negative for malformed input. Arguments are passed through as given — a key of the wrong
//! length reaches the host and comes back as `-1` — with two exceptions, because the SDK types
//! them: a `scheme` or `mode` code the SDK does not know is answered with
//! `ERR_UNKNOWN_SCHEME` (`-5`) without calling the host (the host's own answer for it), and in
//! `FAST` mode `messages` must hold exactly one message (`ERR_MALFORMED`, `-6`, otherwise). In
//! `DISTINCT` mode the SDK frames the messages as the host expects (length-prefixed, in key
//! order). The contract keeps no state and emits no events.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use shortcrust_sdk::abi::{bls_aggregate_mode, bls_scheme, status};
use shortcrust_sdk::crypto::{self, AggregateMessages, BlsScheme};

/// The SDK's scheme for a host scheme code, if it knows it.
fn scheme_from_code(code: i32) -> Option<BlsScheme> {
    match code {
        bls_scheme::IETF_MIN_PK_POP => Some(BlsScheme::IetfMinPkPop),
        bls_scheme::DUSK_MIN_SIG => Some(BlsScheme::DuskMinSig),
        bls_scheme::IETF_POP_PROOF => Some(BlsScheme::IetfPopProof),
        _ => None,
    }
}

shortcrust_sdk::entry_points! {
    /// dusk-plonk: verifier data (`Verifier::to_bytes`), proof (1008 bytes), public inputs
    /// (`n` little-endian 32-byte scalars, concatenated).
    fn verify_plonk(verifier_data: Vec<u8>, proof: Vec<u8>, public_inputs: Vec<u8>) -> i32 {
        crypto::verify_plonk(&verifier_data, &proof, &public_inputs).code()
    }

    /// Groth16 over BN254: verifying key and proof in the host encoding (arkworks compressed;
    /// convert snarkjs JSON with `shortcrust_crypto::snarkjs`), public inputs (`n` big-endian
    /// 32-byte field elements, concatenated).
    fn verify_groth16_bn254(verifying_key: Vec<u8>, proof: Vec<u8>, public_inputs: Vec<u8>) -> i32 {
        crypto::verify_groth16_bn254(&verifying_key, &proof, &public_inputs).code()
    }

    /// One BLS12-381 signature: `scheme` is `1` (IETF min-pk, proof-of-possession ciphersuite)
    /// or `2` (Dusk).
    fn verify_bls(scheme: i32, public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        match scheme_from_code(scheme) {
            Some(scheme) => crypto::verify_bls(scheme, &public_key, &message, &signature).code(),
            None => status::ERR_UNKNOWN_SCHEME,
        }
    }

    /// An aggregate BLS12-381 signature by `public_keys` (concatenated). `mode` `1` (`FAST`):
    /// `messages` is the one message every key signed; `2` (`DISTINCT`): one message per key.
    fn verify_bls_aggregate(
        scheme: i32,
        mode: i32,
        public_keys: Vec<u8>,
        messages: Vec<Vec<u8>>,
        signature: Vec<u8>,
    ) -> i32 {
        let Some(scheme) = scheme_from_code(scheme) else {
            return status::ERR_UNKNOWN_SCHEME;
        };
        let borrowed: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let messages = match (mode, borrowed.as_slice()) {
            (bls_aggregate_mode::FAST, [one]) => AggregateMessages::Same(one),
            (bls_aggregate_mode::FAST, _) => return status::ERR_MALFORMED,
            (bls_aggregate_mode::DISTINCT, list) => AggregateMessages::Distinct(list),
            _ => return status::ERR_UNKNOWN_SCHEME,
        };
        crypto::verify_bls_aggregate(scheme, &public_keys, messages, &signature).code()
    }

    /// Dusk's Schnorr over JubJub: 32-byte key, one 32-byte scalar message, 64-byte signature.
    fn verify_schnorr(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        crypto::verify_schnorr(&public_key, &message, &signature).code()
    }

    /// BIP-340: 32-byte x-only key, message of any length, 64-byte signature.
    fn verify_bip340(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        crypto::verify_bip340(&public_key, &message, &signature).code()
    }

    /// Ed25519 (RFC 8032, strict): 32-byte key, message of any length, 64-byte signature.
    fn verify_ed25519(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        crypto::verify_ed25519(&public_key, &message, &signature).code()
    }

    /// BLAKE2b-256 of `data`.
    fn blake2b_256(data: Vec<u8>) -> [u8; 32] {
        crypto::blake2b_256(&data)
    }

    /// SHA-256 of `data`.
    fn sha256(data: Vec<u8>) -> [u8; 32] {
        crypto::sha256(&data)
    }

    /// Keccak-256 (Ethereum's) of `data`.
    fn keccak256(data: Vec<u8>) -> [u8; 32] {
        crypto::keccak256(&data)
    }

    /// Dusk's `BlsScalar::hash_to_scalar` of `data` (32-byte little-endian scalar).
    fn hash_to_scalar(data: Vec<u8>) -> [u8; 32] {
        crypto::hash_to_scalar(&data)
    }

    /// Dusk's Poseidon over BLS12-381 scalars (little-endian); `Err` is the malformed-input status.
    fn poseidon_hash(scalars: Vec<[u8; 32]>) -> Result<[u8; 32], i32> {
        crypto::poseidon_hash(&scalars).map_err(crypto::Status::code)
    }

    /// circomlib's Poseidon over BN254 (big-endian); `Err` is the malformed-input status.
    fn poseidon_bn254(elements: Vec<[u8; 32]>) -> Result<[u8; 32], i32> {
        crypto::poseidon_bn254(&elements).map_err(crypto::Status::code)
    }
}
