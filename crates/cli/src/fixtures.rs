//! Valid inputs for the cryptographic host functions, made here by the reference libraries from
//! fixed seeds, for `calibrate` and `bench` to measure. Measuring a rejected input would time the
//! early exit, not the verification, so callers check every fixture verifies before timing it.
//!
//! Everything is in the host encoding of `shortcrust_abi`: keys, messages and signatures as the
//! host functions take them; aggregate messages in `DISTINCT` mode framed as 4-byte little-endian
//! lengths followed by the bytes.

use bls12_381_bls::{PublicKey as DuskPublicKey, SecretKey as DuskSecretKey};
use dusk_bls12_381::{BlsScalar, G1Affine, G1Projective};
use dusk_bytes::Serializable as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_abi::{bls_aggregate_mode, bls_scheme};
use shortcrust_crypto::bls::IETF_DST;

use crate::error::CliError;

/// A public key, a message and a signature (or aggregate signature), in the host encoding.
pub struct Signed {
    pub pk: Vec<u8>,
    pub msg: Vec<u8>,
    pub sig: Vec<u8>,
}

fn failed(what: &str, why: impl std::fmt::Debug) -> CliError {
    CliError::Measurement(format!("making a {what} fixture: {why:?}"))
}

/// `len` bytes of a fixed pattern (hash inputs, signed messages).
pub fn bytes(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31) ^ 0xa5)
        .collect()
}

/// `n` canonical BLS12-381 scalars, 32 little-endian bytes each (`poseidon_hash` input).
pub fn bls_scalars(n: usize) -> Vec<u8> {
    (0..n as u64)
        .flat_map(|i| BlsScalar::hash_to_scalar(&i.to_le_bytes()).to_bytes())
        .collect()
}

/// `n` BN254 field elements below the modulus, 32 big-endian bytes each (`poseidon_bn254`).
pub fn bn254_elements(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| {
            let mut element = [0x11u8; 32];
            // A leading zero byte keeps every element far below the 254-bit modulus.
            element[0] = 0;
            element[31] = i as u8;
            element
        })
        .collect()
}

/// A Dusk Schnorr signature over JubJub of one scalar message.
pub fn schnorr() -> Signed {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let sk = jubjub_schnorr::SecretKey::random(&mut rng);
    let message = BlsScalar::hash_to_scalar(b"shortcrust calibrate");
    Signed {
        pk: jubjub_schnorr::PublicKey::from(&sk).to_bytes().to_vec(),
        msg: message.to_bytes().to_vec(),
        sig: sk.sign(&mut rng, message).to_bytes().to_vec(),
    }
}

/// A BIP-340 signature of a `msg_len`-byte message.
pub fn bip340(msg_len: usize) -> Result<Signed, CliError> {
    let key = k256::schnorr::SigningKey::from_bytes(&[9u8; 32].into())
        .map_err(|e| failed("BIP-340", e))?;
    let msg = bytes(msg_len);
    let sig = key
        .sign_raw(&msg, &[0u8; 32])
        .map_err(|e| failed("BIP-340", e))?;
    Ok(Signed {
        pk: key.verifying_key().to_bytes().to_vec(),
        sig: sig.to_bytes().to_vec(),
        msg,
    })
}

/// An Ed25519 signature of a `msg_len`-byte message.
pub fn ed25519(msg_len: usize) -> Signed {
    let key = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let msg = bytes(msg_len);
    Signed {
        pk: key.verifying_key().to_bytes().to_vec(),
        sig: ed25519_dalek::Signer::sign(&key, &msg).to_bytes().to_vec(),
        msg,
    }
}

/// A BLS signature of a `msg_len`-byte message under `scheme` (`bls_scheme::*`).
pub fn bls(scheme: i32, msg_len: usize) -> Result<Signed, CliError> {
    let msg = bytes(msg_len);
    let (pk, sig) = signers(scheme, std::slice::from_ref(&msg), false)?;
    Ok(Signed { pk, msg, sig })
}

/// An aggregate BLS signature by `keys` signers under `scheme` and `mode`
/// (`bls_aggregate_mode::*`): one shared message (`FAST`, Dusk signers then sign as a
/// multisignature) or one message each (`DISTINCT`).
pub fn bls_aggregate(scheme: i32, mode: i32, keys: usize) -> Result<Signed, CliError> {
    let fast = mode == bls_aggregate_mode::FAST;
    let messages: Vec<Vec<u8>> = if fast {
        vec![b"block hash".to_vec(); keys]
    } else {
        (0..keys)
            .map(|i| format!("message {i:04}").into_bytes())
            .collect()
    };
    let (pk, sig) = signers(scheme, &messages, fast)?;
    let msg = if fast {
        messages.first().cloned().unwrap_or_default()
    } else {
        frame(&messages)
    };
    Ok(Signed { pk, msg, sig })
}

/// Messages in the `DISTINCT` encoding: each as a 4-byte little-endian length and its bytes.
fn frame(messages: &[Vec<u8>]) -> Vec<u8> {
    messages
        .iter()
        .flat_map(|m| [&(m.len() as u32).to_le_bytes()[..], m].concat())
        .collect()
}

/// Keys (concatenated) and the aggregate of key `i` signing `messages[i]`.
fn signers(
    scheme: i32,
    messages: &[Vec<u8>],
    multisig: bool,
) -> Result<(Vec<u8>, Vec<u8>), CliError> {
    match scheme {
        bls_scheme::IETF_MIN_PK_POP => ietf_signers(messages),
        bls_scheme::DUSK_MIN_SIG => dusk_signers(messages, multisig),
        other => Err(failed("BLS", format!("unknown scheme {other}"))),
    }
}

fn ietf_signers(messages: &[Vec<u8>]) -> Result<(Vec<u8>, Vec<u8>), CliError> {
    let mut pks = Vec::new();
    let mut signatures = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let mut ikm = [7u8; 32];
        ikm[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let sk = blst::min_pk::SecretKey::key_gen(&ikm, &[]).map_err(|e| failed("IETF BLS", e))?;
        pks.extend_from_slice(&sk.sk_to_pk().compress());
        signatures.push(sk.sign(message, IETF_DST, &[]));
    }
    let refs: Vec<_> = signatures.iter().collect();
    let sig = blst::min_pk::AggregateSignature::aggregate(&refs, true)
        .map_err(|e| failed("IETF BLS", e))?;
    Ok((pks, sig.to_signature().compress().to_vec()))
}

fn dusk_signers(messages: &[Vec<u8>], multisig: bool) -> Result<(Vec<u8>, Vec<u8>), CliError> {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let mut pks = Vec::new();
    let mut sum = G1Projective::identity();
    for message in messages {
        let sk = DuskSecretKey::random(&mut rng);
        let pk = DuskPublicKey::from(&sk);
        pks.extend_from_slice(&pk.to_bytes());
        let sig = if multisig {
            sk.sign_multisig(&pk, message).to_bytes()
        } else {
            sk.sign(message).to_bytes()
        };
        sum += G1Projective::from(G1Affine::from_bytes(&sig).map_err(|e| failed("Dusk BLS", e))?);
    }
    Ok((pks, G1Affine::from(sum).to_bytes().to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shortcrust_abi::status::VALID;
    use shortcrust_crypto as crypto;

    #[test]
    fn every_fixture_verifies() -> Result<(), CliError> {
        let s = schnorr();
        assert_eq!(crypto::verify_schnorr(&s.pk, &s.msg, &s.sig), VALID);
        let s = bip340(100)?;
        assert_eq!(crypto::verify_bip340(&s.pk, &s.msg, &s.sig), VALID);
        let s = ed25519(100);
        assert_eq!(crypto::verify_ed25519(&s.pk, &s.msg, &s.sig), VALID);
        for scheme in [bls_scheme::IETF_MIN_PK_POP, bls_scheme::DUSK_MIN_SIG] {
            let s = bls(scheme, 40)?;
            assert_eq!(crypto::verify_bls(scheme, &s.pk, &s.msg, &s.sig), VALID);
            for mode in [bls_aggregate_mode::FAST, bls_aggregate_mode::DISTINCT] {
                let s = bls_aggregate(scheme, mode, 3)?;
                let verdict = crypto::verify_bls_aggregate(scheme, mode, &s.pk, &s.msg, &s.sig);
                assert_eq!(verdict, VALID, "scheme {scheme} mode {mode}");
            }
        }
        assert!(crypto::poseidon_hash(&bls_scalars(5)).is_ok());
        assert!(crypto::poseidon_bn254(&bn254_elements(12)).is_ok());
        Ok(())
    }
}
