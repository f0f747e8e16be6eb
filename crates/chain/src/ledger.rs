//! The account records one block touches, held in memory while the block executes: [`Ledger`].
//!
//! Every transaction reads and writes its sender's record (nonce and fee reservation, then the
//! refund), the proposer's (the fee) and, for a transfer, its recipient's. Going through the VM
//! session each time costs a storage lookup and a journalled write per step — three of each per
//! transaction, more than the chain layer's whole budget over the VM. The ledger reads each
//! record from the session once, keeps the block's changes in memory, and writes each changed
//! record once when the block ends ([`Ledger::flush`], just before the session commits).
//!
//! Nothing else can observe the difference: no host function lets a contract read or move native
//! balances (see `account`), and the state root depends only on the final value of each key, so
//! a block's root, receipts and gas are exactly what record-by-record writes gave.

use std::collections::HashMap;

use shortcrust_vm::Session;

use crate::account::{self, Account, AccountId};
use crate::error::ChainError;

/// One cached record and whether the block changed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Slot {
    account: Account,
    dirty: bool,
}

/// The block's account records (see the module docs). A hash map for lookups (several per
/// transaction); [`Ledger::flush`] sorts the changed records and writes them in key order, so no
/// hash order reaches the state.
#[derive(Default)]
pub(crate) struct Ledger {
    slots: HashMap<AccountId, Slot>,
}

impl Ledger {
    /// `id`'s record as the block left it so far (read from `session` the first time).
    pub(crate) fn get(&mut self, session: &Session, id: &AccountId) -> Result<Account, ChainError> {
        if let Some(slot) = self.slots.get(id) {
            return Ok(slot.account);
        }
        let account = account::load(session, id)?;
        self.slots.insert(
            *id,
            Slot {
                account,
                dirty: false,
            },
        );
        Ok(account)
    }

    /// Sets `id`'s record, written at [`Ledger::flush`].
    pub(crate) fn set(&mut self, id: AccountId, account: Account) {
        self.slots.insert(
            id,
            Slot {
                account,
                dirty: true,
            },
        );
    }

    /// What [`Ledger::restore`] needs to undo later changes to `id`.
    pub(crate) fn snapshot(&self, id: &AccountId) -> Option<Slot> {
        self.slots.get(id).copied()
    }

    /// Puts `id`'s slot back as [`Ledger::snapshot`] saw it.
    pub(crate) fn restore(&mut self, id: AccountId, slot: Option<Slot>) {
        match slot {
            Some(slot) => self.slots.insert(id, slot),
            None => self.slots.remove(&id),
        };
    }

    /// Writes every changed record into `session`.
    pub(crate) fn flush(self, session: &mut Session) -> Result<(), ChainError> {
        let mut dirty: Vec<(AccountId, Account)> = self
            .slots
            .into_iter()
            .filter_map(|(id, slot)| slot.dirty.then_some((id, slot.account)))
            .collect();
        dirty.sort_unstable_by_key(|(id, _)| *id);
        for (id, account) in dirty {
            account::save(session, &id, &account)?;
        }
        Ok(())
    }
}
