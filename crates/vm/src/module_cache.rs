//! The on-disk compiled-module cache: a restarted VM calls a deployed contract without
//! recompiling it.
//!
//! One file per module, `<code hash>.cwasm`, written atomically (temporary file, then rename):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `SCMODv2\n` |
//! | 32 | engine fingerprint (`engine::engine_fingerprint`: wasmtime version and settings, our instrumentation version, the gas schedule) |
//! | 32 | code hash of the original (uninstrumented) module |
//! | 32 | BLAKE2b-256 of the payload |
//! | rest | payload: `u32` LE length of the entry table, the entry table (`u32` count, then per entry point a `u16` name length, the name, and the `u32` frame slots the VM accounts for it), then `Module::serialize` of the instrumented, compiled module |
//!
//! Only modules of *committed* code are written (`Vm` persists them when a session commits):
//! compiling for a deploy that fails or a session that is dropped leaves nothing on disk. The
//! directory is bounded by [`ModuleCache::max_bytes`]: past it, the least recently written
//! entries are deleted (file modification times decide; they only choose what to recompile
//! later, never a result).
//!
//! An entry is trusted only if every header field matches and the payload's checksum is right;
//! anything else (a truncated write, bit rot, an entry from another build or engine) is ignored
//! and rebuilt from the code in the state. wasmtime checks its own compatibility header again.

use std::path::{Path, PathBuf};

use wasmtime::{Engine, Module};

const MAGIC: &[u8; 8] = b"SCMODv2\n";

/// Default bound on the cache directory: 1 GiB, about 500 large contracts (a compiled module is
/// 1–2 MiB for a 500 KiB contract).
pub const DEFAULT_MAX_DISK_BYTES: u64 = 1 << 30;
const HEADER: usize = 8 + 32 + 32 + 32;

fn blake2b(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(
        blake2b_simd::Params::new()
            .hash_length(32)
            .hash(bytes)
            .as_bytes(),
    );
    out
}

/// See the module docs.
pub(crate) struct ModuleCache {
    dir: PathBuf,
    fingerprint: [u8; 32],
    /// Largest total size of the entries; see the module docs.
    pub max_bytes: u64,
}

/// Entry points of a compiled module and the frame slots of each (see `instrument`).
pub(crate) type EntryFrames = std::collections::BTreeMap<String, u32>;

/// What happened to a lookup.
pub(crate) enum Lookup {
    Hit(Module, EntryFrames),
    Miss,
    /// An entry existed but was not trusted; it will be overwritten.
    Rejected(&'static str),
}

impl ModuleCache {
    pub(crate) fn new(
        dir: &Path,
        engine: &Engine,
        schedule: crate::gas::Schedule,
        max_bytes: u64,
    ) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            fingerprint: crate::engine::engine_fingerprint(engine, schedule),
            max_bytes,
        })
    }

    /// The entries on disk: `(path, size, modified)`.
    pub(crate) fn entries(&self) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((e.path(), meta.len(), meta.modified().ok()?))
            })
            .collect()
    }

    /// Deletes the least recently written entries until the directory fits `max_bytes`.
    fn enforce_bound(&self) {
        let mut entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.max_bytes {
            return;
        }
        entries.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
        for (path, size, _) in entries {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
    }

    fn path(&self, code_hash: &[u8; 32]) -> PathBuf {
        let name: String = code_hash.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.cwasm"))
    }

    pub(crate) fn load(&self, engine: &Engine, code_hash: &[u8; 32]) -> Lookup {
        let bytes = match std::fs::read(self.path(code_hash)) {
            Ok(b) => b,
            Err(_) => return Lookup::Miss,
        };
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Lookup::Rejected("bad magic or truncated header");
        }
        if bytes[8..40] != self.fingerprint {
            return Lookup::Rejected("compiled by another engine or build");
        }
        if bytes[40..72] != code_hash[..] {
            return Lookup::Rejected("entry is for other code");
        }
        let payload = &bytes[HEADER..];
        if bytes[72..104] != blake2b(payload) {
            return Lookup::Rejected("checksum mismatch");
        }
        // SAFETY: `Module::deserialize` runs the bytes as machine code, so they must come from
        // `Module::serialize` of this same engine configuration. The payload's checksum, the
        // engine fingerprint and the code hash were all verified above, and the cache directory
        // is node-local storage that only this VM writes (contracts cannot reach the
        // filesystem). wasmtime also re-checks its own version and settings header.
        let Some((entries, module)) = split_payload(payload) else {
            return Lookup::Rejected("malformed entry table");
        };
        match unsafe { Module::deserialize(engine, module) } {
            Ok(m) => Lookup::Hit(m, entries),
            Err(_) => Lookup::Rejected("wasmtime refused the artifact"),
        }
    }

    /// Stores `module`; failures only cost a recompilation later, so they are ignored.
    pub(crate) fn store(&self, code_hash: &[u8; 32], module: &Module, entries: &EntryFrames) {
        let Ok(serialized) = module.serialize() else {
            return;
        };
        let mut table = Vec::new();
        table.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for (name, slots) in entries {
            // Entry names are at most `MAX_ENTRY_NAME_LEN`-ish in practice; a longer export
            // name cannot be called anyway, so it is left out rather than truncated.
            let Ok(len) = u16::try_from(name.len()) else {
                continue;
            };
            table.extend_from_slice(&len.to_le_bytes());
            table.extend_from_slice(name.as_bytes());
            table.extend_from_slice(&slots.to_le_bytes());
        }
        let mut payload = Vec::with_capacity(4 + table.len() + serialized.len());
        payload.extend_from_slice(&(table.len() as u32).to_le_bytes());
        payload.extend_from_slice(&table);
        payload.extend_from_slice(&serialized);
        let mut bytes = Vec::with_capacity(HEADER + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&self.fingerprint);
        bytes.extend_from_slice(code_hash);
        bytes.extend_from_slice(&blake2b(&payload));
        bytes.extend_from_slice(&payload);
        let path = self.path(code_hash);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, &bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        self.enforce_bound();
    }
}

/// Splits a payload into its entry table and the serialized module.
fn split_payload(payload: &[u8]) -> Option<(EntryFrames, &[u8])> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, tail) = (bytes.get(..n)?, bytes.get(n..)?);
        *bytes = tail;
        Some(head)
    }
    let mut rest = payload;
    let table_len = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?) as usize;
    let mut table = take(&mut rest, table_len)?;
    let count = u32::from_le_bytes(take(&mut table, 4)?.try_into().ok()?);
    let mut entries = EntryFrames::new();
    for _ in 0..count {
        let len = u16::from_le_bytes(take(&mut table, 2)?.try_into().ok()?) as usize;
        let name = std::str::from_utf8(take(&mut table, len)?)
            .ok()?
            .to_string();
        let slots = u32::from_le_bytes(take(&mut table, 4)?.try_into().ok()?);
        entries.insert(name, slots);
    }
    table.is_empty().then_some((entries, rest))
}
