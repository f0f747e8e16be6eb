//! The Shortcrust chain, single node: accounts, signed transactions, fees, blocks, genesis, the
//! mempool and deterministic block execution over the VM. No networking: a node embeds this
//! crate, and consensus calls [`build_block`] on the proposer and [`verify_block`] everywhere.
//!
//! - [`account`]: Ed25519 accounts, their balance and nonce kept *in the Merkle state* under a
//!   system contract id, provable against a state root; the chain parameters beside them;
//! - [`tx`]: versioned, borsh-encoded, signed transactions and every check that needs no state;
//! - [`gas`]: what the chain itself charges (intrinsic gas) and the default block gas limit;
//! - [`receipt`]: what executing a transaction produced;
//! - [`merkle`]: the binary Merkle tree behind the transactions and receipts roots;
//! - [`block`]: headers, blocks and their hashes;
//! - [`apply`]: what one transaction does: checks against the state, fee reservation, the
//!   action on the VM, refund and proposer fee (its docs are the execution semantics);
//! - [`execute`]: [`execute_block`], [`build_block`], [`verify_block`];
//! - [`genesis`]: the initial state from a JSON file;
//! - [`mempool`]: pending transactions, admission, replacement, eviction, proposal order;
//! - [`check_cache`]: the stateless verdicts (signatures above all) a node already reached,
//!   shared by its mempool and its block execution so that no transaction is checked twice.
//!
//! # Hashes
//!
//! Every hash is BLAKE2b-256 of a domain tag followed by the data, so no two kinds of object can
//! share a hash: `shortcrust/account` (account ids), `shortcrust/tx/v1` (transaction hashes,
//! which signatures sign), `shortcrust/block/v1` (block hashes), `shortcrust/receipt/v1`,
//! `shortcrust/merkle/{leaf,node,root}`, `shortcrust/system/accounts` (the
//! accounts' system contract id).
//!
//! ```no_run
//! use shortcrust_chain::{BlockContext, Genesis, CheckCache, build_block, verify_block};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let vm = shortcrust_vm::Vm::ephemeral()?;
//! let genesis = Genesis::from_file("genesis.json")?;
//! let root = genesis.build(&vm)?;
//! let parent = genesis.header(root);
//! let context = BlockContext { height: 1, timestamp: 5, proposer: Default::default() };
//! let checks = CheckCache::default();
//! let built = build_block(&vm, &checks, &parent, &context, Vec::new())?;
//! let executed = verify_block(&vm, &checks, &parent, &built.block)?;
//! assert_eq!(executed.state_root, built.block.header.state_root.into());
//! # Ok(()) }
//! ```

pub mod account;
pub mod apply;
pub mod block;
pub mod check_cache;
mod error;
pub mod execute;
pub mod gas;
pub mod genesis;
mod ledger;
pub mod mempool;
pub mod merkle;
pub mod receipt;
pub mod tx;

pub use account::{
    Account, AccountId, ChainParams, accounts_contract, prove_account, read_account, read_params,
    verify_account_proof,
};
pub use block::{Block, BlockHeader, MAX_BLOCK_TX_BYTES};
pub use check_cache::CheckCache;
pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use error::{ChainError, GenesisError, MempoolError, TxError};
pub use execute::{
    BlockContext, BuiltBlock, ExcludedTx, Exclusion, ExecutedBlock, build_block, execute_block,
    verify_block,
};
pub use genesis::{Genesis, GenesisContract};
pub use mempool::{Mempool, MempoolConfig};
pub use receipt::{CallRecord, Event, Receipt, TxStatus};
pub use tx::{Action, MAX_TX_BYTES, SignedTransaction, Transaction, TransactionV1};

/// A 32-byte BLAKE2b-256 digest: transaction, block and receipt hashes, Merkle roots.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Hash32(pub [u8; 32]);

impl Hash32 {
    /// 32 zero bytes: the parent hash of the genesis block.
    pub const ZERO: Hash32 = Hash32([0; 32]);
}

impl std::fmt::Display for Hash32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for Hash32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hash32({self})")
    }
}

impl From<shortcrust_store::Root> for Hash32 {
    fn from(root: shortcrust_store::Root) -> Self {
        Hash32(root.0)
    }
}

impl From<Hash32> for shortcrust_store::Root {
    fn from(hash: Hash32) -> Self {
        shortcrust_store::Root(hash.0)
    }
}

/// `BLAKE2b-256(tag || parts...)`.
pub(crate) fn tagged_hash(tag: &[u8], parts: &[&[u8]]) -> Hash32 {
    let mut state = blake2b_simd::Params::new().hash_length(32).to_state();
    state.update(tag);
    for part in parts {
        state.update(part);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(state.finalize().as_bytes());
    Hash32(out)
}

/// The borsh encoding of a value that cannot fail to encode (no maps, no I/O): every type of
/// this crate.
pub(crate) fn encode<T: borsh::BorshSerialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec never fails and none of our types has a fallible serializer.
    if value.serialize(&mut out).is_err() {
        out.clear();
    }
    out
}
