//! Builds the pure-WASM verifier contracts of `contracts-pure/` for the crypto-path benchmark,
//! twice (plain WebAssembly and with the wide-arithmetic proposal), and loads the modules.
//!
//! Built here, on demand, rather than by a build script: these contracts take minutes to compile
//! and only this benchmark needs them, so `cargo test` must never build them. A failed build is
//! not fatal: the benchmark reports the failure and skips that variant's pure-WASM rows.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The contracts of `contracts-pure/`, by directory name (package `shortcrust-pure-<name>`,
/// artifact `shortcrust_pure_<name>.wasm` with `-` as `_`).
pub const CONTRACTS: &[&str] = &[
    "hash",
    "poseidon",
    "poseidon-bn254",
    "plonk",
    "groth16",
    "bls",
    "ed25519",
    "schnorr",
];

/// Shadow-stack size of the pure contracts, as `contracts/.cargo/config.toml` sets for the
/// example contracts. Overflowing it traps (rustc places the stack first in linear memory), and
/// the benchmark's answer checks would report it.
const STACK_BYTES: u32 = 64 * 1024;

/// One build of the pure contracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    /// Plain WebAssembly 2.0 (what rustc emits for `wasm32-unknown-unknown` by default).
    Plain,
    /// With `-C target-feature=+wide-arithmetic`: 128-bit adds and 64×64→128 multiplies (and
    /// curve25519-dalek's 64-bit backend, see [`Variant::rustflags`]).
    Wide,
}

impl Variant {
    pub const ALL: [Variant; 2] = [Variant::Plain, Variant::Wide];

    /// Name of the variant: its target subdirectory and its benchmark path (`pure_<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Variant::Plain => "plain",
            Variant::Wide => "wide",
        }
    }

    /// The build's RUSTFLAGS: the shadow stack of the example contracts (64 KiB instead of
    /// rustc's 1 MiB, which would make every call start with 17 pages of memory to reset), and
    /// the wide-arithmetic proposal for `Wide`. (RUSTFLAGS replaces any `target.rustflags` of a
    /// cargo config, so the stack size is set here, not in `contracts-pure/.cargo`.)
    fn rustflags(self) -> String {
        let stack = format!("-C link-arg=-zstack-size={STACK_BYTES}");
        match self {
            Variant::Plain => stack,
            // curve25519-dalek picks its limb size from the pointer width: 32-bit limbs on wasm32,
            // whose products fit in 64 bits and so never use the wide instructions. Its 64-bit
            // backend (u64 limbs, u128 products) is what wide arithmetic is for.
            Variant::Wide => format!(
                "{stack} -C target-feature=+wide-arithmetic --cfg curve25519_dalek_bits=\"64\""
            ),
        }
    }
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// The built modules of one variant, by contract name.
pub type Modules = BTreeMap<&'static str, Vec<u8>>;

/// Builds every contract of `contracts-pure/` for `variant` into
/// `target/contracts-pure/<variant>` and reads the modules; `Err` says what failed.
///
/// Each contract is built by its own `cargo build -p`: cargo unifies features across the
/// packages of one build, and `pure-poseidon-bn254` needs `std` features that would break the
/// `no_std` contracts.
pub fn build(variant: Variant) -> Result<Modules, String> {
    let repo = repo_root();
    let workspace = repo.join("contracts-pure");
    let target_dir = repo
        .join("target")
        .join("contracts-pure")
        .join(variant.name());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut modules = Modules::new();
    for name in CONTRACTS {
        let package = format!("shortcrust-pure-{name}");
        let mut command = Command::new(&cargo);
        command
            .current_dir(&workspace)
            .args(["build", "--release", "--locked", "--quiet"])
            .args(["--target", "wasm32-unknown-unknown", "-p", &package])
            .arg("--target-dir")
            .arg(&target_dir);
        // The outer cargo's flags, wrappers and target must not leak into the wasm build; the
        // variant's RUSTFLAGS are the only ones.
        for key in [
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_RUSTFLAGS",
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET",
            "RUSTC_WRAPPER",
            "RUSTC_WORKSPACE_WRAPPER",
            "CARGO_MAKEFLAGS",
        ] {
            command.env_remove(key);
        }
        command.env("RUSTFLAGS", variant.rustflags());
        let output = command
            .output()
            .map_err(|e| format!("could not run cargo for {package}: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "`cargo build -p {package}` ({} variant) failed:\n{}",
                variant.name(),
                tail.join("\n")
            ));
        }
        let artifact = target_dir
            .join("wasm32-unknown-unknown/release")
            .join(format!("shortcrust_pure_{}.wasm", name.replace('-', "_")));
        let bytes =
            std::fs::read(&artifact).map_err(|e| format!("reading {}: {e}", artifact.display()))?;
        modules.insert(name, bytes);
    }
    Ok(modules)
}

/// Number of wide-arithmetic instructions (`i64.add128`, `i64.sub128`, `i64.mul_wide_s`,
/// `i64.mul_wide_u`) in a module: evidence that the flag took effect (zero in plain builds).
pub fn wide_instructions(module: &[u8]) -> Result<usize, String> {
    use wasmparser::{Operator, Parser, Payload};
    let mut count = 0;
    for payload in Parser::new(0).parse_all(module) {
        let Payload::CodeSectionEntry(body) = payload.map_err(|e| e.to_string())? else {
            continue;
        };
        let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
        while !reader.eof() {
            let op = reader.read().map_err(|e| e.to_string())?;
            if matches!(
                op,
                Operator::I64Add128
                    | Operator::I64Sub128
                    | Operator::I64MulWideS
                    | Operator::I64MulWideU
            ) {
                count += 1;
            }
        }
    }
    Ok(count)
}
