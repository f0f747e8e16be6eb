//! Call-path benchmarks (DESIGN §9): an empty call and a counter increment end to end through a
//! session, the fixed cost of one host-function call, metered against unmetered compute, and
//! deploy. Results go to BENCHMARKS.md; compare ratios from one run.
//!
//! `cargo bench -p shortcrust-vm --bench calls`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use shortcrust_vm::{DeployOptions, ModuleLimits, SessionConfig, Vm, engine};
use wasmtime::{Engine, Linker, Module, Store};

const GAS: u64 = 1_000_000_000;

fn session() -> shortcrust_vm::Session {
    Vm::ephemeral()
        .unwrap()
        .session(SessionConfig::default())
        .unwrap()
}

fn calls(c: &mut Criterion) {
    let mut s = session();
    let empty = s
        .deploy(shortcrust_test_contracts::EMPTY, DeployOptions::default())
        .unwrap()
        .id;
    let counter = s
        .deploy(shortcrust_test_contracts::COUNTER, DeployOptions::default())
        .unwrap()
        .id;
    let mut g = c.benchmark_group("call");
    g.bench_function("empty", |b| {
        b.iter(|| black_box(s.call(empty, "noop", &[], GAS).expect("no VM fault")))
    });
    g.bench_function("counter_increment", |b| {
        b.iter(|| black_box(s.call(counter, "increment", &[], GAS).expect("no VM fault")))
    });
    g.finish();
}

/// Initial memory (issue: "initial memory is free"): a frame of a module declaring `pages` of
/// initial memory, doing nothing (`noop`) or writing one byte to every 4 KiB OS page of it
/// (`touch`, the worst case: every page faults in, and is reset when the frame ends). The gas
/// of each call is printed beside, so ns per gas can be read off: see BENCHMARKS.md.
fn initial_memory(c: &mut Criterion) {
    let mut s = session();
    let mut g = c.benchmark_group("initial_memory");
    for pages in [2u32, 16, 256] {
        let wat = format!(
            r#"(module
              (memory (export "memory") {pages})
              (func (export "noop"))
              (func (export "touch") (local $a i32)
                (loop $l
                  (i32.store8 (local.get $a) (i32.const 1))
                  (local.set $a (i32.add (local.get $a) (i32.const 4096)))
                  (br_if $l (i32.lt_u (local.get $a) (i32.const {bytes}))))))"#,
            bytes = pages * 65536
        );
        let id = s
            .deploy(&wat::parse_str(wat).unwrap(), DeployOptions::default())
            .unwrap()
            .id;
        for entry in ["noop", "touch"] {
            let gas = s.call(id, entry, &[], GAS).expect("no VM fault").gas_spent;
            eprintln!("initial_memory/{entry}/{pages}: {gas} gas");
            g.bench_function(format!("{entry}/{pages}"), |b| {
                b.iter(|| black_box(s.call(id, entry, &[], GAS).expect("no VM fault")))
            });
        }
    }
    g.finish();
}

/// 1,000 calls of `gas_left` against the same loop without them: the difference per call is the
/// fixed overhead of a host-function call (transition, gas charge, result).
fn host_call_overhead(c: &mut Criterion) {
    let wat = |body: &str| {
        format!(
            r#"(module
              (import "shortcrust_v1" "gas_left" (func $gas (result i64)))
              (memory (export "memory") 1)
              (func (export "run") (local $i i32)
                (loop $l
                  {body}
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))))"#
        )
    };
    let mut s = session();
    let with = s
        .deploy(
            &wat::parse_str(wat("(drop (call $gas))")).unwrap(),
            DeployOptions::default(),
        )
        .unwrap()
        .id;
    let without = s
        .deploy(
            &wat::parse_str(wat("(drop (i64.const 0))")).unwrap(),
            DeployOptions::default(),
        )
        .unwrap()
        .id;
    let mut g = c.benchmark_group("host_call_x1000");
    g.bench_function("with_gas_left", |b| {
        b.iter(|| black_box(s.call(with, "run", &[], GAS).expect("no VM fault")))
    });
    g.bench_function("without", |b| {
        b.iter(|| black_box(s.call(without, "run", &[], GAS).expect("no VM fault")))
    });
    g.finish();
}

/// The `compute` contract's `field_iterate` through the VM (fuel + stack instrumentation)
/// against the same module in a plain wasmtime engine with the same settings but no fuel and no
/// instrumentation.
fn metering(c: &mut Criterion) {
    const ROUNDS: u64 = 200_000;
    let input = borsh::to_vec(&(12345u64, ROUNDS)).unwrap();
    let mut s = session();
    let compute = s
        .deploy(shortcrust_test_contracts::COMPUTE, DeployOptions::default())
        .unwrap()
        .id;
    let metered = s
        .call(compute, "field_iterate", &input, GAS)
        .expect("no VM fault")
        .result
        .unwrap();

    let mut config = engine::engine_config(
        &ModuleLimits::default(),
        &Default::default(),
        shortcrust_vm::gas::Schedule::V2,
    );
    config.consume_fuel(false);
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(&engine, shortcrust_test_contracts::COMPUTE).unwrap();
    struct Io {
        input: Vec<u8>,
        output: Vec<u8>,
    }
    let mut linker: Linker<Io> = Linker::new(&engine);
    let m = shortcrust_abi::IMPORT_MODULE;
    linker
        .func_wrap(m, "input_len", |c: wasmtime::Caller<'_, Io>| {
            c.data().input.len() as i32
        })
        .unwrap();
    linker
        .func_wrap(
            m,
            "input_read",
            |mut c: wasmtime::Caller<'_, Io>, ptr: i32| {
                let mem = c.get_export("memory").unwrap().into_memory().unwrap();
                let input = c.data().input.clone();
                mem.write(&mut c, ptr as usize, &input).unwrap();
            },
        )
        .unwrap();
    linker
        .func_wrap(
            m,
            "output_write",
            |mut c: wasmtime::Caller<'_, Io>, ptr: i32, len: i32| {
                let mem = c.get_export("memory").unwrap().into_memory().unwrap();
                let mut out = vec![0; len as usize];
                mem.read(&c, ptr as usize, &mut out).unwrap();
                c.data_mut().output = out;
            },
        )
        .unwrap();
    linker.define_unknown_imports_as_traps(&module).unwrap();
    let pre = linker.instantiate_pre(&module).unwrap();
    let unmetered = || {
        let mut store = Store::new(
            &engine,
            Io {
                input: input.clone(),
                output: Vec::new(),
            },
        );
        let instance = pre.instantiate(&mut store).unwrap();
        let f = instance
            .get_typed_func::<(), ()>(&mut store, "field_iterate")
            .unwrap();
        f.call(&mut store, ()).unwrap();
        store.into_data().output
    };
    assert_eq!(unmetered(), metered, "both paths compute the same result");

    let mut g = c.benchmark_group("compute_field_iterate_200k");
    g.bench_function("metered_vm", |b| {
        b.iter(|| {
            black_box(
                s.call(compute, "field_iterate", &input, GAS)
                    .expect("no VM fault"),
            )
        })
    });
    g.bench_function("unmetered_wasmtime", |b| b.iter(|| black_box(unmetered())));
    g.finish();
}

fn deploy(c: &mut Criterion) {
    c.bench_function("deploy_counter_fresh_vm", |b| {
        b.iter(|| {
            let mut s = session();
            black_box(
                s.deploy(shortcrust_test_contracts::COUNTER, DeployOptions::default())
                    .unwrap(),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = calls, host_call_overhead, metering, deploy, initial_memory
}
criterion_main!(benches);
