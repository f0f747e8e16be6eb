//! Parsing of command-line values (hex, ids, files) and the human-readable formatting of
//! output: numbers with thousands separators, aligned `label  value` blocks and plain tables.
//!
//! Tables are formatted by hand rather than with a table crate: they are a few aligned columns,
//! and one dependency fewer is one build-time and audit cost fewer.

use std::path::Path;

use shortcrust_vm::{ContractId, Root};

use crate::error::CliError;

/// Decodes hex given on the command line: an optional `0x` prefix, surrounding whitespace
/// ignored, an empty string is no bytes. `what` names the argument in the error.
pub fn parse_hex(what: &str, text: &str) -> Result<Vec<u8>, CliError> {
    let trimmed = text.trim();
    let digits = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
        .unwrap_or(trimmed);
    hex::decode(digits).map_err(|e| CliError::input(what, format!("not valid hex ({e})")))
}

/// Decodes exactly 32 bytes of hex.
pub fn parse_hex32(what: &str, text: &str) -> Result<[u8; 32], CliError> {
    let bytes = parse_hex(what, text)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
        CliError::input(
            what,
            format!("expected 32 bytes (64 hex digits), got {}", bytes.len()),
        )
    })
}

/// A contract id: 64 hex digits.
pub fn parse_contract_id(text: &str) -> Result<ContractId, CliError> {
    parse_hex32("contract id", text).map(ContractId)
}

/// A state root: 64 hex digits.
pub fn parse_root(text: &str) -> Result<Root, CliError> {
    parse_hex32("root", text).map(Root)
}

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| CliError::ReadFile {
        path: path.to_path_buf(),
        source,
    })
}

/// A number with `,` between groups of three digits: `12,345,678`.
pub fn gas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Hex, or `(empty)` for no bytes.
pub fn hex_or_empty(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "(empty)".to_string()
    } else {
        hex::encode(bytes)
    }
}

/// Bytes as text when they are non-empty UTF-8 without control characters.
pub fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|s| !s.is_empty() && s.chars().all(|c| !c.is_control()))
}

/// Bytes as text when they are printable UTF-8 (storage keys and event topics usually are),
/// else as `0x`-prefixed hex.
pub fn printable(bytes: &[u8]) -> String {
    match as_text(bytes) {
        Some(s) => s.to_string(),
        None => format!("0x{}", hex::encode(bytes)),
    }
}

/// `label  value` lines with the values aligned.
pub fn labelled(lines: &[(String, String)]) -> String {
    let width = lines
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, value) in lines {
        let pad = width - label.chars().count();
        out.push_str(&format!("{label}{}  {value}\n", " ".repeat(pad)));
    }
    out
}

/// Horizontal alignment of a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A plain-text table: a header row, a rule, then the rows, columns separated by two spaces.
pub struct Table {
    headers: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[(&str, Align)]) -> Self {
        Table {
            headers: headers.iter().map(|(h, a)| (h.to_string(), *a)).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let columns = self.headers.len();
        let cell = |row: &Vec<String>, i: usize| row.get(i).cloned().unwrap_or_default();
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| cell(r, i).chars().count())
                    .chain(std::iter::once(self.headers[i].0.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<String>| {
            let mut out = String::new();
            for (i, text) in cells.iter().enumerate() {
                let pad = " ".repeat(widths[i] - text.chars().count());
                if i > 0 {
                    out.push_str("  ");
                }
                match self.headers[i].1 {
                    Align::Left => {
                        out.push_str(text);
                        out.push_str(&pad);
                    }
                    Align::Right => {
                        out.push_str(&pad);
                        out.push_str(text);
                    }
                }
            }
            out.trim_end().to_string() + "\n"
        };
        let mut out = line(self.headers.iter().map(|(h, _)| h.clone()).collect());
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        out.push_str(&line(rule));
        for row in &self.rows {
            out.push_str(&line((0..columns).map(|i| cell(row, i)).collect()));
        }
        out
    }
}

/// Shortens `text` to at most `max` characters, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_accepts_prefix_and_whitespace_and_names_the_argument() {
        assert_eq!(parse_hex("x", " 0xAbcd ").ok(), Some(vec![0xab, 0xcd]));
        assert_eq!(parse_hex("x", "").ok(), Some(vec![]));
        let err = parse_hex("--input", "abc").err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.starts_with("--input: not valid hex")));
        let err = parse_hex32("contract id", "00")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("contract id: expected 32 bytes (64 hex digits), got 1")
        );
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(gas(0), "0");
        assert_eq!(gas(999), "999");
        assert_eq!(gas(1_000), "1,000");
        assert_eq!(gas(12_345_678), "12,345,678");
        assert_eq!(gas(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn tables_align_columns() {
        let mut t = Table::new(&[("name", Align::Left), ("gas", Align::Right)]);
        t.row(vec!["a".into(), "1,000".into()]);
        t.row(vec!["longer".into(), "5".into()]);
        assert_eq!(
            t.render(),
            "name      gas\n──────  ─────\na       1,000\nlonger      5\n"
        );
    }

    #[test]
    fn printable_falls_back_to_hex() {
        assert_eq!(printable(b"count"), "count");
        assert_eq!(printable(&[0x62, 0x00]), "0x6200");
        assert_eq!(printable(b""), "0x");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
