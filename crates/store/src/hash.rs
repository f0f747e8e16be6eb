//! The hash functions of the state commitment, one per role, each with its own one-byte domain
//! tag so that no preimage of one role can be read as a preimage of another.
//!
//! Everything here is BLAKE2b-256 (unkeyed, no personalization), so a light client in any
//! language can recompute it from the layout documented in the crate root.

/// A 32-byte BLAKE2b-256 digest.
pub type Hash = [u8; 32];

/// The hash of an empty subtree. Not the hash of anything: a preimage would be needed.
pub const EMPTY: Hash = [0u8; 32];

/// Domain tags (first byte of every hashed preimage).
mod tag {
    pub const LEAF: u8 = 0x00;
    pub const INTERNAL: u8 = 0x01;
    pub const CONTRACT_PATH: u8 = 0x02;
    pub const KEY_PATH: u8 = 0x03;
    pub const CONTRACT_VALUE: u8 = 0x04;
    pub const STORAGE_VALUE: u8 = 0x05;
}

fn hash_parts(parts: &[&[u8]]) -> Hash {
    let mut state = blake2b_simd::Params::new().hash_length(32).to_state();
    for part in parts {
        state.update(part);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(state.finalize().as_bytes());
    out
}

/// Hash of a leaf node: `H(0x00 || path || value_hash)`. A leaf's hash does not depend on its
/// depth, so a leaf can move up or down the tree without being rewritten.
pub fn leaf_hash(path: &Hash, value_hash: &Hash) -> Hash {
    hash_parts(&[&[tag::LEAF], path, value_hash])
}

/// Hash of an internal node: `H(0x01 || left || right)`, with [`EMPTY`] for an empty side.
pub fn internal_hash(left: &Hash, right: &Hash) -> Hash {
    hash_parts(&[&[tag::INTERNAL], left, right])
}

/// Position of a contract in the global tree: `H(0x02 || contract id)`.
pub fn contract_path(id: &[u8; 32]) -> Hash {
    hash_parts(&[&[tag::CONTRACT_PATH], id])
}

/// Position of a storage key in its contract's storage tree: `H(0x03 || key)`.
pub fn key_path(key: &[u8]) -> Hash {
    hash_parts(&[&[tag::KEY_PATH], key])
}

/// Value hash of a contract leaf: `H(0x04 || owner || code_hash || storage_root)`.
pub fn contract_value_hash(owner: &[u8; 32], code_hash: &[u8; 32], storage_root: &Hash) -> Hash {
    hash_parts(&[&[tag::CONTRACT_VALUE], owner, code_hash, storage_root])
}

/// Value hash of a storage leaf: `H(0x05 || value)`.
pub fn storage_value_hash(value: &[u8]) -> Hash {
    hash_parts(&[&[tag::STORAGE_VALUE], value])
}

/// Bit `depth` of `path`, most significant bit of byte 0 first. `depth` must be below 256.
#[inline]
pub fn bit(path: &Hash, depth: usize) -> bool {
    (path[depth / 8] >> (7 - depth % 8)) & 1 == 1
}

/// Number of leading bits on which `a` and `b` agree (256 when equal).
pub fn common_prefix_bits(a: &Hash, b: &Hash) -> usize {
    for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
        let diff = x ^ y;
        if diff != 0 {
            return i * 8 + diff.leading_zeros() as usize;
        }
    }
    256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_msb_first() {
        let mut p = [0u8; 32];
        p[0] = 0b1000_0001;
        p[31] = 1;
        assert!(bit(&p, 0));
        assert!(!bit(&p, 1));
        assert!(bit(&p, 7));
        assert!(bit(&p, 255));
        assert!(!bit(&p, 254));
    }

    #[test]
    fn common_prefix() {
        let a = [0u8; 32];
        let mut b = [0u8; 32];
        assert_eq!(common_prefix_bits(&a, &b), 256);
        b[2] = 0b0010_0000;
        assert_eq!(common_prefix_bits(&a, &b), 18);
    }

    #[test]
    fn roles_are_domain_separated() {
        let zero = [0u8; 32];
        assert_ne!(contract_path(&zero), key_path(&zero));
        assert_ne!(leaf_hash(&zero, &zero), internal_hash(&zero, &zero));
        assert_ne!(storage_value_hash(b""), key_path(b""));
    }
}
