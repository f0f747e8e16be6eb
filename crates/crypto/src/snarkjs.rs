//! Converts snarkjs/circom Groth16 JSON over BN254 (`verification_key.json`, `proof.json`,
//! `public.json`) into the host encoding of `verify_groth16_bn254` (see [`crate::groth16`]).
//!
//! This runs off-chain (CLI, SDK tooling, tests), never inside a host function, so it reports
//! precise, human-readable errors rather than ABI statuses.
//!
//! snarkjs' JSON conventions, as written by snarkjs 0.7 (checked against the real fixture in
//! `testdata/snarkjs/multiplier`):
//! - numbers are decimal strings;
//! - a G1 point is `[x, y, z]` in projective form, always normalised: `z = "1"`, or the point at
//!   infinity `["0", "1", "0"]`;
//! - a G2 point is `[[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]]`: each coordinate lists the real
//!   part `c0` **first** (the Solidity verifier export swaps them; the JSON does not);
//! - `curve` is `"bn128"` (snarkjs' name for BN254), `protocol` is `"groth16"`;
//! - `public.json` lists the circuit's public outputs first, then its public inputs.
//!
//! Every coordinate must be `< p` and every public signal `< r` (no silent reduction), and every
//! point must be on the curve and in the prime-order subgroup.

use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, PrimeField};
use ark_groth16::{Proof, VerifyingKey};
use serde::Deserialize;
use shortcrust_abi::limits;

use crate::groth16::Groth16Input;

/// Why a snarkjs file could not be converted. `field` names the JSON path of the culprit, e.g.
/// `vk_beta_2`, `IC[3]`, `pi_b`, `public[1]`.
#[derive(Debug, thiserror::Error)]
pub enum SnarkjsError {
    /// The text is not JSON of the expected shape.
    #[error("{file}: not a snarkjs JSON file of the expected shape: {source}")]
    Json {
        /// `verification_key.json`, `proof.json` or `public.json`.
        file: &'static str,
        /// serde_json's description, with line and column.
        source: serde_json::Error,
    },
    /// The verification key is for another proof system.
    #[error("{file}: protocol is {found:?}, only \"groth16\" is supported")]
    Protocol {
        /// The file naming the protocol.
        file: &'static str,
        /// The protocol it names.
        found: String,
    },
    /// The file is for another curve.
    #[error("{file}: curve is {found:?}, only \"bn128\" (BN254) is supported")]
    Curve {
        /// The file naming the curve.
        file: &'static str,
        /// The curve it names.
        found: String,
    },
    /// A point has the wrong number of coordinates or components.
    #[error("{field}: expected {expected}")]
    Shape {
        /// JSON path of the point.
        field: String,
        /// The shape expected.
        expected: &'static str,
    },
    /// A number is not a plain decimal integer.
    #[error("{field}: {value:?} is not a decimal integer")]
    NotDecimal {
        /// JSON path of the number.
        field: String,
        /// The offending text.
        value: String,
    },
    /// A number is not below the modulus of its field (it is never reduced silently).
    #[error("{field}: {value} is not below the {modulus} modulus")]
    NotCanonical {
        /// JSON path of the number.
        field: String,
        /// The offending number.
        value: String,
        /// `"base field"` (coordinates) or `"scalar field"` (public signals).
        modulus: &'static str,
    },
    /// A point's projective `z` is neither `1` (affine) nor `0` (infinity).
    #[error("{field}: z coordinate is not 1 or 0 (the point is not normalised)")]
    NotAffine {
        /// JSON path of the point.
        field: String,
    },
    /// A point is not on the curve (for G2, often a sign of swapped `c0`/`c1`).
    #[error("{field}: point is not on the curve")]
    NotOnCurve {
        /// JSON path of the point.
        field: String,
    },
    /// A point is on the curve but not in the prime-order subgroup.
    #[error("{field}: point is not in the prime-order subgroup")]
    NotInSubgroup {
        /// JSON path of the point.
        field: String,
    },
    /// `IC` does not hold `nPublic + 1` points.
    #[error(
        "verification_key.json: nPublic is {n_public} but IC has {ic} points (expected nPublic + 1)"
    )]
    IcCount {
        /// `nPublic` of the key.
        n_public: usize,
        /// Number of `IC` points.
        ic: usize,
    },
    /// The public signals do not match the key.
    #[error("public.json has {found} signals but the verification key expects {expected}")]
    PublicCount {
        /// Signals the key expects (`IC` length − 1).
        expected: usize,
        /// Signals given.
        found: usize,
    },
    /// More public signals than `verify_groth16_bn254` accepts.
    #[error("{found} public signals exceed the host limit of {max}")]
    TooManyPublicInputs {
        /// Signals given (or expected by the key).
        found: usize,
        /// `limits::MAX_PUBLIC_INPUTS`.
        max: u32,
    },
}

const VK_FILE: &str = "verification_key.json";
const PROOF_FILE: &str = "proof.json";
const PUBLIC_FILE: &str = "public.json";

#[derive(Deserialize)]
struct VerificationKeyJson {
    protocol: String,
    curve: String,
    #[serde(rename = "nPublic")]
    n_public: Option<usize>,
    vk_alpha_1: Vec<String>,
    vk_beta_2: Vec<Vec<String>>,
    vk_gamma_2: Vec<Vec<String>>,
    vk_delta_2: Vec<Vec<String>>,
    #[serde(rename = "IC")]
    ic: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct ProofJson {
    pi_a: Vec<String>,
    pi_b: Vec<Vec<String>>,
    pi_c: Vec<String>,
    protocol: Option<String>,
    curve: Option<String>,
}

/// Converts the three snarkjs files of one proof into the arguments of `verify_groth16_bn254`,
/// checking that the key and the public signals agree in number.
pub fn convert(
    verification_key_json: &str,
    proof_json: &str,
    public_json: &str,
) -> Result<Groth16Input, SnarkjsError> {
    let vk = parse_verifying_key(verification_key_json)?;
    let proof = parse_proof(proof_json)?;
    let public = parse_public_signals(public_json)?;
    let expected = vk.gamma_abc_g1.len().saturating_sub(1);
    if public.len() != expected {
        return Err(SnarkjsError::PublicCount {
            expected,
            found: public.len(),
        });
    }
    Ok(Groth16Input::encode(&vk, &proof, &public))
}

/// Converts `verification_key.json` into the host encoding of the `vk` argument.
pub fn verifying_key_from_json(json: &str) -> Result<Vec<u8>, SnarkjsError> {
    parse_verifying_key(json).map(|vk| crate::groth16::encode_verifying_key(&vk))
}

/// Converts `proof.json` into the host encoding of the `proof` argument (128 bytes).
pub fn proof_from_json(json: &str) -> Result<Vec<u8>, SnarkjsError> {
    parse_proof(json).map(|proof| crate::groth16::encode_proof(&proof).to_vec())
}

/// Converts `public.json` into the host encoding of the `public_inputs` argument.
pub fn public_inputs_from_json(json: &str) -> Result<Vec<u8>, SnarkjsError> {
    parse_public_signals(json).map(|signals| crate::groth16::encode_public_inputs(&signals))
}

/// Parses and validates `verification_key.json` into an arkworks key.
pub fn parse_verifying_key(json: &str) -> Result<VerifyingKey<Bn254>, SnarkjsError> {
    let vk: VerificationKeyJson =
        serde_json::from_str(json).map_err(|source| SnarkjsError::Json {
            file: VK_FILE,
            source,
        })?;
    if vk.protocol != "groth16" {
        return Err(SnarkjsError::Protocol {
            file: VK_FILE,
            found: vk.protocol,
        });
    }
    check_curve(VK_FILE, &vk.curve)?;
    let max = limits::MAX_PUBLIC_INPUTS;
    if vk.ic.len() > max as usize + 1 {
        return Err(SnarkjsError::TooManyPublicInputs {
            found: vk.ic.len() - 1,
            max,
        });
    }
    if let Some(n_public) = vk.n_public
        && n_public.checked_add(1) != Some(vk.ic.len())
    {
        return Err(SnarkjsError::IcCount {
            n_public,
            ic: vk.ic.len(),
        });
    }
    if vk.ic.is_empty() {
        return Err(SnarkjsError::Shape {
            field: "IC".into(),
            expected: "at least one point",
        });
    }
    Ok(VerifyingKey {
        alpha_g1: g1("vk_alpha_1", &vk.vk_alpha_1)?,
        beta_g2: g2("vk_beta_2", &vk.vk_beta_2)?,
        gamma_g2: g2("vk_gamma_2", &vk.vk_gamma_2)?,
        delta_g2: g2("vk_delta_2", &vk.vk_delta_2)?,
        gamma_abc_g1: vk
            .ic
            .iter()
            .enumerate()
            .map(|(i, point)| g1(&format!("IC[{i}]"), point))
            .collect::<Result<_, _>>()?,
    })
}

/// Parses and validates `proof.json` into an arkworks proof.
pub fn parse_proof(json: &str) -> Result<Proof<Bn254>, SnarkjsError> {
    let proof: ProofJson = serde_json::from_str(json).map_err(|source| SnarkjsError::Json {
        file: PROOF_FILE,
        source,
    })?;
    if let Some(protocol) = proof.protocol
        && protocol != "groth16"
    {
        return Err(SnarkjsError::Protocol {
            file: PROOF_FILE,
            found: protocol,
        });
    }
    if let Some(curve) = &proof.curve {
        check_curve(PROOF_FILE, curve)?;
    }
    Ok(Proof {
        a: g1("pi_a", &proof.pi_a)?,
        b: g2("pi_b", &proof.pi_b)?,
        c: g1("pi_c", &proof.pi_c)?,
    })
}

/// Parses `public.json`: decimal public signals, each `< r`.
pub fn parse_public_signals(json: &str) -> Result<Vec<Fr>, SnarkjsError> {
    let signals: Vec<String> = serde_json::from_str(json).map_err(|source| SnarkjsError::Json {
        file: PUBLIC_FILE,
        source,
    })?;
    let max = limits::MAX_PUBLIC_INPUTS;
    if signals.len() > max as usize {
        return Err(SnarkjsError::TooManyPublicInputs {
            found: signals.len(),
            max,
        });
    }
    signals
        .iter()
        .enumerate()
        .map(|(i, value)| field_element::<Fr>(&format!("public[{i}]"), value, "scalar field"))
        .collect()
}

fn check_curve(file: &'static str, curve: &str) -> Result<(), SnarkjsError> {
    match curve {
        "bn128" | "bn254" => Ok(()),
        other => Err(SnarkjsError::Curve {
            file,
            found: other.to_owned(),
        }),
    }
}

/// A G1 point `[x, y, z]` (or affine `[x, y]`).
fn g1(field: &str, coordinates: &[String]) -> Result<G1Affine, SnarkjsError> {
    let shape = || SnarkjsError::Shape {
        field: field.to_owned(),
        expected: "a G1 point [x, y, z] of decimal strings",
    };
    let (x, y, z) = match coordinates {
        [x, y] => (x, y, None),
        [x, y, z] => (x, y, Some(z)),
        _ => return Err(shape()),
    };
    let x = field_element::<Fq>(&format!("{field}.x"), x, "base field")?;
    let y = field_element::<Fq>(&format!("{field}.y"), y, "base field")?;
    let z = match z {
        Some(z) => field_element::<Fq>(&format!("{field}.z"), z, "base field")?,
        None => Fq::from(1u8),
    };
    if z == Fq::from(0u8) {
        return Ok(G1Affine::zero());
    }
    if z != Fq::from(1u8) {
        return Err(SnarkjsError::NotAffine {
            field: field.to_owned(),
        });
    }
    checked_point(field, G1Affine::new_unchecked(x, y))
}

/// A G2 point `[[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]]` (or affine, without `z`).
fn g2(field: &str, coordinates: &[Vec<String>]) -> Result<G2Affine, SnarkjsError> {
    let shape = || SnarkjsError::Shape {
        field: field.to_owned(),
        expected: "a G2 point [[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]] of decimal strings",
    };
    let fq2 = |name: &str, pair: &[String]| -> Result<Fq2, SnarkjsError> {
        match pair {
            [c0, c1] => Ok(Fq2::new(
                field_element::<Fq>(&format!("{field}.{name}.c0"), c0, "base field")?,
                field_element::<Fq>(&format!("{field}.{name}.c1"), c1, "base field")?,
            )),
            _ => Err(shape()),
        }
    };
    let (x, y, z) = match coordinates {
        [x, y] => (fq2("x", x)?, fq2("y", y)?, Fq2::from(1u8)),
        [x, y, z] => (fq2("x", x)?, fq2("y", y)?, fq2("z", z)?),
        _ => return Err(shape()),
    };
    if z == Fq2::from(0u8) {
        return Ok(G2Affine::zero());
    }
    if z != Fq2::from(1u8) {
        return Err(SnarkjsError::NotAffine {
            field: field.to_owned(),
        });
    }
    checked_point(field, G2Affine::new_unchecked(x, y))
}

fn checked_point<C: ark_ec::short_weierstrass::SWCurveConfig>(
    field: &str,
    point: ark_ec::short_weierstrass::Affine<C>,
) -> Result<ark_ec::short_weierstrass::Affine<C>, SnarkjsError> {
    if !point.is_on_curve() {
        return Err(SnarkjsError::NotOnCurve {
            field: field.to_owned(),
        });
    }
    if !point.is_in_correct_subgroup_assuming_on_curve() {
        return Err(SnarkjsError::NotInSubgroup {
            field: field.to_owned(),
        });
    }
    Ok(point)
}

/// Parses a decimal string into a field element, refusing values `≥` the modulus.
fn field_element<F: PrimeField<BigInt = BigInt<4>>>(
    field: &str,
    value: &str,
    modulus: &'static str,
) -> Result<F, SnarkjsError> {
    let not_decimal = || SnarkjsError::NotDecimal {
        field: field.to_owned(),
        value: value.to_owned(),
    };
    let not_canonical = || SnarkjsError::NotCanonical {
        field: field.to_owned(),
        value: value.to_owned(),
        modulus,
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_decimal());
    }
    // 256-bit accumulator, little-endian limbs; any overflow is certainly ≥ the modulus.
    let mut limbs = [0u64; 4];
    for digit in value.bytes().map(|b| u64::from(b - b'0')) {
        let mut carry = digit;
        for limb in &mut limbs {
            let wide = u128::from(*limb) * 10 + u128::from(carry);
            *limb = wide as u64;
            carry = (wide >> 64) as u64;
        }
        if carry != 0 {
            return Err(not_canonical());
        }
    }
    F::from_bigint(BigInt::new(limbs)).ok_or_else(not_canonical)
}

#[cfg(test)]
mod tests;
