//! A deterministic chain of change sets, shared by the crash-test child process
//! (`src/bin/test_child.rs`) and the tests that replay it in a `MemoryStore` to know which roots
//! and contents to expect.

#![allow(dead_code)]

use std::sync::Arc;

use shortcrust_store::{ChangeSet, ContractId, ContractMeta, code_hash};

/// Id of the `n`-th contract the workload deploys.
pub fn contract(n: u64) -> ContractId {
    let mut id = [0u8; 32];
    id[..8].copy_from_slice(&n.to_le_bytes());
    id[31] = 0xc0;
    ContractId(id)
}

/// Two code blobs; contracts alternate between them, so code is shared.
pub fn code(n: u64) -> Arc<[u8]> {
    let mut code = b"\0asm\x01\0\0\0 workload code ".to_vec();
    code.extend(std::iter::repeat_n((n % 2) as u8, 300));
    Arc::from(code)
}

/// Contracts deployed by steps before `step` (contract 0 at step 0, contract k at step 10k-1).
pub fn contracts_before(step: u64) -> u64 {
    if step == 0 { 0 } else { 1 + step / 10 }
}

/// The change set of commit number `step` along the chain (the commit at height `step + 1`).
pub fn step(step: u64) -> ChangeSet {
    let mut changes = ChangeSet::default();
    let deploy = if step == 0 {
        Some(0)
    } else if step % 10 == 9 {
        Some(step / 10 + 1)
    } else {
        None
    };
    if let Some(n) = deploy {
        let code = code(n);
        let hash = code_hash(&code);
        let mut owner = [0u8; 32];
        owner[0] = n as u8;
        changes.contracts.insert(
            contract(n),
            ContractMeta {
                owner,
                code_hash: hash,
            },
        );
        changes.code.insert(hash, code);
    }
    let contracts = contracts_before(step).max(1);
    for j in 0..12u64 {
        let key = format!("k{}", (step * 7 + j * 13) % 50).into_bytes();
        let target = contract(j % contracts);
        let value = if j % 5 == 4 {
            None
        } else {
            Some(
                format!("v{step}-{j}-")
                    .repeat(1 + (j as usize % 4))
                    .into_bytes(),
            )
        };
        changes.storage.insert((target, key), value);
    }
    changes
}
