//! Sparse Merkle tree algorithms over content-addressed nodes, independent of where the nodes
//! live: lookup, batch update, proof paths and leaf listing.
//!
//! The tree is binary over 256-bit paths, in its canonical compressed form: a subtree holding
//! one leaf is that leaf (placed at the shallowest depth where it is alone), an empty subtree is
//! the all-zero hash, and an internal node never holds a single leaf beside an empty side. The tree of a
//! set of leaves is therefore unique, and so is its root, whatever the order of the writes that
//! produced it. Depth is about `log2(leaves)` for hashed paths, at most 256.
//!
//! A batch update walks only the paths of the changed leaves and creates only the nodes on
//! them, so its cost grows with the number of changes times the depth, not with the tree size.

use std::ops::Deref;

use crate::StoreError;
use crate::hash::{Hash, bit};
use crate::node::{ChildRef, Node, NodeKey, SharedNode};

/// Where the tree algorithms read nodes from.
pub(crate) trait NodeSource {
    type Ref<'a>: Deref<Target = Node>
    where
        Self: 'a;
    /// The node `child` points to (never empty). A missing node, or one that does not hash to
    /// `child.hash`, is corruption.
    fn node(&self, child: &ChildRef) -> Result<Self::Ref<'_>, StoreError>;
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
    root: &ChildRef,
    path: &Hash,
) -> Result<Option<S::Ref<'s>>, StoreError> {
    let mut current = *root;
    let mut depth = 0;
    loop {
        if current.is_empty() {
            return Ok(None);
        }
        let node = src.node(&current)?;
        match &*node {
            Node::Internal { left, right } => {
                if depth >= 256 {
                    return Err(too_deep(&root.hash));
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
    root: &ChildRef,
    path: &Hash,
) -> Result<(Vec<Hash>, Option<S::Ref<'s>>), StoreError> {
    let mut siblings = Vec::new();
    let mut current = *root;
    loop {
        if current.is_empty() {
            return Ok((siblings, None));
        }
        let node = src.node(&current)?;
        match &*node {
            Node::Internal { left, right } => {
                let depth = siblings.len();
                if depth >= 256 {
                    return Err(too_deep(&root.hash));
                }
                let (next, sibling) = if bit(path, depth) {
                    (*right, *left)
                } else {
                    (*left, *right)
                };
                siblings.push(sibling.hash);
                current = next;
            }
            Node::Leaf(_) => return Ok((siblings, Some(node))),
        }
    }
}

/// Calls `visit` on every leaf under `root` (depth-first, in path order).
pub(crate) fn for_each_leaf<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    mut visit: impl FnMut(&Node) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    // (node, depth): the depth bounds walks of a damaged (cyclic) store.
    let mut stack = vec![(*root, 0usize)];
    while let Some((child, depth)) = stack.pop() {
        if child.is_empty() {
            continue;
        }
        let node = src.node(&child)?;
        match &*node {
            Node::Internal { left, right } => {
                if depth >= 256 {
                    return Err(too_deep(&root.hash));
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

/// Nodes created by one commit plan, keyed `(batch, 0..)` in creation order.
pub(crate) struct Created {
    pub batch: u64,
    pub nodes: Vec<SharedNode>,
}

impl Created {
    pub fn new(batch: u64) -> Self {
        Created {
            batch,
            nodes: Vec::new(),
        }
    }

    /// Stores a new node and returns a reference to it.
    pub fn add(&mut self, node: SharedNode) -> Result<ChildRef, StoreError> {
        let index = u32::try_from(self.nodes.len())
            .map_err(|_| StoreError::Backend("more than 2^32 new nodes in one commit".into()))?;
        let child = ChildRef {
            hash: node.hash(),
            key: NodeKey {
                batch: self.batch,
                index,
            },
        };
        self.nodes.push(node);
        Ok(child)
    }

    /// The node behind `key`, if this plan created it.
    pub fn get(&self, key: &NodeKey) -> Option<&SharedNode> {
        if key.batch != self.batch {
            return None;
        }
        self.nodes.get(key.index as usize)
    }
}

/// The result of rewriting a subtree.
#[derive(Clone, Copy)]
enum Sub {
    Empty,
    /// A leaf (new or moved): collapses upward beside an empty sibling.
    Leaf(ChildRef),
    /// An internal node.
    Internal(ChildRef),
    /// An untouched existing subtree whose kind has not been looked at.
    Existing(ChildRef),
}

impl Sub {
    fn existing(child: ChildRef) -> Sub {
        if child.is_empty() {
            Sub::Empty
        } else {
            Sub::Existing(child)
        }
    }
    fn child(self) -> ChildRef {
        match self {
            Sub::Empty => ChildRef::EMPTY,
            Sub::Leaf(c) | Sub::Internal(c) | Sub::Existing(c) => c,
        }
    }
}

/// Applies `updates` (sorted by path, paths distinct) to the tree at `root` and returns the new
/// root. New nodes are added to `created`; untouched subtrees are referenced, not copied.
pub(crate) fn update<S: NodeSource>(
    src: &S,
    root: &ChildRef,
    updates: &[Update],
    created: &mut Created,
) -> Result<ChildRef, StoreError> {
    debug_assert!(updates.windows(2).all(|w| w[0].path < w[1].path));
    let mut leaves = Vec::with_capacity(updates.len());
    for u in updates {
        leaves.push(match &u.leaf {
            Some(leaf) => Some(created.add(leaf.clone())?),
            None => None,
        });
    }
    let changes: Vec<Change> = updates
        .iter()
        .zip(leaves)
        .map(|(u, leaf)| Change { path: u.path, leaf })
        .collect();
    let mut writer = Writer { src, created };
    Ok(writer.rewrite(*root, 0, &changes)?.child())
}

/// An update whose new leaf is already stored.
struct Change {
    path: Hash,
    leaf: Option<ChildRef>,
}

struct Writer<'a, S> {
    src: &'a S,
    created: &'a mut Created,
}

impl<S: NodeSource> Writer<'_, S> {
    fn rewrite(
        &mut self,
        current: ChildRef,
        depth: usize,
        changes: &[Change],
    ) -> Result<Sub, StoreError> {
        if changes.is_empty() {
            return Ok(Sub::existing(current));
        }
        if current.is_empty() {
            let leaves = new_leaves(changes);
            return self.build(depth, &leaves);
        }
        let node = self.src.node(&current)?;
        match &*node {
            Node::Leaf(existing) => {
                // The existing leaf stays unless a change replaces or removes it.
                let mut leaves = new_leaves(changes);
                if !changes.iter().any(|c| c.path == existing.path) {
                    let at = leaves.partition_point(|(p, _)| *p < existing.path);
                    leaves.insert(at, (existing.path, current));
                }
                drop(node);
                self.build(depth, &leaves)
            }
            Node::Internal { left, right } => {
                if depth >= 256 {
                    return Err(too_deep(&current.hash));
                }
                let (left, right) = (*left, *right);
                drop(node);
                let split = changes.partition_point(|c| !bit(&c.path, depth));
                let new_left = self.rewrite(left, depth + 1, &changes[..split])?;
                let new_right = self.rewrite(right, depth + 1, &changes[split..])?;
                if new_left.child().hash == left.hash && new_right.child().hash == right.hash {
                    return Ok(Sub::Internal(current));
                }
                self.join(new_left, new_right)
            }
        }
    }

    /// The canonical subtree holding exactly `leaves` (sorted (path, leaf) pairs).
    fn build(&mut self, depth: usize, leaves: &[(Hash, ChildRef)]) -> Result<Sub, StoreError> {
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
                Sub::Leaf(c) => return Ok(Sub::Leaf(c)),
                Sub::Existing(c) => {
                    if matches!(&*self.src.node(&c)?, Node::Leaf(_)) {
                        return Ok(Sub::Leaf(c));
                    }
                }
                Sub::Internal(_) | Sub::Empty => {}
            }
        }
        let node = Node::Internal {
            left: left.child(),
            right: right.child(),
        };
        Ok(Sub::Internal(self.created.add(SharedNode::new(node))?))
    }
}

fn new_leaves(changes: &[Change]) -> Vec<(Hash, ChildRef)> {
    changes
        .iter()
        .filter_map(|c| c.leaf.map(|leaf| (c.path, leaf)))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::node::Leaf;

    #[derive(Default)]
    struct Map(HashMap<NodeKey, SharedNode>, u64);

    impl NodeSource for Map {
        type Ref<'a> = &'a Node;
        fn node(&self, child: &ChildRef) -> Result<&Node, StoreError> {
            let node = self
                .0
                .get(&child.key)
                .ok_or_else(|| StoreError::Corrupted("missing".into()))?;
            assert_eq!(node.hash(), child.hash);
            Ok(node)
        }
    }

    fn apply(map: &mut Map, root: ChildRef, changes: &[(&str, Option<&str>)]) -> ChildRef {
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
        map.1 += 1;
        let mut created = Created::new(map.1);
        let root = update(&*map, &root, &updates, &mut created).unwrap();
        for (index, n) in created.nodes.into_iter().enumerate() {
            let key = NodeKey {
                batch: map.1,
                index: index as u32,
            };
            map.0.insert(key, n);
        }
        root
    }

    fn value(map: &Map, root: &ChildRef, key: &str) -> Option<String> {
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
        let mut root_a = ChildRef::EMPTY;
        for k in &keys {
            root_a = apply(&mut a, root_a, &[(k, Some(k))]);
        }
        let mut b = Map::default();
        let all: Vec<(&str, Option<&str>)> = keys
            .iter()
            .rev()
            .map(|k| (k.as_str(), Some(k.as_str())))
            .collect();
        let root_b = apply(&mut b, ChildRef::EMPTY, &all);
        assert_eq!(root_a.hash, root_b.hash);
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
        let full = apply(&mut m, ChildRef::EMPTY, &writes);
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
        assert_eq!(
            apply(&mut fresh, ChildRef::EMPTY, &even_writes).hash,
            evens.hash
        );
        // One by one down to a single leaf: the root collapses to that leaf's hash.
        let mut root = evens;
        for k in names.iter().step_by(2).skip(1) {
            root = apply(&mut m, root, &[(k, None)]);
        }
        let single = Node::Leaf(Leaf::storage(b"k0", b"v"));
        assert_eq!(root.hash, single.hash());
        assert!(apply(&mut m, root, &[("k0", None)]).is_empty());
        // Removing an absent key changes nothing.
        assert_eq!(apply(&mut m, evens, &[("nope", None)]), evens);
    }
}
