//! Native cryptography: hashes and verifications run by the host at native speed and priced by
//! their native cost. The input encodings are those of the ABI table
//! ([`shortcrust_abi::for_each_host_function!`]); this module only moves bytes and types the
//! result.

use alloc::vec::Vec;

use shortcrust_abi::{bls_aggregate_mode, bls_scheme, status};

use crate::raw;
use crate::util::{len_i32, ptr_i32, ptr_i32_mut};

/// Outcome of a verification (or of a hash whose input may be malformed): the host's status code
/// as a type. Only [`Status::Valid`] means "verified".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The proof or signature verifies / the operation succeeded.
    Valid,
    /// Well-formed input that does not verify.
    Invalid,
    /// An argument has the wrong length.
    BadLength,
    /// A point is not on the curve, or an encoding is not canonical.
    NotOnCurve,
    /// A point is on the curve but not in the prime-order subgroup.
    NotInSubgroup,
    /// A point is the identity where the scheme forbids it.
    Identity,
    /// Unknown scheme, mode or version tag.
    UnknownScheme,
    /// Any other malformed encoding.
    Malformed,
    /// More inputs, keys or public inputs than the documented limit.
    TooMany,
    /// The native library failed unexpectedly (deterministically for the same input).
    Internal,
    /// A code this SDK version does not know (a newer host).
    Unknown(i32),
}

impl Status {
    /// The status for a code returned by the host.
    pub fn from_code(code: i32) -> Self {
        match code {
            status::VALID => Status::Valid,
            status::INVALID => Status::Invalid,
            status::ERR_LENGTH => Status::BadLength,
            status::ERR_NOT_ON_CURVE => Status::NotOnCurve,
            status::ERR_NOT_IN_SUBGROUP => Status::NotInSubgroup,
            status::ERR_IDENTITY => Status::Identity,
            status::ERR_UNKNOWN_SCHEME => Status::UnknownScheme,
            status::ERR_MALFORMED => Status::Malformed,
            status::ERR_TOO_MANY => Status::TooMany,
            status::ERR_INTERNAL => Status::Internal,
            other => Status::Unknown(other),
        }
    }

    /// The host's code for this status.
    pub fn code(self) -> i32 {
        match self {
            Status::Valid => status::VALID,
            Status::Invalid => status::INVALID,
            Status::BadLength => status::ERR_LENGTH,
            Status::NotOnCurve => status::ERR_NOT_ON_CURVE,
            Status::NotInSubgroup => status::ERR_NOT_IN_SUBGROUP,
            Status::Identity => status::ERR_IDENTITY,
            Status::UnknownScheme => status::ERR_UNKNOWN_SCHEME,
            Status::Malformed => status::ERR_MALFORMED,
            Status::TooMany => status::ERR_TOO_MANY,
            Status::Internal => status::ERR_INTERNAL,
            Status::Unknown(code) => code,
        }
    }

    /// Whether the input verified.
    pub fn is_valid(self) -> bool {
        self == Status::Valid
    }

    /// Whether the input was malformed (as opposed to well-formed but not verifying).
    pub fn is_malformed(self) -> bool {
        self.code() < 0
    }
}

/// BLS schemes of [`verify_bls`] and [`verify_bls_aggregate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlsScheme {
    /// IETF min-pk with proof of possession (Ethereum consensus): 48-byte keys, 96-byte signatures.
    IetfMinPkPop,
    /// Dusk's BLS: 96-byte keys, 48-byte signatures, Dusk's domain tag.
    DuskMinSig,
    /// IETF `PopVerify` (with `verify_bls` only): the signature is the proof of possession of the
    /// 48-byte key, i.e. its signature of its own bytes under the POP tag; the message must be
    /// empty. Check it once before admitting a key to fast-aggregate verification.
    IetfPopProof,
}

impl BlsScheme {
    fn code(self) -> i32 {
        match self {
            BlsScheme::IetfMinPkPop => bls_scheme::IETF_MIN_PK_POP,
            BlsScheme::DuskMinSig => bls_scheme::DUSK_MIN_SIG,
            BlsScheme::IetfPopProof => bls_scheme::IETF_POP_PROOF,
        }
    }
}

macro_rules! byte_hash {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub fn $name(data: &[u8]) -> [u8; 32] {
            let mut out = [0u8; 32];
            // SAFETY: `data` is a live slice the host reads; it writes exactly 32 bytes to `out`.
            unsafe { raw::$name(ptr_i32(data.as_ptr()), len_i32(data.len()), ptr_i32_mut(out.as_mut_ptr())) };
            out
        }
    };
}

byte_hash!(
    /// BLAKE2b with a 32-byte digest (no key, no personalisation).
    blake2b_256
);
byte_hash!(
    /// SHA-256.
    sha256
);
byte_hash!(
    /// Keccak-256 (Ethereum's, not SHA3-256).
    keccak256
);
byte_hash!(
    /// Dusk's `BlsScalar::hash_to_scalar`: the scalar's 32-byte canonical little-endian encoding.
    hash_to_scalar
);

/// Dusk's Poseidon over BLS12-381 scalars (32-byte canonical little-endian each, 1 to
/// [`shortcrust_abi::limits::MAX_POSEIDON_INPUTS`] of them). `Err` carries the malformed-input status.
pub fn poseidon_hash(scalars: &[[u8; 32]]) -> Result<[u8; 32], Status> {
    field_hash(scalars, |ptr, len, out| {
        // SAFETY: see `field_hash`.
        unsafe { raw::poseidon_hash(ptr, len, out) }
    })
}

/// circomlib-compatible Poseidon over BN254 (32-byte big-endian field elements, 1 to 12).
/// `Err` carries the malformed-input status.
pub fn poseidon_bn254(elements: &[[u8; 32]]) -> Result<[u8; 32], Status> {
    field_hash(elements, |ptr, len, out| {
        // SAFETY: see `field_hash`.
        unsafe { raw::poseidon_bn254(ptr, len, out) }
    })
}

/// Runs a field hash over `elements` laid out contiguously; the host reads `32 n` bytes and writes
/// 32 bytes to the output.
fn field_hash(
    elements: &[[u8; 32]],
    host: impl FnOnce(i32, i32, i32) -> i32,
) -> Result<[u8; 32], Status> {
    let input = elements.as_flattened();
    let mut out = [0u8; 32];
    let code = host(
        ptr_i32(input.as_ptr()),
        len_i32(input.len()),
        ptr_i32_mut(out.as_mut_ptr()),
    );
    match Status::from_code(code) {
        Status::Valid => Ok(out),
        other => Err(other),
    }
}

/// Runs a three-buffer verification host function: `host` receives `(ptr, len)` of `a`, `b`, `c`.
fn verify3(
    a: &[u8],
    b: &[u8],
    c: &[u8],
    host: impl FnOnce(i32, i32, i32, i32, i32, i32) -> i32,
) -> Status {
    let code = host(
        ptr_i32(a.as_ptr()),
        len_i32(a.len()),
        ptr_i32(b.as_ptr()),
        len_i32(b.len()),
        ptr_i32(c.as_ptr()),
        len_i32(c.len()),
    );
    Status::from_code(code)
}

/// Adapts a raw three-buffer verification import to [`verify3`].
macro_rules! verify3_host {
    ($name:ident) => {
        |a, b, c, d, e, f| {
            // SAFETY: `verify3` passes three live slices that the host only reads.
            unsafe { raw::$name(a, b, c, d, e, f) }
        }
    };
}

/// dusk-plonk: serialized verifier data, proof, and public inputs (`n` 32-byte scalars, concatenated).
pub fn verify_plonk(verifier_data: &[u8], proof: &[u8], public_inputs: &[u8]) -> Status {
    verify3(
        verifier_data,
        proof,
        public_inputs,
        verify3_host!(verify_plonk),
    )
}

/// Groth16 over BN254 (arkworks compressed): verifying key, proof, and public inputs (`n` 32-byte
/// field elements, concatenated).
pub fn verify_groth16_bn254(verifying_key: &[u8], proof: &[u8], public_inputs: &[u8]) -> Status {
    verify3(
        verifying_key,
        proof,
        public_inputs,
        verify3_host!(verify_groth16_bn254),
    )
}

/// Dusk's Schnorr over JubJub: public key, message (one 32-byte scalar), signature.
pub fn verify_schnorr(public_key: &[u8], message: &[u8], signature: &[u8]) -> Status {
    verify3(
        public_key,
        message,
        signature,
        verify3_host!(verify_schnorr),
    )
}

/// BIP-340 Schnorr over secp256k1: 32-byte x-only key, message, 64-byte signature.
pub fn verify_bip340(public_key: &[u8], message: &[u8], signature: &[u8]) -> Status {
    verify3(public_key, message, signature, verify3_host!(verify_bip340))
}

/// Ed25519 (RFC 8032, strict): 32-byte key, message, 64-byte signature.
pub fn verify_ed25519(public_key: &[u8], message: &[u8], signature: &[u8]) -> Status {
    verify3(
        public_key,
        message,
        signature,
        verify3_host!(verify_ed25519),
    )
}

/// One BLS12-381 signature under `scheme`.
pub fn verify_bls(
    scheme: BlsScheme,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Status {
    // SAFETY: the three buffers are live slices that the host only reads.
    let code = unsafe {
        raw::verify_bls(
            scheme.code(),
            ptr_i32(public_key.as_ptr()),
            len_i32(public_key.len()),
            ptr_i32(message.as_ptr()),
            len_i32(message.len()),
            ptr_i32(signature.as_ptr()),
            len_i32(signature.len()),
        )
    };
    Status::from_code(code)
}

/// What the keys of an aggregate BLS verification signed.
#[derive(Clone, Copy, Debug)]
pub enum AggregateMessages<'a> {
    /// Every key signed this one message (fast aggregate verify; keys need proofs of possession).
    Same(&'a [u8]),
    /// Key `i` signed message `i`.
    Distinct(&'a [&'a [u8]]),
}

/// An aggregate BLS12-381 signature by `public_keys` (`n` keys of the scheme's size, concatenated).
///
/// Distinct messages are encoded as the host expects: each prefixed by its 4-byte little-endian
/// length, in key order.
pub fn verify_bls_aggregate(
    scheme: BlsScheme,
    public_keys: &[u8],
    messages: AggregateMessages<'_>,
    signature: &[u8],
) -> Status {
    let encoded: Vec<u8>;
    let (mode, msgs): (i32, &[u8]) = match messages {
        AggregateMessages::Same(message) => (bls_aggregate_mode::FAST, message),
        AggregateMessages::Distinct(list) => {
            encoded = encode_distinct_messages(list);
            (bls_aggregate_mode::DISTINCT, &encoded)
        }
    };
    // SAFETY: the three buffers are live slices that the host only reads.
    let code = unsafe {
        raw::verify_bls_aggregate(
            scheme.code(),
            mode,
            ptr_i32(public_keys.as_ptr()),
            len_i32(public_keys.len()),
            ptr_i32(msgs.as_ptr()),
            len_i32(msgs.len()),
            ptr_i32(signature.as_ptr()),
            len_i32(signature.len()),
        )
    };
    Status::from_code(code)
}

/// The host encoding of distinct messages: `len_le_u32 || bytes` for each, in order.
pub fn encode_distinct_messages(messages: &[&[u8]]) -> Vec<u8> {
    let total: usize = messages.iter().map(|m| 4 + m.len()).sum();
    let mut out = Vec::with_capacity(total);
    for message in messages {
        // A message longer than u32::MAX cannot exist in a 32-bit address space; saturate so
        // the host sees a length that does not match and reports it as malformed.
        let len = u32::try_from(message.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_round_trip() {
        for code in -8..=1 {
            assert_eq!(Status::from_code(code).code(), code);
            assert!(!matches!(Status::from_code(code), Status::Unknown(_)));
        }
        assert_eq!(Status::from_code(-42), Status::Unknown(-42));
        assert!(Status::Valid.is_valid());
        assert!(!Status::Invalid.is_valid() && !Status::Invalid.is_malformed());
        assert!(Status::NotInSubgroup.is_malformed());
    }

    #[test]
    fn distinct_messages_are_length_prefixed() {
        let encoded = encode_distinct_messages(&[b"ab", b"", b"xyz"]);
        assert_eq!(
            encoded,
            [
                2, 0, 0, 0, b'a', b'b', 0, 0, 0, 0, 3, 0, 0, 0, b'x', b'y', b'z'
            ]
        );
    }

    #[test]
    fn scheme_codes_match_abi() {
        assert_eq!(BlsScheme::IetfMinPkPop.code(), bls_scheme::IETF_MIN_PK_POP);
        assert_eq!(BlsScheme::DuskMinSig.code(), bls_scheme::DUSK_MIN_SIG);
    }
}
