//! Running the binary and reading its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout parsed as exactly one JSON object (fails the test otherwise).
    pub fn json(&self) -> Value {
        let value: Value = serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON object ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        });
        assert!(value.is_object(), "not an object: {value}");
        value
    }
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `shortcrust ARGS` with no state directory in the environment.
pub fn shortcrust(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_shortcrust"))
        .args(args)
        .env_remove("SHORTCRUST_STATE")
        .output()
        .expect("the binary runs");
    finish(output)
}

/// Runs `shortcrust ARGS` with `SHORTCRUST_STATE` set to `state`.
pub fn shortcrust_in(state: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_shortcrust"))
        .args(args)
        .env("SHORTCRUST_STATE", state)
        .output()
        .expect("the binary runs");
    finish(output)
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write a test file");
    path
}

/// A path as `&str` (the temp dirs used here are UTF-8).
pub fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}
