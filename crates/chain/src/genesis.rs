//! The genesis: a chain's parameters, funded accounts and initial contracts, read from a JSON
//! file, and the initial state built from them.
//!
//! ```json
//! {
//!   "chain_id": 7,
//!   "protocol_version": 1,
//!   "block_gas_limit": 10000000000,
//!   "timestamp": 1767225600,
//!   "accounts": [
//!     { "public_key": "<64 hex digits: an Ed25519 public key>", "balance": 1000000000 },
//!     { "account": "<64 hex digits: an account or contract id>", "balance": "340282366920938463463374607431768211455" }
//!   ],
//!   "contracts": [
//!     { "path": "token.wasm", "owner": "<64 hex digits: account id>", "nonce": 0 },
//!     { "code": "<hex of a wasm module>", "owner_public_key": "<64 hex digits>" }
//!   ]
//! }
//! ```
//!
//! `chain_id` is required; `protocol_version` defaults to the latest, `block_gas_limit` to
//! `gas::DEFAULT_BLOCK_GAS_LIMIT`, `timestamp` (the genesis block's) to 0, the lists to empty.
//! Balances are JSON integers up to `u64::MAX` or decimal strings up to `u128::MAX`; all of them
//! together must fit in a `u128` (so no balance can ever overflow). A contract's `path` is
//! relative to the file's directory. Unknown fields are errors.
//!
//! [`Genesis::build`] is deterministic: the state holds the chain parameters and the accounts
//! under the accounts system contract (see `account`) and the contracts, deployed in file order
//! with `shortcrust_vm::contract_id(owner, code hash, nonce)` ids, and nothing else. The genesis
//! block ([`Genesis::header`]) has height 0, a zero parent hash and no transactions.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use shortcrust_store::{ContractMeta, Root, code_hash};
use shortcrust_vm::{Context, ContractId, DeployOptions, SessionConfig, Vm, contract_id};

use crate::account::{
    Account, AccountId, ChainParams, PARAMS_KEY, SYSTEM_MODULE, accounts_contract,
};
use crate::block::BlockHeader;
use crate::error::GenesisError;
use crate::gas::{DEFAULT_BLOCK_GAS_LIMIT, tx_base_gas};
use crate::{Hash32, merkle};

/// A contract deployed by the genesis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisContract {
    pub code: Vec<u8>,
    pub owner: AccountId,
    pub nonce: u64,
}

impl GenesisContract {
    /// Its contract id.
    pub fn id(&self) -> ContractId {
        contract_id(&self.owner.0, &code_hash(&self.code), self.nonce)
    }
}

/// A resolved genesis (code loaded, keys turned into account ids).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genesis {
    pub params: ChainParams,
    /// The genesis block's timestamp.
    pub timestamp: u64,
    /// Funded accounts and their balances, in file order.
    pub accounts: Vec<(AccountId, u128)>,
    pub contracts: Vec<GenesisContract>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GenesisFile {
    chain_id: u64,
    #[serde(default = "latest_protocol")]
    protocol_version: u32,
    #[serde(default = "default_gas_limit")]
    block_gas_limit: u64,
    #[serde(default)]
    timestamp: u64,
    #[serde(default)]
    accounts: Vec<AccountEntry>,
    #[serde(default)]
    contracts: Vec<ContractEntry>,
}

fn latest_protocol() -> u32 {
    shortcrust_abi::LATEST_PROTOCOL_VERSION
}

fn default_gas_limit() -> u64 {
    DEFAULT_BLOCK_GAS_LIMIT
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    #[serde(default)]
    public_key: Option<String>,
    #[serde(default)]
    account: Option<String>,
    balance: Balance,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractEntry {
    #[serde(default)]
    path: Option<PathBuf>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    owner_public_key: Option<String>,
    #[serde(default)]
    nonce: u64,
}

/// A balance: a JSON integer, or a decimal string for values above `u64::MAX`.
struct Balance(u128);

impl<'de> Deserialize<'de> for Balance {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Balance;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a non-negative integer, or a decimal string up to u128::MAX")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Balance, E> {
                Ok(Balance(v as u128))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Balance, E> {
                Ok(Balance(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Balance, E> {
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::custom("a balance string must be decimal digits"));
                }
                v.parse()
                    .map(Balance)
                    .map_err(|_| E::custom("balance above u128::MAX"))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> GenesisError {
    GenesisError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

/// 32 bytes from 64 hex digits.
fn hex32(field: &str, s: &str) -> Result<[u8; 32], GenesisError> {
    let bytes = hex::decode(s).map_err(|e| invalid(field, format!("not hex: {e}")))?;
    bytes
        .try_into()
        .map_err(|_| invalid(field, "must be 32 bytes (64 hex digits)"))
}

/// An account id from exactly one of an id or a public key.
fn account_of(
    field: &str,
    (id_name, id): (&str, Option<&str>),
    (key_name, key): (&str, Option<&str>),
) -> Result<AccountId, GenesisError> {
    match (id, key) {
        (Some(id), None) => Ok(AccountId(hex32(&format!("{field}.{id_name}"), id)?)),
        (None, Some(key)) => {
            let key = hex32(&format!("{field}.{key_name}"), key)?;
            Ok(AccountId::from_public_key(&key))
        }
        _ => Err(invalid(
            field,
            format!("give exactly one of `{id_name}` or `{key_name}`"),
        )),
    }
}

impl Genesis {
    /// Reads a genesis file; contract paths are relative to its directory.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Genesis, GenesisError> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path).map_err(|source| GenesisError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        Genesis::from_json(&json, dir)
    }

    /// Parses genesis JSON; contract paths are relative to `base_dir`.
    pub fn from_json(json: &str, base_dir: &Path) -> Result<Genesis, GenesisError> {
        let file: GenesisFile = serde_json::from_str(json)?;
        let mut accounts = Vec::with_capacity(file.accounts.len());
        for (i, a) in file.accounts.iter().enumerate() {
            let field = format!("accounts[{i}]");
            let id = account_of(
                &field,
                ("account", a.account.as_deref()),
                ("public_key", a.public_key.as_deref()),
            )?;
            accounts.push((id, a.balance.0));
        }
        let mut contracts = Vec::with_capacity(file.contracts.len());
        for (i, c) in file.contracts.iter().enumerate() {
            let field = format!("contracts[{i}]");
            let code = match (&c.path, &c.code) {
                (Some(p), None) => {
                    let path = base_dir.join(p);
                    std::fs::read(&path).map_err(|source| GenesisError::Io { path, source })?
                }
                (None, Some(h)) => {
                    hex::decode(h).map_err(|e| invalid(&field, format!("code is not hex: {e}")))?
                }
                _ => return Err(invalid(&field, "give exactly one of `path` or `code`")),
            };
            let owner = account_of(
                &field,
                ("owner", c.owner.as_deref()),
                ("owner_public_key", c.owner_public_key.as_deref()),
            )?;
            contracts.push(GenesisContract {
                code,
                owner,
                nonce: c.nonce,
            });
        }
        let genesis = Genesis {
            params: ChainParams {
                chain_id: file.chain_id,
                protocol_version: file.protocol_version,
                block_gas_limit: file.block_gas_limit,
            },
            timestamp: file.timestamp,
            accounts,
            contracts,
        };
        genesis.validate()?;
        Ok(genesis)
    }

    /// Checks what JSON cannot: a known protocol version, a block gas limit that admits a
    /// transaction, no account twice, a total supply within `u128`.
    pub fn validate(&self) -> Result<(), GenesisError> {
        let version = self.params.protocol_version;
        let Some(schedule) = shortcrust_vm::gas::Schedule::for_protocol(version) else {
            return Err(invalid(
                "protocol_version",
                format!(
                    "{version} is not a known protocol version (1..={})",
                    shortcrust_abi::LATEST_PROTOCOL_VERSION
                ),
            ));
        };
        let base = tx_base_gas(schedule);
        if self.params.block_gas_limit < base {
            return Err(invalid(
                "block_gas_limit",
                format!("must admit one transaction ({base} gas)"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut supply: u128 = 0;
        for (id, balance) in &self.accounts {
            if !seen.insert(*id) {
                return Err(GenesisError::DuplicateAccount(*id));
            }
            supply = supply
                .checked_add(*balance)
                .ok_or(GenesisError::SupplyOverflow)?;
        }
        Ok(())
    }

    /// The ids of the genesis contracts, in file order.
    pub fn contract_ids(&self) -> Vec<ContractId> {
        self.contracts.iter().map(GenesisContract::id).collect()
    }

    /// Builds the genesis state in `vm`'s store (committed, and made its head) and returns its
    /// root. The same genesis gives the same root on every node.
    pub fn build(&self, vm: &Vm) -> Result<Root, GenesisError> {
        self.validate()?;
        let empty = vm.store().empty_root();
        let mut session = vm.session(SessionConfig {
            root: Some(empty),
            context: Context {
                block_height: 0,
                block_timestamp: self.timestamp,
                chain_id: self.params.chain_id,
                protocol_version: self.params.protocol_version,
                sender: [0; 32],
            },
        })?;
        for (index, c) in self.contracts.iter().enumerate() {
            let options = DeployOptions {
                owner: c.owner.0,
                nonce: c.nonce,
                gas_limit: u64::MAX,
            };
            session
                .deploy(&c.code, options)
                .map_err(|error| GenesisError::Deploy { index, error })?;
        }
        // The system contract has an id no deploy can produce, so it is added to the change
        // set directly (see `account`).
        let system = accounts_contract();
        let system_code = code_hash(SYSTEM_MODULE);
        let mut changes = session.changes();
        changes.contracts.insert(
            system,
            ContractMeta {
                owner: [0; 32],
                code_hash: system_code,
            },
        );
        changes.code.insert(system_code, Arc::from(SYSTEM_MODULE));
        let params = crate::encode(&self.params);
        changes
            .storage
            .insert((system, PARAMS_KEY.to_vec()), Some(params));
        for (id, balance) in &self.accounts {
            let record = Account {
                balance: *balance,
                nonce: 0,
            };
            changes
                .storage
                .insert((system, id.0.to_vec()), Some(crate::encode(&record)));
        }
        Ok(vm.store().commit(&empty, &changes)?)
    }

    /// The genesis block's header for the state root `build` returned.
    pub fn header(&self, state_root: Root) -> BlockHeader {
        BlockHeader {
            height: 0,
            parent_hash: Hash32::ZERO,
            timestamp: self.timestamp,
            proposer: AccountId::default(),
            transactions_root: merkle::root(&[]),
            receipts_root: merkle::root(&[]),
            state_root: state_root.into(),
            gas_used: 0,
            gas_limit: self.params.block_gas_limit,
        }
    }
}
