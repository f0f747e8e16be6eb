//! What each WASM instruction costs: every operator belongs to one cost [`Class`], and each
//! gas schedule prices the classes ([`Schedule::class_price`]). The per-operator fuel table
//! wasmtime compiles into the code ([`Schedule::operator_cost`]) is derived from those two
//! alone, for every operator wasmparser knows (`wasmparser::for_each_operator!`), so adding a
//! class price is the only way to change what an instruction costs.
//!
//! Classes group operators whose compiled code does the same kind of work: a class is priced
//! for its *slowest* member on its worst input (a dependent chain, an unpredictable branch),
//! because a contract can pick the member and the input. See each class and the schedules'
//! prices for the measurements.

use wasmtime::OperatorCost;

use super::Schedule;

/// A group of operators priced alike. See the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Emits no code, or only ends a frame: `drop`, `block`, `loop`, `end`, `else`,
    /// `unreachable`, `return`.
    Free,
    /// `nop`: emits no code, so it is the instrumenter's way to charge gas at no run-time cost.
    /// A contract's own `nop`s are removed at deploy; `instrument` inserts
    /// [`memory_access_charges`] of them after each load and store.
    Charge,
    /// `local.get`, `local.set`, `local.tee`: a register move, or a stack-slot load or store
    /// when Cranelift spills the local (hundreds of live locals do).
    Local,
    /// `i32.const` and friends: an immediate, usually folded into its user.
    Const,
    /// `global.get`, `global.set`: a load or store through the instance's context.
    Global,
    /// One-cycle integer work: add, sub, bitwise, shifts, rotates, comparisons, `eqz`,
    /// extensions and wraps, `clz`/`ctz`/`popcnt`.
    IntSimple,
    /// `select` (a conditional move: no branch to mispredict).
    Select,
    /// `i32.mul`, `i64.mul`: three cycles of latency.
    IntMul,
    /// `i64.add128`, `i64.sub128`: two dependent add-with-carry.
    WideAdd,
    /// `i64.mul_wide_s`/`_u`: a 64×64→128 multiply.
    WideMul,
    /// `div_s`, `div_u`, `rem_s`, `rem_u`: a hardware divide (tens of cycles) plus the checks
    /// for zero and overflow.
    IntDiv,
    /// Float comparisons.
    FloatCompare,
    /// Float add, sub, mul, min, max, rounding, sign ops, conversions and reinterpretations,
    /// with the NaN canonicalisation Cranelift adds after each arithmetic result.
    FloatSimple,
    /// `f32.div`, `f64.div`, `f32.sqrt`, `f64.sqrt`: long-latency units.
    FloatSlow,
    /// Loads of every width: a bounds-checked access at a contract-chosen address.
    Load,
    /// Stores of every width.
    Store,
    /// `br`: an unconditional jump.
    Branch,
    /// `br_if`, `if`: a conditional branch on a contract-chosen (possibly random) condition.
    CondBranch,
    /// `br_table`: a bounds check and an indirect jump on a contract-chosen index.
    BrTable,
    /// `call`: the call itself plus the stack-height accounting `instrument` adds around it.
    Call,
    /// `call_indirect`: a table bounds check, a signature check, an indirect call, and the
    /// stack-height accounting.
    CallIndirect,
    /// `memory.size`.
    MemorySize,
    /// `memory.grow`: never executed as an instruction (`instrument` replaces it with the VM's
    /// metered grow, priced per page by `gas::MEMORY_GROW_PER_PAGE`).
    MemoryGrow,
    /// Bulk memory and table operations (`memory.copy`/`fill`/`init`, `data.drop`,
    /// `table.copy`/`init`/`fill`, `elem.drop`): a flat price here plus a per-byte or
    /// per-element price ([`Schedule::variable_cost`]).
    Bulk,
    /// `table.get`, `table.set`, `table.size`, `table.grow`.
    Table,
    /// `ref.null`, `ref.is_null`, `ref.func`.
    Ref,
    /// An operator of a proposal the validator refuses (SIMD, threads, GC, exceptions, tail
    /// calls, ...): never compiled, priced at the maximum in case that ever changes.
    Unsupported,
}

/// Proposals whose operators validated modules may contain (`validate::features`); other
/// proposals' operators are [`Class::Unsupported`].
pub const ENABLED_PROPOSALS: &[&str] = &[
    "mvp",
    "sign_extension",
    "saturating_float_to_int",
    "bulk_memory",
    "reference_types",
    "wide_arithmetic",
];

/// Operators listed under an enabled proposal that belong to a disabled one (wasmparser groups
/// them by encoding): multi-value `select` and stack switching.
const NOT_ENABLED: &[&str] = &["TypedSelectMulti", "ResumeThrowRef", "Switch"];

impl Class {
    /// Every class, in declaration order.
    pub const ALL: [Class; 27] = [
        Class::Free,
        Class::Charge,
        Class::Local,
        Class::Const,
        Class::Global,
        Class::IntSimple,
        Class::Select,
        Class::IntMul,
        Class::WideAdd,
        Class::WideMul,
        Class::IntDiv,
        Class::FloatCompare,
        Class::FloatSimple,
        Class::FloatSlow,
        Class::Load,
        Class::Store,
        Class::Branch,
        Class::CondBranch,
        Class::BrTable,
        Class::Call,
        Class::CallIndirect,
        Class::MemorySize,
        Class::MemoryGrow,
        Class::Bulk,
        Class::Table,
        Class::Ref,
        Class::Unsupported,
    ];

    /// The class of operator `name` (wasmparser's `Operator` variant name) of `proposal`.
    pub fn of(proposal: &str, name: &str) -> Class {
        if !ENABLED_PROPOSALS.contains(&proposal) || NOT_ENABLED.contains(&name) {
            return Class::Unsupported;
        }
        match name {
            "Unreachable" | "Block" | "Loop" | "Else" | "End" | "Return" | "Drop" => {
                return Class::Free;
            }
            "Nop" => return Class::Charge,
            "LocalGet" | "LocalSet" | "LocalTee" => return Class::Local,
            "GlobalGet" | "GlobalSet" => return Class::Global,
            "Br" => return Class::Branch,
            "BrIf" | "If" => return Class::CondBranch,
            "BrTable" => return Class::BrTable,
            "Call" => return Class::Call,
            "CallIndirect" => return Class::CallIndirect,
            "Select" | "TypedSelect" => return Class::Select,
            "MemorySize" => return Class::MemorySize,
            "MemoryGrow" => return Class::MemoryGrow,
            "MemoryCopy" | "MemoryFill" | "MemoryInit" | "DataDrop" | "TableCopy" | "TableInit"
            | "TableFill" | "ElemDrop" => return Class::Bulk,
            "TableGet" | "TableSet" | "TableSize" | "TableGrow" => return Class::Table,
            "RefNull" | "RefIsNull" | "RefFunc" => return Class::Ref,
            "I64Add128" | "I64Sub128" => return Class::WideAdd,
            "I64MulWideS" | "I64MulWideU" => return Class::WideMul,
            _ => {}
        }
        if name.ends_with("Const") {
            return Class::Const;
        }
        if name.contains("Load") {
            return Class::Load;
        }
        if name.contains("Store") {
            return Class::Store;
        }
        let (ty, op) = name.split_at(3.min(name.len()));
        match ty {
            "F32" | "F64" => match op {
                "Div" | "Sqrt" => Class::FloatSlow,
                "Eq" | "Ne" | "Lt" | "Gt" | "Le" | "Ge" => Class::FloatCompare,
                _ => Class::FloatSimple,
            },
            // Integer results of float operands (`i32.trunc_f64_s`, `i64.reinterpret_f64`):
            // float work.
            "I32" | "I64" if op.contains("F32") || op.contains("F64") => Class::FloatSimple,
            "I32" | "I64" => match op {
                "DivS" | "DivU" | "RemS" | "RemU" => Class::IntDiv,
                "Mul" => Class::IntMul,
                _ => Class::IntSimple,
            },
            _ => Class::Unsupported,
        }
    }
}

/// Builds the fuel table of `schedule` from the class of every operator wasmparser knows.
macro_rules! derive_operator_cost {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        fn fill_operator_cost(schedule: Schedule, cost: &mut OperatorCost) {
            $(
                cost.$op = schedule.class_price(Class::of(stringify!($proposal), stringify!($op)));
            )*
        }

        /// Every operator wasmparser knows: `(proposal, name)`.
        pub const OPERATORS: &[(&str, &str)] = &[$((stringify!($proposal), stringify!($op)),)*];

        /// The proposal and name of `op` (as in [`OPERATORS`]).
        pub fn operator_name(op: &wasmparser::Operator<'_>) -> (&'static str, &'static str) {
            match op {
                $( wasmparser::Operator::$op { .. } => (stringify!($proposal), stringify!($op)), )*
                _ => ("unknown", "unknown"),
            }
        }
    };
}
wasmparser::for_each_operator!(derive_operator_cost);

/// The class of `op`, from a table of every operator built once.
pub fn class_of(op: &wasmparser::Operator<'_>) -> Class {
    static CLASSES: std::sync::LazyLock<std::collections::HashMap<&'static str, Class>> =
        std::sync::LazyLock::new(|| {
            OPERATORS
                .iter()
                .map(|(proposal, name)| (*name, Class::of(proposal, name)))
                .collect()
        });
    let (_, name) = operator_name(op);
    CLASSES.get(name).copied().unwrap_or(Class::Unsupported)
}

/// Pages of linear memory a module's loads and stores may reach in the worst case, per tier,
/// and the [`Class::Charge`] `nop`s the instrumenter adds after each load and store of a module
/// whose memory can grow to `max_pages` (its declared maximum, or the protocol's limit).
///
/// A load's time depends on where its address lands, and a contract chooses the addresses: a
/// chain of dependent loads at pseudo-random addresses (`calibrate --workloads`,
/// `pointer_chase_*`) measured 3.4 ns per load through 64 KiB (L1/L2), 17 ns through 1 MiB
/// (L2 misses) and 180 ns through 16 MiB (L3 and TLB misses) on the reference machine: one
/// charge is 5 ns in schedule v2, so 3 and 36 charges. One
/// price for all would over-charge small contracts 50-fold or let large ones run 50× longer
/// than their gas; the tier is known at deploy (memory can never grow past its maximum), so
/// the charge is static, exact and free at run time. Contracts declare a small maximum to get
/// cheap loads (the SDK's build does).
///
/// `(max pages, charges after a load, charges after a store)`. Stores are charged less: no
/// instruction waits for a store, so misses overlap (scattered stores through 16 MiB measured
/// about 6 ns each with their address arithmetic, `store_scattered`).
pub const MEMORY_TIERS: [(u64, u32, u32); 3] = [(4, 0, 0), (16, 3, 1), (u64::MAX, 36, 1)];

/// The `nop` charges after each load and after each store of a module whose memory may reach
/// `max_pages`: `(load, store)`.
pub fn memory_access_charges(max_pages: u64) -> (u32, u32) {
    MEMORY_TIERS
        .iter()
        .find(|(pages, ..)| max_pages <= *pages)
        .map_or((0, 0), |(_, load, store)| (*load, *store))
}

/// The fuel table wasmtime compiles into every module of `schedule`.
pub fn operator_cost(schedule: Schedule) -> OperatorCost {
    let mut cost = OperatorCost::new();
    fill_operator_cost(schedule, &mut cost);
    cost.variable = schedule.variable_cost();
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Schedule v1 is frozen: its table is exactly the one protocol 1 shipped with (wasmtime's
    /// default table with locals and constants free).
    #[test]
    fn schedule_v1_is_the_shipped_table() {
        let mut shipped = OperatorCost::new();
        shipped.LocalGet = 0;
        shipped.LocalSet = 0;
        shipped.LocalTee = 0;
        shipped.I32Const = 0;
        shipped.I64Const = 0;
        shipped.F32Const = 0;
        shipped.F64Const = 0;
        let derived = operator_cost(Schedule::V1);
        assert_eq!(derived, shipped);
    }

    #[test]
    fn every_accepted_operator_has_a_class() {
        let mut unclassified = Vec::new();
        for (proposal, name) in OPERATORS {
            if ENABLED_PROPOSALS.contains(proposal)
                && !NOT_ENABLED.contains(name)
                && Class::of(proposal, name) == Class::Unsupported
            {
                unclassified.push(*name);
            }
        }
        assert!(unclassified.is_empty(), "{unclassified:?}");
    }

    #[test]
    fn classes_of_tricky_names() {
        assert_eq!(Class::of("mvp", "I64DivU"), Class::IntDiv);
        assert_eq!(Class::of("mvp", "I32RemS"), Class::IntDiv);
        assert_eq!(Class::of("mvp", "I64Mul"), Class::IntMul);
        assert_eq!(Class::of("mvp", "F64Sqrt"), Class::FloatSlow);
        assert_eq!(Class::of("mvp", "F32Lt"), Class::FloatCompare);
        assert_eq!(Class::of("mvp", "I32TruncF64S"), Class::FloatSimple);
        assert_eq!(Class::of("mvp", "I64ReinterpretF64"), Class::FloatSimple);
        assert_eq!(Class::of("mvp", "F64ConvertI64U"), Class::FloatSimple);
        assert_eq!(Class::of("mvp", "I64Load32U"), Class::Load);
        assert_eq!(Class::of("mvp", "F32Store"), Class::Store);
        assert_eq!(Class::of("mvp", "I64Eqz"), Class::IntSimple);
        assert_eq!(Class::of("sign_extension", "I64Extend8S"), Class::IntSimple);
        assert_eq!(Class::of("bulk_memory", "MemoryCopy"), Class::Bulk);
        assert_eq!(Class::of("simd", "V128Load"), Class::Unsupported);
        assert_eq!(Class::of("threads", "I32AtomicLoad"), Class::Unsupported);
        assert_eq!(Class::of("wide_arithmetic", "I64MulWideU"), Class::WideMul);
        assert_eq!(Class::of("mvp", "Nop"), Class::Charge);
    }

    #[test]
    fn operators_are_classified_from_the_table() {
        use wasmparser::{MemArg, Operator};
        let memarg = MemArg {
            align: 0,
            max_align: 0,
            offset: 0,
            memory: 0,
        };
        assert_eq!(class_of(&Operator::I64Load32S { memarg }), Class::Load);
        assert_eq!(class_of(&Operator::F64Store { memarg }), Class::Store);
        assert_eq!(class_of(&Operator::Nop), Class::Charge);
        assert_eq!(class_of(&Operator::I32DivS), Class::IntDiv);
        assert_eq!(class_of(&Operator::V128Load { memarg }), Class::Unsupported);
    }

    #[test]
    fn memory_tiers() {
        assert_eq!(memory_access_charges(0), (0, 0));
        assert_eq!(memory_access_charges(4), (0, 0));
        assert_eq!(memory_access_charges(5), (3, 1));
        assert_eq!(memory_access_charges(16), (3, 1));
        assert_eq!(memory_access_charges(17), (36, 1));
        assert_eq!(memory_access_charges(65_536), (36, 1));
    }
}
