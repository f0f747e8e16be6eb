//! Deploy-time validation: the module must be valid WASM under the features of ABI v1, fit every
//! [`ModuleLimits`], import only host functions of the session's protocol version (module, name
//! and signature checked), and export a `memory`.
//!
//! Validation also measures what the stack-height instrumentation needs: the frame size of every
//! function (parameters + locals + deepest operand stack), taken from wasmparser's own validator
//! so that the figure is exactly the one the spec defines.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use shortcrust_abi::{IMPORT_MODULE, ValType as AbiValType, host_function};
use wasmparser::{
    CompositeInnerType, FuncValidatorAllocations, Parser, Payload, TypeRef, ValType, ValidPayload,
    Validator, WasmFeatures,
};

use crate::error::DeployError;
use crate::instrument::{FRAME_BASE_SLOTS, RESERVED_EXPORT_PREFIX};
use crate::limits::ModuleLimits;

/// What validation learned about a module.
#[derive(Clone, Debug, Default)]
pub struct ModuleInfo {
    /// Number of imported functions (they come first in the function index space).
    pub imported_functions: u32,
    /// Type index of every function, imported ones first.
    pub function_types: Vec<u32>,
    /// Stack slots of every *defined* function's frame (index = function index - imports).
    pub frame_slots: Vec<u32>,
    /// Size of the global index space: imported globals (only in [`Policy::Conformance`]) plus
    /// the module's own.
    pub globals: u32,
    /// Number of types.
    pub types: u32,
    /// For every type index, the smallest type index with the same signature. wasmtime
    /// canonicalises structurally equal function types, so `call_indirect` naming one type may
    /// call a function declared with another: stack accounting must group types this way.
    pub canonical_types: Vec<u32>,
    /// The `start` function, if any.
    pub start: Option<u32>,
    /// Whether the module has a linear memory (defined or, in conformance mode, imported).
    pub has_memory: bool,
    /// Pages its memory can ever reach: the declared maximum, capped by
    /// `ModuleLimits::max_memory_pages` (0 without memory). Sets the gas tier of its loads and
    /// stores (`gas::instructions::MEMORY_TIERS`).
    pub memory_max_pages: u64,
    /// Exported functions of type `[] -> []`: the contract's entry points.
    pub entry_points: BTreeSet<String>,
    /// Frame slots of each entry point's own function (0 for a re-exported import): the VM
    /// accounts them when it starts a frame, since no call site does.
    pub entry_frames: BTreeMap<String, u32>,
    /// Content of the `shortcrust-schema` custom section, if present.
    pub schema: Option<Vec<u8>>,
    /// Whether any function executes `memory.grow` (then the instrumenter meters it).
    pub grows_memory: bool,
    /// Global indices of the module's own mutable globals: the instrumenter exports them so
    /// that a warm instance's globals can be put back (see `crate::warm`).
    pub mutable_globals: Vec<u32>,
    /// Whether any function executes an instruction that changes instance state other than
    /// memory and globals: `table.set`, `table.grow`, `table.fill`, `table.copy`, `table.init`,
    /// `elem.drop`, `memory.init`, `data.drop`. Such a module's instances are never reused.
    pub mutates_tables_or_segments: bool,
    /// Whether the module was validated as a contract (imports only host functions).
    pub is_contract: bool,
}

impl ModuleInfo {
    /// Whether a frame may run in a reset instance of an earlier frame (see `crate::warm`):
    /// a contract whose only instance state besides memory and globals is fixed at
    /// instantiation.
    pub fn reusable(&self) -> bool {
        self.is_contract && !self.mutates_tables_or_segments
    }
}

/// The WASM features ABI v1 accepts: WebAssembly 2.0 without SIMD, plus extended constant
/// expressions and wide arithmetic. Must agree with `engine_config`.
pub fn features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::FLOATS
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::REFERENCE_TYPES
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::WIDE_ARITHMETIC
}

fn limit(what: &'static str, value: u64, limit: u64) -> Result<(), DeployError> {
    if value > limit {
        Err(DeployError::LimitExceeded { what, value, limit })
    } else {
        Ok(())
    }
}

fn abi_type(t: ValType) -> Option<AbiValType> {
    match t {
        ValType::I32 => Some(AbiValType::I32),
        ValType::I64 => Some(AbiValType::I64),
        _ => None,
    }
}

/// A function type's parameters and results (`None` for a non-function type).
type FuncSig = Option<(Vec<ValType>, Vec<ValType>)>;

/// What a module may import and must export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// A contract: imports only host functions of this protocol version (module, name and
    /// signature checked), exports a `memory`.
    Contract { protocol_version: u32 },
    /// The WebAssembly spec suite (`crate::conformance`): the same features, limits and frame
    /// measurements, but any import and no required export, so that the suite's modules reach
    /// the instrumentation.
    Conformance,
}

/// Validates `code` for deployment at `protocol_version`. See the module docs.
pub fn validate(
    code: &[u8],
    limits: &ModuleLimits,
    protocol_version: u32,
) -> Result<ModuleInfo, DeployError> {
    validate_with(code, limits, Policy::Contract { protocol_version })
}

/// [`validate`] under an explicit [`Policy`].
pub fn validate_with(
    code: &[u8],
    limits: &ModuleLimits,
    policy: Policy,
) -> Result<ModuleInfo, DeployError> {
    limit(
        "module size in bytes",
        code.len() as u64,
        limits.max_module_bytes as u64,
    )?;
    let invalid = |e: wasmparser::BinaryReaderError| DeployError::Invalid(e.to_string());

    let mut validator = Validator::new_with_features(features());
    let mut info = ModuleInfo {
        is_contract: matches!(policy, Policy::Contract { .. }),
        ..ModuleInfo::default()
    };
    let mut func_types: Vec<FuncSig> = Vec::new();
    let mut exported_funcs: Vec<(String, u32)> = Vec::new();
    let mut memory_exported = false;
    let mut allocs = FuncValidatorAllocations::default();

    // The parser decodes with ABI v1's features too: by default it decodes every proposal's
    // encodings (multi-memory, memory64 limits), and the validator would not re-check those,
    // so deploy would accept bytes the engine refuses (found by the spec suite).
    let mut parser = Parser::new(0);
    parser.set_features(features());
    for payload in parser.parse_all(code) {
        let payload = payload.map_err(invalid)?;
        match &payload {
            Payload::TypeSection(reader) => {
                limit("types", reader.count() as u64, limits.max_types as u64)?;
                for group in reader.clone() {
                    for sub in group.map_err(invalid)?.types() {
                        func_types.push(match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                Some((f.params().to_vec(), f.results().to_vec()))
                            }
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                limit("imports", reader.count() as u64, limits.max_imports as u64)?;
                for import in reader.clone().into_imports() {
                    let import = import.map_err(invalid)?;
                    let forbidden = |reason: &'static str| DeployError::ForbiddenImport {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        reason,
                    };
                    let protocol_version = match (policy, import.ty) {
                        (Policy::Contract { protocol_version }, _) => protocol_version,
                        (Policy::Conformance, TypeRef::Func(ty)) => {
                            info.imported_functions += 1;
                            info.function_types.push(ty);
                            continue;
                        }
                        (Policy::Conformance, TypeRef::Global(_)) => {
                            info.globals += 1;
                            continue;
                        }
                        (Policy::Conformance, TypeRef::Memory(ty)) => {
                            info.has_memory = true;
                            let cap = limits.max_memory_pages as u64;
                            info.memory_max_pages = ty.maximum.unwrap_or(cap).min(cap);
                            continue;
                        }
                        (Policy::Conformance, _) => continue,
                    };
                    let TypeRef::Func(ty) = import.ty else {
                        return Err(forbidden("only functions may be imported"));
                    };
                    if import.module != IMPORT_MODULE {
                        return Err(forbidden("unknown import module"));
                    }
                    let Some(decl) = host_function(import.name, protocol_version) else {
                        return Err(forbidden("no such host function in this protocol version"));
                    };
                    let sig = func_types.get(ty as usize).cloned().flatten();
                    let matches = sig.is_some_and(|(params, results)| {
                        params.iter().map(|t| abi_type(*t)).collect::<Vec<_>>()
                            == decl.params.iter().map(|t| Some(*t)).collect::<Vec<_>>()
                            && results.iter().map(|t| abi_type(*t)).collect::<Vec<_>>()
                                == decl.result.iter().map(|t| Some(*t)).collect::<Vec<_>>()
                    });
                    if !matches {
                        return Err(forbidden("signature differs from the host function's"));
                    }
                    info.imported_functions += 1;
                    info.function_types.push(ty);
                }
            }
            Payload::FunctionSection(reader) => {
                limit(
                    "functions",
                    reader.count() as u64,
                    limits.max_functions as u64,
                )?;
                for ty in reader.clone() {
                    info.function_types.push(ty.map_err(invalid)?);
                }
            }
            Payload::TableSection(reader) => {
                limit("tables", reader.count() as u64, limits.max_tables as u64)?;
                for table in reader.clone() {
                    let ty = table.map_err(invalid)?.ty;
                    let max = limits.max_table_elements as u64;
                    limit("table initial size", ty.initial, max)?;
                    if let Some(m) = ty.maximum {
                        limit("table maximum size", m, max)?;
                    }
                }
            }
            Payload::MemorySection(reader) => {
                info.has_memory |= reader.count() > 0;
                for memory in reader.clone() {
                    let ty = memory.map_err(invalid)?;
                    if ty.shared {
                        return Err(DeployError::Invalid("shared memory is not allowed".into()));
                    }
                    let max = limits.max_memory_pages as u64;
                    limit("memory initial pages", ty.initial, max)?;
                    if let Some(m) = ty.maximum {
                        limit("memory maximum pages", m, max)?;
                    }
                    info.memory_max_pages = ty.maximum.unwrap_or(max).min(max);
                }
            }
            Payload::GlobalSection(reader) => {
                limit("globals", reader.count() as u64, limits.max_globals as u64)?;
                for (i, global) in reader.clone().into_iter().enumerate() {
                    if global.map_err(invalid)?.ty.mutable {
                        info.mutable_globals.push(info.globals + i as u32);
                    }
                }
                info.globals += reader.count();
            }
            Payload::ExportSection(reader) => {
                limit("exports", reader.count() as u64, limits.max_exports as u64)?;
                for export in reader.clone() {
                    let export = export.map_err(invalid)?;
                    if export.name.starts_with(RESERVED_EXPORT_PREFIX) {
                        return Err(DeployError::ReservedExport(export.name.to_string()));
                    }
                    match export.kind {
                        wasmparser::ExternalKind::Func => {
                            exported_funcs.push((export.name.to_string(), export.index))
                        }
                        wasmparser::ExternalKind::Memory if export.name == "memory" => {
                            memory_exported = true
                        }
                        _ => {}
                    }
                }
            }
            Payload::ElementSection(reader) => limit(
                "element segments",
                reader.count() as u64,
                limits.max_element_segments as u64,
            )?,
            Payload::DataSection(reader) => limit(
                "data segments",
                reader.count() as u64,
                limits.max_data_segments as u64,
            )?,
            Payload::StartSection { func, .. } => info.start = Some(*func),
            Payload::CustomSection(reader) if reader.name() == shortcrust_abi::SCHEMA_SECTION => {
                info.schema = Some(reader.data().to_vec());
            }
            _ => {}
        }

        match validator.payload(&payload).map_err(invalid)? {
            ValidPayload::Func(func, body) => {
                let function = func.index;
                let flimit = |what: &'static str, value: u64, limit: u64| {
                    if value > limit {
                        Err(DeployError::FunctionLimitExceeded {
                            function,
                            what,
                            value,
                            limit,
                        })
                    } else {
                        Ok(())
                    }
                };
                flimit(
                    "body bytes",
                    body.range().len() as u64,
                    limits.max_function_body_bytes as u64,
                )?;
                let mut fv = func.into_validator(std::mem::take(&mut allocs));
                let mut reader = body.get_binary_reader();
                fv.read_locals(&mut reader).map_err(invalid)?;
                flimit("locals", fv.len_locals() as u64, limits.max_locals as u64)?;
                let mut ops = body.get_operators_reader().map_err(invalid)?;
                let mut max_height = 0u32;
                while !ops.eof() {
                    let offset = ops.original_position();
                    let op = ops.read().map_err(invalid)?;
                    fv.op(offset, &op).map_err(invalid)?;
                    match &op {
                        wasmparser::Operator::MemoryGrow { .. } => info.grows_memory = true,
                        wasmparser::Operator::TableSet { .. }
                        | wasmparser::Operator::TableGrow { .. }
                        | wasmparser::Operator::TableFill { .. }
                        | wasmparser::Operator::TableCopy { .. }
                        | wasmparser::Operator::TableInit { .. }
                        | wasmparser::Operator::ElemDrop { .. }
                        | wasmparser::Operator::MemoryInit { .. }
                        | wasmparser::Operator::DataDrop { .. } => {
                            info.mutates_tables_or_segments = true
                        }
                        wasmparser::Operator::BrTable { targets } => flimit(
                            "br_table targets",
                            targets.len() as u64,
                            limits.max_br_table_targets as u64,
                        )?,
                        _ => {}
                    }
                    max_height = max_height.max(fv.operand_stack_height());
                    // The control stack holds the function's own frame plus one per open block.
                    let nesting = fv.control_stack_height().saturating_sub(1);
                    flimit(
                        "block nesting",
                        nesting as u64,
                        limits.max_block_nesting as u64,
                    )?;
                }
                ops.finish().map_err(invalid)?;
                info.frame_slots
                    .push(FRAME_BASE_SLOTS + fv.len_locals() + max_height);
                allocs = fv.into_allocations();
            }
            ValidPayload::Ok | ValidPayload::End(_) => {}
            ValidPayload::Parser(_) => {
                return Err(DeployError::Invalid(
                    "nested modules are not allowed".into(),
                ));
            }
        }
    }

    if !memory_exported && matches!(policy, Policy::Contract { .. }) {
        return Err(DeployError::NoMemoryExport);
    }
    info.types = func_types.len() as u32;
    // Structural equality of function types, as wasmtime canonicalises them (GC and its
    // recursive groups are off, so a function type is exactly its parameters and results).
    // Only looked up, never iterated: the map's order affects nothing.
    let mut first_of: HashMap<&FuncSig, u32> = HashMap::new();
    info.canonical_types = func_types
        .iter()
        .enumerate()
        .map(|(i, sig)| *first_of.entry(sig).or_insert(i as u32))
        .collect();
    for (name, index) in exported_funcs {
        let ty = info.function_types.get(index as usize).copied();
        let sig = ty.and_then(|t| func_types.get(t as usize).cloned().flatten());
        if sig.is_some_and(|(p, r)| p.is_empty() && r.is_empty()) {
            let frame = index
                .checked_sub(info.imported_functions)
                .and_then(|defined| info.frame_slots.get(defined as usize))
                .copied()
                .unwrap_or(0);
            info.entry_frames.insert(name.clone(), frame);
            info.entry_points.insert(name);
        }
    }
    Ok(info)
}
