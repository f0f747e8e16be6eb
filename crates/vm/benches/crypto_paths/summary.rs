//! The crypto-path benchmark's summary: after criterion has run, reads the medians it wrote
//! (`<criterion dir>/<group>/<case>/<path>/new/estimates.json`) and prints one markdown table
//! with the three paths side by side and their ratios, ready for BENCHMARKS.md.
//!
//! Only estimates written by this run are used (file modified after the run started), so a
//! filtered run never mixes in stale figures: rows it did not measure are left out.

use std::path::PathBuf;
use std::time::SystemTime;

/// The four paths measured for each row, in table order.
pub const PATHS: [&str; 4] = ["native", "host", "pure_plain", "pure_wide"];

/// Group name of a host function's rows.
pub fn group_name(function: &str) -> String {
    format!("crypto_paths_{function}")
}

/// One row of the table: a host function and a case (size, scheme, cache state).
pub struct Row {
    pub function: &'static str,
    pub case: String,
}

/// Where criterion writes its results: as criterion itself decides, minus its `cargo metadata`
/// fallback (the repository's `target/`, which is where cargo puts it for this workspace).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    super::pure_build::repo_root()
        .join("target")
        .join("criterion")
}

/// The median, in nanoseconds, criterion measured for `group/case/path` in this run.
fn median_ns(group: &str, case: &str, path: &str, since: SystemTime) -> Option<f64> {
    let file = criterion_dir()
        .join(group)
        .join(case)
        .join(path)
        .join("new/estimates.json");
    let modified = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
    if modified < since {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("median")?.get("point_estimate")?.as_f64()
}

/// A duration for humans: ns, µs or ms with three significant digits.
fn duration(ns: Option<f64>) -> String {
    match ns {
        None => "—".to_string(),
        Some(ns) if ns < 1_000.0 => format!("{ns:.0} ns"),
        Some(ns) if ns < 1_000_000.0 => format!("{:.3} µs", ns / 1e3),
        Some(ns) => format!("{:.3} ms", ns / 1e6),
    }
}

fn ratio(numerator: Option<f64>, denominator: Option<f64>) -> String {
    match (numerator, denominator) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "—".to_string(),
    }
}

/// Prints the markdown table of every row measured in this run.
pub fn print_table(rows: &[Row], since: SystemTime) {
    println!();
    println!(
        "## crypto paths: medians of this run ({})",
        criterion_dir().display()
    );
    println!();
    println!(
        "| host function | case | native | host (via `verifier`) | pure WASM | pure WASM + wide | \
         host / native | pure / host | pure+wide / host |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let group = group_name(row.function);
        let [native, host, plain, wide] =
            PATHS.map(|path| median_ns(&group, &row.case, path, since));
        if native.is_none() && host.is_none() && plain.is_none() && wide.is_none() {
            continue;
        }
        println!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.function,
            row.case,
            duration(native),
            duration(host),
            duration(plain),
            duration(wide),
            ratio(host, native),
            ratio(plain, host),
            ratio(wide, host),
        );
    }
}

/// Prints the fixed host-call overhead derived from the `host_call_overhead` group: a loop of
/// 1,000 `sha256` calls on 0 bytes inside a contract, the same loop without the calls, and 1,000
/// native `sha256` calls on 0 bytes.
pub fn print_overhead(group: &str, since: SystemTime, calls: f64) {
    let get = |path: &str| median_ns(group, "x1000", path, since);
    let (with, without, native) = (
        get("contract_loop"),
        get("contract_loop_without_call"),
        get("native"),
    );
    println!();
    if let (Some(with), Some(without), Some(native)) = (with, without, native) {
        let per_call = (with - without) / calls;
        let native_per_call = native / calls;
        println!(
            "fixed host-call overhead: sha256(0 B) from a contract {per_call:.0} ns per call \
             (loop {} − empty loop {}, / {calls}), natively {native_per_call:.0} ns: \
             overhead {:.0} ns per call (target ≤ 100 ns)",
            duration(Some(with)),
            duration(Some(without)),
            per_call - native_per_call,
        );
    }
}
