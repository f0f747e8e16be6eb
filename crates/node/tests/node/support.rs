//! A node in this process on an ephemeral port, and signing helpers.

use std::net::SocketAddr;
use std::time::Duration;

use borsh::BorshSerialize;
use jsonrpsee::server::ServerHandle;
use serde_json::Value;
use shortcrust_chain::{AccountId, Action, MempoolConfig, SignedTransaction, SigningKey};
use shortcrust_node::client::{Client, sign};
use shortcrust_node::{
    DEV_CHAIN_ID, Node, NodeConfig, Production, RpcConfig, dev_genesis, dev_key, serve,
};

pub struct TestNode {
    pub node: Node,
    pub addr: SocketAddr,
    pub runtime: tokio::runtime::Runtime,
    handle: Option<ServerHandle>,
    producer: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl TestNode {
    /// A dev chain producing blocks on demand.
    pub fn start() -> TestNode {
        Self::with(
            Production::OnDemand {
                min_interval: Duration::from_millis(2),
            },
            None,
            true,
        )
    }

    /// A dev chain that never produces a block by itself (tests call `produce_block`).
    pub fn manual(mempool: Option<MempoolConfig>) -> TestNode {
        Self::with(
            Production::Interval(Duration::from_secs(3600)),
            mempool,
            false,
        )
    }

    pub fn with(production: Production, mempool: Option<MempoolConfig>, produce: bool) -> TestNode {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = NodeConfig::new(dir.path().join("node"), Some(dev_genesis()));
        config.production = production;
        config.mempool = mempool;
        config.proposer = account(&dev_key(0));
        let node = Node::open(config).expect("node opens");
        Self::serve(node, dir, produce)
    }

    pub fn serve(node: Node, dir: tempfile::TempDir, produce: bool) -> TestNode {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (handle, addr) = runtime
            .block_on(serve(node.clone(), &RpcConfig::default()))
            .expect("server starts");
        let producer = produce.then(|| node.start_producing());
        TestNode {
            node,
            addr,
            runtime,
            handle: Some(handle),
            producer,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    pub fn client(&self) -> Client {
        Client::new(&self.url()).expect("client")
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        self.node.stop();
        if let Some(h) = self.handle.take() {
            let _ = h.stop();
        }
        if let Some(p) = self.producer.take() {
            let _ = p.join();
        }
    }
}

pub fn account(key: &SigningKey) -> AccountId {
    AccountId::from(&key.verifying_key())
}

pub fn encode<T: BorshSerialize>(value: &T) -> Vec<u8> {
    borsh::to_vec(value).expect("encodes")
}

/// Signs `action` from `key` with `nonce` on the dev chain, `extra` gas above the intrinsic.
pub fn tx(key: &SigningKey, nonce: u64, extra: u64, action: Action) -> SignedTransaction {
    sign(key, DEV_CHAIN_ID, nonce, extra, 1, action).expect("signs")
}

pub fn transfer(key: &SigningKey, nonce: u64, to: AccountId, amount: u128) -> SignedTransaction {
    tx(key, nonce, 0, Action::Transfer { to, amount })
}

pub fn hex_tx(tx: &SignedTransaction) -> Value {
    Value::String(hex::encode(tx.to_bytes()))
}

/// The JSON-RPC error code of a failed request.
pub fn code_of(client: &Client, method: &str, params: Vec<Value>) -> i32 {
    match client.request(method, params) {
        Ok(v) => panic!("{method} succeeded: {v}"),
        Err(e) => e
            .code()
            .unwrap_or_else(|| panic!("{method}: not an RPC error: {e}")),
    }
}

/// Sends and waits for inclusion; returns the transaction JSON with its receipt.
pub fn send_wait(client: &Client, tx: &SignedTransaction) -> Value {
    let hash = client.send(tx).expect("admitted");
    client
        .wait_included(&hash, Duration::from_secs(60))
        .expect("included")
}

/// Gas every test transaction may spend beyond its intrinsic gas: far more than any needs.
pub const GAS: u64 = 2_000_000_000;

/// Deploys `code` (with `init`, at `nonce`) from dev key 0 and waits for its block; returns the
/// contract id and the transaction as `sc_getTransaction` shows it.
pub fn deploy(
    client: &Client,
    code: &[u8],
    init: Option<(&str, Vec<u8>)>,
    nonce: u64,
) -> (shortcrust_vm::ContractId, Value) {
    let owner = shortcrust_node::dev_key(0);
    let n = client.nonce(&owner).expect("nonce");
    let t = tx(
        &owner,
        n,
        shortcrust_vm::gas::deploy_cost(code.len()) + GAS,
        Action::Deploy {
            code: code.to_vec(),
            init: init.map(|(e, i)| (e.to_string(), i)),
            nonce,
        },
    );
    let v = send_wait(client, &t);
    assert_eq!(v["receipt"]["status"], "ok", "deploy: {v}");
    let id: [u8; 32] = hex::decode(v["receipt"]["contract"].as_str().expect("contract"))
        .expect("hex")
        .try_into()
        .expect("32");
    (shortcrust_vm::ContractId(id), v)
}
