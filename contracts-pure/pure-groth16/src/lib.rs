//! `pure-groth16`: `verify_groth16_bn254` computed inside the contract with arkworks 0.6
//! (ark-groth16 over ark-bn254), doing the work of the host function on a cache miss: decode and
//! check every point (canonical, on the curve, in the subgroup), prepare the key, one
//! multi-scalar multiplication for the public inputs, the pairing check. Same host encoding,
//! statuses and entry-point signature as the `verifier` contract.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

use ark_bn254::{Bn254, Fr, G1Projective};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::{AffineRepr, VariableBaseMSM};
use ark_ff::{BigInt, PrimeField};
use ark_groth16::{Groth16, Proof, VerifyingKey, prepare_verifying_key};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use shortcrust_sdk::abi::{limits, status};

/// Bytes of a compressed G1 point.
const G1_LEN: usize = 32;
/// Bytes of a compressed G2 point.
const G2_LEN: usize = 64;
/// Bytes of one big-endian public input.
const SCALAR_LEN: usize = 32;
/// Bytes of a proof: `a ‖ b ‖ c`.
const PROOF_LEN: usize = G1_LEN + G2_LEN + G1_LEN;
/// Bytes of a verifying key before its `ic` points.
const VK_FIXED_LEN: usize = G1_LEN + 3 * G2_LEN + 8;

/// A compressed point that is canonical, on the curve and in the prime-order subgroup.
fn decode_point<C: SWCurveConfig>(bytes: &[u8]) -> Result<Affine<C>, i32> {
    let point = Affine::<C>::deserialize_with_mode(bytes, Compress::Yes, Validate::No)
        .map_err(|_| status::ERR_NOT_ON_CURVE)?;
    if !point.is_zero() && !point.is_on_curve() {
        return Err(status::ERR_NOT_ON_CURVE);
    }
    let mut canonical = Vec::with_capacity(bytes.len());
    point
        .serialize_compressed(&mut canonical)
        .map_err(|_| status::ERR_INTERNAL)?;
    if canonical != bytes {
        return Err(status::ERR_NOT_ON_CURVE);
    }
    if !point.is_in_correct_subgroup_assuming_on_curve() {
        return Err(status::ERR_NOT_IN_SUBGROUP);
    }
    Ok(point)
}

/// A 32-byte big-endian scalar below `r`.
fn scalar_from_be_bytes(bytes: &[u8]) -> Option<Fr> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        *limb = u64::from_be_bytes(chunk.try_into().ok()?);
    }
    Fr::from_bigint(BigInt::new(limbs))
}

fn decode_verifying_key(bytes: &[u8], inputs: usize) -> Result<VerifyingKey<Bn254>, i32> {
    let expected = inputs
        .checked_add(1)
        .and_then(|ic| ic.checked_mul(G1_LEN))
        .and_then(|ic| ic.checked_add(VK_FIXED_LEN));
    if expected != Some(bytes.len()) {
        return Err(status::ERR_LENGTH);
    }
    let (fixed, ic) = bytes.split_at(VK_FIXED_LEN);
    let (alpha, rest) = fixed.split_at(G1_LEN);
    let (beta, rest) = rest.split_at(G2_LEN);
    let (gamma, rest) = rest.split_at(G2_LEN);
    let (delta, count) = rest.split_at(G2_LEN);
    let count = u64::from_le_bytes(count.try_into().map_err(|_| status::ERR_LENGTH)?);
    if usize::try_from(count).ok() != inputs.checked_add(1) {
        return Err(status::ERR_LENGTH);
    }
    Ok(VerifyingKey {
        alpha_g1: decode_point::<ark_bn254::g1::Config>(alpha)?,
        beta_g2: decode_point::<ark_bn254::g2::Config>(beta)?,
        gamma_g2: decode_point::<ark_bn254::g2::Config>(gamma)?,
        delta_g2: decode_point::<ark_bn254::g2::Config>(delta)?,
        gamma_abc_g1: ic
            .chunks_exact(G1_LEN)
            .map(decode_point::<ark_bn254::g1::Config>)
            .collect::<Result<_, _>>()?,
    })
}

fn verify(vk: &[u8], proof: &[u8], public_inputs: &[u8]) -> Result<bool, i32> {
    if !public_inputs.len().is_multiple_of(SCALAR_LEN) {
        return Err(status::ERR_LENGTH);
    }
    let n = public_inputs.len() / SCALAR_LEN;
    if n > limits::MAX_PUBLIC_INPUTS as usize {
        return Err(status::ERR_TOO_MANY);
    }
    if proof.len() != PROOF_LEN {
        return Err(status::ERR_LENGTH);
    }
    let inputs = public_inputs
        .chunks_exact(SCALAR_LEN)
        .map(|chunk| scalar_from_be_bytes(chunk).ok_or(status::ERR_MALFORMED))
        .collect::<Result<Vec<_>, _>>()?;
    let pvk = prepare_verifying_key(&decode_verifying_key(vk, n)?);
    let (a, rest) = proof.split_at(G1_LEN);
    let (b, c) = rest.split_at(G2_LEN);
    let proof = Proof {
        a: decode_point::<ark_bn254::g1::Config>(a)?,
        b: decode_point::<ark_bn254::g2::Config>(b)?,
        c: decode_point::<ark_bn254::g1::Config>(c)?,
    };
    let (first, rest) = pvk
        .vk
        .gamma_abc_g1
        .split_first()
        .ok_or(status::ERR_INTERNAL)?;
    let prepared_inputs = *first + G1Projective::msm_unchecked(rest, &inputs);
    Groth16::<Bn254>::verify_proof_with_prepared_inputs(&pvk, &proof, &prepared_inputs)
        .map_err(|_| status::ERR_INTERNAL)
}

shortcrust_sdk::entry_points! {
    /// Groth16 over BN254: verifying key and proof in the host encoding (arkworks compressed),
    /// public inputs (`n` big-endian 32-byte field elements, concatenated).
    fn verify_groth16_bn254(verifying_key: Vec<u8>, proof: Vec<u8>, public_inputs: Vec<u8>) -> i32 {
        match verify(&verifying_key, &proof, &public_inputs) {
            Ok(true) => status::VALID,
            Ok(false) => status::INVALID,
            Err(code) => code,
        }
    }
}
