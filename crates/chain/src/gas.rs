//! What the chain charges on top of the VM, and the default block gas limit.
//!
//! Same unit of account as the VM (`shortcrust_vm::gas`): one gas ≈ 0.1 ns of native time on
//! the reference machine, and every price here is built from the VM's measured prices.
//!
//! Every transaction pays **intrinsic gas** before its action runs, known from the transaction
//! and the chain's protocol version alone ([`intrinsic_gas`]): [`tx_base_gas`] (its signature
//! check and the sender's and the proposer's account records), [`TX_GAS_PER_BYTE`] per encoded
//! byte, and [`account_credit_gas`] when it moves an amount to another account. A `Transfer`
//! uses exactly its intrinsic gas; a `Call` adds the VM's gas for the call, a `Deploy` the VM's
//! deploy price (`gas::deploy_cost`) and its init call's gas. A gas limit below the intrinsic
//! gas makes the transaction invalid.
//!
//! Prices follow the VM's gas schedule of the protocol version (`Schedule::for_protocol`), side
//! by side as the VM keeps its own: protocol 1's are frozen ([`TX_BASE_GAS`],
//! [`ACCOUNT_CREDIT_GAS`]) so its blocks replay exactly; protocol 2 prices an account read as
//! the VM's v2 prices a storage read, cold in wall time ([`TX_BASE_GAS_V2`],
//! [`ACCOUNT_CREDIT_GAS_V2`]).

use shortcrust_vm::gas::{
    STORAGE_READ_BASE, STORAGE_READ_BASE_V2, STORAGE_WRITE_BASE, STORAGE_WRITE_PER_BYTE, Schedule,
};

use crate::tx::{Action, TransactionV1};

/// The default block gas limit: 10¹⁰ gas ≈ 1 s of native work on the reference machine.
///
/// Every validator re-executes every block, so a full block must execute well within the block
/// interval of a consensus round (commonware simplex targets about a second per view); 1 s is
/// the worst case, ordinary blocks are far from full. Under protocol 2 it admits about 1,200
/// transfers per block (a transfer is 178 bytes: [`TX_BASE_GAS_V2`], [`ACCOUNT_CREDIT_GAS_V2`]
/// and 178 × 100 make ≈ 8.26 M gas, of which 6.3 M are the sender's and the recipient's records
/// read cold from a large state on disk; under protocol 1, 4,000 at ≈ 2.48 M) and a deploy of
/// up to ≈ 620 KiB of code (`gas::deploy_cost` = 5 M + 16 k per byte; the example contracts are
/// 3–42 KiB). A chain that must deploy modules up to the VM's 2 MiB limit (3.4 × 10¹⁰ gas)
/// sets a higher limit in its genesis.
///
/// Measured (2-core reference VM, 2026-12, `tests/chain/throughput.rs` when it built 2,000
/// transfers at protocol 1's limits; it now builds 1,000, in-memory state): a block of 2,000
/// transfers builds in 150–180 ms and verifies in 160–190 ms, 75–95 µs per
/// transfer, against the 248 µs of their protocol-1 gas and the 826 µs of their protocol-2
/// gas: in memory every record is warm; the prices are for records read from a disk.
pub const DEFAULT_BLOCK_GAS_LIMIT: u64 = 10_000_000_000;

/// Protocol 1, every transaction: an Ed25519 verification of its 32-byte hash (the
/// `verify_ed25519` host function's price), and a read and a write of two account records (the
/// sender's, charged gas and nonce, and the proposer's, credited the fee), at the VM's v1
/// storage prices (a 20 µs read). Frozen.
pub const TX_BASE_GAS: u64 = shortcrust_crypto::verify_ed25519_gas(32, 32, 64)
    + 2 * (STORAGE_READ_BASE + STORAGE_WRITE_BASE);

/// Protocol 2, every transaction: the same signature check at schedule v2's price of it
/// (`Schedule::crypto_gas`, 3/2 of v1's), the same record writes, and
/// - the **sender's** record read cold, at the VM's v2 read price (`STORAGE_READ_BASE_V2`,
///   300 µs measured in wall time with the page cache dropped): the sender is any of the
///   state's accounts, and a block may hold one transaction from each of thousands;
/// - the **proposer's** record read warm, at v1's 20 µs: every transaction of a block credits
///   the same proposer, so its Merkle path is read from disk once per block (by the first
///   transaction; that one cold read, 300 µs, is the block's own overhead, far inside the
///   block interval) and is in memory for every other.
pub const TX_BASE_GAS_V2: u64 = Schedule::V2
    .crypto_gas(shortcrust_crypto::verify_ed25519_gas(32, 32, 64))
    + (STORAGE_READ_BASE_V2 + STORAGE_WRITE_BASE)
    + (STORAGE_READ_BASE + STORAGE_WRITE_BASE);

/// Per byte of the encoded signed transaction: every node keeps it in its block store, like a
/// byte of contract storage (`STORAGE_WRITE_PER_BYTE`, 10 ns). Every protocol.
pub const TX_GAS_PER_BYTE: u64 = STORAGE_WRITE_PER_BYTE;

/// Protocol 1: one more account record read and written (the recipient of a `Transfer`, or the
/// contract a `Call` with a non-zero amount credits). Frozen.
pub const ACCOUNT_CREDIT_GAS: u64 = STORAGE_READ_BASE + STORAGE_WRITE_BASE;

/// Protocol 2: the recipient's record read cold (any account of the state, or a new one whose
/// path must be walked to insert it) and written.
pub const ACCOUNT_CREDIT_GAS_V2: u64 = STORAGE_READ_BASE_V2 + STORAGE_WRITE_BASE;

/// [`TX_BASE_GAS`] or [`TX_BASE_GAS_V2`], by the schedule of the chain's protocol version.
pub const fn tx_base_gas(schedule: Schedule) -> u64 {
    match schedule {
        Schedule::V1 => TX_BASE_GAS,
        Schedule::V2 => TX_BASE_GAS_V2,
    }
}

/// [`ACCOUNT_CREDIT_GAS`] or [`ACCOUNT_CREDIT_GAS_V2`], by schedule.
pub const fn account_credit_gas(schedule: Schedule) -> u64 {
    match schedule {
        Schedule::V1 => ACCOUNT_CREDIT_GAS,
        Schedule::V2 => ACCOUNT_CREDIT_GAS_V2,
    }
}

/// The schedule a client signs for when it does not know the chain's protocol version: the
/// latest. Intrinsic gas never falls from one protocol to the next (a test pins it), so a gas
/// limit enough under it is enough under every earlier one; what a transaction does not use is
/// refunded.
pub const LATEST_SCHEDULE: Schedule = Schedule::V2;

/// The intrinsic gas of a transaction whose signed encoding is `encoded_len` bytes, on a chain
/// whose protocol version runs `schedule`.
pub fn intrinsic_gas(tx: &TransactionV1, encoded_len: usize, schedule: Schedule) -> u64 {
    let credit = match &tx.action {
        Action::Transfer { .. } => account_credit_gas(schedule),
        Action::Call { amount, .. } if *amount > 0 => account_credit_gas(schedule),
        _ => 0,
    };
    tx_base_gas(schedule)
        .saturating_add(TX_GAS_PER_BYTE.saturating_mul(encoded_len as u64))
        .saturating_add(credit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_prices_account_reads_cold_and_never_below_v1() {
        // A change here is a protocol change.
        assert_eq!(TX_BASE_GAS_V2, 540_495 + 3_500_000 + 700_000);
        assert_eq!(ACCOUNT_CREDIT_GAS_V2, 3_500_000);
        for s in Schedule::ALL {
            assert!(tx_base_gas(s) <= tx_base_gas(LATEST_SCHEDULE), "{s:?}");
            assert!(account_credit_gas(s) <= account_credit_gas(LATEST_SCHEDULE));
        }
        assert_eq!(
            Some(LATEST_SCHEDULE),
            Schedule::for_protocol(shortcrust_abi::LATEST_PROTOCOL_VERSION)
        );
    }

    #[test]
    fn schedule_is_pinned() {
        // A change here is a protocol change.
        assert_eq!(TX_BASE_GAS, 360_330 + 2 * (200_000 + 500_000));
        assert_eq!(TX_GAS_PER_BYTE, 100);
        assert_eq!(ACCOUNT_CREDIT_GAS, 700_000);
        let deploy_max = (DEFAULT_BLOCK_GAS_LIMIT - shortcrust_vm::gas::DEPLOY_BASE)
            / shortcrust_vm::gas::DEPLOY_PER_BYTE;
        assert!(
            (600 * 1024..640 * 1024).contains(&deploy_max),
            "{deploy_max}"
        );
    }
}
