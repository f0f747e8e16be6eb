//! The CLI as a client of a node (`--rpc URL`): transactions signed with a local key
//! (`--key NAME`, see `keys`) and sent over JSON-RPC, queries and lookups answered by the node.

pub mod keys;

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde_json::{Value, json};
use shortcrust_chain::{AccountId, Action, SigningKey};
use shortcrust_node::client::{Client, ClientError, sign};

use crate::error::CliError;
use crate::format::parse_hex32;
use crate::report::Report;
use crate::state::tx::{CallArgs, DeployArgs};

/// The client flags: where the node is and which local key signs.
#[derive(Clone, Debug, Default)]
pub struct Remote {
    pub rpc: Option<String>,
    pub key: Option<String>,
    pub keys: Option<PathBuf>,
}

/// How long `deploy`, `call` and `transfer` wait for inclusion.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(60);
/// Gas price of the transactions the CLI signs (the mempool's default minimum).
const GAS_PRICE: u64 = 1;

#[derive(Args, Debug)]
pub struct TransferArgs {
    /// The recipient: an account id or contract id (64 hex digits).
    pub to: String,
    /// The amount, in the smallest unit.
    pub amount: u128,
}

#[derive(Args, Debug)]
pub struct TxArgs {
    /// The transaction hash.
    pub hash: String,
}

#[derive(Args, Debug)]
pub struct BlockArgs {
    /// A height or a block hash (default: the head).
    pub block: Option<String>,
    /// Include whole transactions, not only their hashes.
    #[arg(long)]
    pub full: bool,
}

#[derive(Args, Debug)]
pub struct AccountArgs {
    /// An account id (default: the account of --key).
    pub account: Option<String>,
}

fn rpc_err(e: ClientError) -> CliError {
    CliError::Vm(e.to_string())
}

impl Remote {
    pub(crate) fn client(&self) -> Result<Client, CliError> {
        let url = self.rpc.as_deref().ok_or_else(|| {
            CliError::input("--rpc", "this command talks to a node: give --rpc URL")
        })?;
        Client::new(url).map_err(rpc_err)
    }

    fn signing_key(&self) -> Result<SigningKey, CliError> {
        let name = self.key.as_deref().ok_or_else(|| {
            CliError::input(
                "--key",
                "transactions are signed with a local key: give --key NAME",
            )
        })?;
        keys::load(&keys::keystore(self.keys.as_deref())?, name)
    }

    /// Signs `action` with the key, sends it, waits for its receipt.
    fn transact(&self, action: Action, extra_gas: u64) -> Result<(Client, Value), CliError> {
        let client = self.client()?;
        let key = self.signing_key()?;
        let chain_id = client.chain_id().map_err(rpc_err)?;
        let nonce = client.nonce(&key).map_err(rpc_err)?;
        let tx = sign(&key, chain_id, nonce, extra_gas, GAS_PRICE, action)
            .map_err(|e| CliError::input("transaction", e.to_string()))?;
        let hash = client.send(&tx).map_err(rpc_err)?;
        let included = client
            .wait_included(&hash, INCLUSION_TIMEOUT)
            .map_err(rpc_err)?;
        Ok((client, included))
    }
}

/// A report of an included transaction: success is its receipt's status.
fn tx_report(v: Value, headline: String) -> Report {
    let receipt = &v["receipt"].clone();
    let ok = receipt["status"] == "ok";
    let mut text = headline;
    text.push_str(&format!(
        "transaction {}\n  block       {} (index {})\n  status      {}{}\n  gas used    {}\n  fee         {}\n",
        v["hash"].as_str().unwrap_or(""),
        v["block_height"],
        v["index"],
        receipt["status"].as_str().unwrap_or("?"),
        receipt["error"].as_str().map(|e| format!(": {e}")).unwrap_or_default(),
        receipt["gas_used"],
        receipt["fee"].as_str().unwrap_or(""),
    ));
    if let Some(out) = receipt["output"].as_str().filter(|o| !o.is_empty()) {
        text.push_str(&format!("  output      {out}\n"));
    }
    for e in receipt["events"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  event       {} {}\n",
            e["topic"].as_str().unwrap_or(""),
            if e["decoded"].is_null() {
                e["data"].clone()
            } else {
                e["decoded"]["fields"].clone()
            }
        ));
    }
    for c in receipt["calls"].as_array().into_iter().flatten() {
        let depth = c["depth"].as_u64().unwrap_or(1) as usize;
        text.push_str(&format!(
            "  call        {}{} {} gas\n",
            "  ".repeat(depth.saturating_sub(1)),
            c["entry"].as_str().unwrap_or(""),
            c["gas_spent"],
        ));
    }
    let mut json = v;
    if let Some(map) = json.as_object_mut() {
        map.insert("ok".into(), Value::Bool(ok));
        map.insert("error".into(), receipt["error"].clone());
    }
    Report {
        json,
        text,
        success: ok,
    }
}

pub fn deploy(remote: &Remote, args: &DeployArgs) -> Result<Report, CliError> {
    let code = std::fs::read(&args.file).map_err(|source| CliError::ReadFile {
        path: args.file.clone(),
        source,
    })?;
    let gas = args
        .gas
        .unwrap_or_else(|| shortcrust_vm::gas::deploy_cost(code.len()).saturating_add(100_000_000));
    let (_, v) = remote.transact(
        Action::Deploy {
            code,
            init: None,
            nonce: args.nonce,
        },
        gas,
    )?;
    let contract = v["receipt"]["contract"].as_str().unwrap_or("").to_string();
    let mut r = tx_report(v, format!("contract {contract}\n"));
    if let Some(map) = r.json.as_object_mut() {
        map.insert("contract".into(), Value::String(contract));
    }
    Ok(r)
}

fn schema_args(
    client: &Client,
    id: &str,
    entry: &str,
    args: Option<&str>,
) -> Result<Vec<u8>, CliError> {
    let Some(text) = args else {
        return Ok(Vec::new());
    };
    let contract = client
        .request("sc_getContract", vec![Value::String(id.to_string())])
        .map_err(rpc_err)?;
    let schema = contract["schema"].clone();
    if schema.is_null() {
        return Err(CliError::input(
            "JSON_ARGS",
            "the contract carries no schema, so JSON arguments cannot be encoded; use --input HEX",
        ));
    }
    let schema = shortcrust_sdk::schema::Schema::parse(&schema.to_string())
        .map_err(|e| CliError::Vm(format!("the schema of {id} does not parse ({e})")))?;
    let args: Value = serde_json::from_str(text)
        .map_err(|e| CliError::input("JSON_ARGS", format!("not valid JSON ({e})")))?;
    schema
        .entry(entry)
        .map_err(|e| CliError::input("ENTRY", e.to_string()))?
        .encode_args(&args)
        .map_err(|e| CliError::input("JSON_ARGS", e.to_string()))
}

/// `call` (a signed transaction, `commit`) or `query` (read-only, answered by the node).
pub fn call(remote: &Remote, args: &CallArgs, commit: bool) -> Result<Report, CliError> {
    let id = hex::encode(parse_hex32("ID", &args.id)?);
    if !commit {
        let client = remote.client()?;
        let mut request = json!({"contract": id, "entry": args.entry, "gas": args.gas});
        if let Some(h) = &args.input {
            request["input"] = Value::String(h.clone());
        }
        if let Some(a) = &args.args {
            request["args"] = serde_json::from_str(a)
                .map_err(|e| CliError::input("JSON_ARGS", format!("not valid JSON ({e})")))?;
        }
        if let Some(s) = &args.sender {
            request["caller"] = Value::String(hex::encode(parse_hex32("--sender", s)?));
        } else if let Ok(key) = remote.signing_key() {
            request["caller"] = Value::String(AccountId::from(&key.verifying_key()).to_string());
        }
        let v = client.request("sc_call", vec![request]).map_err(rpc_err)?;
        let ok = v["ok"] == true;
        let text = format!(
            "{}\n  gas spent   {}\n  output      {}\n{}",
            if ok {
                "ok".to_string()
            } else {
                format!("failed: {}", v["error"].as_str().unwrap_or(""))
            },
            v["gas_spent"],
            if v["decoded"].is_null() {
                v["output"].to_string()
            } else {
                v["decoded"].to_string()
            },
            v["events"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| format!(
                    "  event       {} {}\n",
                    e["topic"].as_str().unwrap_or(""),
                    e["decoded"]
                ))
                .collect::<String>(),
        );
        return Ok(Report {
            json: v,
            text,
            success: ok,
        });
    }
    let client = remote.client()?;
    let input = match &args.input {
        Some(h) => {
            hex::decode(h).map_err(|e| CliError::input("--input", format!("not hex ({e})")))?
        }
        None => schema_args(&client, &id, &args.entry, args.args.as_deref())?,
    };
    let contract = parse_hex32("ID", &id)?;
    let (_, v) = remote.transact(
        Action::Call {
            contract,
            entry: args.entry.clone(),
            input,
            amount: 0,
        },
        args.gas,
    )?;
    Ok(tx_report(v, String::new()))
}

pub fn transfer(remote: &Remote, args: &TransferArgs) -> Result<Report, CliError> {
    let to = AccountId(parse_hex32("TO", &args.to)?);
    let (_, v) = remote.transact(
        Action::Transfer {
            to,
            amount: args.amount,
        },
        0,
    )?;
    Ok(tx_report(
        v,
        format!("transferred {} to {to}\n", args.amount),
    ))
}

fn pretty(v: Value) -> Report {
    let text = serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    Report {
        json: v,
        text,
        success: true,
    }
}

pub fn tx(remote: &Remote, args: &TxArgs) -> Result<Report, CliError> {
    let hash = hex::encode(parse_hex32("HASH", &args.hash)?);
    let v = remote
        .client()?
        .request("sc_getTransaction", vec![Value::String(hash)])
        .map_err(rpc_err)?;
    Ok(pretty(v))
}

pub fn block(remote: &Remote, args: &BlockArgs) -> Result<Report, CliError> {
    let client = remote.client()?;
    let full = Value::Bool(args.full);
    let v = match args.block.as_deref() {
        None | Some("latest") => client.request("sc_latestBlock", vec![full]),
        Some(b) if b.len() == 64 => client.request(
            "sc_getBlockByHash",
            vec![Value::String(hex::encode(parse_hex32("BLOCK", b)?)), full],
        ),
        Some(b) => {
            let height: u64 = b
                .parse()
                .map_err(|_| CliError::input("BLOCK", "a height or a 64-digit block hash"))?;
            client.request("sc_getBlockByHeight", vec![json!(height), full])
        }
    }
    .map_err(rpc_err)?;
    Ok(pretty(v))
}

pub fn account(remote: &Remote, args: &AccountArgs) -> Result<Report, CliError> {
    let id = match &args.account {
        Some(a) => AccountId(parse_hex32("ACCOUNT", a)?),
        None => AccountId::from(&remote.signing_key()?.verifying_key()),
    };
    let v = remote
        .client()?
        .request("sc_getAccount", vec![Value::String(id.to_string())])
        .map_err(rpc_err)?;
    let text = format!(
        "account {id}\n  balance     {}\n  nonce       {}\n",
        v["balance"].as_str().unwrap_or(""),
        v["nonce"]
    );
    Ok(Report {
        json: v,
        text,
        success: true,
    })
}
