//! A bounded cache of validated BLS public keys, keyed by their exact encoding.
//!
//! Decompressing a key and checking that it lies in the prime-order subgroup costs about 75 µs
//! for a G1 key, and a Dusk key additionally needs its multisignature weight (a G2 scalar
//! multiplication), about 250 µs in all; the pairing check of a 100-signer aggregate costs about
//! 1 ms. Without a cache, key handling dominates aggregate verification (100 keys: 8.8 ms IETF,
//! 26 ms Dusk cold, against 1.2 ms and 1.1 ms warm).
//! Validator sets change slowly, so the same keys come back call after call.
//!
//! The cache never changes a result or a price:
//! - an entry is the value a pure function computed from the encoding stored as its key (the
//!   whole encoding, not a hash of it, so two different encodings never share an entry);
//! - only successes are stored; a malformed key is rejected the same way on every call;
//! - prices are computed from argument sizes before the call and always cover a miss.
//!
//! Eviction is by generations: entries go to the current map; when it reaches the capacity it
//! becomes the previous map (dropping the older one) and a fresh map starts; a hit in the
//! previous map moves the entry back to the current one. Memory is bounded by twice the capacity,
//! recently used keys survive, and every operation is `O(log capacity)`. The maps are B-trees:
//! no hashing and no randomised state.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The largest key encoding cached (a compressed G2 point); shorter encodings are zero-padded,
/// which is unambiguous because each cache holds encodings of a single length.
pub(super) const MAX_ENCODING_LEN: usize = 96;

type Encoding = [u8; MAX_ENCODING_LEN];

struct Generations<T> {
    current: BTreeMap<Encoding, T>,
    previous: BTreeMap<Encoding, T>,
}

/// Validated keys (or values derived from them) by encoding.
pub(super) struct KeyCache<T> {
    capacity: usize,
    generations: Mutex<Generations<T>>,
}

impl<T: Copy> KeyCache<T> {
    /// An empty cache whose current generation holds at most `capacity` entries.
    pub(super) const fn new(capacity: usize) -> Self {
        Self {
            capacity,
            generations: Mutex::new(Generations {
                current: BTreeMap::new(),
                previous: BTreeMap::new(),
            }),
        }
    }

    /// The value cached for `encoding`, or `compute(encoding)`, cached when it succeeds.
    /// `compute` runs without the lock held, so a slow computation never blocks other callers
    /// and a panicking one never poisons the cache. Encodings longer than
    /// [`MAX_ENCODING_LEN`] are computed and never cached.
    pub(super) fn get_or_compute<E>(
        &self,
        encoding: &[u8],
        compute: impl FnOnce(&[u8]) -> Result<T, E>,
    ) -> Result<T, E> {
        let Some(key) = padded(encoding) else {
            return compute(encoding);
        };
        if let Some(hit) = self.lookup(&key) {
            return Ok(hit);
        }
        let value = compute(encoding)?;
        self.insert(key, value);
        Ok(value)
    }

    /// Empties the cache (benchmarks measure the miss path with it).
    pub(super) fn clear(&self) {
        let mut generations = self.lock();
        generations.current.clear();
        generations.previous.clear();
    }

    /// Number of cached entries, both generations.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        let generations = self.lock();
        generations.current.len() + generations.previous.len()
    }

    fn lookup(&self, key: &Encoding) -> Option<T> {
        let mut generations = self.lock();
        if let Some(value) = generations.current.get(key) {
            return Some(*value);
        }
        let value = generations.previous.remove(key)?;
        Self::insert_locked(&mut generations, self.capacity, *key, value);
        Some(value)
    }

    fn insert(&self, key: Encoding, value: T) {
        let mut generations = self.lock();
        Self::insert_locked(&mut generations, self.capacity, key, value);
    }

    fn insert_locked(generations: &mut Generations<T>, capacity: usize, key: Encoding, value: T) {
        if capacity == 0 {
            return;
        }
        if generations.current.len() >= capacity {
            generations.previous = std::mem::take(&mut generations.current);
        }
        generations.current.insert(key, value);
    }

    /// Every mutation leaves the maps consistent, so a lock poisoned by a panic elsewhere is safe
    /// to keep using.
    fn lock(&self) -> MutexGuard<'_, Generations<T>> {
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

fn padded(encoding: &[u8]) -> Option<Encoding> {
    let mut key = [0u8; MAX_ENCODING_LEN];
    key.get_mut(..encoding.len())?.copy_from_slice(encoding);
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Result<u32, &'static str> {
        match bytes.first() {
            Some(0) | None => Err("malformed"),
            Some(b) => Ok(u32::from(*b) * 10),
        }
    }

    #[test]
    fn hits_skip_the_computation_and_failures_are_not_cached() {
        let cache = KeyCache::new(4);
        let mut computed = 0;
        let mut counting = |bytes: &[u8]| {
            computed += 1;
            parse(bytes)
        };
        assert_eq!(cache.get_or_compute(&[3], &mut counting), Ok(30));
        assert_eq!(cache.get_or_compute(&[3], &mut counting), Ok(30));
        assert_eq!(cache.get_or_compute(&[0], &mut counting), Err("malformed"));
        assert_eq!(cache.get_or_compute(&[0], &mut counting), Err("malformed"));
        assert_eq!(computed, 3);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn memory_is_bounded_and_recent_entries_survive() {
        let cache = KeyCache::new(2);
        for b in 1..=50u8 {
            assert_eq!(cache.get_or_compute(&[b], parse), Ok(u32::from(b) * 10));
            // Keep touching entry 1: it moves back to the current generation every time.
            assert_eq!(cache.get_or_compute(&[1], |_| Err("evicted")), Ok(10));
            assert!(cache.len() <= 4);
        }
        cache.clear();
        assert_eq!(cache.len(), 0);
        assert_eq!(
            cache.get_or_compute(&[1], |_| Err("evicted")),
            Err("evicted")
        );
    }

    #[test]
    fn each_encoding_has_its_own_entry_and_oversized_ones_are_not_cached() {
        let cache = KeyCache::new(8);
        assert_eq!(cache.get_or_compute(&[1, 0], |_| Ok::<_, ()>(1)), Ok(1));
        assert_eq!(cache.get_or_compute(&[1, 0], |_| Ok::<_, ()>(2)), Ok(1));
        assert_eq!(cache.get_or_compute(&[2, 0], |_| Ok::<_, ()>(3)), Ok(3));
        let too_long = [1u8; MAX_ENCODING_LEN + 1];
        assert_eq!(cache.get_or_compute(&too_long, |_| Ok::<_, ()>(4)), Ok(4));
        assert_eq!(cache.get_or_compute(&too_long, |_| Ok::<_, ()>(5)), Ok(5));
        assert_eq!(cache.len(), 2);
    }
}
