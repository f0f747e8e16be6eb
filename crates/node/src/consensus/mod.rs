//! Many validators, one chain (DESIGN §13): the chain as an application of commonware's BFT
//! consensus (simplex with marshal, commonware 2026.10.0).
//!
//! - [`block`]: the chain's block as consensus sees it (digest, bounded canonical encoding);
//! - [`application`]: [`ChainApp`], propose from the mempool and verify by re-execution;
//! - [`finalizer`]: stores finalized blocks with their certificates;
//! - [`gossip`]: transactions submitted to one validator reach every validator's mempool;
//! - [`light`]: a block is final, checked offline from its certificate and the validator set;
//! - [`engine`]: [`start_validator`], the wiring of one validator, for any runtime and network.
//!
//! The simulation tests (`tests/consensus/`) run several validators in one process on
//! commonware's deterministic runtime and simulated network.

pub mod application;
pub mod block;
pub mod engine;
pub mod finalizer;
pub mod gossip;
pub mod light;

pub use application::{Behaviour, ChainApp, account_of};
pub use block::ConsensusBlock;
pub use engine::{CHANNELS, Channels, Validator, ValidatorSetup, namespace, start_validator};
