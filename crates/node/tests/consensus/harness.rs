//! The simulation harness: N validators of one chain in one process, on commonware's
//! deterministic runtime (simulated time, seeded scheduling) and simulated network, each with
//! its own node directory (state, chain database) on disk.

use std::time::Duration;

use commonware_cryptography::{Signer as _, ed25519};
use commonware_p2p::simulated::{self, Link, Network, Oracle};
use commonware_runtime::{Clock, Handle, Quota, Spawner, Supervisor as _, deterministic};
use commonware_utils::ordered::Set;
use commonware_utils::{NZU32, NZUsize, TryCollect};
use shortcrust_chain::{AccountId, Action, Genesis, Hash32, SignedTransaction, SigningKey};
use shortcrust_node::client::sign;
use shortcrust_node::consensus::{
    Behaviour, CHANNELS, ChainApp, Channels, ValidatorSetup, namespace, start_validator,
};
use shortcrust_node::{DEV_CHAIN_ID, Node, NodeConfig, dev_genesis, dev_key};
use tempfile::TempDir;

pub type PublicKey = ed25519::PublicKey;

/// Generous: the simulated network admits any block (blocks are bounded by the codec).
const MAX_MESSAGE: u32 = 16 * 1024 * 1024;
const QUOTA: Quota = Quota::per_second(NZU32!(100_000));

/// One validator of the simulation.
pub struct Sim {
    pub keys: Vec<ed25519::PrivateKey>,
    pub set: Set<PublicKey>,
    pub dirs: Vec<TempDir>,
    pub nodes: Vec<Option<Node>>,
    pub apps: Vec<Option<ChainApp>>,
    pub handles: Vec<Option<Handle<()>>>,
    pub behaviours: Vec<Behaviour>,
    /// Validators whose VM's `verify_groth16_bn254` accepts every proof.
    liars: Vec<usize>,
    pub oracle: Oracle<PublicKey, deterministic::Context>,
    pub genesis: Genesis,
}

/// The validator keys: fixed seeds, so every run of a test has the same validator set.
pub fn validator_keys(n: u64) -> Vec<ed25519::PrivateKey> {
    (0..n).map(ed25519::PrivateKey::from_seed).collect()
}

/// A link like a LAN with some loss: 10 ms ± 3 ms, 98 % delivered.
pub fn lan() -> Link {
    Link {
        latency: Duration::from_millis(10),
        jitter: Duration::from_millis(3),
        success_rate: commonware_utils::probability!(0.98),
    }
}

impl Sim {
    /// Starts `behaviours.len()` validators on a full mesh of [`lan`] links.
    pub async fn start(context: &deterministic::Context, behaviours: Vec<Behaviour>) -> Sim {
        Sim::start_with_liars(context, behaviours, Vec::new()).await
    }

    /// [`Sim::start`], the validators in `liars` running a Groth16 host function that lies.
    pub async fn start_with_liars(
        context: &deterministic::Context,
        behaviours: Vec<Behaviour>,
        liars: Vec<usize>,
    ) -> Sim {
        let n = behaviours.len() as u64;
        let keys = validator_keys(n);
        let set: Set<PublicKey> = keys
            .iter()
            .map(|k| k.public_key())
            .try_collect()
            .expect("distinct keys");
        let (network, oracle) = Network::new_with_peers(
            context.child("network"),
            simulated::Config {
                max_size: MAX_MESSAGE,
                disconnect_on_block: true,
                tracked_peer_sets: NZUsize!(1),
                max_peers_per_set: NZUsize!(16),
            },
            set.iter().cloned(),
        )
        .await;
        network.start();
        for a in set.iter() {
            for b in set.iter() {
                if a != b {
                    oracle.add_link(a.clone(), b.clone(), lan()).await.unwrap();
                }
            }
        }
        let genesis = dev_genesis();
        let mut sim = Sim {
            keys,
            set,
            dirs: (0..n).map(|_| tempfile::tempdir().unwrap()).collect(),
            nodes: (0..n).map(|_| None).collect(),
            apps: (0..n).map(|_| None).collect(),
            handles: (0..n).map(|_| None).collect(),
            behaviours,
            liars,
            oracle,
            genesis,
        };
        for i in 0..n as usize {
            sim.start_one(context, i).await;
        }
        sim
    }

    /// Starts (or restarts, on its directories) validator `i`.
    pub async fn start_one(&mut self, context: &deterministic::Context, i: usize) {
        let mut config = NodeConfig::new(self.dirs[i].path(), Some(self.genesis.clone()));
        config.vm.faults.groth16_accepts_everything = self.liars.contains(&i);
        let node = Node::open(config).expect("opens the node directory");
        let app = ChainApp::new(node.clone(), self.behaviours[i]);
        self.apps[i] = Some(app.clone());
        let key = self.keys[i].clone();
        let control = self.oracle.control(key.public_key());
        let mut pairs = Vec::new();
        for channel in CHANNELS {
            pairs.push(control.register(channel, QUOTA).await.unwrap());
        }
        let channels = Channels::from_pairs(
            pairs
                .try_into()
                .unwrap_or_else(|_| panic!("one pair per channel")),
        );
        let setup = ValidatorSetup {
            key,
            validators: self.set.clone(),
            namespace: namespace(DEV_CHAIN_ID),
            partition_prefix: format!("validator-{i}"),
        };
        let peers = self.oracle.manager();
        let handle = context.child("validator").with_attribute("index", i).spawn(
            move |context| async move {
                let validator =
                    start_validator(context, setup, app, channels, control, peers).await;
                let _ = validator.engine.await;
            },
        );
        self.nodes[i] = Some(node);
        self.handles[i] = Some(handle);
    }

    /// Crashes validator `i`: every task of it stops; its directories keep what was durable.
    pub async fn crash(&mut self, i: usize) {
        if let Some(handle) = self.handles[i].take() {
            handle.abort();
            let _ = handle.await;
        }
        self.nodes[i] = None;
        self.apps[i] = None;
    }

    /// Proposals validator `i` refused since it (re)started.
    pub fn refused(&self, i: usize) -> u64 {
        self.apps[i].as_ref().map_or(0, ChainApp::refused)
    }

    pub fn node(&self, i: usize) -> &Node {
        self.nodes[i].as_ref().expect("validator is running")
    }

    /// Waits (simulated time) until every validator in `who` has stored height `height`;
    /// panics after `limit` of simulated time (a liveness failure).
    pub async fn wait_for_height(
        &self,
        context: &deterministic::Context,
        who: &[usize],
        height: u64,
        limit: Duration,
    ) {
        let start = context.current();
        loop {
            if who
                .iter()
                .all(|&i| self.node(i).head().header.height >= height)
            {
                return;
            }
            let waited = context.current().duration_since(start).unwrap_or_default();
            assert!(
                waited < limit,
                "liveness: after {waited:?} the heads are {:?}, waiting for {height}",
                who.iter()
                    .map(|&i| self.node(i).head().header.height)
                    .collect::<Vec<_>>()
            );
            context.sleep(Duration::from_millis(50)).await;
        }
    }

    /// Safety: the validators in `who` stored the same block (hence the same state root) at
    /// every height up to `height`, each with a finalization certificate. Returns the hashes.
    pub fn assert_agree(&self, who: &[usize], height: u64) -> Vec<Hash32> {
        let mut hashes = Vec::new();
        for h in 0..=height {
            let blocks: Vec<_> = who
                .iter()
                .map(|&i| self.node(i).db().block(h).unwrap().expect("block stored"))
                .collect();
            for (b, &i) in blocks.iter().zip(who) {
                assert_eq!(
                    b.hash(),
                    blocks[0].hash(),
                    "safety: validators {} and {i} differ at height {h}",
                    who[0]
                );
                if h > 0 {
                    // Its own certificate, or a descendant's (finalized together): stored
                    // blocks are hash-linked, so the descendant's certifies this one too.
                    assert!(
                        self.node(i)
                            .db()
                            .next_finalization(h, u64::MAX)
                            .unwrap()
                            .is_some(),
                        "validator {i} stored block {h} with no certificate at or above it"
                    );
                }
            }
            hashes.push(blocks[0].hash());
        }
        hashes
    }

    /// Cuts every link between `a` and the other validators, in both directions.
    pub async fn isolate(&mut self, a: usize) {
        let pa = self.keys[a].public_key();
        for (j, k) in self.keys.iter().enumerate() {
            if j != a {
                let pj = k.public_key();
                let _ = self.oracle.remove_link(pa.clone(), pj.clone()).await;
                let _ = self.oracle.remove_link(pj, pa.clone()).await;
            }
        }
    }

    /// Restores the links [`Sim::isolate`] cut.
    pub async fn heal(&mut self, a: usize) {
        let pa = self.keys[a].public_key();
        for (j, k) in self.keys.iter().enumerate() {
            if j != a {
                let pj = k.public_key();
                self.oracle
                    .add_link(pa.clone(), pj.clone(), lan())
                    .await
                    .unwrap();
                self.oracle.add_link(pj, pa.clone(), lan()).await.unwrap();
            }
        }
    }
}

/// The chain account of validator `i`.
pub fn validator_account(sim: &Sim, i: usize) -> AccountId {
    shortcrust_node::consensus::account_of(&sim.keys[i].public_key())
}

/// A transfer on the dev chain from dev account `from`.
pub fn transfer(from: u32, nonce: u64, to: AccountId, amount: u128) -> SignedTransaction {
    sign(
        &dev_key(from),
        DEV_CHAIN_ID,
        nonce,
        0,
        1,
        Action::Transfer { to, amount },
    )
    .expect("signs")
}

pub fn dev_account(i: u32) -> AccountId {
    let key: SigningKey = dev_key(i);
    AccountId::from(&key.verifying_key())
}

/// Runs `f` on a deterministic runtime seeded with `seed` (a simulated-time limit of 10 min).
pub fn simulate<F, Fut>(seed: u64, f: F)
where
    F: FnOnce(deterministic::Context) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use commonware_runtime::Runner as _;
    let config = deterministic::Config::new()
        .with_seed(seed)
        .with_timeout(Some(Duration::from_secs(600)));
    deterministic::Runner::new(config).start(f);
}
