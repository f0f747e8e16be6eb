//! Adversarial tests derived from the ABI table: every host function, called with hostile
//! arguments, ends the frame with a precise error or a status and never disturbs the host.

use shortcrust_abi::{HOST_FUNCTIONS, ValType};
use shortcrust_vm::CallError;

use crate::{GAS, deploy_wat, session};

fn wat_type(t: ValType) -> &'static str {
    match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
    }
}

/// A module calling `f` once with `arg(i, name)` for each parameter.
fn module_calling(f: &shortcrust_abi::HostFnDecl, arg: impl Fn(ValType) -> String) -> String {
    let params: Vec<_> = f.params.iter().map(|t| wat_type(*t)).collect();
    let result = f
        .result
        .map(|t| format!("(result {})", wat_type(t)))
        .unwrap_or_default();
    let args: String = f.params.iter().map(|t| arg(*t)).collect();
    let call = format!("(call $f {args})");
    let body = if f.result.is_some() {
        format!("(drop {call})")
    } else {
        call
    };
    format!(
        r#"(module
             (import "shortcrust_v1" "{name}" (func $f (param {params}) {result}))
             (memory (export "memory") 1)
             (func (export "run") {body}))"#,
        name = f.name,
        params = params.join(" "),
    )
}

#[test]
fn every_host_function_rejects_out_of_bounds_pointers() {
    for f in HOST_FUNCTIONS {
        if f.params.is_empty() {
            continue;
        }
        // Every i32 is 0xFFFF_FFF0: pointers past the end, lengths near 4 GiB.
        let wat = module_calling(f, |t| match t {
            ValType::I32 => "(i32.const -16)".into(),
            ValType::I64 => "(i64.const 0)".into(),
        });
        let mut s = session();
        let id = deploy_wat(&mut s, &wat);
        let r = s.call(id, "run", &[], GAS).expect("no VM fault");
        match &r.result {
            Err(CallError::MemoryOutOfBounds { .. })
            | Err(CallError::LimitExceeded { .. })
            | Err(CallError::OutOfGas) => {}
            Ok(_) if f.name == "verify_bls" || f.name == "verify_bls_aggregate" => {
                // -16 is not a scheme: a status, before any memory is touched.
            }
            other => panic!("{}: unexpected {other:?}", f.name),
        }
        assert!(r.gas_spent > 0 && r.gas_spent <= GAS, "{}", f.name);
        assert!(s.changes().storage.is_empty(), "{}", f.name);
    }
}

#[test]
fn every_host_function_survives_zero_arguments() {
    // Null pointers with zero lengths are in bounds: each function must answer with a status
    // or a precise error (empty keys, empty proofs, ...), never a fault or a trap.
    for f in HOST_FUNCTIONS {
        let wat = module_calling(f, |t| format!("({}.const 0)", wat_type(t)));
        let mut s = session();
        let id = deploy_wat(&mut s, &wat);
        let r = s.call(id, "run", &[], GAS).expect("no VM fault");
        if let Err(e) = &r.result {
            assert!(!matches!(e, CallError::Trap(_)), "{}: {e:?}", f.name);
        }
    }
}
