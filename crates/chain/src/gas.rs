//! What the chain charges on top of the VM, and the default block gas limit.
//!
//! Same unit of account as the VM (`shortcrust_vm::gas`): one gas ≈ 0.1 ns of native time on
//! the reference machine, and every price here is built from the VM's measured prices.
//!
//! Every transaction pays **intrinsic gas** before its action runs, known from the transaction
//! alone: [`TX_BASE_GAS`] (its signature check and the sender's and the proposer's account
//! records), [`TX_GAS_PER_BYTE`] per encoded byte, and [`ACCOUNT_CREDIT_GAS`] when it moves an
//! amount to another account. A `Transfer` uses exactly its intrinsic gas; a `Call` adds the
//! VM's gas for the call, a `Deploy` the VM's deploy price (`gas::deploy_cost`) and its init
//! call's gas. A gas limit below the intrinsic gas makes the transaction invalid.

use shortcrust_vm::gas::{STORAGE_READ_BASE, STORAGE_WRITE_BASE, STORAGE_WRITE_PER_BYTE};

use crate::tx::{Action, TransactionV1};

/// The default block gas limit: 10¹⁰ gas ≈ 1 s of native work on the reference machine.
///
/// Every validator re-executes every block, so a full block must execute well within the block
/// interval of a consensus round (commonware simplex targets about a second per view); 1 s is
/// the worst case, ordinary blocks are far from full. It admits about 4,000 transfers per block
/// (a transfer is 178 bytes: [`TX_BASE_GAS`] + [`ACCOUNT_CREDIT_GAS`] + 178 × 100 ≈ 2.48 M gas)
/// and a deploy of up to
/// ≈ 620 KiB of code (`gas::deploy_cost` = 5 M + 16 k per byte; the example contracts are
/// 5–42 KiB). A chain that must deploy modules up to the VM's 2 MiB limit (3.4 × 10¹⁰ gas)
/// sets a higher limit in its genesis.
///
/// Measured (2-core reference VM, 2026-12, `tests/chain/throughput.rs`, in-memory state): a
/// block of 2,000 transfers (5.0 × 10⁹ gas) builds in 150–180 ms and verifies in 160–190 ms,
/// 75–95 µs per transfer against the 248 µs its gas stands for: the intrinsic price is
/// conservative, since it charges every account write the cost of a cold write on a large
/// on-disk state.
pub const DEFAULT_BLOCK_GAS_LIMIT: u64 = 10_000_000_000;

/// Every transaction: an Ed25519 verification of its 32-byte hash (the `verify_ed25519` host
/// function's price), and a read and a write of two account records (the sender's, charged
/// gas and nonce, and the proposer's, credited the fee), at the VM's storage prices.
pub const TX_BASE_GAS: u64 = shortcrust_crypto::verify_ed25519_gas(32, 32, 64)
    + 2 * (STORAGE_READ_BASE + STORAGE_WRITE_BASE);

/// Per byte of the encoded signed transaction: every node keeps it in its block store, like a
/// byte of contract storage (`STORAGE_WRITE_PER_BYTE`, 10 ns).
pub const TX_GAS_PER_BYTE: u64 = STORAGE_WRITE_PER_BYTE;

/// One more account record read and written: the recipient of a `Transfer`, or the contract a
/// `Call` with a non-zero amount credits.
pub const ACCOUNT_CREDIT_GAS: u64 = STORAGE_READ_BASE + STORAGE_WRITE_BASE;

/// The intrinsic gas of a transaction whose signed encoding is `encoded_len` bytes.
pub fn intrinsic_gas(tx: &TransactionV1, encoded_len: usize) -> u64 {
    let credit = match &tx.action {
        Action::Transfer { .. } => ACCOUNT_CREDIT_GAS,
        Action::Call { amount, .. } if *amount > 0 => ACCOUNT_CREDIT_GAS,
        _ => 0,
    };
    TX_BASE_GAS
        .saturating_add(TX_GAS_PER_BYTE.saturating_mul(encoded_len as u64))
        .saturating_add(credit)
}

#[cfg(test)]
mod tests {
    use super::*;

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
