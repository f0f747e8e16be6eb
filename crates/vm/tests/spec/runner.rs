//! Runs the directives of one `.wast` file against one store: modules are prepared (validated
//! and instrumented as deploy does), compiled with the VM's engine and instantiated with a linker
//! holding the `spectest` module, the VM's metered `memory.grow` and the registered instances.

use std::collections::{BTreeMap, HashMap};

use shortcrust_vm::instrument::RESERVED_EXPORT_PREFIX;
use shortcrust_vm::{DeployError, conformance};
use wasmtime::{
    Caller, Engine, Extern, Global, GlobalType, Instance, Linker, Memory, MemoryType, Module,
    Mutability, Ref, RefType, Store, Table, TableType, Trap, Val, ValType,
};
use wast::core::WastRetCore;
use wast::parser::{self, ParseBuffer};
use wast::token::Span;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

use crate::values;

/// Fuel given before every top-level call: far more than any spec test uses (none loops
/// forever), so running out of fuel is always a failure.
const FUEL: u64 = 1 << 40;

/// Why a directive did not run.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    /// The module needs a WebAssembly feature the VM disables.
    Feature(String),
    /// The module exceeds a Shortcrust module limit.
    Limit(String),
}

/// A directive that did not do what the spec says.
#[derive(Debug)]
pub struct Failure {
    pub line: u32,
    pub directive: &'static str,
    pub message: String,
}

/// The outcome of one file.
#[derive(Debug, Default)]
pub struct FileReport {
    pub passed: u64,
    pub allowed: u64,
    pub skipped_feature: u64,
    pub skipped_limit: u64,
    pub skips: BTreeMap<Skip, u64>,
    pub failures: Vec<Failure>,
    pub notes: Vec<String>,
    /// A file of a disabled proposal: counted, not run.
    pub disabled: bool,
    /// A file of a proposal merged into 2.0: not run.
    pub merged: bool,
    pub stats: Stats,
}

/// What the VM's rewrite did while the directives ran.
#[derive(Debug, Default)]
pub struct Stats {
    /// Modules instantiated.
    pub instances: u64,
    /// Start functions run through `START_EXPORT`.
    pub starts: u64,
    /// `memory.grow` executions that reached the metered import.
    pub grows: u64,
    /// `assert_exhaustion` met by the deterministic stack budget.
    pub exhaustion_budget: u64,
    /// `assert_exhaustion` met by wasmtime's native stack limit.
    pub exhaustion_native: u64,
    /// `assert_invalid`/`assert_malformed` refusals by the text parser, `prepare`, wasmtime.
    pub refused: [u64; 3],
}

impl FileReport {
    /// Adds `other`'s counts (not its failures or notes) to this report.
    pub fn add(&mut self, other: &FileReport) {
        self.passed += other.passed;
        self.allowed += other.allowed;
        self.skipped_feature += other.skipped_feature;
        self.skipped_limit += other.skipped_limit;
        self.notes.extend(other.notes.iter().cloned());
        let (s, o) = (&mut self.stats, &other.stats);
        s.instances += o.instances;
        s.starts += o.starts;
        s.grows += o.grows;
        s.exhaustion_budget += o.exhaustion_budget;
        s.exhaustion_native += o.exhaustion_native;
        for (s, o) in s.refused.iter_mut().zip(o.refused) {
            *s += o;
        }
    }

    fn skip(&mut self, skip: Skip) {
        match &skip {
            Skip::Feature(_) => self.skipped_feature += 1,
            Skip::Limit(_) => self.skipped_limit += 1,
        }
        *self.skips.entry(skip).or_default() += 1;
    }
}

fn parse(contents: &str) -> Result<ParseBuffer<'_>, wast::Error> {
    let mut lexer = wast::lexer::Lexer::new(contents);
    // The suite tests unusual (bidirectional, zero-width) characters in names and strings.
    lexer.allow_confusing_unicode(true);
    ParseBuffer::new_with_lexer(lexer)
}

/// Counts the directives of a file of a disabled proposal as skipped by `feature`.
pub fn count_disabled(contents: &str, feature: &str) -> FileReport {
    let mut report = FileReport {
        disabled: true,
        ..FileReport::default()
    };
    let skip = Skip::Feature(format!("{feature} (whole proposal directory)"));
    let count = parse(contents)
        .and_then(|buf| parser::parse::<Wast<'_>>(&buf).map(|w| w.directives.len()))
        // A file the parser cannot read (newer syntax) still counts as one skipped item.
        .unwrap_or(1);
    for _ in 0..count {
        report.skip(skip.clone());
    }
    report
}

/// Runs every directive of the `.wast` text `contents`.
pub fn run_file(engine: &Engine, contents: &str) -> FileReport {
    let mut runner = Runner::new(engine, contents);
    let buf = match parse(contents) {
        Ok(buf) => buf,
        Err(e) => return runner.fatal(format!("cannot lex: {e}")),
    };
    let wast = match parser::parse::<Wast<'_>>(&buf) {
        Ok(wast) => wast,
        Err(e) => return runner.fatal(format!("cannot parse: {e}")),
    };
    for directive in wast.directives {
        runner.directive(directive);
    }
    runner.report.stats.grows = *runner.store.data();
    runner.report
}

/// What a directive came to.
enum Outcome {
    Pass,
    Fail(String),
    Skip(Skip),
}

/// A module the spec suite instantiated, or why it is not there.
#[derive(Clone)]
enum Slot {
    Ready(Instance),
    Unavailable(Unavailable),
}

#[derive(Clone)]
enum Unavailable {
    /// Skipped: everything that uses it is skipped for the same reason.
    Skipped(Skip),
    /// Failed: everything that uses it fails.
    Broken(String),
}

impl Unavailable {
    fn outcome(&self) -> Outcome {
        match self {
            Unavailable::Skipped(s) => Outcome::Skip(s.clone()),
            Unavailable::Broken(why) => Outcome::Fail(format!("module unavailable: {why}")),
        }
    }
}

/// Why a module could not be compiled.
enum Refusal {
    Skip(Skip),
    /// Invalid WebAssembly whatever the features.
    Invalid(String),
    /// Refused although the spec (with the VM's features) accepts it: a failure.
    Broken(String),
}

/// How running something ended, short of success.
enum ExecError {
    Skip(Skip),
    Fail(String),
    Trap(TrapKind, String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TrapKind {
    Wasm(Trap),
    /// The deterministic stack-height budget of the instrumentation.
    StackBudget,
    /// wasmtime's native stack limit.
    NativeStackOverflow,
}

impl From<Unavailable> for ExecError {
    fn from(u: Unavailable) -> Self {
        match u {
            Unavailable::Skipped(s) => ExecError::Skip(s),
            Unavailable::Broken(why) => ExecError::Fail(format!("module unavailable: {why}")),
        }
    }
}

struct Runner<'a> {
    engine: Engine,
    text: &'a str,
    /// The data counts the metered `memory.grow` calls.
    store: Store<u64>,
    linker: Linker<u64>,
    current: Option<Slot>,
    named: HashMap<String, Slot>,
    definitions: HashMap<String, Result<Module, Unavailable>>,
    /// Names registered from modules that are unavailable.
    registered_unavailable: HashMap<String, Unavailable>,
    /// The stack-height global of every instance of the store.
    heights: Vec<Global>,
    report: FileReport,
}

impl<'a> Runner<'a> {
    fn new(engine: &Engine, text: &'a str) -> Self {
        let mut store = Store::new(engine, 0u64);
        let mut linker = Linker::new(engine);
        // `register` may reuse a name (the spec interpreter then replaces it).
        linker.allow_shadowing(true);
        define_spectest(&mut linker, &mut store);
        linker
            .func_wrap(
                conformance::METER_MODULE,
                conformance::MEMORY_GROW_IMPORT,
                metered_grow,
            )
            .expect("define the metered memory.grow");
        Runner {
            engine: engine.clone(),
            text,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
            registered_unavailable: HashMap::new(),
            heights: Vec::new(),
            report: FileReport::default(),
        }
    }

    fn fatal(mut self, message: String) -> FileReport {
        // The whole file failed to parse: one failure stands for all its directives.
        self.report.failures.push(Failure {
            line: 0,
            directive: "file",
            message,
        });
        self.report
    }

    fn line(&self, span: Span) -> u32 {
        span.linecol_in(self.text).0 as u32 + 1
    }

    fn record(&mut self, span: Span, directive: &'static str, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.report.passed += 1,
            Outcome::Skip(skip) => self.report.skip(skip),
            Outcome::Fail(message) => {
                let line = self.line(span);
                self.report.failures.push(Failure {
                    line,
                    directive,
                    message,
                });
            }
        }
    }

    fn directive(&mut self, directive: WastDirective<'_>) {
        let span = directive.span();
        let (name, outcome) = match directive {
            WastDirective::Module(module) => ("module", self.module(module)),
            WastDirective::ModuleDefinition(module) => {
                ("module definition", self.module_definition(module))
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => (
                "module instance",
                self.module_instance(instance.map(|i| i.name()), module.map(|m| m.name())),
            ),
            WastDirective::AssertMalformed { module, .. } => {
                ("assert_malformed", self.assert_refused(module))
            }
            WastDirective::AssertInvalid { module, .. } => {
                ("assert_invalid", self.assert_refused(module))
            }
            WastDirective::Register { name, module, .. } => {
                ("register", self.register(name, module.map(|m| m.name())))
            }
            WastDirective::Invoke(invoke) => (
                "invoke",
                match self.invoke(&invoke) {
                    Ok(_) => Outcome::Pass,
                    Err(e) => unexpected(e),
                },
            ),
            WastDirective::AssertReturn { exec, results, .. } => {
                ("assert_return", self.assert_return(exec, &results))
            }
            WastDirective::AssertTrap { exec, message, .. } => {
                ("assert_trap", self.assert_trap(exec, message))
            }
            WastDirective::AssertExhaustion { call, .. } => {
                ("assert_exhaustion", self.assert_exhaustion(&call))
            }
            WastDirective::AssertUnlinkable { module, .. } => {
                ("assert_unlinkable", self.assert_unlinkable(module))
            }
            WastDirective::AssertException { .. } => (
                "assert_exception",
                Outcome::Skip(Skip::Feature("exceptions".into())),
            ),
            WastDirective::AssertSuspension { .. } => (
                "assert_suspension",
                Outcome::Skip(Skip::Feature("stack switching".into())),
            ),
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                ("thread", Outcome::Skip(Skip::Feature("threads".into())))
            }
            // Custom-section and annotation problems are not errors for an engine: the module
            // must still be accepted.
            WastDirective::AssertInvalidCustom { module, .. }
            | WastDirective::AssertMalformedCustom { module, .. } => {
                ("assert_*_custom", self.assert_accepted(module))
            }
        };
        self.record(span, name, outcome);
    }

    // --- modules ------------------------------------------------------------------------------

    /// `prepare`, then compile with the VM's engine. See [`Refusal`].
    fn compile(&self, code: &[u8]) -> Result<Module, Refusal> {
        let prepared = match conformance::prepare(code) {
            Ok(prepared) => prepared,
            Err(DeployError::LimitExceeded { what, .. }) => {
                return Err(Refusal::Skip(Skip::Limit(what.to_string())));
            }
            Err(DeployError::FunctionLimitExceeded { what, .. }) => {
                return Err(Refusal::Skip(Skip::Limit(format!("function {what}"))));
            }
            Err(DeployError::Invalid(message)) => {
                return Err(classify_refusal(code, &message, "prepare"));
            }
            Err(other) => {
                return Err(classify_refusal(code, &other.to_string(), "prepare"));
            }
        };
        match Module::new(&self.engine, &prepared) {
            Ok(module) => Ok(module),
            Err(e) => {
                let message = format!("{e:#}");
                // The rewrite must never turn a module wasmtime accepts into one it refuses.
                if Module::new(&self.engine, code).is_ok() {
                    return Err(Refusal::Broken(format!(
                        "wasmtime refuses the instrumented module but accepts the original: \
                         {message}"
                    )));
                }
                Err(classify_refusal(code, &message, "wasmtime"))
            }
        }
    }

    /// Compiles and instantiates `code`, then runs its start function.
    fn instantiate(&mut self, code: &[u8]) -> Result<Instance, ExecError> {
        let module = match self.compile(code) {
            Ok(module) => module,
            Err(Refusal::Skip(skip)) => return Err(ExecError::Skip(skip)),
            Err(Refusal::Invalid(message) | Refusal::Broken(message)) => {
                return Err(ExecError::Fail(format!("module refused: {message}")));
            }
        };
        self.instantiate_module(&module)
    }

    fn instantiate_module(&mut self, module: &Module) -> Result<Instance, ExecError> {
        for import in module.imports() {
            if let Some(u) = self.registered_unavailable.get(import.module()) {
                return Err(u.clone().into());
            }
        }
        self.reset();
        let instance = match self.linker.instantiate(&mut self.store, module) {
            Ok(instance) => instance,
            Err(e) => return Err(self.classify(e, "instantiation")),
        };
        self.report.stats.instances += 1;
        if let Some(height) = instance.get_global(&mut self.store, conformance::STACK_HEIGHT_EXPORT)
        {
            self.heights.push(height);
        }
        if let Some(start) = instance.get_func(&mut self.store, conformance::START_EXPORT) {
            self.report.stats.starts += 1;
            self.reset();
            if let Err(e) = start.call(&mut self.store, &[], &mut []) {
                return Err(self.classify(e, "start function"));
            }
        }
        Ok(instance)
    }

    fn module(&mut self, mut module: QuoteWat<'_>) -> Outcome {
        let id = module.name().map(|id| id.name().to_string());
        let (slot, outcome) = match module.encode() {
            Err(e) => {
                let why = format!("text does not parse: {e}");
                (
                    Slot::Unavailable(Unavailable::Broken(why.clone())),
                    Outcome::Fail(why),
                )
            }
            Ok(code) => match self.instantiate(&code) {
                Ok(instance) => (Slot::Ready(instance), Outcome::Pass),
                Err(ExecError::Skip(skip)) => (
                    Slot::Unavailable(Unavailable::Skipped(skip.clone())),
                    Outcome::Skip(skip),
                ),
                Err(ExecError::Fail(why)) => (
                    Slot::Unavailable(Unavailable::Broken(why.clone())),
                    Outcome::Fail(why),
                ),
                Err(ExecError::Trap(kind, why)) => {
                    let why = format!("instantiation trapped ({kind:?}): {why}");
                    (
                        Slot::Unavailable(Unavailable::Broken(why.clone())),
                        Outcome::Fail(why),
                    )
                }
            },
        };
        if let Some(id) = id {
            self.named.insert(id, slot.clone());
        }
        self.current = Some(slot);
        outcome
    }

    fn module_definition(&mut self, mut module: QuoteWat<'_>) -> Outcome {
        let id = module.name().map(|id| id.name().to_string());
        let compiled = match module.encode() {
            Err(e) => Err(Unavailable::Broken(format!("text does not parse: {e}"))),
            Ok(code) => self.compile(&code).map_err(|r| match r {
                Refusal::Skip(skip) => Unavailable::Skipped(skip),
                Refusal::Invalid(m) | Refusal::Broken(m) => {
                    Unavailable::Broken(format!("module refused: {m}"))
                }
            }),
        };
        let outcome = match &compiled {
            Ok(_) => Outcome::Pass,
            Err(u) => u.outcome(),
        };
        if let Some(id) = id {
            self.definitions.insert(id, compiled);
        }
        outcome
    }

    fn module_instance(&mut self, instance: Option<&str>, module: Option<&str>) -> Outcome {
        let definition = module.and_then(|m| self.definitions.get(m)).cloned();
        let slot = match definition {
            None => Slot::Unavailable(Unavailable::Broken(format!(
                "no module definition {module:?}"
            ))),
            Some(Err(u)) => Slot::Unavailable(u),
            Some(Ok(module)) => match self.instantiate_module(&module) {
                Ok(i) => Slot::Ready(i),
                Err(ExecError::Skip(s)) => Slot::Unavailable(Unavailable::Skipped(s)),
                Err(ExecError::Fail(m) | ExecError::Trap(_, m)) => {
                    Slot::Unavailable(Unavailable::Broken(m))
                }
            },
        };
        let outcome = match &slot {
            Slot::Ready(_) => Outcome::Pass,
            Slot::Unavailable(u) => u.outcome(),
        };
        if let Some(name) = instance {
            self.named.insert(name.to_string(), slot.clone());
        }
        self.current = Some(slot);
        outcome
    }

    fn lookup(&self, id: Option<&str>) -> Result<Instance, ExecError> {
        let slot = match id {
            Some(id) => self.named.get(id),
            None => self.current.as_ref(),
        };
        match slot {
            Some(Slot::Ready(instance)) => Ok(*instance),
            Some(Slot::Unavailable(u)) => Err(u.clone().into()),
            None => Err(ExecError::Fail(format!("no module {id:?}"))),
        }
    }

    fn register(&mut self, name: &str, module: Option<&str>) -> Outcome {
        let instance = match self.lookup(module) {
            Ok(instance) => instance,
            Err(e) => {
                let (outcome, unavailable) = match e {
                    ExecError::Skip(s) => (Outcome::Skip(s.clone()), Unavailable::Skipped(s)),
                    ExecError::Fail(m) | ExecError::Trap(_, m) => {
                        (Outcome::Fail(m.clone()), Unavailable::Broken(m))
                    }
                };
                self.registered_unavailable
                    .insert(name.to_string(), unavailable);
                return outcome;
            }
        };
        self.registered_unavailable.remove(name);
        let exports: Vec<(String, Extern)> = instance
            .exports(&mut self.store)
            .map(|e| (e.name().to_string(), e.into_extern()))
            .collect();
        for (export, item) in exports {
            // The VM's own exports are not part of the module's interface.
            if export.starts_with(RESERVED_EXPORT_PREFIX) {
                continue;
            }
            if let Err(e) = self.linker.define(&self.store, name, &export, item) {
                return Outcome::Fail(format!("cannot register {name}.{export}: {e:#}"));
            }
        }
        Outcome::Pass
    }

    // --- execution ----------------------------------------------------------------------------

    /// Every frame starts from an empty stack: a trap leaves the heights of the frames it
    /// unwound in the globals (as it would in a fresh VM instance, which never sees them again).
    fn reset(&mut self) {
        for height in &self.heights {
            height
                .set(&mut self.store, Val::I32(0))
                .expect("the stack-height global is a mutable i32");
        }
        self.store
            .set_fuel(FUEL)
            .expect("the VM's engine consumes fuel");
    }

    fn over_budget(&mut self) -> bool {
        self.heights.iter().any(|g| match g.get(&mut self.store) {
            Val::I32(h) => h as u32 > conformance::STACK_BUDGET_SLOTS,
            _ => false,
        })
    }

    fn classify(&mut self, e: wasmtime::Error, during: &str) -> ExecError {
        match e.downcast_ref::<Trap>().copied() {
            Some(Trap::UnreachableCodeReached) if self.over_budget() => {
                ExecError::Trap(TrapKind::StackBudget, format!("{during}: {e:#}"))
            }
            Some(Trap::StackOverflow) => {
                ExecError::Trap(TrapKind::NativeStackOverflow, format!("{during}: {e:#}"))
            }
            Some(trap) => ExecError::Trap(TrapKind::Wasm(trap), format!("{during}: {e:#}")),
            None => ExecError::Fail(format!("{during} failed: {e:#}")),
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Vec<Val>, ExecError> {
        let instance = self.lookup(invoke.module.map(|m| m.name()))?;
        let Some(func) = instance.get_func(&mut self.store, invoke.name) else {
            return Err(ExecError::Fail(format!(
                "no exported function {:?}",
                invoke.name
            )));
        };
        let mut args = Vec::with_capacity(invoke.args.len());
        for arg in &invoke.args {
            match values::arg(arg) {
                Ok(v) => args.push(v),
                Err(values::Unsupported(f)) => {
                    return Err(ExecError::Skip(Skip::Feature(f.into())));
                }
            }
        }
        let arity = func.ty(&self.store).results().len();
        let mut results = vec![Val::I32(0); arity];
        self.reset();
        match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Ok(results),
            Err(e) => Err(self.classify(e, &format!("invoke {:?}", invoke.name))),
        }
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> Result<Vec<Val>, ExecError> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Wat(mut wat) => {
                let code = wat
                    .encode()
                    .map_err(|e| ExecError::Fail(format!("text does not parse: {e}")))?;
                self.instantiate(&code).map(|_| Vec::new())
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.lookup(module.map(|m| m.name()))?;
                match instance.get_export(&mut self.store, global) {
                    Some(Extern::Global(g)) => Ok(vec![g.get(&mut self.store)]),
                    _ => Err(ExecError::Fail(format!("no exported global {global:?}"))),
                }
            }
        }
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Outcome {
        let actual = match self.execute(exec) {
            Ok(actual) => actual,
            Err(e) => return unexpected(e),
        };
        if actual.len() != expected.len() {
            return Outcome::Fail(format!(
                "{} results, expected {}",
                actual.len(),
                expected.len()
            ));
        }
        for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
            match values::matches(e, a) {
                Ok(true) => {}
                Ok(false) => {
                    return Outcome::Fail(format!(
                        "result {i} is {}, expected {}",
                        values::show(a),
                        show_expected(e)
                    ));
                }
                Err(values::Unsupported(f)) => return Outcome::Skip(Skip::Feature(f.into())),
            }
        }
        Outcome::Pass
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Outcome {
        match self.execute(exec) {
            Ok(results) => Outcome::Fail(format!(
                "returned [{}], expected trap {message:?}",
                results
                    .iter()
                    .map(values::show)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Err(ExecError::Trap(TrapKind::Wasm(trap), _)) if trap_matches(trap, message) => {
                Outcome::Pass
            }
            Err(ExecError::Trap(kind, why)) => Outcome::Fail(format!(
                "trapped with {kind:?} ({why}), expected {message:?}"
            )),
            Err(ExecError::Skip(s)) => Outcome::Skip(s),
            Err(ExecError::Fail(m)) => Outcome::Fail(m),
        }
    }

    fn assert_exhaustion(&mut self, call: &WastInvoke<'_>) -> Outcome {
        match self.invoke(call) {
            Ok(_) => Outcome::Fail("returned, expected stack exhaustion".into()),
            Err(ExecError::Trap(TrapKind::StackBudget, _)) => {
                self.report.stats.exhaustion_budget += 1;
                Outcome::Pass
            }
            Err(ExecError::Trap(TrapKind::NativeStackOverflow, _)) => {
                self.report.stats.exhaustion_native += 1;
                let line = self.line(call.span);
                self.report.notes.push(format!(
                    "line {line}: native stack overflow before the deterministic budget"
                ));
                Outcome::Pass
            }
            Err(e) => unexpected(e),
        }
    }

    fn assert_unlinkable(&mut self, mut module: Wat<'_>) -> Outcome {
        let code = match module.encode() {
            Ok(code) => code,
            Err(e) => return Outcome::Fail(format!("text does not parse: {e}")),
        };
        let module = match self.compile(&code) {
            Ok(module) => module,
            Err(Refusal::Skip(s)) => return Outcome::Skip(s),
            Err(Refusal::Invalid(m) | Refusal::Broken(m)) => {
                return Outcome::Fail(format!("refused before linking: {m}"));
            }
        };
        match self.instantiate_module(&module) {
            Ok(_) => Outcome::Fail("linked and instantiated, expected a link error".into()),
            Err(ExecError::Fail(_)) => Outcome::Pass,
            Err(ExecError::Skip(s)) => Outcome::Skip(s),
            Err(ExecError::Trap(kind, why)) => Outcome::Fail(format!(
                "trapped with {kind:?} ({why}), expected a link error"
            )),
        }
    }

    /// `assert_invalid` and `assert_malformed`: refused by anyone passes.
    fn assert_refused(&mut self, mut module: QuoteWat<'_>) -> Outcome {
        let code = match module.encode() {
            Ok(code) => code,
            Err(_) => {
                self.report.stats.refused[0] += 1;
                return Outcome::Pass;
            }
        };
        let prepared = match conformance::prepare(&code) {
            Ok(prepared) => prepared,
            Err(_) => {
                self.report.stats.refused[1] += 1;
                return Outcome::Pass;
            }
        };
        match Module::new(&self.engine, &prepared) {
            Ok(_) => Outcome::Fail("module accepted".into()),
            Err(_) => {
                self.report.stats.refused[2] += 1;
                Outcome::Pass
            }
        }
    }

    /// A module whose only problem is in a custom section or annotation: it must compile.
    fn assert_accepted(&mut self, mut module: QuoteWat<'_>) -> Outcome {
        match module.encode() {
            // The text parser reports misplaced annotations as malformed text.
            Err(_) => Outcome::Pass,
            Ok(code) => match self.compile(&code) {
                Ok(_) => Outcome::Pass,
                Err(Refusal::Skip(s)) => Outcome::Skip(s),
                Err(Refusal::Invalid(m) | Refusal::Broken(m)) => {
                    Outcome::Fail(format!("refused: {m}"))
                }
            },
        }
    }
}

fn unexpected(e: ExecError) -> Outcome {
    match e {
        ExecError::Skip(s) => Outcome::Skip(s),
        ExecError::Fail(m) => Outcome::Fail(m),
        ExecError::Trap(kind, why) => Outcome::Fail(format!("unexpected trap {kind:?}: {why}")),
    }
}

fn show_expected(e: &WastRet<'_>) -> String {
    match e {
        WastRet::Core(WastRetCore::F32(p)) => format!("f32 {p:?}"),
        WastRet::Core(WastRetCore::F64(p)) => format!("f64 {p:?}"),
        other => format!("{other:?}"),
    }
}

/// Whether wasmtime's trap code is the trap the spec's message names.
fn trap_matches(trap: Trap, message: &str) -> bool {
    let accepted: &[&str] = match trap {
        Trap::UnreachableCodeReached => &["unreachable"],
        Trap::IntegerDivisionByZero => &["integer divide by zero"],
        Trap::IntegerOverflow => &["integer overflow"],
        Trap::BadConversionToInteger => &["invalid conversion to integer"],
        Trap::MemoryOutOfBounds => &["out of bounds memory access"],
        Trap::TableOutOfBounds => &["out of bounds table access", "undefined element"],
        Trap::IndirectCallToNull => &["uninitialized element", "undefined element"],
        Trap::BadSignature => &["indirect call type mismatch"],
        Trap::NullReference => &["null reference", "null function reference"],
        Trap::StackOverflow => &["call stack exhausted"],
        _ => &[],
    };
    // Older files of the suite abbreviate (`"out of bounds"`, `"uninitialized"`).
    accepted
        .iter()
        .any(|a| message.starts_with(a) || a.starts_with(message))
}

/// Classifies a refusal of `code` by `by` (`prepare` or wasmtime): invalid whatever the
/// features, valid only with features the VM disables, or valid for the VM (a failure).
fn classify_refusal(code: &[u8], message: &str, by: &str) -> Refusal {
    use wasmparser::{Validator, WasmFeatures};
    let valid = |features: WasmFeatures| {
        Validator::new_with_features(features)
            .validate_all(code)
            .is_ok()
    };
    let short = shorten(message);
    if !valid(WasmFeatures::all()) {
        return Refusal::Invalid(format!("{by}: {message}"));
    }
    let abi = shortcrust_vm::validate::features();
    if !valid(abi) {
        return Refusal::Skip(Skip::Feature(short));
    }
    // ABI v1 accepts reference types (`GC_TYPES` included, for `externref`), but wasmtime is
    // built without its `gc` feature: every `externref` module is refused when compiled at deploy.
    if !valid(abi - WasmFeatures::GC_TYPES) {
        return Refusal::Skip(Skip::Feature(
            "externref (wasmtime built without `gc`)".into(),
        ));
    }
    Refusal::Broken(format!(
        "{by} refused a module valid under ABI v1's features: {message}"
    ))
}

/// A refusal message without its byte offset and generic prefixes, to group skip reasons.
fn shorten(message: &str) -> String {
    let mut m = message;
    for prefix in ["invalid module: ", "failed to parse WebAssembly module: "] {
        m = m.strip_prefix(prefix).unwrap_or(m);
    }
    let m = m.split(" (at offset").next().unwrap_or(m);
    m.to_string()
}

/// The VM's metered `memory.grow`, without the gas: grows the calling instance's memory 0
/// (exported by the instrumentation) and returns the old size in pages, or -1.
fn metered_grow(mut caller: Caller<'_, u64>, pages: i32) -> wasmtime::Result<i32> {
    *caller.data_mut() += 1;
    let Some(Extern::Memory(memory)) = caller.get_export(conformance::MEMORY_EXPORT) else {
        wasmtime::bail!(
            "the instrumented module does not export {}",
            conformance::MEMORY_EXPORT
        );
    };
    Ok(match memory.grow(&mut caller, u64::from(pages as u32)) {
        Ok(old) => old as i32,
        Err(_) => -1,
    })
}

/// The `spectest` module of the reference interpreter.
fn define_spectest(linker: &mut Linker<u64>, store: &mut Store<u64>) {
    let m = "spectest";
    linker.func_wrap(m, "print", || {}).expect("print");
    linker
        .func_wrap(m, "print_i32", |_: i32| {})
        .expect("print_i32");
    linker
        .func_wrap(m, "print_i64", |_: i64| {})
        .expect("print_i64");
    linker
        .func_wrap(m, "print_f32", |_: f32| {})
        .expect("print_f32");
    linker
        .func_wrap(m, "print_f64", |_: f64| {})
        .expect("print_f64");
    linker
        .func_wrap(m, "print_i32_f32", |_: i32, _: f32| {})
        .expect("print_i32_f32");
    linker
        .func_wrap(m, "print_f64_f64", |_: f64, _: f64| {})
        .expect("print_f64_f64");
    let globals = [
        ("global_i32", ValType::I32, Val::I32(666)),
        ("global_i64", ValType::I64, Val::I64(666)),
        ("global_f32", ValType::F32, Val::F32(666.6f32.to_bits())),
        ("global_f64", ValType::F64, Val::F64(666.6f64.to_bits())),
    ];
    for (name, ty, value) in globals {
        let global = Global::new(&mut *store, GlobalType::new(ty, Mutability::Const), value)
            .expect("spectest global");
        linker.define(&*store, m, name, global).expect(name);
    }
    let table = Table::new(
        &mut *store,
        TableType::new(RefType::FUNCREF, 10, Some(20)),
        Ref::Func(None),
    )
    .expect("spectest table");
    linker.define(&*store, m, "table", table).expect("table");
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2))).expect("spectest memory");
    linker.define(&*store, m, "memory", memory).expect("memory");
}
