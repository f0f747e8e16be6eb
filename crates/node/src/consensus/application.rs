//! [`ChainApp`]: the chain as a commonware consensus application. The leader builds a block
//! from its mempool ([`build_block`]); every validator re-executes a proposal on its parent's
//! state and votes for it only if the block is valid and its advertised state root, receipts
//! root and gas used are what the execution produced ([`verify_block`]). A mismatch is a
//! refusal: a validator whose host function lies proposes blocks no honest validator votes
//! for (DESIGN §13, the seed's security model).
//!
//! # Speculative state
//!
//! Proposals build on notarized blocks that may never be finalized, and competing proposals
//! may share a parent. Executing a block commits its post-state to the state store as a new
//! root without touching any other root, so every candidate keeps its own state and the
//! finalized head's state is never disturbed. Which blocks this node has executed (and their
//! receipts, needed when one is finalized) is kept in memory, keyed by block hash; a block
//! whose parent state this node never computed (it certified the parent without executing it,
//! or it restarted) is reached by re-executing its ancestors from the last one it knows, which
//! the ancestry stream supplies. Roots of abandoned forks stay in the store: they are garbage,
//! never wrong (a later `shortcrust-store` compaction can drop them).
//!
//! # Verdicts
//!
//! `verify` answers `false` only on a verdict about the block ([`ChainError::is_verdict`]).
//! A failure of this node (a store error, a VM fault) leaves the request pending: consensus
//! then times the view out rather than record a vote this node cannot stand behind. A
//! timestamp too far in the future waits until this node's clock catches up.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, UNIX_EPOCH};

use commonware_consensus::Application;
use commonware_consensus::marshal::ancestry::Ancestry;
use commonware_consensus::simplex::scheme::ed25519::Scheme;
use commonware_consensus::simplex::types::Context;
use commonware_cryptography::{Digested, ed25519, sha256};
use commonware_runtime::{Clock, Metrics, Spawner};
use futures::StreamExt;
use shortcrust_chain::{
    AccountId, Block, BlockContext, BlockHeader, ChainError, Hash32, Receipt, build_block,
    verify_block,
};

use crate::Node;
use crate::consensus::block::ConsensusBlock;

/// How far ahead of this node's clock a proposal's timestamp may be before its verdict waits:
/// validators' clocks differ by seconds, not minutes.
pub const MAX_CLOCK_DRIFT: Duration = Duration::from_secs(15);

/// How often an idle leader looks at its mempool again (see [`ChainApp::with_idle_wait`]).
const IDLE_POLL: Duration = Duration::from_millis(10);

/// How a validator behaves. Everything but `Honest` exists so that tests can check that honest
/// validators refuse what a faulty or malicious one proposes; a real node is always `Honest`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Behaviour {
    #[default]
    Honest,
    /// Proposes blocks whose header advertises a state root other than the execution's.
    WrongStateRoot,
    /// Proposes blocks whose first transaction's signature is broken (header kept consistent).
    BadSignature,
}

/// The execution of a block this node computed (its state is committed in the store).
#[derive(Clone, Debug)]
pub(crate) struct Executed {
    pub(crate) header: BlockHeader,
    pub(crate) receipts: Vec<Receipt>,
}

pub(crate) struct Shared {
    pub(crate) node: Node,
    behaviour: Behaviour,
    /// Blocks executed above the finalized head, by hash.
    executed: Mutex<BTreeMap<Hash32, Executed>>,
    /// Proposals this validator voted against (a verdict), since it started.
    refused: AtomicU64,
    /// How long a leader with an empty mempool waits for transactions before proposing an
    /// empty block (see [`ChainApp::with_idle_wait`]).
    idle_wait: Duration,
}

/// The consensus application of one validator (cheap to clone). See the module docs.
#[derive(Clone)]
pub struct ChainApp {
    pub(crate) shared: Arc<Shared>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The chain account of a validator's consensus key: one Ed25519 key is both.
pub fn account_of(key: &ed25519::PublicKey) -> AccountId {
    let bytes: &[u8] = key.as_ref();
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes[..32]);
    AccountId::from_public_key(&out)
}

fn seconds<E: Clock>(runtime: &E) -> u64 {
    runtime
        .current()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl ChainApp {
    /// An application that proposes at once, even with an empty mempool (the simulation tests
    /// run this: simulated time is free).
    pub fn new(node: Node, behaviour: Behaviour) -> ChainApp {
        ChainApp::with_idle_wait(node, behaviour, Duration::ZERO)
    }

    /// An application whose leader, finding its mempool empty, waits up to `idle_wait` for a
    /// transaction before proposing an empty block. Without it an idle chain on a fast network
    /// finalizes an empty block per round trip; keep it well under the leader timeout (1 s),
    /// or idle views time out instead.
    pub fn with_idle_wait(node: Node, behaviour: Behaviour, idle_wait: Duration) -> ChainApp {
        ChainApp {
            shared: Arc::new(Shared {
                node,
                behaviour,
                executed: Mutex::new(BTreeMap::new()),
                refused: AtomicU64::new(0),
                idle_wait,
            }),
        }
    }

    pub fn node(&self) -> &Node {
        &self.shared.node
    }

    /// How many proposals this validator has refused since it started (a verdict against the
    /// block: invalid, or not what its header claims).
    pub fn refused(&self) -> u64 {
        self.shared.refused.load(Ordering::Relaxed)
    }

    fn refuse(&self, block: Hash32, why: &dyn std::fmt::Display) -> bool {
        self.shared.refused.fetch_add(1, Ordering::Relaxed);
        tracing_log(&format!("refusing block {block}: {why}"));
        false
    }

    /// The chain's block at height 0, as consensus starts from it.
    pub fn genesis_block(&self) -> ConsensusBlock {
        let db = self.shared.node.db();
        match db.block(0) {
            Ok(Some(block)) => ConsensusBlock::new(block),
            // `Node::open` stores the genesis block before anything else: its absence is a
            // broken node directory, which no validator can run on.
            other => panic!("the node directory holds no genesis block: {other:?}"),
        }
    }

    /// The header of a block whose post-state this node holds: one it executed, or a stored
    /// (finalized) one.
    fn known(&self, hash: &Hash32) -> Option<BlockHeader> {
        if let Some(e) = lock(&self.shared.executed).get(hash) {
            return Some(e.header.clone());
        }
        let db = self.shared.node.db();
        let height = db.height_of(hash).ok()??;
        Some(db.block(height).ok()??.header)
    }

    /// The execution of `hash`, taken out of the cache (the finalizer stores it).
    pub(crate) fn take_executed(&self, hash: &Hash32) -> Option<Executed> {
        lock(&self.shared.executed).remove(hash)
    }

    /// Forgets executions at or below a finalized height (they can no longer be built on).
    pub(crate) fn prune(&self, height: u64) {
        lock(&self.shared.executed).retain(|_, e| e.header.height > height);
    }

    fn remember(&self, header: BlockHeader, receipts: Vec<Receipt>) {
        lock(&self.shared.executed).insert(header.hash(), Executed { header, receipts });
    }

    /// Re-executes `block` on its parent's state (which this node must hold) and remembers it.
    fn execute(&self, parent: &BlockHeader, block: &Block) -> Result<(), ChainError> {
        let node = &self.shared.node;
        let executed = verify_block(node.vm(), node.checks(), parent, block)?;
        self.remember(block.header.clone(), executed.receipts);
        Ok(())
    }

    /// [`ChainApp::execute`] on the runtime's blocking pool; `None` if the runtime dropped the
    /// task (it is stopping).
    async fn execute_off<E: Spawner>(
        &self,
        runtime: &E,
        parent: BlockHeader,
        block: Block,
    ) -> Option<Result<(), ChainError>> {
        let app = self.clone();
        off_executor(runtime, move || app.execute(&parent, &block)).await
    }

    /// Makes sure this node holds the post-state of `first` (the newest block of `ancestry`):
    /// walks back to the newest ancestor it knows and re-executes forward. `Err(true)` if an
    /// ancestor is invalid (a verdict), `Err(false)` if this node cannot tell.
    async fn ensure_state<E: Spawner>(
        &self,
        runtime: &E,
        first: Digested<ConsensusBlock>,
        ancestry: &mut (impl Ancestry<ConsensusBlock> + 'static),
    ) -> Result<BlockHeader, bool> {
        let mut pending = vec![first];
        let base = loop {
            let newest = pending.last().map(|b| b.inner().hash());
            if let Some(header) = newest.and_then(|h| self.known(&h)) {
                pending.pop();
                break header;
            }
            match ancestry.next().await {
                Some(block) => pending.push(block),
                None => return Err(false),
            }
        };
        let mut parent = base;
        while let Some(block) = pending.pop() {
            let block = block.inner().block().clone();
            let header = block.header.clone();
            match self.execute_off(runtime, parent, block).await {
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    tracing_log(&format!("ancestor {} refused: {e}", header.hash()));
                    return Err(e.is_verdict());
                }
                None => return Err(false),
            }
            parent = header;
        }
        Ok(parent)
    }

    /// What the faulty behaviours do to a block this node built.
    fn tamper(&self, built: Block) -> Block {
        let mut block = built;
        match self.shared.behaviour {
            Behaviour::Honest => {}
            Behaviour::WrongStateRoot => block.header.state_root.0[0] ^= 1,
            Behaviour::BadSignature => {
                if let Some(tx) = block.transactions.first_mut() {
                    tx.signature[0] ^= 1;
                }
            }
        }
        block
    }
}

/// Runs `work` (executing a block) on the runtime's blocking pool. A block holds a thread for
/// as long as its gas buys, up to seconds at the default block gas limit: on the async workers
/// it would starve consensus's own tasks (votes, timeouts, gossip) meanwhile. `None` if the
/// runtime dropped the task (it is stopping).
async fn off_executor<E: Spawner, T: Send + 'static>(
    runtime: &E,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    runtime
        .child("execute")
        .shared(true)
        .spawn(move |_| async move { work() })
        .await
        .ok()
}

/// Diagnostics go to stderr: the node has no logging framework yet, and nothing here affects a
/// result.
fn tracing_log(message: &str) {
    eprintln!("shortcrust-consensus: {message}");
}

impl<E: Clock + Spawner + Metrics> Application<E> for ChainApp {
    type SigningScheme = Scheme;
    type Context = Context<sha256::Digest, ed25519::PublicKey>;
    type Block = ConsensusBlock;
    type Input = ();

    async fn propose(
        &mut self,
        (runtime, context): (E, Self::Context),
        mut ancestry: impl Ancestry<Self::Block>,
        _input: (),
    ) -> Option<Digested<Self::Block>> {
        let parent = ancestry.next().await?;
        let parent = self
            .ensure_state(&runtime, parent, &mut ancestry)
            .await
            .ok()?;
        let block_context = BlockContext {
            height: parent.height + 1,
            timestamp: seconds(&runtime).max(parent.timestamp),
            proposer: account_of(&context.leader),
        };
        let mut candidates = self.shared.node.pending(parent.gas_limit);
        let mut waited = Duration::ZERO;
        while candidates.is_empty() && waited < self.shared.idle_wait {
            let step = IDLE_POLL.min(self.shared.idle_wait - waited);
            runtime.sleep(step).await;
            waited += step;
            candidates = self.shared.node.pending(parent.gas_limit);
        }
        let building = {
            let (node, parent) = (self.shared.node.clone(), parent.clone());
            off_executor(&runtime, move || {
                build_block(
                    node.vm(),
                    node.checks(),
                    &parent,
                    &block_context,
                    candidates,
                )
            })
            .await?
        };
        let built = match building {
            Ok(built) => built,
            Err(e) => {
                tracing_log(&format!("building block {} failed: {e}", parent.height + 1));
                return None;
            }
        };
        self.remember(built.block.header.clone(), built.receipts);
        let block = self.tamper(built.block);
        Some(ConsensusBlock::new(block).digested())
    }

    async fn verify(
        &mut self,
        (runtime, context): (E, Self::Context),
        mut ancestry: impl Ancestry<Self::Block>,
    ) -> bool {
        let Some(proposal) = ancestry.next().await else {
            return false;
        };
        let block = proposal.inner().block().clone();
        if self.known(&block.hash()).is_some() {
            return true;
        }
        if block.header.proposer != account_of(&context.leader) {
            let why = format!(
                "it names proposer {}, the leader is {}",
                block.header.proposer,
                account_of(&context.leader)
            );
            return self.refuse(block.hash(), &why);
        }
        // A timestamp ahead of this node's clock may become acceptable: wait, never refuse.
        let now = seconds(&runtime);
        let ahead = block.header.timestamp.saturating_sub(now);
        if ahead > MAX_CLOCK_DRIFT.as_secs() {
            runtime
                .sleep(Duration::from_secs(ahead - MAX_CLOCK_DRIFT.as_secs()))
                .await;
        }
        let Some(parent) = ancestry.next().await else {
            return false;
        };
        let parent = match self.ensure_state(&runtime, parent, &mut ancestry).await {
            Ok(parent) => parent,
            Err(true) => return self.refuse(block.hash(), &"an ancestor is invalid"),
            Err(false) => return futures::future::pending().await,
        };
        let hash = block.hash();
        match self.execute_off(&runtime, parent, block).await {
            Some(Ok(())) => true,
            Some(Err(e)) if e.is_verdict() => self.refuse(hash, &e),
            None => futures::future::pending().await,
            Some(Err(e)) => {
                tracing_log(&format!("cannot verify block {}: {e}", hash));
                futures::future::pending().await
            }
        }
    }
}
