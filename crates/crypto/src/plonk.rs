//! `verify_plonk`: PLONK proofs of Dusk's proof system (dusk-plonk 0.22, BLS12-381 with KZG
//! commitments), in Dusk's own serializations.
//!
//! # Host encoding
//!
//! | argument | layout | length |
//! |---|---|---|
//! | `verifier_data` | dusk-plonk's `Verifier::to_bytes()`, see below | `1256 + label + 8 n` |
//! | `proof` | dusk-plonk's `Proof::to_bytes()`: 11 compressed G1 commitments (48 bytes each), then 15 scalars (32 bytes, little-endian) | `1008` |
//! | `public_inputs` | `n` BLS12-381 scalars, each 32 bytes canonical **little-endian** (`BlsScalar::to_bytes`), in the circuit's order | `32 n` |
//!
//! `Verifier::to_bytes()` is six big-endian `u64`s — label length, verifier-key length (`968`),
//! opening-key length (`240`), number of public inputs `n`, circuit size, number of constraints —
//! then the label (the transcript's domain separator), the verifier key (the constraint count as
//! a little-endian `u64`, 15 compressed G1 commitments, 240 reserved bytes that dusk-plonk writes
//! as zeros and never reads), the opening key (compressed G1 `g`, compressed G2 `h` and `x·h`),
//! and the `n` public-input gate indexes as big-endian `u64`s. The host is stricter than
//! dusk-plonk's own parser, so that each verifier has exactly one encoding: the declared key
//! lengths must be 968 and 240, nothing may follow the indexes, the reserved bytes must be zero,
//! and every point must be canonical, on the curve and in the prime-order subgroup.
//!
//! Proofs are checked with dusk-plonk's current rules (`PlonkVersion::V3`, what `Prover::prove`
//! produces). A new dusk-plonk version that changes them is a new protocol version.
//!
//! # Statuses
//!
//! Checked in this order, the first failure wins: `ERR_LENGTH` (public inputs not a multiple of
//! 32 bytes), `ERR_TOO_MANY` (more than `limits::MAX_PUBLIC_INPUTS`), `ERR_LENGTH` (proof not 1008
//! bytes; verifier data shorter than its header, lengths that disagree with the header, or
//! declaring another number of public inputs than given), `ERR_MALFORMED` (a public input not a
//! canonical scalar, a constraint count above 2³¹, nonzero reserved bytes), then the verifier
//! data's points and the proof's: `ERR_NOT_ON_CURVE` (not a canonical encoding of a curve
//! point), `ERR_NOT_IN_SUBGROUP`, `ERR_MALFORMED` (a proof scalar not canonical). A well-formed
//! proof that does not verify gives `INVALID`; a panic in dusk-plonk gives `ERR_INTERNAL`.
//!
//! # Gas and caching
//!
//! `base + per_input × n + per_KiB × verifier_data_len` ([`verify_plonk_gas`]): the label is
//! absorbed into the transcript and the whole verifier data is hashed, so a long label costs
//! time. The 16 most recently used deserialized verifiers are cached by the BLAKE2b-256 hash of
//! their encoding; the price always covers a miss (the work of [`verify_plonk_uncached`]), and
//! results never depend on the cache.

use std::sync::Arc;

use dusk_bls12_381::{BlsScalar, G1Affine, G2Affine};
use dusk_plonk::prelude::{Error as PlonkError, Proof, Verifier};
use shortcrust_abi::{limits, status};

use crate::gas::{gas_from_nanos, linear, words};
use crate::verifier_cache::VerifierCache;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
#[cfg(test)]
mod tests;

/// Bytes of one public input (a little-endian `BlsScalar`).
pub const SCALAR_LEN: usize = 32;
/// Bytes of a compressed G1 point.
const G1_LEN: usize = 48;
/// Bytes of a compressed G2 point.
const G2_LEN: usize = 96;
/// Commitments in a proof, before its scalars.
const PROOF_COMMITMENTS: usize = 11;
/// Scalars (evaluations) in a proof.
const PROOF_SCALARS: usize = 15;
/// Bytes of an encoded proof.
pub const PROOF_LEN: usize = PROOF_COMMITMENTS * G1_LEN + PROOF_SCALARS * SCALAR_LEN;
/// Bytes of the verifier data's header (six `u64`s).
pub const HEADER_LEN: usize = 6 * 8;
/// Commitments in the verifier key, after its `u64` constraint count.
const VERIFIER_KEY_COMMITMENTS: usize = 15;
/// Bytes dusk-plonk reserves (and zeroes) at the end of the verifier key.
const VERIFIER_KEY_RESERVED: usize = 5 * G1_LEN;
/// Bytes of the verifier key (`VerifierKey::SIZE` in dusk-plonk).
pub const VERIFIER_KEY_LEN: usize = 8 + VERIFIER_KEY_COMMITMENTS * G1_LEN + VERIFIER_KEY_RESERVED;
/// Bytes of the opening key (`OpeningKey::SIZE` in dusk-plonk).
pub const OPENING_KEY_LEN: usize = G1_LEN + 2 * G2_LEN;
/// Largest constraint count the verifier accepts: dusk-plonk's evaluation domain (the next power
/// of two) must stay within the BLS12-381 scalar field's 2-adicity of 32.
pub const MAX_CONSTRAINTS: u64 = 1 << 31;

// ----- gas -----------------------------------------------------------------------------------

// Measured 2026-11-24 on the reference machine (2 cores, shared with other builds; thread CPU
// time, see the bench's docs) with
// `cargo bench -p shortcrust-crypto --features testkit --bench zk_verify -- --warm-up-time 1 --measurement-time 3`.
// Medians of `plonk/from_bytes/N` (a cache miss, the case the price must cover), with the
// testkit's 31-byte label: N = 1: 7.489 ms, N = 16: 7.294 ms, N = 256: 10.333 ms; one input
// with a 256 KiB label (`plonk/label_256KiB`): 9.457 ms.
// (With the verifier cached, `plonk/cached/N`: 5.504, 5.650, 8.614 ms.)

/// The median of one verification with one public input, from bytes (hash and parse the
/// verifier data, subgroup-check its points and the proof's, verify), rounded up:
/// `t(1)` = 7.489 ms. It covers zero inputs. Raised to 8.60 ms after `shortcrust calibrate`
/// (2026-11-24, cold path, thread CPU time) fitted 7.53–8.28 ms + 12–13 µs per input.
pub const VERIFY_PLONK_BASE_NS: u64 = 8_600_000;
/// Each public input (decode, absorb into the transcript, its Lagrange term): the steepest
/// measured slope from one input, `(t(256) − t(1)) / 255` = 11.15 µs, rounded up (the slope
/// to 16 inputs is within noise of zero); 13 µs after `shortcrust calibrate` fitted 12.0–12.9 µs.
pub const VERIFY_PLONK_PER_INPUT_NS: u64 = 13_000;
/// Each KiB of verifier data (the label is absorbed into two transcripts, everything is hashed
/// for the cache): `(t(label 256 KiB) − t(1)) / 256` = 7.69 µs, rounded up.
pub const VERIFY_PLONK_PER_KIB_NS: u64 = 7_700;

/// Gas of `verify_plonk`, from the argument lengths only:
/// `base + per_input × n + per_KiB × verifier_data_len / 1024` (rounded up), with
/// `n = ceil(public_inputs_len / 32)`. Saturating; charged before the work, hit or miss.
pub const fn verify_plonk_gas(
    verifier_data_len: usize,
    proof_len: usize,
    public_inputs_len: usize,
) -> u64 {
    // Any other proof length is rejected before any work.
    let _ = proof_len;
    let per_kib = gas_from_nanos(VERIFY_PLONK_PER_KIB_NS);
    let data = (verifier_data_len as u64)
        .saturating_mul(per_kib)
        .div_ceil(1024);
    linear(
        gas_from_nanos(VERIFY_PLONK_BASE_NS),
        gas_from_nanos(VERIFY_PLONK_PER_INPUT_NS),
        words(public_inputs_len),
    )
    .saturating_add(data)
}

// ----- verification --------------------------------------------------------------------------

/// Deserialized verifiers of recent verifications: 16 entries, each a few KiB plus its label.
static VERIFIERS: VerifierCache<Verifier> = VerifierCache::new(16);

/// Verifies a dusk-plonk proof. See the module docs for the encodings and statuses.
pub fn verify_plonk(verifier_data: &[u8], proof: &[u8], public_inputs: &[u8]) -> i32 {
    verify_with_cache(&VERIFIERS, verifier_data, proof, public_inputs)
}

/// [`verify_plonk`] without the cache: always deserializes the verifier, exactly the work of a
/// cache miss (which is what the price covers). For benchmarks, and for callers that verify
/// against a verifier once.
pub fn verify_plonk_uncached(verifier_data: &[u8], proof: &[u8], public_inputs: &[u8]) -> i32 {
    static NO_CACHE: VerifierCache<Verifier> = VerifierCache::new(0);
    verify_with_cache(&NO_CACHE, verifier_data, proof, public_inputs)
}

pub(crate) fn verify_with_cache(
    cache: &VerifierCache<Verifier>,
    verifier_data: &[u8],
    proof: &[u8],
    public_inputs: &[u8],
) -> i32 {
    crate::guard_status(
        || match verify_inner(cache, verifier_data, proof, public_inputs) {
            Ok(()) => status::VALID,
            Err(code) => code,
        },
    )
}

fn verify_inner(
    cache: &VerifierCache<Verifier>,
    verifier_data: &[u8],
    proof: &[u8],
    public_inputs: &[u8],
) -> Result<(), i32> {
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
    let layout = VerifierLayout::parse(verifier_data)?;
    if layout.public_inputs != n {
        return Err(status::ERR_LENGTH);
    }
    let inputs = decode_public_inputs(public_inputs)?;
    layout.check_fields(verifier_data)?;
    let verifier = cached_verifier(cache, verifier_data, &layout)?;
    let proof = decode_proof(proof)?;
    match verifier.verify(&proof, &inputs) {
        Ok(()) => Ok(()),
        Err(PlonkError::ProofVerificationError | PlonkError::PairingCheckFailure) => {
            Err(status::INVALID)
        }
        Err(PlonkError::InconsistentPublicInputsLen { .. }) => Err(status::ERR_LENGTH),
        Err(PlonkError::InvalidEvalDomainSize { .. }) => Err(status::ERR_MALFORMED),
        Err(_) => Err(status::ERR_INTERNAL),
    }
}

fn cached_verifier(
    cache: &VerifierCache<Verifier>,
    verifier_data: &[u8],
    layout: &VerifierLayout,
) -> Result<Arc<Verifier>, i32> {
    cache.get_or_decode(verifier_data, |bytes| {
        Verifier::try_from_bytes(bytes).map_err(|_| layout.diagnose(bytes))
    })
}

// ----- decoding ------------------------------------------------------------------------------

/// Where the parts of a verifier data encoding lie, after checking every length in its header.
struct VerifierLayout {
    /// Offset of the verifier key.
    verifier_key: usize,
    /// Number of public inputs the circuit declares.
    public_inputs: usize,
}

impl VerifierLayout {
    /// Checks every length the header declares against the encoding's length.
    fn parse(bytes: &[u8]) -> Result<Self, i32> {
        let header = |i: usize| -> Result<u64, i32> {
            let field = bytes.get(8 * i..8 * i + 8).ok_or(status::ERR_LENGTH)?;
            Ok(u64::from_be_bytes(
                field.try_into().map_err(|_| status::ERR_LENGTH)?,
            ))
        };
        let as_len = |v: u64| usize::try_from(v).map_err(|_| status::ERR_LENGTH);
        let label_len = as_len(header(0)?)?;
        let verifier_key_len = as_len(header(1)?)?;
        let opening_key_len = as_len(header(2)?)?;
        let public_inputs = as_len(header(3)?)?;
        if verifier_key_len != VERIFIER_KEY_LEN || opening_key_len != OPENING_KEY_LEN {
            return Err(status::ERR_LENGTH);
        }
        let total = public_inputs
            .checked_mul(8)
            .and_then(|indexes| {
                indexes.checked_add(HEADER_LEN + VERIFIER_KEY_LEN + OPENING_KEY_LEN)
            })
            .and_then(|len| len.checked_add(label_len));
        if total != Some(bytes.len()) {
            return Err(status::ERR_LENGTH);
        }
        Ok(Self {
            verifier_key: HEADER_LEN + label_len,
            public_inputs,
        })
    }

    /// Checks the verifier-key fields dusk-plonk does not check itself: the constraint count
    /// (which sizes its evaluation domain) and the reserved bytes.
    fn check_fields(&self, bytes: &[u8]) -> Result<(), i32> {
        let key = &bytes[self.verifier_key..self.verifier_key + VERIFIER_KEY_LEN];
        let (constraints, rest) = key.split_at(8);
        let constraints =
            u64::from_le_bytes(constraints.try_into().map_err(|_| status::ERR_LENGTH)?);
        let reserved = &rest[VERIFIER_KEY_COMMITMENTS * G1_LEN..];
        if constraints > MAX_CONSTRAINTS || reserved.iter().any(|b| *b != 0) {
            return Err(status::ERR_MALFORMED);
        }
        Ok(())
    }

    /// The status of verifier data that dusk-plonk refused: the first bad point's.
    fn diagnose(&self, bytes: &[u8]) -> i32 {
        let key = &bytes[self.verifier_key + 8..];
        let commitments = key.chunks_exact(G1_LEN).take(VERIFIER_KEY_COMMITMENTS);
        let opening = &bytes[self.verifier_key + VERIFIER_KEY_LEN..];
        let (g, rest) = opening.split_at(G1_LEN);
        let (h, rest) = rest.split_at(G2_LEN);
        let x_h = &rest[..G2_LEN];
        commitments
            .chain([g])
            .map(g1_status)
            .chain([h, x_h].into_iter().map(g2_status))
            .find(|s| *s != status::VALID)
            .unwrap_or(status::ERR_MALFORMED)
    }
}

/// Decodes public inputs: `32 n` bytes of canonical little-endian scalars.
///
/// Errors: `ERR_LENGTH` (not a multiple of 32), `ERR_MALFORMED` (a scalar not canonical).
pub fn decode_public_inputs(bytes: &[u8]) -> Result<Vec<BlsScalar>, i32> {
    let chunks = bytes.chunks_exact(SCALAR_LEN);
    if !chunks.remainder().is_empty() {
        return Err(status::ERR_LENGTH);
    }
    chunks.map(scalar).collect()
}

/// Decodes a 1008-byte proof (dusk-plonk's `Proof::from_bytes`, with a precise status).
pub fn decode_proof(bytes: &[u8]) -> Result<Proof, i32> {
    let array: &[u8; PROOF_LEN] = bytes.try_into().map_err(|_| status::ERR_LENGTH)?;
    <Proof as dusk_bytes::Serializable<PROOF_LEN>>::from_bytes(array).map_err(|_| {
        let (commitments, scalars) = bytes.split_at(PROOF_COMMITMENTS * G1_LEN);
        commitments
            .chunks_exact(G1_LEN)
            .map(g1_status)
            .chain(scalars.chunks_exact(SCALAR_LEN).map(|s| match scalar(s) {
                Ok(_) => status::VALID,
                Err(code) => code,
            }))
            .find(|s| *s != status::VALID)
            .unwrap_or(status::ERR_MALFORMED)
    })
}

fn scalar(bytes: &[u8]) -> Result<BlsScalar, i32> {
    let array: &[u8; SCALAR_LEN] = bytes.try_into().map_err(|_| status::ERR_LENGTH)?;
    Option::from(BlsScalar::from_bytes(array)).ok_or(status::ERR_MALFORMED)
}

/// `VALID` for a canonical, on-curve, torsion-free compressed G1 point, else its error status.
fn g1_status(bytes: &[u8]) -> i32 {
    let Ok(array) = <&[u8; G1_LEN]>::try_from(bytes) else {
        return status::ERR_LENGTH;
    };
    match Option::<G1Affine>::from(G1Affine::from_compressed_unchecked(array)) {
        None => status::ERR_NOT_ON_CURVE,
        Some(p) if !bool::from(p.is_torsion_free()) => status::ERR_NOT_IN_SUBGROUP,
        Some(_) => status::VALID,
    }
}

/// `VALID` for a canonical, on-curve, torsion-free compressed G2 point, else its error status.
fn g2_status(bytes: &[u8]) -> i32 {
    let Ok(array) = <&[u8; G2_LEN]>::try_from(bytes) else {
        return status::ERR_LENGTH;
    };
    match Option::<G2Affine>::from(G2Affine::from_compressed_unchecked(array)) {
        None => status::ERR_NOT_ON_CURVE,
        Some(p) if !bool::from(p.is_torsion_free()) => status::ERR_NOT_IN_SUBGROUP,
        Some(_) => status::VALID,
    }
}

// ----- encoding ------------------------------------------------------------------------------

/// The three arguments of one `verify_plonk` call, in the host encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlonkInput {
    /// dusk-plonk's `Verifier::to_bytes()`.
    pub verifier_data: Vec<u8>,
    /// dusk-plonk's `Proof::to_bytes()` (1008 bytes).
    pub proof: Vec<u8>,
    /// The public inputs, 32 little-endian bytes each.
    pub public_inputs: Vec<u8>,
}

impl PlonkInput {
    /// Encodes dusk-plonk values into the host encoding.
    pub fn encode(verifier: &Verifier, proof: &Proof, public_inputs: &[BlsScalar]) -> Self {
        Self {
            verifier_data: verifier.to_bytes(),
            proof: dusk_bytes::Serializable::to_bytes(proof).to_vec(),
            public_inputs: encode_public_inputs(public_inputs),
        }
    }

    /// Runs [`verify_plonk`] on these arguments.
    pub fn verify(&self) -> i32 {
        verify_plonk(&self.verifier_data, &self.proof, &self.public_inputs)
    }

    /// The price [`verify_plonk_gas`] charges for these arguments.
    pub fn gas(&self) -> u64 {
        verify_plonk_gas(
            self.verifier_data.len(),
            self.proof.len(),
            self.public_inputs.len(),
        )
    }
}

/// Encodes public inputs, 32 little-endian bytes each.
pub fn encode_public_inputs(inputs: &[BlsScalar]) -> Vec<u8> {
    inputs.iter().flat_map(|s| s.to_bytes()).collect()
}
