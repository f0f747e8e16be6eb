//! Deploy-time limits on the size and shape of a contract module.
//!
//! Each limit bounds the time or memory the node spends on a module (validation, compilation,
//! instantiation) so that a hostile module costs at most a known amount. Every rejection names the
//! limit and the offending value (see `DeployError`). The defaults are part of the protocol.

/// Limits enforced when a module is deployed. See each field for its default and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleLimits {
    /// Largest module, in bytes. Default 2 MiB: a Rust contract with its own field arithmetic is
    /// a few hundred KiB; deploy gas is per byte on top of this.
    pub max_module_bytes: usize,
    /// Most functions defined in the module. Default 10,000: compilation time is linear in it.
    pub max_functions: u32,
    /// Largest single function body, in bytes. Default 512 KiB: bounds per-function compile time.
    pub max_function_body_bytes: u32,
    /// Most locals (including parameters) in one function. Default 4,096: bounds frame size.
    pub max_locals: u32,
    /// Deepest nesting of `block`/`loop`/`if` in one function. Default 1,024.
    pub max_block_nesting: u32,
    /// Most globals. Default 1,024.
    pub max_globals: u32,
    /// Most types in the type section. Default 1,024.
    pub max_types: u32,
    /// Most tables. Default 1 (rustc emits one function table).
    pub max_tables: u32,
    /// Largest table, initial and maximum, in elements. Default 16,384.
    pub max_table_elements: u32,
    /// Most data segments. Default 1,024.
    pub max_data_segments: u32,
    /// Most element segments. Default 1,024.
    pub max_element_segments: u32,
    /// Most exports. Default 1,024.
    pub max_exports: u32,
    /// Most targets of one `br_table` (its default excluded). Default 16,384: Cranelift refuses
    /// more than 65,520 (an implementation limit of the compiler, which must never decide what
    /// deploys); jump tables of a few thousand entries cover any `match` rustc emits.
    pub max_br_table_targets: u32,
    /// Most imports. Default 256: the ABI has a few dozen host functions; every import is
    /// resolved into each new instance, so their number is work on every call.
    pub max_imports: u32,
    /// Largest initial and maximum linear memory, in 64 KiB pages. Default 256 (16 MiB): rustc's
    /// default shadow stack alone is 1 MiB. `memory.grow` past it returns -1.
    pub max_memory_pages: u32,
}

impl Default for ModuleLimits {
    fn default() -> Self {
        Self {
            max_module_bytes: 2 * 1024 * 1024,
            max_functions: 10_000,
            max_function_body_bytes: 512 * 1024,
            max_locals: 4_096,
            max_block_nesting: 1_024,
            max_globals: 1_024,
            max_types: 1_024,
            max_tables: 1,
            max_table_elements: 16_384,
            max_data_segments: 1_024,
            max_element_segments: 1_024,
            max_exports: 1_024,
            max_imports: 256,
            max_br_table_targets: 16_384,
            max_memory_pages: 256,
        }
    }
}
