//! `token`: a fungible token with an owner who mints.
//!
//! Accounts are 32-byte ids: a transaction's sender or a contract (whoever [`caller`] reports).
//!
//! | entry point | who | what |
//! |---|---|---|
//! | `init(supply: u64)` | owner, once | mints `supply` to the owner |
//! | `mint(to: [u8; 32], amount: u64)` | owner | creates `amount` for `to` |
//! | `transfer(to: [u8; 32], amount: u64)` | anyone | moves `amount` from the caller to `to` |
//! | `balance_of(account: [u8; 32]) -> u64` | anyone | |
//! | `total_supply() -> u64` | anyone | |
//!
//! Events: `mint` with data `(to, amount)` and `transfer` with data `(from, to, amount)`, borsh
//! encoded. Refusals revert with a message: a transfer above the balance, minting by anyone but
//! the owner, a second `init`, a supply that would overflow.
#![no_std]

extern crate alloc;

use alloc::format;
use shortcrust_sdk::{caller, owner, revert, storage};

/// Account id: the 32 bytes of a sender or a contract (spelled `[u8; 32]` in entry points so
/// the schema names a type tools understand).
type Account = [u8; 32];

const TOTAL_SUPPLY: &[u8] = b"supply";
const INITIALISED: &[u8] = b"init";

/// Storage key of an account's balance: `b` followed by the account.
fn balance_key(account: &Account) -> [u8; 33] {
    let mut key = [0u8; 33];
    key[0] = b'b';
    key[1..].copy_from_slice(account);
    key
}

fn balance(account: &Account) -> u64 {
    storage::get_or(&balance_key(account), 0u64)
}

fn set_balance(account: &Account, amount: u64) {
    let key = balance_key(account);
    if amount == 0 {
        // Zero balances take no storage.
        storage::remove(&key);
    } else {
        storage::set(&key, &amount);
    }
}

fn only_owner(action: &str) {
    if caller().to_bytes() != owner() {
        revert(&format!("only the owner may {action}"));
    }
}

/// Creates `amount` for `to`, checking that the total supply does not overflow.
fn mint_to(to: &Account, amount: u64) {
    let supply = storage::get_or(TOTAL_SUPPLY, 0u64);
    let Some(new_supply) = supply.checked_add(amount) else {
        revert("total supply would overflow u64");
    };
    storage::set(TOTAL_SUPPLY, &new_supply);
    // Every balance is at most the supply, so this cannot overflow either.
    set_balance(to, balance(to) + amount);
    mint { to: *to, amount }.emit();
}

shortcrust_sdk::entry_points! {
    events {
        /// New tokens for `to`.
        mint { to: [u8; 32], amount: u64 }
        /// `amount` moved from `from` to `to`.
        transfer { from: [u8; 32], to: [u8; 32], amount: u64 }
    }

    /// Mints the initial `supply` to the owner. Owner only, once.
    fn init(supply: u64) {
        only_owner("initialise the token");
        if storage::contains(INITIALISED) {
            revert("token already initialised");
        }
        storage::set(INITIALISED, &true);
        mint_to(&owner(), supply);
    }

    /// Creates `amount` new tokens for `to`. Owner only.
    fn mint(to: [u8; 32], amount: u64) {
        only_owner("mint");
        mint_to(&to, amount);
    }

    /// Moves `amount` from the caller's balance to `to`.
    fn transfer(to: [u8; 32], amount: u64) {
        let from = caller().to_bytes();
        let have = balance(&from);
        if have < amount {
            revert(&format!("insufficient balance: have {have}, need {amount}"));
        }
        if from != to {
            set_balance(&from, have - amount);
            // Cannot overflow: the sum of all balances is the supply, a u64.
            set_balance(&to, balance(&to) + amount);
        }
        transfer { from, to, amount }.emit();
    }

    /// The balance of `account`.
    fn balance_of(account: [u8; 32]) -> u64 {
        balance(&account)
    }

    /// All tokens in existence.
    fn total_supply() -> u64 {
        storage::get_or(TOTAL_SUPPLY, 0u64)
    }
}
