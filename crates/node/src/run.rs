//! `shortcrust node`: open (or create) a node directory, serve JSON-RPC, produce blocks until
//! Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use shortcrust_chain::{AccountId, ChainParams, Genesis, SigningKey};

use crate::error::NodeError;
use crate::node::{Node, NodeConfig, Production};
use crate::rpc::{RpcConfig, serve};

/// The chain id of `--dev` chains.
pub const DEV_CHAIN_ID: u64 = 1337;
/// Funded accounts of a `--dev` chain.
pub const DEV_ACCOUNTS: u32 = 10;
/// Balance of each dev account: 10³⁰ units.
pub const DEV_BALANCE: u128 = 1_000_000_000_000_000_000_000_000_000_000;

/// The `i`-th dev key: `BLAKE2b-256("shortcrust/dev-key" || i as u32 LE)`. Public knowledge:
/// DEV ONLY, never hold value with them.
pub fn dev_key(i: u32) -> SigningKey {
    let mut state = blake2b_simd::Params::new().hash_length(32).to_state();
    state.update(b"shortcrust/dev-key");
    state.update(&i.to_le_bytes());
    let mut seed = [0u8; 32];
    seed.copy_from_slice(state.finalize().as_bytes());
    SigningKey::from_bytes(&seed)
}

/// The `--dev` genesis: chain [`DEV_CHAIN_ID`], [`DEV_ACCOUNTS`] accounts of [`DEV_BALANCE`].
pub fn dev_genesis() -> Genesis {
    Genesis {
        params: ChainParams {
            chain_id: DEV_CHAIN_ID,
            protocol_version: shortcrust_abi::LATEST_PROTOCOL_VERSION,
            block_gas_limit: shortcrust_chain::gas::DEFAULT_BLOCK_GAS_LIMIT,
        },
        timestamp: 0,
        accounts: (0..DEV_ACCOUNTS)
            .map(|i| (AccountId::from(&dev_key(i).verifying_key()), DEV_BALANCE))
            .collect(),
        contracts: Vec::new(),
    }
}

/// The dev accounts with their keys, as `node --dev` and `devnet` print them (with the
/// warning that they are public).
pub fn dev_accounts_text() -> String {
    let mut out = String::from(
        "\n=== DEV ONLY: these keys are public; never use them for anything of value ===\n",
    );
    for i in 0..DEV_ACCOUNTS {
        let key = dev_key(i);
        out.push_str(&format!(
            "({i}) account {}\n    public key  {}\n    secret key  {}\n",
            AccountId::from(&key.verifying_key()),
            hex::encode(key.verifying_key().as_bytes()),
            hex::encode(key.to_bytes()),
        ));
    }
    out.push_str(&format!("each funded with {DEV_BALANCE}\n\n"));
    out
}

/// What `shortcrust node` was asked.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub dev: bool,
    /// Node directory; `--dev` without it uses a fresh temporary directory (removed at exit).
    pub dir: Option<PathBuf>,
    pub genesis: Option<PathBuf>,
    pub rpc_addr: SocketAddr,
    /// Block interval; default 1,000 ms, or on demand (at most every 5 ms) with `--dev`.
    pub block_time_ms: Option<u64>,
}

/// Runs a node until Ctrl-C (or SIGTERM). Prints the RPC address (`rpc: http://…` and
/// `ws: ws://…` lines on stdout, then `explorer: http://…/`, the block explorer's page) and,
/// with `--dev`, the dev accounts with their keys.
pub fn run(options: RunOptions) -> Result<(), NodeError> {
    let (dir, temporary) = match (&options.dir, options.dev) {
        (Some(d), _) => (d.clone(), false),
        (None, true) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let d =
                std::env::temp_dir().join(format!("shortcrust-dev-{}-{nanos}", std::process::id()));
            (d, true)
        }
        (None, false) => {
            return Err(NodeError::Config(
                "give a node directory (--dir DIR), or --dev for a throw-away chain".into(),
            ));
        }
    };
    let genesis = match (&options.genesis, options.dev) {
        (Some(path), _) => Some(Genesis::from_file(path)?),
        (None, true) => Some(dev_genesis()),
        (None, false) => None,
    };
    let production = match (options.block_time_ms, options.dev) {
        (Some(ms), _) => Production::Interval(Duration::from_millis(ms.max(1))),
        (None, true) => Production::OnDemand {
            min_interval: Duration::from_millis(5),
        },
        (None, false) => Production::Interval(Duration::from_secs(1)),
    };
    let mut config = NodeConfig::new(&dir, genesis);
    config.production = production;
    if options.dev {
        config.proposer = AccountId::from(&dev_key(0).verifying_key());
    }
    let node = Node::open(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        let rpc = RpcConfig {
            addr: options.rpc_addr,
            ..RpcConfig::default()
        };
        let (handle, addr) = serve(node.clone(), &rpc).await?;
        let head = node.head();
        let mut out = String::new();
        out.push_str(&format!(
            "Shortcrust node, chain {} at height {} ({})\ndirectory: {}\n",
            node.params().chain_id,
            head.header.height,
            head.hash,
            dir.display()
        ));
        if options.dev {
            out.push_str(&dev_accounts_text());
        }
        out.push_str(&format!(
            "rpc: http://{addr}\nws: ws://{addr}\nexplorer: http://{addr}/\n"
        ));
        print!("{out}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let producer = node.start_producing();
        wait_for_shutdown().await;
        node.stop();
        let _ = handle.stop();
        handle.stopped().await;
        let _ = tokio::task::spawn_blocking(move || producer.join()).await;
        Ok::<(), NodeError>(())
    });
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// A flag raised on Ctrl-C or (on Unix) SIGTERM, for synchronous code that polls other things
/// meanwhile (`shortcrust devnet` watches its validator processes).
pub fn watch_shutdown() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let raised = flag.clone();
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(wait_for_shutdown());
        raised.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    flag
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
pub(crate) async fn wait_for_shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
