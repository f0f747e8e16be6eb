//! Compiles the contracts workspace (`contracts/`) for `wasm32-unknown-unknown` and copies each
//! contract's `.wasm` into `OUT_DIR`, where `src/lib.rs` includes it. This is what lets a plain
//! `cargo test` from a clean clone use real Rust contracts with no manual step.
//!
//! The nested cargo runs with the outer build's compiler flags, target and wrappers removed from
//! its environment (a `cargo clippy`, a coverage run or `RUSTFLAGS` for the host must not leak
//! into the wasm build), in `contracts/` so that `contracts/.cargo/config.toml` applies, with its
//! own target directory `target/contracts` and the committed `contracts/Cargo.lock` (`--locked`).
//! Source-path prefixes are remapped so that the size of a contract (and so its deploy gas) does
//! not depend on where the repository is checked out. One dependence remains: cargo hashes the
//! absolute path of a path dependency outside the workspace (the SDK, the ABI) into symbol names,
//! and rustc orders functions by symbol, so two checkouts at different paths may get the same
//! functions in another order — same size, same instructions, same gas, but another code hash.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Crate directory name in `contracts/` → artifact name (the package is
/// `shortcrust-contract-<name>`).
const CONTRACTS: &[&str] = &[
    "counter",
    "token",
    "caller",
    "empty",
    "hostile",
    "compute",
    "verifier",
    "darkpool",
    "bridge",
    "committee",
    "wallet",
];

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let repo = manifest_dir
        .parent()
        .and_then(Path::parent)
        .expect("crates/test-contracts lies two levels below the repository root")
        .to_path_buf();
    let contracts = repo.join("contracts");
    let target_dir = repo.join("target").join("contracts");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));

    for watched in [
        contracts.clone(),
        repo.join("crates").join("sdk"),
        repo.join("crates").join("abi"),
    ] {
        println!("cargo:rerun-if-changed={}", watched.display());
    }

    check_wasm_target_installed();

    // Two builds, because cargo unifies a dependency's features across the packages of one
    // build: `hostile` turns on the SDK's `panic-fmt`, which links `core::fmt` into a contract
    // (about 2 KiB of code), and built together every other contract would carry it too.
    for (what, packages) in [
        (
            "every contract but hostile",
            &["--workspace", "--exclude", "shortcrust-contract-hostile"][..],
        ),
        ("hostile", &["-p", "shortcrust-contract-hostile"][..]),
    ] {
        let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut command = Command::new(cargo);
        command
            .current_dir(&contracts)
            .arg("build")
            .arg("--release")
            .arg("--locked")
            .arg("--target")
            .arg(WASM_TARGET)
            .arg("--manifest-path")
            .arg(contracts.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target_dir)
            .arg("--config")
            .arg(path_remapping(&repo))
            .args(packages);
        scrub_environment(&mut command);

        let status = command
            .status()
            .unwrap_or_else(|e| panic!("could not run cargo to build the contracts: {e}"));
        if !status.success() {
            panic!(
                "building {what} in {} for {WASM_TARGET} failed ({status}); see the errors above",
                contracts.display()
            );
        }
    }

    let artifacts = target_dir.join(WASM_TARGET).join("release");
    for name in CONTRACTS {
        let file = format!("shortcrust_contract_{name}.wasm");
        let from = artifacts.join(&file);
        let to = out_dir.join(format!("{name}.wasm"));
        fs::copy(&from, &to).unwrap_or_else(|e| {
            panic!(
                "contract `{name}` was built but {} could not be copied: {e}",
                from.display()
            )
        });
    }
}

/// Extra rustflags (appended to those of `contracts/.cargo/config.toml`) that replace the
/// machine-specific prefixes of the source paths rustc embeds in panic locations — the checkout
/// directory and cargo's home — by fixed names. Without them the same contract would have other
/// bytes, so another deploy price, in another clone.
fn path_remapping(repo: &Path) -> String {
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let mut flags = vec![remap_flag(repo, "/shortcrust")];
    if let Some(cargo_home) = cargo_home {
        flags.push(remap_flag(&cargo_home, "/cargo"));
    }
    format!("target.{WASM_TARGET}.rustflags=[{}]", flags.join(","))
}

/// `--remap-path-prefix=FROM=TO` as a TOML string.
fn remap_flag(from: &Path, to: &str) -> String {
    let flag = format!("--remap-path-prefix={}={to}", from.display());
    let escaped = flag.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

/// Fails early, with the fix, when the standard library for wasm32 is not installed.
fn check_wasm_target_installed() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let output = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", rustc.to_string_lossy()));
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let target_lib = Path::new(&sysroot)
        .join("lib")
        .join("rustlib")
        .join(WASM_TARGET);
    if !target_lib.exists() {
        panic!(
            "the Rust target {WASM_TARGET} is not installed (no {}); the example contracts need \
             it. Install it with:\n\n    rustup target add {WASM_TARGET}\n",
            target_lib.display()
        );
    }
}

/// Removes the outer build's settings that would change (or break) the nested wasm build.
fn scrub_environment(command: &mut Command) {
    const EXACT: &[&str] = &[
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_ENCODED_RUSTDOCFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_BUILD_TARGET_DIR",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_BUILD_RUSTC_WRAPPER",
        "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WRAPPER",
        "CARGO_MANIFEST_PATH",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_LLVM_COV",
        "LLVM_PROFILE_FILE",
    ];
    const PREFIXES: &[&str] = &["CARGO_PROFILE_", "CARGO_TARGET_", "CARGO_LLVM_COV_"];
    for name in EXACT {
        command.env_remove(name);
    }
    for (name, _) in env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if PREFIXES.iter().any(|prefix| name.starts_with(prefix)) {
            command.env_remove(name);
        }
    }
}
