//! Deploy-time validation: every rejection is precise and fast.

use shortcrust_vm::{DeployError, DeployOptions};

use crate::session;

fn deploy_err(wat: &str) -> DeployError {
    let code = wat::parse_str(wat).expect("valid wat");
    session()
        .deploy(&code, DeployOptions::default())
        .expect_err("must be refused")
}

fn deploy_bytes_err(code: &[u8]) -> DeployError {
    session()
        .deploy(code, DeployOptions::default())
        .expect_err("must be refused")
}

/// Gas of a call to an empty entry point of a one-page module: `TX_BASE`, the initial page, and
/// one unit of fuel for the call.
pub const EMPTY_CALL_GAS: u64 =
    shortcrust_vm::gas::TX_BASE + shortcrust_vm::gas::initial_memory_cost(1) + 1;

#[test]
fn module_without_imports_runs() {
    let mut s = session();
    let id = crate::deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1) (func (export "run")))"#,
    );
    let r = crate::call(&mut s, id, "run");
    assert_eq!(r.result, Ok(vec![]));
    assert_eq!(r.gas_spent, EMPTY_CALL_GAS);
}

#[test]
fn garbage_is_invalid() {
    assert!(matches!(
        deploy_bytes_err(b"\0asm\x01\0\0\0\xff\xff"),
        DeployError::Invalid(_)
    ));
    assert!(matches!(
        deploy_bytes_err(b"not wasm at all"),
        DeployError::Invalid(_)
    ));
    assert!(matches!(deploy_bytes_err(b""), DeployError::Invalid(_)));
}

#[test]
fn memory_export_is_required() {
    assert_eq!(
        deploy_err(r#"(module (func (export "run")))"#),
        DeployError::NoMemoryExport
    );
}

#[test]
fn unknown_import_module_and_name_are_refused() {
    let e = deploy_err(r#"(module (import "env" "abort" (func)) (memory (export "memory") 1))"#);
    assert!(
        matches!(e, DeployError::ForbiddenImport { ref module, reason: "unknown import module", .. } if module == "env"),
        "{e}"
    );
    let e = deploy_err(
        r#"(module (import "shortcrust_v1" "launch_missiles" (func)) (memory (export "memory") 1))"#,
    );
    assert!(
        matches!(e, DeployError::ForbiddenImport { ref name, .. } if name == "launch_missiles"),
        "{e}"
    );
}

#[test]
fn import_with_wrong_signature_is_refused() {
    let e = deploy_err(
        r#"(module (import "shortcrust_v1" "input_len" (func (result i64))) (memory (export "memory") 1))"#,
    );
    assert!(
        matches!(
            e,
            DeployError::ForbiddenImport {
                reason: "signature differs from the host function's",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn imported_memory_table_or_global_is_refused() {
    for import in [
        r#"(import "shortcrust_v1" "m" (memory 1))"#,
        r#"(import "shortcrust_v1" "g" (global i32))"#,
        r#"(import "shortcrust_v1" "t" (table 1 funcref))"#,
    ] {
        let e = deploy_err(&format!(
            r#"(module {import} (memory (export "memory") 1))"#
        ));
        assert!(
            matches!(
                e,
                DeployError::ForbiddenImport {
                    reason: "only functions may be imported",
                    ..
                }
            ),
            "{e}"
        );
    }
}

#[test]
fn shared_memory_and_atomics_are_refused() {
    let e = deploy_err(r#"(module (memory (export "memory") 1 1 shared))"#);
    assert!(matches!(e, DeployError::Invalid(_)), "{e}");
    let e = deploy_err(
        r#"(module (memory (export "memory") 1)
             (func (export "run") (drop (i32.atomic.load (i32.const 0)))))"#,
    );
    assert!(matches!(e, DeployError::Invalid(_)), "{e}");
}

#[test]
fn simd_is_refused() {
    let e = deploy_err(
        r#"(module (memory (export "memory") 1) (func (export "run") (drop (v128.const i64x2 0 0))))"#,
    );
    assert!(matches!(e, DeployError::Invalid(_)), "{e}");
}

#[test]
fn memory_bombs_are_refused() {
    let e = deploy_err(r#"(module (memory (export "memory") 65536))"#);
    assert!(
        matches!(
            e,
            DeployError::LimitExceeded {
                what: "memory initial pages",
                value: 65536,
                limit: 256
            }
        ),
        "{e}"
    );
    let e = deploy_err(r#"(module (memory (export "memory") 1 100000))"#);
    assert!(
        matches!(
            e,
            DeployError::LimitExceeded {
                what: "memory maximum pages",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn table_bombs_are_refused() {
    let e = deploy_err(r#"(module (memory (export "memory") 1) (table 10000000 funcref))"#);
    assert!(
        matches!(
            e,
            DeployError::LimitExceeded {
                what: "table initial size",
                ..
            }
        ),
        "{e}"
    );
    let e =
        deploy_err(r#"(module (memory (export "memory") 1) (table 1 funcref) (table 1 funcref))"#);
    assert!(
        matches!(
            e,
            DeployError::LimitExceeded { what: "tables", .. } | DeployError::Invalid(_)
        ),
        "{e}"
    );
}

#[test]
fn hundred_thousand_functions_are_refused_quickly() {
    let mut wat = String::from(r#"(module (memory (export "memory") 1)"#);
    for _ in 0..100_000 {
        wat.push_str("(func)");
    }
    wat.push(')');
    let code = wat::parse_str(&wat).unwrap();
    let limits = shortcrust_vm::ModuleLimits {
        max_module_bytes: usize::MAX, // reach the function-count check
        ..Default::default()
    };
    let vm = shortcrust_vm::Vm::with_store(
        std::sync::Arc::new(shortcrust_store::MemoryStore::new()),
        shortcrust_vm::VmConfig {
            limits,
            ..Default::default()
        },
    )
    .unwrap();
    let mut s = vm.session(Default::default()).unwrap();
    let e = s.deploy(&code, DeployOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            DeployError::LimitExceeded {
                what: "functions",
                value: 100_000,
                limit: 10_000
            }
        ),
        "{e}"
    );
}

#[test]
fn deeply_nested_blocks_are_refused() {
    let depth = 5_000;
    let wat = format!(
        r#"(module (memory (export "memory") 1) (func (export "run") {} {}))"#,
        "(block ".repeat(depth),
        ")".repeat(depth)
    );
    let e = deploy_err(&wat);
    assert!(
        matches!(
            e,
            DeployError::FunctionLimitExceeded {
                what: "block nesting",
                function: 0,
                value: 1025,
                limit: 1024,
            }
        ),
        "{e}"
    );
}

#[test]
fn nesting_at_the_limit_is_accepted() {
    let depth = 1024;
    let wat = format!(
        r#"(module (memory (export "memory") 1) (func (export "run") {} {}))"#,
        "(block ".repeat(depth),
        ")".repeat(depth)
    );
    let mut s = session();
    let id = crate::deploy_wat(&mut s, &wat);
    assert!(crate::call(&mut s, id, "run").result.is_ok());
}

#[test]
fn too_many_locals_are_refused() {
    let e = deploy_err(&format!(
        r#"(module (memory (export "memory") 1) (func (export "run") (local {})))"#,
        "i32 ".repeat(5_000)
    ));
    // wasmparser's own cap on locals may fire first; both are precise rejections.
    assert!(
        matches!(
            e,
            DeployError::FunctionLimitExceeded {
                what: "locals",
                function: 0,
                ..
            } | DeployError::Invalid(_)
        ),
        "{e}"
    );
}

#[test]
fn oversized_module_is_refused_before_parsing() {
    let code = vec![0u8; 3 * 1024 * 1024];
    let e = deploy_bytes_err(&code);
    assert!(
        matches!(
            e,
            DeployError::LimitExceeded {
                what: "module size in bytes",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn reserved_export_names_are_refused() {
    let e = deploy_err(
        r#"(module (memory (export "memory") 1) (global (export "__shortcrust_stack_height") (mut i32) (i32.const 0)))"#,
    );
    assert!(matches!(e, DeployError::ReservedExport(_)), "{e}");
}

#[test]
fn deploy_pays_per_byte_before_compiling() {
    let code =
        wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "run")))"#).unwrap();
    let mut s = session();
    let need = shortcrust_vm::gas::deploy_cost(code.len());
    let e = s
        .deploy(
            &code,
            DeployOptions {
                gas_limit: need - 1,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(e, DeployError::OutOfGas { .. }), "{e}");
    let d = s
        .deploy(
            &code,
            DeployOptions {
                gas_limit: need,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(d.gas_spent, need);
    // Same code, same owner, same nonce: same id, refused.
    let e = s.deploy(&code, DeployOptions::default()).unwrap_err();
    assert_eq!(e, DeployError::AlreadyDeployed(d.id));
    let other = s
        .deploy(
            &code,
            DeployOptions {
                nonce: 1,
                ..Default::default()
            },
        )
        .unwrap();
    assert_ne!(other.id, d.id);
}

#[test]
fn entry_points_are_exported_nullary_functions() {
    let mut s = session();
    let id = crate::deploy_wat(
        &mut s,
        r#"(module (memory (export "memory") 1)
             (func (export "good"))
             (func (export "takes_arg") (param i32)))"#,
    );
    assert!(crate::call(&mut s, id, "good").result.is_ok());
    for entry in ["takes_arg", "memory", "missing"] {
        let r = crate::call(&mut s, id, entry);
        assert_eq!(
            r.result,
            Err(shortcrust_vm::CallError::UnknownEntry(entry.into()))
        );
    }
}

/// Every count limit of `ModuleLimits` refuses one past it, naming the limit, and accepts the
/// limit itself where that is cheap to build.
#[test]
fn every_count_limit_is_enforced_one_past_it() {
    let limits = shortcrust_vm::ModuleLimits::default();
    let memory = r#"(memory (export "memory") 1)"#;
    let repeat = |n: u32, f: &dyn Fn(u32) -> String| (0..n).map(f).collect::<String>();
    type Build = Box<dyn Fn(u32) -> String>;
    let cases: Vec<(&str, u32, Build)> = vec![
        (
            "imports",
            limits.max_imports,
            Box::new(move |n| {
                format!(
                    "(module {} {memory})",
                    repeat(n, &|i| format!(
                        r#"(import "shortcrust_v1" "gas_left" (func $g{i} (result i64)))"#
                    ))
                )
            }),
        ),
        (
            "globals",
            limits.max_globals,
            Box::new(move |n| {
                format!(
                    "(module {memory} {})",
                    repeat(n, &|_| "(global i32 (i32.const 0))".to_string())
                )
            }),
        ),
        (
            "types",
            limits.max_types,
            Box::new(move |n| {
                format!(
                    "(module {memory} {})",
                    repeat(n, &|i| format!(
                        "(type (func (param {})))",
                        "i32 ".repeat(i as usize % 7 + 1)
                    ))
                )
            }),
        ),
        (
            "data segments",
            limits.max_data_segments,
            Box::new(move |n| {
                format!(
                    "(module {memory} {})",
                    repeat(n, &|_| r#"(data (i32.const 0) "x")"#.to_string())
                )
            }),
        ),
        (
            "element segments",
            limits.max_element_segments,
            Box::new(move |n| {
                format!(
                    "(module {memory} (table 1 funcref) (func $f) {})",
                    repeat(n, &|_| "(elem (i32.const 0) $f)".to_string())
                )
            }),
        ),
        (
            "exports",
            limits.max_exports,
            Box::new(move |n| {
                format!(
                    "(module {memory} (func $f) {})",
                    repeat(n.saturating_sub(1), &|i| format!(
                        r#"(export "e{i}" (func $f))"#
                    ))
                )
            }),
        ),
    ];
    for (what, limit, module) in cases {
        let code = wat::parse_str(module(limit + 1)).expect("valid wat");
        match deploy_bytes_err(&code) {
            DeployError::LimitExceeded {
                what: w,
                value,
                limit: l,
            } => {
                assert_eq!(
                    (w, value, l),
                    (what, limit as u64 + 1, limit as u64),
                    "{what}"
                )
            }
            other => panic!("{what}: {other:?}"),
        }
        let at_limit = wat::parse_str(module(limit)).expect("valid wat");
        session()
            .deploy(&at_limit, DeployOptions::default())
            .unwrap_or_else(|e| panic!("{what}: the limit itself is allowed: {e}"));
    }
}

#[test]
fn function_body_and_table_size_limits_are_enforced() {
    let limits = shortcrust_vm::ModuleLimits::default();
    let big_body = format!(
        r#"(module (memory (export "memory") 1) (func {}))"#,
        "(nop)".repeat(limits.max_function_body_bytes as usize)
    );
    assert!(matches!(
        deploy_err(&big_body),
        DeployError::FunctionLimitExceeded {
            what: "body bytes",
            ..
        }
    ));
    let table = format!(
        r#"(module (memory (export "memory") 1) (table 1 {} funcref))"#,
        limits.max_table_elements + 1
    );
    assert!(matches!(
        deploy_err(&table),
        DeployError::LimitExceeded {
            what: "table maximum size",
            ..
        }
    ));
}
