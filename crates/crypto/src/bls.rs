//! `verify_bls` and `verify_bls_aggregate`: BLS12-381 signatures under two schemes, both verified
//! with `blst`.
//!
//! # Schemes (`shortcrust_abi::bls_scheme`)
//!
//! - `IETF_MIN_PK_POP`: the IETF ciphersuite `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_` used by
//!   Ethereum's consensus layer. Keys: compressed G1 points (48 bytes). Signatures: compressed G2
//!   points (96 bytes). Messages are hashed to G2 with that ciphersuite tag.
//! - `DUSK_MIN_SIG`: Dusk's scheme as implemented by `bls12_381-bls` 0.6. Keys: compressed G2
//!   points (96 bytes, `PublicKey::to_bytes`). Signatures: compressed G1 points (48 bytes,
//!   `Signature::to_bytes` / `MultisigSignature::to_bytes`). Messages are hashed to G1 with the
//!   RFC 9380 random-oracle map `hash_to_curve::<ExpandMsgXmd<Sha256>>` and Dusk's tag
//!   [`DUSK_DST`], which is what `blst`'s `min_sig` computes with that tag.
//!
//! Both use the ZCash compressed point encoding (big-endian `x`, flags in the top three bits).
//!
//! # `verify_bls(scheme, pk, msg, sig)`
//!
//! One key, one message of any length, one signature.
//!
//! # `verify_bls_aggregate(scheme, mode, pks, msgs, sig)`
//!
//! `pks` is `n >= 1` concatenated keys (`n <= limits::MAX_BLS_KEYS`), `sig` one aggregate
//! signature. Modes (`shortcrust_abi::bls_aggregate_mode`):
//! - `FAST`: `msgs` is the one message every key signed.
//!   - IETF: `FastAggregateVerify` — the keys are summed. This is only secure for keys whose proof
//!     of possession was checked when they were registered (the contract's job).
//!   - Dusk: Dusk's multisignature (`MultisigPublicKey::aggregate` + `MultisigSignature`), which
//!     needs no proof of possession: key `i` is weighted by `t_i = hash_to_scalar(`
//!     [`DUSK_MULTISIG_TAG`]` || pk_i)` before summing, and `sig` is the sum of the signers'
//!     `sign_multisig` signatures.
//! - `DISTINCT`: `msgs` is `n` messages, each prefixed by its length as 4 bytes little-endian,
//!   in key order (`msgs` must be exactly that, nothing more). `sig` is the sum of the `n` plain
//!   signatures; the check is `e(sig, g) = Π e(H(m_i), pk_i)` (`AggregateVerify`).
//!   - IETF: messages may repeat (the POP ciphersuite allows it).
//!   - Dusk: Dusk keys carry no proof of possession, so, as the basic scheme requires, the
//!     messages must be pairwise distinct (`ERR_MALFORMED` otherwise).
//!
//! # Statuses
//!
//! Checked in this order, the first failure wins: `ERR_UNKNOWN_SCHEME` (scheme, then mode);
//! `ERR_LENGTH` (a key or signature of the wrong length, no keys, `pks` not a whole number of
//! keys); `ERR_TOO_MANY` (more than `limits::MAX_BLS_KEYS` keys); `ERR_MALFORMED` (`DISTINCT`
//! framing, or repeated Dusk messages); then each key in order and then the signature:
//! `ERR_NOT_ON_CURVE` (bad flags, coordinate not below the modulus, or not a curve point),
//! `ERR_NOT_IN_SUBGROUP`, `ERR_IDENTITY` (the point at infinity, for keys and signatures);
//! then `VALID` or `INVALID`.
//!
//! Validated keys are cached by encoding (module `key_cache`): results and prices are identical
//! whether a key is cached or not, and prices always cover decoding every key.

mod key_cache;
#[cfg(test)]
mod tests;

use blst::{BLST_ERROR, blst_p2, blst_p2_mult, min_pk, min_sig};
use dusk_bls12_381::BlsScalar;
use shortcrust_abi::{bls_aggregate_mode, bls_scheme, limits, status};

use crate::gas::{gas_from_nanos, linear, words};
use crate::guard_status;
use key_cache::KeyCache;

/// The IETF ciphersuite tag (Ethereum consensus), for signatures.
pub const IETF_DST: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/// Tag of IETF proofs of possession (`PopProve`/`PopVerify`): a signature of the key's own
/// compressed bytes under this tag, which no ordinary signature can be replayed as.
pub const IETF_POP_DST: &[u8] = b"BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/// Dusk's hash-to-G1 tag (`bls12_381-bls` 0.6, `hash::H0_DST`).
pub const DUSK_DST: &[u8] = b"BLS_SIG_BLS12381G1_XMD:SHA-256_DUSK_V2";
/// Dusk's multisignature coefficient tag (`bls12_381-bls` 0.6, `hash::H1_DST`).
pub const DUSK_MULTISIG_TAG: &[u8] = b"BLS_SIG_BLS12381_SCALAR_SHA256_DUSK_H1_V2";

/// Length of a compressed G1 point.
pub const G1_LEN: usize = 48;
/// Length of a compressed G2 point.
pub const G2_LEN: usize = 96;
/// Length of the little-endian prefix of each message in `DISTINCT` mode.
pub const MESSAGE_PREFIX_LEN: usize = 4;

/// Entries per generation of each key cache (see module `key_cache`): a few thousand validators.
const KEY_CACHE_CAPACITY: usize = 4096;

static IETF_KEYS: KeyCache<min_pk::PublicKey> = KeyCache::new(KEY_CACHE_CAPACITY);
static DUSK_KEYS: KeyCache<min_sig::PublicKey> = KeyCache::new(KEY_CACHE_CAPACITY);
static DUSK_WEIGHTED_KEYS: KeyCache<min_sig::PublicKey> = KeyCache::new(KEY_CACHE_CAPACITY);

/// Empties the validated-key caches. Never needed for correctness; benchmarks use it to measure
/// the cold path that prices are based on.
pub fn clear_key_caches() {
    IETF_KEYS.clear();
    DUSK_KEYS.clear();
    DUSK_WEIGHTED_KEYS.clear();
}

fn point_status(error: BLST_ERROR) -> i32 {
    match error {
        BLST_ERROR::BLST_BAD_ENCODING | BLST_ERROR::BLST_POINT_NOT_ON_CURVE => {
            status::ERR_NOT_ON_CURVE
        }
        BLST_ERROR::BLST_POINT_NOT_IN_GROUP => status::ERR_NOT_IN_SUBGROUP,
        BLST_ERROR::BLST_PK_IS_INFINITY => status::ERR_IDENTITY,
        _ => status::ERR_MALFORMED,
    }
}

/// What differs between the two schemes; everything else is written once over this trait.
trait Scheme {
    type PublicKey: Copy;
    type Signature;
    const KEY_LEN: usize;
    const SIGNATURE_LEN: usize;
    /// Whether `DISTINCT` needs pairwise-distinct messages (keys without proof of possession).
    const DISTINCT_MESSAGES_REQUIRED: bool;

    /// A key in the prime-order subgroup, not the identity (cached).
    fn key(encoding: &[u8]) -> Result<Self::PublicKey, i32>;
    /// What a key contributes to a `FAST` aggregate key.
    fn fast_member(encoding: &[u8]) -> Result<Self::PublicKey, i32>;
    /// A signature in the prime-order subgroup, not the identity.
    fn signature(encoding: &[u8]) -> Result<Self::Signature, i32>;
    /// The sum of `keys` (at least one).
    fn sum(keys: &[Self::PublicKey]) -> Option<Self::PublicKey>;
    /// `e(sig, g) == Π e(H(msg_i), key_i)`, inputs already validated.
    fn pairing_check(sig: &Self::Signature, msgs: &[&[u8]], keys: &[Self::PublicKey]) -> bool;
}

/// Implements [`Scheme`] over one of `blst`'s two variants.
macro_rules! blst_scheme {
    ($name:ident, $variant:ident, $cache:ident, key: $key_len:expr, sig: $sig_len:expr,
     dst: $dst:expr, distinct: $distinct:expr, fast_member: $fast:expr) => {
        struct $name;

        impl Scheme for $name {
            type PublicKey = $variant::PublicKey;
            type Signature = $variant::Signature;
            const KEY_LEN: usize = $key_len;
            const SIGNATURE_LEN: usize = $sig_len;
            const DISTINCT_MESSAGES_REQUIRED: bool = $distinct;

            fn key(encoding: &[u8]) -> Result<Self::PublicKey, i32> {
                $cache.get_or_compute(encoding, |bytes| {
                    let key = $variant::PublicKey::uncompress(bytes).map_err(point_status)?;
                    key.validate().map_err(point_status)?;
                    Ok(key)
                })
            }

            fn fast_member(encoding: &[u8]) -> Result<Self::PublicKey, i32> {
                $fast(encoding)
            }

            fn signature(encoding: &[u8]) -> Result<Self::Signature, i32> {
                let sig = $variant::Signature::uncompress(encoding).map_err(point_status)?;
                sig.validate(true).map_err(point_status)?;
                Ok(sig)
            }

            fn sum(keys: &[Self::PublicKey]) -> Option<Self::PublicKey> {
                let refs: Vec<&Self::PublicKey> = keys.iter().collect();
                $variant::AggregatePublicKey::aggregate(&refs, false)
                    .ok()
                    .map(|sum| sum.to_public_key())
            }

            fn pairing_check(
                sig: &Self::Signature,
                msgs: &[&[u8]],
                keys: &[Self::PublicKey],
            ) -> bool {
                let refs: Vec<&Self::PublicKey> = keys.iter().collect();
                sig.aggregate_verify(false, msgs, $dst, &refs, false) == BLST_ERROR::BLST_SUCCESS
            }
        }
    };
}

blst_scheme!(Ietf, min_pk, IETF_KEYS, key: G1_LEN, sig: G2_LEN, dst: IETF_DST,
    distinct: false, fast_member: Ietf::key);
blst_scheme!(IetfPop, min_pk, IETF_KEYS, key: G1_LEN, sig: G2_LEN, dst: IETF_POP_DST,
    distinct: false, fast_member: IetfPop::key);
blst_scheme!(Dusk, min_sig, DUSK_KEYS, key: G2_LEN, sig: G1_LEN, dst: DUSK_DST,
    distinct: true, fast_member: dusk_weighted_key);

/// Dusk's multisignature coefficient of a key: `hash_to_scalar(DUSK_MULTISIG_TAG || pk)`, as the
/// scalar's 32 little-endian bytes (`bls12_381-bls` 0.6, `hash::h1`).
fn dusk_multisig_coefficient(key: &min_sig::PublicKey) -> [u8; 32] {
    let mut material = Vec::with_capacity(DUSK_MULTISIG_TAG.len() + G2_LEN);
    material.extend_from_slice(DUSK_MULTISIG_TAG);
    material.extend_from_slice(&key.compress());
    BlsScalar::hash_to_scalar(&material).to_bytes()
}

/// `t · pk` for a Dusk key (`PublicKey::pk_t`), cached like the key itself.
fn dusk_weighted_key(encoding: &[u8]) -> Result<min_sig::PublicKey, i32> {
    let key = Dusk::key(encoding)?;
    DUSK_WEIGHTED_KEYS.get_or_compute(encoding, |_| {
        let coefficient = dusk_multisig_coefficient(&key);
        let point = blst_p2::from(min_sig::AggregatePublicKey::from_public_key(&key));
        let mut weighted = blst_p2::default();
        // SAFETY: `weighted` and `point` are valid, initialised `blst_p2` values that live across
        // the call, and `coefficient` is 32 readable bytes, exactly what 255 bits need (blst reads
        // `ceil(nbits / 8)` bytes). `blst_p2_mult` keeps no pointer. It is used instead of the safe
        // one-point multi-scalar multiplication because it applies the GLS endomorphism, which
        // makes this, the dearest step of a cold Dusk aggregate, several times faster.
        unsafe { blst_p2_mult(&mut weighted, &point, coefficient.as_ptr(), 255) };
        Ok(min_sig::AggregatePublicKey::from(weighted).to_public_key())
    })
}

fn verdict(verifies: bool) -> i32 {
    if verifies {
        status::VALID
    } else {
        status::INVALID
    }
}

/// Verifies one BLS signature under `scheme`. Returns an ABI status; see the module docs.
pub fn verify_bls(scheme: i32, pk: &[u8], msg: &[u8], sig: &[u8]) -> i32 {
    match scheme {
        bls_scheme::IETF_MIN_PK_POP => guard_status(|| verify_one::<Ietf>(pk, msg, sig)),
        bls_scheme::DUSK_MIN_SIG => guard_status(|| verify_one::<Dusk>(pk, msg, sig)),
        // PopVerify: the "message" is the key itself; a caller-supplied one would be ambiguous.
        bls_scheme::IETF_POP_PROOF if !msg.is_empty() => status::ERR_LENGTH,
        bls_scheme::IETF_POP_PROOF => guard_status(|| verify_one::<IetfPop>(pk, pk, sig)),
        _ => status::ERR_UNKNOWN_SCHEME,
    }
}

fn verify_one<S: Scheme>(pk: &[u8], msg: &[u8], sig: &[u8]) -> i32 {
    if pk.len() != S::KEY_LEN || sig.len() != S::SIGNATURE_LEN {
        return status::ERR_LENGTH;
    }
    let checked = S::key(pk).and_then(|key| Ok((key, S::signature(sig)?)));
    match checked {
        Ok((key, signature)) => verdict(S::pairing_check(&signature, &[msg], &[key])),
        Err(code) => code,
    }
}

/// `verify_aggregate` for one scheme: `(mode, pks, msgs, sig)` to a verdict or a status.
type AggregateVerifier = fn(i32, &[u8], &[u8], &[u8]) -> Result<bool, i32>;

/// Verifies an aggregate BLS signature under `scheme` and `mode`. Returns an ABI status; see the
/// module docs.
pub fn verify_bls_aggregate(scheme: i32, mode: i32, pks: &[u8], msgs: &[u8], sig: &[u8]) -> i32 {
    let verify: AggregateVerifier = match scheme {
        bls_scheme::IETF_MIN_PK_POP => verify_aggregate::<Ietf>,
        bls_scheme::DUSK_MIN_SIG => verify_aggregate::<Dusk>,
        _ => return status::ERR_UNKNOWN_SCHEME,
    };
    if mode != bls_aggregate_mode::FAST && mode != bls_aggregate_mode::DISTINCT {
        return status::ERR_UNKNOWN_SCHEME;
    }
    guard_status(|| match verify(mode, pks, msgs, sig) {
        Ok(verifies) => verdict(verifies),
        Err(code) => code,
    })
}

fn verify_aggregate<S: Scheme>(
    mode: i32,
    pks: &[u8],
    msgs: &[u8],
    sig: &[u8],
) -> Result<bool, i32> {
    if pks.is_empty() || !pks.len().is_multiple_of(S::KEY_LEN) || sig.len() != S::SIGNATURE_LEN {
        return Err(status::ERR_LENGTH);
    }
    let count = pks.len() / S::KEY_LEN;
    if count > limits::MAX_BLS_KEYS as usize {
        return Err(status::ERR_TOO_MANY);
    }
    let encodings = pks.chunks_exact(S::KEY_LEN);
    if mode == bls_aggregate_mode::FAST {
        let members = encodings
            .map(S::fast_member)
            .collect::<Result<Vec<_>, _>>()?;
        let signature = S::signature(sig)?;
        let aggregate = S::sum(&members).ok_or(status::ERR_INTERNAL)?;
        return Ok(S::pairing_check(&signature, &[msgs], &[aggregate]));
    }
    let messages = split_messages(msgs, count)?;
    if S::DISTINCT_MESSAGES_REQUIRED && !pairwise_distinct(&messages) {
        return Err(status::ERR_MALFORMED);
    }
    let keys = encodings.map(S::key).collect::<Result<Vec<_>, _>>()?;
    let signature = S::signature(sig)?;
    Ok(S::pairing_check(&signature, &messages, &keys))
}

/// Splits `DISTINCT`-mode messages: exactly `count` entries of a 4-byte little-endian length and
/// that many bytes, covering `msgs` exactly.
fn split_messages(msgs: &[u8], count: usize) -> Result<Vec<&[u8]>, i32> {
    let mut messages = Vec::with_capacity(count);
    let mut rest = msgs;
    while !rest.is_empty() {
        let (prefix, tail) = rest
            .split_first_chunk::<MESSAGE_PREFIX_LEN>()
            .ok_or(status::ERR_MALFORMED)?;
        let len =
            usize::try_from(u32::from_le_bytes(*prefix)).map_err(|_| status::ERR_MALFORMED)?;
        let (message, tail) = tail.split_at_checked(len).ok_or(status::ERR_MALFORMED)?;
        if messages.len() == count {
            return Err(status::ERR_MALFORMED);
        }
        messages.push(message);
        rest = tail;
    }
    if messages.len() != count {
        return Err(status::ERR_MALFORMED);
    }
    Ok(messages)
}

/// Whether no two messages are equal (sorting: deterministic, `O(n log n)` comparisons).
fn pairwise_distinct(messages: &[&[u8]]) -> bool {
    let mut sorted = messages.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).all(|pair| pair[0] != pair[1])
}

// ----- gas ---------------------------------------------------------------------------------------
// Measured as described in `crate::gas` (bench group `bls/`), with the key caches emptied before
// every call: prices cover decompressing and subgroup-checking every key (the cold path), so a
// cache hit only ever makes a call faster than it paid for. Medians (µs):
//
// | bench                    | 1 key  | 64 keys | 100 keys |
// |--------------------------|--------|---------|----------|
// | FAST, IETF               | 1 105  | 5 782   | 8 803    |
// | FAST, Dusk (multisig)    | 1 293  | 12 938  | 26 353   |
// | DISTINCT, IETF           | 1 201  | 33 000  |          |
// | DISTINCT, Dusk           | 1 613  | 17 269  |          |
// | verify_bls IETF 32/4096 B| 1 212 / 1 215      |          |
// | verify_bls Dusk 32/4096 B| 1 103 / 1 196      |          |
//
// Per-key prices are the slopes between 1 key and the largest count; bases are chosen so that
// the line lies at or above every measured point. The message is hashed once (SHA-256 inside
// `expand_message_xmd`), whose 22 ns per word (`hash.rs`) is below this noise, so that slope is
// used for every message word. For comparison, with every key already cached, 100-signer FAST
// verification measured 1 234 µs (IETF) and 1 133 µs (Dusk).

/// verify_bls, IETF, fixed part: key and signature decoding, hash to G2, two Miller loops.
pub const VERIFY_BLS_IETF_BASE_GAS: u64 = gas_from_nanos(1_212_449);
/// verify_bls, Dusk, fixed part: G2 key and G1 signature decoding, hash to G1, two Miller loops.
pub const VERIFY_BLS_DUSK_BASE_GAS: u64 = gas_from_nanos(1_193_368);
/// Per 32-byte word of message, both schemes: SHA-256's slope.
pub const BLS_PER_MESSAGE_WORD_GAS: u64 = gas_from_nanos(22);

/// verify_bls_aggregate FAST, IETF: fixed part.
pub const FAST_IETF_BASE_GAS: u64 = gas_from_nanos(1_026_916);
/// verify_bls_aggregate FAST, IETF, per key (decompress, subgroup check, add):
/// (8 803 − 1 105) / 99 µs.
pub const FAST_IETF_PER_KEY_GAS: u64 = gas_from_nanos(77_758);
/// verify_bls_aggregate FAST, Dusk: fixed part.
pub const FAST_DUSK_BASE_GAS: u64 = gas_from_nanos(1_039_424);
/// verify_bls_aggregate FAST, Dusk, per key (decompress, subgroup check, coefficient, G2 scalar
/// multiplication, add): (26 353 − 1 293) / 99 µs.
pub const FAST_DUSK_PER_KEY_GAS: u64 = gas_from_nanos(253_136);
/// verify_bls_aggregate DISTINCT, IETF: fixed part.
pub const DISTINCT_IETF_BASE_GAS: u64 = gas_from_nanos(695_721);
/// verify_bls_aggregate DISTINCT, IETF, per key (decode, hash to G2, Miller loop):
/// (33 000 − 1 201) / 63 µs.
pub const DISTINCT_IETF_PER_KEY_GAS: u64 = gas_from_nanos(504_761);
/// verify_bls_aggregate DISTINCT, Dusk: fixed part.
pub const DISTINCT_DUSK_BASE_GAS: u64 = gas_from_nanos(1_364_662);
/// verify_bls_aggregate DISTINCT, Dusk, per key (decode, hash to G1, Miller loop):
/// (17 269 − 1 613) / 63 µs.
pub const DISTINCT_DUSK_PER_KEY_GAS: u64 = gas_from_nanos(248_502);

/// Price of `verify_bls`. An unknown scheme is priced like the dearer one (it is rejected at
/// once, but probing is never cheaper than verifying).
pub const fn verify_bls_gas(scheme: i32, _pk_len: usize, msg_len: usize, _sig_len: usize) -> u64 {
    let base = match scheme {
        bls_scheme::IETF_MIN_PK_POP => VERIFY_BLS_IETF_BASE_GAS,
        // Same work as a signature check over the 48-byte key (charged as two message words).
        bls_scheme::IETF_POP_PROOF => {
            return linear(
                VERIFY_BLS_IETF_BASE_GAS,
                BLS_PER_MESSAGE_WORD_GAS,
                words(G1_LEN),
            );
        }
        bls_scheme::DUSK_MIN_SIG => VERIFY_BLS_DUSK_BASE_GAS,
        _ => max(VERIFY_BLS_IETF_BASE_GAS, VERIFY_BLS_DUSK_BASE_GAS),
    };
    linear(base, BLS_PER_MESSAGE_WORD_GAS, words(msg_len))
}

/// Price of `verify_bls_aggregate`: `base + per_key × keys + per_word × message words`, where
/// `keys` is `pks_len` over the scheme's key length, rounded up. Unknown schemes or modes are
/// priced like the dearest known combination.
pub const fn verify_bls_aggregate_gas(
    scheme: i32,
    mode: i32,
    pks_len: usize,
    msgs_len: usize,
    _sig_len: usize,
) -> u64 {
    let ietf = matches!(scheme, bls_scheme::IETF_MIN_PK_POP);
    let dusk = matches!(scheme, bls_scheme::DUSK_MIN_SIG);
    let fast = matches!(mode, bls_aggregate_mode::FAST);
    let distinct = matches!(mode, bls_aggregate_mode::DISTINCT);
    let (base, per_key, key_len) = if ietf && fast {
        (FAST_IETF_BASE_GAS, FAST_IETF_PER_KEY_GAS, G1_LEN)
    } else if ietf && distinct {
        (DISTINCT_IETF_BASE_GAS, DISTINCT_IETF_PER_KEY_GAS, G1_LEN)
    } else if dusk && fast {
        (FAST_DUSK_BASE_GAS, FAST_DUSK_PER_KEY_GAS, G2_LEN)
    } else if dusk && distinct {
        (DISTINCT_DUSK_BASE_GAS, DISTINCT_DUSK_PER_KEY_GAS, G2_LEN)
    } else {
        let base = max(
            max(FAST_IETF_BASE_GAS, DISTINCT_IETF_BASE_GAS),
            max(FAST_DUSK_BASE_GAS, DISTINCT_DUSK_BASE_GAS),
        );
        let per_key = max(
            max(FAST_IETF_PER_KEY_GAS, DISTINCT_IETF_PER_KEY_GAS),
            max(FAST_DUSK_PER_KEY_GAS, DISTINCT_DUSK_PER_KEY_GAS),
        );
        (base, per_key, G1_LEN)
    };
    let keys = (pks_len as u64).div_ceil(key_len as u64);
    linear(base, per_key, keys)
        .saturating_add(BLS_PER_MESSAGE_WORD_GAS.saturating_mul(words(msgs_len)))
}

const fn max(a: u64, b: u64) -> u64 {
    if a > b { a } else { b }
}
