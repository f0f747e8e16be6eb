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
fn module_calling(
    f: &shortcrust_abi::HostFnDecl,
    mut arg: impl FnMut(ValType) -> String,
) -> String {
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

/// Every pointer of every host function, one at a time, at the last byte of memory with a
/// small length: the call must fail at the bounds check itself (`MemoryOutOfBounds` naming that
/// pointer), never run out of gas first. Other pointers are 0, other lengths 0, other integers
/// 1 (a valid scheme or mode).
#[test]
fn every_pointer_reaches_the_bounds_check() {
    const LAST: i32 = 65_535;
    for f in HOST_FUNCTIONS {
        // Its length is the last callee's return data, empty here (a zero-length write at the
        // end is in bounds); `adversarial.rs` covers it with a callee.
        if f.name == "return_data_read" {
            continue;
        }
        for (p, name) in f.param_names.iter().enumerate() {
            if !name.ends_with("ptr") {
                continue;
            }
            // A pointer's length is the parameter after it when that one is a length.
            let paired = f
                .param_names
                .get(p + 1)
                .is_some_and(|n| n.ends_with("len") || n.ends_with("cap"));
            let values: Vec<String> = f
                .params
                .iter()
                .zip(f.param_names)
                .enumerate()
                .map(|(i, (t, n))| match t {
                    ValType::I64 => "(i64.const 0)".to_string(),
                    ValType::I32 if i == p => format!("(i32.const {LAST})"),
                    ValType::I32 if i == p + 1 && paired => "(i32.const 2)".to_string(),
                    ValType::I32 if n.ends_with("ptr") || n.ends_with("len") => {
                        "(i32.const 0)".to_string()
                    }
                    ValType::I32 => "(i32.const 1)".to_string(),
                })
                .collect();
            let mut next = values.iter();
            let wat = module_calling(f, |_| next.next().cloned().unwrap_or_default());
            let mut s = session();
            let id = deploy_wat(&mut s, &wat);
            // Two bytes of input, for `input_read`.
            let r = s.call(id, "run", &[1, 2], GAS).expect("no VM fault");
            match &r.result {
                Err(CallError::MemoryOutOfBounds { ptr, .. }) if *ptr == LAST as u32 => {}
                other => panic!(
                    "{}({name} = {LAST}): expected the bounds check, got {other:?}",
                    f.name
                ),
            }
            // The price was charged (it comes first), and the limit was far from reached.
            assert!(r.gas_spent < GAS / 2, "{}: {} gas", f.name, r.gas_spent);
            assert!(s.changes().storage.is_empty(), "{}", f.name);
        }
    }
}
