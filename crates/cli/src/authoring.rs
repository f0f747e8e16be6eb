//! `shortcrust new NAME` and `shortcrust build [PATH]`: start a contract crate that builds and
//! passes its test at once, and build one reproducibly (see `shortcrust_testkit::build`).
//!
//! Where the SDK comes from: a path dependency on the checkout this binary was built from
//! (`CHECKOUT`, fixed at compile time), or on `--sdk DIR`, another checkout. The new crate also
//! starts from that checkout's `Cargo.lock`, so it resolves to versions already built there
//! (and builds offline).

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use crate::error::CliError;
use crate::format::labelled;
use crate::report::Report;

/// The checkout this binary was built from.
const CHECKOUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

const CARGO_TOML: &str = include_str!("../templates/contract/Cargo.toml.tmpl");
const LIB_RS: &str = include_str!("../templates/contract/src/lib.rs");
const TEST_RS: &str = include_str!("../templates/contract/tests/contract.rs");
const README: &str = include_str!("../templates/contract/README.md");

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The crate's name (and directory): lower case letters, digits, `-` and `_`.
    pub name: String,
    /// The Shortcrust checkout to take the SDK and the test harness from.
    #[arg(long, value_name = "DIR")]
    pub sdk: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The contract crate (default: the current directory).
    #[arg(default_value = ".")]
    pub path: PathBuf,
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 64
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| CliError::WriteFile {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| CliError::WriteFile {
        path: path.to_path_buf(),
        source,
    })
}

pub fn new(args: &NewArgs) -> Result<Report, CliError> {
    if !valid_name(&args.name) {
        return Err(CliError::input(
            "NAME",
            "a crate name starts with a lower-case letter and has only a-z, 0-9, - and _",
        ));
    }
    let dir = PathBuf::from(&args.name);
    if dir.exists() {
        return Err(CliError::input(
            "NAME",
            format!("{} already exists", dir.display()),
        ));
    }
    let checkout = args.sdk.clone().unwrap_or_else(|| PathBuf::from(CHECKOUT));
    let checkout = checkout
        .canonicalize()
        .map_err(|source| CliError::ReadFile {
            path: checkout.clone(),
            source,
        })?;
    let sdk = checkout.join("crates").join("sdk");
    if !sdk.join("Cargo.toml").is_file() {
        return Err(CliError::input(
            "--sdk",
            format!(
                "{} is not a Shortcrust checkout (no crates/sdk)",
                checkout.display()
            ),
        ));
    }
    let fill = |text: &str| {
        text.replace("{{name}}", &args.name)
            .replace("{{sdk}}", &sdk.display().to_string())
            .replace(
                "{{testkit}}",
                &checkout
                    .join("crates")
                    .join("testkit")
                    .display()
                    .to_string(),
            )
    };
    write(&dir.join("Cargo.toml"), &fill(CARGO_TOML))?;
    write(&dir.join("src").join("lib.rs"), &fill(LIB_RS))?;
    write(&dir.join("tests").join("contract.rs"), &fill(TEST_RS))?;
    write(&dir.join("README.md"), &fill(README))?;
    write(&dir.join(".gitignore"), "/target\n")?;
    if let Ok(lock) = std::fs::read_to_string(checkout.join("Cargo.lock")) {
        write(&dir.join("Cargo.lock"), &lock)?;
    }
    let lines = vec![
        ("created".to_string(), dir.display().to_string()),
        ("sdk".to_string(), sdk.display().to_string()),
        (
            "next".to_string(),
            format!(
                "shortcrust build {}   then   cd {} && cargo test",
                args.name, args.name
            ),
        ),
    ];
    Ok(Report {
        json: json!({"ok": true, "error": null, "path": dir.display().to_string(), "sdk": sdk.display().to_string()}),
        text: labelled(&lines),
        success: true,
    })
}

pub fn build(args: &BuildArgs) -> Result<Report, CliError> {
    let built = shortcrust_testkit::build::build_contract(&args.path)
        .map_err(|e| CliError::input("PATH", e.to_string()))?;
    let hash = hex::encode(built.code_hash);
    let lines = vec![
        ("package".to_string(), built.package.clone()),
        ("module".to_string(), built.path.display().to_string()),
        ("size".to_string(), format!("{} bytes", built.wasm.len())),
        ("code hash".to_string(), hash.clone()),
    ];
    Ok(Report {
        json: json!({
            "ok": true,
            "error": null,
            "package": built.package,
            "path": built.path.display().to_string(),
            "size": built.wasm.len(),
            "code_hash": hash,
        }),
        text: labelled(&lines),
        success: true,
    })
}
