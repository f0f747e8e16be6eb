//! `root`, `commits`, `inspect` and `prove`: reading the state directory, never writing it.

use std::path::Path;

use clap::Args;
use serde_json::json;
use shortcrust_store::{StorageClaim, StorageProof};

use super::{Open, commit_info, open_vm, resolve_root, session_at};
use crate::codec;
use crate::error::CliError;
use crate::format::{Align, Table, as_text, labelled, parse_contract_id, parse_hex, printable};
use crate::report::{Report, short_id};

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The contract id (64 hex digits).
    pub id: String,
    /// Inspect the contract at this retained root instead of the head.
    #[arg(long, value_name = "ROOT")]
    pub root: Option<String>,
}

#[derive(Args, Debug)]
pub struct ProveArgs {
    /// The contract id (64 hex digits).
    pub id: String,
    /// The storage key, in hex (or as text with --text).
    pub key: String,
    /// Take KEY as UTF-8 text (e.g. `count`) rather than hex.
    #[arg(long)]
    pub text: bool,
    /// Prove against this retained root instead of the head.
    #[arg(long, value_name = "ROOT")]
    pub root: Option<String>,
}

pub fn root(state: &Path) -> Result<Report, CliError> {
    let vm = open_vm(state, Open::Existing)?;
    let head = vm.store().head()?;
    let contracts = vm.store().view(&head)?.contracts()?.len();
    let info = commit_info(&vm, &head);
    let height = info.map(|c| c.height);
    Ok(Report {
        json: json!({
            "ok": true,
            "error": null,
            "root": head.to_string(),
            "height": height,
            "seq": info.map(|c| c.seq),
            "contracts": contracts,
        }),
        text: labelled(&[
            ("root".into(), head.to_string()),
            (
                "height".into(),
                height.map_or("unknown".into(), |h| h.to_string()),
            ),
            ("contracts".into(), contracts.to_string()),
        ]),
        success: true,
    })
}

pub fn commits(state: &Path) -> Result<Report, CliError> {
    let vm = open_vm(state, Open::Existing)?;
    let head = vm.store().head()?;
    let commits = vm.store().commits()?;
    let mut table = Table::new(&[
        ("seq", Align::Right),
        ("height", Align::Right),
        ("root", Align::Left),
        ("parent", Align::Left),
        ("", Align::Left),
    ]);
    let mut list = Vec::with_capacity(commits.len());
    for c in &commits {
        table.row(vec![
            c.seq.to_string(),
            c.height.to_string(),
            c.root.to_string(),
            c.parent.map_or("—".into(), |p| short_id(&p.to_string())),
            if c.root == head { "head" } else { "" }.to_string(),
        ]);
        list.push(json!({
            "root": c.root.to_string(),
            "parent": c.parent.map(|p| p.to_string()),
            "seq": c.seq,
            "height": c.height,
            "head": c.root == head,
        }));
    }
    Ok(Report {
        json: json!({ "ok": true, "error": null, "head": head.to_string(), "commits": list }),
        text: format!(
            "{}\n{} retained root(s); head {head}\n",
            table.render(),
            commits.len()
        ),
        success: true,
    })
}

pub fn inspect(state: &Path, args: &InspectArgs) -> Result<Report, CliError> {
    let id = parse_contract_id(&args.id)?;
    let vm = open_vm(state, Open::Existing)?;
    let root = resolve_root(&vm, args.root.as_deref())?;
    let view = vm.store().view(&root)?;
    let record = view
        .contract_record(&id)?
        .ok_or_else(|| CliError::UnknownContract(id.to_string(), root.to_string()))?;
    let code_len = view.code(&record.code_hash)?.map(|c| c.len());
    let entries = view.storage_entries(&id)?;
    let session = session_at(&vm, root, [0; 32])?;
    let schema = codec::contract_schema(&session, id)?;

    let signatures: Vec<String> = schema
        .iter()
        .flat_map(|s| s.entry_points.iter())
        .map(|e| {
            let args: Vec<String> = e
                .args
                .iter()
                .map(|a| format!("{}: {}", a.name, a.ty))
                .collect();
            format!("{}({}) -> {}", e.name, args.join(", "), e.returns)
        })
        .collect();
    let mut table = Table::new(&[
        ("key (text)", Align::Left),
        ("key (hex)", Align::Left),
        ("value bytes", Align::Right),
    ]);
    for e in &entries {
        table.row(vec![
            as_text(&e.key).unwrap_or("—").to_string(),
            hex::encode(&e.key),
            e.value_len.to_string(),
        ]);
    }
    let mut lines = vec![
        ("contract".to_string(), id.to_string()),
        ("root".to_string(), root.to_string()),
        ("owner".to_string(), hex::encode(record.owner)),
        ("code hash".to_string(), hex::encode(record.code_hash)),
        (
            "code size".to_string(),
            code_len.map_or("missing".into(), |n| format!("{n} bytes")),
        ),
        ("storage root".to_string(), hex::encode(record.storage_root)),
        ("storage keys".to_string(), entries.len().to_string()),
    ];
    if signatures.is_empty() {
        lines.push(("entry points".into(), "(no schema)".into()));
    }
    for (i, s) in signatures.iter().enumerate() {
        let label = if i == 0 { "entry points" } else { "" };
        lines.push((label.to_string(), s.clone()));
    }
    let mut text = labelled(&lines);
    if !entries.is_empty() {
        text.push('\n');
        text.push_str(&table.render());
    }
    Ok(Report {
        json: json!({
            "ok": true,
            "error": null,
            "contract": id.to_string(),
            "root": root.to_string(),
            "owner": hex::encode(record.owner),
            "code_hash": hex::encode(record.code_hash),
            "code_bytes": code_len,
            "storage_root": hex::encode(record.storage_root),
            "entry_points": signatures,
            "storage": entries.iter().map(|e| json!({
                "key": hex::encode(&e.key),
                "key_utf8": std::str::from_utf8(&e.key).ok(),
                "value_bytes": e.value_len,
            })).collect::<Vec<_>>(),
        }),
        text,
        success: true,
    })
}

pub fn prove(state: &Path, args: &ProveArgs) -> Result<Report, CliError> {
    let id = parse_contract_id(&args.id)?;
    let key = if args.text {
        args.key.as_bytes().to_vec()
    } else {
        parse_hex("KEY", &args.key).map_err(|_| {
            CliError::input("KEY", "not valid hex (pass --text to give the key as text)")
        })?
    };
    let vm = open_vm(state, Open::Existing)?;
    let root = resolve_root(&vm, args.root.as_deref())?;
    let proof = vm.store().view(&root)?.prove(&id, &key)?;
    let bytes = proof
        .to_bytes()
        .map_err(|e| CliError::Vm(format!("encoding the proof: {e}")))?;
    // Check what a light client would: decode the bytes and verify them against the root alone.
    let verdict = StorageProof::from_bytes(&bytes).and_then(|decoded| {
        let claim = match decoded.verify(&root, &id, &key)? {
            StorageClaim::NoContract => ("no_contract", None),
            StorageClaim::Absent(_) => ("absent", None),
            StorageClaim::Present(_, value) => ("present", Some(value.to_vec())),
        };
        Ok(claim)
    });
    let (claim, value, error) = match &verdict {
        Ok((claim, value)) => (Some(*claim), value.clone(), None),
        Err(e) => (None, None, Some(e.to_string())),
    };
    let verified = verdict.is_ok();
    let claim_text = match (claim, &value) {
        (Some("present"), Some(v)) => {
            format!("present, value {} ({} bytes)", hex::encode(v), v.len())
        }
        (Some("absent"), _) => {
            "absent: the contract exists and the key is not in its storage".into()
        }
        (Some(_), _) => "no contract with this id at this root".into(),
        (None, _) => "unknown".into(),
    };
    let verification = match &error {
        None => "verified against the root (from the encoded bytes alone)".to_string(),
        Some(e) => format!("FAILED: {e}"),
    };
    Ok(Report {
        json: json!({
            "ok": verified,
            "error": error,
            "contract": id.to_string(),
            "key": hex::encode(&key),
            "root": root.to_string(),
            "claim": claim,
            "value": value.as_ref().map(hex::encode),
            "proof": hex::encode(&bytes),
            "proof_bytes": bytes.len(),
            "verified": verified,
        }),
        text: labelled(&[
            ("contract".into(), id.to_string()),
            (
                "key".into(),
                format!("{} ({})", printable(&key), hex::encode(&key)),
            ),
            ("root".into(), root.to_string()),
            ("claim".into(), claim_text),
            ("proof".into(), format!("{} bytes", bytes.len())),
            ("".into(), hex::encode(&bytes)),
            ("check".into(), verification),
        ]),
        success: verified,
    })
}
