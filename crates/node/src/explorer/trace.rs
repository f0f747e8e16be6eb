//! `sc_traceTransaction`: the call tree of an included transaction with the split of each
//! frame's gas (initial memory, each host function, its own instructions, its callees).
//!
//! A stored receipt keeps, per frame, only what consensus needs (depth, contract, entry, gas
//! limit, gas spent, error): the per-host-function split is the VM's trace, not consensus data.
//! So the trace re-executes: a throw-away session on the parent block's state runs the VM
//! action of every transaction of the block up to the wanted one (contracts cannot read
//! balances or nonces, so the fee and amount bookkeeping of the chain does not change what they
//! see), and is dropped, never committed. The replayed frames are compared with the stored
//! receipt's; any difference is reported as an error instead of a wrong trace.

use jsonrpsee::types::{ErrorObjectOwned, Params};
use serde_json::{Value, json};
use shortcrust_chain::{Action, Hash32, Receipt};
use shortcrust_vm::{CallRecord, Context, ContractId, DeployOptions, Session, SessionConfig};

use crate::error::{RpcCode, internal, invalid_params};
use crate::node::Node;

/// `sc_traceTransaction [hash]`.
pub(crate) fn trace_transaction(p: &Params, node: &Node) -> Result<Value, ErrorObjectOwned> {
    let hash: String = p.one().map_err(|e| invalid_params(e.message()))?;
    let bytes: [u8; 32] = hex::decode(&hash)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| invalid_params("transaction hash: 64 hex digits"))?;
    let hash = Hash32(bytes);
    let loc = node
        .db()
        .tx_location(&hash)
        .map_err(internal)?
        .ok_or_else(|| {
            RpcCode::UnknownTransaction.err(format!("no included transaction {hash}"))
        })?;
    let missing = || internal("an indexed block is missing");
    let block = node
        .db()
        .block(loc.height)
        .map_err(internal)?
        .ok_or_else(missing)?;
    let receipts = node
        .db()
        .receipts(loc.height)
        .map_err(internal)?
        .ok_or_else(missing)?;
    let parent = node
        .db()
        .block(loc.height.saturating_sub(1))
        .map_err(internal)?
        .ok_or_else(missing)?;
    let params = node.params();
    let mut session = node
        .vm()
        .session(SessionConfig {
            root: Some(parent.header.state_root()),
            context: Context::default(),
        })
        .map_err(internal)?;
    let index = loc.index as usize;
    let mut frames = Vec::new();
    for (i, tx) in block.transactions.iter().enumerate().take(index + 1) {
        let checked = tx.check(&params).map_err(internal)?;
        let body = tx.tx.v1();
        session.set_context(Context {
            block_height: block.header.height,
            block_timestamp: block.header.timestamp,
            chain_id: params.chain_id,
            protocol_version: params.protocol_version,
            sender: checked.sender.0,
        });
        let vm_gas = body.gas_limit.saturating_sub(checked.intrinsic_gas);
        frames = replay(&mut session, &body.action, checked.sender.0, vm_gas);
        if i == index {
            break;
        }
    }
    let stored = receipts.get(index).ok_or_else(missing)?;
    check_same(&frames, stored)?;
    let calls: Vec<Value> = frames
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // Direct callees: the following frames one level deeper, until one at this depth.
            let callees: u64 = frames[i + 1..]
                .iter()
                .take_while(|f| f.depth > c.depth)
                .filter(|f| f.depth == c.depth + 1)
                .map(|f| f.gas_spent)
                .sum();
            json!({
                "depth": c.depth,
                "contract": c.contract.to_string(),
                "entry": c.entry,
                "gas_limit": c.gas_limit,
                "gas_spent": c.gas_spent,
                "error": c.error.as_ref().map(|e| e.to_string()),
                "memory_gas": c.memory_gas,
                "callees_gas": callees,
                "instruction_gas": c.instruction_gas(callees),
                "host": c.host_gas.iter().map(|h| json!({
                    "name": h.name, "calls": h.calls, "gas": h.gas,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({
        "hash": hash.to_string(),
        "block_height": loc.height,
        "index": loc.index,
        "calls": calls,
    }))
}

/// Runs one transaction's VM action as `apply` does; returns its frames (none for a transfer
/// or a refused action).
fn replay(
    session: &mut Session,
    action: &Action,
    sender: [u8; 32],
    vm_gas: u64,
) -> Vec<CallRecord> {
    match action {
        Action::Transfer { .. } => Vec::new(),
        Action::Call {
            contract,
            entry,
            input,
            ..
        } => session
            .call(ContractId(*contract), entry, input, vm_gas)
            .map(|r| r.calls)
            .unwrap_or_default(),
        Action::Deploy { code, init, nonce } => {
            let savepoint = init.as_ref().map(|_| session.savepoint());
            let options = DeployOptions {
                owner: sender,
                nonce: *nonce,
                gas_limit: vm_gas,
            };
            let Ok(deployed) = session.deploy(code, options) else {
                return Vec::new();
            };
            let (Some((entry, input)), Some(savepoint)) = (init, savepoint) else {
                return Vec::new();
            };
            let left = vm_gas.saturating_sub(deployed.gas_spent);
            match session.call(deployed.id, entry, input, left) {
                Ok(r) => {
                    if r.result.is_err() {
                        session.restore(savepoint);
                    }
                    r.calls
                }
                Err(_) => {
                    session.restore(savepoint);
                    Vec::new()
                }
            }
        }
    }
}

/// The replayed frames must be the stored receipt's.
fn check_same(frames: &[CallRecord], stored: &Receipt) -> Result<(), ErrorObjectOwned> {
    let same = frames.len() == stored.calls.len()
        && frames.iter().zip(&stored.calls).all(|(f, s)| {
            f.depth == s.depth
                && f.contract.0 == s.contract
                && f.entry == s.entry
                && f.gas_limit == s.gas_limit
                && f.gas_spent == s.gas_spent
                && f.error.as_ref().map(|e| e.to_string()) == s.error
        });
    if same {
        Ok(())
    } else {
        Err(internal(
            "the replayed call tree differs from the stored receipt: no trace",
        ))
    }
}
