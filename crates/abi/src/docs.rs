//! Renders `docs/host-functions.md` from the ABI table and checks the committed file matches, so
//! the reference page can never drift from the one declaration.
//!
//! After changing the table: `UPDATE_DOCS=1 cargo test -p shortcrust-abi` rewrites the page.

extern crate std;

use std::format;
use std::string::String;

use crate::{HOST_FUNCTIONS, IMPORT_MODULE, ValType};

fn ty(t: ValType) -> &'static str {
    match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
    }
}

/// The whole page.
pub fn render() -> String {
    let mut out = String::new();
    out.push_str("# Host functions, ABI version 1\n\n");
    out.push_str("<!-- Generated from crates/abi/src/host_functions.rs by `UPDATE_DOCS=1 cargo test -p shortcrust-abi`. Do not edit. -->\n\n");
    out.push_str(&format!(
        "Every function is imported from the WASM module `{IMPORT_MODULE}`. Pointers and lengths are `i32` offsets into the\n\
         contract's exported `memory`, bounds-checked by the host (out of bounds traps the frame). Gas is charged before\n\
         the work from argument sizes only; the price of each gas key is printed by `shortcrust gas` and pinned in\n\
         `docs/gas-schedule-v1.txt`. Status codes: `1` valid, `0` invalid, negative for malformed input\n\
         (`crates/abi/src/status.rs`).\n\n"
    ));
    out.push_str("| function | signature | since | gas key |\n|---|---|---|---|\n");
    for f in HOST_FUNCTIONS {
        out.push_str(&format!(
            "| [`{}`](#{}) | `{}` | {} | `{:?}` |\n",
            f.name,
            f.name,
            signature(f),
            f.since,
            f.gas
        ));
    }
    for f in HOST_FUNCTIONS {
        out.push_str(&format!("\n## {}\n\n`{}`\n\n", f.name, signature(f)));
        for line in f.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
    }
    out
}

fn signature(f: &crate::HostFnDecl) -> String {
    let mut s = format!("({})", {
        let params: std::vec::Vec<_> = f
            .params
            .iter()
            .zip(f.param_names)
            .map(|(t, n)| format!("{n}: {}", ty(*t)))
            .collect();
        params.join(", ")
    });
    if let Some(r) = f.result {
        s.push_str(&format!(" -> {}", ty(r)));
    }
    s
}

#[test]
fn committed_reference_page_matches_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/host-functions.md");
    let rendered = render();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &rendered).expect("write docs/host-functions.md");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/host-functions.md is out of date: run `UPDATE_DOCS=1 cargo test -p shortcrust-abi`"
    );
}
