//! Shortcrust's native cryptography: the implementations behind the cryptographic host functions,
//! each beside its named gas constants and its tests. No VM dependency.
//!
//! One module per family. Every verification returns an ABI status
//! (`shortcrust_abi::status`): `1` valid, `0` invalid, negative for malformed input.

pub mod groth16;
pub mod hash;
pub mod plonk;
pub mod poseidon;
pub mod signatures;
pub mod snarkjs;
