//! The on-disk compiled-module cache: a restarted VM calls a deployed contract without
//! recompiling it.
//!
//! One file per module, `<code hash>.cwasm`, written atomically (temporary file, then rename):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `SCMODv1\n` |
//! | 32 | engine fingerprint (`engine::engine_fingerprint`: wasmtime version and settings, our instrumentation version) |
//! | 32 | code hash of the original (uninstrumented) module |
//! | 32 | BLAKE2b-256 of the payload |
//! | rest | `Module::serialize` of the instrumented, compiled module |
//!
//! An entry is trusted only if every header field matches and the payload's checksum is right;
//! anything else (a truncated write, bit rot, an entry from another build or engine) is ignored
//! and rebuilt from the code in the state. wasmtime checks its own compatibility header again.

use std::path::{Path, PathBuf};

use wasmtime::{Engine, Module};

const MAGIC: &[u8; 8] = b"SCMODv1\n";
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
}

/// What happened to a lookup.
pub(crate) enum Lookup {
    Hit(Module),
    Miss,
    /// An entry existed but was not trusted; it will be overwritten.
    Rejected(&'static str),
}

impl ModuleCache {
    pub(crate) fn new(dir: &Path, engine: &Engine) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            fingerprint: crate::engine::engine_fingerprint(engine),
        })
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
        match unsafe { Module::deserialize(engine, payload) } {
            Ok(m) => Lookup::Hit(m),
            Err(_) => Lookup::Rejected("wasmtime refused the artifact"),
        }
    }

    /// Stores `module`; failures only cost a recompilation later, so they are ignored.
    pub(crate) fn store(&self, code_hash: &[u8; 32], module: &Module) {
        let Ok(payload) = module.serialize() else {
            return;
        };
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
    }
}
