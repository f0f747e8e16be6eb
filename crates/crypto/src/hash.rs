//! Byte hashes: `blake2b_256`, `sha256`, `keccak256`, and Dusk's `hash_to_scalar`.
//!
//! Input layout: any bytes (the guest's `ptr..+len`); output: 32 bytes. None of them can fail, so
//! they return the digest directly. Their prices grow with the input in 32-byte words
//! ([`crate::gas::words`]); the host also bounds the input by the guest's memory.
//!
//! - `blake2b_256`: BLAKE2b with a 32-byte digest, no key, no salt, no personalisation (RFC 7693).
//! - `sha256`: FIPS 180-4 SHA-256.
//! - `keccak256`: Ethereum's Keccak-256 (original Keccak padding, not FIPS 202 SHA3-256).
//! - `hash_to_scalar`: `dusk_bls12_381::BlsScalar::hash_to_scalar`: BLAKE2b-512 of the input read as
//!   a little-endian 512-bit integer reduced modulo the BLS12-381 scalar field order, written as
//!   the scalar's canonical 32-byte little-endian encoding. This is the function Dusk uses to map
//!   bytes to scalars (e.g. the Poseidon sponge tag, BLS multisig coefficients).

use dusk_bls12_381::BlsScalar;
use sha2::Digest as _;

use crate::gas::{gas_from_nanos, linear, words};

/// BLAKE2b-256 of `input`.
pub fn blake2b_256(input: &[u8]) -> [u8; 32] {
    let digest = blake2b_simd::Params::new().hash_length(32).hash(input);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_bytes());
    out
}

/// SHA-256 of `input`.
pub fn sha256(input: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(input).into()
}

/// Keccak-256 (Ethereum's) of `input`.
pub fn keccak256(input: &[u8]) -> [u8; 32] {
    sha3::Keccak256::digest(input).into()
}

/// Dusk's `BlsScalar::hash_to_scalar(input)`, as the scalar's canonical little-endian bytes.
pub fn hash_to_scalar(input: &[u8]) -> [u8; 32] {
    BlsScalar::hash_to_scalar(input).to_bytes()
}

// ----- gas ---------------------------------------------------------------------------------------
// Measured as described in `crate::gas` (bench group `hash/`), medians at 32-byte and 4096-byte
// inputs. `PER_WORD` is the slope between the two sizes (127 words apart); `BASE` is chosen so
// that the line lies at or above both points.

/// blake2b_256: 32 B → 155 ns, 4096 B → 3 774 ns.
pub const BLAKE2B_256_BASE_GAS: u64 = gas_from_nanos(126);
/// blake2b_256, per 32-byte word: (3 774 − 155) / 127 = 28.5 ns.
pub const BLAKE2B_256_PER_WORD_GAS: u64 = gas_from_nanos(29);

/// sha256: 32 B → 71 ns, 4096 B → 2 767 ns.
pub const SHA256_BASE_GAS: u64 = gas_from_nanos(49);
/// sha256, per 32-byte word: (2 767 − 71) / 127 = 21.2 ns.
pub const SHA256_PER_WORD_GAS: u64 = gas_from_nanos(22);

/// keccak256: 32 B → 376 ns, 4096 B → 10 991 ns.
pub const KECCAK256_BASE_GAS: u64 = gas_from_nanos(292);
/// keccak256, per 32-byte word: (10 991 − 376) / 127 = 83.6 ns.
pub const KECCAK256_PER_WORD_GAS: u64 = gas_from_nanos(84);

/// hash_to_scalar: 32 B → 258 ns, 4096 B → 4 103 ns (BLAKE2b-512 plus one wide reduction).
pub const HASH_TO_SCALAR_BASE_GAS: u64 = gas_from_nanos(227);
/// hash_to_scalar, per 32-byte word: (4 103 − 258) / 127 = 30.3 ns.
pub const HASH_TO_SCALAR_PER_WORD_GAS: u64 = gas_from_nanos(31);

/// Price of `blake2b_256` over `input_len` bytes.
pub const fn blake2b_256_gas(input_len: usize) -> u64 {
    linear(
        BLAKE2B_256_BASE_GAS,
        BLAKE2B_256_PER_WORD_GAS,
        words(input_len),
    )
}

/// Price of `sha256` over `input_len` bytes.
pub const fn sha256_gas(input_len: usize) -> u64 {
    linear(SHA256_BASE_GAS, SHA256_PER_WORD_GAS, words(input_len))
}

/// Price of `keccak256` over `input_len` bytes.
pub const fn keccak256_gas(input_len: usize) -> u64 {
    linear(KECCAK256_BASE_GAS, KECCAK256_PER_WORD_GAS, words(input_len))
}

/// Price of `hash_to_scalar` over `input_len` bytes.
pub const fn hash_to_scalar_gas(input_len: usize) -> u64 {
    linear(
        HASH_TO_SCALAR_BASE_GAS,
        HASH_TO_SCALAR_PER_WORD_GAS,
        words(input_len),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).expect("test vector is 32 bytes of hex");
        out
    }

    /// RFC 7693 Appendix A gives BLAKE2b-512("abc"); the 256-bit variants below are the widely
    /// published BLAKE2b-256 answers (e.g. `b2sum -l 256`), which differ from a truncated
    /// BLAKE2b-512 because the digest length is a parameter of the hash.
    #[test]
    fn blake2b_256_known_answers() {
        assert_eq!(
            blake2b_256(b""),
            hex32("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        );
        assert_eq!(
            blake2b_256(b"abc"),
            hex32("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        );
    }

    /// FIPS 180-2 Appendix B.1 and B.2.
    #[test]
    fn sha256_known_answers() {
        assert_eq!(
            sha256(b"abc"),
            hex32("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            hex32("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        );
    }

    /// Ethereum's Keccak-256: the empty string (the hash of empty EVM code) and "abc"; SHA3-256
    /// would give a7ffc6f8... for the empty string, so this also pins the padding.
    #[test]
    fn keccak256_known_answers() {
        assert_eq!(
            keccak256(b""),
            hex32("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        );
        assert_eq!(
            keccak256(b"abc"),
            hex32("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        );
    }

    /// `hash_to_scalar` must equal Dusk's function, and Dusk's function is "BLAKE2b-512, read as a
    /// little-endian 512-bit integer, reduced mod r". The second half checks that description
    /// through an independent path (`from_bytes_wide` and a separately computed BLAKE2b-512).
    #[test]
    fn hash_to_scalar_matches_dusk_and_its_definition() {
        for input in [&b""[..], b"shortcrust", &[0xffu8; 300][..]] {
            let ours = hash_to_scalar(input);
            assert_eq!(ours, BlsScalar::hash_to_scalar(input).to_bytes());

            let wide = blake2b_simd::Params::new().hash_length(64).hash(input);
            let mut wide_bytes = [0u8; 64];
            wide_bytes.copy_from_slice(wide.as_bytes());
            assert_eq!(ours, BlsScalar::from_bytes_wide(&wide_bytes).to_bytes());
        }
        assert_ne!(hash_to_scalar(b"a"), hash_to_scalar(b"b"));
    }

    #[test]
    fn prices_grow_per_word_and_saturate() {
        for price in [
            blake2b_256_gas,
            sha256_gas,
            keccak256_gas,
            hash_to_scalar_gas,
        ] {
            assert!(price(0) > 0, "no host function is free");
            assert_eq!(price(1), price(32));
            assert!(price(33) > price(32));
            assert!(price(usize::MAX) >= price(1 << 30));
        }
    }
}
