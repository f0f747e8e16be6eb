//! A bounded cache of decoded tree nodes, shared by every view of a persistent store, and the
//! hash maps keyed by digests or node keys that both stores use.
//!
//! Nodes are immutable and their keys are never reused, so a cached node can never be stale:
//! there is no invalidation. The cache is sharded (one lock per shard) and each shard keeps two generations:
//! hits in the older one are promoted, and when the young generation exceeds half the shard's
//! byte budget the old one is dropped. That approximates LRU at O(1) cost per access, bounded by
//! bytes (leaves can hold 64 KiB values), not by entry counts.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use crate::hash::Hash;
use crate::node::{NodeKey, SharedNode};

/// Hasher for keys that are already uniformly distributed digests: uses their first 8 bytes.
/// Node hashes are BLAKE2b outputs, so a contract cannot steer them into collisions.
#[derive(Default)]
pub(crate) struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8).take(1) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }
    // `[u8; 32]` hashes its length first; a constant carries no information.
    fn write_usize(&mut self, _: usize) {}
}

/// A `HashMap` keyed by digests.
pub(crate) type DigestMap<V> = HashMap<Hash, V, BuildHasherDefault<DigestHasher>>;

/// Hasher for [`NodeKey`]s (two integers): a multiply-rotate mix, as in rustc's FxHash. Keys are
/// assigned by the store, not chosen by contracts.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` keyed by node keys.
pub(crate) type NodeMap<V> = HashMap<NodeKey, V, BuildHasherDefault<KeyHasher>>;

const SHARDS: usize = 16;

#[derive(Default)]
struct Shard {
    young: NodeMap<SharedNode>,
    old: NodeMap<SharedNode>,
    young_bytes: usize,
}

pub(crate) struct NodeCache {
    shards: Vec<Mutex<Shard>>,
    /// Byte budget of each generation of each shard.
    generation_budget: usize,
}

impl NodeCache {
    /// A cache holding about `budget_bytes` of nodes (0 disables it).
    pub fn new(budget_bytes: usize) -> Self {
        NodeCache {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            generation_budget: budget_bytes / SHARDS / 2,
        }
    }

    fn shard(&self, key: &NodeKey) -> std::sync::MutexGuard<'_, Shard> {
        let shard = &self.shards[key.index as usize % SHARDS];
        // A panic cannot leave a shard half-updated in a way that matters: it only caches.
        shard.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn get(&self, key: &NodeKey) -> Option<SharedNode> {
        if self.generation_budget == 0 {
            return None;
        }
        let mut shard = self.shard(key);
        if let Some(node) = shard.young.get(key) {
            return Some(node.clone());
        }
        let node = shard.old.remove(key)?;
        self.insert_locked(&mut shard, *key, node.clone());
        Some(node)
    }

    pub fn insert(&self, key: NodeKey, node: SharedNode) {
        if self.generation_budget == 0 {
            return;
        }
        let mut shard = self.shard(&key);
        self.insert_locked(&mut shard, key, node);
    }

    fn insert_locked(&self, shard: &mut Shard, key: NodeKey, node: SharedNode) {
        let size = node.footprint();
        if shard.young.insert(key, node).is_none() {
            shard.young_bytes += size;
        }
        if shard.young_bytes > self.generation_budget {
            shard.old = std::mem::take(&mut shard.young);
            shard.young_bytes = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{Leaf, Node};

    fn leaf(i: u32) -> (NodeKey, SharedNode) {
        let node = Node::Leaf(Leaf::storage(&i.to_le_bytes(), &[0u8; 100]));
        let key = NodeKey { batch: 3, index: i };
        (key, SharedNode::new(node))
    }

    #[test]
    fn hits_and_bounded_size() {
        let cache = NodeCache::new(64 * 1024);
        let (h, n) = leaf(1);
        assert!(cache.get(&h).is_none());
        cache.insert(h, n.clone());
        assert_eq!(cache.get(&h).as_deref(), Some(&*n));
        for i in 0..10_000 {
            let (h, n) = leaf(i);
            cache.insert(h, n);
        }
        let held: usize = cache
            .shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap();
                s.young.len() + s.old.len()
            })
            .sum();
        // Each entry accounts for well over 100 bytes: at most ~64 KiB worth are held.
        assert!(held > 0 && held < 64 * 1024 / 100, "{held} entries held");
    }

    #[test]
    fn zero_budget_disables() {
        let cache = NodeCache::new(0);
        let (h, n) = leaf(1);
        cache.insert(h, n);
        assert!(cache.get(&h).is_none());
    }
}
