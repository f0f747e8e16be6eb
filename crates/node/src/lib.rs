//! The Shortcrust node (single validator): block production over `shortcrust-chain`, block and
//! receipt storage with indexes, and JSON-RPC 2.0 over HTTP and WebSocket.
//!
//! - [`Node`] ([`node`]): opens a node directory, builds the genesis on first start, keeps the
//!   mempool and produces blocks on a timer or, in dev mode, as soon as transactions arrive;
//! - [`db`]: blocks, receipts, the indexes (height, hash, transaction, events by contract) and
//!   the head in `dir/chain.redb`;
//! - [`rpc`]: the JSON-RPC methods (`sc_*`) and the server with its limits;
//! - [`explorer`]: the block explorer's pages, served on the RPC port (GET `/`);
//! - [`RpcCode`]: every RPC error code, stable;
//! - [`consensus`]: the chain on commonware BFT consensus among many validators;
//! - [`run`]: what `shortcrust node` does (also the `shortcrust-node` binary);
//! - [`validator`]: what `shortcrust node --config FILE` does: one validator of a real
//!   network (commonware's tokio runtime, authenticated p2p, the JSON-RPC beside it).
//!
//! # The node directory
//!
//! `dir/state/` (the Merkle state, `shortcrust-store`'s redb database), `dir/modules/`
//! (compiled contracts), `dir/chain.redb` (blocks). A non-empty directory holding neither is
//! refused.
//!
//! # Crash safety
//!
//! A node killed at any instant (SIGKILL, power loss) restarts at its last stored block, with
//! every transaction of that block applied and none of the next. The state store commits
//! without `fsync` (`OpenOptions::durable_commits: false`), and each block is committed in this
//! order ([`Node::produce_block`]):
//!
//! 1. `build_block` executes the transactions and commits the state: root `R`, not yet durable;
//! 2. `PersistentStore::sync` makes `R` (and every commit before it) durable;
//! 3. one durable redb transaction on `chain.redb` stores the block (whose header names `R`),
//!    its receipts, its index entries and the new head height — all or nothing;
//! 4. the in-memory head moves and the block is announced.
//!
//! A crash before 3 completes leaves `chain.redb` at the previous block `B`, whose state root
//! was made durable by step 2 of its own commit; the state store may hold more (`R`, even as
//! its head). A crash after 3 leaves `chain.redb` at the new block, whose root `R` is durable
//! since step 2. Either way, the stored head block's state root is retained by the state
//! store, and on restart [`Node::open`] makes it the state head (`Store::set_head`): the
//! state is exactly the one after the head block — every transaction of it applied (they are
//! in that root) and none of the next (whose root is no longer the head; the next block is
//! built on the head block's root explicitly anyway). The mempool is in memory only: pending
//! transactions are lost with the process and must be resent, which the nonces make safe.
//! `tests/crash.rs` checks this with real SIGKILLs.

pub mod client;
pub mod consensus;
pub mod db;
mod error;
pub mod explorer;
pub mod node;
pub mod rpc;
mod run;
pub mod validator;

pub use db::{CHAIN_DB_FILE, ChainDb, EventLocation, TxLocation};
pub use error::{NodeError, RpcCode};
pub use node::{Head, NewBlock, Node, NodeConfig, Production};
pub use rpc::{RpcConfig, serve};
pub use run::{
    DEV_ACCOUNTS, DEV_BALANCE, DEV_CHAIN_ID, RunOptions, dev_accounts_text, dev_genesis, dev_key,
    run, watch_shutdown,
};
pub use validator::{ValidatorConfig, run_validator};
