//! The cold-storage workloads' machinery: their contract, the 10⁶-key state they read and
//! write, and the wall-clock timing of one call (and its commit) with the OS page cache dropped
//! (see the parent module's docs, "Clocks", for why these workloads alone are timed in wall
//! time).

/// The cold-storage workloads' contract, around `access`, the loop's work on the key at 32
/// (8 bytes): `fill` writes keys `start..start+count` (8-byte little-endian, value the same
/// 8 bytes); `run` takes `$n` keys at pseudo-random indexes below the count given in the
/// input's second word (`$x` is the generator's state, `$a` a sum kept so the work is used).
fn cold_storage_wat(access: &str) -> String {
    format!(
        r#"(module
  (import "shortcrust_v1" "input_read" (func $input (param i32)))
  (import "shortcrust_v1" "output_write" (func $out (param i32 i32)))
  (import "shortcrust_v1" "storage_read" (func $sr (param i32 i32 i32 i32) (result i32)))
  (import "shortcrust_v1" "storage_write" (func $sw (param i32 i32 i32 i32)))
  (memory (export "memory") 1 4)
  (func (export "fill") (local $i i64) (local $end i64)
    (call $input (i32.const 0))
    (local.set $i (i64.load (i32.const 0)))
    (local.set $end (i64.add (local.get $i) (i64.load (i32.const 8))))
    (block $done (loop $l
      (br_if $done (i64.ge_u (local.get $i) (local.get $end)))
      (i64.store (i32.const 32) (local.get $i))
      (call $sw (i32.const 32) (i32.const 8) (i32.const 32) (i32.const 8))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l))))
  (func (export "run") (local $i i64) (local $keys i64) (local $x i64) (local $a i64)
    (call $input (i32.const 0))
    (local.set $i (i64.load (i32.const 0)))
    (local.set $keys (i64.load (i32.const 8)))
    (local.set $x (i64.const 0x9E3779B97F4A7C15))
    (block $done (loop $l
      (br_if $done (i64.eqz (local.get $i)))
      (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005)) (i64.const 1442695040888963407)))
      (i64.store (i32.const 32) (i64.rem_u (i64.shr_u (local.get $x) (i64.const 11)) (local.get $keys)))
      {access}
      (local.set $i (i64.sub (local.get $i) (i64.const 1)))
      (br $l)))
    (i64.store (i32.const 64) (local.get $a))
    (call $out (i32.const 64) (i32.const 8))))"#
    )
}

/// `storage_read_cold`: `run` reads each key (its value into 48).
pub(super) fn cold_read_wat() -> String {
    cold_storage_wat(
        "(drop (call $sr (i32.const 32) (i32.const 8) (i32.const 48) (i32.const 8)))
      (local.set $a (i64.add (local.get $a) (i64.load (i32.const 48))))",
    )
}

/// `storage_write_cold`: `run` *writes* each key (an existing key, given a new value: the
/// generator's state, so the commit really rewrites its path), none of them read first, so the
/// commit must read every key's Merkle path from the disk; the timed call includes that commit
/// ([`cold_call`]). It checks that `gas::STORAGE_WRITE_BASE` covers the commit's cold reads.
pub(super) fn cold_write_wat() -> String {
    cold_storage_wat(
        "(i64.store (i32.const 40) (local.get $x))
      (call $sw (i32.const 32) (i32.const 8) (i32.const 40) (i32.const 8))
      (local.set $a (i64.add (local.get $a) (i64.load (i32.const 40))))",
    )
}

/// A VM on `dir` whose state holds the workload contract `code` with `keys` keys written by
/// its `fill` entry (committed in chunks), and a session on it.
pub(super) fn fill_state(
    dir: &std::path::Path,
    code: &[u8],
    config: &shortcrust_vm::SessionConfig,
    keys: u64,
) -> Result<(shortcrust_vm::Session, shortcrust_abi::ContractId), String> {
    use shortcrust_vm::{DeployOptions, Vm};
    let vm = Vm::open(dir).map_err(|e| e.to_string())?;
    let mut session = vm.session(config.clone()).map_err(|e| e.to_string())?;
    let id = session
        .deploy(code, DeployOptions::default())
        .map_err(|e| e.to_string())?
        .id;
    const CHUNK: u64 = 50_000;
    let mut start = 0;
    while start < keys {
        let count = CHUNK.min(keys - start);
        let mut input = start.to_le_bytes().to_vec();
        input.extend(count.to_le_bytes());
        let receipt = session
            .call(id, "fill", &input, u64::MAX / 2)
            .map_err(|e| e.to_string())?;
        receipt.result.map_err(|e| e.to_string())?;
        session.commit().map_err(|e| e.to_string())?;
        session = vm.session(config.clone()).map_err(|e| e.to_string())?;
        start += count;
    }
    Ok((session, id))
}

/// Writes dirty pages back and drops the OS page cache (`sync; echo 1 >
/// /proc/sys/vm/drop_caches`), so that the next read of the state comes from the disk. `Err`
/// says why it could not (not root, a read-only `/proc`, not Linux): the caller then reports
/// the run as warm.
fn drop_page_cache() -> Result<(), String> {
    // SAFETY: `sync` takes no arguments, touches no memory of ours and cannot fail.
    unsafe { libc::sync() };
    std::fs::write("/proc/sys/vm/drop_caches", b"1")
        .map_err(|e| format!("writing 1 to /proc/sys/vm/drop_caches: {e}"))
}

/// Whether the cold runs of a state workload had the OS page cache dropped before them.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum PageCache {
    /// Dropped before every timed call: the reads came from the disk.
    Dropped,
    /// Could not be dropped (the reason): the state's pages may have been in memory.
    Warm(String),
}

/// One timed call of `run` with `input` on the state in `dir`, cold, in wall time (see the
/// module docs, "Clocks"): a fresh VM (empty node cache, empty redb cache), the page cache
/// dropped, then a call of 0 iterations that loads what every call needs (the compiled module
/// from the VM's module cache, an instance, the contract's record and the top of its storage
/// tree) so that the timed call differs from it by its reads only. The timed part ends with the
/// session's commit (durable, as a node's), since a write's cost is paid there: the Merkle
/// paths of the written keys are read and rewritten; for a call that only reads, the commit
/// is the same small constant at both sizes, and cancels in the difference of two runs.
/// Returns the wall nanoseconds of the timed call and commit, and the call's receipt.
pub(super) fn cold_call(
    dir: &std::path::Path,
    config: &shortcrust_vm::SessionConfig,
    id: shortcrust_abi::ContractId,
    input: &[u8],
    page_cache: &mut PageCache,
) -> Result<(f64, shortcrust_vm::Receipt), String> {
    let vm = shortcrust_vm::Vm::open(dir).map_err(|e| e.to_string())?;
    let mut session = vm.session(config.clone()).map_err(|e| e.to_string())?;
    if let Err(why) = drop_page_cache() {
        *page_cache = PageCache::Warm(why);
    }
    let limit = u64::MAX / 2;
    let mut empty = input.to_vec();
    empty[..8].copy_from_slice(&0u64.to_le_bytes());
    let warm_up = session
        .call(id, "run", &empty, limit)
        .map_err(|e| e.to_string())?;
    warm_up.result.map_err(|e| e.to_string())?;
    let start = std::time::Instant::now();
    let receipt = session
        .call(id, "run", input, limit)
        .map_err(|e| e.to_string())?;
    if let Err(e) = &receipt.result {
        return Err(e.to_string());
    }
    session.commit().map_err(|e| e.to_string())?;
    let ns = start.elapsed().as_nanos() as f64;
    Ok((ns, receipt))
}
