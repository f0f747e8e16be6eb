//! A small, bounded cache of decoded verifier keys, keyed by the hash of their encoding.
//!
//! Decoding and preparing a verifier key is the larger part of a SNARK verification (Groth16:
//! about 2.6 ms from bytes against 0.8 ms with a prepared key; PLONK: about 11 ms against 7 ms),
//! and contracts verify many proofs against the same key. The cache only ever skips work whose
//! outcome is already known, so it never changes a result or a price:
//! - only keys that decoded successfully are stored, so a malformed key fails the same way on
//!   every call;
//! - the key is the BLAKE2b-256 hash of the **whole** encoding, so two encodings that differ in
//!   any byte never share an entry;
//! - gas is computed from argument sizes by the caller, before the cache is consulted.
//!
//! Eviction is least-recently-used over a fixed number of entries, a pure function of the
//! sequence of lookups (no clocks, no hash-map order), so memory stays bounded by
//! `capacity × largest entry`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A content hash: BLAKE2b-256 of an encoded verifier key.
pub(crate) type ContentHash = [u8; 32];

/// Hashes an encoding into its cache key.
pub(crate) fn content_hash(encoding: &[u8]) -> ContentHash {
    let digest = blake2b_simd::Params::new().hash_length(32).hash(encoding);
    let mut key = [0u8; 32];
    key.copy_from_slice(digest.as_bytes());
    key
}

/// Least-recently-used cache of decoded values, most recent first.
pub(crate) struct VerifierCache<T> {
    capacity: usize,
    entries: Mutex<VecDeque<(ContentHash, Arc<T>)>>,
}

impl<T> VerifierCache<T> {
    /// An empty cache that holds at most `capacity` entries (`0` disables caching).
    pub(crate) const fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// Returns the value cached for `encoding`, or decodes it with `decode`, caches it on
    /// success and returns it. An error is returned as is and never cached.
    ///
    /// `decode` runs without the lock held, so a slow or panicking decoder never blocks or
    /// poisons other callers; two threads missing on the same key may both decode it, and the
    /// second insertion is then skipped.
    pub(crate) fn get_or_decode<E>(
        &self,
        encoding: &[u8],
        decode: impl FnOnce(&[u8]) -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let key = content_hash(encoding);
        if let Some(hit) = self.lookup(&key) {
            return Ok(hit);
        }
        let value = Arc::new(decode(encoding)?);
        self.insert(key, Arc::clone(&value));
        Ok(value)
    }

    /// Whether `encoding` is currently cached (does not count as a use).
    #[cfg(test)]
    pub(crate) fn contains(&self, encoding: &[u8]) -> bool {
        let key = content_hash(encoding);
        self.lock().iter().any(|(k, _)| *k == key)
    }

    fn lookup(&self, key: &ContentHash) -> Option<Arc<T>> {
        let mut entries = self.lock();
        let position = entries.iter().position(|(k, _)| k == key)?;
        let entry = entries.remove(position)?;
        let value = Arc::clone(&entry.1);
        entries.push_front(entry);
        Some(value)
    }

    fn insert(&self, key: ContentHash, value: Arc<T>) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.lock();
        if entries.iter().any(|(k, _)| *k == key) {
            return;
        }
        entries.push_front((key, value));
        entries.truncate(self.capacity);
    }

    /// The entries are only ever left in a consistent state (every mutation is a single
    /// `VecDeque` call), so a poisoned lock is safe to keep using.
    fn lock(&self) -> MutexGuard<'_, VecDeque<(ContentHash, Arc<T>)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_len(bytes: &[u8]) -> Result<usize, &'static str> {
        if bytes.is_empty() {
            Err("empty")
        } else {
            Ok(bytes.len())
        }
    }

    #[test]
    fn hits_skip_decoding_and_errors_are_not_cached() {
        let cache = VerifierCache::new(2);
        let mut decoded = 0;
        let mut decode = |b: &[u8]| {
            decoded += 1;
            decode_len(b)
        };
        assert_eq!(*cache.get_or_decode(b"abc", &mut decode).unwrap(), 3);
        assert_eq!(*cache.get_or_decode(b"abc", &mut decode).unwrap(), 3);
        assert!(cache.get_or_decode(b"", &mut decode).is_err());
        assert!(cache.get_or_decode(b"", &mut decode).is_err());
        assert!(!cache.contains(b""));
        assert_eq!(
            decoded, 3,
            "one decode for the hit pair, two for the failing pair"
        );
    }

    #[test]
    fn evicts_the_least_recently_used_entry() {
        let cache = VerifierCache::new(2);
        cache.get_or_decode(b"a", decode_len).unwrap();
        cache.get_or_decode(b"bb", decode_len).unwrap();
        cache.get_or_decode(b"a", decode_len).unwrap(); // "a" is now the most recent
        cache.get_or_decode(b"ccc", decode_len).unwrap(); // evicts "bb"
        assert!(cache.contains(b"a"));
        assert!(!cache.contains(b"bb"));
        assert!(cache.contains(b"ccc"));
    }

    #[test]
    fn zero_capacity_disables_caching() {
        let cache = VerifierCache::new(0);
        cache.get_or_decode(b"a", decode_len).unwrap();
        assert!(!cache.contains(b"a"));
    }
}
