//! Inclusion and exclusion proofs against a state root, and their verification.
//!
//! Verification is pure: it needs the root, the question (contract, key) and the proof bytes,
//! nothing else — no database, no store type — so a light client can link this module alone.
//!
//! A [`StorageProof`] has two legs, mirroring the two-level state layout (see the crate docs):
//! the global tree's path to the contract's leaf ([`ContractProof`]), then, if the contract
//! exists, the path inside its storage tree to the key. Each leg is a [`MerkleProof`]: the sibling
//! hashes from the root down to where the walk towards the path ends, plus what it ends on —
//! an empty subtree, the wanted leaf, or another leaf (which proves the wanted path absent,
//! because a canonical tree would hold both leaves below their common prefix).
//!
//! Encoding: borsh (`to_bytes`/`from_bytes`), canonical. A [`MerkleProof`] is encoded compactly:
//! its depth (u16), a bitmap of non-empty siblings, then only the non-empty sibling hashes.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::hash::{self, EMPTY, Hash, bit, common_prefix_bits, internal_hash, leaf_hash};
use crate::node::ContractRecord;
use crate::{ContractId, Root};

/// Why a proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("proof is {0} levels deep; a 256-bit tree has at most 256")]
    TooDeep(usize),
    #[error("proof is about contract {found}, not {expected}")]
    WrongContract {
        expected: ContractId,
        found: ContractId,
    },
    #[error("proof is about another storage key")]
    WrongKey,
    #[error("proof recomputes root {computed}, not the expected {expected}")]
    RootMismatch { expected: Root, computed: Root },
    #[error("the leaf the proof ends on does not lie on the path of the {0}")]
    LeafOffPath(&'static str),
    #[error("the proof's {0} does not match the leaf it claims")]
    ValueMismatch(&'static str),
    #[error("the proof claims a contract but carries no storage proof, or the reverse")]
    StorageLegMismatch,
    #[error("malformed proof encoding: {0}")]
    Encoding(String),
}

/// Where a walk towards a path ends.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Terminal {
    /// An empty subtree: nothing is stored under this prefix.
    Empty,
    /// A leaf, given by its path and value hash (its path may differ from the wanted one).
    Leaf {
        path: [u8; 32],
        value_hash: [u8; 32],
    },
}

/// One Merkle path in a sparse Merkle tree: sibling hashes from the root down (an empty
/// subtree's hash is all zeros), and what the walk ends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleProof {
    pub siblings: Vec<[u8; 32]>,
    pub terminal: Terminal,
}

/// What a [`MerkleProof`] shows about one path.
enum PathClaim {
    Absent,
    Present { value_hash: Hash },
}

impl MerkleProof {
    /// Recomputes the root from the walk towards `path` and says what it shows about `path`.
    fn evaluate(&self, path: &Hash, what: &'static str) -> Result<(Hash, PathClaim), ProofError> {
        let depth = self.siblings.len();
        if depth > 256 {
            return Err(ProofError::TooDeep(depth));
        }
        let (mut acc, claim) = match &self.terminal {
            Terminal::Empty => (EMPTY, PathClaim::Absent),
            Terminal::Leaf {
                path: leaf_path,
                value_hash,
            } => {
                // The leaf must sit on the walked prefix; otherwise the walk does not lead to it.
                if common_prefix_bits(leaf_path, path) < depth {
                    return Err(ProofError::LeafOffPath(what));
                }
                let claim = if leaf_path == path {
                    PathClaim::Present {
                        value_hash: *value_hash,
                    }
                } else {
                    PathClaim::Absent
                };
                (leaf_hash(leaf_path, value_hash), claim)
            }
        };
        for (depth, sibling) in self.siblings.iter().enumerate().rev() {
            acc = if bit(path, depth) {
                internal_hash(sibling, &acc)
            } else {
                internal_hash(&acc, sibling)
            };
        }
        Ok((acc, claim))
    }
}

impl BorshSerialize for MerkleProof {
    fn serialize<W: std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        let depth = u16::try_from(self.siblings.len())
            .ok()
            .filter(|d| *d <= 256)
            .ok_or_else(|| std::io::Error::other("merkle proof deeper than 256 levels"))?;
        depth.serialize(writer)?;
        let mut bitmap = vec![0u8; (depth as usize).div_ceil(8)];
        for (i, s) in self.siblings.iter().enumerate() {
            if *s != EMPTY {
                bitmap[i / 8] |= 0x80 >> (i % 8);
            }
        }
        writer.write_all(&bitmap)?;
        for s in self.siblings.iter().filter(|s| **s != EMPTY) {
            writer.write_all(s)?;
        }
        self.terminal.serialize(writer)
    }
}

impl BorshDeserialize for MerkleProof {
    fn deserialize_reader<R: std::io::Read>(reader: &mut R) -> std::io::Result<Self> {
        let invalid =
            |msg: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string());
        let depth = u16::deserialize_reader(reader)? as usize;
        if depth > 256 {
            return Err(invalid("merkle proof deeper than 256 levels"));
        }
        let mut bitmap = vec![0u8; depth.div_ceil(8)];
        reader.read_exact(&mut bitmap)?;
        if !depth.is_multiple_of(8)
            && bitmap
                .last()
                .is_some_and(|b| b & (0xff >> (depth % 8)) != 0)
        {
            return Err(invalid("bits set past the end of the sibling bitmap"));
        }
        let mut siblings = Vec::with_capacity(depth);
        for i in 0..depth {
            if bitmap[i / 8] & (0x80 >> (i % 8)) != 0 {
                let mut s = [0u8; 32];
                reader.read_exact(&mut s)?;
                if s == EMPTY {
                    return Err(invalid("an empty sibling must be encoded in the bitmap"));
                }
                siblings.push(s);
            } else {
                siblings.push(EMPTY);
            }
        }
        let terminal = Terminal::deserialize_reader(reader)?;
        Ok(MerkleProof { siblings, terminal })
    }
}

/// Proof of a contract's record (owner, code hash, storage root), or of its absence.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ContractProof {
    /// The contract asked about.
    pub contract: [u8; 32],
    /// Walk of the global tree towards the contract's path.
    pub path: MerkleProof,
    /// The contract's record if the proof shows it deployed.
    pub record: Option<ContractRecord>,
}

/// Proof of the value of one storage key of one contract, or of its absence.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct StorageProof {
    pub contract: ContractProof,
    /// The storage key asked about.
    pub key: Vec<u8>,
    /// Walk of the contract's storage tree towards the key; present iff the contract is.
    pub storage_path: Option<MerkleProof>,
    /// The value, if the proof shows the key present.
    pub value: Option<Vec<u8>>,
}

/// What a verified [`StorageProof`] establishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageClaim<'a> {
    /// No contract with this id exists at the root.
    NoContract,
    /// The contract exists and the key is absent from its storage.
    Absent(&'a ContractRecord),
    /// The contract exists and the key holds `value`.
    Present(&'a ContractRecord, &'a [u8]),
}

impl StorageClaim<'_> {
    /// The proven value, if any.
    pub fn value(&self) -> Option<&[u8]> {
        match self {
            StorageClaim::Present(_, v) => Some(v),
            _ => None,
        }
    }
}

fn check_root(expected: &Root, computed: Hash) -> Result<(), ProofError> {
    if computed != expected.0 {
        return Err(ProofError::RootMismatch {
            expected: *expected,
            computed: Root(computed),
        });
    }
    Ok(())
}

impl ContractProof {
    /// Checks the proof against `root` for `contract`: `Some(record)` if the contract is
    /// deployed there, `None` if it is proven absent.
    pub fn verify(
        &self,
        root: &Root,
        contract: &ContractId,
    ) -> Result<Option<&ContractRecord>, ProofError> {
        if self.contract != contract.0 {
            return Err(ProofError::WrongContract {
                expected: *contract,
                found: ContractId(self.contract),
            });
        }
        let path = hash::contract_path(&contract.0);
        let (computed, claim) = self.path.evaluate(&path, "contract")?;
        check_root(root, computed)?;
        match (claim, &self.record) {
            (PathClaim::Absent, None) => Ok(None),
            (PathClaim::Present { value_hash }, Some(record)) => {
                if record.id != contract.0 || record.value_hash() != value_hash {
                    return Err(ProofError::ValueMismatch("contract record"));
                }
                Ok(Some(record))
            }
            _ => Err(ProofError::ValueMismatch("contract record")),
        }
    }

    /// Canonical borsh encoding (fails only for a hand-built proof deeper than 256 levels).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ProofError> {
        borsh::to_vec(self).map_err(|e| ProofError::Encoding(e.to_string()))
    }

    /// Decodes [`Self::to_bytes`]'s output; trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        borsh::from_slice(bytes).map_err(|e| ProofError::Encoding(e.to_string()))
    }
}

impl StorageProof {
    /// Checks the proof against `root` for (`contract`, `key`) and returns what it proves.
    /// Fails unless the proof is about exactly this contract and key and recomputes `root`.
    pub fn verify(
        &self,
        root: &Root,
        contract: &ContractId,
        key: &[u8],
    ) -> Result<StorageClaim<'_>, ProofError> {
        if self.key != key {
            return Err(ProofError::WrongKey);
        }
        let record = self.contract.verify(root, contract)?;
        let (record, storage_path) = match (record, &self.storage_path) {
            (None, None) if self.value.is_none() => return Ok(StorageClaim::NoContract),
            (Some(record), Some(storage_path)) => (record, storage_path),
            _ => return Err(ProofError::StorageLegMismatch),
        };
        let (computed, claim) = storage_path.evaluate(&hash::key_path(key), "key")?;
        if computed != record.storage_root {
            return Err(ProofError::RootMismatch {
                expected: Root(record.storage_root),
                computed: Root(computed),
            });
        }
        match (claim, &self.value) {
            (PathClaim::Absent, None) => Ok(StorageClaim::Absent(record)),
            (PathClaim::Present { value_hash }, Some(value))
                if hash::storage_value_hash(value) == value_hash =>
            {
                Ok(StorageClaim::Present(record, value))
            }
            _ => Err(ProofError::ValueMismatch("value")),
        }
    }

    /// Canonical borsh encoding (fails only for a hand-built proof deeper than 256 levels).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ProofError> {
        borsh::to_vec(self).map_err(|e| ProofError::Encoding(e.to_string()))
    }

    /// Decodes [`Self::to_bytes`]'s output; trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        borsh::from_slice(bytes).map_err(|e| ProofError::Encoding(e.to_string()))
    }
}
