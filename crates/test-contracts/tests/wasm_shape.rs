//! Every compiled contract is a valid module of the shape the VM accepts: it validates, exports
//! `memory` and its entry points as `() -> ()` functions, imports only host functions of
//! `shortcrust_v1` with the signatures of the ABI table, and carries a schema section that parses
//! as JSON and lists exactly the exported entry points.

use std::collections::BTreeMap;

use shortcrust_abi::{HOST_FUNCTIONS, IMPORT_MODULE, SCHEMA_SECTION, ValType};
use shortcrust_test_contracts::{ALL, by_name};
use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, Parser, Payload, TypeRef, ValType as WasmValType,
    Validator, WasmFeatures,
};

/// What a contract module declares, as read by wasmparser.
#[derive(Default)]
struct ModuleShape {
    types: Vec<FuncType>,
    /// Type index of every function, imported ones first (wasm's function index space).
    function_types: Vec<u32>,
    imports: Vec<(String, String, FuncType)>,
    exports: BTreeMap<String, ExternalKind>,
    export_function_index: BTreeMap<String, u32>,
    schema: Option<String>,
}

fn shape(code: &[u8]) -> ModuleShape {
    let mut shape = ModuleShape::default();
    for payload in Parser::new(0).parse_all(code) {
        match payload.expect("contract parses") {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for ty in group.expect("type").into_types() {
                        match ty.composite_type.inner {
                            CompositeInnerType::Func(f) => shape.types.push(f),
                            other => panic!("unexpected non-function type {other:?}"),
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.expect("import");
                    let TypeRef::Func(type_index) = import.ty else {
                        panic!("non-function import {}.{}", import.module, import.name);
                    };
                    shape.function_types.push(type_index);
                    let ty = shape.types[type_index as usize].clone();
                    shape
                        .imports
                        .push((import.module.to_string(), import.name.to_string(), ty));
                }
            }
            Payload::FunctionSection(reader) => {
                for type_index in reader {
                    shape.function_types.push(type_index.expect("function"));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.expect("export");
                    shape.exports.insert(export.name.to_string(), export.kind);
                    if export.kind == ExternalKind::Func {
                        shape
                            .export_function_index
                            .insert(export.name.to_string(), export.index);
                    }
                }
            }
            Payload::CustomSection(section) if section.name() == SCHEMA_SECTION => {
                assert!(shape.schema.is_none(), "two schema sections");
                shape.schema =
                    Some(String::from_utf8(section.data().to_vec()).expect("schema is UTF-8"));
            }
            _ => {}
        }
    }
    shape
}

fn wasm_type(ty: ValType) -> WasmValType {
    match ty {
        ValType::I32 => WasmValType::I32,
        ValType::I64 => WasmValType::I64,
    }
}

/// The entry points listed in a schema, in order.
fn schema_entry_points(schema: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(schema).expect("schema is JSON");
    assert_eq!(json["schema_version"], 1);
    json["entry_points"]
        .as_array()
        .expect("entry_points is an array")
        .iter()
        .map(|entry| {
            assert!(entry["args"].is_array(), "args missing in {entry}");
            for arg in entry["args"].as_array().unwrap() {
                assert!(
                    arg["name"].is_string() && arg["type"].is_string(),
                    "bad arg {arg}"
                );
            }
            assert!(entry["returns"].is_string(), "returns missing in {entry}");
            entry["name"].as_str().expect("name").to_string()
        })
        .collect()
}

#[test]
fn every_contract_validates() {
    // The features rustc 1.95 enables by default for wasm32-unknown-unknown; nothing beyond.
    let features = WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::REFERENCE_TYPES
        | WasmFeatures::FLOATS
        | WasmFeatures::GC_TYPES;
    for (name, code) in ALL {
        Validator::new_with_features(features)
            .validate_all(code)
            .unwrap_or_else(|e| panic!("{name} does not validate: {e}"));
    }
}

#[test]
fn every_contract_has_the_abi_shape() {
    for (name, code) in ALL {
        let shape = shape(code);
        assert_eq!(
            shape.exports.get("memory"),
            Some(&ExternalKind::Memory),
            "{name} must export its memory"
        );

        for (module, field, ty) in &shape.imports {
            assert_eq!(module, IMPORT_MODULE, "{name} imports {module}.{field}");
            let decl = HOST_FUNCTIONS
                .iter()
                .find(|f| f.name == field)
                .unwrap_or_else(|| panic!("{name} imports unknown host function {field}"));
            let params: Vec<WasmValType> = decl.params.iter().copied().map(wasm_type).collect();
            let results: Vec<WasmValType> = decl.result.into_iter().map(wasm_type).collect();
            assert_eq!(ty.params(), params.as_slice(), "{name}: params of {field}");
            assert_eq!(
                ty.results(),
                results.as_slice(),
                "{name}: result of {field}"
            );
        }

        let schema = shape
            .schema
            .as_deref()
            .unwrap_or_else(|| panic!("{name} has no {SCHEMA_SECTION} section"));
        let entries = schema_entry_points(schema);
        assert!(!entries.is_empty(), "{name} declares no entry point");
        for entry in &entries {
            let index = shape
                .export_function_index
                .get(entry)
                .unwrap_or_else(|| panic!("{name} does not export entry point {entry}"));
            let ty = &shape.types[shape.function_types[*index as usize] as usize];
            assert!(
                ty.params().is_empty() && ty.results().is_empty(),
                "{name}.{entry} must be () -> (), is {ty:?}"
            );
        }
        // Every exported function is an entry point: nothing else leaks out.
        for exported in shape.export_function_index.keys() {
            assert!(
                entries.contains(exported),
                "{name} exports {exported}, which its schema does not list"
            );
        }
    }
}

#[test]
fn schemas_describe_argument_types() {
    let schema = shape(by_name("token").unwrap()).schema.unwrap();
    let json: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let transfer = json["entry_points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "transfer")
        .expect("token has transfer");
    assert_eq!(
        transfer["args"],
        serde_json::json!([
            {"name": "to", "type": "[u8; 32]"},
            {"name": "amount", "type": "u64"}
        ])
    );
    assert_eq!(transfer["returns"], "()");

    let counter = shape(by_name("counter").unwrap()).schema.unwrap();
    assert_eq!(schema_entry_points(&counter), ["increment", "add", "get"]);
}

#[test]
fn lookup_by_name() {
    for (name, code) in ALL {
        assert_eq!(by_name(name), Some(*code));
        assert_eq!(&code[..4], b"\0asm", "{name} is not wasm");
    }
    assert_eq!(by_name("no-such-contract"), None);
}

#[test]
fn every_contract_directory_is_exposed() {
    // Each folder of contracts/ with a Cargo.toml is a contract and must be in `ALL`, once.
    let contracts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts");
    let mut on_disk: Vec<String> = std::fs::read_dir(&contracts)
        .expect("contracts/ exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut exposed: Vec<String> = ALL.iter().map(|(name, _)| name.to_string()).collect();
    exposed.sort();
    assert_eq!(exposed, on_disk);
}
