//! `verify_ed25519`: Ed25519 signatures (RFC 8032, pure Ed25519, no context), verified strictly
//! with `ed25519-dalek`'s `verify_strict`.
//!
//! Input layout (RFC 8032 encodings):
//! - `pk`: 32 bytes, the compressed Edwards point `A`;
//! - `msg`: any length;
//! - `sig`: 64 bytes, `R` (compressed point) then `S` (little-endian scalar).
//!
//! "Strict" means, beyond the RFC's cofactorless equation `[S]B = R + [k]A`: `S` must be canonical
//! (`S < L`), and neither `A` nor `R` may be of small order (the eight-torsion points), which rules
//! out signatures that verify for many messages. Keys with a torsion component but large order are
//! accepted, as in `ed25519-dalek`.
//!
//! Statuses, checked in this order: `ERR_LENGTH`; `ERR_NOT_ON_CURVE` (key does not decode to a
//! curve point); `ERR_NOT_IN_SUBGROUP` (key of small order, including the identity);
//! `ERR_MALFORMED` (`S >= L`); then `VALID` or `INVALID` (including an `R` that is not a point
//! or is of small order: the signature is well-formed and simply does not verify).

use ed25519_dalek::{Signature, VerifyingKey};
use shortcrust_abi::status;

use crate::gas::{gas_from_nanos, linear, words};
use crate::guard_status;

/// Length of a public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of a signature.
pub const SIGNATURE_LEN: usize = 64;

/// The order `L` of the Ed25519 prime-order subgroup, little-endian (RFC 8032 §5.1).
const GROUP_ORDER_LE: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// `s < L` for a little-endian 256-bit `s`.
fn canonical_scalar(s: &[u8]) -> bool {
    s.iter().rev().lt(GROUP_ORDER_LE.iter().rev())
}

/// Verifies an Ed25519 signature strictly. Returns an ABI status; see the module docs.
pub fn verify_ed25519(pk: &[u8], msg: &[u8], sig: &[u8]) -> i32 {
    let (Ok(pk), Ok(sig)) = (<[u8; 32]>::try_from(pk), <[u8; 64]>::try_from(sig)) else {
        return status::ERR_LENGTH;
    };
    guard_status(|| {
        let Ok(key) = VerifyingKey::from_bytes(&pk) else {
            return status::ERR_NOT_ON_CURVE;
        };
        if key.is_weak() {
            return status::ERR_NOT_IN_SUBGROUP;
        }
        if !canonical_scalar(&sig[32..]) {
            return status::ERR_MALFORMED;
        }
        match key.verify_strict(msg, &Signature::from_bytes(&sig)) {
            Ok(()) => status::VALID,
            Err(_) => status::INVALID,
        }
    })
}

// ----- gas ---------------------------------------------------------------------------------------
// Measured as described in `crate::gas` (bench `signature/verify_ed25519/`), for a valid
// signature over 32-byte and 4096-byte messages: 33.4 µs and 37.6 µs (the message feeds one
// SHA-512); per word is the slope, the base the 32-byte median minus one word.

/// verify_ed25519, fixed part (key and R decompression, SHA-512, one double-scalar
/// multiplication). 36 µs: `shortcrust calibrate` (2026-11-24) fitted 33.9–34.1 µs, above the
/// criterion median this was first set from.
pub const VERIFY_ED25519_BASE_GAS: u64 = gas_from_nanos(36_000);
/// verify_ed25519, per 32-byte word of message: (37.6 − 33.4) µs / 127 = 33 ns.
pub const VERIFY_ED25519_PER_WORD_GAS: u64 = gas_from_nanos(33);

/// Price of `verify_ed25519`: base plus the message in 32-byte words.
pub const fn verify_ed25519_gas(_pk_len: usize, msg_len: usize, _sig_len: usize) -> u64 {
    linear(
        VERIFY_ED25519_BASE_GAS,
        VERIFY_ED25519_PER_WORD_GAS,
        words(msg_len),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer as _, SigningKey};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Rfc8032Vector {
        privkey: String,
        pubkey: String,
        message: String,
        signature: String,
    }

    fn rfc8032() -> Vec<Rfc8032Vector> {
        serde_json::from_str(include_str!("../testdata/rfc8032/ed25519_tests.json")).expect("JSON")
    }

    /// RFC 8032 §7.1 TEST 1, 2, 3, 1024 and SHA(abc): each verifies, and signing with the given
    /// secret key reproduces the given signature (Ed25519 signing is deterministic).
    #[test]
    fn rfc8032_vectors() {
        let vectors = rfc8032();
        assert_eq!(vectors.len(), 5);
        for v in &vectors {
            let pk = hex::decode(&v.pubkey).expect("hex");
            let msg = hex::decode(&v.message).expect("hex");
            let sig = hex::decode(&v.signature).expect("hex");
            assert_eq!(
                verify_ed25519(&pk, &msg, &sig),
                status::VALID,
                "{}",
                v.pubkey
            );

            let mut seed = [0u8; 32];
            hex::decode_to_slice(&v.privkey, &mut seed).expect("hex");
            let signing = SigningKey::from_bytes(&seed);
            assert_eq!(signing.verifying_key().as_bytes().as_slice(), pk.as_slice());
            assert_eq!(signing.sign(&msg).to_bytes().as_slice(), sig.as_slice());

            let mut tampered = msg.clone();
            tampered.push(1);
            assert_eq!(verify_ed25519(&pk, &tampered, &sig), status::INVALID);
            let mut bad_sig = sig.clone();
            bad_sig[0] ^= 1;
            assert_eq!(verify_ed25519(&pk, &msg, &bad_sig), status::INVALID);
        }
    }

    #[test]
    fn malformed_inputs_get_precise_statuses() {
        let v = &rfc8032()[1];
        let pk = hex::decode(&v.pubkey).expect("hex");
        let msg = hex::decode(&v.message).expect("hex");
        let sig = hex::decode(&v.signature).expect("hex");
        assert_eq!(verify_ed25519(&pk[..31], &msg, &sig), status::ERR_LENGTH);
        assert_eq!(
            verify_ed25519(&pk, &msg, &[sig.as_slice(), &[0]].concat()),
            status::ERR_LENGTH
        );

        // Some small y has no x: the first one found must be reported as not on the curve.
        let off_curve = (2u8..=255)
            .map(|y| {
                let mut bytes = [0u8; 32];
                bytes[0] = y;
                bytes
            })
            .find(|bytes| VerifyingKey::from_bytes(bytes).is_err())
            .expect("about half of all y have no point");
        assert_eq!(
            verify_ed25519(&off_curve, &msg, &sig),
            status::ERR_NOT_ON_CURVE
        );

        // The identity (y = 1) and the point of order two (y = −1): small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(
            verify_ed25519(&identity, &msg, &sig),
            status::ERR_NOT_IN_SUBGROUP
        );
        let mut minus_one = [0xffu8; 32];
        minus_one[0] = 0xec;
        minus_one[31] = 0x7f;
        assert_eq!(
            verify_ed25519(&minus_one, &msg, &sig),
            status::ERR_NOT_IN_SUBGROUP
        );

        // S + L verifies under the lax equation but is not canonical.
        let mut high_s = sig.clone();
        let mut carry = 0u16;
        for (byte, l) in high_s[32..].iter_mut().zip(GROUP_ORDER_LE) {
            let sum = u16::from(*byte) + u16::from(l) + carry;
            *byte = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(verify_ed25519(&pk, &msg, &high_s), status::ERR_MALFORMED);

        // A small-order R is rejected by the strict rules as an invalid signature.
        let mut small_r = sig.clone();
        small_r[..32].copy_from_slice(&identity);
        assert_eq!(verify_ed25519(&pk, &msg, &small_r), status::INVALID);
    }

    #[test]
    fn scalar_canonicity_boundary() {
        let mut l_minus_one = GROUP_ORDER_LE;
        l_minus_one[0] -= 1;
        assert!(canonical_scalar(&l_minus_one));
        assert!(!canonical_scalar(&GROUP_ORDER_LE));
        assert!(canonical_scalar(&[0u8; 32]));
        assert!(!canonical_scalar(&[0xff; 32]));
    }

    #[test]
    fn price_grows_with_the_message_only() {
        assert!(verify_ed25519_gas(32, 0, 64) > 0);
        assert!(verify_ed25519_gas(32, 1024, 64) > verify_ed25519_gas(32, 0, 64));
        assert_eq!(verify_ed25519_gas(1, 0, 1), verify_ed25519_gas(32, 0, 64));
        assert!(verify_ed25519_gas(32, usize::MAX, 64) > verify_ed25519_gas(32, 1 << 30, 64));
    }
}
