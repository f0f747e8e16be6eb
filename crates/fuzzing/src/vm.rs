//! VMs and sessions for the VM targets, and the checks every receipt must pass.

use std::sync::Arc;

use shortcrust_store::MemoryStore;
use shortcrust_vm::{
    Fault, OptLevel, Receipt, Root, Session, SessionConfig, Vm, VmConfig, VmError, gas,
};

/// Instance slots of a fuzz VM: a call holds at most one per frame (`MAX_CALL_DEPTH`, 16) and a
/// fuzz input runs one call at a time. The pool's size never changes a result; a small one keeps
/// creating a VM per input cheap (each slot reserves address space for a memory).
const POOL_INSTANCES: u32 = 32;

/// A fresh VM on an empty in-memory state with the default limits and no disk cache, compiling
/// with Cranelift at `opt_level`.
///
/// A fresh VM per input rather than one per process: results must not depend on what earlier
/// inputs left in a VM's caches, and a VM created for one input costs about a millisecond.
pub(crate) fn fresh_vm(opt_level: OptLevel) -> Vm {
    let config = VmConfig {
        opt_level,
        pool_instances: POOL_INSTANCES,
        ..VmConfig::default()
    };
    Vm::with_store(Arc::new(MemoryStore::new()), config)
        .unwrap_or_else(|e| panic!("creating a VM failed: {e}"))
}

/// A session on `vm`'s head.
pub(crate) fn session(vm: &Vm) -> Session {
    vm.session(SessionConfig::default())
        .unwrap_or_else(|e| panic!("opening a session failed: {e}"))
}

/// A session on `root`.
pub(crate) fn session_at(vm: &Vm, root: Root) -> Session {
    let config = SessionConfig {
        root: Some(root),
        ..SessionConfig::default()
    };
    vm.session(config)
        .unwrap_or_else(|e| panic!("opening a session failed: {e}"))
}

/// What a top-level call gave: its receipt, or `None` when the VM could not run it for a
/// machine-local reason that says nothing about the input (every instance slot busy).
pub(crate) type Outcome = Option<Receipt>;

/// Unwraps the result of `Session::call`/`query` for a fuzz oracle. Any `VmError` is a bug here
/// (the fuzz inputs stay within the call limits, and a fault such as a native stack overflow or
/// a module that no longer compiles is the VM's), except the instance pool being exhausted. The
/// receipt itself is checked by [`check_receipt`].
pub(crate) fn outcome(result: Result<Receipt, VmError>) -> Outcome {
    match result {
        Ok(receipt) => {
            check_receipt(&receipt);
            Some(receipt)
        }
        Err(VmError::Fault(Fault::InstancePoolExhausted)) => None,
        Err(e) => panic!("the VM failed to run a call (not a contract failure): {e:?}"),
    }
}

/// Invariants of every receipt, whatever the contract did.
pub(crate) fn check_receipt(receipt: &Receipt) {
    assert!(
        receipt.gas_spent <= receipt.gas_limit,
        "a call spent more gas than its limit: {receipt:?}"
    );
    for call in &receipt.calls {
        assert!(
            call.gas_spent <= call.gas_limit,
            "a frame spent more gas than its limit: {call:?}"
        );
    }
    if receipt.result.is_err() {
        assert!(
            receipt.events.is_empty(),
            "a failed call kept its events: {receipt:?}"
        );
    }
    if let Some(first) = receipt.calls.first() {
        assert_eq!(first.depth, 1, "the first frame is not the top-level call");
        assert_eq!(
            receipt.gas_spent,
            gas::TX_BASE + first.gas_spent,
            "the receipt's gas is not the transaction base plus the top-level frame's"
        );
        assert_eq!(
            first.error.as_ref(),
            receipt.result.as_ref().err(),
            "the top-level frame's error differs from the receipt's result"
        );
    }
}
