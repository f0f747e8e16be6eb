//! Blocks: a header and the signed transactions, borsh-encoded, hashed as
//! `BLAKE2b-256("shortcrust/block/v1" || borsh(header))`.
//!
//! The header commits to the transactions through `transactions_root` (the [`merkle`] root of
//! their hashes, in block order) and to the execution's results through `receipts_root` (the
//! root of the receipt hashes), `state_root` (the state after the block) and `gas_used`. The
//! transaction hashes leave the signatures out (see `tx`), so two copies of a block may differ
//! in signature bytes only, each valid, with the same hash and the same execution.
//!
//! A block's transactions may take at most [`MAX_BLOCK_TX_BYTES`] encoded bytes, and their gas
//! limits may sum to at most the chain's block gas limit, carried in the header.
//!
//! [`merkle`]: crate::merkle

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_store::Root;

use crate::account::AccountId;
use crate::receipt::Receipt;
use crate::tx::SignedTransaction;
use crate::{Hash32, merkle, tagged_hash};

/// Domain tag of block hashes.
pub const BLOCK_DOMAIN: &[u8] = b"shortcrust/block/v1";
/// Most encoded bytes of transactions in one block: 8 MiB, what a validator set can gossip and
/// store per block; room for three transactions of the largest size (`MAX_TX_BYTES`). Per-byte
/// gas alone would allow 100 MB of call inputs in a 10¹⁰-gas block.
pub const MAX_BLOCK_TX_BYTES: usize = 8 * 1024 * 1024;

/// A block header.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct BlockHeader {
    /// 0 for the genesis block.
    pub height: u64,
    /// The parent's [`BlockHeader::hash`]; zero for the genesis block.
    pub parent_hash: Hash32,
    /// Seconds since the Unix epoch, decided by consensus; never before the parent's.
    pub timestamp: u64,
    /// Receives the fees.
    pub proposer: AccountId,
    pub transactions_root: Hash32,
    pub receipts_root: Hash32,
    /// The state root after executing the block.
    pub state_root: Hash32,
    pub gas_used: u64,
    /// The chain's block gas limit.
    pub gas_limit: u64,
}

impl BlockHeader {
    /// `BLAKE2b-256("shortcrust/block/v1" || borsh(self))`.
    pub fn hash(&self) -> Hash32 {
        tagged_hash(BLOCK_DOMAIN, &[&crate::encode(self)])
    }

    /// The state root as the VM's type.
    pub fn state_root(&self) -> Root {
        self.state_root.into()
    }
}

/// A block.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Block {
    pub header: BlockHeader,
    pub transactions: Vec<SignedTransaction>,
}

impl Block {
    /// The header's hash.
    pub fn hash(&self) -> Hash32 {
        self.header.hash()
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::encode(self)
    }

    /// Decodes exactly one canonical block.
    pub fn from_bytes(bytes: &[u8]) -> Result<Block, borsh::io::Error> {
        borsh::from_slice(bytes)
    }
}

/// The transactions root of `txs`.
pub fn transactions_root(txs: &[SignedTransaction]) -> Hash32 {
    let hashes: Vec<Hash32> = txs.iter().map(SignedTransaction::hash).collect();
    merkle::root(&hashes)
}

/// The receipts root of `receipts`.
pub fn receipts_root(receipts: &[Receipt]) -> Hash32 {
    let hashes: Vec<Hash32> = receipts.iter().map(Receipt::hash).collect();
    merkle::root(&hashes)
}
