//! The dark pool's PLONK fixtures — the circuit's verifier data and the four balance proofs of
//! the tour — made once and cached, because the setup and the proving take far longer than
//! the whole tour (figures in the module docs of `demo`).
//!
//! # Cache
//!
//! One file, `darkpool-v1.bin`, in the first of: `$SHORTCRUST_DEMO_CACHE`; the cargo target
//! directory the binary was built in (`target/shortcrust-demo-cache/`, found by cargo's
//! `CACHEDIR.TAG` next to `target/<profile>/shortcrust`); `$TMPDIR/shortcrust-demo-cache/`.
//! Content: borsh of `(version, verifier_data, proofs)`. [`CACHE_VERSION`] names everything
//! the bytes depend on; a file of another version, an unreadable one, or one with a proof that
//! does not verify (checked natively, against public inputs recomputed here from the
//! transitions) is ignored and rewritten. Deleting the directory is always safe.
//!
//! # Provenance
//!
//! Everything is made here by dusk-plonk 0.22 from fixed seeds: the public parameters from a
//! ChaCha20 rng seeded with [`SETUP_SEED`](shortcrust_crypto::plonk::testkit::darkpool::SETUP_SEED) (a toxic-waste setup, fine for a demo and
//! for nothing else), then each proof with its own seed (1 to 4). A seed always gives the same
//! bytes, so a cached run and a fresh one produce the same gas and the same state root.

use std::path::{Path, PathBuf};
use std::time::Instant;

use borsh::{BorshDeserialize, BorshSerialize};
use shortcrust_abi::status;
use shortcrust_crypto::plonk::testkit::darkpool::{
    DarkpoolError, Leg, Opening, Transition, TransitionCircuit,
};

use super::{ALICE, BOB};
use crate::error::CliError;

/// Everything the cached bytes depend on. Change it whenever the circuit, the seeds, the
/// transitions or dusk-plonk's encoding change.
pub const CACHE_VERSION: &str = "shortcrust demo darkpool fixtures v1: dusk-plonk 0.22, label \
     shortcrust-darkpool-transition-v1, setup seed 0xda4c, proof seeds 1-4";
const CACHE_FILE: &str = "darkpool-v1.bin";

/// The dark pool's story as balance transitions: Alice deposits 100 base, Bob 5,000 quote; in
/// match 1 Alice sells 40 base to Bob for 2,000 quote.
pub struct Transitions {
    pub alice_deposit: Transition,
    pub bob_deposit: Transition,
    pub alice_sells: Transition,
    pub bob_buys: Transition,
}

impl Transitions {
    pub fn new() -> Self {
        let zero = Opening::new(0, 0);
        Self {
            alice_deposit: Transition::new(
                &ALICE,
                Leg::credit(zero, 100, 11),
                Leg::unchanged(zero),
            ),
            bob_deposit: Transition::new(&BOB, Leg::unchanged(zero), Leg::credit(zero, 5_000, 21)),
            alice_sells: Transition::new(
                &ALICE,
                Leg::debit(Opening::new(100, 11), 40, 12),
                Leg::credit(zero, 2_000, 13),
            ),
            bob_buys: Transition::new(
                &BOB,
                Leg::credit(zero, 40, 22),
                Leg::debit(Opening::new(5_000, 21), 2_000, 23),
            ),
        }
    }

    /// In proof order (the proof of the `i`-th is made with seed `i + 1`).
    fn all(&self) -> [&Transition; 4] {
        [
            &self.alice_deposit,
            &self.bob_deposit,
            &self.alice_sells,
            &self.bob_buys,
        ]
    }
}

/// The verifier data and one proof per transition, in [`Transitions`] order.
#[derive(BorshSerialize, BorshDeserialize)]
struct CacheFile {
    version: String,
    verifier_data: Vec<u8>,
    proofs: Vec<Vec<u8>>,
}

/// The fixtures and where they came from.
pub struct Fixtures {
    pub transitions: Transitions,
    pub verifier_data: Vec<u8>,
    pub alice_deposit: Vec<u8>,
    pub bob_deposit: Vec<u8>,
    pub alice_sells: Vec<u8>,
    pub bob_buys: Vec<u8>,
    /// The cache file, read or written.
    pub cache: PathBuf,
    /// Whether the cache had them.
    pub from_cache: bool,
    /// Why the cache could not be written, if it could not (the demo still runs).
    pub cache_error: Option<String>,
    /// Time to load (or make) them.
    pub millis: u128,
}

/// The fixtures, from the cache when it holds valid ones, else made now and cached.
pub fn load() -> Result<Fixtures, CliError> {
    let started = Instant::now();
    let transitions = Transitions::new();
    let cache = cache_dir().join(CACHE_FILE);
    let cached = read_cache(&cache).filter(|file| verifies(file, &transitions));
    let (file, from_cache, cache_error) = match cached {
        Some(file) => (file, true, None),
        None => {
            eprintln!(
                "shortcrust demo: making the dark pool's PLONK setup and proofs (once; cached in {})",
                cache.display()
            );
            let file = generate(&transitions)?;
            if !verifies(&file, &transitions) {
                return Err(CliError::Vm(
                    "demo fixture: a freshly made dark-pool proof does not verify".into(),
                ));
            }
            let error = write_cache(&cache, &file).err();
            (file, false, error)
        }
    };
    let [alice_deposit, bob_deposit, alice_sells, bob_buys]: [Vec<u8>; 4] = file
        .proofs
        .try_into()
        .map_err(|_| CliError::Vm("demo fixture: expected four dark-pool proofs".to_string()))?;
    Ok(Fixtures {
        transitions,
        verifier_data: file.verifier_data,
        alice_deposit,
        bob_deposit,
        alice_sells,
        bob_buys,
        cache,
        from_cache,
        cache_error,
        millis: started.elapsed().as_millis(),
    })
}

fn generate(transitions: &Transitions) -> Result<CacheFile, CliError> {
    let failed = |e: DarkpoolError| CliError::Vm(format!("demo fixture: {e}"));
    let circuit = TransitionCircuit::setup().map_err(failed)?;
    let proofs = transitions
        .all()
        .iter()
        .zip(1u64..)
        .map(|(transition, seed)| circuit.prove(transition, seed).map(|p| p.proof))
        .collect::<Result<Vec<_>, _>>()
        .map_err(failed)?;
    Ok(CacheFile {
        version: CACHE_VERSION.to_string(),
        verifier_data: circuit.verifier_data,
        proofs,
    })
}

/// Whether `file` is of this version and each proof verifies against its transition's public
/// inputs (recomputed here, independently of the prover).
fn verifies(file: &CacheFile, transitions: &Transitions) -> bool {
    file.version == CACHE_VERSION
        && file.proofs.len() == transitions.all().len()
        && file
            .proofs
            .iter()
            .zip(transitions.all())
            .all(|(proof, transition)| {
                shortcrust_crypto::plonk::verify_plonk_uncached(
                    &file.verifier_data,
                    proof,
                    &transition.public_inputs(),
                ) == status::VALID
            })
}

fn read_cache(path: &Path) -> Option<CacheFile> {
    let bytes = std::fs::read(path).ok()?;
    CacheFile::try_from_slice(&bytes).ok()
}

/// Writes through a temporary file and a rename, so a concurrent demo never reads half a file.
fn write_cache(path: &Path, file: &CacheFile) -> Result<(), String> {
    let bytes = borsh::to_vec(file).map_err(|e| e.to_string())?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&temporary, &bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("{}: {e}", path.display())
        })
}

/// See the module docs.
fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SHORTCRUST_DEMO_CACHE") {
        return PathBuf::from(dir);
    }
    let target = std::env::current_exe().ok().and_then(|exe| {
        exe.ancestors()
            .skip(1)
            .take(3)
            .find(|dir| dir.join("CACHEDIR.TAG").is_file())
            .map(Path::to_path_buf)
    });
    match target {
        Some(target) => target.join("shortcrust-demo-cache"),
        None => std::env::temp_dir().join("shortcrust-demo-cache"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_inputs_have_the_contracts_layout() {
        for transition in Transitions::new().all() {
            assert_eq!(transition.public_inputs().len(), 13 * 32);
        }
    }

    #[test]
    fn a_cache_that_is_garbage_of_another_version_or_with_bad_proofs_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(CACHE_FILE);
        std::fs::write(&path, b"not borsh").expect("write");
        assert!(read_cache(&path).is_none());

        let transitions = Transitions::new();
        let other = CacheFile {
            version: "another version".into(),
            verifier_data: Vec::new(),
            proofs: vec![Vec::new(); 4],
        };
        assert_eq!(write_cache(&path, &other), Ok(()));
        let read = read_cache(&path).expect("a file it wrote");
        assert_eq!(read.version, "another version");
        assert!(!verifies(&read, &transitions));

        let forged = CacheFile {
            version: CACHE_VERSION.into(),
            verifier_data: vec![1; 64],
            proofs: vec![vec![0; 1008]; 4],
        };
        assert!(!verifies(&forged, &transitions));
    }
}
