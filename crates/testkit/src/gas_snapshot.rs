//! Gas snapshots (Foundry's `forge snapshot --check`): a test records the gas of named cases
//! into a file in the contract crate; later runs compare against it and fail with a readable
//! diff when gas moved beyond a tolerance.
//!
//! The file is plain text, one `name gas` line per case, sorted by name, so a change to it reads
//! well in review. Set `SHORTCRUST_GAS_SNAPSHOT=update` to (re)write it deliberately; a case
//! missing from the file is an error in check mode, so a new case is never accepted silently.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::trace::group;

/// The environment variable that switches snapshots to update mode.
pub const UPDATE_VAR: &str = "SHORTCRUST_GAS_SNAPSHOT";

/// What a check found.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error(
        "gas snapshot {path} differs (tolerance {tolerance_pct}%):\n{diff}\nIf intended, rerun with {UPDATE_VAR}=update"
    )]
    Changed {
        path: PathBuf,
        tolerance_pct: f64,
        diff: String,
    },
    #[error("reading or writing the gas snapshot {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the gas snapshot {path} is malformed at line {line}: {text:?}")]
    Malformed {
        path: PathBuf,
        line: usize,
        text: String,
    },
}

/// Records gas per named case; [`GasSnapshot::finish`] checks or updates the file.
#[derive(Debug)]
pub struct GasSnapshot {
    path: PathBuf,
    tolerance_pct: f64,
    cases: BTreeMap<String, u64>,
}

impl GasSnapshot {
    /// A snapshot kept in `path` (conventionally `.gas-snapshot` in the contract crate), with
    /// no tolerance: gas is deterministic, so any change is a change.
    pub fn new(path: impl AsRef<Path>) -> Self {
        Self {
            path: path.as_ref().to_path_buf(),
            tolerance_pct: 0.0,
            cases: BTreeMap::new(),
        }
    }

    /// Accepts changes of at most `percent` % either way.
    pub fn tolerance(mut self, percent: f64) -> Self {
        self.tolerance_pct = percent;
        self
    }

    /// Records `gas` for `name`.
    pub fn record(&mut self, name: &str, gas: u64) {
        self.cases.insert(name.to_string(), gas);
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for (name, gas) in &self.cases {
            let _ = writeln!(out, "{name} {gas}");
        }
        out
    }

    fn read(&self) -> Result<BTreeMap<String, u64>, SnapshotError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(SnapshotError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let mut cases = BTreeMap::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let malformed = || SnapshotError::Malformed {
                path: self.path.clone(),
                line: i + 1,
                text: line.to_string(),
            };
            let (name, gas) = line.rsplit_once(' ').ok_or_else(malformed)?;
            let gas = gas.parse().map_err(|_| malformed())?;
            cases.insert(name.to_string(), gas);
        }
        Ok(cases)
    }

    /// In update mode (`SHORTCRUST_GAS_SNAPSHOT=update`) writes the file; otherwise compares
    /// every recorded case with it and returns a readable diff of those out of tolerance, of
    /// new cases and of cases no longer recorded.
    pub fn finish(self) -> Result<(), SnapshotError> {
        if std::env::var(UPDATE_VAR).is_ok_and(|v| v == "update") {
            return std::fs::write(&self.path, self.render()).map_err(|source| SnapshotError::Io {
                path: self.path.clone(),
                source,
            });
        }
        self.check()
    }

    /// The comparison of [`GasSnapshot::finish`], whatever the environment says.
    pub fn check(self) -> Result<(), SnapshotError> {
        let pinned = self.read()?;
        let mut diff = String::new();
        for (name, gas) in &self.cases {
            match pinned.get(name) {
                None => {
                    let _ = writeln!(diff, "  + {name}: {} (new case)", group(*gas));
                }
                Some(old) => {
                    let change = *gas as f64 / (*old).max(1) as f64 * 100.0 - 100.0;
                    if change.abs() > self.tolerance_pct {
                        let _ = writeln!(
                            diff,
                            "  ~ {name}: {} → {} ({change:+.2}%)",
                            group(*old),
                            group(*gas)
                        );
                    }
                }
            }
        }
        for (name, gas) in &pinned {
            if !self.cases.contains_key(name) {
                let _ = writeln!(diff, "  - {name}: {} (no longer recorded)", group(*gas));
            }
        }
        if diff.is_empty() {
            Ok(())
        } else {
            Err(SnapshotError::Changed {
                path: self.path,
                tolerance_pct: self.tolerance_pct,
                diff,
            })
        }
    }
}
