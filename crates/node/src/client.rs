//! A small blocking JSON-RPC client of the node (HTTP), for the CLI and tests, plus the helpers
//! that sign transactions for it.

use std::time::{Duration, Instant};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::params::ArrayParams;
use jsonrpsee_http_client::{HttpClient, HttpClientBuilder};
use serde_json::Value;
use shortcrust_chain::{
    Action, SignedTransaction, SigningKey, Transaction, TransactionV1, TxError,
    gas::{LATEST_SCHEDULE, intrinsic_gas},
};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The node answered with a JSON-RPC error.
    #[error("node error {code}: {message}{}", data.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Rpc {
        code: i32,
        message: String,
        data: Option<Value>,
    },
    /// The node could not be reached, or answered something else.
    #[error("cannot talk to the node at {url}: {reason}")]
    Transport { url: String, reason: String },
    #[error("{0}")]
    Other(String),
}

impl ClientError {
    /// The JSON-RPC error code, if the node answered with one.
    pub fn code(&self) -> Option<i32> {
        match self {
            ClientError::Rpc { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// A blocking client: one current-thread runtime, one HTTP client.
pub struct Client {
    url: String,
    runtime: tokio::runtime::Runtime,
    http: HttpClient,
}

impl Client {
    pub fn new(url: &str) -> Result<Client, ClientError> {
        let transport = |reason: String| ClientError::Transport {
            url: url.to_string(),
            reason,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| transport(e.to_string()))?;
        let http = {
            let _guard = runtime.enter();
            HttpClientBuilder::default()
                .max_request_size(16 << 20)
                .max_response_size(64 << 20)
                .request_timeout(Duration::from_secs(60))
                .build(url)
                .map_err(|e| transport(e.to_string()))?
        };
        Ok(Client {
            url: url.to_string(),
            runtime,
            http,
        })
    }

    /// Calls `method` with positional `params`.
    pub fn request(&self, method: &str, params: Vec<Value>) -> Result<Value, ClientError> {
        let mut array = ArrayParams::new();
        for p in params {
            array
                .insert(p)
                .map_err(|e| ClientError::Other(e.to_string()))?;
        }
        let result: Result<Value, _> = self.runtime.block_on(self.http.request(method, array));
        result.map_err(|e| match e {
            jsonrpsee::core::client::Error::Call(obj) => ClientError::Rpc {
                code: obj.code(),
                message: obj.message().to_string(),
                data: obj.data().and_then(|d| serde_json::from_str(d.get()).ok()),
            },
            other => ClientError::Transport {
                url: self.url.clone(),
                reason: other.to_string(),
            },
        })
    }

    /// `sc_status`.
    pub fn status(&self) -> Result<Value, ClientError> {
        self.request("sc_status", vec![])
    }

    /// Sends a signed transaction; returns its hash.
    pub fn send(&self, tx: &SignedTransaction) -> Result<String, ClientError> {
        let v = self.request(
            "sc_sendTransaction",
            vec![Value::String(hex::encode(tx.to_bytes()))],
        )?;
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| ClientError::Other(format!("unexpected answer {v}")))
    }

    /// Polls `sc_getTransaction` until the transaction is included (or `timeout` passes).
    pub fn wait_included(&self, hash: &str, timeout: Duration) -> Result<Value, ClientError> {
        let start = Instant::now();
        loop {
            let v = self.request("sc_getTransaction", vec![Value::String(hash.to_string())])?;
            if v["status"] == "included" {
                return Ok(v);
            }
            if start.elapsed() > timeout {
                return Err(ClientError::Other(format!(
                    "transaction {hash} not included after {timeout:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The next nonce of `key`'s account (from its stored account: does not count pending
    /// transactions).
    pub fn nonce(&self, key: &SigningKey) -> Result<u64, ClientError> {
        let id = shortcrust_chain::AccountId::from(&key.verifying_key());
        let v = self.request("sc_getAccount", vec![Value::String(id.to_string())])?;
        v["nonce"]
            .as_u64()
            .ok_or_else(|| ClientError::Other(format!("unexpected account {v}")))
    }

    /// The chain id.
    pub fn chain_id(&self) -> Result<u64, ClientError> {
        let v = self.status()?;
        v["chain_id"]
            .as_u64()
            .ok_or_else(|| ClientError::Other(format!("unexpected status {v}")))
    }
}

/// Signs `action` from `key` with `nonce` on `chain_id`, with a gas limit of the intrinsic gas
/// (the latest protocol's) plus `extra_gas` and a gas price of `gas_price`.
pub fn sign(
    key: &SigningKey,
    chain_id: u64,
    nonce: u64,
    extra_gas: u64,
    gas_price: u64,
    action: Action,
) -> Result<SignedTransaction, TxError> {
    let mut body = TransactionV1 {
        chain_id,
        sender: key.verifying_key().to_bytes(),
        nonce,
        gas_limit: 0,
        gas_price,
        action,
    };
    // The gas limit is a fixed-width field: its value does not change the size.
    let size = Transaction::V1(body.clone()).sign(key)?.to_bytes().len();
    // The chain's protocol version is not asked for: the latest schedule's intrinsic gas
    // covers every protocol's (`gas::LATEST_SCHEDULE`), and unused gas is refunded.
    body.gas_limit = intrinsic_gas(&body, size, LATEST_SCHEDULE).saturating_add(extra_gas);
    Transaction::V1(body).sign(key)
}
