//! Accounts and the chain's own records in the state.
//!
//! An account is an Ed25519 key; its id is `BLAKE2b-256("shortcrust/account" || public key)`.
//! Its native balance (`u128`) and next nonce (`u64`) live in the same Merkle state as contract
//! storage, under the **accounts system contract** [`accounts_contract`] =
//! `ContractId(BLAKE2b-256("shortcrust/system/accounts"))`: key = the 32-byte account id, value
//! = borsh [`Account`]. An absent key is an account with balance 0 and nonce 0. So every balance
//! is covered by the state root and provable like any storage key ([`prove_account`],
//! [`verify_account_proof`]).
//!
//! **Contracts hold native balance too**, under their contract id used as an account id (a
//! `Call` with an `amount` credits it; a `Transfer` may name a contract id as `to`). No host
//! function lets a contract read or move it yet: native value sent to a contract stays there
//! until a protocol version adds one.
//!
//! The same system contract holds the [`ChainParams`] under the key [`PARAMS_KEY`] (not 32
//! bytes long, so no account id can collide with it), written once by the genesis: the state
//! root commits to the chain id, and block execution reads its parameters from the parent state.
//!
//! The system contract is a real contract record (the store only keeps storage of deployed
//! contracts) whose code is [`SYSTEM_MODULE`], a module with a memory and no functions: calling
//! it fails with "no entry point", and no contract can write its storage. No deploy can produce
//! its id, which is not of the form `contract_id(owner, code_hash, nonce)`.

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_store::{ProofError, Root, StateView, StorageClaim, StorageProof, StoreError};
use shortcrust_vm::{ContractId, Session};

use crate::error::ChainError;
use crate::tagged_hash;

/// Domain tag of account ids.
pub const ACCOUNT_DOMAIN: &[u8] = b"shortcrust/account";
/// Domain tag of the accounts system contract id.
pub const ACCOUNTS_CONTRACT_DOMAIN: &[u8] = b"shortcrust/system/accounts";
/// Key of the [`ChainParams`] in the accounts system contract's storage.
pub const PARAMS_KEY: &[u8] = b"chain/params";

/// The code of the system contract: `(module (memory (export "memory") 0))`.
pub const SYSTEM_MODULE: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x05, 0x03, 0x01, 0x00, 0x00, // memory section: one memory, min 0 pages
    0x07, 0x0a, 0x01, 0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, // export "memory"
];

/// The id of the system contract under which accounts and chain parameters are stored.
pub fn accounts_contract() -> ContractId {
    ContractId(tagged_hash(ACCOUNTS_CONTRACT_DOMAIN, &[]).0)
}

/// An account id: a hash of an Ed25519 public key, or a contract id (contracts' native
/// balances). Contracts see a transaction's sender as `caller` = these 32 bytes.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, BorshSerialize, BorshDeserialize,
)]
pub struct AccountId(pub [u8; 32]);

impl AccountId {
    /// `BLAKE2b-256("shortcrust/account" || public_key)`.
    pub fn from_public_key(public_key: &[u8; 32]) -> AccountId {
        AccountId(tagged_hash(ACCOUNT_DOMAIN, &[public_key]).0)
    }

    /// The account of a contract's native balance: its id.
    pub fn of_contract(contract: ContractId) -> AccountId {
        AccountId(contract.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<AccountId> {
        let bytes = hex::decode(s).ok()?;
        Some(AccountId(bytes.try_into().ok()?))
    }
}

impl From<&ed25519_dalek::VerifyingKey> for AccountId {
    fn from(key: &ed25519_dalek::VerifyingKey) -> Self {
        AccountId::from_public_key(key.as_bytes())
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AccountId({self})")
    }
}

/// What the state records about an account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Account {
    /// Native balance, in the smallest unit.
    pub balance: u128,
    /// The nonce its next transaction must carry (the number of its transactions so far).
    pub nonce: u64,
}

impl Account {
    /// Decodes a stored record (absent = the empty account).
    pub fn decode(value: Option<&[u8]>) -> Result<Account, ChainError> {
        match value {
            None => Ok(Account::default()),
            Some(bytes) => borsh::from_slice(bytes)
                .map_err(|e| ChainError::CorruptedState(format!("account record: {e}"))),
        }
    }
}

/// Parameters every block of a chain executes under, fixed by its genesis and stored in its
/// state ([`PARAMS_KEY`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ChainParams {
    /// Transactions name it; a transaction for another chain is invalid.
    pub chain_id: u64,
    /// Decides which host functions a deploy may import (`shortcrust_abi`).
    pub protocol_version: u32,
    /// Most gas the transactions of one block may reserve (the sum of their gas limits).
    pub block_gas_limit: u64,
}

/// Reads an account from a session (its own writes over its base state).
pub fn load(session: &Session, id: &AccountId) -> Result<Account, ChainError> {
    let raw = session.storage_get(&accounts_contract(), &id.0)?;
    Account::decode(raw.as_deref())
}

/// Writes an account into a session (a 32-byte key and a 24-byte value: within the storage
/// limits `storage_set` enforces).
pub fn save(session: &mut Session, id: &AccountId, account: &Account) -> Result<(), ChainError> {
    session.storage_set(
        accounts_contract(),
        id.0.to_vec(),
        Some(crate::encode(account)),
    )?;
    Ok(())
}

/// The chain parameters of the state a session sees; [`ChainError::NotAChainState`] if it has
/// none (a state no genesis built).
pub fn load_params(session: &Session) -> Result<ChainParams, ChainError> {
    let raw = session.storage_get(&accounts_contract(), PARAMS_KEY)?;
    let raw = raw.ok_or(ChainError::NotAChainState(session.base_root()))?;
    borsh::from_slice(&raw).map_err(|e| ChainError::CorruptedState(format!("chain params: {e}")))
}

/// The chain parameters of a committed state.
pub fn read_params(view: &dyn StateView) -> Result<ChainParams, ChainError> {
    let raw = view.get(&accounts_contract(), PARAMS_KEY)?;
    let raw = raw.ok_or(ChainError::NotAChainState(view.root()))?;
    borsh::from_slice(&raw).map_err(|e| ChainError::CorruptedState(format!("chain params: {e}")))
}

/// An account as of a committed state (e.g. for the mempool's admission checks).
pub fn read_account(view: &dyn StateView, id: &AccountId) -> Result<Account, ChainError> {
    let raw = view.get(&accounts_contract(), &id.0)?;
    Account::decode(raw.as_deref())
}

/// A proof of an account's record (or of its absence) against `view`'s root.
pub fn prove_account(view: &dyn StateView, id: &AccountId) -> Result<StorageProof, StoreError> {
    view.prove(&accounts_contract(), &id.0)
}

/// Checks `proof` against `root` and returns the account it proves: the empty account if the
/// proof shows the key absent. Needs no database.
pub fn verify_account_proof(
    root: &Root,
    id: &AccountId,
    proof: &StorageProof,
) -> Result<Account, ProofError> {
    match proof.verify(root, &accounts_contract(), &id.0)? {
        StorageClaim::Present(_, value) => borsh::from_slice(value)
            .map_err(|e| ProofError::Encoding(format!("account record: {e}"))),
        StorageClaim::Absent(_) => Ok(Account::default()),
        StorageClaim::NoContract => Err(ProofError::Encoding(
            "the root holds no accounts system contract (not a chain state)".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_domain_separated_hashes() {
        let key = [7u8; 32];
        let id = AccountId::from_public_key(&key);
        let mut expected = blake2b_simd::Params::new().hash_length(32).to_state();
        expected.update(b"shortcrust/account");
        expected.update(&key);
        assert_eq!(&id.0[..], expected.finalize().as_bytes());
        assert_ne!(accounts_contract().0, id.0);
        assert_eq!(AccountId::from_hex(&id.to_string()), Some(id));
        assert_eq!(AccountId::from_hex("00"), None);
    }

    #[test]
    fn account_records_round_trip() {
        let a = Account {
            balance: u128::MAX,
            nonce: 3,
        };
        let bytes = crate::encode(&a);
        assert_eq!(bytes.len(), 24);
        assert_eq!(Account::decode(Some(&bytes)).ok(), Some(a));
        assert_eq!(Account::decode(None).ok(), Some(Account::default()));
        assert!(Account::decode(Some(&bytes[..23])).is_err());
    }
}
