//! Receipts: what executing one transaction produced, borsh-encodable and hashed into the
//! block's receipts root.
//!
//! Everything in a receipt is consensus data (every node must compute the same bytes): error
//! texts are `CallError`/`DeployError` displays, which the VM builds from its own words, never
//! from wasmtime's or the OS's; for a module the parser rejects, only `deploy: invalid module`
//! (the parser's message is a dependency's wording). A deploy's init failure reads
//! `init: <call error>`, a refused deploy `deploy: <deploy error>`.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::{Hash32, tagged_hash};

/// Domain tag of receipt hashes.
pub const RECEIPT_DOMAIN: &[u8] = b"shortcrust/receipt/v1";

/// Whether the transaction's action succeeded.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum TxStatus {
    Ok,
    /// The action failed (its effects rolled back, the fee still paid), with the reason.
    Failed(String),
}

/// An event a contract emitted.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Event {
    pub contract: [u8; 32],
    pub topic: Vec<u8>,
    pub data: Vec<u8>,
}

/// One frame of the call tree, depth-first in start order (failed frames included).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct CallRecord {
    /// 1 for the transaction's own call.
    pub depth: u32,
    pub contract: [u8; 32],
    pub entry: String,
    pub gas_limit: u64,
    /// The frame's gas, its callees' included.
    pub gas_spent: u64,
    /// Why the frame failed, if it did.
    pub error: Option<String>,
}

/// The result of one transaction in a block.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Receipt {
    pub tx_hash: Hash32,
    pub status: TxStatus,
    /// Gas used: intrinsic gas plus the action's VM gas; never above the gas limit.
    pub gas_used: u64,
    /// `gas_used × gas_price`, paid to the block's proposer.
    pub fee: u128,
    /// The call's output (the init call's for a deploy); empty on failure.
    pub output: Vec<u8>,
    /// Events of the frames that succeeded, in emission order; empty on failure.
    pub events: Vec<Event>,
    pub calls: Vec<CallRecord>,
    /// The contract a deploy created: set whenever the code was deployed, even if its init
    /// call then failed (see `execute`).
    pub contract: Option<[u8; 32]>,
}

impl Receipt {
    /// `BLAKE2b-256("shortcrust/receipt/v1" || borsh(self))`.
    pub fn hash(&self) -> Hash32 {
        tagged_hash(RECEIPT_DOMAIN, &[&crate::encode(self)])
    }

    pub fn is_ok(&self) -> bool {
        self.status == TxStatus::Ok
    }

    /// The failure reason, if the action failed.
    pub fn error(&self) -> Option<&str> {
        match &self.status {
            TxStatus::Ok => None,
            TxStatus::Failed(e) => Some(e),
        }
    }
}

impl From<&shortcrust_vm::Event> for Event {
    fn from(e: &shortcrust_vm::Event) -> Self {
        Event::from(e.clone())
    }
}

/// By value: block execution moves the VM's events into the receipt instead of copying them.
impl From<shortcrust_vm::Event> for Event {
    fn from(e: shortcrust_vm::Event) -> Self {
        Event {
            contract: e.contract.0,
            topic: e.topic,
            data: e.data,
        }
    }
}

/// By value, like [`Event`]'s.
impl From<shortcrust_vm::CallRecord> for CallRecord {
    fn from(c: shortcrust_vm::CallRecord) -> Self {
        CallRecord {
            depth: c.depth,
            contract: c.contract.0,
            error: c.error.as_ref().map(|e| e.to_string()),
            entry: c.entry,
            gas_limit: c.gas_limit,
            gas_spent: c.gas_spent,
        }
    }
}

impl From<&shortcrust_vm::CallRecord> for CallRecord {
    fn from(c: &shortcrust_vm::CallRecord) -> Self {
        CallRecord::from(c.clone())
    }
}
