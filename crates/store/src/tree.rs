//! Sparse Merkle tree algorithms over content-addressed nodes, independent of where the nodes
//! live: lookup, batch update, proof paths and leaf listing.
//!
//! The tree is binary over 256-bit paths, in its canonical compressed form: a subtree holding
//! one leaf is that leaf (placed at the shallowest depth where it is alone), an empty subtree is
//! [`EMPTY`], and an internal node never holds a single leaf beside an empty side. The tree of a
//! set of leaves is therefore unique, and so is its root, whatever the order of the writes that
//! produced it. Depth is about `log2(leaves)` for hashed paths, at most 256.
//!
//! A batch update walks only the paths of the changed leaves and creates only the nodes on
//! them, so its cost grows with the number of changes times the depth, not with the tree size.

use std::ops::Deref;

use crate::StoreError;
use crate::hash::{EMPTY, Hash, bit, internal_hash};
use crate::node::{Node, SharedNode};

/// Where the tree algorithms read nodes from.
pub(crate) trait NodeSource {
    type Ref<'a>: Deref<Target = Node>
    where
        Self: 'a;
    /// The node stored under `hash` (never [`EMPTY`]); a missing node is corruption.
    fn node(&self, hash: &Hash) -> Result<Self::Ref<'_>, StoreError>;
}

fn too_deep(hash: &Hash) -> StoreError {
    StoreError::Corrupted(format!(
        "tree path below node {} is deeper than 256 levels",
        crate::Root(*hash)
    ))
}

/// The leaf at `path` under `root`, if any.
pub(crate) fn lookup<'s, S: NodeSource>(
    src: &'s S,
    root: &Hash,
    path: &Hash,
) -> Result<Option<S::Ref<'s>>, StoreError> {
    let mut current = *root;
    let mut depth = 0;
    loop {
        if current == EMPTY {
            return Ok(None);
        }
        let node = src.node(&current)?;
        match &*node {
            Node::Internal { left, right } => {
                if depth >= 256 {
                    return Err(too_deep(root));
                }
                current = if bit(path, depth) { *right } else { *left };
                depth += 1;
            }
            Node::Leaf(leaf) => {
                return Ok((leaf.path == *path).then_some(node));
            }
        }
    }
}

/// The walk from `root` towards `path`: sibling hashes from the top down, and the node where the
/// walk ends (`None` for an empty subtree, else a leaf, which may hold another path).
pub(crate) fn proof_path<'s, S: NodeSource>(
    src: &'s S,
    root: &Hash,
    path: &Hash,
) -> Result<(Vec<Hash>, Option<S::Ref<'s>>), StoreError> {
    let mut siblings = Vec::new();
    let mut current = *root;
    loop {
        if current == EMPTY {
            return Ok((siblings, None));
        }
        let node = src.node(&current)?;
        match &*node {
            Node::Internal { left, right } => {
                let depth = siblings.len();
                if depth >= 256 {
                    return Err(too_deep(root));
                }
                let (next, sibling) = if bit(path, depth) {
                    (*right, *left)
                } else {
                    (*left, *right)
                };
                siblings.push(sibling);
                current = next;
            }
            Node::Leaf(_) => return Ok((siblings, Some(node))),
        }
    }
}

/// Calls `visit` on every leaf under `root` (depth-first, in path order).
pub(crate) fn for_each_leaf<S: NodeSource>(
    src: &S,
    root: &Hash,
    mut visit: impl FnMut(&Node) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    // (hash, depth): the depth bounds walks of a damaged (cyclic) store.
    let mut stack = vec![(*root, 0usize)];
    while let Some((hash, depth)) = stack.pop() {
        if hash == EMPTY {
            continue;
        }
        let node = src.node(&hash)?;
        match &*node {
            Node::Internal { left, right } => {
                if depth >= 256 {
                    return Err(too_deep(root));
                }
                stack.push((*right, depth + 1));
                stack.push((*left, depth + 1));
            }
            Node::Leaf(_) => visit(&node)?,
        }
    }
    Ok(())
}

/// One change to a tree: the leaf at `path` becomes `leaf` (`None` removes it).
pub(crate) struct Update {
    pub path: Hash,
    pub leaf: Option<SharedNode>,
}

/// The result of rewriting a subtree.
#[derive(Clone, Copy)]
enum Sub {
    Empty,
    /// A leaf (new or moved): collapses upward beside an empty sibling.
    Leaf(Hash),
    /// An internal node.
    Internal(Hash),
    /// An untouched existing subtree whose kind has not been looked at.
    Existing(Hash),
}

impl Sub {
    fn existing(hash: Hash) -> Sub {
        if hash == EMPTY {
            Sub::Empty
        } else {
            Sub::Existing(hash)
        }
    }
    fn hash(self) -> Hash {
        match self {
            Sub::Empty => EMPTY,
            Sub::Leaf(h) | Sub::Internal(h) | Sub::Existing(h) => h,
        }
    }
}

/// Applies `updates` (sorted by path, paths distinct) to the tree at `root` and returns the new
/// root. Every node the new tree needs that may not exist yet is appended to `created`.
pub(crate) fn update<S: NodeSource>(
    src: &S,
    root: &Hash,
    updates: &[Update],
    created: &mut Vec<(Hash, SharedNode)>,
) -> Result<Hash, StoreError> {
    debug_assert!(updates.windows(2).all(|w| w[0].path < w[1].path));
    for u in updates {
        if let Some(leaf) = &u.leaf {
            created.push((leaf.hash(), leaf.clone()));
        }
    }
    let mut writer = Writer { src, created };
    Ok(writer.rewrite(*root, 0, updates)?.hash())
}

struct Writer<'a, S> {
    src: &'a S,
    created: &'a mut Vec<(Hash, SharedNode)>,
}

impl<S: NodeSource> Writer<'_, S> {
    fn rewrite(&mut self, hash: Hash, depth: usize, updates: &[Update]) -> Result<Sub, StoreError> {
        if updates.is_empty() {
            return Ok(Sub::existing(hash));
        }
        if hash == EMPTY {
            let leaves = new_leaves(updates);
            return self.build(depth, &leaves);
        }
        let node = self.src.node(&hash)?;
        match &*node {
            Node::Leaf(existing) => {
                // The existing leaf stays unless an update replaces or removes it.
                let mut leaves = new_leaves(updates);
                if !updates.iter().any(|u| u.path == existing.path) {
                    let at = leaves.partition_point(|(p, _)| *p < existing.path);
                    leaves.insert(at, (existing.path, hash));
                }
                self.build(depth, &leaves)
            }
            Node::Internal { left, right } => {
                if depth >= 256 {
                    return Err(too_deep(&hash));
                }
                let (left, right) = (*left, *right);
                drop(node);
                let split = updates.partition_point(|u| !bit(&u.path, depth));
                let new_left = self.rewrite(left, depth + 1, &updates[..split])?;
                let new_right = self.rewrite(right, depth + 1, &updates[split..])?;
                if new_left.hash() == left && new_right.hash() == right {
                    return Ok(Sub::Internal(hash));
                }
                self.join(new_left, new_right)
            }
        }
    }

    /// The canonical subtree holding exactly `leaves` (sorted (path, leaf hash) pairs).
    fn build(&mut self, depth: usize, leaves: &[(Hash, Hash)]) -> Result<Sub, StoreError> {
        match leaves {
            [] => Ok(Sub::Empty),
            [(_, leaf)] => Ok(Sub::Leaf(*leaf)),
            _ => {
                if depth >= 256 {
                    return Err(StoreError::Corrupted(
                        "two leaves share a full 256-bit path".into(),
                    ));
                }
                let split = leaves.partition_point(|(p, _)| !bit(p, depth));
                let left = self.build(depth + 1, &leaves[..split])?;
                let right = self.build(depth + 1, &leaves[split..])?;
                self.join(left, right)
            }
        }
    }

    /// Joins two rewritten sides into the canonical parent.
    fn join(&mut self, left: Sub, right: Sub) -> Result<Sub, StoreError> {
        let lone = match (left, right) {
            (Sub::Empty, Sub::Empty) => return Ok(Sub::Empty),
            (Sub::Empty, other) | (other, Sub::Empty) => Some(other),
            _ => None,
        };
        if let Some(lone) = lone {
            match lone {
                Sub::Leaf(h) => return Ok(Sub::Leaf(h)),
                Sub::Existing(h) => {
                    if matches!(&*self.src.node(&h)?, Node::Leaf(_)) {
                        return Ok(Sub::Leaf(h));
                    }
                }
                Sub::Internal(_) | Sub::Empty => {}
            }
        }
        let (l, r) = (left.hash(), right.hash());
        let node = Node::Internal { left: l, right: r };
        let hash = internal_hash(&l, &r);
        self.created.push((hash, SharedNode::new(node)));
        Ok(Sub::Internal(hash))
    }
}

fn new_leaves(updates: &[Update]) -> Vec<(Hash, Hash)> {
    updates
        .iter()
        .filter_map(|u| u.leaf.as_ref().map(|leaf| (u.path, leaf.hash())))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::node::Leaf;

    #[derive(Default)]
    struct Map(HashMap<Hash, SharedNode>);

    impl NodeSource for Map {
        type Ref<'a> = &'a Node;
        fn node(&self, hash: &Hash) -> Result<&Node, StoreError> {
            self.0
                .get(hash)
                .map(|n| &**n)
                .ok_or_else(|| StoreError::Corrupted("missing".into()))
        }
    }

    fn apply(map: &mut Map, root: Hash, changes: &[(&str, Option<&str>)]) -> Hash {
        let mut updates: Vec<Update> = changes
            .iter()
            .map(|(k, v)| {
                let leaf = v.map(|v| {
                    SharedNode::new(Node::Leaf(Leaf::storage(k.as_bytes(), v.as_bytes())))
                });
                Update {
                    path: crate::hash::key_path(k.as_bytes()),
                    leaf,
                }
            })
            .collect();
        updates.sort_by_key(|u| u.path);
        let mut created = Vec::new();
        let root = update(&*map, &root, &updates, &mut created).unwrap();
        for (h, n) in created {
            assert_eq!(n.hash(), h);
            map.0.insert(h, n);
        }
        root
    }

    fn value(map: &Map, root: &Hash, key: &str) -> Option<String> {
        lookup(map, root, &crate::hash::key_path(key.as_bytes()))
            .unwrap()
            .map(|n| match n {
                Node::Leaf(Leaf {
                    body: crate::node::LeafBody::Storage { value, .. },
                    ..
                }) => String::from_utf8(value.to_vec()).unwrap(),
                _ => panic!("not a storage leaf"),
            })
    }

    #[test]
    fn root_is_independent_of_write_order_and_batching() {
        let keys: Vec<String> = (0..200).map(|i| format!("key-{i}")).collect();
        let mut a = Map::default();
        let mut root_a = EMPTY;
        for k in &keys {
            root_a = apply(&mut a, root_a, &[(k, Some(k))]);
        }
        let mut b = Map::default();
        let all: Vec<(&str, Option<&str>)> = keys
            .iter()
            .rev()
            .map(|k| (k.as_str(), Some(k.as_str())))
            .collect();
        let root_b = apply(&mut b, EMPTY, &all);
        assert_eq!(root_a, root_b);
        for k in &keys {
            assert_eq!(value(&a, &root_a, k).as_deref(), Some(k.as_str()));
        }
        assert_eq!(value(&a, &root_a, "absent"), None);
    }

    #[test]
    fn deleting_everything_gives_the_empty_root_and_partial_deletes_match_fresh_builds() {
        let mut m = Map::default();
        let names: Vec<String> = (0..50).map(|i| format!("k{i}")).collect();
        let writes: Vec<(&str, Option<&str>)> =
            names.iter().map(|k| (k.as_str(), Some("v"))).collect();
        let full = apply(&mut m, EMPTY, &writes);
        // Remove the odd ones: the result must equal a tree built from the even ones only.
        let removals: Vec<(&str, Option<&str>)> = names
            .iter()
            .skip(1)
            .step_by(2)
            .map(|k| (k.as_str(), None))
            .collect();
        let evens = apply(&mut m, full, &removals);
        let even_writes: Vec<(&str, Option<&str>)> = names
            .iter()
            .step_by(2)
            .map(|k| (k.as_str(), Some("v")))
            .collect();
        let mut fresh = Map::default();
        assert_eq!(apply(&mut fresh, EMPTY, &even_writes), evens);
        // One by one down to a single leaf: the root collapses to that leaf's hash.
        let mut root = evens;
        for k in names.iter().step_by(2).skip(1) {
            root = apply(&mut m, root, &[(k, None)]);
        }
        let single = Node::Leaf(Leaf::storage(b"k0", b"v"));
        assert_eq!(root, single.hash());
        assert_eq!(apply(&mut m, root, &[("k0", None)]), EMPTY);
        // Removing an absent key changes nothing.
        assert_eq!(apply(&mut m, evens, &[("nope", None)]), evens);
    }
}
