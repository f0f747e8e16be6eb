//! Scenario 5, the light client: the tour's session is committed to a state root, and a node
//! proves storage values against it with `StateView::prove` (a Merkle path through the global
//! tree to the contract, then through the contract's storage tree to the key). The client
//! holds nothing but the root: it decodes each proof from its bytes and verifies it, as
//! `shortcrust prove` does (see `crates/store/src/proof.rs`).
//!
//! Checks: Alice's wrapped-token balance in the bridge (minted by the snarkjs claim, less what
//! she paid Carol) is present with the right value; Bob's is absent (his replayed claim minted
//! nothing); and Alice's proof with its value altered by a lying node is refused.

use shortcrust_store::{ContractId, Root, StorageClaim, StorageProof};
use shortcrust_vm::Vm;

use super::bridge::ALICE_BALANCE;
use super::{ALICE, BOB, Deployed};
use crate::error::CliError;

/// One light-client check and its verdict.
pub struct Check {
    pub what: &'static str,
    pub contract: ContractId,
    pub key: Vec<u8>,
    pub proof_bytes: usize,
    pub expected: String,
    /// What the client concluded from the bytes: `present: …`, `absent` or `refused: …`.
    pub verdict: String,
    pub value: Option<Vec<u8>>,
    pub as_expected: bool,
}

/// The bridge's storage key of `account`'s balance (`b` ‖ account, see contracts/bridge).
fn balance_key(account: &[u8; 32]) -> Vec<u8> {
    [&b"b"[..], account].concat()
}

/// What a light client concludes from `bytes` about (`contract`, `key`) at `root`.
fn conclude(
    bytes: &[u8],
    root: &Root,
    contract: &ContractId,
    key: &[u8],
) -> (String, Option<Vec<u8>>) {
    let verdict = StorageProof::from_bytes(bytes).and_then(|proof| {
        Ok(match proof.verify(root, contract, key)? {
            StorageClaim::NoContract => ("no such contract".to_string(), None),
            StorageClaim::Absent(_) => ("absent".to_string(), None),
            StorageClaim::Present(_, value) => {
                let shown = match <[u8; 8]>::try_from(value) {
                    Ok(le) => u64::from_le_bytes(le).to_string(),
                    Err(_) => hex::encode(value),
                };
                (format!("present: {shown}"), Some(value.to_vec()))
            }
        })
    });
    verdict.unwrap_or_else(|e| (format!("refused: {e}"), None))
}

pub fn run(vm: &Vm, root: Root, contracts: &[Deployed]) -> Result<Vec<Check>, CliError> {
    let bridge = contracts
        .iter()
        .find(|c| c.name == "bridge")
        .map(|c| c.id)
        .ok_or_else(|| CliError::Vm("demo contract bridge is not deployed".into()))?;
    let view = vm.store().view(&root)?;
    let encoded = |key: &[u8]| -> Result<Vec<u8>, CliError> {
        view.prove(&bridge, key)?
            .to_bytes()
            .map_err(|e| CliError::Vm(format!("encoding a storage proof: {e}")))
    };

    let mut checks = Vec::new();
    let alice = balance_key(&ALICE);
    let alice_proof = encoded(&alice)?;
    let bob = balance_key(&BOB);
    let bob_proof = encoded(&bob)?;
    // A lying node changes the value the proof carries (its last byte, in the value's top byte).
    let mut lie = alice_proof.clone();
    if let Some(last) = lie.last_mut() {
        *last ^= 0x01;
    }
    for (what, key, bytes, expected) in [
        (
            "alice's wrapped balance in bridge",
            alice,
            alice_proof.clone(),
            format!("present: {ALICE_BALANCE}"),
        ),
        (
            "bob's wrapped balance (replay minted none)",
            bob,
            bob_proof,
            "absent".to_string(),
        ),
        (
            "alice's proof, value altered by the node",
            balance_key(&ALICE),
            lie,
            "refused".to_string(),
        ),
    ] {
        let (verdict, value) = conclude(&bytes, &root, &bridge, &key);
        let as_expected = if expected == "refused" {
            verdict.starts_with("refused: ")
        } else {
            verdict == expected
        };
        checks.push(Check {
            what,
            contract: bridge,
            key,
            proof_bytes: bytes.len(),
            expected,
            verdict,
            value,
            as_expected,
        });
    }
    Ok(checks)
}
