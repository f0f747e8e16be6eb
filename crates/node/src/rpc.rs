//! The JSON-RPC 2.0 server (HTTP and WebSocket on one port, `jsonrpsee`).
//!
//! # Methods
//!
//! Hashes, ids, keys and byte strings are lowercase hex without `0x`; amounts above 2⁵³
//! (balances, fees) are decimal strings. A `block` parameter is a height (number), a block hash
//! (hex), or absent / `"latest"` for the head.
//!
//! | method | params | result |
//! |---|---|---|
//! | `sc_sendTransaction` | `[tx]`: hex of a borsh `SignedTransaction` | transaction hash |
//! | `sc_sendTransactions` | `[[tx, ...]]` (at most 10,000) | `[{"hash"} or {"error": {code, message}}]`, signatures verified on all cores |
//! | `sc_getTransaction` | `[hash]` | the transaction, `status` `"pending"` or `"included"`, with its receipt (status, error, gas, fee, output, events, call tree with gas per frame) |
//! | `sc_getBlockByHeight` | `[height, full?]` | the block (header fields, `hash`, transaction hashes, or whole transactions with `full`) |
//! | `sc_getBlockByHash` | `[hash, full?]` | the same |
//! | `sc_latestBlock` | `[full?]` | the head block |
//! | `sc_call` | `[{"contract", "entry", "input"?: hex, "args"?: JSON, "block"?, "gas"?}]` | read-only call: `{ok, error, gas_spent, output, decoded?, events}` |
//! | `sc_getAccount` | `[account id, block?]` | `{balance, nonce}` |
//! | `sc_getContract` | `[contract id, block?]` | `{id, code_hash, size, owner, schema}` |
//! | `sc_getProof` | `[contract, key hex, block?]` | `{height, state_root, proof, value}` (borsh `StorageProof`, hex) |
//! | `sc_getAccountProof` | `[account id, block?]` | the same, for the account's record |
//! | `sc_getEvents` | `[contract, from_height?, limit?]` | stored events of a contract, in chain order (at most 1,000) |
//! | `sc_getFinalization` | `[height?]` (default the head) | `{height, hash, state_root, header, certificate, certified_height, descendants}`: the header (borsh, hex) and the finalization certificate proving it (hex; null on a one-node chain) — its own, or a descendant's with the headers linking them — for light clients |
//! | `sc_status` | `[]` | chain id, head height and hash, finalized height (the head: one node), mempool size, peers (0) |
//! | `sc_subscribeNewBlocks` | `[]` | notifications `sc_newBlock` (block headers with `hash`) |
//! | `sc_subscribeEvents` | `[contract]` | notifications `sc_event` (one per event of that contract) |
//! | `sc_traceTransaction` | `[hash]` | the call tree re-executed, with each frame's gas per host function (for the [explorer](crate::explorer)) |
//! | `sc_getStorage` | `[contract, block?]` | the contract's storage keys and value sizes (for the explorer) |
//!
//! Only `sc_sendTransaction(s)` changes anything, and only by offering transactions to the
//! mempool, which validates them. Errors: see [`RpcCode`](crate::RpcCode).

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::server::{BatchRequestConfig, Server, ServerConfig, ServerHandle};
use jsonrpsee::types::{ErrorObjectOwned, Params};
use jsonrpsee::{PendingSubscriptionSink, RpcModule};
use serde_json::{Value, json};
use shortcrust_chain::{
    AccountId, Action, Block, Hash32, Receipt, SignedTransaction, TxStatus, prove_account,
    read_account,
};
use shortcrust_sdk::schema::Schema;
use shortcrust_store::{StateView, StorageClaim};
use shortcrust_vm::{Context, ContractId, SessionConfig};
use tokio::sync::broadcast::error::RecvError;

use crate::error::{RpcCode, internal, invalid_params, mempool_error, tx_error};
use crate::node::{NewBlock, Node};

/// Server limits.
#[derive(Clone, Debug)]
pub struct RpcConfig {
    /// Default `127.0.0.1:8545`-like loopback address; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Largest request body: default 8 MiB (a transaction of `MAX_TX_BYTES` is 5 MiB in hex).
    pub max_request_bytes: u32,
    /// Largest response body: default 16 MiB.
    pub max_response_bytes: u32,
    /// Most simultaneous connections: default 128.
    pub max_connections: u32,
    /// Most subscriptions per WebSocket connection: default 64.
    pub max_subscriptions: u32,
}

impl Default for RpcConfig {
    fn default() -> Self {
        RpcConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            max_request_bytes: 8 << 20,
            max_response_bytes: 16 << 20,
            max_connections: 128,
            max_subscriptions: 64,
        }
    }
}

/// Most transactions in one `sc_sendTransactions`.
pub const MAX_BATCH_TXS: usize = 10_000;
/// Most events one `sc_getEvents` returns.
pub const MAX_EVENTS: usize = 1_000;

/// Starts the server; returns its handle and the address it listens on.
pub async fn serve(
    node: Node,
    config: &RpcConfig,
) -> Result<(ServerHandle, SocketAddr), std::io::Error> {
    let server_config = ServerConfig::builder()
        .max_request_body_size(config.max_request_bytes)
        .max_response_body_size(config.max_response_bytes)
        .max_connections(config.max_connections)
        .max_subscriptions_per_connection(config.max_subscriptions)
        .set_batch_request_config(BatchRequestConfig::Limit(100))
        .build();
    let server = Server::builder()
        .set_config(server_config)
        .set_http_middleware(tower::ServiceBuilder::new().layer(crate::explorer::ExplorerLayer))
        .build(config.addr)
        .await?;
    let addr = server.local_addr()?;
    let module = module(node).map_err(std::io::Error::other)?;
    Ok((server.start(module), addr))
}

type RpcResult = Result<Value, ErrorObjectOwned>;

/// The RPC methods over `node`.
pub fn module(node: Node) -> Result<RpcModule<Node>, jsonrpsee::core::RegisterMethodError> {
    let mut m = RpcModule::new(node);
    m.register_method("sc_sendTransaction", |p, node, _| send_one(&p, node))?;
    m.register_blocking_method("sc_sendTransactions", |p, node, _| send_many(&p, &node))?;
    m.register_method("sc_getTransaction", |p, node, _| get_transaction(&p, node))?;
    m.register_method("sc_getBlockByHeight", |p, node, _| {
        let mut seq = p.sequence();
        let height: u64 = seq.next().map_err(|e| invalid_params(e.message()))?;
        let full: Option<bool> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        block_json_at(node, height, full.unwrap_or(false))
    })?;
    m.register_method("sc_getBlockByHash", |p, node, _| {
        let mut seq = p.sequence();
        let hash: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let full: Option<bool> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        let hash = Hash32(hex32("block hash", &hash)?);
        let height = node
            .db()
            .height_of(&hash)
            .map_err(internal)?
            .ok_or_else(|| RpcCode::UnknownBlock.err(format!("no block with hash {hash}")))?;
        block_json_at(node, height, full.unwrap_or(false))
    })?;
    m.register_method("sc_latestBlock", |p, node, _| {
        let mut seq = p.sequence();
        let full: Option<bool> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        block_json_at(node, node.head().header.height, full.unwrap_or(false))
    })?;
    m.register_method("sc_getFinalization", |p, node, _| {
        let mut seq = p.sequence();
        let height: Option<u64> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        finalization_json(node, height.unwrap_or(node.head().header.height))
    })?;
    m.register_blocking_method("sc_call", |p, node, _| call(&p, &node))?;
    m.register_method("sc_getAccount", |p, node, _| {
        let mut seq = p.sequence();
        let id: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let block: Option<Value> = seq.optional_next().map_err(|e| invalid_params(e.message()))?;
        let id = AccountId(hex32("account id", &id)?);
        let (_, view) = view_at(node, block.as_ref())?;
        let account = read_account(&*view, &id).map_err(internal)?;
        Ok::<Value, ErrorObjectOwned>(json!({"account": id.to_string(), "balance": account.balance.to_string(), "nonce": account.nonce}))
    })?;
    m.register_blocking_method("sc_getContract", |p, node, _| get_contract(&p, &node))?;
    m.register_method("sc_getProof", |p, node, _| {
        let mut seq = p.sequence();
        let contract: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let key: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let block: Option<Value> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        let contract = ContractId(hex32("contract id", &contract)?);
        let key = hex::decode(&key).map_err(|e| invalid_params(format!("key: not hex ({e})")))?;
        let (height, view) = view_at(node, block.as_ref())?;
        proof_json(height, &*view, contract, &key)
    })?;
    m.register_method("sc_getAccountProof", |p, node, _| {
        let mut seq = p.sequence();
        let id: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let block: Option<Value> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        let id = AccountId(hex32("account id", &id)?);
        let (height, view) = view_at(node, block.as_ref())?;
        let proof = prove_account(&*view, &id).map_err(internal)?;
        let bytes = proof.to_bytes().map_err(internal)?;
        let account = read_account(&*view, &id).map_err(internal)?;
        Ok::<Value, ErrorObjectOwned>(json!({
            "height": height,
            "state_root": view.root().to_string(),
            "contract": shortcrust_chain::accounts_contract().to_string(),
            "key": id.to_string(),
            "proof": hex::encode(bytes),
            "balance": account.balance.to_string(),
            "nonce": account.nonce,
        }))
    })?;
    m.register_method("sc_getEvents", |p, node, _| {
        let mut seq = p.sequence();
        let contract: String = seq.next().map_err(|e| invalid_params(e.message()))?;
        let from: Option<u64> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        let limit: Option<usize> = seq
            .optional_next()
            .map_err(|e| invalid_params(e.message()))?;
        let contract = hex32("contract id", &contract)?;
        let limit = limit.unwrap_or(MAX_EVENTS).min(MAX_EVENTS);
        let found = node
            .db()
            .events(&contract, from.unwrap_or(0), limit)
            .map_err(internal)?;
        let mut out = Vec::with_capacity(found.len());
        let mut cached: Option<(u64, Block, Vec<Receipt>)> = None;
        for loc in found {
            if cached.as_ref().is_none_or(|c| c.0 != loc.height) {
                let block = node.db().block(loc.height).map_err(internal)?;
                let receipts = node.db().receipts(loc.height).map_err(internal)?;
                let (Some(b), Some(r)) = (block, receipts) else {
                    return Err(internal("an indexed block is missing"));
                };
                cached = Some((loc.height, b, r));
            }
            let Some((_, block, receipts)) = &cached else {
                continue;
            };
            let (Some(receipt), Some(tx)) = (
                receipts.get(loc.tx_index as usize),
                block.transactions.get(loc.tx_index as usize),
            ) else {
                continue;
            };
            if let Some(event) = receipt.events.get(loc.event_index as usize) {
                out.push(event_json(
                    node,
                    event,
                    Some((loc.height, &tx.hash(), loc.tx_index)),
                ));
            }
        }
        Ok::<Value, ErrorObjectOwned>(Value::Array(out))
    })?;
    m.register_method("sc_status", |_, node, _| {
        let head = node.head();
        Ok::<Value, ErrorObjectOwned>(json!({
            "chain_id": node.params().chain_id,
            "protocol_version": node.params().protocol_version,
            "block_gas_limit": node.params().block_gas_limit,
            "head_height": head.header.height,
            "head_hash": head.hash.to_string(),
            "head_state_root": head.header.state_root.to_string(),
            "finalized_height": head.header.height,
            "mempool_size": node.mempool_len(),
            "peers": 0,
        }))
    })?;
    m.register_subscription(
        "sc_subscribeNewBlocks",
        "sc_newBlock",
        "sc_unsubscribeNewBlocks",
        |_, pending, node, _| async move { subscribe(pending, node, None).await },
    )?;
    m.register_subscription(
        "sc_subscribeEvents",
        "sc_event",
        "sc_unsubscribeEvents",
        |p, pending, node, _| async move {
            let contract = p
                .one::<String>()
                .map_err(|e| invalid_params(e.message()))
                .and_then(|s| hex32("contract id", &s));
            match contract {
                Ok(c) => subscribe(pending, node, Some(c)).await,
                Err(e) => pending.reject(e).await,
            }
        },
    )?;
    crate::explorer::register(&mut m)?;
    Ok(m)
}

async fn subscribe(pending: PendingSubscriptionSink, node: Arc<Node>, contract: Option<[u8; 32]>) {
    let mut blocks = node.subscribe();
    let Ok(sink) = pending.accept().await else {
        return;
    };
    loop {
        let new: NewBlock = tokio::select! {
            _ = sink.closed() => return,
            received = blocks.recv() => match received {
                Ok(b) => b,
                // A slow subscriber misses blocks rather than slowing the node.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            },
        };
        let messages: Vec<Value> = match contract {
            None => vec![header_json(&new.block, false)],
            Some(c) => {
                let mut out = Vec::new();
                for (i, (tx, r)) in new
                    .block
                    .transactions
                    .iter()
                    .zip(new.receipts.iter())
                    .enumerate()
                {
                    for e in r.events.iter().filter(|e| e.contract == c) {
                        out.push(event_json(
                            &node,
                            e,
                            Some((new.block.header.height, &tx.hash(), i as u32)),
                        ));
                    }
                }
                out
            }
        };
        for m in messages {
            let Ok(raw) = serde_json::value::to_raw_value(&m) else {
                continue;
            };
            if sink.send(raw).await.is_err() {
                return;
            }
        }
    }
}

/// 32 bytes from 64 hex digits, or an invalid-params error naming `what`.
fn hex32(what: &str, s: &str) -> Result<[u8; 32], ErrorObjectOwned> {
    let bytes = hex::decode(s).map_err(|e| invalid_params(format!("{what}: not hex ({e})")))?;
    bytes
        .try_into()
        .map_err(|_| invalid_params(format!("{what}: must be 32 bytes (64 hex digits)")))
}

fn decode_tx(hex_tx: &str) -> Result<SignedTransaction, ErrorObjectOwned> {
    let bytes =
        hex::decode(hex_tx).map_err(|e| invalid_params(format!("transaction: not hex ({e})")))?;
    SignedTransaction::from_bytes(&bytes).map_err(|e| tx_error(&e))
}

fn send_one(p: &Params, node: &Node) -> RpcResult {
    let hex_tx: String = p.one().map_err(|e| invalid_params(e.message()))?;
    let tx = decode_tx(&hex_tx)?;
    match node.submit(vec![tx]).pop() {
        Some(Ok(hash)) => Ok(Value::String(hash.to_string())),
        Some(Err(e)) => Err(mempool_error(&e)),
        None => Err(internal("no admission result")),
    }
}

fn send_many(p: &Params, node: &Node) -> RpcResult {
    let txs: Vec<String> = p.one().map_err(|e| invalid_params(e.message()))?;
    if txs.len() > MAX_BATCH_TXS {
        return Err(RpcCode::Oversized.err_data(
            format!("at most {MAX_BATCH_TXS} transactions per call"),
            json!({"size": txs.len(), "max": MAX_BATCH_TXS}),
        ));
    }
    let mut out: Vec<Option<Value>> = vec![None; txs.len()];
    let mut decoded = Vec::with_capacity(txs.len());
    let mut slots = Vec::with_capacity(txs.len());
    for (i, t) in txs.iter().enumerate() {
        match decode_tx(t) {
            Ok(tx) => {
                decoded.push(tx);
                slots.push(i);
            }
            Err(e) => out[i] = Some(error_value(&e)),
        }
    }
    for (slot, result) in slots.into_iter().zip(node.submit(decoded)) {
        out[slot] = Some(match result {
            Ok(hash) => json!({"hash": hash.to_string()}),
            Err(e) => error_value(&mempool_error(&e)),
        });
    }
    Ok(Value::Array(
        out.into_iter().map(|v| v.unwrap_or(Value::Null)).collect(),
    ))
}

fn error_value(e: &ErrorObjectOwned) -> Value {
    json!({"error": {"code": e.code(), "message": e.message(), "data": e.data().map(|d| serde_json::from_str::<Value>(d.get()).unwrap_or(Value::Null))}})
}

fn get_transaction(p: &Params, node: &Node) -> RpcResult {
    let hash: String = p.one().map_err(|e| invalid_params(e.message()))?;
    let hash = Hash32(hex32("transaction hash", &hash)?);
    if let Some(loc) = node.db().tx_location(&hash).map_err(internal)? {
        let block = node.db().block(loc.height).map_err(internal)?;
        let receipts = node.db().receipts(loc.height).map_err(internal)?;
        let (Some(block), Some(receipts)) = (block, receipts) else {
            return Err(internal("an indexed block is missing"));
        };
        let i = loc.index as usize;
        let (Some(tx), Some(receipt)) = (block.transactions.get(i), receipts.get(i)) else {
            return Err(internal("an indexed transaction is missing"));
        };
        let mut v = tx_json(tx);
        v["status"] = json!("included");
        v["block_height"] = json!(loc.height);
        v["block_hash"] = json!(block.hash().to_string());
        v["index"] = json!(loc.index);
        v["receipt"] = receipt_json(node, receipt, Some((loc.height, &hash, loc.index)));
        return Ok(v);
    }
    match node.pending_tx(&hash) {
        Some(tx) => {
            let mut v = tx_json(&tx);
            v["status"] = json!("pending");
            Ok(v)
        }
        None => Err(RpcCode::UnknownTransaction.err(format!("no transaction {hash}"))),
    }
}

/// A transaction as JSON (no receipt).
pub fn tx_json(tx: &SignedTransaction) -> Value {
    let body = tx.tx.v1();
    let action = match &body.action {
        Action::Deploy { code, init, nonce } => json!({
            "type": "deploy",
            "code_hash": hex::encode(shortcrust_store::code_hash(code)),
            "code_size": code.len(),
            "init": init.as_ref().map(|(e, i)| json!({"entry": e, "input": hex::encode(i)})),
            "nonce": nonce,
            "contract": shortcrust_vm::contract_id(&body.sender_id().0, &shortcrust_store::code_hash(code), *nonce).to_string(),
        }),
        Action::Call {
            contract,
            entry,
            input,
            amount,
        } => json!({
            "type": "call",
            "contract": hex::encode(contract),
            "entry": entry,
            "input": hex::encode(input),
            "amount": amount.to_string(),
        }),
        Action::Transfer { to, amount } => json!({
            "type": "transfer",
            "to": to.to_string(),
            "amount": amount.to_string(),
        }),
    };
    json!({
        "hash": tx.hash().to_string(),
        "chain_id": body.chain_id,
        "sender": body.sender_id().to_string(),
        "sender_key": hex::encode(body.sender),
        "nonce": body.nonce,
        "gas_limit": body.gas_limit,
        "gas_price": body.gas_price,
        "action": action,
    })
}

fn receipt_json(node: &Node, r: &Receipt, at: Option<(u64, &Hash32, u32)>) -> Value {
    let (status, error) = match &r.status {
        TxStatus::Ok => ("ok", None),
        TxStatus::Failed(e) => ("failed", Some(e.clone())),
    };
    json!({
        "status": status,
        "error": error,
        "gas_used": r.gas_used,
        "fee": r.fee.to_string(),
        "output": hex::encode(&r.output),
        "contract": r.contract.map(hex::encode),
        "events": r.events.iter().map(|e| event_json(node, e, at)).collect::<Vec<_>>(),
        "calls": r.calls.iter().map(|c| json!({
            "depth": c.depth,
            "contract": hex::encode(c.contract),
            "entry": c.entry,
            "gas_limit": c.gas_limit,
            "gas_spent": c.gas_spent,
            "error": c.error,
        })).collect::<Vec<_>>(),
    })
}

fn event_json(node: &Node, e: &shortcrust_chain::Event, at: Option<(u64, &Hash32, u32)>) -> Value {
    let decoded = schema_of(node, ContractId(e.contract))
        .and_then(|s| s.decode_event(&e.topic, &e.data)?.ok());
    let mut v = json!({
        "contract": hex::encode(e.contract),
        "topic": String::from_utf8(e.topic.clone()).unwrap_or_else(|_| hex::encode(&e.topic)),
        "data": hex::encode(&e.data),
        "decoded": decoded,
    });
    if let Some((height, tx, index)) = at {
        v["block_height"] = json!(height);
        v["tx_hash"] = json!(tx.to_string());
        v["tx_index"] = json!(index);
    }
    v
}

/// The schema of a contract at the head, if it has one that parses.
fn schema_of(node: &Node, id: ContractId) -> Option<Schema> {
    let raw = raw_schema(node, node.head().header.state_root(), id).ok()??;
    Schema::parse(std::str::from_utf8(&raw).ok()?).ok()
}

fn raw_schema(
    node: &Node,
    root: shortcrust_store::Root,
    id: ContractId,
) -> Result<Option<Vec<u8>>, ErrorObjectOwned> {
    let session = node
        .vm()
        .session(SessionConfig {
            root: Some(root),
            context: Context::default(),
        })
        .map_err(internal)?;
    session
        .contract_schema(id)
        .map_err(|e| RpcCode::UnknownContract.err(e.to_string()))
}

fn header_json(block: &Block, full: bool) -> Value {
    let h = &block.header;
    json!({
        "height": h.height,
        "hash": block.hash().to_string(),
        "parent_hash": h.parent_hash.to_string(),
        "timestamp": h.timestamp,
        "proposer": h.proposer.to_string(),
        "transactions_root": h.transactions_root.to_string(),
        "receipts_root": h.receipts_root.to_string(),
        "state_root": h.state_root.to_string(),
        "gas_used": h.gas_used,
        "gas_limit": h.gas_limit,
        "transaction_count": block.transactions.len(),
        "transactions": if full {
            block.transactions.iter().map(tx_json).collect::<Vec<_>>()
        } else {
            block.transactions.iter().map(|t| Value::String(t.hash().to_string())).collect()
        },
    })
}

fn block_json_at(node: &Node, height: u64, full: bool) -> RpcResult {
    let block = node
        .db()
        .block(height)
        .map_err(internal)?
        .ok_or_else(|| RpcCode::UnknownBlock.err(format!("no block at height {height}")))?;
    Ok(header_json(&block, full))
}

/// How far above a block `sc_getFinalization` looks for the certificate that finalized it.
pub const MAX_CERTIFIED_DESCENDANTS: u64 = 1_000;

/// A finalized block's header (borsh, hex) with the finalization certificate that proves it,
/// for light clients (`shortcrust light verify`). Consensus may finalize a block together with
/// a descendant (the descendant's view was finalized): then `certificate` is the descendant's,
/// at `certified_height`, and `descendants` holds the headers from `height + 1` up to it, whose
/// parent hashes link back to this block. `certificate` is null on a one-node chain, whose
/// blocks are final by its single producer's word.
fn finalization_json(node: &Node, height: u64) -> RpcResult {
    let header_at = |h: u64| -> Result<shortcrust_chain::BlockHeader, ErrorObjectOwned> {
        node.db()
            .block(h)
            .map_err(internal)?
            .map(|b| b.header)
            .ok_or_else(|| RpcCode::UnknownBlock.err(format!("no block at height {h}")))
    };
    let header = header_at(height)?;
    let found = node
        .db()
        .next_finalization(height, MAX_CERTIFIED_DESCENDANTS)
        .map_err(internal)?;
    let mut descendants = Vec::new();
    if let Some((certified, _)) = &found {
        for h in height + 1..=*certified {
            descendants.push(hex::encode(
                borsh::to_vec(&header_at(h)?).map_err(internal)?,
            ));
        }
    }
    let encoded = borsh::to_vec(&header).map_err(internal)?;
    Ok(json!({
        "height": height,
        "hash": header.hash().to_string(),
        "state_root": header.state_root.to_string(),
        "header": hex::encode(encoded),
        "certified_height": found.as_ref().map(|(h, _)| *h),
        "descendants": descendants,
        "certificate": found.map(|(_, c)| hex::encode(c)),
    }))
}

/// The height and state of the block a `block` parameter names.
pub(crate) fn view_at(
    node: &Node,
    block: Option<&Value>,
) -> Result<(u64, Arc<dyn StateView>), ErrorObjectOwned> {
    let height = match block {
        None | Some(Value::Null) => node.head().header.height,
        Some(Value::String(s)) if s == "latest" => node.head().header.height,
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| invalid_params("block: a height is a non-negative integer"))?,
        Some(Value::String(s)) => {
            let hash = Hash32(hex32("block", s)?);
            node.db()
                .height_of(&hash)
                .map_err(internal)?
                .ok_or_else(|| RpcCode::UnknownBlock.err(format!("no block with hash {hash}")))?
        }
        Some(_) => {
            return Err(invalid_params(
                "block: a height, a block hash or \"latest\"",
            ));
        }
    };
    if height > node.head().header.height {
        return Err(RpcCode::UnknownBlock.err(format!("no block at height {height}")));
    }
    let block = node
        .db()
        .block(height)
        .map_err(internal)?
        .ok_or_else(|| RpcCode::UnknownBlock.err(format!("no block at height {height}")))?;
    let view = node
        .vm()
        .store()
        .view(&block.header.state_root())
        .map_err(internal)?;
    Ok((height, view))
}

fn proof_json(height: u64, view: &dyn StateView, contract: ContractId, key: &[u8]) -> RpcResult {
    if view.contract(&contract).map_err(internal)?.is_none() {
        return Err(
            RpcCode::UnknownContract.err(format!("no contract {contract} at height {height}"))
        );
    }
    let proof = view.prove(&contract, key).map_err(internal)?;
    let root = view.root();
    let value = match proof.verify(&root, &contract, key).map_err(internal)? {
        StorageClaim::Present(_, v) => Some(hex::encode(v)),
        _ => None,
    };
    Ok(json!({
        "height": height,
        "state_root": root.to_string(),
        "contract": contract.to_string(),
        "key": hex::encode(key),
        "proof": hex::encode(proof.to_bytes().map_err(internal)?),
        "value": value,
    }))
}

fn get_contract(p: &Params, node: &Node) -> RpcResult {
    let mut seq = p.sequence();
    let id: String = seq.next().map_err(|e| invalid_params(e.message()))?;
    let block: Option<Value> = seq
        .optional_next()
        .map_err(|e| invalid_params(e.message()))?;
    let id = ContractId(hex32("contract id", &id)?);
    let (height, view) = view_at(node, block.as_ref())?;
    let meta = view.contract(&id).map_err(internal)?.ok_or_else(|| {
        RpcCode::UnknownContract.err(format!("no contract {id} at height {height}"))
    })?;
    let size = view
        .code(&meta.code_hash)
        .map_err(internal)?
        .map_or(0, |c| c.len());
    let schema = raw_schema(node, view.root(), id)?
        .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok());
    Ok(json!({
        "id": id.to_string(),
        "height": height,
        "code_hash": hex::encode(meta.code_hash),
        "size": size,
        "owner": hex::encode(meta.owner),
        "schema": schema,
    }))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CallRequest {
    contract: String,
    entry: String,
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    args: Option<Value>,
    #[serde(default)]
    block: Option<Value>,
    #[serde(default)]
    gas: Option<u64>,
    /// The caller the contract sees (an account id); zero by default.
    #[serde(default)]
    caller: Option<String>,
}

fn call(p: &Params, node: &Node) -> RpcResult {
    let req: CallRequest = p.one().map_err(|e| invalid_params(e.message()))?;
    let contract = ContractId(hex32("contract", &req.contract)?);
    let caller = match &req.caller {
        Some(c) => hex32("caller", c)?,
        None => [0; 32],
    };
    let (height, view) = view_at(node, req.block.as_ref())?;
    if view.contract(&contract).map_err(internal)?.is_none() {
        return Err(
            RpcCode::UnknownContract.err(format!("no contract {contract} at height {height}"))
        );
    }
    let block = node
        .db()
        .block(height)
        .map_err(internal)?
        .ok_or_else(|| RpcCode::UnknownBlock.err(format!("no block at height {height}")))?;
    let schema = raw_schema(node, view.root(), contract)?
        .and_then(|raw| Schema::parse(std::str::from_utf8(&raw).ok()?).ok());
    let input = match (&req.input, &req.args) {
        (Some(_), Some(_)) => return Err(invalid_params("give `input` or `args`, not both")),
        (Some(h), None) => {
            hex::decode(h).map_err(|e| invalid_params(format!("input: not hex ({e})")))?
        }
        (None, Some(args)) => {
            let schema = schema.as_ref().ok_or_else(|| {
                RpcCode::NoSchema.err(format!(
                    "contract {contract} has no schema: give `input` hex"
                ))
            })?;
            let entry = schema
                .entry(&req.entry)
                .map_err(|e| invalid_params(e.to_string()))?;
            entry
                .encode_args(args)
                .map_err(|e| invalid_params(format!("args: {e}")))?
        }
        (None, None) => Vec::new(),
    };
    let gas = req
        .gas
        .unwrap_or(node.config().query_gas_limit)
        .min(node.config().query_gas_limit);
    let params = node.params();
    let mut session = node
        .vm()
        .session(SessionConfig {
            root: Some(view.root()),
            context: Context {
                block_height: height,
                block_timestamp: block.header.timestamp,
                chain_id: params.chain_id,
                protocol_version: params.protocol_version,
                sender: caller,
            },
        })
        .map_err(internal)?;
    let receipt = match session.query(contract, &req.entry, &input, gas) {
        Ok(r) => r,
        Err(shortcrust_vm::VmError::Refused(e)) => return Err(invalid_params(e.to_string())),
        Err(e) => return Err(internal(e)),
    };
    let decoded = receipt.result.as_ref().ok().and_then(|out| {
        schema
            .as_ref()?
            .entry(&req.entry)
            .ok()?
            .decode_output(out)
            .ok()
    });
    let events: Vec<Value> = receipt
        .events
        .iter()
        .map(|e| event_json(node, &shortcrust_chain::Event::from(e), None))
        .collect();
    Ok(json!({
        "height": height,
        "ok": receipt.result.is_ok(),
        "error": receipt.result.as_ref().err().map(|e| e.to_string()),
        "gas_spent": receipt.gas_spent,
        "output": receipt.result.as_ref().map(hex::encode).unwrap_or_default(),
        "decoded": decoded,
        "events": events,
    }))
}
