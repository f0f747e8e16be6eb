//! Tests of the snarkjs conversion against a real circom + snarkjs proof
//! (`testdata/snarkjs/multiplier`).

use ark_bn254::Fr;
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use serde_json::{Value, json};
use shortcrust_abi::status;

use super::*;
use crate::groth16::{self, verify_groth16_bn254};

const VK: &str = include_str!("../../testdata/snarkjs/multiplier/verification_key.json");
const PROOF: &str = include_str!("../../testdata/snarkjs/multiplier/proof.json");
const PUBLIC: &str = include_str!("../../testdata/snarkjs/multiplier/public.json");

/// BN254's base-field modulus p, in decimal.
const P: &str = "21888242871839275222246405745257275088696311157297823662689037894645226208583";
/// BN254's scalar-field modulus r, in decimal.
const R: &str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";

fn edit(json: &str, change: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(json).expect("fixture is JSON");
    change(&mut value);
    value.to_string()
}

#[test]
fn the_real_snarkjs_proof_verifies_through_the_host_function() {
    let input = convert(VK, PROOF, PUBLIC).expect("fixture converts");
    assert_eq!(input.public_inputs.len(), 64);
    assert_eq!(
        input.verifying_key.len(),
        groth16::verifying_key_len(2).expect("small")
    );
    assert_eq!(input.proof.len(), groth16::PROOF_LEN);
    assert_eq!(
        verify_groth16_bn254(&input.verifying_key, &input.proof, &input.public_inputs),
        status::VALID
    );
    // The per-file converters agree with `convert`.
    assert_eq!(
        verifying_key_from_json(VK).expect("vk"),
        input.verifying_key
    );
    assert_eq!(proof_from_json(PROOF).expect("proof"), input.proof);
    assert_eq!(
        public_inputs_from_json(PUBLIC).expect("public"),
        input.public_inputs
    );
    assert_eq!(crate::groth16::testkit::snarkjs_multiplier(), input);
}

#[test]
fn public_signals_are_big_endian_in_snarkjs_order() {
    let inputs = public_inputs_from_json(PUBLIC).expect("public");
    // public.json = ["33", "12345678901234567890"]: the output c = 3 · 11 first.
    assert_eq!(inputs[31], 33);
    assert!(inputs[..31].iter().all(|b| *b == 0));
    assert_eq!(&inputs[56..64], &12345678901234567890u64.to_be_bytes());
}

#[test]
fn a_changed_public_signal_fails() {
    let input = convert(VK, PROOF, PUBLIC).expect("fixture converts");
    for public in [
        r#"["34", "12345678901234567890"]"#,
        r#"["33", "12345678901234567891"]"#,
        r#"["12345678901234567890", "33"]"#,
    ] {
        let changed = public_inputs_from_json(public).expect("valid signals");
        assert_eq!(
            verify_groth16_bn254(&input.verifying_key, &input.proof, &changed),
            status::INVALID,
            "{public}"
        );
    }
}

#[test]
fn swapped_g2_coordinates_are_off_the_curve() {
    // Ethereum's calldata order [x.c1, x.c0] is not snarkjs' JSON order.
    let swapped = edit(VK, |v| {
        for coordinate in v["vk_beta_2"]
            .as_array_mut()
            .expect("array")
            .iter_mut()
            .take(2)
        {
            coordinate.as_array_mut().expect("pair").reverse();
        }
    });
    assert!(matches!(
        parse_verifying_key(&swapped),
        Err(SnarkjsError::NotOnCurve { field }) if field == "vk_beta_2"
    ));
    let swapped = edit(PROOF, |v| {
        v["pi_b"][0].as_array_mut().expect("pair").reverse()
    });
    assert!(
        matches!(parse_proof(&swapped), Err(SnarkjsError::NotOnCurve { field }) if field == "pi_b")
    );
}

#[test]
fn precise_errors() {
    assert!(matches!(
        parse_verifying_key("{"),
        Err(SnarkjsError::Json {
            file: "verification_key.json",
            ..
        })
    ));
    assert!(matches!(
        parse_proof("[]"),
        Err(SnarkjsError::Json {
            file: "proof.json",
            ..
        })
    ));
    assert!(matches!(
        parse_public_signals("[1, 2]"),
        Err(SnarkjsError::Json {
            file: "public.json",
            ..
        })
    ));

    let plonk = edit(VK, |v| v["protocol"] = json!("plonk"));
    assert!(
        matches!(parse_verifying_key(&plonk), Err(SnarkjsError::Protocol { found, .. }) if found == "plonk")
    );
    let bls = edit(VK, |v| v["curve"] = json!("bls12381"));
    assert!(
        matches!(parse_verifying_key(&bls), Err(SnarkjsError::Curve { found, .. }) if found == "bls12381")
    );
    let bls = edit(PROOF, |v| v["curve"] = json!("bls12381"));
    assert!(matches!(parse_proof(&bls), Err(SnarkjsError::Curve { .. })));

    let hex = edit(VK, |v| v["vk_alpha_1"][0] = json!("0x1f"));
    assert!(
        matches!(parse_verifying_key(&hex), Err(SnarkjsError::NotDecimal { field, .. }) if field == "vk_alpha_1.x")
    );
    let at_p = edit(VK, |v| v["IC"][1][1] = json!(P));
    assert!(matches!(
        parse_verifying_key(&at_p),
        Err(SnarkjsError::NotCanonical { field, modulus: "base field", .. }) if field == "IC[1].y"
    ));
    let huge = edit(PROOF, |v| v["pi_a"][0] = json!("9".repeat(100)));
    assert!(matches!(
        parse_proof(&huge),
        Err(SnarkjsError::NotCanonical { .. })
    ));
    assert!(matches!(
        parse_public_signals(&format!(r#"["1", "{R}"]"#)),
        Err(SnarkjsError::NotCanonical { field, modulus: "scalar field", .. }) if field == "public[1]"
    ));
    // r − 1 is the largest public signal.
    let largest = (-Fr::from(1u8)).into_bigint().to_string();
    assert!(parse_public_signals(&format!(r#"["{largest}"]"#)).is_ok());

    let off_curve = edit(PROOF, |v| v["pi_a"][1] = json!("1"));
    assert!(
        matches!(parse_proof(&off_curve), Err(SnarkjsError::NotOnCurve { field }) if field == "pi_a")
    );
    let projective = edit(PROOF, |v| v["pi_c"][2] = json!("2"));
    assert!(
        matches!(parse_proof(&projective), Err(SnarkjsError::NotAffine { field }) if field == "pi_c")
    );
    let short = edit(VK, |v| v["vk_delta_2"] = json!([["1", "2"]]));
    assert!(
        matches!(parse_verifying_key(&short), Err(SnarkjsError::Shape { field, .. }) if field == "vk_delta_2")
    );

    let n_public = edit(VK, |v| v["nPublic"] = json!(3));
    assert!(matches!(
        parse_verifying_key(&n_public),
        Err(SnarkjsError::IcCount { n_public: 3, ic: 3 })
    ));
    assert!(matches!(
        convert(VK, PROOF, r#"["33"]"#),
        Err(SnarkjsError::PublicCount {
            expected: 2,
            found: 1
        })
    ));
    // Every error names its culprit in its message.
    let message = parse_verifying_key(&at_p).expect_err("bad").to_string();
    assert!(
        message.contains("IC[1].y") && message.contains("base field"),
        "{message}"
    );
}

#[test]
fn points_outside_the_g2_subgroup_are_rejected() {
    use ark_bn254::{Fq, Fq2, G2Affine};
    let outside = (1u64..)
        .filter_map(|x| {
            G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(x), Fq::from(0u8)), false)
        })
        .find(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        .expect("twist points outside the subgroup abound");
    let (x, y) = (outside.x, outside.y);
    let decimal = |f: Fq| f.into_bigint().to_string();
    let json = edit(PROOF, |v| {
        v["pi_b"] = json!([
            [decimal(x.c0), decimal(x.c1)],
            [decimal(y.c0), decimal(y.c1)],
            ["1", "0"]
        ]);
    });
    assert!(
        matches!(parse_proof(&json), Err(SnarkjsError::NotInSubgroup { field }) if field == "pi_b")
    );
}

#[test]
fn infinity_is_accepted_where_snarkjs_writes_it() {
    let json = edit(PROOF, |v| v["pi_a"] = json!(["0", "1", "0"]));
    let proof = parse_proof(&json).expect("infinity is a valid point");
    assert!(proof.a.is_zero());
}
