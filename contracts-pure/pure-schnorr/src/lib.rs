//! `pure-schnorr`: `verify_schnorr` (Dusk's Schnorr over JubJub, jubjub-schnorr 0.6) and
//! `verify_bip340` (BIP-340 over secp256k1, k256 0.14) computed inside the contract, with the host
//! functions' checks and statuses, under the `verifier` contract's entry-point signatures.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use dusk_jubjub::{JubJubAffine, JubJubExtended, JubJubScalar};
use jubjub_schnorr::{PublicKey, Signature};
use shortcrust_sdk::abi::status;

/// secp256k1's field modulus `p`, big-endian: a BIP-340 `r` must lie below it.
const FIELD_MODULUS: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xfc, 0x2f,
];
/// secp256k1's group order `n`, big-endian: a BIP-340 `s` must lie below it.
const GROUP_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// A 32-byte array from a slice already checked to be 32 bytes long.
fn array32(bytes: &[u8]) -> Result<[u8; 32], i32> {
    bytes.try_into().map_err(|_| status::ERR_LENGTH)
}

/// A JubJub point in the prime-order subgroup, not the identity.
fn prime_order_point(bytes: &[u8]) -> Result<JubJubExtended, i32> {
    let point: JubJubAffine =
        Option::from(JubJubAffine::from_bytes(array32(bytes)?)).ok_or(status::ERR_NOT_ON_CURVE)?;
    if !bool::from(point.is_torsion_free()) {
        return Err(status::ERR_NOT_IN_SUBGROUP);
    }
    if bool::from(point.is_identity()) {
        return Err(status::ERR_IDENTITY);
    }
    Ok(point.into())
}

/// The key, message and signature of a Dusk Schnorr verification, each validated.
fn decode_schnorr(
    pk: &[u8],
    msg: &[u8],
    sig: &[u8],
) -> Result<(PublicKey, BlsScalar, Signature), i32> {
    if pk.len() != 32 || msg.len() != 32 || sig.len() != 64 {
        return Err(status::ERR_LENGTH);
    }
    let key = PublicKey::from(prime_order_point(pk)?);
    let (u, r) = sig.split_at(32);
    prime_order_point(r)?;
    Option::<JubJubScalar>::from(JubJubScalar::from_bytes(&array32(u)?))
        .ok_or(status::ERR_MALFORMED)?;
    let message = Option::<BlsScalar>::from(BlsScalar::from_bytes(&array32(msg)?))
        .ok_or(status::ERR_MALFORMED)?;
    let sig_bytes: [u8; 64] = sig.try_into().map_err(|_| status::ERR_LENGTH)?;
    let signature = Signature::from_bytes(&sig_bytes).map_err(|_| status::ERR_MALFORMED)?;
    Ok((key, message, signature))
}

shortcrust_sdk::entry_points! {
    /// Dusk's Schnorr over JubJub: 32-byte key, one 32-byte scalar message, 64-byte signature.
    fn verify_schnorr(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        match decode_schnorr(&public_key, &message, &signature) {
            Err(code) => code,
            Ok((key, message, signature)) => match key.verify(&signature, message) {
                Ok(()) => status::VALID,
                Err(_) => status::INVALID,
            },
        }
    }

    /// BIP-340: 32-byte x-only key, message of any length, 64-byte signature.
    fn verify_bip340(public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        if public_key.len() != 32 || signature.len() != 64 {
            return status::ERR_LENGTH;
        }
        let Ok(key) = k256::schnorr::VerifyingKey::from_slice(&public_key) else {
            return status::ERR_NOT_ON_CURVE;
        };
        let (r, s) = signature.split_at(32);
        if r >= FIELD_MODULUS.as_slice() || s >= GROUP_ORDER.as_slice() {
            return status::ERR_MALFORMED;
        }
        let Ok(signature) = k256::schnorr::Signature::from_slice(&signature) else {
            return status::INVALID;
        };
        match key.verify_raw(&message, &signature) {
            Ok(()) => status::VALID,
            Err(_) => status::INVALID,
        }
    }
}
