//! The workloads' modules, as WebAssembly text: the loop every workload shares and
//! [`suite`], one contract per cost driver (the module docs of `workloads` say what each
//! attacks and why).

use std::fmt::Write as _;

use super::Workload;
use super::cold_storage::{cold_read_wat, cold_write_wat};

/// The loop every workload shares: `$n` iterations of `body`, counting down in `$i`; `setup`
/// runs once before. The memory starts at one page and declares a maximum of 4 pages (256 KiB,
/// the cheapest tier of loads and stores, `shortcrust_vm::gas::instructions::MEMORY_TIERS`).
fn looped(name: &str, extra: &str, setup: &str, locals: &str, body: &str) -> String {
    looped_in("1 4", name, extra, setup, locals, body)
}

/// [`looped`] with the memory declared as `memory` (`"1 16"`: up to 1 MiB; `"1"`: no maximum,
/// up to the protocol's limit of 16 MiB).
fn looped_in(
    memory: &str,
    name: &str,
    extra: &str,
    setup: &str,
    locals: &str,
    body: &str,
) -> String {
    format!(
        r#"(module
  (import "shortcrust_v1" "input_read" (func $input (param i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (import "shortcrust_v1" "gas_left" (func $gas_left (result i64)))
  (memory (export "memory") {memory})
  {extra}
  ;; {name}
  (func (export "run") (local $i i64) (local $x i64) (local $a i64) (local $f f64) {locals}
    (call $input (i32.const 0))
    (local.set $i (i64.load (i32.const 0)))
    (local.set $x (i64.const 0x9E3779B97F4A7C15))
    (local.set $f (f64.const 1.5))
    {setup}
    (block $done
      (loop $l
        (br_if $done (i64.eqz (local.get $i)))
        {body}
        (local.set $i (i64.sub (local.get $i) (i64.const 1)))
        (br $l)))
    (i64.store (i32.const 8) (i64.add (local.get $x) (local.get $a)))
    (f64.store (i32.const 16) (local.get $f))
    (call $out (i32.const 8) (i32.const 16))))"#
    )
}

fn repeat(n: usize, text: &str) -> String {
    text.repeat(n)
}

/// Grows memory to 256 pages (16 MiB), paying for every page.
const GROW_TO_16_MIB: &str = "(drop (memory.grow (i32.const 255)))";

/// `$x` ← next value of a 64-bit LCG; `$addr` (i32) ← 8-aligned offset below 16 MiB.
const NEXT_ADDRESS: &str = "(local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407)))
        (local.set $addr (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))) (i32.const 0x00FFFFF8)))";

/// One step of a pointer chase: the next address is the value at the current one.
const CHASE: &str = "(local.set $addr (i32.load (local.get $addr))) ";

/// Sixteen chase steps, then the address is folded into `$a` (part of the output), so the
/// loads are live.
fn chase_body() -> String {
    format!(
        "{} (local.set $a (i64.extend_i32_u (local.get $addr))) ",
        CHASE.repeat(16)
    )
}

/// Writes a pseudo-random cycle of `slots` 8-byte slots from address 0: slot `k` holds the
/// address of slot `(5k + 1) mod slots` (a full-period LCG for a power-of-two `slots`), then
/// leaves `$addr` at 0 for the chase.
fn chase_setup(slots: u32) -> String {
    format!(
        "(local.set $addr (i32.const 0))
    (block $built (loop $build
      (br_if $built (i32.ge_u (local.get $addr) (i32.const {slots})))
      (i32.store (i32.shl (local.get $addr) (i32.const 3))
        (i32.shl (i32.and (i32.add (i32.mul (local.get $addr) (i32.const 5)) (i32.const 1)) (i32.const {mask})) (i32.const 3)))
      (local.set $addr (i32.add (local.get $addr) (i32.const 1)))
      (br $build)))
    (local.set $addr (i32.const 0))",
        mask = slots - 1
    )
}

/// The suite. See the module docs.
pub fn suite() -> Vec<Workload> {
    let mut locals_decl = String::new();
    let mut rotate = String::new();
    const LIVE: usize = 400;
    for k in 0..LIVE {
        let _ = write!(locals_decl, "(local $v{k} i64) ");
    }
    // Rotate: v0 <- v1 <- ... <- v399 <- v0 + x, then fold one into $a, so all stay live.
    let _ = write!(rotate, "(local.set $a (local.get $v0)) ");
    for k in 0..LIVE - 1 {
        let _ = write!(rotate, "(local.set $v{k} (local.get $v{})) ", k + 1);
    }
    let _ = write!(
        rotate,
        "(local.set $v{} (i64.add (local.get $a) (local.get $x))) (local.set $x (i64.add (local.get $x) (local.get $v7)))",
        LIVE - 1
    );
    let br_targets: String = (0..1024).map(|k| format!("{} ", k % 2)).collect();
    vec![
        Workload {
            name: "int_mul_chain",
            driver: "integer arithmetic (dependent 64-bit multiplies)",
            wat: looped(
                "mul",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(local.set $x (i64.xor (i64.mul (local.get $x) (local.get $x)) (i64.const 1))) ",
                ),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "div_chain",
            driver: "division (dependent i64.div_u)",
            wat: looped(
                "div",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(local.set $x (i64.add (i64.div_u (i64.const -1) (i64.or (local.get $x) (i64.const 3))) (local.get $x))) ",
                ),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 100_000,
        },
        Workload {
            name: "rem_chain",
            driver: "remainder (dependent i64.rem_u)",
            wat: looped(
                "rem",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(local.set $x (i64.add (i64.rem_u (i64.const -1) (i64.or (local.get $x) (i64.const 3))) (i64.const 0x9E3779B97F4A7C15))) ",
                ),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 100_000,
        },
        Workload {
            name: "float_sqrt_div",
            driver: "floating point (dependent sqrt and div, NaN canonicalisation)",
            wat: looped(
                "float",
                "",
                "",
                "",
                &repeat(
                    8,
                    "(local.set $f (f64.div (f64.sqrt (f64.add (local.get $f) (f64.const 2.0))) (f64.const 0.999))) ",
                ),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 100_000,
        },
        Workload {
            name: "load_scattered",
            driver: "loads at scattered addresses of a 16 MiB memory",
            wat: looped_in(
                "1",
                "load",
                "",
                GROW_TO_16_MIB,
                "(local $addr i32)",
                &format!(
                    "{NEXT_ADDRESS} (local.set $a (i64.add (local.get $a) (i64.load (local.get $addr)))) "
                )
                .repeat(4),
            ),
            benign: true,
            state_keys: false,
            quick_iterations: None,
            iterations: 500_000,
        },
        Workload {
            name: "store_scattered",
            driver: "stores at scattered addresses of a 16 MiB memory",
            wat: looped_in(
                "1",
                "store",
                "",
                GROW_TO_16_MIB,
                "(local $addr i32)",
                &format!("{NEXT_ADDRESS} (i64.store (local.get $addr) (local.get $x)) ").repeat(4),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: Some(250_000),
            iterations: 500_000,
        },
        Workload {
            name: "call_indirect_chain",
            driver: "call_indirect to a leaf (checks, indirect branch, stack accounting)",
            wat: looped(
                "call_indirect",
                "(type $leaf_t (func (param i64) (result i64))) (table 2 funcref) (elem (i32.const 0) $leaf $leaf) (func $leaf (type $leaf_t) (param i64) (result i64) (local.get 0))",
                "",
                "",
                &repeat(
                    8,
                    "(local.set $x (call_indirect (type $leaf_t) (local.get $x) (i32.wrap_i64 (i64.and (local.get $x) (i64.const 1))))) ",
                ),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "locals_shuffle",
            driver: "400 i64 locals live across the loop edge, rotated (locals are free)",
            wat: looped("locals", "", "", &locals_decl, &rotate),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 20_000,
        },
        Workload {
            name: "br_table_random",
            driver: "1,024-way br_table on a pseudo-random index",
            wat: looped(
                "br_table",
                "",
                "",
                "",
                &format!(
                    "(local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407))) \
                     (block $b1 (block $b0 (br_table {br_targets} (i32.and (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 33))) (i32.const 1023)))) \
                     (local.set $a (i64.add (local.get $a) (i64.const 1)))) "
                )
                .repeat(4),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "pointer_chase_64k",
            driver: "dependent loads along a pseudo-random cycle through 64 KiB",
            wat: looped("chase", "", &chase_setup(8192), "(local $addr i32)", &chase_body()),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 100_000,
        },
        Workload {
            name: "pointer_chase_256k",
            driver: "dependent loads along a pseudo-random cycle through 256 KiB",
            wat: looped(
                "chase",
                "",
                &format!("(drop (memory.grow (i32.const 3))) {}", chase_setup(32 * 1024)),
                "(local $addr i32)",
                &chase_body(),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 100_000,
        },
        Workload {
            name: "pointer_chase_1m",
            driver: "dependent loads along a pseudo-random cycle through 1 MiB",
            wat: looped_in(
                "1 16",
                "chase",
                "",
                &format!("(drop (memory.grow (i32.const 15))) {}", chase_setup(128 * 1024)),
                "(local $addr i32)",
                &chase_body(),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 100_000,
        },
        Workload {
            name: "pointer_chase_16m",
            driver: "dependent loads along a pseudo-random cycle through 16 MiB",
            wat: looped_in(
                "1",
                "chase",
                "",
                &format!("{GROW_TO_16_MIB} {}", chase_setup(2 * 1024 * 1024)),
                "(local $addr i32)",
                &chase_body(),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "branch_random",
            driver: "br_if on a pseudo-random bit (mispredicted half the time)",
            wat: looped(
                "branch",
                "",
                "",
                "",
                &"(local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407))) \
                  (block $b (br_if $b (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 63)))) \
                  (local.set $a (i64.add (local.get $a) (i64.const 1)))) "
                    .repeat(8),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "call_chain",
            driver: "direct call to a leaf (call, fuel flush, stack accounting)",
            wat: looped(
                "call",
                "(func $leaf (param i64) (result i64) (local.get 0))",
                "",
                "",
                &repeat(8, "(local.set $x (call $leaf (local.get $x))) "),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "memory_fill_small",
            driver: "memory.fill of 1 byte (the bulk operation's fixed cost)",
            wat: looped(
                "fill_small",
                "",
                "",
                "",
                &repeat(
                    16,
                    "(memory.fill (i32.wrap_i64 (i64.and (local.get $i) (i64.const 0xfff))) (i32.const 7) (i32.const 1)) ",
                ),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 200_000,
        },
        Workload {
            name: "memory_fill_16m",
            driver: "memory.fill of a whole 16 MiB memory (it fits the 32 MiB L3)",
            wat: looped_in(
                "1",
                "fill",
                "",
                GROW_TO_16_MIB,
                "",
                "(memory.fill (i32.const 0) (i32.wrap_i64 (local.get $i)) (i32.const 16777216)) ",
            ),
            benign: true,
            state_keys: false,
            quick_iterations: None,
            iterations: 40,
        },
        Workload {
            name: "memory_fill",
            driver: "memory.fill of 64 KiB (bulk memory, per byte)",
            wat: looped(
                "fill",
                "",
                "",
                "",
                "(memory.fill (i32.const 0) (i32.wrap_i64 (local.get $i)) (i32.const 65536)) ",
            ),
            benign: true,
            state_keys: false,
            quick_iterations: None,
            iterations: 2_000,
        },
        Workload {
            name: "host_gas_left",
            driver: "the cheapest host call in a loop (host transition)",
            wat: looped(
                "host",
                "",
                "",
                "",
                &repeat(8, "(local.set $a (i64.add (local.get $a) (call $gas_left))) "),
            ),
            benign: false,
            state_keys: false,
            quick_iterations: None,
            iterations: 50_000,
        },
        Workload {
            name: "storage_read_cold",
            driver: "storage_read of pseudo-random keys of a 10⁶-key state on disk",
            wat: cold_read_wat(),
            benign: false,
            state_keys: true,
            quick_iterations: None,
            iterations: 20_000,
        },
        Workload {
            name: "storage_write_cold",
            driver: "storage_write of pseudo-random existing keys of a 10⁶-key state on disk, \
                     with the commit",
            wat: cold_write_wat(),
            benign: false,
            state_keys: true,
            quick_iterations: None,
            iterations: 20_000,
        },
    ]
}
