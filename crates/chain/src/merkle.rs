//! The binary Merkle tree over a list of 32-byte hashes, behind a block's transactions root
//! (leaves: transaction hashes, in block order) and receipts root (leaves: receipt hashes).
//!
//! # Layout
//!
//! The shape of RFC 6962 / RFC 9162 (Certificate Transparency), with BLAKE2b-256 and tags:
//!
//! - `tree([])` = 32 zero bytes;
//! - `tree([d])` = `leaf(d)` = `BLAKE2b-256("shortcrust/merkle/leaf" || d)`;
//! - `tree(n > 1 items)`: split at `k`, the largest power of two below `n`:
//!   `BLAKE2b-256("shortcrust/merkle/node" || tree(first k) || tree(last n - k))`;
//! - the **root** binds the count: `BLAKE2b-256("shortcrust/merkle/root" || n as u64 LE ||
//!   tree(items))`.
//!
//! Leaves and nodes are hashed under different tags, so no inner node can pass for a leaf; the
//! shape is a function of `n` alone, with no duplicated last leaf (the Bitcoin pitfall where two
//! lists share a root); and since the root commits to `n`, an inclusion proof also proves the
//! list's length (plain RFC 6962 paths for index 0 of 5 and of 6 items coincide). [`proof`] and
//! [`verify`] give and check inclusion proofs.

use crate::{Hash32, tagged_hash};

const LEAF: &[u8] = b"shortcrust/merkle/leaf";
const NODE: &[u8] = b"shortcrust/merkle/node";
const ROOT: &[u8] = b"shortcrust/merkle/root";

fn leaf(item: &Hash32) -> Hash32 {
    tagged_hash(LEAF, &[&item.0])
}

fn node(left: &Hash32, right: &Hash32) -> Hash32 {
    tagged_hash(NODE, &[&left.0, &right.0])
}

/// The largest power of two strictly below `n` (`n >= 2`).
fn split(n: usize) -> usize {
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

fn tree(items: &[Hash32]) -> Hash32 {
    match items {
        [] => Hash32::ZERO,
        [one] => leaf(one),
        _ => {
            let k = split(items.len());
            node(&tree(&items[..k]), &tree(&items[k..]))
        }
    }
}

fn bind_count(count: usize, tree: &Hash32) -> Hash32 {
    tagged_hash(ROOT, &[&(count as u64).to_le_bytes(), &tree.0])
}

/// The Merkle root of `items`.
pub fn root(items: &[Hash32]) -> Hash32 {
    bind_count(items.len(), &tree(items))
}

/// The inclusion proof of `items[index]`: sibling hashes from the leaf up. `None` if `index` is
/// out of range.
pub fn proof(items: &[Hash32], index: usize) -> Option<Vec<Hash32>> {
    if index >= items.len() {
        return None;
    }
    let (mut items, mut index) = (items, index);
    let mut tops = Vec::new();
    while items.len() > 1 {
        let k = split(items.len());
        if index < k {
            tops.push(tree(&items[k..]));
            items = &items[..k];
        } else {
            tops.push(tree(&items[..k]));
            items = &items[k..];
            index -= k;
        }
    }
    // Collected from the top down; a proof lists them from the leaf up.
    tops.reverse();
    Some(tops)
}

/// Checks that `item` is at `index` of a list of `count` items whose root is `root`.
pub fn verify(root: &Hash32, item: &Hash32, index: usize, count: usize, proof: &[Hash32]) -> bool {
    fn compute(index: usize, count: usize, item: &Hash32, path: &[Hash32]) -> Option<Hash32> {
        if count == 1 {
            return path.is_empty().then(|| leaf(item));
        }
        let k = split(count);
        let (top, rest) = path.split_last()?;
        Some(if index < k {
            node(&compute(index, k, item, rest)?, top)
        } else {
            node(top, &compute(index - k, count - k, item, rest)?)
        })
    }
    index < count
        && compute(index, count, item, proof).is_some_and(|t| bind_count(count, &t) == *root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<Hash32> {
        (0..n).map(|i| Hash32([i as u8; 32])).collect()
    }

    #[test]
    fn layout_is_pinned() {
        assert_eq!(root(&[]), bind_count(0, &Hash32::ZERO));
        let [a, b, c] = [Hash32([1; 32]), Hash32([2; 32]), Hash32([3; 32])];
        assert_eq!(root(&[a]), bind_count(1, &leaf(&a)));
        assert_eq!(root(&[a, b]), bind_count(2, &node(&leaf(&a), &leaf(&b))));
        assert_eq!(
            root(&[a, b, c]),
            bind_count(3, &node(&node(&leaf(&a), &leaf(&b)), &leaf(&c)))
        );
        // No duplicated last leaf: [a, b, c] and [a, b, c, c] differ.
        assert_ne!(root(&[a, b, c]), root(&[a, b, c, c]));
        assert_eq!(split(2), 1);
        assert_eq!(split(5), 4);
        assert_eq!(split(8), 4);
    }

    #[test]
    fn proofs_verify_for_every_index_and_only_there() {
        for n in 1..=17 {
            let list = items(n);
            let r = root(&list);
            for i in 0..n {
                let p = proof(&list, i).expect("in range");
                assert!(verify(&r, &list[i], i, n, &p), "n={n} i={i}");
                assert!(!verify(&r, &Hash32([0xff; 32]), i, n, &p));
                assert!(!verify(&r, &list[i], i, n + 1, &p));
                if n > 1 {
                    assert!(!verify(&r, &list[i], (i + 1) % n, n, &p));
                }
            }
            assert!(proof(&list, n).is_none());
        }
    }
}
