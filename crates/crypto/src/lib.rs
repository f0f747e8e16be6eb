//! Shortcrust's native cryptography: the implementations behind the cryptographic host functions,
//! each beside its named gas constants and its tests. No VM dependency.
//!
//! One module per family. Each host function `F` of the ABI table has, at the crate root:
//! - `F(..)`: the byte-slice arguments in ABI order (`scheme`/`mode` as `i32`). Hashes return
//!   `[u8; 32]`; `poseidon_*` return `Result<[u8; 32], i32>` (the error is a negative ABI status);
//!   verifications return an ABI status (`shortcrust_abi::status`): `1` valid, `0` well-formed but
//!   not verifying, negative for malformed input.
//! - `F_gas(..)`: the price, from the argument lengths (and `scheme`/`mode`) only, never free,
//!   saturating. The VM charges it **before** calling `F`.
//!
//! Nothing here panics on contract-controlled input: every call into a library that could panic is
//! wrapped by [`guard_status`] or [`guard_result`], which turn a panic into
//! `status::ERR_INTERNAL`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use shortcrust_abi::status;

pub mod gas;

pub mod bip340;
pub mod bls;
pub mod ed25519;
pub mod groth16;
pub mod hash;
pub mod plonk;
pub mod poseidon;
pub mod schnorr;
pub mod snarkjs;
mod verifier_cache;

// The host functions and their prices, at the crate root, as the VM calls them.
pub use bip340::{verify_bip340, verify_bip340_gas};
pub use bls::{verify_bls, verify_bls_aggregate, verify_bls_aggregate_gas, verify_bls_gas};
pub use ed25519::{verify_ed25519, verify_ed25519_gas};
pub use groth16::{verify_groth16_bn254, verify_groth16_bn254_gas};
pub use hash::{
    blake2b_256, blake2b_256_gas, hash_to_scalar, hash_to_scalar_gas, keccak256, keccak256_gas,
    sha256, sha256_gas,
};
pub use plonk::{verify_plonk, verify_plonk_gas};
pub use poseidon::{poseidon_bn254, poseidon_bn254_gas, poseidon_hash, poseidon_hash_gas};
pub use schnorr::{verify_schnorr, verify_schnorr_gas};

/// Runs a verification and returns its ABI status, or `status::ERR_INTERNAL` if the library
/// panicked. A panic on contract input is a library bug, but it must never take the node down,
/// and it must never be mistaken for "invalid".
///
/// The closure only reads its (borrowed) inputs; the only shared state it may touch are the
/// decoded-key caches, which recover from poisoning, so asserting unwind safety is sound.
pub fn guard_status(verify: impl FnOnce() -> i32) -> i32 {
    catch_unwind(AssertUnwindSafe(verify)).unwrap_or(status::ERR_INTERNAL)
}

/// Like [`guard_status`] for functions that produce a value: `Err` carries a negative ABI status,
/// and a panic becomes `Err(status::ERR_INTERNAL)`.
pub fn guard_result<T>(compute: impl FnOnce() -> Result<T, i32>) -> Result<T, i32> {
    catch_unwind(AssertUnwindSafe(compute)).unwrap_or(Err(status::ERR_INTERNAL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_turn_panics_into_internal_errors() {
        assert_eq!(guard_status(|| status::VALID), status::VALID);
        assert_eq!(guard_status(|| panic!("library bug")), status::ERR_INTERNAL);
        assert_eq!(guard_result(|| Ok::<u8, i32>(7)), Ok(7));
        assert_eq!(
            guard_result(|| Err::<u8, i32>(status::ERR_LENGTH)),
            Err(status::ERR_LENGTH)
        );
        assert_eq!(
            guard_result::<u8>(|| panic!("library bug")),
            Err(status::ERR_INTERNAL)
        );
    }
}
