//! `verify_groth16_bn254`: Groth16 proofs over BN254 (alt_bn128, the curve of Ethereum's
//! precompiles, circom and snarkjs), verified with arkworks.
//!
//! # Host encoding
//!
//! Points use arkworks' canonical **compressed** serialization (`CanonicalSerialize` with
//! `Compress::Yes`): a G1 point is its x coordinate as 32 little-endian bytes, a G2 point is
//! `x.c0 ‖ x.c1` (32 little-endian bytes each); the two top bits of the last byte are flags
//! (bit 7: y is the larger of `±y`, bit 6: point at infinity). Every point must be canonical, on
//! the curve and in the prime-order subgroup.
//!
//! | argument | layout | length |
//! |---|---|---|
//! | `vk` | `alpha_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g2 ‖ k as u64 LE ‖ ic[0..k]` (G1 each), `k = n + 1` — exactly arkworks' compressed `VerifyingKey<Bn254>` | `232 + 32 k` |
//! | `proof` | `a (G1) ‖ b (G2) ‖ c (G1)` — arkworks' compressed `Proof<Bn254>` | `128` |
//! | `public_inputs` | `n` scalars (BN254 `Fr`), each 32 bytes **big-endian**, `< r` | `32 n` |
//!
//! Public inputs are big-endian, unlike the arkworks points, because that is how every other
//! producer and consumer of BN254 scalars in a contract writes them: `poseidon_bn254`'s output,
//! snarkjs' `public.json` and Ethereum's `uint256`. A Merkle root computed with `poseidon_bn254`
//! is passed as a public input byte for byte.
//!
//! # Statuses
//!
//! Checked in this order, the first failure wins: `ERR_LENGTH` (public inputs not a multiple of
//! 32 bytes), `ERR_TOO_MANY` (more than `limits::MAX_PUBLIC_INPUTS`), `ERR_LENGTH` (proof not 128
//! bytes, or `vk` not `232 + 32 (n + 1)` bytes or declaring another `k`), `ERR_MALFORMED` (a
//! public input `≥ r`), then the key's points and the proof's points: `ERR_NOT_ON_CURVE` (not a
//! canonical encoding of a curve point), `ERR_NOT_IN_SUBGROUP`. A well-formed proof that does
//! not verify gives `INVALID`; a panic in arkworks gives `ERR_INTERNAL`.
//!
//! # Gas and caching
//!
//! `base + per_input × n` from the argument sizes only ([`verify_groth16_bn254_gas`]). The key's
//! length is fixed by `n`, so it needs no separate term. The 32 most recently used prepared keys
//! are cached by the BLAKE2b-256 hash of their encoding; the price always covers a miss (the
//! work of [`verify_groth16_bn254_uncached`]), and results never depend on the cache.

use std::sync::Arc;

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::{AffineRepr, VariableBaseMSM};
use ark_ff::{BigInt, PrimeField};
use ark_groth16::{Groth16, PreparedVerifyingKey, Proof, VerifyingKey, prepare_verifying_key};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use shortcrust_abi::{limits, status};

use crate::gas::{gas_from_nanos, linear, words};
use crate::verifier_cache::VerifierCache;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
#[cfg(test)]
mod tests;

/// Bytes of a compressed G1 point.
pub const G1_LEN: usize = 32;
/// Bytes of a compressed G2 point.
pub const G2_LEN: usize = 64;
/// Bytes of one public input (a big-endian `Fr`).
pub const SCALAR_LEN: usize = 32;
/// Bytes of an encoded proof.
pub const PROOF_LEN: usize = G1_LEN + G2_LEN + G1_LEN;
/// Bytes of an encoded verifying key before its `ic` points: three G2 points, one G1 point and
/// the `u64` count.
pub const VK_FIXED_LEN: usize = G1_LEN + 3 * G2_LEN + 8;

/// Exact length of a verifying key for `public_inputs` public inputs, or `None` on overflow.
pub const fn verifying_key_len(public_inputs: usize) -> Option<usize> {
    match public_inputs.checked_add(1) {
        Some(ic) => match ic.checked_mul(G1_LEN) {
            Some(ic_len) => ic_len.checked_add(VK_FIXED_LEN),
            None => None,
        },
        None => None,
    }
}

// ----- gas -----------------------------------------------------------------------------------

// Measured 2026-11-24 on the reference machine (2 cores, shared with other builds; thread CPU
// time, see the bench's docs) with
// `cargo bench -p shortcrust-crypto --features testkit --bench zk_verify -- --warm-up-time 1 --measurement-time 3`.
// Medians of `groth16/from_bytes/N` (a cache miss, the case the price must cover):
// N = 0: 1.948 ms, N = 1: 2.034 ms, N = 16: 2.381 ms, N = 256: 5.712 ms.
// (With the key cached, `groth16/cached/N`: 0.840, 0.938, 1.205, 3.295 ms.)

/// The median of one verification with one public input, from bytes (hash, decode and
/// subgroup-check the key and the proof, prepare the key, one MSM, the pairing check), rounded
/// up: `t(1)` = 2.034 ms. It covers zero inputs (1.948 ms). Raised to 2.30 ms after
/// `shortcrust calibrate` (2026-11-24, cold path, thread CPU time) fitted 2.13–2.25 ms.
pub const VERIFY_GROTH16_BASE_NS: u64 = 2_300_000;
/// Each public input (decode and check its `ic` point, its share of the MSM): the steepest
/// measured slope from one input, `(t(16) − t(1)) / 15` = 23.1 µs, rounded up (from 1 to 256 the
/// slope is 14.4 µs; the MSM gets cheaper per point as it grows), so that
/// `base + per_input × N ≥ t(N)` at every measured `N`.
pub const VERIFY_GROTH16_PER_INPUT_NS: u64 = 23_200;

/// Gas of `verify_groth16_bn254`, from the argument lengths only: `base + per_input × n` with
/// `n = ceil(public_inputs_len / 32)`. Saturating; charged before the work, hit or miss.
pub const fn verify_groth16_bn254_gas(
    vk_len: usize,
    proof_len: usize,
    public_inputs_len: usize,
) -> u64 {
    // The key's and the proof's lengths are fixed by `n` (any other length is rejected before
    // any work), so only `n` enters the price.
    let _ = (vk_len, proof_len);
    linear(
        gas_from_nanos(VERIFY_GROTH16_BASE_NS),
        gas_from_nanos(VERIFY_GROTH16_PER_INPUT_NS),
        words(public_inputs_len),
    )
}

// ----- verification --------------------------------------------------------------------------

/// Prepared keys of recent verifications. 32 entries of at most ~120 KiB each (a key with the
/// maximum 1024 public inputs).
static PREPARED_KEYS: VerifierCache<PreparedVerifyingKey<Bn254>> = VerifierCache::new(32);

/// Verifies a Groth16 proof over BN254. See the module docs for the encodings and statuses.
pub fn verify_groth16_bn254(vk: &[u8], proof: &[u8], public_inputs: &[u8]) -> i32 {
    verify_with_cache(&PREPARED_KEYS, vk, proof, public_inputs)
}

/// [`verify_groth16_bn254`] without the cache: always decodes and prepares the key, exactly the
/// work of a cache miss (which is what the price covers). For benchmarks, and for callers that
/// verify against a key once.
pub fn verify_groth16_bn254_uncached(vk: &[u8], proof: &[u8], public_inputs: &[u8]) -> i32 {
    static NO_CACHE: VerifierCache<PreparedVerifyingKey<Bn254>> = VerifierCache::new(0);
    verify_with_cache(&NO_CACHE, vk, proof, public_inputs)
}

pub(crate) fn verify_with_cache(
    cache: &VerifierCache<PreparedVerifyingKey<Bn254>>,
    vk: &[u8],
    proof: &[u8],
    public_inputs: &[u8],
) -> i32 {
    crate::guard_status(|| match verify_inner(cache, vk, proof, public_inputs) {
        Ok(true) => status::VALID,
        Ok(false) => status::INVALID,
        Err(code) => code,
    })
}

fn verify_inner(
    cache: &VerifierCache<PreparedVerifyingKey<Bn254>>,
    vk: &[u8],
    proof: &[u8],
    public_inputs: &[u8],
) -> Result<bool, i32> {
    if !public_inputs.len().is_multiple_of(SCALAR_LEN) {
        return Err(status::ERR_LENGTH);
    }
    let n = public_inputs.len() / SCALAR_LEN;
    if n > limits::MAX_PUBLIC_INPUTS as usize {
        return Err(status::ERR_TOO_MANY);
    }
    if proof.len() != PROOF_LEN || Some(vk.len()) != verifying_key_len(n) {
        return Err(status::ERR_LENGTH);
    }
    let inputs = decode_public_inputs(public_inputs)?;
    let pvk = prepared_key(cache, vk)?;
    let proof = decode_proof(proof)?;
    let prepared_inputs = prepare_inputs(&pvk, &inputs)?;
    Groth16::<Bn254>::verify_proof_with_prepared_inputs(&pvk, &proof, &prepared_inputs)
        .map_err(|_| status::ERR_INTERNAL)
}

/// `ic[0] + Σ inputs[i] · ic[i + 1]`, as one multi-scalar multiplication. arkworks'
/// `Groth16::prepare_inputs` does one scalar multiplication per input, which costs about twice as
/// much from a dozen inputs on; the sum is the same point.
fn prepare_inputs(pvk: &PreparedVerifyingKey<Bn254>, inputs: &[Fr]) -> Result<G1Projective, i32> {
    let (first, rest) = pvk
        .vk
        .gamma_abc_g1
        .split_first()
        .ok_or(status::ERR_INTERNAL)?;
    if rest.len() != inputs.len() {
        return Err(status::ERR_LENGTH);
    }
    Ok(*first + G1Projective::msm_unchecked(rest, inputs))
}

fn prepared_key(
    cache: &VerifierCache<PreparedVerifyingKey<Bn254>>,
    vk: &[u8],
) -> Result<Arc<PreparedVerifyingKey<Bn254>>, i32> {
    cache.get_or_decode(vk, |bytes| {
        decode_verifying_key(bytes).map(|vk| prepare_verifying_key(&vk))
    })
}

// ----- decoding ------------------------------------------------------------------------------

/// Decodes public inputs: `32 n` bytes of big-endian scalars, each `< r`.
///
/// Errors: `ERR_LENGTH` (not a multiple of 32), `ERR_MALFORMED` (a scalar `≥ r`).
pub fn decode_public_inputs(bytes: &[u8]) -> Result<Vec<Fr>, i32> {
    let chunks = bytes.chunks_exact(SCALAR_LEN);
    if !chunks.remainder().is_empty() {
        return Err(status::ERR_LENGTH);
    }
    chunks
        .map(|chunk| scalar_from_be_bytes(chunk).ok_or(status::ERR_MALFORMED))
        .collect()
}

/// Decodes a 32-byte big-endian scalar, `None` unless it is `< r`.
fn scalar_from_be_bytes(bytes: &[u8]) -> Option<Fr> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        *limb = u64::from_be_bytes(chunk.try_into().ok()?);
    }
    Fr::from_bigint(BigInt::new(limbs))
}

/// Encodes a scalar as 32 big-endian bytes (the public-input encoding).
pub fn scalar_to_be_bytes(scalar: &Fr) -> [u8; SCALAR_LEN] {
    let limbs = scalar.into_bigint().0;
    let mut out = [0u8; SCALAR_LEN];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(limbs.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// Decodes a 128-byte proof. Errors: `ERR_LENGTH`, `ERR_NOT_ON_CURVE`, `ERR_NOT_IN_SUBGROUP`.
pub fn decode_proof(bytes: &[u8]) -> Result<Proof<Bn254>, i32> {
    if bytes.len() != PROOF_LEN {
        return Err(status::ERR_LENGTH);
    }
    let (a, rest) = bytes.split_at(G1_LEN);
    let (b, c) = rest.split_at(G2_LEN);
    Ok(Proof {
        a: decode_point::<ark_bn254::g1::Config>(a)?,
        b: decode_point::<ark_bn254::g2::Config>(b)?,
        c: decode_point::<ark_bn254::g1::Config>(c)?,
    })
}

/// Decodes a verifying key of any size. Errors: `ERR_LENGTH` (length does not match the declared
/// point count, or more than `MAX_PUBLIC_INPUTS + 1` points), `ERR_NOT_ON_CURVE`,
/// `ERR_NOT_IN_SUBGROUP`.
pub fn decode_verifying_key(bytes: &[u8]) -> Result<VerifyingKey<Bn254>, i32> {
    let (fixed, ic_bytes) = bytes
        .split_at_checked(VK_FIXED_LEN)
        .ok_or(status::ERR_LENGTH)?;
    let (alpha, rest) = fixed.split_at(G1_LEN);
    let (beta, rest) = rest.split_at(G2_LEN);
    let (gamma, rest) = rest.split_at(G2_LEN);
    let (delta, count) = rest.split_at(G2_LEN);
    let count = u64::from_le_bytes(count.try_into().map_err(|_| status::ERR_LENGTH)?);
    let expected = usize::try_from(count)
        .ok()
        .and_then(|k| k.checked_sub(1))
        .filter(|n| *n <= limits::MAX_PUBLIC_INPUTS as usize)
        .and_then(verifying_key_len);
    if expected != Some(bytes.len()) {
        return Err(status::ERR_LENGTH);
    }
    Ok(VerifyingKey {
        alpha_g1: decode_point::<ark_bn254::g1::Config>(alpha)?,
        beta_g2: decode_point::<ark_bn254::g2::Config>(beta)?,
        gamma_g2: decode_point::<ark_bn254::g2::Config>(gamma)?,
        delta_g2: decode_point::<ark_bn254::g2::Config>(delta)?,
        gamma_abc_g1: ic_bytes
            .chunks_exact(G1_LEN)
            .map(decode_point::<ark_bn254::g1::Config>)
            .collect::<Result<_, _>>()?,
    })
}

/// Decodes one compressed point, with a precise status for each way it can be wrong.
///
/// arkworks' own validation folds "not on the curve" and "not in the subgroup" into one error,
/// so the point is decoded unchecked and validated here. Re-encoding and comparing rejects the
/// encodings arkworks would otherwise accept for the same point (stray bits beside the infinity
/// flag), so that every point has exactly one encoding.
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

// ----- encoding ------------------------------------------------------------------------------

/// The three arguments of one `verify_groth16_bn254` call, in the host encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Groth16Input {
    /// The encoded verifying key.
    pub verifying_key: Vec<u8>,
    /// The encoded proof (128 bytes).
    pub proof: Vec<u8>,
    /// The public inputs, 32 big-endian bytes each.
    pub public_inputs: Vec<u8>,
}

impl Groth16Input {
    /// Encodes arkworks values into the host encoding.
    pub fn encode(vk: &VerifyingKey<Bn254>, proof: &Proof<Bn254>, public_inputs: &[Fr]) -> Self {
        Self {
            verifying_key: encode_verifying_key(vk),
            proof: encode_proof(proof).to_vec(),
            public_inputs: encode_public_inputs(public_inputs),
        }
    }

    /// Runs [`verify_groth16_bn254`] on these arguments.
    pub fn verify(&self) -> i32 {
        verify_groth16_bn254(&self.verifying_key, &self.proof, &self.public_inputs)
    }

    /// The price [`verify_groth16_bn254_gas`] charges for these arguments.
    pub fn gas(&self) -> u64 {
        verify_groth16_bn254_gas(
            self.verifying_key.len(),
            self.proof.len(),
            self.public_inputs.len(),
        )
    }
}

/// Encodes a verifying key (arkworks' compressed `VerifyingKey`).
pub fn encode_verifying_key(vk: &VerifyingKey<Bn254>) -> Vec<u8> {
    let mut out = Vec::with_capacity(vk.compressed_size());
    write_compressed(vk, &mut out);
    out
}

/// Encodes a proof (arkworks' compressed `Proof`).
pub fn encode_proof(proof: &Proof<Bn254>) -> [u8; PROOF_LEN] {
    let mut out = [0u8; PROOF_LEN];
    let mut cursor = &mut out[..];
    write_compressed(&proof.a, &mut cursor);
    write_compressed(&proof.b, &mut cursor);
    write_compressed(&proof.c, &mut cursor);
    out
}

/// Encodes public inputs, 32 big-endian bytes each.
pub fn encode_public_inputs(inputs: &[Fr]) -> Vec<u8> {
    inputs.iter().flat_map(scalar_to_be_bytes).collect()
}

/// Encodes a G1 point (compressed, 32 bytes).
pub fn encode_g1(point: &G1Affine) -> [u8; G1_LEN] {
    let mut out = [0u8; G1_LEN];
    write_compressed(point, &mut &mut out[..]);
    out
}

/// Encodes a G2 point (compressed, 64 bytes).
pub fn encode_g2(point: &G2Affine) -> [u8; G2_LEN] {
    let mut out = [0u8; G2_LEN];
    write_compressed(point, &mut &mut out[..]);
    out
}

/// Writes a value whose compressed size is known to fit: serializing arkworks curve values into
/// memory cannot fail, so a failure is a bug in this module.
fn write_compressed<T: CanonicalSerialize, W: ark_serialize::Write>(value: &T, out: W) {
    value
        .serialize_compressed(out)
        .expect("serializing a curve value into a buffer of its compressed size cannot fail");
}
