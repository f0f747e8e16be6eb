//! [`Node`]: the state, the chain database, the mempool and block production.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use shortcrust_chain::{
    AccountId, Block, BlockContext, BlockHeader, ChainParams, CheckCache, Genesis, Hash32, Mempool,
    MempoolConfig, MempoolError, Receipt, SignedTransaction, build_block, read_params,
};
use shortcrust_store::{OpenOptions, PersistentStore, Root, StateView, Store};
use shortcrust_vm::{Vm, VmConfig};
use tokio::sync::broadcast;

use crate::db::{CHAIN_DB_FILE, ChainDb};
use crate::error::NodeError;

/// How blocks are produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Production {
    /// One block every interval, empty or not (the chain's clock keeps moving).
    Interval(Duration),
    /// A block as soon as the mempool holds transactions, at most one per `min_interval`
    /// (`--dev`): transactions are included within milliseconds, and a burst shares a block.
    OnDemand { min_interval: Duration },
}

/// What a node needs to start.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// The node directory: the state in `dir/state`, compiled modules in `dir/modules`, blocks
    /// in `dir/chain.redb`.
    pub dir: PathBuf,
    /// Builds the first state when the directory holds no chain yet; on a restart, if given, its
    /// chain id must be the stored chain's.
    pub genesis: Option<Genesis>,
    pub production: Production,
    /// Receives the fees of the blocks this node proposes.
    pub proposer: AccountId,
    /// Mempool limits; `None` for `MempoolConfig::new` defaults.
    pub mempool: Option<MempoolConfig>,
    /// Most gas a read-only `call` may use. Default 10⁹ (about 0.1 s of work).
    pub query_gas_limit: u64,
    /// The VM's configuration; its `module_cache_dir` is always `dir/modules`. Default
    /// `VmConfig::default()`.
    pub vm: VmConfig,
}

impl NodeConfig {
    pub fn new(dir: impl Into<PathBuf>, genesis: Option<Genesis>) -> NodeConfig {
        NodeConfig {
            dir: dir.into(),
            genesis,
            production: Production::Interval(Duration::from_secs(1)),
            proposer: AccountId::default(),
            mempool: None,
            query_gas_limit: 1_000_000_000,
            vm: VmConfig::default(),
        }
    }
}

/// A new block, as announced to subscribers.
#[derive(Clone, Debug)]
pub struct NewBlock {
    pub block: Arc<Block>,
    pub receipts: Arc<Vec<Receipt>>,
}

/// The head block.
#[derive(Clone, Debug)]
pub struct Head {
    pub header: BlockHeader,
    pub hash: Hash32,
}

pub(crate) struct Inner {
    pub(crate) vm: Vm,
    state: Arc<PersistentStore>,
    pub(crate) db: ChainDb,
    pub(crate) params: ChainParams,
    pub(crate) config: NodeConfig,
    mempool: Mutex<Mempool>,
    /// Stateless verdicts (signatures above all), shared by the mempool and block execution so
    /// that no transaction is checked twice on this node (`shortcrust_chain::check_cache`).
    pub(crate) checks: Arc<CheckCache>,
    head: RwLock<Head>,
    pub(crate) blocks: broadcast::Sender<NewBlock>,
    wake: (Mutex<bool>, Condvar),
    stop: AtomicBool,
    /// Where transactions admitted from clients go to be gossiped to the other validators
    /// (set on a validators' chain, see `consensus::gossip`).
    gossip: Mutex<Option<futures::channel::mpsc::UnboundedSender<Vec<SignedTransaction>>>>,
}

/// A running Shortcrust node (cheap to clone). See the crate docs.
#[derive(Clone)]
pub struct Node {
    pub(crate) inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Node {
    /// Opens the node directory: resumes at the last stored block, or builds the genesis on
    /// first start. Does not produce blocks until [`Node::start_producing`].
    pub fn open(config: NodeConfig) -> Result<Node, NodeError> {
        let dir = &config.dir;
        check_dir(dir)?;
        std::fs::create_dir_all(dir)?;
        let state = Arc::new(PersistentStore::open_with(
            dir.join("state"),
            OpenOptions {
                durable_commits: false,
                ..OpenOptions::default()
            },
        )?);
        let vm = Vm::with_store(
            state.clone(),
            VmConfig {
                module_cache_dir: Some(dir.join("modules")),
                ..config.vm.clone()
            },
        )?;
        let db = ChainDb::open(&dir.join(CHAIN_DB_FILE))?;
        let header = match db.head()? {
            Some(height) => {
                let block = db
                    .block(height)?
                    .ok_or_else(|| NodeError::Corrupted(format!("head block {height} missing")))?;
                // The state was made durable before the block was stored (see the crate
                // docs), so its root is retained; commits after it (a block executed but never
                // stored) are abandoned by moving the head back.
                state.set_head(&block.header.state_root()).map_err(|e| {
                    NodeError::Corrupted(format!(
                        "the state of head block {height} is not in the state store: {e}"
                    ))
                })?;
                block.header
            }
            None => {
                let genesis = config.genesis.as_ref().ok_or_else(|| {
                    NodeError::Config(format!(
                        "{} holds no chain yet: give a genesis (--genesis FILE or --dev)",
                        dir.display()
                    ))
                })?;
                let root = genesis.build(&vm)?;
                state.sync()?;
                let header = genesis.header(root);
                let block = Block {
                    header: header.clone(),
                    transactions: Vec::new(),
                };
                db.commit_block(&block, &[])?;
                header
            }
        };
        let params = read_params(&*state.view(&header.state_root())?)?;
        if let Some(g) = &config.genesis
            && g.params.chain_id != params.chain_id
        {
            return Err(NodeError::Config(format!(
                "{} holds chain {}, the genesis is for chain {}",
                dir.display(),
                params.chain_id,
                g.params.chain_id
            )));
        }
        let mempool_config = match &config.mempool {
            Some(m) => MempoolConfig {
                params,
                ..m.clone()
            },
            None => MempoolConfig::new(params),
        };
        let (blocks, _) = broadcast::channel(256);
        let hash = header.hash();
        let checks = Arc::new(CheckCache::default());
        Ok(Node {
            inner: Arc::new(Inner {
                vm,
                state,
                db,
                params,
                config,
                mempool: Mutex::new(Mempool::with_checks(mempool_config, checks.clone())),
                checks,
                head: RwLock::new(Head { header, hash }),
                blocks,
                wake: (Mutex::new(false), Condvar::new()),
                stop: AtomicBool::new(false),
                gossip: Mutex::new(None),
            }),
        })
    }

    pub fn vm(&self) -> &Vm {
        &self.inner.vm
    }

    /// The verdicts of the stateless checks this node already ran (pass it to `build_block`,
    /// `verify_block` and `execute_block`).
    pub fn checks(&self) -> &CheckCache {
        &self.inner.checks
    }

    pub fn db(&self) -> &ChainDb {
        &self.inner.db
    }

    pub fn params(&self) -> ChainParams {
        self.inner.params
    }

    pub fn config(&self) -> &NodeConfig {
        &self.inner.config
    }

    /// The head block's header and hash.
    pub fn head(&self) -> Head {
        self.inner
            .head
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The state at the head.
    pub fn head_view(&self) -> Result<Arc<dyn StateView>, NodeError> {
        Ok(self.inner.state.view(&self.head().header.state_root())?)
    }

    /// The state store's head root (equals the head block's state root while running).
    pub fn state_head(&self) -> Result<Root, NodeError> {
        Ok(self.inner.state.head()?)
    }

    pub fn mempool_len(&self) -> usize {
        lock(&self.inner.mempool).len()
    }

    /// A pending transaction.
    pub fn pending_tx(&self, hash: &Hash32) -> Option<SignedTransaction> {
        lock(&self.inner.mempool).get(hash).cloned()
    }

    /// New blocks, as they are stored.
    pub fn subscribe(&self) -> broadcast::Receiver<NewBlock> {
        self.inner.blocks.subscribe()
    }

    /// Admits transactions into the mempool (signatures verified strictly, on all cores, through
    /// the node's check cache); one result each.
    /// On a validators' chain, the admitted ones are also gossiped to the other validators.
    pub fn submit(&self, txs: Vec<SignedTransaction>) -> Vec<Result<Hash32, MempoolError>> {
        let gossip = lock(&self.inner.gossip).clone();
        let Some(gossip) = gossip else {
            return self.admit(txs);
        };
        let results = self.admit(txs.clone());
        let admitted: Vec<_> = txs
            .into_iter()
            .zip(&results)
            .filter_map(|(tx, r)| r.is_ok().then_some(tx))
            .collect();
        if !admitted.is_empty() {
            // A closed gossip channel (the validator stopping) only means no forwarding.
            let _ = gossip.unbounded_send(admitted);
        }
        results
    }

    /// Sends the transactions [`Node::submit`] admits to `sink` from now on.
    pub fn gossip_to(&self, sink: futures::channel::mpsc::UnboundedSender<Vec<SignedTransaction>>) {
        *lock(&self.inner.gossip) = Some(sink);
    }

    /// Admits transactions into the mempool without gossiping them (those a peer gossiped).
    pub fn admit(&self, txs: Vec<SignedTransaction>) -> Vec<Result<Hash32, MempoolError>> {
        // The expensive checks (signatures) run here, on all cores and outside the mempool lock,
        // so that block production never waits for them.
        let refs: Vec<&SignedTransaction> = txs.iter().collect();
        let checks = self.inner.checks.check_many(&refs, &self.inner.params);
        let results = {
            let mut mempool = lock(&self.inner.mempool);
            // Under the mempool lock the head cannot move (see `produce_block`).
            match self.head_view() {
                Ok(view) => mempool.insert_checked(txs, checks, &*view),
                Err(e) => {
                    let e = shortcrust_chain::ChainError::CorruptedState(e.to_string());
                    let mut out = Vec::with_capacity(txs.len());
                    out.push(Err(MempoolError::State(e)));
                    for _ in 1..txs.len() {
                        out.push(Err(MempoolError::State(
                            shortcrust_chain::ChainError::CorruptedState("state unreadable".into()),
                        )));
                    }
                    out
                }
            }
        };
        if results.iter().any(Result::is_ok) {
            let (flag, cv) = &self.inner.wake;
            *lock(flag) = true;
            cv.notify_one();
        }
        results
    }

    /// Builds, executes and stores the next block from the mempool. Returns it, or `None` when
    /// `skip_empty` and there is nothing to include.
    ///
    /// Order (the crash-safety argument, see the crate docs): execute and commit the state
    /// (not yet durable) → make the state durable (`PersistentStore::sync`) → store the block,
    /// receipts, indexes and the new head in one durable redb transaction → publish.
    pub fn produce_block(&self, skip_empty: bool) -> Result<Option<NewBlock>, NodeError> {
        let inner = &*self.inner;
        let parent = self.head().header;
        let candidates = lock(&inner.mempool).pending(inner.params.block_gas_limit);
        if skip_empty && candidates.is_empty() {
            return Ok(None);
        }
        let context = BlockContext {
            height: parent.height + 1,
            timestamp: now_secs().max(parent.timestamp),
            proposer: inner.config.proposer,
        };
        let built = build_block(&inner.vm, &inner.checks, &parent, &context, candidates)?;
        inner.state.sync()?;
        inner.db.commit_block(&built.block, &built.receipts)?;
        let block = Arc::new(built.block);
        {
            let mut mempool = lock(&inner.mempool);
            *inner.head.write().unwrap_or_else(|p| p.into_inner()) = Head {
                header: block.header.clone(),
                hash: block.hash(),
            };
            mempool.remove_included(&block);
            mempool.remove_excluded(&built.excluded);
        }
        let new = NewBlock {
            block,
            receipts: Arc::new(built.receipts),
        };
        // No subscriber is not an error.
        let _ = inner.blocks.send(new.clone());
        Ok(Some(new))
    }

    /// Pending transactions in proposal order, their gas limits summing to at most `max_gas`:
    /// what a consensus leader proposes.
    pub fn pending(&self, max_gas: u64) -> Vec<SignedTransaction> {
        lock(&self.inner.mempool).pending(max_gas)
    }

    /// Stores a block decided by consensus, whose state this node has already executed and
    /// committed (`verify_block` or `build_block` on the head), with its receipts and its
    /// finalization certificate: the same order as [`Node::produce_block`] (state durable →
    /// block, receipts, certificate and head in one durable transaction → publish), so a crash
    /// at any point restarts at the last stored block.
    pub fn commit_finalized(
        &self,
        block: Block,
        receipts: Vec<Receipt>,
        finalization: Option<&[u8]>,
    ) -> Result<NewBlock, NodeError> {
        let inner = &*self.inner;
        let head = self.head();
        if block.header.height != head.header.height + 1 || block.header.parent_hash != head.hash {
            return Err(NodeError::Corrupted(format!(
                "finalized block {} ({}) does not extend the head {} ({})",
                block.header.height,
                block.hash(),
                head.header.height,
                head.hash
            )));
        }
        inner.state.sync()?;
        inner
            .db
            .commit_finalized_block(&block, &receipts, finalization)?;
        let block = Arc::new(block);
        {
            let mut mempool = lock(&inner.mempool);
            *inner.head.write().unwrap_or_else(|p| p.into_inner()) = Head {
                header: block.header.clone(),
                hash: block.hash(),
            };
            mempool.remove_included(&block);
        }
        let new = NewBlock {
            block,
            receipts: Arc::new(receipts),
        };
        // No subscriber is not an error.
        let _ = inner.blocks.send(new.clone());
        Ok(new)
    }

    /// Starts the block-production thread. It stops when [`Node::stop`] is called.
    pub fn start_producing(&self) -> std::thread::JoinHandle<()> {
        let node = self.clone();
        std::thread::Builder::new()
            .name("shortcrust-producer".into())
            .spawn(move || node.production_loop())
            .unwrap_or_else(|e| panic!("cannot spawn the block producer thread: {e}"))
    }

    /// Stops block production (after the block in progress).
    pub fn stop(&self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        let (flag, cv) = &self.inner.wake;
        *lock(flag) = true;
        cv.notify_all();
    }

    fn stopped(&self) -> bool {
        self.inner.stop.load(Ordering::SeqCst)
    }

    fn production_loop(&self) {
        let mut last = Instant::now();
        while !self.stopped() {
            let skip_empty = match self.inner.config.production {
                Production::Interval(interval) => {
                    let next = last + interval;
                    self.wait_until(next, false);
                    false
                }
                Production::OnDemand { min_interval } => {
                    self.wait_until(last + min_interval, false);
                    self.wait_until(Instant::now() + Duration::from_secs(3600), true);
                    true
                }
            };
            if self.stopped() {
                break;
            }
            last = Instant::now();
            if let Err(e) = self.produce_block(skip_empty) {
                eprintln!("shortcrust-node: producing a block failed: {e}");
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }

    /// Sleeps until `deadline`, or (if `on_tx`) until a transaction arrives; returns early on
    /// stop.
    fn wait_until(&self, deadline: Instant, on_tx: bool) {
        let (flag, cv) = &self.inner.wake;
        let mut woken = lock(flag);
        loop {
            if self.stopped() {
                return;
            }
            if on_tx && (*woken || self.mempool_len() > 0) {
                *woken = false;
                return;
            }
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            woken = match cv.wait_timeout(woken, deadline - now) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
            if !on_tx {
                // Only the stop flag ends a plain sleep early.
                *woken = false;
            }
        }
    }
}

/// A non-empty directory must be a node directory: a mistyped `--dir` never gets a database
/// written into it.
fn check_dir(dir: &Path) -> Result<(), NodeError> {
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
        && !dir.join("state").is_dir()
        && !dir.join(CHAIN_DB_FILE).is_file()
    {
        return Err(NodeError::Config(format!(
            "{} is not empty and is not a Shortcrust node directory",
            dir.display()
        )));
    }
    Ok(())
}
