//! `shortcrust gas [--protocol N]`: a protocol version's gas schedule, read from the code that
//! charges it.
//!
//! Three parts: WASM instructions (the price of each cost class in the protocol's schedule,
//! `shortcrust_vm::gas::Schedule`, and the operators in each class),
//! the VM's own prices (`shortcrust_vm::gas`), and one linear formula per cryptographic host
//! function (and per scheme or mode where the price differs).
//!
//! The cryptographic formulas are not copied from constants: they are *probed* from the very
//! pricing functions the VM calls (`shortcrust_crypto::*_gas`), as `base = f(0 units)` and
//! `per unit = f(1 unit) − base`, so the table can never drift from what is charged. A unit test
//! checks that every probed formula reproduces its pricing function at other sizes (i.e. that
//! the prices really are linear in the units shown).

use serde_json::{Value, json};
use shortcrust_abi::{GasKey, HOST_FUNCTIONS, bls_aggregate_mode, bls_scheme};
use shortcrust_crypto as crypto;
use shortcrust_crypto::gas::GAS_PER_NANOSECOND;
use shortcrust_vm::gas as vm_gas;
use shortcrust_vm::gas::{Class, Schedule};

use crate::format::{Align, Table, gas, labelled};
use crate::report::Report;

/// A pricing function over unit counts (one count per term of its formula).
type Pricing = Box<dyn Fn(&[u64]) -> u64>;

/// A cryptographic host function's price as `base + Σ per_unit × units`.
pub struct Formula {
    pub function: &'static str,
    /// The scheme or mode the formula applies to (empty when there is one formula).
    pub variant: &'static str,
    pub base: u64,
    /// `(per_unit, unit)` pairs.
    pub terms: Vec<(u64, &'static str)>,
}

/// One probe: the function, its variant, its units and its pricing function.
struct Probe {
    function: &'static str,
    variant: &'static str,
    units: &'static [&'static str],
    price: Pricing,
}

const WORD: &str = "32-byte word of input";

/// `n` as a byte length (probes use small counts, far below `usize::MAX`).
fn bytes(n: u64, unit: usize) -> usize {
    usize::try_from(n)
        .unwrap_or(usize::MAX)
        .saturating_mul(unit)
}

fn probes() -> Vec<Probe> {
    let mut probes = Vec::new();
    let mut add = |function, variant, units, price: Pricing| {
        probes.push(Probe {
            function,
            variant,
            units,
            price,
        })
    };
    add(
        "blake2b_256",
        "",
        &[WORD],
        Box::new(|u| crypto::blake2b_256_gas(bytes(u[0], 32))),
    );
    add(
        "sha256",
        "",
        &[WORD],
        Box::new(|u| crypto::sha256_gas(bytes(u[0], 32))),
    );
    add(
        "keccak256",
        "",
        &[WORD],
        Box::new(|u| crypto::keccak256_gas(bytes(u[0], 32))),
    );
    add(
        "hash_to_scalar",
        "",
        &[WORD],
        Box::new(|u| crypto::hash_to_scalar_gas(bytes(u[0], 32))),
    );
    // Poseidon's base covers one input; the unit is each further input.
    add(
        "poseidon_hash",
        "",
        &["input after the first"],
        Box::new(|u| crypto::poseidon_hash_gas(bytes(u[0] + 1, 32))),
    );
    add(
        "poseidon_bn254",
        "",
        &["input after the first"],
        Box::new(|u| crypto::poseidon_bn254_gas(bytes(u[0] + 1, 32))),
    );
    add(
        "verify_plonk",
        "",
        &["public input", "KiB of verifier data"],
        Box::new(|u| {
            crypto::plonk::verify_plonk_gas(
                bytes(u[1], 1024),
                crypto::plonk::PROOF_LEN,
                bytes(u[0], 32),
            )
        }),
    );
    add(
        "verify_groth16_bn254",
        "",
        &["public input"],
        Box::new(|u| {
            let vk =
                crypto::groth16::verifying_key_len(usize::try_from(u[0]).unwrap_or(0)).unwrap_or(0);
            crypto::verify_groth16_bn254_gas(vk, crypto::groth16::PROOF_LEN, bytes(u[0], 32))
        }),
    );
    add(
        "verify_schnorr",
        "",
        &[],
        Box::new(|_| crypto::verify_schnorr_gas(32, 32, 64)),
    );
    add(
        "verify_bip340",
        "",
        &["32-byte word of message"],
        Box::new(|u| crypto::verify_bip340_gas(32, bytes(u[0], 32), 64)),
    );
    add(
        "verify_ed25519",
        "",
        &["32-byte word of message"],
        Box::new(|u| crypto::verify_ed25519_gas(32, bytes(u[0], 32), 64)),
    );
    for (variant, scheme, pk, sig) in [
        ("ietf", bls_scheme::IETF_MIN_PK_POP, 48, 96),
        ("dusk", bls_scheme::DUSK_MIN_SIG, 96, 48),
    ] {
        add(
            "verify_bls",
            variant,
            &["32-byte word of message"],
            Box::new(move |u| crypto::verify_bls_gas(scheme, pk, bytes(u[0], 32), sig)),
        );
    }
    for (variant, scheme, mode, pk, sig) in [
        (
            "ietf fast",
            bls_scheme::IETF_MIN_PK_POP,
            bls_aggregate_mode::FAST,
            48,
            96,
        ),
        (
            "ietf distinct",
            bls_scheme::IETF_MIN_PK_POP,
            bls_aggregate_mode::DISTINCT,
            48,
            96,
        ),
        (
            "dusk fast",
            bls_scheme::DUSK_MIN_SIG,
            bls_aggregate_mode::FAST,
            96,
            48,
        ),
        (
            "dusk distinct",
            bls_scheme::DUSK_MIN_SIG,
            bls_aggregate_mode::DISTINCT,
            96,
            48,
        ),
    ] {
        add(
            "verify_bls_aggregate",
            variant,
            &["public key", "32-byte word of messages"],
            Box::new(move |u| {
                crypto::verify_bls_aggregate_gas(
                    scheme,
                    mode,
                    bytes(u[0], pk),
                    bytes(u[1], 32),
                    sig,
                )
            }),
        );
    }
    probes
}

impl Probe {
    fn formula(&self) -> Formula {
        let zeros = vec![0; self.units.len()];
        let base = (self.price)(&zeros);
        let terms = (0..self.units.len())
            .map(|i| {
                let mut one = zeros.clone();
                one[i] = 1;
                ((self.price)(&one).saturating_sub(base), self.units[i])
            })
            .collect();
        Formula {
            function: self.function,
            variant: self.variant,
            base,
            terms,
        }
    }
}

/// The formula of every cryptographic host function under `schedule`, in the ABI table's order:
/// the `shortcrust_crypto` formula with each term at the schedule's price of it
/// (`Schedule::crypto_gas`, exact term by term: see `CRYPTO_PRICE_V2`).
pub fn crypto_formulas(schedule: Schedule) -> Vec<Formula> {
    probes()
        .iter()
        .map(|probe| {
            let f = probe.formula();
            Formula {
                base: schedule.crypto_gas(f.base),
                terms: f
                    .terms
                    .iter()
                    .map(|(per, unit)| (schedule.crypto_gas(*per), *unit))
                    .collect(),
                ..f
            }
        })
        .collect()
}

/// The VM's own prices: (name, value, what it prices).
fn vm_prices(schedule: Schedule) -> Vec<(&'static str, u64, &'static str)> {
    let mut prices = vec![
        ("TX_BASE", vm_gas::TX_BASE, "every top-level call"),
        (
            "INITIAL_PAGE_RESIDENT",
            vm_gas::INITIAL_PAGE_RESIDENT,
            "every frame, per initial memory page among the first RESIDENT_PAGES",
        ),
        (
            "INITIAL_PAGE_FAULTING",
            vm_gas::INITIAL_PAGE_FAULTING,
            "every frame, per initial memory page beyond RESIDENT_PAGES",
        ),
        (
            "RESIDENT_PAGES",
            vm_gas::RESIDENT_PAGES,
            "pages of a pooled memory kept resident between frames",
        ),
        (
            "CALL_BASE",
            vm_gas::CALL_BASE,
            "every cross-contract call, before the callee's gas",
        ),
        (
            "HOST_CALL_BASE",
            vm_gas::HOST_CALL_BASE,
            "every host-function call",
        ),
        (
            "COPY_PER_BYTE",
            vm_gas::COPY_PER_BYTE,
            "per byte copied between contract memory and host",
        ),
        (
            // v2 prices a read from a wall-clock measurement of a cold read.
            match schedule {
                Schedule::V1 => "STORAGE_READ_BASE",
                Schedule::V2 => "STORAGE_READ_BASE_V2",
            },
            schedule.storage_read_base(),
            "a storage read",
        ),
        (
            "STORAGE_READ_PER_BYTE",
            vm_gas::STORAGE_READ_PER_BYTE,
            "per key and value byte read",
        ),
        (
            "STORAGE_WRITE_BASE",
            vm_gas::STORAGE_WRITE_BASE,
            match schedule {
                Schedule::V1 => "a storage write or removal",
                Schedule::V2 => "a storage write or removal (a removal also pays a read)",
            },
        ),
        (
            "STORAGE_WRITE_PER_BYTE",
            vm_gas::STORAGE_WRITE_PER_BYTE,
            "per key and value byte written",
        ),
        ("EVENT_BASE", vm_gas::EVENT_BASE, "an event"),
        (
            "EVENT_PER_BYTE",
            vm_gas::EVENT_PER_BYTE,
            "per topic and data byte",
        ),
        ("DEPLOY_BASE", vm_gas::DEPLOY_BASE, "a deploy"),
        (
            "DEPLOY_PER_BYTE",
            vm_gas::DEPLOY_PER_BYTE,
            "per byte of deployed code",
        ),
    ];
    if schedule.host_call_surcharge() > 0 {
        prices.push((
            "host call surcharge",
            schedule.host_call_surcharge(),
            "on every host call, before its own price (this schedule)",
        ));
    }
    prices
}

/// Instruction prices of `schedule`: each class, its price and its operators (WAT names).
fn instruction_prices(schedule: Schedule) -> Vec<(Class, u64, String)> {
    Class::ALL
        .iter()
        .filter(|c| **c != Class::Unsupported)
        .map(|class| {
            let ops: Vec<String> = vm_gas::instructions::OPERATORS
                .iter()
                .filter(|(proposal, name)| Class::of(proposal, name) == *class)
                .map(|(_, name)| wat_name(name))
                .collect();
            let members = if ops.len() > 6 {
                format!("{}, … ({} operators)", ops[..5].join(", "), ops.len())
            } else {
                ops.join(", ")
            };
            (*class, u64::from(schedule.class_price(*class)), members)
        })
        .collect()
}

/// `I64DivU` → `i64.div_u`, `LocalGet` → `local.get`, `MemoryGrow` → `memory.grow`.
fn wat_name(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(c.to_ascii_lowercase().to_string());
        } else if let Some(w) = words.last_mut() {
            w.push(c);
        }
    }
    const PREFIXES: [&str; 10] = [
        "i32", "i64", "f32", "f64", "memory", "table", "local", "global", "ref", "data",
    ];
    match words.split_first() {
        Some((first, rest)) if !rest.is_empty() && PREFIXES.contains(&first.as_str()) => {
            format!("{first}.{}", rest.join("_"))
        }
        Some((first, rest)) if first == "elem" => format!("elem.{}", rest.join("_")),
        _ => words.join("_"),
    }
}

/// How the state and call functions of the ABI table are priced (`None` for the
/// cryptographic ones): from their gas key, and for the context functions that write an id,
/// the 32 bytes they copy.
fn state_formula(schedule: Schedule, name: &str, key: GasKey) -> Option<String> {
    use vm_gas::*;
    let g = gas;
    Some(match key {
        GasKey::Context if matches!(name, "self_id" | "caller" | "owner") => format!(
            "{} (HOST_CALL_BASE + 32 bytes copied)",
            g(linear(HOST_CALL_BASE, COPY_PER_BYTE, 32))
        ),
        GasKey::Context => g(HOST_CALL_BASE),
        GasKey::CopyIn | GasKey::CopyOut => {
            format!("{} + {} per byte", g(HOST_CALL_BASE), g(COPY_PER_BYTE))
        }
        GasKey::StorageRead => format!(
            "{} + {} per key and value byte",
            g(schedule.storage_read_base()),
            g(STORAGE_READ_PER_BYTE)
        ),
        GasKey::StorageWrite if name == "storage_remove" && schedule.storage_remove_read() > 0 => {
            format!(
                "{} (a write and a read) + {} per key byte",
                g(STORAGE_WRITE_BASE + schedule.storage_remove_read()),
                g(STORAGE_WRITE_PER_BYTE)
            )
        }
        GasKey::StorageWrite => format!(
            "{} + {} per key and value byte",
            g(STORAGE_WRITE_BASE),
            g(STORAGE_WRITE_PER_BYTE)
        ),
        GasKey::Event => format!(
            "{} + {} per topic and data byte",
            g(EVENT_BASE),
            g(EVENT_PER_BYTE)
        ),
        GasKey::Call => format!(
            "{} + {} per input byte, plus the callee's gas",
            g(CALL_BASE),
            g(COPY_PER_BYTE)
        ),
        _ => return None,
    })
}

fn formula_text(f: &Formula) -> String {
    let mut text = gas(f.base);
    for (per, unit) in &f.terms {
        text.push_str(&format!(" + {} per {unit}", gas(*per)));
    }
    text
}

/// Gas as approximate native time at the calibrated exchange rate.
fn native_time(gas_units: u64) -> String {
    let ns = gas_units / GAS_PER_NANOSECOND.max(1);
    if ns >= 1_000_000 {
        format!("{:.2} ms", ns as f64 / 1e6)
    } else if ns >= 1_000 {
        format!("{:.1} µs", ns as f64 / 1e3)
    } else {
        format!("{ns} ns")
    }
}

/// The schedule of protocol `protocol`. See the module docs.
pub fn schedule(protocol: u32) -> Result<Report, crate::error::CliError> {
    let schedule =
        Schedule::for_protocol(protocol).ok_or_else(|| crate::error::CliError::BadInput {
            what: "--protocol".into(),
            reason: format!(
                "protocol version {protocol} is not known to this build (1 to {})",
                shortcrust_abi::LATEST_PROTOCOL_VERSION
            ),
        })?;
    let mut instructions = Table::new(&[
        ("class", Align::Left),
        ("gas", Align::Right),
        ("operators", Align::Left),
    ]);
    let prices = instruction_prices(schedule);
    for (class, g, members) in &prices {
        instructions.row(vec![format!("{class:?}"), gas(*g), members.clone()]);
    }
    let mut tiers = Table::new(&[
        ("declared memory maximum", Align::Left),
        ("gas per load", Align::Right),
        ("gas per store", Align::Right),
    ]);
    let charge = u64::from(schedule.class_price(Class::Charge));
    let (load, store) = (
        u64::from(schedule.class_price(Class::Load)),
        u64::from(schedule.class_price(Class::Store)),
    );
    let mut low: u64 = 0;
    let mut tiers_json = Vec::new();
    for (pages, load_charges, store_charges) in vm_gas::instructions::MEMORY_TIERS {
        let range = if pages == u64::MAX {
            format!("over {} pages, or none declared", low.saturating_sub(1))
        } else {
            format!("{low} to {pages} pages ({} KiB)", pages * 64)
        };
        let per_load = load + u64::from(load_charges) * charge;
        let per_store = store + u64::from(store_charges) * charge;
        tiers.row(vec![range.clone(), gas(per_load), gas(per_store)]);
        tiers_json.push(json!({"memory": range, "load": per_load, "store": per_store}));
        low = pages.saturating_add(1);
    }
    let variable = schedule.variable_cost();
    let mut bulk = Table::new(&[("bulk operation", Align::Left), ("gas", Align::Right)]);
    for (what, g) in [
        (
            "memory.copy / fill / init, per byte",
            u64::from(variable.memory_copy_per_byte),
        ),
        (
            "table.copy / fill / init, per element",
            u64::from(variable.table_copy_per_element),
        ),
        (
            "memory.grow, per page (metered call, gas::MEMORY_GROW_PER_PAGE)",
            vm_gas::MEMORY_GROW_PER_PAGE,
        ),
    ] {
        bulk.row(vec![what.to_string(), gas(g)]);
    }
    let mut vm = Table::new(&[
        ("constant", Align::Left),
        ("gas", Align::Right),
        ("prices", Align::Left),
    ]);
    for (name, value, what) in vm_prices(schedule) {
        vm.row(vec![name.to_string(), gas(value), what.to_string()]);
    }
    let mut state = Table::new(&[("host function", Align::Left), ("gas", Align::Left)]);
    let mut crypto_table = Table::new(&[
        ("host function", Align::Left),
        ("variant", Align::Left),
        ("base", Align::Right),
        ("≈ native", Align::Right),
        ("formula", Align::Left),
    ]);
    let formulas = crypto_formulas(schedule);
    let mut functions_json = Vec::new();
    for decl in HOST_FUNCTIONS.iter().filter(|d| d.since <= protocol) {
        let mine: Vec<&Formula> = formulas
            .iter()
            .filter(|f| f.function == decl.name)
            .collect();
        if let Some(text) = state_formula(schedule, decl.name, decl.gas) {
            state.row(vec![decl.name.to_string(), text.clone()]);
            functions_json.push(json!({
                "name": decl.name, "gas_key": format!("{:?}", decl.gas), "since": decl.since,
                "formula": text,
            }));
            continue;
        }
        let mut variants = Vec::new();
        for f in &mine {
            crypto_table.row(vec![
                decl.name.to_string(),
                f.variant.to_string(),
                gas(f.base),
                native_time(f.base),
                formula_text(f),
            ]);
            variants.push(json!({
                "variant": f.variant,
                "base": f.base,
                "per_unit": f.terms.iter().map(|(per, unit)| json!({"unit": unit, "gas": per})).collect::<Vec<Value>>(),
            }));
        }
        functions_json.push(json!({
            "name": decl.name, "gas_key": format!("{:?}", decl.gas), "since": decl.since,
            "formulas": variants,
        }));
    }
    let header = labelled(&[
        (
            "protocol".into(),
            format!("version {protocol} (gas schedule v{})", schedule.version()),
        ),
        (
            "unit".into(),
            format!("1 gas ≈ 1/{GAS_PER_NANOSECOND} ns of native work"),
        ),
    ]);
    let text = format!(
        "{header}\nWASM instructions, by cost class\n{}\nLoads and stores, by memory tier (the instruction plus its tier's `nop` charges)\n{}\n{}\nVM operations (shortcrust_vm::gas)\n{}\nState and call host functions\n{}\nCryptographic host functions (shortcrust_crypto; each call also pays HOST_CALL_BASE = {})\n{}",
        instructions.render(),
        tiers.render(),
        bulk.render(),
        vm.render(),
        state.render(),
        vm_gas::HOST_CALL_BASE,
        crypto_table.render(),
    );
    Ok(Report {
        json: json!({
            "ok": true,
            "error": null,
            "protocol_version": protocol,
            "schedule": schedule.version(),
            "gas_per_nanosecond": GAS_PER_NANOSECOND,
            "instructions": prices.iter().map(|(c, g, ops)| json!({"class": format!("{c:?}"), "gas": g, "operators": ops})).collect::<Vec<_>>(),
            "memory_tiers": tiers_json,
            "bulk_per_unit": {
                "memory_per_byte": variable.memory_copy_per_byte,
                "table_per_element": variable.table_copy_per_element,
            },
            "vm": vm_prices(schedule).into_iter().map(|(n, v, w)| json!({"name": n, "gas": v, "prices": w})).collect::<Vec<_>>(),
            "host_functions": functions_json,
        }),
        text,
        success: true,
    })
}

#[cfg(test)]
mod tests {
    /// Schedules are consensus: any change to a price must be deliberate. Each protocol's is
    /// pinned as `docs/gas-schedule-v<N>.txt` (the text of `shortcrust gas --protocol N`); a
    /// shipped schedule never changes, and after an intended change to the newest one
    /// `UPDATE_SCHEDULE=1 cargo test -p shortcrust-cli` rewrites its file.
    #[test]
    fn schedule_snapshots() {
        for protocol in 1..=shortcrust_abi::LATEST_PROTOCOL_VERSION {
            let path = format!(
                "{}/../../docs/gas-schedule-v{protocol}.txt",
                env!("CARGO_MANIFEST_DIR")
            );
            let text = super::schedule(protocol).expect("a known protocol").text;
            if std::env::var_os("UPDATE_SCHEDULE").is_some() {
                std::fs::write(&path, &text).expect("write the snapshot");
            }
            let pinned = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                pinned == text,
                "the gas schedule of protocol {protocol} differs from {path}: a price changed. \
                 If intended (a new protocol version), rerun with UPDATE_SCHEDULE=1"
            );
        }
    }

    #[test]
    fn unknown_protocols_are_refused_and_wat_names_read_well() {
        assert!(super::schedule(0).is_err());
        assert!(super::schedule(shortcrust_abi::LATEST_PROTOCOL_VERSION + 1).is_err());
        assert_eq!(super::wat_name("I64DivU"), "i64.div_u");
        assert_eq!(super::wat_name("LocalGet"), "local.get");
        assert_eq!(super::wat_name("Nop"), "nop");
        assert_eq!(super::wat_name("I64MulWideS"), "i64.mul_wide_s");
        assert_eq!(super::wat_name("BrIf"), "br_if");
        assert_eq!(super::wat_name("CallIndirect"), "call_indirect");
        assert_eq!(super::wat_name("ElemDrop"), "elem.drop");
        assert_eq!(super::wat_name("RefIsNull"), "ref.is_null");
    }

    use super::*;

    /// Every printed formula reproduces its pricing function away from the probe points, under
    /// each schedule, so the printed schedule is the charged one (the prices are linear in the
    /// units shown, and v2's 3/2 of each term sums to 3/2 of the total).
    #[test]
    fn probed_formulas_reproduce_the_scheduled_pricing_functions() {
        for schedule in Schedule::ALL {
            let formulas = crypto_formulas(schedule);
            for (probe, f) in probes().iter().zip(&formulas) {
                for counts in [[0u64, 0], [3, 5], [17, 2], [64, 64]] {
                    let units = &counts[..probe.units.len()];
                    let printed = units
                        .iter()
                        .zip(&f.terms)
                        .fold(f.base, |acc, (n, (per, _))| acc + n * per);
                    assert_eq!(
                        schedule.crypto_gas((probe.price)(units)),
                        printed,
                        "{schedule:?} {} {} at {units:?}",
                        probe.function,
                        probe.variant
                    );
                }
            }
        }
        // v2 charges 3/2 of v1, and v1 the crypto formula itself.
        assert_eq!(Schedule::V1.crypto_gas(1_000), 1_000);
        assert_eq!(Schedule::V2.crypto_gas(1_000), 1_500);
    }

    #[test]
    fn every_crypto_host_function_has_a_formula_and_no_function_is_free() {
        let formulas = crypto_formulas(Schedule::V2);
        for decl in HOST_FUNCTIONS {
            if state_formula(Schedule::V2, decl.name, decl.gas).is_some() {
                continue;
            }
            let mine: Vec<_> = formulas
                .iter()
                .filter(|f| f.function == decl.name)
                .collect();
            assert!(!mine.is_empty(), "{} has no formula", decl.name);
        }
        let latest = shortcrust_abi::LATEST_PROTOCOL_VERSION;
        let report = schedule(latest).expect("the latest protocol");
        assert!(report.text.contains("verify_bls_aggregate"));
        assert_eq!(report.json["protocol_version"], latest);
        // Every host call pays HOST_CALL_BASE on top of its formula: nothing is free.
        for f in &formulas {
            let charged = vm_gas::HOST_CALL_BASE.saturating_add(f.base);
            assert!(charged > 0, "{} {} is free", f.function, f.variant);
        }
    }
}
