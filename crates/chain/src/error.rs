//! Errors: why a transaction is invalid ([`TxError`]), why a block cannot be executed or is
//! refused ([`ChainError`]), why a genesis file is rejected ([`GenesisError`]) and why the
//! mempool turned a transaction away ([`MempoolError`]).

use std::path::PathBuf;

use shortcrust_store::{Root, StoreError};
use shortcrust_vm::{DeployError, Fault, VmError};

use crate::Hash32;

/// Why a transaction is invalid. An invalid transaction is never executed and pays nothing; a
/// block holding one is invalid. (A *valid* transaction whose action fails is executed: it pays
/// its fee and gets a failed receipt.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxError {
    #[error("malformed transaction encoding: {0}")]
    Malformed(String),
    #[error("transaction of {size} bytes exceeds the limit of {max} bytes")]
    Oversized { size: usize, max: usize },
    #[error("{what} of {len} bytes exceeds the limit of {max} bytes")]
    FieldTooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("transaction is for chain {found}, this chain is {expected}")]
    WrongChain { expected: u64, found: u64 },
    #[error("sender public key is not a valid Ed25519 key (or is of small order)")]
    InvalidPublicKey,
    #[error("bad signature")]
    BadSignature,
    #[error("the signing key is not the transaction's sender key")]
    KeyMismatch,
    #[error("nonce {found} too low: the sender's next nonce is {expected} (a replay)")]
    NonceTooLow { expected: u64, found: u64 },
    #[error("nonce {found} too high: the sender's next nonce is {expected} (a gap)")]
    NonceTooHigh { expected: u64, found: u64 },
    #[error("the sender's nonce cannot advance past {0}")]
    NonceExhausted(u64),
    #[error("gas limit {gas_limit} exceeds the block gas limit {block_limit}")]
    GasLimitAboveBlockLimit { gas_limit: u64, block_limit: u64 },
    #[error("gas limit {gas_limit} is below the intrinsic gas {intrinsic} of this transaction")]
    IntrinsicGas { gas_limit: u64, intrinsic: u64 },
    #[error("gas_limit × gas_price + amount overflows u128")]
    CostOverflow,
    #[error("balance {balance} is below gas_limit × gas_price + amount = {needed}")]
    InsufficientBalance { balance: u128, needed: u128 },
    #[error("refused by the VM: {0}")]
    Refused(String),
}

impl TxError {
    /// Whether the transaction can never become valid on this chain (a mempool evicts it);
    /// otherwise it may become valid later (a nonce gap filled, the sender funded).
    pub fn is_permanent(&self) -> bool {
        !matches!(
            self,
            TxError::NonceTooHigh { .. } | TxError::InsufficientBalance { .. }
        )
    }
}

/// Why a block could not be executed, built or verified.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The block holds an invalid transaction: the block is invalid.
    #[error("transaction {index} ({hash}) is invalid: {error}")]
    InvalidTx {
        index: usize,
        hash: Hash32,
        error: TxError,
    },
    /// A failure of this node while executing a transaction (see [`Fault`]): the block cannot be
    /// executed *here*; retry, or halt. Never a verdict on the block.
    #[error("transaction {hash} hit a fault of this node: {fault}")]
    Fault { hash: Hash32, fault: Fault },
    #[error("the block's transactions reserve {total} gas, above the block gas limit {limit}")]
    BlockGasLimitExceeded { total: u128, limit: u64 },
    #[error("the block's transactions take {bytes} bytes, above the limit of {max}")]
    BlockTooLarge { bytes: usize, max: usize },
    #[error("state {0} holds no chain parameters: it was not built by a genesis")]
    NotAChainState(Root),
    #[error("state is corrupted: {0}")]
    CorruptedState(String),
    #[error("block height {found}, expected {expected}")]
    HeightMismatch { expected: u64, found: u64 },
    #[error("block names parent {found}, expected {expected}")]
    ParentHashMismatch { expected: Hash32, found: Hash32 },
    #[error("block timestamp {found} is before its parent's {parent}")]
    TimestampBeforeParent { parent: u64, found: u64 },
    #[error("block gas limit {found} in the header, the chain's is {expected}")]
    GasLimitMismatch { expected: u64, found: u64 },
    #[error("transactions root {header} in the header, {computed} computed")]
    TransactionsRootMismatch { header: Hash32, computed: Hash32 },
    #[error("state root {header} in the header, {computed} computed")]
    StateRootMismatch { header: Hash32, computed: Hash32 },
    #[error("receipts root {header} in the header, {computed} computed")]
    ReceiptsRootMismatch { header: Hash32, computed: Hash32 },
    #[error("gas used {header} in the header, {computed} computed")]
    GasUsedMismatch { header: u64, computed: u64 },
    #[error(transparent)]
    Vm(#[from] VmError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ChainError {
    /// Whether this is a verdict on the block itself, the same on every honest node (an
    /// invalid transaction, a limit exceeded, a header that does not match the execution), as
    /// opposed to a failure of this node (a fault, the store, a missing state) that says
    /// nothing about the block. Consensus votes against a block only on a verdict.
    pub fn is_verdict(&self) -> bool {
        match self {
            ChainError::InvalidTx { .. }
            | ChainError::BlockGasLimitExceeded { .. }
            | ChainError::BlockTooLarge { .. }
            | ChainError::HeightMismatch { .. }
            | ChainError::ParentHashMismatch { .. }
            | ChainError::TimestampBeforeParent { .. }
            | ChainError::GasLimitMismatch { .. }
            | ChainError::TransactionsRootMismatch { .. }
            | ChainError::StateRootMismatch { .. }
            | ChainError::ReceiptsRootMismatch { .. }
            | ChainError::GasUsedMismatch { .. } => true,
            ChainError::Fault { .. }
            | ChainError::NotAChainState(_)
            | ChainError::CorruptedState(_)
            | ChainError::Vm(_)
            | ChainError::Store(_) => false,
        }
    }
}

/// Why a genesis could not be read or built.
#[derive(Debug, thiserror::Error)]
pub enum GenesisError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("genesis JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("genesis field {field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("account {0} is listed twice")]
    DuplicateAccount(crate::AccountId),
    #[error("the balances sum to more than u128::MAX")]
    SupplyOverflow,
    #[error("genesis contract {index}: {error}")]
    Deploy { index: usize, error: DeployError },
    #[error(transparent)]
    Vm(#[from] VmError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why the mempool did not admit a transaction.
#[derive(Debug, thiserror::Error)]
pub enum MempoolError {
    #[error(transparent)]
    Invalid(#[from] TxError),
    #[error("transaction {0} is already in the mempool")]
    AlreadyKnown(Hash32),
    #[error("gas price {price} is below the mempool's minimum {min}")]
    GasPriceTooLow { price: u64, min: u64 },
    #[error("replacing a transaction priced {old} needs a gas price of at least {min}")]
    ReplacementUnderpriced { old: u64, min: u64 },
    #[error(
        "nonce {nonce} is too far ahead of the sender's next nonce {next} (at most {max} queued)"
    )]
    NonceTooFarAhead { nonce: u64, next: u64, max: usize },
    #[error("the sender already has {0} transactions queued")]
    SenderFull(usize),
    #[error("the mempool is full and nothing cheaper than gas price {0} can be evicted")]
    Full(u64),
    #[error("reading the sender's account: {0}")]
    State(#[from] ChainError),
}
