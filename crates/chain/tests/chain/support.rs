//! Shared helpers: deterministic keys, a test chain from a genesis, transaction builders.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use shortcrust_chain::gas::DEFAULT_BLOCK_GAS_LIMIT;
use shortcrust_chain::{
    Account, AccountId, Action, BlockContext, BlockHeader, BuiltBlock, ChainError, ChainParams,
    CheckCache, ExecutedBlock, Genesis, GenesisContract, SignedTransaction, SigningKey,
    Transaction, TransactionV1, build_block, execute_block, read_account, verify_block,
};
use shortcrust_vm::{Root, Vm};

pub const CHAIN_ID: u64 = 7;
/// Gas limit of the test transfers (their intrinsic gas is about 8.1 M under protocol 2, 2.5 M
/// under protocol 1).
pub const TRANSFER_GAS: u64 = 10_000_000;
/// Gas limit of the test calls.
pub const CALL_GAS: u64 = 100_000_000;
/// Gas limit of the test deploys (the token costs about 240 M to deploy).
pub const DEPLOY_GAS: u64 = 1_000_000_000;
/// A plain balance for funded test accounts.
pub const FUNDS: u128 = 1_000_000_000_000_000;

/// A signing key from a fixed seed (ChaCha20).
pub fn key(seed: u64) -> SigningKey {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut secret);
    SigningKey::from_bytes(&secret)
}

pub fn id(key: &SigningKey) -> AccountId {
    AccountId::from(&key.verifying_key())
}

/// The proposer of every test block.
pub fn proposer() -> AccountId {
    id(&key(1_000))
}

pub fn params() -> ChainParams {
    ChainParams {
        chain_id: CHAIN_ID,
        protocol_version: shortcrust_abi::LATEST_PROTOCOL_VERSION,
        block_gas_limit: DEFAULT_BLOCK_GAS_LIMIT,
    }
}

/// A genesis funding each key with [`FUNDS`].
pub fn genesis(keys: &[&SigningKey]) -> Genesis {
    Genesis {
        params: params(),
        timestamp: 1_000,
        accounts: keys.iter().map(|k| (id(k), FUNDS)).collect(),
        contracts: Vec::<GenesisContract>::new(),
    }
}

/// A signed transaction.
pub fn sign(
    key: &SigningKey,
    nonce: u64,
    gas_limit: u64,
    gas_price: u64,
    action: Action,
) -> SignedTransaction {
    Transaction::V1(TransactionV1 {
        chain_id: CHAIN_ID,
        sender: key.verifying_key().to_bytes(),
        nonce,
        gas_limit,
        gas_price,
        action,
    })
    .sign(key)
    .expect("the key is the sender's")
}

pub fn transfer(key: &SigningKey, nonce: u64, to: AccountId, amount: u128) -> SignedTransaction {
    sign(key, nonce, TRANSFER_GAS, 1, Action::Transfer { to, amount })
}

/// A chain on a VM: its genesis and its head.
pub struct TestChain {
    pub vm: Vm,
    pub genesis: Genesis,
    pub head: BlockHeader,
}

impl TestChain {
    pub fn new(genesis: Genesis) -> TestChain {
        Self::on(Vm::ephemeral().expect("vm"), genesis)
    }

    pub fn on(vm: Vm, genesis: Genesis) -> TestChain {
        let root = genesis.build(&vm).expect("genesis builds");
        let head = genesis.header(root);
        TestChain { vm, genesis, head }
    }

    /// A chain whose genesis funds `keys`.
    pub fn funded(keys: &[&SigningKey]) -> TestChain {
        Self::new(genesis(keys))
    }

    pub fn root(&self) -> Root {
        self.head.state_root()
    }

    pub fn account(&self, id: &AccountId) -> Account {
        let view = self.vm.store().view(&self.root()).expect("head view");
        read_account(&*view, id).expect("account")
    }

    pub fn balance(&self, id: &AccountId) -> u128 {
        self.account(id).balance
    }

    /// The context of the next block.
    pub fn next_context(&self) -> BlockContext {
        BlockContext {
            height: self.head.height + 1,
            timestamp: self.head.timestamp + 2,
            proposer: proposer(),
        }
    }

    /// Executes `txs` on the head without moving it, through `checks`.
    pub fn execute_with(
        &self,
        checks: &CheckCache,
        txs: &[SignedTransaction],
    ) -> Result<ExecutedBlock, ChainError> {
        execute_block(&self.vm, checks, self.root(), &self.next_context(), txs)
    }

    /// Executes `txs` on the head without moving it.
    pub fn execute(&self, txs: &[SignedTransaction]) -> Result<ExecutedBlock, ChainError> {
        self.execute_with(&CheckCache::none(), txs)
    }

    /// Builds the next block from `candidates`, verifies it and makes it the head.
    pub fn advance(&mut self, candidates: Vec<SignedTransaction>) -> BuiltBlock {
        let built = build_block(
            &self.vm,
            &CheckCache::none(),
            &self.head,
            &self.next_context(),
            candidates,
        )
        .expect("builds");
        let verified = verify_block(&self.vm, &CheckCache::none(), &self.head, &built.block)
            .expect("verifies");
        assert_eq!(verified.receipts, built.receipts);
        self.head = built.block.header.clone();
        built
    }
}
