//! The native-cryptography contracts of `contracts/` (`verifier`, `darkpool`, `bridge`,
//! `committee`, `wallet`) driven through the VM with real proofs and signatures made here by the
//! reference implementations: dusk-plonk's prover, arkworks' Groth16 prover, a circom/snarkjs
//! proof, Dusk's BLS and Schnorr crates, blst, k256 and ed25519-dalek. Every scenario has
//! tampered variants (wrong public input, flipped byte, wrong signer, replay) that must fail with
//! the exact status or revert message.
//!
//! # Gas
//!
//! Each call's gas is pinned as `WASM + crypto`: `crypto` is the sum of the cryptographic host
//! functions' prices, computed by `shortcrust_crypto`'s `*_gas` functions from the argument
//! lengths the contract passed; `WASM` is everything else (instructions, storage, events, the VM's
//! fixed cost of each host call), pinned to an exact number. The split keeps these snapshots
//! valid when the cryptographic prices are recalibrated, while any change in the contracts, the
//! SDK or the VM's own schedule shows up here.
//!
//! Expensive setup (PLONK parameters, Groth16 keys, key pairs) is made once per test binary with
//! `OnceLock` and shared by the tests.

mod bridge;
mod committee;
mod darkpool;
mod verifier;
mod wallet;

#[path = "../support/mod.rs"]
mod support;

pub use support::*;

use shortcrust_vm::{ContractId, Receipt, Session, SessionConfig, Vm};

pub const CAROL: [u8; 32] = [0xca; 32];
/// Someone with no role: submits transactions for others.
pub const RELAYER: [u8; 32] = [0x7e; 32];

/// Chain id of every session (signed messages bind it).
pub const CHAIN_ID: u64 = 7;

/// Gas for every call: far more than any of them needs.
pub const GAS: u64 = 10_000_000_000;

/// A fresh ephemeral VM and a session on it (chain [`CHAIN_ID`]) whose sender is [`OWNER`].
pub fn new_session() -> (Vm, Session) {
    let vm = Vm::ephemeral().expect("ephemeral VM");
    let mut session = vm.session(SessionConfig::default()).expect("session");
    let mut context = session.context().clone();
    context.chain_id = CHAIN_ID;
    context.sender = OWNER;
    session.set_context(context);
    (vm, session)
}

/// Asserts that the call reverted with `expected`, emitted nothing, and paid for its
/// cryptography: a refused call still costs at least the host functions it ran.
#[track_caller]
pub fn assert_reverted(receipt: &Receipt, expected: &str, crypto_gas: u64) {
    let crypto_gas = charged(crypto_gas);
    assert_eq!(revert_message(receipt), expected);
    assert!(receipt.events.is_empty(), "a failed call keeps no events");
    assert!(
        receipt.gas_spent > crypto_gas,
        "gas {} must cover the cryptography ({crypto_gas})",
        receipt.gas_spent
    );
}

/// What the sessions of these tests (the newest protocol) charge for cryptography whose
/// `shortcrust_crypto` formulas sum to `crypto_gas` (`Schedule::crypto_gas`; exact for a sum,
/// since every formula's terms are multiples of 10 gas).
pub fn charged(crypto_gas: u64) -> u64 {
    shortcrust_vm::gas::Schedule::for_protocol(shortcrust_abi::LATEST_PROTOCOL_VERSION)
        .expect("a schedule")
        .crypto_gas(crypto_gas)
}

/// The part of a receipt's gas that is not the cryptographic host functions' prices
/// (`crypto_gas`, the sum of their `*_gas` functions, at the schedule's price: [`charged`]):
/// see the module docs.
#[track_caller]
pub fn wasm_gas(receipt: &Receipt, crypto_gas: u64) -> u64 {
    receipt
        .gas_spent
        .checked_sub(charged(crypto_gas))
        .expect("a call pays at least the prices of its host functions")
}

/// The borsh encoding of a domain-separated payload as the contracts build it: `(domain,
/// contract id, chain id, rest...)` — `rest` is already encoded.
pub fn domain_payload(domain: &[u8], contract: ContractId, rest: &[u8]) -> Vec<u8> {
    shortcrust_test_contracts::client::domain_payload(domain, contract.0, CHAIN_ID, rest)
}
