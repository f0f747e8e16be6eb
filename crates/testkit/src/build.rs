//! Reproducible contract builds (`shortcrust build`): the same source gives the same bytes, and
//! so the same code hash and contract ids, from any checkout path or machine.
//!
//! Why a canonical build directory: cargo mixes the *absolute path* of every path dependency
//! that lies outside the workspace being built (the SDK, for a contract crate) into the
//! metadata hash of its symbols, and symbol hashes decide the order of functions in the linked
//! module. `--remap-path-prefix` fixes file names in panic messages, not that. So the crate and
//! its path dependencies are copied into one fixed directory, [`BUILD_ROOT`] — the contract at
//! `contract/`, every path dependency at its place under `shortcrust/` (the SDK's checkout) —
//! and built there; builds take a lock on it, so concurrent ones wait for each other.
//!
//! The build: release profile tuned for size (`opt-level = "s"`, LTO, one codegen unit,
//! `panic = "abort"`, no debug info, symbols stripped), a 64 KiB shadow stack, file names
//! remapped, the environment's compiler flags ignored; then every custom section but the
//! schema ([`shortcrust_vm::ContractId`]'s code hash covers all bytes) is dropped.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where builds happen (fixed: it is part of what makes them reproducible).
pub const BUILD_ROOT: &str = "/tmp/shortcrust-build-v1";

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// A built contract.
#[derive(Clone, Debug)]
pub struct Built {
    /// The package name.
    pub package: String,
    /// The module, size-optimised and stripped.
    pub wasm: Vec<u8>,
    /// Where it was written: `<crate>/target/shortcrust/<package>.wasm`.
    pub path: PathBuf,
    /// `shortcrust_store::code_hash` of the module.
    pub code_hash: [u8; 32],
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0} has no Cargo.toml")]
    NoManifest(PathBuf),
    #[error("running cargo: {0}")]
    Cargo(String),
    #[error("cargo failed ({status}):\n{stderr}")]
    CargoFailed { status: String, stderr: String },
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("unexpected cargo metadata: {0}")]
    Metadata(String),
    #[error("the built module is not valid WebAssembly: {0}")]
    Module(String),
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> BuildError + 'a {
    move |source| BuildError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Builds the contract crate in `crate_dir` (a crate that is its own workspace, as
/// `shortcrust new` makes). See the module docs.
pub fn build_contract(crate_dir: &Path) -> Result<Built, BuildError> {
    let manifest = crate_dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(BuildError::NoManifest(crate_dir.to_path_buf()));
    }
    let crate_dir = crate_dir
        .canonicalize()
        .map_err(io("resolving", crate_dir))?;
    let metadata = metadata(&crate_dir.join("Cargo.toml"))?;
    let root = std::fs::create_dir_all(BUILD_ROOT)
        .map_err(io("creating", Path::new(BUILD_ROOT)))
        .map(|()| PathBuf::from(BUILD_ROOT))?;
    let lock = std::fs::File::create(root.join(".lock")).map_err(io("creating", &root))?;
    lock.lock().map_err(io("locking", &root))?;
    let result = build_locked(&crate_dir, &metadata, &root);
    // Dropping the file releases the lock.
    drop(lock);
    result
}

struct Metadata {
    package: String,
    /// Path packages other than the contract: (directory, workspace root of that package).
    path_deps: Vec<PathBuf>,
    /// The common workspace root of the path dependencies (the SDK's checkout).
    deps_root: Option<PathBuf>,
}

fn metadata(manifest: &Path) -> Result<Metadata, BuildError> {
    let output = Command::new(cargo())
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(manifest)
        .output()
        .map_err(|e| BuildError::Cargo(e.to_string()))?;
    if !output.status.success() {
        return Err(BuildError::CargoFailed {
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|e| BuildError::Metadata(e.to_string()))?;
    let root_id = value["resolve"]["root"].as_str().ok_or_else(|| {
        BuildError::Metadata("no root package (is it a virtual workspace?)".into())
    })?;
    let mut package = None;
    let mut path_deps = Vec::new();
    for p in value["packages"].as_array().into_iter().flatten() {
        let manifest = p["manifest_path"].as_str().map(PathBuf::from);
        let dir = manifest
            .as_ref()
            .and_then(|m| m.parent())
            .map(Path::to_path_buf);
        if p["id"].as_str() == Some(root_id) {
            package = p["name"].as_str().map(str::to_string);
        } else if p["source"].is_null()
            && let Some(dir) = dir
        {
            path_deps.push(dir);
        }
    }
    let package = package.ok_or_else(|| BuildError::Metadata("root package not found".into()))?;
    // The SDK's checkout: the nearest ancestor of every path dependency holding a Cargo.toml
    // with a `[workspace]`, or the dependencies' common ancestor.
    let deps_root = common_ancestor(&path_deps).map(|common| {
        common
            .ancestors()
            .find(|a| {
                std::fs::read_to_string(a.join("Cargo.toml"))
                    .is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
            })
            .map(Path::to_path_buf)
            .unwrap_or(common)
    });
    Ok(Metadata {
        package,
        path_deps,
        deps_root,
    })
}

fn common_ancestor(dirs: &[PathBuf]) -> Option<PathBuf> {
    let mut common = dirs.first()?.clone();
    for d in dirs {
        while !d.starts_with(&common) {
            common = common.parent()?.to_path_buf();
        }
    }
    Some(common)
}

/// Copies `from` into `to`, skipping `target` directories and hidden entries but `.cargo`.
fn copy_tree(from: &Path, to: &Path) -> Result<(), BuildError> {
    std::fs::create_dir_all(to).map_err(io("creating", to))?;
    for entry in std::fs::read_dir(from).map_err(io("reading", from))? {
        let entry = entry.map_err(io("reading", from))?;
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        if name_str == "target" || (name_str.starts_with('.') && name_str != ".cargo") {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        let kind = entry.file_type().map_err(io("reading", &src))?;
        if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).map_err(io("copying", &src))?;
        }
    }
    Ok(())
}

/// Rewrites every `path = "..."` of `manifest` that resolves (from `base`) to a directory that
/// `relocate` maps, to the new location; returns the new text.
fn relocate_paths(text: &str, base: &Path, relocate: &dyn Fn(&Path) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("path") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let parsed = tail["path".len()..]
            .trim_start()
            .strip_prefix('=')
            .map(str::trim_start)
            .and_then(|t| t.strip_prefix('"'))
            .and_then(|t| t.find('"').map(|end| (t, end)));
        match parsed {
            Some((quoted, end)) => {
                let written = &quoted[..end];
                let target = base.join(written);
                let resolved = target.canonicalize().unwrap_or(target);
                let consumed = tail.len() - quoted.len() + end + 1;
                match relocate(&resolved) {
                    Some(new) => out.push_str(&format!("path = \"{new}\"")),
                    None => out.push_str(&tail[..consumed]),
                }
                rest = &tail[consumed..];
            }
            None => {
                out.push_str("path");
                rest = &tail["path".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn build_locked(crate_dir: &Path, meta: &Metadata, root: &Path) -> Result<Built, BuildError> {
    let contract = root.join("contract");
    let deps = root.join("shortcrust");
    for dir in [&contract, &deps] {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io("clearing", dir))?;
        }
    }
    copy_tree(crate_dir, &contract)?;
    // The contract's path dependencies, relocated under `shortcrust/` as they lie in their
    // checkout.
    let deps_root = meta.deps_root.clone();
    let relocate = |p: &Path| -> Option<String> {
        if p.starts_with(crate_dir) {
            return None;
        }
        let rel = p.strip_prefix(deps_root.as_ref()?).ok()?;
        Some(format!("../shortcrust/{}", rel.display()))
    };
    let manifest = contract.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(io("reading", &manifest))?;
    let text = relocate_paths(&text, crate_dir, &relocate);
    std::fs::write(&manifest, text).map_err(io("writing", &manifest))?;
    if let Some(deps_root) = &meta.deps_root {
        let mut members = Vec::new();
        for dir in &meta.path_deps {
            let Ok(rel) = dir.strip_prefix(deps_root) else {
                continue;
            };
            copy_tree(dir, &deps.join(rel))?;
            members.push(format!("\"{}\"", rel.display()));
        }
        // The checkout's workspace manifest, its members cut to what was copied, so that the
        // dependencies' `workspace = true` fields resolve as in the checkout.
        let root_manifest = deps_root.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&root_manifest) {
            members.sort();
            let text = replace_members(&text, &members.join(", "));
            let dst = deps.join("Cargo.toml");
            std::fs::write(&dst, text).map_err(io("writing", &dst))?;
        }
    }

    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut flags = vec![
        format!("\"--remap-path-prefix={}=/build\"", root.display()),
        "\"-C\"".to_string(),
        "\"link-arg=-zstack-size=65536\"".to_string(),
        // A declared maximum of 4 pages (256 KiB) puts the contract's loads and stores in the
        // cheapest gas tier (`shortcrust_vm::gas::instructions::MEMORY_TIERS`); a contract that
        // needs more memory raises it (`--max-memory` in its own `.cargo/config.toml`).
        "\"-C\"".to_string(),
        "\"link-arg=--max-memory=262144\"".to_string(),
    ];
    if let Some(home) = cargo_home {
        flags.push(format!("\"--remap-path-prefix={}=/cargo\"", home.display()));
    }
    let target_dir = root.join("target");
    let mut command = Command::new(cargo());
    command
        .current_dir(&contract)
        .args([
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "--target-dir",
        ])
        .arg(&target_dir)
        .args([
            "--config",
            &format!("target.{WASM_TARGET}.rustflags=[{}]", flags.join(",")),
        ]);
    for (key, value) in [
        ("opt-level", "\"s\""),
        ("lto", "true"),
        ("codegen-units", "1"),
        ("panic", "\"abort\""),
        ("debug", "false"),
        ("strip", "\"symbols\""),
        ("incremental", "false"),
    ] {
        command.args(["--config", &format!("profile.release.{key}={value}")]);
    }
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        command.env_remove(var);
    }
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CARGO_PROFILE_") {
            command.env_remove(name);
        }
    }
    let output = command
        .output()
        .map_err(|e| BuildError::Cargo(e.to_string()))?;
    if !output.status.success() {
        return Err(BuildError::CargoFailed {
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    // Keep the resolved versions with the crate, as cargo would.
    let lock = contract.join("Cargo.lock");
    if lock.is_file() {
        let _ = std::fs::copy(&lock, crate_dir.join("Cargo.lock"));
    }
    let artifact = target_dir
        .join(WASM_TARGET)
        .join("release")
        .join(format!("{}.wasm", meta.package.replace('-', "_")));
    let raw = std::fs::read(&artifact).map_err(io("reading", &artifact))?;
    let wasm = strip_custom_sections(&raw)?;
    let out_dir = crate_dir.join("target").join("shortcrust");
    std::fs::create_dir_all(&out_dir).map_err(io("creating", &out_dir))?;
    let path = out_dir.join(format!("{}.wasm", meta.package));
    std::fs::write(&path, &wasm).map_err(io("writing", &path))?;
    Ok(Built {
        package: meta.package.clone(),
        code_hash: shortcrust_store::code_hash(&wasm),
        wasm,
        path,
    })
}

/// `members = [...]` of a workspace manifest replaced by `members = [list]`.
fn replace_members(text: &str, list: &str) -> String {
    let Some(start) = text.find("members") else {
        return text.to_string();
    };
    let Some(open) = text[start..].find('[').map(|i| start + i) else {
        return text.to_string();
    };
    let Some(close) = text[open..].find(']').map(|i| open + i) else {
        return text.to_string();
    };
    format!("{}members = [{list}]{}", &text[..start], &text[close + 1..])
}

/// The module with every custom section but the schema removed.
pub fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>, BuildError> {
    let mut module = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| BuildError::Module(e.to_string()))?;
        if let wasmparser::Payload::CustomSection(c) = &payload
            && c.name() != shortcrust_abi::SCHEMA_SECTION
        {
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            module.section(&wasm_encoder::RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    Ok(module.finish())
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}
