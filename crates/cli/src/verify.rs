//! `shortcrust verify …`: check a proof or a signature **through a contract and the host
//! function**, exactly as on chain, and report the verdict and the gas.
//!
//! Every kind deploys the example `verifier` contract (contracts/verifier: one entry point per
//! cryptographic host function, raw host encodings in, the host's `i32` status out) into a
//! throw-away VM and calls it once. `gas_spent` is that call's gas: the transaction base, the
//! contract's own work (decoding its arguments) and the host function's price.
//!
//! Inputs:
//! - `groth16`: snarkjs/circom JSON (`verification_key.json`, `proof.json`, `public.json`),
//!   converted by `shortcrust_crypto::snarkjs`;
//! - `plonk`: dusk-plonk's encodings (verifier data = `Verifier::to_bytes`, proof =
//!   `Proof::to_bytes`, public inputs = 32-byte little-endian scalars concatenated), each file
//!   either raw binary or hex text (optional `0x`, whitespace ignored): a file whose content is
//!   entirely hex digits is read as hex;
//! - `bls`: `--scheme ietf|dusk`, one key for a single signature, several comma-separated keys
//!   for an aggregate: with one `--msg` every key signed that message (fast aggregate), with one
//!   message per key (comma-separated) each signed its own (distinct);
//! - `ed25519`, `bip340`, `schnorr`: `--pk`, `--msg`, `--sig` in hex.
//!
//! Exit code 0 when the check ran, whatever the verdict (valid, invalid or malformed — see
//! `status`); 2 when an input could not be read; 1 when the verifier call itself failed (e.g.
//! `--gas` too low).

use std::path::{Path, PathBuf};

use borsh::BorshSerialize;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use shortcrust_abi::{bls_aggregate_mode, bls_scheme, status};
use shortcrust_vm::gas::HOST_CALL_BASE;
use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

use crate::error::CliError;
use crate::format::{gas, labelled, parse_hex, read_file};
use crate::report::Report;
use crate::run::DEFAULT_CALL_GAS;

#[derive(Subcommand, Debug)]
pub enum VerifyCommand {
    /// A Groth16 proof over BN254 from snarkjs JSON files.
    Groth16(Groth16Args),
    /// A dusk-plonk proof (binary or hex files).
    Plonk(PlonkArgs),
    /// A BLS12-381 signature, single or aggregate.
    Bls(BlsArgs),
    /// An Ed25519 signature (RFC 8032, strict).
    Ed25519(SignatureArgs),
    /// A BIP-340 Schnorr signature over secp256k1.
    Bip340(SignatureArgs),
    /// A Dusk Schnorr signature over JubJub (the message is one 32-byte scalar).
    Schnorr(SignatureArgs),
}

/// Gas limit of the verifier call.
#[derive(Args, Debug)]
pub struct GasArg {
    /// Gas limit of the verifier call.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CALL_GAS)]
    pub gas: u64,
}

#[derive(Args, Debug)]
pub struct Groth16Args {
    /// snarkjs `verification_key.json`.
    #[arg(long, value_name = "FILE")]
    pub vk: PathBuf,
    /// snarkjs `proof.json`.
    #[arg(long, value_name = "FILE")]
    pub proof: PathBuf,
    /// snarkjs `public.json`.
    #[arg(long, value_name = "FILE")]
    pub public: PathBuf,
    #[command(flatten)]
    pub gas: GasArg,
}

#[derive(Args, Debug)]
pub struct PlonkArgs {
    /// Verifier data (dusk-plonk `Verifier::to_bytes`), binary or hex.
    #[arg(long, value_name = "FILE")]
    pub vd: PathBuf,
    /// The proof (dusk-plonk `Proof::to_bytes`, 1008 bytes), binary or hex.
    #[arg(long, value_name = "FILE")]
    pub proof: PathBuf,
    /// Public inputs: 32-byte little-endian scalars concatenated, binary or hex.
    #[arg(long, value_name = "FILE")]
    pub public: PathBuf,
    #[command(flatten)]
    pub gas: GasArg,
}

/// The BLS schemes of `verify_bls`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Scheme {
    /// IETF min-pk, proof-of-possession ciphersuite (Ethereum consensus): 48-byte keys,
    /// 96-byte signatures.
    Ietf,
    /// Dusk's scheme: 96-byte keys, 48-byte signatures.
    Dusk,
}

#[derive(Args, Debug)]
pub struct BlsArgs {
    #[arg(long, value_enum)]
    pub scheme: Scheme,
    /// Public key(s) in hex, comma-separated for an aggregate signature.
    #[arg(
        long,
        value_name = "HEX[,HEX...]",
        value_delimiter = ',',
        required = true
    )]
    pub pk: Vec<String>,
    /// The message in hex; or one message per key, comma-separated.
    #[arg(
        long,
        value_name = "HEX[,HEX...]",
        value_delimiter = ',',
        required = true
    )]
    pub msg: Vec<String>,
    /// The (aggregate) signature in hex.
    #[arg(long, value_name = "HEX")]
    pub sig: String,
    #[command(flatten)]
    pub gas: GasArg,
}

#[derive(Args, Debug)]
pub struct SignatureArgs {
    /// Public key in hex.
    #[arg(long, value_name = "HEX")]
    pub pk: String,
    /// Message in hex.
    #[arg(long, value_name = "HEX")]
    pub msg: String,
    /// Signature in hex.
    #[arg(long, value_name = "HEX")]
    pub sig: String,
    #[command(flatten)]
    pub gas: GasArg,
}

/// One verifier call: the entry point, its borsh input, the host function's own price, and a
/// description of what is checked.
struct Check {
    kind: &'static str,
    entry: &'static str,
    input: Vec<u8>,
    host_gas: u64,
    detail: Vec<(String, String)>,
}

fn borsh<T: BorshSerialize>(value: &T) -> Result<Vec<u8>, CliError> {
    borsh::to_vec(value).map_err(|e| CliError::input("arguments", format!("do not encode: {e}")))
}

/// A file of bytes: hex text if it is entirely hex digits (optional `0x`, whitespace ignored),
/// else raw binary.
fn read_bytes_file(what: &str, path: &Path) -> Result<Vec<u8>, CliError> {
    let raw = read_file(path)?;
    let text: String = match std::str::from_utf8(&raw) {
        Ok(t) => t.split_whitespace().collect(),
        Err(_) => return Ok(raw),
    };
    let digits = text.strip_prefix("0x").unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return parse_hex(what, digits);
    }
    Ok(raw)
}

fn read_text_file(path: &Path) -> Result<String, CliError> {
    let raw = read_file(path)?;
    String::from_utf8(raw)
        .map_err(|_| CliError::input(path.display().to_string(), "not UTF-8 text"))
}

fn groth16(args: &Groth16Args) -> Result<Check, CliError> {
    let input = shortcrust_crypto::snarkjs::convert(
        &read_text_file(&args.vk)?,
        &read_text_file(&args.proof)?,
        &read_text_file(&args.public)?,
    )
    .map_err(|e| CliError::input("snarkjs files", e.to_string()))?;
    let public_inputs = input.public_inputs.len() / 32;
    Ok(Check {
        kind: "groth16",
        entry: "verify_groth16_bn254",
        host_gas: shortcrust_crypto::verify_groth16_bn254_gas(
            input.verifying_key.len(),
            input.proof.len(),
            input.public_inputs.len(),
        ),
        input: borsh(&(&input.verifying_key, &input.proof, &input.public_inputs))?,
        detail: vec![
            ("scheme".into(), "Groth16 over BN254 (snarkjs JSON)".into()),
            ("public inputs".into(), public_inputs.to_string()),
        ],
    })
}

fn plonk(args: &PlonkArgs) -> Result<Check, CliError> {
    let vd = read_bytes_file("--vd", &args.vd)?;
    let proof = read_bytes_file("--proof", &args.proof)?;
    let public = read_bytes_file("--public", &args.public)?;
    Ok(Check {
        kind: "plonk",
        entry: "verify_plonk",
        host_gas: shortcrust_crypto::plonk::verify_plonk_gas(vd.len(), proof.len(), public.len()),
        detail: vec![
            ("scheme".into(), "PLONK (dusk-plonk)".into()),
            ("verifier data".into(), format!("{} bytes", vd.len())),
            ("public inputs".into(), format!("{} bytes", public.len())),
        ],
        input: borsh(&(&vd, &proof, &public))?,
    })
}

fn bls(args: &BlsArgs) -> Result<Check, CliError> {
    let scheme = match args.scheme {
        Scheme::Ietf => bls_scheme::IETF_MIN_PK_POP,
        Scheme::Dusk => bls_scheme::DUSK_MIN_SIG,
    };
    let keys = args
        .pk
        .iter()
        .map(|k| parse_hex("--pk", k))
        .collect::<Result<Vec<_>, _>>()?;
    let messages = args
        .msg
        .iter()
        .map(|m| parse_hex("--msg", m))
        .collect::<Result<Vec<_>, _>>()?;
    let sig = parse_hex("--sig", &args.sig)?;
    let scheme_name = format!("BLS12-381, {:?}", args.scheme).to_lowercase();
    if let ([key], [message]) = (keys.as_slice(), messages.as_slice()) {
        return Ok(Check {
            kind: "bls",
            entry: "verify_bls",
            host_gas: shortcrust_crypto::verify_bls_gas(
                scheme,
                key.len(),
                message.len(),
                sig.len(),
            ),
            input: borsh(&(scheme, key, message, &sig))?,
            detail: vec![("scheme".into(), scheme_name)],
        });
    }
    let mode = match messages.len() {
        1 => bls_aggregate_mode::FAST,
        n if n == keys.len() => bls_aggregate_mode::DISTINCT,
        n => {
            return Err(CliError::input(
                "--msg",
                format!(
                    "give one message, or one per key ({} keys, {n} messages)",
                    keys.len()
                ),
            ));
        }
    };
    let all_keys: Vec<u8> = keys.concat();
    // The host's price counts the messages as the SDK frames them (length-prefixed).
    let framed = messages.iter().map(|m| m.len() + 4).sum::<usize>();
    let priced = if mode == bls_aggregate_mode::FAST {
        messages.first().map_or(0, Vec::len)
    } else {
        framed
    };
    Ok(Check {
        kind: "bls",
        entry: "verify_bls_aggregate",
        host_gas: shortcrust_crypto::verify_bls_aggregate_gas(
            scheme,
            mode,
            all_keys.len(),
            priced,
            sig.len(),
        ),
        input: borsh(&(scheme, mode, &all_keys, &messages, &sig))?,
        detail: vec![
            ("scheme".into(), scheme_name),
            (
                "aggregate".into(),
                format!(
                    "{} keys, {}",
                    keys.len(),
                    if mode == bls_aggregate_mode::FAST {
                        "one message (fast)"
                    } else {
                        "one message each (distinct)"
                    }
                ),
            ),
        ],
    })
}

fn signature(kind: &'static str, args: &SignatureArgs) -> Result<Check, CliError> {
    let pk = parse_hex("--pk", &args.pk)?;
    let msg = parse_hex("--msg", &args.msg)?;
    let sig = parse_hex("--sig", &args.sig)?;
    let (entry, host_gas, scheme) = match kind {
        "ed25519" => (
            "verify_ed25519",
            shortcrust_crypto::verify_ed25519_gas(pk.len(), msg.len(), sig.len()),
            "Ed25519 (RFC 8032, strict)",
        ),
        "bip340" => (
            "verify_bip340",
            shortcrust_crypto::verify_bip340_gas(pk.len(), msg.len(), sig.len()),
            "BIP-340 Schnorr over secp256k1",
        ),
        _ => (
            "verify_schnorr",
            shortcrust_crypto::verify_schnorr_gas(pk.len(), msg.len(), sig.len()),
            "Dusk Schnorr over JubJub",
        ),
    };
    Ok(Check {
        kind,
        entry,
        host_gas,
        input: borsh(&(&pk, &msg, &sig))?,
        detail: vec![("scheme".into(), scheme.into())],
    })
}

/// What a status means (`shortcrust_abi::status`).
pub fn status_meaning(code: i32) -> &'static str {
    match code {
        status::VALID => "valid",
        status::INVALID => "invalid: well-formed, but does not verify",
        status::ERR_LENGTH => "malformed: an argument has the wrong length",
        status::ERR_NOT_ON_CURVE => "malformed: a point is not on the curve or not canonical",
        status::ERR_NOT_IN_SUBGROUP => "malformed: a point is not in the prime-order subgroup",
        status::ERR_IDENTITY => "malformed: the identity where the scheme forbids it",
        status::ERR_UNKNOWN_SCHEME => "malformed: unknown scheme, mode or version",
        status::ERR_MALFORMED => "malformed encoding",
        status::ERR_TOO_MANY => "malformed: more inputs or keys than the limit",
        status::ERR_INTERNAL => "the native library failed (reported, never mistaken for invalid)",
        _ => "unknown status",
    }
}

pub fn verify(command: &VerifyCommand) -> Result<Report, CliError> {
    let (check, gas_limit) = match command {
        VerifyCommand::Groth16(a) => (groth16(a)?, a.gas.gas),
        VerifyCommand::Plonk(a) => (plonk(a)?, a.gas.gas),
        VerifyCommand::Bls(a) => (bls(a)?, a.gas.gas),
        VerifyCommand::Ed25519(a) => (signature("ed25519", a)?, a.gas.gas),
        VerifyCommand::Bip340(a) => (signature("bip340", a)?, a.gas.gas),
        VerifyCommand::Schnorr(a) => (signature("schnorr", a)?, a.gas.gas),
    };
    let vm = Vm::ephemeral()?;
    let mut session = vm.session(SessionConfig::default())?;
    let verifier = session
        .deploy(
            shortcrust_test_contracts::VERIFIER,
            DeployOptions::default(),
        )
        .map_err(|e| CliError::Vm(format!("deploying the verifier contract: {e}")))?;
    let receipt = session.call(verifier.id, check.entry, &check.input, gas_limit)?;
    let host_price = HOST_CALL_BASE.saturating_add(check.host_gas);
    let mut lines = check.detail.clone();
    let (code, error) = match &receipt.result {
        Ok(out) => match <[u8; 4]>::try_from(out.as_slice()) {
            Ok(bytes) => (Some(i32::from_le_bytes(bytes)), None),
            Err(_) => (
                None,
                Some(format!(
                    "the verifier returned {} bytes, not an i32",
                    out.len()
                )),
            ),
        },
        Err(e) => (None, Some(format!("the verifier call failed: {e}"))),
    };
    let valid = code == Some(status::VALID);
    match (code, &error) {
        (Some(c), _) => lines.push((
            "result".into(),
            format!("{} (status {c})", status_meaning(c)),
        )),
        (None, Some(e)) => lines.push(("result".into(), e.clone())),
        (None, None) => {}
    }
    lines.push((
        "gas".into(),
        format!(
            "{} for the call ({} of it the host function {})",
            gas(receipt.gas_spent),
            gas(host_price),
            check.entry
        ),
    ));
    let mut json = json!({
        "valid": valid,
        "status": code,
        "gas_spent": receipt.gas_spent,
        "kind": check.kind,
        "host_function": check.entry,
        "host_function_gas": host_price,
    });
    if let (Some(e), Some(map)) = (&error, json.as_object_mut()) {
        map.insert("error".into(), json!(e));
    }
    Ok(Report {
        json,
        text: labelled(&lines),
        success: code.is_some(),
    })
}
