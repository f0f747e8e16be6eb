//! Tree nodes as the stores keep them: in memory (`Node`) and as bytes in the database.
//!
//! Nodes are content-addressed: a node is stored under its Merkle hash, so identical subtrees
//! of different roots are stored once and a node never changes after it is written. Decoding
//! recomputes the hash from the bytes and compares it with the address it was read from, so a
//! damaged or foreign record is reported as corruption instead of being trusted.
//!
//! Byte encoding (version 1, first byte is the kind):
//! - internal: `0x01 || left (32) || right (32)`
//! - storage leaf: `0x02 || key_len (u16 LE) || key || value`
//! - contract leaf: `0x03 || contract id (32) || owner (32) || code_hash (32) || storage_root (32)`
//!
//! Leaf paths and value hashes are not stored: they are recomputed from the key/value or the
//! contract record, which is what makes the hash check above cover every stored byte.

use std::sync::Arc;

use crate::hash::{self, EMPTY, Hash};
use crate::{ContractId, ContractMeta, StoreError};

const KIND_INTERNAL: u8 = 0x01;
const KIND_STORAGE_LEAF: u8 = 0x02;
const KIND_CONTRACT_LEAF: u8 = 0x03;

/// A node of a sparse Merkle tree (the global tree or a contract's storage tree).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    /// Two children, at least one non-empty; never a single leaf beside an empty side (such a
    /// subtree is the leaf itself), which makes the tree of a given key set unique.
    Internal {
        left: Hash,
        right: Hash,
    },
    Leaf(Leaf),
}

/// A leaf: where it sits (`path`), what it commits to (`value_hash`) and the data behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Leaf {
    pub path: Hash,
    pub value_hash: Hash,
    pub body: LeafBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LeafBody {
    /// A key/value pair of one contract's storage tree.
    Storage { key: Box<[u8]>, value: Box<[u8]> },
    /// A contract in the global tree.
    Contract(ContractRecord),
}

/// What the global tree records about one contract: its id, metadata and the root of its
/// storage tree. `owner`, `code_hash` and `storage_root` are the preimage of the contract
/// leaf's value hash; the id is bound by the leaf's path.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct ContractRecord {
    pub id: [u8; 32],
    pub owner: [u8; 32],
    pub code_hash: [u8; 32],
    /// Root hash of the contract's storage tree ([`EMPTY`] for no storage).
    pub storage_root: [u8; 32],
}

impl ContractRecord {
    pub fn contract_id(&self) -> ContractId {
        ContractId(self.id)
    }
    pub fn meta(&self) -> ContractMeta {
        ContractMeta {
            owner: self.owner,
            code_hash: self.code_hash,
        }
    }
    /// Hash committed to by the contract's leaf in the global tree.
    pub fn value_hash(&self) -> Hash {
        hash::contract_value_hash(&self.owner, &self.code_hash, &self.storage_root)
    }
}

impl Leaf {
    pub fn storage(key: &[u8], value: &[u8]) -> Self {
        Leaf {
            path: hash::key_path(key),
            value_hash: hash::storage_value_hash(value),
            body: LeafBody::Storage {
                key: key.into(),
                value: value.into(),
            },
        }
    }

    pub fn contract(record: ContractRecord) -> Self {
        Leaf {
            path: hash::contract_path(&record.id),
            value_hash: record.value_hash(),
            body: LeafBody::Contract(record),
        }
    }
}

impl Node {
    pub fn hash(&self) -> Hash {
        match self {
            Node::Internal { left, right } => hash::internal_hash(left, right),
            Node::Leaf(leaf) => hash::leaf_hash(&leaf.path, &leaf.value_hash),
        }
    }

    /// Nodes this node keeps alive (for reference counting): non-empty children, and a contract
    /// leaf's storage tree root.
    pub fn child_nodes(&self) -> impl Iterator<Item = Hash> + '_ {
        let (a, b) = match self {
            Node::Internal { left, right } => (*left, *right),
            Node::Leaf(Leaf {
                body: LeafBody::Contract(record),
                ..
            }) => (record.storage_root, EMPTY),
            Node::Leaf(_) => (EMPTY, EMPTY),
        };
        [a, b].into_iter().filter(|h| *h != EMPTY)
    }

    /// Code blob this node keeps alive: a contract leaf's code.
    pub fn code_ref(&self) -> Option<Hash> {
        match self {
            Node::Leaf(Leaf {
                body: LeafBody::Contract(record),
                ..
            }) => Some(record.code_hash),
            _ => None,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        match self {
            Node::Internal { left, right } => {
                let mut out = Vec::with_capacity(65);
                out.push(KIND_INTERNAL);
                out.extend_from_slice(left);
                out.extend_from_slice(right);
                out
            }
            Node::Leaf(leaf) => match &leaf.body {
                LeafBody::Storage { key, value } => {
                    let mut out = Vec::with_capacity(3 + key.len() + value.len());
                    out.push(KIND_STORAGE_LEAF);
                    // Keys are bounded by `limits::MAX_KEY_LEN` (256) at commit time.
                    out.extend_from_slice(&(key.len() as u16).to_le_bytes());
                    out.extend_from_slice(key);
                    out.extend_from_slice(value);
                    out
                }
                LeafBody::Contract(r) => {
                    let mut out = Vec::with_capacity(129);
                    out.push(KIND_CONTRACT_LEAF);
                    out.extend_from_slice(&r.id);
                    out.extend_from_slice(&r.owner);
                    out.extend_from_slice(&r.code_hash);
                    out.extend_from_slice(&r.storage_root);
                    out
                }
            },
        }
    }

    /// Decodes the record stored under `expected`, checking that it hashes to `expected`.
    pub fn decode(expected: &Hash, bytes: &[u8]) -> Result<Node, StoreError> {
        let bad =
            |what: &str| StoreError::Corrupted(format!("node {}: {what}", crate::Root(*expected)));
        let (&kind, rest) = bytes.split_first().ok_or_else(|| bad("empty record"))?;
        let node = match kind {
            KIND_INTERNAL => {
                let (left, right) = rest
                    .split_first_chunk::<32>()
                    .ok_or_else(|| bad("truncated internal node"))?;
                let right: &[u8; 32] = right
                    .try_into()
                    .map_err(|_| bad("internal node of the wrong length"))?;
                if *left == EMPTY && *right == EMPTY {
                    return Err(bad("internal node with two empty children"));
                }
                Node::Internal {
                    left: *left,
                    right: *right,
                }
            }
            KIND_STORAGE_LEAF => {
                let (len, rest) = rest
                    .split_first_chunk::<2>()
                    .ok_or_else(|| bad("truncated storage leaf"))?;
                let len = u16::from_le_bytes(*len) as usize;
                if rest.len() < len {
                    return Err(bad("storage leaf key runs past the record"));
                }
                let (key, value) = rest.split_at(len);
                Node::Leaf(Leaf::storage(key, value))
            }
            KIND_CONTRACT_LEAF => {
                let fields: &[u8; 128] = rest
                    .try_into()
                    .map_err(|_| bad("contract leaf of the wrong length"))?;
                let field = |i: usize| {
                    let mut out = [0u8; 32];
                    out.copy_from_slice(&fields[i * 32..(i + 1) * 32]);
                    out
                };
                Node::Leaf(Leaf::contract(ContractRecord {
                    id: field(0),
                    owner: field(1),
                    code_hash: field(2),
                    storage_root: field(3),
                }))
            }
            other => return Err(bad(&format!("unknown node kind {other:#04x}"))),
        };
        if node.hash() != *expected {
            return Err(bad("record does not hash to its address"));
        }
        Ok(node)
    }

    /// Length of [`Self::encode`]'s output, without encoding.
    pub fn encoded_len(&self) -> usize {
        match self {
            Node::Internal { .. } => 65,
            Node::Leaf(Leaf {
                body: LeafBody::Storage { key, value },
                ..
            }) => 3 + key.len() + value.len(),
            Node::Leaf(_) => 129,
        }
    }

    /// Approximate heap footprint, for the byte budget of node caches.
    pub fn footprint(&self) -> usize {
        let body = match self {
            Node::Leaf(Leaf {
                body: LeafBody::Storage { key, value },
                ..
            }) => key.len() + value.len(),
            _ => 0,
        };
        std::mem::size_of::<Node>() + body + 64
    }
}

/// A node shared between a cache and its readers.
pub(crate) type SharedNode = Arc<Node>;

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(node: Node) {
        let h = node.hash();
        let bytes = node.encode();
        assert_eq!(bytes.len(), node.encoded_len());
        assert_eq!(Node::decode(&h, &bytes).unwrap(), node);
        // Any flipped byte is caught by the hash check (or the structural checks).
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x40;
            assert!(matches!(
                Node::decode(&h, &damaged),
                Err(StoreError::Corrupted(_))
            ));
        }
        assert!(Node::decode(&h, &bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn encodings_roundtrip_and_detect_damage() {
        roundtrip(Node::Internal {
            left: [1; 32],
            right: EMPTY,
        });
        roundtrip(Node::Leaf(Leaf::storage(b"key", b"value")));
        roundtrip(Node::Leaf(Leaf::storage(b"", b"")));
        roundtrip(Node::Leaf(Leaf::contract(ContractRecord {
            id: [1; 32],
            owner: [2; 32],
            code_hash: [3; 32],
            storage_root: [4; 32],
        })));
    }

    #[test]
    fn rejects_unknown_kind_and_empty() {
        assert!(Node::decode(&[0; 32], &[]).is_err());
        assert!(Node::decode(&[0; 32], &[9, 1, 2]).is_err());
    }
}
