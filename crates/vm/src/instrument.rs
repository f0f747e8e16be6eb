//! Deploy-time rewriting: deterministic stack-height accounting, the metered `memory.grow`, and
//! the memory-tier gas charges of loads and stores.
//!
//! **Memory tiers.** A load's native time depends on how much memory its address can reach
//! (`gas::instructions::MEMORY_TIERS`), which the module's declared maximum bounds. The rewrite
//! removes the contract's own `nop`s and inserts after each load and store the number of `nop`s
//! its tier charges: `nop` emits no code but is priced ([`crate::gas::Class::Charge`]), so the
//! charge is folded into wasmtime's per-block fuel count and costs nothing at run time. Under
//! schedule v1 `nop` is free, so the same rewrite leaves v1 gas unchanged.
//!
//! **Stack height.**
//! wasmtime's own stack limit depends on the native stack of the thread running the call, so a
//! deep recursion could succeed on one node and fail on another. Instead every call site is
//! rewritten to account for the callee's frame in a module global, and to trap when the sum
//! exceeds [`STACK_BUDGET_SLOTS`]:
//!
//! ```wat
//! global.get $height  i32.const <slots>  i32.add  global.set $height
//! global.get $height  i32.const <budget> i32.gt_u  if unreachable end
//! call $f
//! global.get $height  i32.const <slots>  i32.sub  global.set $height
//! ```
//!
//! A function's frame is `FRAME_BASE_SLOTS + locals (params included) + deepest operand stack`,
//! as measured by validation. `call_indirect` is charged the largest frame among the module's
//! functions whose type is *structurally equal* to the called type (wasmtime canonicalises equal
//! types, so a call through one type index reaches functions declared with another). Calls to
//! host functions are not instrumented: host code runs on the native stack the VM reserves
//! beyond the WASM budget (see `session::RED_ZONE`).
//!
//! Frames no call site accounts for are accounted by the VM: the entry point's own frame (the
//! host seeds the global with the caller's height plus the entry's frame, see
//! [`crate::vm`]'s `entries`), and the `start` function, which the rewrite removes from the
//! start section and exports as a wrapper [`START_EXPORT`] that accounts its frame like a call
//! site. The VM calls it right after instantiation, once the global is seeded: a start function
//! of a callee starts from its caller's height like any frame, never from 0.
//!
//! The global is exported as [`STACK_HEIGHT_EXPORT`] so the host can start a cross-contract
//! callee at its caller's height: the budget covers the whole chain of frames of a top-level
//! call, not each frame. A trap with the global above the budget is reported as
//! `StackLimitExceeded`. The extra instructions are metered like any other: a call costs 13 gas
//! of accounting.
//!
//! Hand-written on `wasm-encoder`'s re-encoder rather than taken from `finite-wasm`: that crate
//! pins other `wasmparser` versions (a second copy of a heavy dependency) and instruments every
//! function entry and exit, where call sites are enough here and keep the rewrite small.

use std::collections::BTreeMap;
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, ConstExpr, ExportKind, ExportSection, GlobalSection, GlobalType, Instruction,
    Module, SectionId, ValType,
};
use wasmparser::Operator;

use crate::error::DeployError;
use crate::gas::instructions::{Class, class_of, memory_access_charges};
use crate::validate::ModuleInfo;

/// Version of this rewrite; part of the engine fingerprint that keys compiled-code caches.
pub const INSTRUMENTATION_VERSION: &str =
    "stack-height-v2+memory-grow-v1+start-v1+names-v1+memory-tiers-v1+warm-v1";

/// Fixed slots of every frame: return address, frame pointer, callee-saved registers.
pub const FRAME_BASE_SLOTS: u32 = 8;

/// Stack slots all frames of one top-level call may hold. A slot is one WASM value (at most 8
/// bytes natively, 16 with spills and alignment counted generously): 16,384 slots is at most
/// 256 KiB, a quarter of `MAX_WASM_STACK`, leaving a wide margin for code generation.
pub const STACK_BUDGET_SLOTS: u32 = 16_384;

/// Slots a cross-contract call adds to the chain: the host frames between the two contracts.
pub const CROSS_CALL_SLOTS: u32 = 256;

/// Exports whose name starts with this are reserved for the VM.
pub const RESERVED_EXPORT_PREFIX: &str = "__shortcrust";

/// Name under which the instrumented module exports its stack-height global.
pub const STACK_HEIGHT_EXPORT: &str = "__shortcrust_stack_height";
/// Name under which the instrumented module exports its `start` function (wrapped with stack
/// accounting): the VM calls it right after instantiation.
pub const START_EXPORT: &str = "__shortcrust_start";
/// Name under which the instrumented module exports memory 0 (if it has one), for the metered
/// `memory.grow` of modules that do not export it as `memory` (the spec suite's).
pub const MEMORY_EXPORT: &str = "__shortcrust_memory";
/// Exported (re-exporting the stack-height global) only by a module whose instances a later
/// frame may reuse ([`ModuleInfo::reusable`]): the compiled module carries the decision, so a
/// module loaded from the disk cache knows it without its validation facts (see `crate::warm`).
pub const REUSABLE_EXPORT: &str = "__shortcrust_reusable";
/// Prefix of the names under which a reusable module exports each of its own mutable globals
/// (`__shortcrust_global_<index>`), so that a warm instance's globals can be put back.
pub const GLOBAL_EXPORT_PREFIX: &str = "__shortcrust_global_";

/// Import module of the VM's own metering functions; contracts cannot import from it (only
/// `shortcrust_abi::IMPORT_MODULE` passes validation).
pub const METER_MODULE: &str = "__shortcrust_meter";
/// The metered `memory.grow`: `(pages: i32) -> i32`.
pub const MEMORY_GROW_IMPORT: &str = "memory_grow";

struct StackInstrumenter<'i> {
    info: &'i ModuleInfo,
    /// Largest frame among defined functions, per canonical type index.
    max_slots_by_type: BTreeMap<u32, u32>,
    /// The start function to wrap (original index), when it is a defined function.
    start: Option<u32>,
    /// Type index of `[] -> []` for the start wrapper, appended to the type section.
    start_type: u32,
    global_index: u32,
    global_emitted: bool,
    /// Index of the metered-grow import (`Some` when the module grows memory).
    grow_function: Option<u32>,
    /// Type index of `(i32) -> i32`, appended to the type section.
    grow_type: u32,
    imports_emitted: bool,
    exports_emitted: bool,
    /// `nop` charges after each load and after each store
    /// (`gas::instructions::memory_access_charges`).
    access_charges: (u32, u32),
}

impl StackInstrumenter<'_> {
    fn emit_grow_import(&mut self, imports: &mut wasm_encoder::ImportSection) {
        if self.grow_function.is_some() && !self.imports_emitted {
            imports.import(
                METER_MODULE,
                MEMORY_GROW_IMPORT,
                wasm_encoder::EntityType::Function(self.grow_type),
            );
        }
        self.imports_emitted = true;
    }

    fn emit_global(&mut self, globals: &mut GlobalSection) {
        globals.global(
            GlobalType {
                val_type: ValType::I32,
                mutable: true,
                shared: false,
            },
            &ConstExpr::i32_const(0),
        );
        self.global_emitted = true;
    }

    fn emit_exports(&mut self, exports: &mut ExportSection) {
        exports.export(STACK_HEIGHT_EXPORT, ExportKind::Global, self.global_index);
        if self.info.has_memory {
            exports.export(MEMORY_EXPORT, ExportKind::Memory, 0);
        }
        if self.start.is_some() {
            exports.export(START_EXPORT, ExportKind::Func, self.start_wrapper_index());
        }
        if self.info.reusable() {
            exports.export(REUSABLE_EXPORT, ExportKind::Global, self.global_index);
            for g in &self.info.mutable_globals {
                exports.export(
                    &format!("{GLOBAL_EXPORT_PREFIX}{g}"),
                    ExportKind::Global,
                    *g,
                );
            }
        }
        self.exports_emitted = true;
    }

    /// The start wrapper is appended after every function of the module (and after the
    /// metered-grow import, which shifts defined functions by one).
    fn start_wrapper_index(&self) -> u32 {
        self.info.function_types.len() as u32 + u32::from(self.grow_function.is_some())
    }

    fn enter(&self, f: &mut wasm_encoder::Function, slots: u32) {
        let g = self.global_index;
        f.instruction(&Instruction::GlobalGet(g));
        f.instruction(&Instruction::I32Const(slots as i32));
        f.instruction(&Instruction::I32Add);
        f.instruction(&Instruction::GlobalSet(g));
        f.instruction(&Instruction::GlobalGet(g));
        f.instruction(&Instruction::I32Const(STACK_BUDGET_SLOTS as i32));
        f.instruction(&Instruction::I32GtU);
        f.instruction(&Instruction::If(wasm_encoder::BlockType::Empty));
        f.instruction(&Instruction::Unreachable);
        f.instruction(&Instruction::End);
    }

    fn leave(&self, f: &mut wasm_encoder::Function, slots: u32) {
        let g = self.global_index;
        f.instruction(&Instruction::GlobalGet(g));
        f.instruction(&Instruction::I32Const(slots as i32));
        f.instruction(&Instruction::I32Sub);
        f.instruction(&Instruction::GlobalSet(g));
    }

    /// Frame slots charged for a direct call, `None` for host functions.
    fn direct_call_slots(&self, function_index: u32) -> Option<u32> {
        let defined = function_index.checked_sub(self.info.imported_functions)?;
        self.info.frame_slots.get(defined as usize).copied()
    }
}

impl Reencode for StackInstrumenter<'_> {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Infallible>> {
        // The metered-grow import sits right after the module's own imports.
        Ok(match self.grow_function {
            Some(_) if func >= self.info.imported_functions => func + 1,
            _ => func,
        })
    }

    fn parse_type_section(
        &mut self,
        types: &mut wasm_encoder::TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_type_section(self, types, section)?;
        if self.grow_function.is_some() {
            types.ty().function([ValType::I32], [ValType::I32]);
        }
        if self.start.is_some() {
            types.ty().function([], []);
        }
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_function_section(self, functions, section)?;
        if self.start.is_some() {
            functions.function(self.start_type);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_code_section(self, code, section)?;
        if let Some(start) = self.start {
            // The wrapper: `start`'s frame accounted exactly as at a call site.
            let mut f = wasm_encoder::Function::new([]);
            let target = self.function_index(start)?;
            let slots = self.direct_call_slots(start);
            if let Some(slots) = slots {
                self.enter(&mut f, slots);
            }
            f.instruction(&Instruction::Call(target));
            if let Some(slots) = slots {
                self.leave(&mut f, slots);
            }
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut wasm_encoder::ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_import_section(self, imports, section)?;
        self.emit_grow_import(imports);
        Ok(())
    }

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.emit_global(globals);
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), reencode::Error<Infallible>> {
        // A module without imports gets an import section (for the metered grow) just before
        // the first section that must follow it.
        let after_imports = !matches!(before, Some(SectionId::Type | SectionId::Import));
        if !self.imports_emitted && after_imports && self.grow_function.is_some() {
            let mut imports = wasm_encoder::ImportSection::new();
            self.emit_grow_import(&mut imports);
            module.section(&imports);
        }
        // A module without globals gets a global section just before the first section that
        // must follow it.
        let after_globals = matches!(
            before,
            None | Some(
                SectionId::Export
                    | SectionId::Start
                    | SectionId::Element
                    | SectionId::DataCount
                    | SectionId::Code
                    | SectionId::Data
            )
        );
        if !self.global_emitted && after_globals {
            let mut globals = GlobalSection::new();
            self.emit_global(&mut globals);
            module.section(&globals);
        }
        // A module without exports gets an export section just before the first section that
        // must follow it.
        let after_exports = matches!(
            before,
            None | Some(
                SectionId::Start
                    | SectionId::Element
                    | SectionId::DataCount
                    | SectionId::Code
                    | SectionId::Data
            )
        );
        if !self.exports_emitted && after_exports {
            let mut exports = ExportSection::new();
            self.emit_exports(&mut exports);
            module.section(&exports);
        }
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        reencode::utils::parse_export_section(self, exports, section)?;
        self.emit_exports(exports);
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), reencode::Error<Infallible>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            let slots = match &op {
                Operator::Call { function_index } => self.direct_call_slots(*function_index),
                Operator::CallIndirect { type_index, .. } => Some(
                    self.info
                        .canonical_types
                        .get(*type_index as usize)
                        .and_then(|canonical| self.max_slots_by_type.get(canonical))
                        .copied()
                        .unwrap_or(FRAME_BASE_SLOTS),
                ),
                _ => None,
            };
            if let (Operator::MemoryGrow { .. }, Some(grow)) = (&op, self.grow_function) {
                f.instruction(&Instruction::Call(grow));
                continue;
            }
            // `nop` is the gas charge of the memory tiers (free in schedule v1): the contract's
            // own are dropped, ours follow each load and store.
            let charges = match class_of(&op) {
                Class::Charge => continue,
                Class::Load => self.access_charges.0,
                Class::Store => self.access_charges.1,
                _ => 0,
            };
            let instruction = self.instruction(op)?;
            match slots {
                Some(slots) => {
                    self.enter(&mut f, slots);
                    f.instruction(&instruction);
                    self.leave(&mut f, slots);
                }
                None => {
                    f.instruction(&instruction);
                }
            }
            for _ in 0..charges {
                f.instruction(&Instruction::Nop);
            }
        }
        code.function(&f);
        Ok(())
    }
}

/// Rewrites a validated module. See the module docs.
pub fn instrument(code: &[u8], info: &ModuleInfo) -> Result<Vec<u8>, DeployError> {
    let mut max_slots_by_type = BTreeMap::new();
    for (defined, slots) in info.frame_slots.iter().enumerate() {
        let index = info.imported_functions as usize + defined;
        let canonical = info
            .function_types
            .get(index)
            .and_then(|ty| info.canonical_types.get(*ty as usize));
        if let Some(ty) = canonical {
            let entry = max_slots_by_type.entry(*ty).or_insert(0);
            *entry = (*entry).max(*slots);
        }
    }
    // Only a defined start function is wrapped: an imported one is a host function, which runs
    // no WASM frame (and no host function of the ABI has the `[] -> []` type a start needs).
    let start = info.start.filter(|f| *f >= info.imported_functions);
    let grows = info.grows_memory;
    let mut instrumenter = StackInstrumenter {
        info,
        max_slots_by_type,
        start,
        start_type: info.types + u32::from(grows),
        global_index: info.globals,
        global_emitted: false,
        grow_function: grows.then_some(info.imported_functions),
        grow_type: info.types,
        imports_emitted: false,
        exports_emitted: false,
        access_charges: memory_access_charges(info.memory_max_pages),
    };
    let invalid =
        |e: &dyn std::fmt::Display| DeployError::Invalid(format!("instrumentation failed: {e}"));
    let input = rewrite_input(code, start.is_some()).map_err(|e| invalid(&e))?;
    let mut module = Module::new();
    instrumenter
        .parse_core_module(&mut module, wasmparser::Parser::new(0), &input)
        .map_err(|e| invalid(&e))?;
    Ok(module.finish())
}

/// `code` without its `name` custom section (debug names: validation ignores it, and the
/// re-encoder would parse it, refusing a malformed one with an error that names nothing — found
/// by fuzzing) and, when `drop_start`, without its start section (the instrumented module calls
/// the start function through [`START_EXPORT`] instead); every other section byte for byte.
fn rewrite_input(code: &[u8], drop_start: bool) -> Result<Vec<u8>, wasmparser::BinaryReaderError> {
    let mut module = Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(code) {
        let payload = payload?;
        match &payload {
            wasmparser::Payload::StartSection { .. } if drop_start => continue,
            wasmparser::Payload::CustomSection(c) if c.name() == "name" => continue,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            module.section(&wasm_encoder::RawSection {
                id,
                data: &code[range],
            });
        }
    }
    Ok(module.finish())
}
