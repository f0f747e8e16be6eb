//! `shortcrust keys`: Ed25519 keys in a local keystore directory (`--keys DIR`,
//! `SHORTCRUST_KEYS`, default `~/.shortcrust/keys`).
//!
//! **Development tooling, not a wallet**: each key is a file `NAME.key` holding the 32-byte
//! secret key in hex, *unencrypted*, readable by its owner only (mode 0600, in a 0700
//! directory). Anyone who can read the file can spend from the account.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;
use shortcrust_chain::{AccountId, SigningKey};

use crate::error::CliError;
use crate::report::Report;

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Create a new random key NAME.
    New { name: String },
    /// Import a key NAME from its 32-byte secret key in hex (e.g. a dev account of
    /// `shortcrust node --dev`).
    Import { name: String, secret: String },
    /// List the keys and their accounts.
    List,
    /// Show a key's public key and account id (never the secret).
    Show { name: String },
}

/// The keystore directory: `--keys`, else `~/.shortcrust/keys`.
pub fn keystore(dir: Option<&Path>) -> Result<PathBuf, CliError> {
    if let Some(d) = dir {
        return Ok(d.to_path_buf());
    }
    let home = std::env::var_os("HOME")
        .ok_or_else(|| CliError::input("--keys", "no HOME: give the keystore with --keys DIR"))?;
    Ok(PathBuf::from(home).join(".shortcrust").join("keys"))
}

fn check_name(name: &str) -> Result<(), CliError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(CliError::input(
            "NAME",
            "a key name is 1-64 characters of letters, digits, '-' and '_'",
        ))
    }
}

/// Loads key `name` from the keystore.
pub fn load(store: &Path, name: &str) -> Result<SigningKey, CliError> {
    check_name(name)?;
    let path = store.join(format!("{name}.key"));
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::ReadFile {
        path: path.clone(),
        source,
    })?;
    parse_secret(text.trim())
        .map_err(|reason| CliError::input(format!("key file {}", path.display()), reason))
}

fn parse_secret(text: &str) -> Result<SigningKey, String> {
    let bytes = hex::decode(text).map_err(|e| format!("not hex ({e})"))?;
    let seed: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "a secret key is 32 bytes (64 hex digits)".to_string())?;
    Ok(SigningKey::from_bytes(&seed))
}

fn save(store: &Path, name: &str, key: &SigningKey) -> Result<PathBuf, CliError> {
    check_name(name)?;
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CliError::WriteFile { path, source }
    };
    std::fs::create_dir_all(store).map_err(write_err(store))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(store, std::fs::Permissions::from_mode(0o700))
            .map_err(write_err(store))?;
    }
    let path = store.join(format!("{name}.key"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            CliError::input("NAME", format!("key {name} already exists"))
        } else {
            CliError::WriteFile {
                path: path.clone(),
                source,
            }
        }
    })?;
    file.write_all(format!("{}\n", hex::encode(key.to_bytes())).as_bytes())
        .map_err(write_err(&path))?;
    Ok(path)
}

fn describe(name: &str, key: &SigningKey) -> serde_json::Value {
    json!({
        "name": name,
        "public_key": hex::encode(key.verifying_key().as_bytes()),
        "account": AccountId::from(&key.verifying_key()).to_string(),
    })
}

fn random_key() -> Result<SigningKey, CliError> {
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut seed))
        .map_err(|source| CliError::ReadFile {
            path: PathBuf::from("/dev/urandom"),
            source,
        })?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn keys(store: &Path, command: &KeysCommand) -> Result<Report, CliError> {
    let one = |name: &str, key: &SigningKey, verb: &str| {
        let v = describe(name, key);
        Report {
            text: format!(
                "{verb}key {name}\n  public key  {}\n  account     {}\n",
                v["public_key"].as_str().unwrap_or(""),
                v["account"].as_str().unwrap_or("")
            ),
            json: json!({"ok": true, "error": null, "key": v}),
            success: true,
        }
    };
    match command {
        KeysCommand::New { name } => {
            let key = random_key()?;
            let path = save(store, name, &key)?;
            let mut r = one(name, &key, "created ");
            r.text.push_str(&format!(
                "  file        {} (unencrypted, mode 0600)\n",
                path.display()
            ));
            Ok(r)
        }
        KeysCommand::Import { name, secret } => {
            let key = parse_secret(secret.trim()).map_err(|r| CliError::input("SECRET", r))?;
            save(store, name, &key)?;
            Ok(one(name, &key, "imported "))
        }
        KeysCommand::Show { name } => Ok(one(name, &load(store, name)?, "")),
        KeysCommand::List => {
            let mut names = Vec::new();
            if let Ok(entries) = std::fs::read_dir(store) {
                for entry in entries.flatten() {
                    let file = entry.file_name().to_string_lossy().to_string();
                    if let Some(name) = file.strip_suffix(".key") {
                        names.push(name.to_string());
                    }
                }
            }
            names.sort();
            let mut list = Vec::new();
            let mut text = String::new();
            for name in &names {
                if let Ok(key) = load(store, name) {
                    let v = describe(name, &key);
                    text.push_str(&format!(
                        "{name:<20} {}\n",
                        v["account"].as_str().unwrap_or("")
                    ));
                    list.push(v);
                }
            }
            if list.is_empty() {
                text.push_str(&format!("no keys in {}\n", store.display()));
            }
            Ok(Report {
                json: json!({"ok": true, "error": null, "keys": list}),
                text,
                success: true,
            })
        }
    }
}
