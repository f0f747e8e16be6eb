//! Errors: the node's own ([`NodeError`]) and the JSON-RPC error codes every RPC failure maps to
//! ([`RpcCode`]).

use jsonrpsee::types::ErrorObjectOwned;
use serde_json::{Value, json};
use shortcrust_chain::{ChainError, GenesisError, MempoolError, TxError};
use shortcrust_store::StoreError;
use shortcrust_vm::VmError;

/// Why a node could not open, start or produce a block.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("{0}")]
    Config(String),
    #[error("chain database: {0}")]
    Db(String),
    #[error("chain database is corrupted: {0}")]
    Corrupted(String),
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error(transparent)]
    Genesis(#[from] GenesisError),
    #[error(transparent)]
    Vm(#[from] VmError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

macro_rules! db_errors {
    ($($t:ty),*) => {$(
        impl From<$t> for NodeError {
            fn from(e: $t) -> Self {
                NodeError::Db(e.to_string())
            }
        }
    )*};
}
db_errors!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// The JSON-RPC error codes of the node: **stable** (clients match on them; a code is never
/// reused for another meaning). `-32700`–`-32600` are JSON-RPC 2.0's own; the node's are in the
/// server range `-32000`–`-32099`. Every error also carries a message and, where useful, `data`
/// (e.g. `{"expected": 3, "found": 1}` for a nonce).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i32)]
pub enum RpcCode {
    /// Not JSON (answered by the server itself).
    ParseError = -32700,
    /// Not a JSON-RPC request (answered by the server itself).
    InvalidRequest = -32600,
    /// No such method (answered by the server itself).
    MethodNotFound = -32601,
    /// Wrong number or type of parameters, bad hex, a wrong-length id, JSON arguments the
    /// contract's schema refuses.
    InvalidParams = -32602,
    /// A fault of this node (its disk, its state); nothing about the request.
    Internal = -32603,
    /// The transaction bytes are not exactly one canonical borsh `SignedTransaction`.
    MalformedTx = -32001,
    /// The transaction is above `MAX_TX_BYTES`, or a field above its limit.
    Oversized = -32002,
    /// The transaction names another chain id.
    WrongChain = -32003,
    /// Bad signature, a sender key that is not a valid Ed25519 key, or a key mismatch.
    BadSignature = -32004,
    /// Nonce below the sender's next nonce: already used (a replay).
    NonceTooLow = -32005,
    /// Nonce too far above the sender's next nonce (a gap the mempool will not queue).
    NonceGap = -32006,
    /// The sender cannot pay `gas_limit × gas_price + amount` (with its queued transactions).
    InsufficientBalance = -32007,
    /// Gas limit above the block gas limit or below the intrinsic gas, or a cost overflow.
    GasLimit = -32008,
    /// Gas price below the mempool minimum, or a replacement not priced high enough.
    GasPriceTooLow = -32009,
    /// The transaction is already in the mempool.
    AlreadyKnown = -32010,
    /// The mempool (or the sender's queue in it) is full.
    MempoolFull = -32011,
    /// Any other invalid transaction (e.g. an exhausted nonce, refused by the VM).
    InvalidTx = -32012,
    /// No block at that height or with that hash.
    UnknownBlock = -32020,
    /// No transaction with that hash, included or pending.
    UnknownTransaction = -32021,
    /// No contract with that id at that block.
    UnknownContract = -32022,
    /// The contract has no schema, so JSON arguments cannot be encoded.
    NoSchema = -32023,
}

impl RpcCode {
    pub fn code(self) -> i32 {
        self as i32
    }

    /// An error object with this code.
    pub fn err(self, message: impl Into<String>) -> ErrorObjectOwned {
        ErrorObjectOwned::owned(self.code(), message.into(), None::<()>)
    }

    /// An error object with this code and `data`.
    pub fn err_data(self, message: impl Into<String>, data: Value) -> ErrorObjectOwned {
        ErrorObjectOwned::owned(self.code(), message.into(), Some(data))
    }
}

/// The RPC error for an invalid transaction.
pub fn tx_error(e: &TxError) -> ErrorObjectOwned {
    let message = e.to_string();
    match e {
        TxError::Malformed(_) => RpcCode::MalformedTx.err(message),
        TxError::Oversized { size, max } => {
            RpcCode::Oversized.err_data(message, json!({"size": size, "max": max}))
        }
        TxError::FieldTooLong { len, max, .. } => {
            RpcCode::Oversized.err_data(message, json!({"size": len, "max": max}))
        }
        TxError::WrongChain { expected, found } => {
            RpcCode::WrongChain.err_data(message, json!({"expected": expected, "found": found}))
        }
        TxError::InvalidPublicKey | TxError::BadSignature | TxError::KeyMismatch => {
            RpcCode::BadSignature.err(message)
        }
        TxError::NonceTooLow { expected, found } => {
            RpcCode::NonceTooLow.err_data(message, json!({"expected": expected, "found": found}))
        }
        TxError::NonceTooHigh { expected, found } => {
            RpcCode::NonceGap.err_data(message, json!({"expected": expected, "found": found}))
        }
        TxError::GasLimitAboveBlockLimit { .. }
        | TxError::IntrinsicGas { .. }
        | TxError::CostOverflow => RpcCode::GasLimit.err(message),
        TxError::InsufficientBalance { balance, needed } => RpcCode::InsufficientBalance.err_data(
            message,
            json!({"balance": balance.to_string(), "needed": needed.to_string()}),
        ),
        TxError::NonceExhausted(_) | TxError::Refused(_) => RpcCode::InvalidTx.err(message),
    }
}

/// The RPC error for a transaction the mempool turned away.
pub fn mempool_error(e: &MempoolError) -> ErrorObjectOwned {
    let message = e.to_string();
    match e {
        MempoolError::Invalid(tx) => tx_error(tx),
        MempoolError::AlreadyKnown(hash) => {
            RpcCode::AlreadyKnown.err_data(message, json!({"hash": hash.to_string()}))
        }
        MempoolError::GasPriceTooLow { .. } | MempoolError::ReplacementUnderpriced { .. } => {
            RpcCode::GasPriceTooLow.err(message)
        }
        MempoolError::NonceTooFarAhead { nonce, next, .. } => {
            RpcCode::NonceGap.err_data(message, json!({"expected": next, "found": nonce}))
        }
        MempoolError::SenderFull(_) | MempoolError::Full(_) => RpcCode::MempoolFull.err(message),
        MempoolError::State(_) => RpcCode::Internal.err(message),
    }
}

/// An internal error (a fault of this node).
pub fn internal(e: impl std::fmt::Display) -> ErrorObjectOwned {
    RpcCode::Internal.err(e.to_string())
}

/// An invalid-params error.
pub fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    RpcCode::InvalidParams.err(message)
}
