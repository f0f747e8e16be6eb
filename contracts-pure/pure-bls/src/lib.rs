//! `pure-bls`: `verify_bls` and `verify_bls_aggregate` computed inside the contract, under the
//! `verifier` contract's entry-point signatures and statuses.
//!
//! The host verifies both schemes with `blst`, which is C and assembly and does not build for
//! `wasm32-unknown-unknown`; so this contract uses the pure-Rust BLS12-381 of Dusk's family:
//! - `IETF_MIN_PK_POP` (Ethereum consensus): keys in G1, signatures in G2, messages hashed to G2
//!   with RFC 9380 (`ExpandMsgXmd<Sha256>`, the ciphersuite's tag), with dusk-bls12_381's
//!   hash-to-curve and pairing;
//! - `DUSK_MIN_SIG`: Dusk's own crate, bls12_381-bls 0.6 (`PublicKey::verify`,
//!   `MultisigPublicKey::aggregate`), and for `DISTINCT` its hash-to-G1 with Dusk's tag.
//!
//! Every key and signature is decompressed and subgroup-checked on every call (a contract has no
//! cache), the work the host's prices cover.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use bls12_381_bls::{MultisigPublicKey, MultisigSignature, PublicKey, Signature};
use dusk_bls12_381::hash_to_curve::{ExpandMsgXmd, HashToCurve};
use dusk_bls12_381::{
    G1Affine, G1Projective, G2Affine, G2Prepared, G2Projective, Gt, multi_miller_loop,
};
use dusk_bytes::Serializable as _;
use sha2_09::Sha256;
use shortcrust_sdk::abi::{bls_aggregate_mode, bls_scheme, limits, status};

/// The IETF ciphersuite tag (`BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`).
const IETF_DST: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/// Dusk's hash-to-G1 tag (bls12_381-bls 0.6).
const DUSK_DST: &[u8] = b"BLS_SIG_BLS12381G1_XMD:SHA-256_DUSK_V2";

/// A compressed G1 point in the prime-order subgroup, not the identity.
fn g1(bytes: &[u8]) -> Result<G1Affine, i32> {
    let array: &[u8; 48] = bytes.try_into().map_err(|_| status::ERR_LENGTH)?;
    let point: G1Affine =
        Option::from(G1Affine::from_compressed_unchecked(array)).ok_or(status::ERR_NOT_ON_CURVE)?;
    if !bool::from(point.is_torsion_free()) {
        return Err(status::ERR_NOT_IN_SUBGROUP);
    }
    if bool::from(point.is_identity()) {
        return Err(status::ERR_IDENTITY);
    }
    Ok(point)
}

/// A compressed G2 point in the prime-order subgroup, not the identity.
fn g2(bytes: &[u8]) -> Result<G2Affine, i32> {
    let array: &[u8; 96] = bytes.try_into().map_err(|_| status::ERR_LENGTH)?;
    let point: G2Affine =
        Option::from(G2Affine::from_compressed_unchecked(array)).ok_or(status::ERR_NOT_ON_CURVE)?;
    if !bool::from(point.is_torsion_free()) {
        return Err(status::ERR_NOT_IN_SUBGROUP);
    }
    if bool::from(point.is_identity()) {
        return Err(status::ERR_IDENTITY);
    }
    Ok(point)
}

/// IETF: `e(g1, sig) == Π e(pk_i, H(m_i))`.
fn ietf_check(keys: &[G1Affine], messages: &[&[u8]], signature: &G2Affine) -> bool {
    let hashed: Vec<G2Prepared> = messages
        .iter()
        .map(|m| {
            let point =
                <G2Projective as HashToCurve<ExpandMsgXmd<Sha256>>>::hash_to_curve(m, IETF_DST);
            G2Prepared::from(G2Affine::from(point))
        })
        .collect();
    let minus_g1 = -G1Affine::generator();
    let signature = G2Prepared::from(*signature);
    let mut terms: Vec<(&G1Affine, &G2Prepared)> = keys.iter().zip(hashed.iter()).collect();
    terms.push((&minus_g1, &signature));
    multi_miller_loop(&terms).final_exponentiation() == Gt::identity()
}

/// Dusk `DISTINCT`: `e(sig, g2) == Π e(H(m_i), pk_i)`, with Dusk's hash-to-G1.
fn dusk_distinct_check(keys: &[G2Affine], messages: &[&[u8]], signature: &G1Affine) -> bool {
    let hashed: Vec<G1Affine> = messages
        .iter()
        .map(|m| {
            let point =
                <G1Projective as HashToCurve<ExpandMsgXmd<Sha256>>>::hash_to_curve(m, DUSK_DST);
            G1Affine::from(-point)
        })
        .collect();
    let prepared: Vec<G2Prepared> = keys.iter().map(|k| G2Prepared::from(*k)).collect();
    let generator = G2Prepared::from(G2Affine::generator());
    let mut terms: Vec<(&G1Affine, &G2Prepared)> = hashed.iter().zip(prepared.iter()).collect();
    terms.push((signature, &generator));
    multi_miller_loop(&terms).final_exponentiation() == Gt::identity()
}

fn verdict(verifies: bool) -> i32 {
    if verifies {
        status::VALID
    } else {
        status::INVALID
    }
}

/// A Dusk key through Dusk's own decoder (which checks the curve and the subgroup), with the
/// host's status for a key it refuses; the identity (the infinity flag, bit 6 of the first byte,
/// on a key that decoded) is refused as the host does.
fn dusk_key(bytes: &[u8]) -> Result<PublicKey, i32> {
    let array: &[u8; 96] = bytes.try_into().map_err(|_| status::ERR_LENGTH)?;
    let key = PublicKey::from_bytes(array)
        .map_err(|_| g2(bytes).err().unwrap_or(status::ERR_NOT_ON_CURVE))?;
    if array[0] & 0x40 != 0 {
        return Err(status::ERR_IDENTITY);
    }
    Ok(key)
}

/// A Dusk signature (`Signature` or `MultisigSignature`) through Dusk's own decoder, with the
/// host's statuses, like [`dusk_key`].
fn dusk_signature<T: dusk_bytes::Serializable<48>>(bytes: &[u8]) -> Result<T, i32> {
    let array: &[u8; 48] = bytes.try_into().map_err(|_| status::ERR_LENGTH)?;
    let signature =
        T::from_bytes(array).map_err(|_| g1(bytes).err().unwrap_or(status::ERR_NOT_ON_CURVE))?;
    if array[0] & 0x40 != 0 {
        return Err(status::ERR_IDENTITY);
    }
    Ok(signature)
}

fn verify_one(scheme: i32, pk: &[u8], msg: &[u8], sig: &[u8]) -> Result<bool, i32> {
    match scheme {
        bls_scheme::IETF_MIN_PK_POP => {
            if pk.len() != 48 || sig.len() != 96 {
                return Err(status::ERR_LENGTH);
            }
            let key = g1(pk)?;
            let signature = g2(sig)?;
            Ok(ietf_check(&[key], &[msg], &signature))
        }
        bls_scheme::DUSK_MIN_SIG => {
            if pk.len() != 96 || sig.len() != 48 {
                return Err(status::ERR_LENGTH);
            }
            let key = dusk_key(pk)?;
            let signature: Signature = dusk_signature(sig)?;
            Ok(key.verify(&signature, msg).is_ok())
        }
        _ => Err(status::ERR_UNKNOWN_SCHEME),
    }
}

fn verify_aggregate(
    scheme: i32,
    mode: i32,
    pks: &[u8],
    messages: &[&[u8]],
    sig: &[u8],
) -> Result<bool, i32> {
    let (key_len, sig_len) = match scheme {
        bls_scheme::IETF_MIN_PK_POP => (48, 96),
        bls_scheme::DUSK_MIN_SIG => (96, 48),
        _ => return Err(status::ERR_UNKNOWN_SCHEME),
    };
    if mode != bls_aggregate_mode::FAST && mode != bls_aggregate_mode::DISTINCT {
        return Err(status::ERR_UNKNOWN_SCHEME);
    }
    if pks.is_empty() || !pks.len().is_multiple_of(key_len) || sig.len() != sig_len {
        return Err(status::ERR_LENGTH);
    }
    let count = pks.len() / key_len;
    if count > limits::MAX_BLS_KEYS as usize {
        return Err(status::ERR_TOO_MANY);
    }
    let fast = mode == bls_aggregate_mode::FAST;
    if (fast && messages.len() != 1) || (!fast && messages.len() != count) {
        return Err(status::ERR_MALFORMED);
    }
    let encodings = pks.chunks_exact(key_len);
    match (scheme, fast) {
        (bls_scheme::IETF_MIN_PK_POP, true) => {
            let keys = encodings.map(g1).collect::<Result<Vec<_>, _>>()?;
            let signature = g2(sig)?;
            let sum: G1Projective = keys.iter().map(G1Projective::from).sum();
            Ok(ietf_check(&[G1Affine::from(sum)], messages, &signature))
        }
        (bls_scheme::IETF_MIN_PK_POP, false) => {
            let keys = encodings.map(g1).collect::<Result<Vec<_>, _>>()?;
            let signature = g2(sig)?;
            Ok(ietf_check(&keys, messages, &signature))
        }
        (_, true) => {
            let keys = encodings.map(dusk_key).collect::<Result<Vec<_>, _>>()?;
            let signature: MultisigSignature = dusk_signature(sig)?;
            let aggregate =
                MultisigPublicKey::aggregate(&keys).map_err(|_| status::ERR_INTERNAL)?;
            Ok(aggregate.verify(&signature, messages[0]).is_ok())
        }
        (_, false) => {
            let mut sorted = messages.to_vec();
            sorted.sort_unstable();
            if sorted.windows(2).any(|pair| pair[0] == pair[1]) {
                return Err(status::ERR_MALFORMED);
            }
            let keys = encodings.map(g2).collect::<Result<Vec<_>, _>>()?;
            let signature = g1(sig)?;
            Ok(dusk_distinct_check(&keys, messages, &signature))
        }
    }
}

shortcrust_sdk::entry_points! {
    /// One BLS12-381 signature: `scheme` is `1` (IETF min-pk, proof-of-possession ciphersuite)
    /// or `2` (Dusk).
    fn verify_bls(scheme: i32, public_key: Vec<u8>, message: Vec<u8>, signature: Vec<u8>) -> i32 {
        match verify_one(scheme, &public_key, &message, &signature) {
            Ok(verifies) => verdict(verifies),
            Err(code) => code,
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
        let borrowed: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        match verify_aggregate(scheme, mode, &public_keys, &borrowed, &signature) {
            Ok(verifies) => verdict(verifies),
            Err(code) => code,
        }
    }
}
