//! The hostile contract tests the protocol's memory limit (`ModuleLimits::max_memory_pages`), so
//! it declares a maximum of 16 MiB, overriding the 256 KiB the workspace's rustflags set for
//! every example (wasm-ld keeps the last `--max-memory`; build-script link args come after
//! rustflags).
fn main() {
    println!("cargo:rustc-link-arg=--max-memory=16777216");
}
