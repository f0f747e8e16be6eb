//! `verify_schnorr`: Dusk's Schnorr signatures over JubJub with a Poseidon challenge
//! (`jubjub-schnorr` 0.6, the single-key scheme).
//!
//! Input layout, all in Dusk's own serializations (`dusk_bytes::Serializable`):
//! - `pk`: 32 bytes, the compressed JubJub point `PublicKey::to_bytes()` (y little-endian, sign of
//!   x in the top bit);
//! - `msg`: 32 bytes, one canonical little-endian BLS12-381 scalar (the message is a field element,
//!   typically a Poseidon hash of the real payload);
//! - `sig`: 64 bytes, `Signature::to_bytes()`: the JubJub scalar `u` (32 bytes, little-endian)
//!   then the compressed point `R` (32 bytes).
//!
//! Verification: `u·G + c·PK == R` with `c = Poseidon(Domain::Other; R, PK, m)` truncated to a
//! JubJub scalar — exactly `jubjub_schnorr::PublicKey::verify`.
//!
//! Statuses, checked in this order: `ERR_LENGTH` for any wrong length; for the key then `R`:
//! `ERR_NOT_ON_CURVE` (not a canonical encoding of a curve point), `ERR_NOT_IN_SUBGROUP` (has a
//! small-order component), `ERR_IDENTITY`; `ERR_MALFORMED` for a non-canonical `u` or message;
//! then `VALID` or `INVALID`.

use dusk_bls12_381::BlsScalar;
use dusk_bytes::Serializable as _;
use dusk_jubjub::{JubJubAffine, JubJubExtended, JubJubScalar};
use jubjub_schnorr::{PublicKey, Signature};
use shortcrust_abi::status;

use crate::gas::gas_from_nanos;
use crate::guard_status;

/// Length of a public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of the message: one BLS12-381 scalar.
pub const MESSAGE_LEN: usize = 32;
/// Length of a signature.
pub const SIGNATURE_LEN: usize = 64;

/// Decodes a JubJub point that must be in the prime-order subgroup and not the identity.
fn prime_order_point(bytes: &[u8]) -> Result<JubJubExtended, i32> {
    let mut array = [0u8; 32];
    array.copy_from_slice(bytes);
    let point: JubJubAffine =
        Option::from(JubJubAffine::from_bytes(array)).ok_or(status::ERR_NOT_ON_CURVE)?;
    if !bool::from(point.is_torsion_free()) {
        return Err(status::ERR_NOT_IN_SUBGROUP);
    }
    if bool::from(point.is_identity()) {
        return Err(status::ERR_IDENTITY);
    }
    Ok(point.into())
}

fn decode(pk: &[u8], msg: &[u8], sig: &[u8]) -> Result<(PublicKey, BlsScalar, Signature), i32> {
    if pk.len() != PUBLIC_KEY_LEN || msg.len() != MESSAGE_LEN || sig.len() != SIGNATURE_LEN {
        return Err(status::ERR_LENGTH);
    }
    let key = PublicKey::from(prime_order_point(pk)?);
    let (u, r) = sig.split_at(32);
    prime_order_point(r)?;
    let mut u_bytes = [0u8; 32];
    u_bytes.copy_from_slice(u);
    Option::<JubJubScalar>::from(JubJubScalar::from_bytes(&u_bytes))
        .ok_or(status::ERR_MALFORMED)?;
    let mut msg_bytes = [0u8; 32];
    msg_bytes.copy_from_slice(msg);
    let message = Option::<BlsScalar>::from(BlsScalar::from_bytes(&msg_bytes))
        .ok_or(status::ERR_MALFORMED)?;
    // Every component was validated above, so Dusk's own decoder accepts the signature.
    let mut sig_bytes = [0u8; SIGNATURE_LEN];
    sig_bytes.copy_from_slice(sig);
    let signature = Signature::from_bytes(&sig_bytes).map_err(|_| status::ERR_MALFORMED)?;
    Ok((key, message, signature))
}

/// Verifies a Dusk JubJub Schnorr signature. Returns an ABI status; see the module docs.
pub fn verify_schnorr(pk: &[u8], msg: &[u8], sig: &[u8]) -> i32 {
    guard_status(|| match decode(pk, msg, sig) {
        Err(code) => code,
        Ok((key, message, signature)) => match key.verify(&signature, message) {
            Ok(()) => status::VALID,
            Err(_) => status::INVALID,
        },
    })
}

// ----- gas ---------------------------------------------------------------------------------------

/// verify_schnorr: every argument has a fixed length, so the price is one constant: the median
/// of a valid verification, 1 043 µs (bench `signature/verify_schnorr`, measured as described in
/// `crate::gas`; the three runs gave 657, 1 043 and 1 044 µs). Decoding the three arguments (two
/// subgroup checks) is included.
pub const VERIFY_SCHNORR_GAS: u64 = gas_from_nanos(1_042_951);

/// Price of `verify_schnorr`: constant, whatever the lengths (wrong lengths are rejected cheaply,
/// but are still charged, so probing is never free).
pub const fn verify_schnorr_gas(_pk_len: usize, _msg_len: usize, _sig_len: usize) -> u64 {
    VERIFY_SCHNORR_GAS
}

#[cfg(test)]
mod tests {
    use super::*;
    use jubjub_schnorr::SecretKey;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// A key pair, a message and a signature made by Dusk's own crate.
    fn signed(seed: u64) -> ([u8; 32], [u8; 32], [u8; 64]) {
        let mut rng = StdRng::seed_from_u64(seed);
        let sk = SecretKey::random(&mut rng);
        let pk = PublicKey::from(&sk);
        let message = BlsScalar::hash_to_scalar(&seed.to_le_bytes());
        let sig = sk.sign(&mut rng, message);
        (pk.to_bytes(), message.to_bytes(), sig.to_bytes())
    }

    #[test]
    fn dusk_signatures_verify() {
        for seed in 0..3 {
            let (pk, msg, sig) = signed(seed);
            assert_eq!(verify_schnorr(&pk, &msg, &sig), status::VALID);
        }
    }

    #[test]
    fn wrong_message_key_or_signature_is_invalid() {
        let (pk, msg, sig) = signed(1);
        let (other_pk, other_msg, other_sig) = signed(2);
        assert_eq!(verify_schnorr(&pk, &other_msg, &sig), status::INVALID);
        assert_eq!(verify_schnorr(&other_pk, &msg, &sig), status::INVALID);
        assert_eq!(verify_schnorr(&pk, &msg, &other_sig), status::INVALID);
        // A different (canonical) u: still a well-formed signature, but not a valid one.
        let mut tweaked = sig;
        tweaked[0] ^= 1;
        assert_eq!(verify_schnorr(&pk, &msg, &tweaked), status::INVALID);
    }

    #[test]
    fn malformed_inputs_get_precise_statuses() {
        let (pk, msg, sig) = signed(3);
        assert_eq!(verify_schnorr(&pk[..31], &msg, &sig), status::ERR_LENGTH);
        assert_eq!(verify_schnorr(&pk, &[0u8; 33], &sig), status::ERR_LENGTH);
        assert_eq!(verify_schnorr(&pk, &msg, &sig[..63]), status::ERR_LENGTH);

        // All-ones encodes a y-coordinate above the field modulus: not a canonical point.
        assert_eq!(
            verify_schnorr(&[0xff; 32], &msg, &sig),
            status::ERR_NOT_ON_CURVE
        );

        // The identity (0, 1), and the point of order two (0, −1).
        let identity = JubJubAffine::identity().to_bytes();
        assert_eq!(verify_schnorr(&identity, &msg, &sig), status::ERR_IDENTITY);
        let minus_one = {
            let mut bytes = (-BlsScalar::one()).to_bytes();
            bytes[31] &= 0x7f;
            bytes
        };
        assert_eq!(
            verify_schnorr(&minus_one, &msg, &sig),
            status::ERR_NOT_IN_SUBGROUP
        );
        // A prime-order point plus the order-2 point has a torsion component.
        let key = JubJubExtended::from(
            Option::<JubJubAffine>::from(JubJubAffine::from_bytes(pk)).unwrap(),
        );
        let two_torsion = JubJubExtended::from(
            Option::<JubJubAffine>::from(JubJubAffine::from_bytes(minus_one)).unwrap(),
        );
        let mixed = JubJubAffine::from(key + two_torsion).to_bytes();
        assert_eq!(
            verify_schnorr(&mixed, &msg, &sig),
            status::ERR_NOT_IN_SUBGROUP
        );

        let mut bad_r = sig;
        bad_r[32..].copy_from_slice(&identity);
        assert_eq!(verify_schnorr(&pk, &msg, &bad_r), status::ERR_IDENTITY);
        let mut bad_u = sig;
        bad_u[..32].copy_from_slice(&[0xff; 32]);
        assert_eq!(verify_schnorr(&pk, &msg, &bad_u), status::ERR_MALFORMED);
        assert_eq!(
            verify_schnorr(&pk, &[0xff; 32], &sig),
            status::ERR_MALFORMED
        );
    }

    #[test]
    fn price_is_constant_and_positive() {
        assert!(verify_schnorr_gas(32, 32, 64) > 0);
        assert_eq!(
            verify_schnorr_gas(0, 0, 0),
            verify_schnorr_gas(usize::MAX, usize::MAX, 1)
        );
    }
}
