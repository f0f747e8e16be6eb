//! `shortcrust light verify`: a light client. Checks that a contract's key holds a value at a
//! final block, trusting only the validator set (and the chain id): the block header, its
//! finalization certificate and the state proof come from any node (`--rpc`), or from a bundle
//! saved earlier (`--from FILE`, no network at all). The checks themselves are
//! `shortcrust_node::consensus::light::verify_value`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use shortcrust_node::consensus::light::{FinalValue, verify_value};
use shortcrust_node::consensus::namespace;
use shortcrust_node::validator::{Peer, ValidatorConfig, validator_set};
use shortcrust_vm::ContractId;

use crate::client::Remote;
use crate::error::CliError;
use crate::format::{parse_hex, parse_hex32};
use crate::report::Report;

#[derive(Subcommand, Debug)]
pub enum LightCommand {
    /// Check that a key has a value at a final block (certificate + validator set + state
    /// proof, all checked locally).
    Verify(VerifyArgs),
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The contract (64 hex digits).
    #[arg(long)]
    pub contract: String,
    /// The storage key (hex).
    #[arg(long)]
    pub key: String,
    /// The value the key must hold (hex; `absent` for no value). Without it, the proven value
    /// is printed.
    #[arg(long)]
    pub value: Option<String>,
    /// The block height (default: the node's head).
    #[arg(long)]
    pub height: Option<u64>,
    /// The validator set and chain from a validator configuration file (`shortcrust devnet`
    /// writes them): its `validators` list and its genesis' chain id.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["validators", "chain_id"])]
    pub config: Option<PathBuf>,
    /// The validator set: comma-separated Ed25519 public keys (64 hex digits each).
    #[arg(long, value_delimiter = ',', requires = "chain_id")]
    pub validators: Vec<String>,
    /// The chain id (with --validators).
    #[arg(long)]
    pub chain_id: Option<u64>,
    /// Verify a bundle saved with --save instead of asking a node (fully offline).
    #[arg(long, value_name = "FILE", conflicts_with = "save")]
    pub from: Option<PathBuf>,
    /// Save what the node served (header, certificate, proof) to FILE, for --from later.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

pub fn light(remote: &Remote, command: &LightCommand) -> Result<Report, CliError> {
    match command {
        LightCommand::Verify(args) => verify(remote, args),
    }
}

fn field<'a>(bundle: &'a Value, name: &str) -> Result<&'a str, CliError> {
    bundle
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| CliError::input("bundle", format!("no `{name}` string in it")))
}

/// What a node serves for a light client: the finalization and the proof at one height.
fn fetch(remote: &Remote, args: &VerifyArgs) -> Result<Value, CliError> {
    let client = remote.client()?;
    let rpc = |e: shortcrust_node::client::ClientError| CliError::Vm(e.to_string());
    let params = args.height.map(|h| vec![json!(h)]).unwrap_or_default();
    let fin = client.request("sc_getFinalization", params).map_err(rpc)?;
    let height = fin.get("height").and_then(Value::as_u64).unwrap_or(0);
    if fin.get("certificate").is_none_or(Value::is_null) {
        return Err(CliError::Vm(format!(
            "the node has no finalization certificate for height {height} (a one-node chain's \
             blocks have none)"
        )));
    }
    let proof = client
        .request(
            "sc_getProof",
            vec![json!(args.contract), json!(args.key), json!(height)],
        )
        .map_err(rpc)?;
    Ok(json!({
        "height": height,
        "header": fin.get("header"),
        "certificate": fin.get("certificate"),
        "descendants": fin.get("descendants"),
        "contract": args.contract,
        "key": args.key,
        "proof": proof.get("proof"),
    }))
}

/// The validator set and chain id the user trusts.
fn trusted(args: &VerifyArgs) -> Result<(Vec<Peer>, u64), CliError> {
    if let Some(path) = &args.config {
        let config = ValidatorConfig::from_file(path).map_err(|e| CliError::Vm(e.to_string()))?;
        let genesis = shortcrust_chain::Genesis::from_file(&config.genesis)
            .map_err(|e| CliError::Vm(format!("genesis: {e}")))?;
        return Ok((config.validators, genesis.params.chain_id));
    }
    let Some(chain_id) = args.chain_id else {
        return Err(CliError::input(
            "--validators",
            "give the validator set: --config FILE, or --validators KEYS --chain-id N",
        ));
    };
    let peers = args
        .validators
        .iter()
        .map(|k| Peer {
            public_key: k.clone(),
            address: ([0, 0, 0, 0], 0).into(),
        })
        .collect();
    Ok((peers, chain_id))
}

fn verify(remote: &Remote, args: &VerifyArgs) -> Result<Report, CliError> {
    let (peers, chain_id) = trusted(args)?;
    let validators =
        validator_set(&peers).map_err(|e| CliError::input("validators", e.to_string()))?;
    let bundle = match &args.from {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadFile {
                path: path.clone(),
                source,
            })?;
            serde_json::from_str(&text)
                .map_err(|e| CliError::input(path.display().to_string(), e.to_string()))?
        }
        None => fetch(remote, args)?,
    };
    if let Some(path) = &args.save {
        let text = serde_json::to_string_pretty(&bundle).unwrap_or_default();
        std::fs::write(path, text).map_err(|source| CliError::WriteFile {
            path: path.clone(),
            source,
        })?;
    }
    let contract = ContractId(parse_hex32("--contract", &args.contract)?);
    let key = parse_hex("--key", &args.key)?;
    if field(&bundle, "contract")? != args.contract || field(&bundle, "key")? != args.key {
        return Err(CliError::input(
            "bundle",
            "it holds a proof of another contract or key",
        ));
    }
    let header = parse_hex("bundle header", field(&bundle, "header")?)?;
    let certificate = parse_hex("bundle certificate", field(&bundle, "certificate")?)?;
    let proof = parse_hex("bundle proof", field(&bundle, "proof")?)?;
    let descendants = bundle
        .get("descendants")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|d| parse_hex("bundle descendant", d.as_str().unwrap_or("")))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    let checked = verify_value(
        &namespace(chain_id),
        &validators,
        &header,
        &descendants,
        &certificate,
        &proof,
        &contract,
        &key,
    );
    Ok(report(args, validators.len(), checked))
}

fn report(
    args: &VerifyArgs,
    validators: usize,
    checked: Result<FinalValue, shortcrust_node::consensus::light::LightError>,
) -> Report {
    let found = match checked {
        Ok(found) => found,
        Err(e) => {
            return Report {
                json: json!({"ok": false, "error": e.to_string()}),
                text: format!("NOT VERIFIED: {e}\n"),
                success: false,
            };
        }
    };
    let shown = found
        .value
        .as_ref()
        .map_or_else(|| "absent".to_string(), hex::encode);
    let expected_matches = match args.value.as_deref() {
        None => true,
        Some("absent") => found.value.is_none(),
        Some(v) => hex::decode(v.trim()).ok() == found.value,
    };
    let mut text = format!(
        "block {} ({}) is final: its certificate carries a quorum of the {validators} validators' \
         signatures\nstate root {}\ncontract {} key {} = {shown}\n",
        found.height, found.block, found.state_root, args.contract, args.key
    );
    let error = if expected_matches {
        text.push_str("VERIFIED\n");
        None
    } else {
        let e = format!(
            "the key holds {shown}, not {}",
            args.value.as_deref().unwrap_or("")
        );
        text.push_str(&format!("NOT VERIFIED: {e}\n"));
        Some(e)
    };
    Report {
        json: json!({
            "ok": expected_matches,
            "error": error,
            "height": found.height,
            "block": found.block.to_string(),
            "state_root": found.state_root.to_string(),
            "value": found.value.as_ref().map(hex::encode),
        }),
        text,
        success: expected_matches,
    }
}
