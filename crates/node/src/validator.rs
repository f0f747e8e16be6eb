//! `shortcrust node --config FILE`: one validator of a real network. The consensus engine
//! ([`start_validator`]) on commonware's tokio runtime, authenticated p2p (`lookup`: a fixed
//! validator set at known addresses, encrypted and authenticated with each validator's key),
//! and the node's JSON-RPC beside it. `shortcrust devnet` writes one such file per validator.
//!
//! # The configuration file (TOML)
//!
//! ```toml
//! dir = "validator-0"          # node directory (state, blocks, consensus journals)
//! genesis = "genesis.json"     # the chain's genesis (the same file on every validator)
//! key_file = "validator-0.key" # 64 hex digits: this validator's Ed25519 secret seed
//! p2p = "127.0.0.1:30300"      # where this validator listens to its peers
//! rpc = "127.0.0.1:8645"       # JSON-RPC (HTTP and WebSocket); port 0 picks a free port
//! idle_wait_ms = 500           # optional: how long a leader waits for transactions
//!
//! [[validators]]               # every validator, this one included
//! public_key = "<64 hex digits>"
//! address = "127.0.0.1:30300"
//! ```
//!
//! Relative paths are relative to the configuration file's directory. The validator's chain
//! account is its consensus key's account ([`account_of`]): fees of the blocks it proposes go
//! there. Unknown fields are errors, so a typo never silently falls back to a default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use commonware_codec::DecodeExt as _;
use commonware_cryptography::{ChaCha20Poly1305, Signer as _, ed25519};
use commonware_p2p::authenticated::lookup;
use commonware_p2p::{Address, AddressableManager as _};
use commonware_runtime::{Quota, Runner as _, Supervisor as _, tokio as cw_tokio};
use commonware_stream::cups::{self, Cups};
use commonware_stream::sake::{self, Sake};
use commonware_utils::ordered::{Map, Set};
use commonware_utils::{NZU32, NZUsize, TryCollect as _};
use serde::{Deserialize, Serialize};
use shortcrust_chain::Genesis;

use crate::consensus::block::MAX_BLOCK_BYTES;
use crate::consensus::{Behaviour, ChainApp, Channels, ValidatorSetup, account_of, namespace};
use crate::consensus::{CHANNELS, start_validator};
use crate::error::NodeError;
use crate::node::{Node, NodeConfig};
use crate::rpc::{RpcConfig, serve};
use crate::run::wait_for_shutdown;

/// Default time a leader waits for transactions before proposing an empty block: half the
/// leader timeout (1 s), so an idle chain makes about two empty blocks a second instead of one
/// per network round trip, and a proposal still arrives well before its view times out.
pub const DEFAULT_IDLE_WAIT: Duration = Duration::from_millis(500);

/// Largest p2p message: a block of `MAX_BLOCK_BYTES` with its certificate and framing.
pub const MAX_MESSAGE_BYTES: u32 = (MAX_BLOCK_BYTES + 1024 * 1024) as u32;

/// Messages per second a peer may send on one channel. Generous: votes and blocks are few;
/// transaction gossip carries batches.
const CHANNEL_QUOTA: Quota = Quota::per_second(NZU32!(10_000));

/// One validator of the set, as the configuration file lists it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Peer {
    /// 64 hex digits: the validator's Ed25519 public key.
    pub public_key: String,
    /// Its p2p address.
    pub address: SocketAddr,
}

/// The configuration file of one validator (see the module docs).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ValidatorConfig {
    pub dir: PathBuf,
    pub genesis: PathBuf,
    pub key_file: PathBuf,
    pub p2p: SocketAddr,
    pub rpc: SocketAddr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_wait_ms: Option<u64>,
    pub validators: Vec<Peer>,
}

impl ValidatorConfig {
    /// Reads a configuration file; relative paths become relative to its directory.
    pub fn from_file(path: &Path) -> Result<ValidatorConfig, NodeError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| NodeError::Config(format!("{}: {e}", path.display())))?;
        let mut config: ValidatorConfig = toml::from_str(&text)
            .map_err(|e| NodeError::Config(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in [&mut config.dir, &mut config.genesis, &mut config.key_file] {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        Ok(config)
    }

    /// The TOML text of this configuration.
    pub fn to_toml(&self) -> Result<String, NodeError> {
        toml::to_string(self).map_err(|e| NodeError::Config(format!("configuration: {e}")))
    }
}

/// Parses 64 hex digits into 32 bytes.
fn hex32(what: &str, text: &str) -> Result<[u8; 32], NodeError> {
    let bytes = hex::decode(text.trim())
        .map_err(|e| NodeError::Config(format!("{what}: not hex ({e})")))?;
    bytes
        .try_into()
        .map_err(|_| NodeError::Config(format!("{what}: expected 64 hex digits")))
}

/// Reads a validator's secret seed (64 hex digits) from `path`.
pub fn read_key(path: &Path) -> Result<ed25519::PrivateKey, NodeError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| NodeError::Config(format!("key file {}: {e}", path.display())))?;
    let seed = hex32(&format!("key file {}", path.display()), &text)?;
    ed25519::PrivateKey::decode(bytes::Bytes::copy_from_slice(&seed))
        .map_err(|e| NodeError::Config(format!("key file {}: {e}", path.display())))
}

/// A fresh validator secret seed from the operating system's randomness (rand's thread
/// generator: a CSPRNG seeded from the OS).
pub fn generate_seed() -> [u8; 32] {
    use rand_core_010::Rng as _;
    let mut seed = [0u8; 32];
    rand_010::rng().fill_bytes(&mut seed);
    seed
}

/// The public key (64 hex digits) of a secret seed.
pub fn public_key_hex(seed: &[u8; 32]) -> Result<String, NodeError> {
    let key = ed25519::PrivateKey::decode(bytes::Bytes::copy_from_slice(seed))
        .map_err(|e| NodeError::Config(format!("secret seed: {e}")))?;
    let public = key.public_key();
    let bytes: &[u8] = public.as_ref();
    Ok(hex::encode(bytes))
}

/// Parses a validator's public key (64 hex digits).
pub fn parse_public_key(text: &str) -> Result<ed25519::PublicKey, NodeError> {
    let bytes = hex32("validator public key", text)?;
    ed25519::PublicKey::decode(bytes::Bytes::copy_from_slice(&bytes))
        .map_err(|e| NodeError::Config(format!("validator public key {text}: {e}")))
}

/// The validator set of a configuration, sorted (duplicates are a configuration error).
pub fn validator_set(peers: &[Peer]) -> Result<Set<ed25519::PublicKey>, NodeError> {
    let keys = peers
        .iter()
        .map(|p| parse_public_key(&p.public_key))
        .collect::<Result<Vec<_>, _>>()?;
    keys.into_iter()
        .try_collect()
        .map_err(|_| NodeError::Config("a validator is listed twice".into()))
}

/// The p2p namespace of a chain: a handshake of one chain is never accepted by another, and
/// never mistaken for a consensus vote (which signs under [`namespace`]).
pub fn p2p_namespace(chain_id: u64) -> Vec<u8> {
    format!("shortcrust/{chain_id}/p2p").into_bytes()
}

/// Runs the validator of `config_path` until Ctrl-C or SIGTERM. Prints `validator: <key>`,
/// `account: <id>`, `p2p: <addr>`, then the RPC lines of `shortcrust node` (`rpc: http://…`,
/// `ws: ws://…`, `explorer: http://…/`).
pub fn run_validator(config_path: &Path) -> Result<(), NodeError> {
    let config = ValidatorConfig::from_file(config_path)?;
    let key = read_key(&config.key_file)?;
    let validators = validator_set(&config.validators)?;
    let me = key.public_key();
    if validators.position(&me).is_none() {
        return Err(NodeError::Config(format!(
            "this validator's key ({me}) is not in the validator set"
        )));
    }
    let genesis = Genesis::from_file(&config.genesis)?;
    let chain_id = genesis.params.chain_id;
    let node = Node::open(NodeConfig::new(&config.dir, Some(genesis)))?;
    let idle_wait = config
        .idle_wait_ms
        .map_or(DEFAULT_IDLE_WAIT, Duration::from_millis);
    let app = ChainApp::with_idle_wait(node.clone(), Behaviour::Honest, idle_wait);
    let peers: Map<ed25519::PublicKey, Address> = config
        .validators
        .iter()
        .map(|p| Ok((parse_public_key(&p.public_key)?, Address::from(p.address))))
        .collect::<Result<Vec<_>, NodeError>>()?
        .try_into()
        .map_err(|_| NodeError::Config("a validator is listed twice".into()))?;

    let storage = config.dir.join("consensus");
    let runtime = cw_tokio::Runner::new(
        cw_tokio::Config::new()
            .with_storage_directory(storage)
            .with_worker_threads(2)
            .with_tcp_nodelay(Some(true)),
    );
    runtime.start(|context| async move {
        let handshake = Cups::<_, ChaCha20Poly1305>::new(
            Sake {
                signer: key.clone(),
                synchrony_bound: Duration::from_secs(5),
                max_handshake_age: Duration::from_secs(10),
                version: sake::Version::V1,
            },
            cups::Version::V1,
        );
        let p2p = lookup::Config::local(
            handshake,
            &p2p_namespace(chain_id),
            config.p2p,
            NZUsize!(validators.len().max(1)),
            MAX_MESSAGE_BYTES,
            NZUsize!(1024),
        );
        let (mut network, mut oracle) = lookup::Network::new(context.child("network"), p2p);
        let _ = oracle.track(0, peers);
        let channels =
            Channels::from_pairs(CHANNELS.map(|channel| network.register(channel, CHANNEL_QUOTA)));
        network.start();
        let setup = ValidatorSetup {
            key,
            validators,
            namespace: namespace(chain_id),
            partition_prefix: "validator".into(),
        };
        let validator = start_validator(
            context.child("validator"),
            setup,
            app,
            channels,
            oracle.clone(),
            oracle,
        )
        .await;

        let rpc = RpcConfig {
            addr: config.rpc,
            ..RpcConfig::default()
        };
        let (handle, addr) = serve(node.clone(), &rpc).await?;
        let head = node.head();
        print!(
            "Shortcrust validator, chain {chain_id} at height {} ({})\ndirectory: {}\n\
             validator: {me}\naccount: {}\np2p: {}\nrpc: http://{addr}\nws: ws://{addr}\n\
             explorer: http://{addr}/\n",
            head.header.height,
            head.hash,
            config.dir.display(),
            account_of(&me),
            config.p2p,
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();

        let engine = validator.engine;
        futures::pin_mut!(engine);
        let shutdown = wait_for_shutdown();
        futures::pin_mut!(shutdown);
        let outcome = match futures::future::select(engine, shutdown).await {
            futures::future::Either::Left((ended, _)) => Err(NodeError::Config(format!(
                "the consensus engine stopped: {ended:?}"
            ))),
            futures::future::Either::Right(_) => Ok(()),
        };
        let _ = handle.stop();
        handle.stopped().await;
        outcome
    })
}
