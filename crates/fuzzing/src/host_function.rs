//! `host_function`: arbitrary bytes into the native implementations of the cryptographic host
//! functions (`shortcrust-crypto`), exactly as the VM calls them once it has copied the
//! arguments out of guest memory and charged the price.
//!
//! Input layout (see [`encode_input`], which the seed corpus is written with):
//! - byte 0 picks the function: index into [`CRYPTO_HOST_FUNCTIONS`], modulo its length;
//! - one byte per integer argument (`scheme`, `mode`), read as an `i8`;
//! - each byte-string argument (a `*_ptr`/`*_len` pair of the ABI table) but the last: a
//!   little-endian `u16` length (cut to what is left), then that many bytes; the last takes the
//!   rest. A missing byte reads as 0.

use shortcrust_abi::{HOST_FUNCTIONS, HostFnDecl, status};
use shortcrust_crypto as crypto;

/// The cryptographic host functions of the ABI table, in table order: those priced by one of
/// the cryptographic gas keys.
pub const CRYPTO_HOST_FUNCTIONS: &[&str] = &[
    "blake2b_256",
    "sha256",
    "keccak256",
    "hash_to_scalar",
    "poseidon_hash",
    "poseidon_bn254",
    "verify_plonk",
    "verify_groth16_bn254",
    "verify_schnorr",
    "verify_bip340",
    "verify_ed25519",
    "verify_bls",
    "verify_bls_aggregate",
];

/// Whether the ABI table prices `f` as cryptography (everything but the VM's own state, context
/// and call functions).
pub fn is_cryptographic(f: &HostFnDecl) -> bool {
    f.gas.is_cryptographic()
}

/// The declaration of the cryptographic host function `name`.
fn decl(name: &str) -> &'static HostFnDecl {
    HOST_FUNCTIONS
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the ABI table"))
}

/// How the arguments of a host function are given to the native implementation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// A plain integer (`scheme`, `mode`).
    Int,
    /// A byte string (a `*ptr` parameter followed by its `*len`).
    Bytes,
}

/// The native arguments of `f`, from its ABI parameter names: `x_ptr, x_len` pairs are byte
/// strings, a lone `out_ptr` is the host's output (not an argument), anything else an integer.
pub fn native_args(f: &HostFnDecl) -> Vec<ArgKind> {
    let names = f.param_names;
    let mut args = Vec::new();
    let mut i = 0;
    while i < names.len() {
        let name = names[i];
        let is_pair = name.ends_with("ptr")
            && names.get(i + 1).is_some_and(|next| {
                next.ends_with("len") && next[..next.len() - 3] == name[..name.len() - 3]
            });
        if is_pair {
            args.push(ArgKind::Bytes);
            i += 2;
        } else if name == "out_ptr" {
            i += 1;
        } else {
            args.push(ArgKind::Int);
            i += 1;
        }
    }
    args
}

/// The fuzz input that calls `name` with `ints` and `bytes` (see the module docs).
pub fn encode_input(name: &str, ints: &[i8], bytes: &[&[u8]]) -> Vec<u8> {
    let index = CRYPTO_HOST_FUNCTIONS
        .iter()
        .position(|f| *f == name)
        .unwrap_or_else(|| panic!("{name} is not a cryptographic host function"));
    let mut out = vec![index as u8];
    out.extend(ints.iter().map(|i| *i as u8));
    for (k, b) in bytes.iter().enumerate() {
        if k + 1 < bytes.len() {
            let len = u16::try_from(b.len()).expect("seed argument longer than 64 KiB");
            out.extend_from_slice(&len.to_le_bytes());
        }
        out.extend_from_slice(b);
    }
    out
}

/// Splits `data` into the function's integers and byte strings.
fn decode_input<'a>(kinds: &[ArgKind], mut data: &'a [u8]) -> (Vec<i32>, Vec<&'a [u8]>) {
    let mut take = |n: usize| -> &'a [u8] {
        let (head, tail) = data.split_at(n.min(data.len()));
        data = tail;
        head
    };
    let ints: Vec<i32> = kinds
        .iter()
        .filter(|k| **k == ArgKind::Int)
        .map(|_| take(1).first().map_or(0, |b| i32::from(*b as i8)))
        .collect();
    let count = kinds.iter().filter(|k| **k == ArgKind::Bytes).count();
    let mut bytes = Vec::with_capacity(count);
    for k in 0..count {
        if k + 1 < count {
            let len = match take(2) {
                [lo, hi] => usize::from(u16::from_le_bytes([*lo, *hi])),
                [lo] => usize::from(*lo),
                _ => 0,
            };
            bytes.push(take(len));
        } else {
            bytes.push(take(usize::MAX));
        }
    }
    (ints, bytes)
}

/// A status a verification may return: valid, invalid or one of the malformed-input codes. A
/// caught panic (`ERR_INTERNAL`) is a bug in a native library and is not in the set.
fn check_status(name: &str, s: i32) {
    let documented = [
        status::VALID,
        status::INVALID,
        status::ERR_LENGTH,
        status::ERR_NOT_ON_CURVE,
        status::ERR_NOT_IN_SUBGROUP,
        status::ERR_IDENTITY,
        status::ERR_UNKNOWN_SCHEME,
        status::ERR_MALFORMED,
        status::ERR_TOO_MANY,
    ];
    assert_ne!(
        s,
        status::ERR_INTERNAL,
        "{name}: the native library panicked (caught as ERR_INTERNAL)"
    );
    assert!(documented.contains(&s), "{name}: undocumented status {s}");
}

/// Checks a price: never zero, and never above the price of the largest possible arguments
/// (computing which must not overflow: prices saturate).
fn check_price(name: &str, price: u64, ceiling: u64) {
    assert!(price > 0, "{name}: free for these argument lengths");
    assert!(
        price <= ceiling,
        "{name}: price {price} above the price of maximal arguments {ceiling}"
    );
}

/// The result of one call: a status, or a digest for the hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Status(i32),
    Digest([u8; 32]),
}

/// Calls the native implementation of `name`, checks its price, and returns what it gave.
fn call(name: &str, ints: &[i32], b: &[&[u8]]) -> Outcome {
    const MAX: usize = usize::MAX;
    let digest = |price: u64, ceiling: u64, digest: [u8; 32]| {
        check_price(name, price, ceiling);
        Outcome::Digest(digest)
    };
    let poseidon = |price: u64, ceiling: u64, result: Result<[u8; 32], i32>| {
        check_price(name, price, ceiling);
        match result {
            Ok(d) => Outcome::Digest(d),
            Err(s) => {
                check_status(name, s);
                assert!(s < 0, "{name}: error status {s} is not negative");
                Outcome::Status(s)
            }
        }
    };
    let verdict = |price: u64, ceiling: u64, s: i32| {
        check_price(name, price, ceiling);
        check_status(name, s);
        Outcome::Status(s)
    };
    match name {
        "blake2b_256" => digest(
            crypto::blake2b_256_gas(b[0].len()),
            crypto::blake2b_256_gas(MAX),
            crypto::blake2b_256(b[0]),
        ),
        "sha256" => digest(
            crypto::sha256_gas(b[0].len()),
            crypto::sha256_gas(MAX),
            crypto::sha256(b[0]),
        ),
        "keccak256" => digest(
            crypto::keccak256_gas(b[0].len()),
            crypto::keccak256_gas(MAX),
            crypto::keccak256(b[0]),
        ),
        "hash_to_scalar" => {
            let out = crypto::hash_to_scalar(b[0]);
            // A canonical scalar: Poseidon (which refuses non-canonical scalars) accepts it.
            assert!(
                crypto::poseidon_hash(&out).is_ok(),
                "hash_to_scalar wrote a non-canonical scalar {out:02x?}"
            );
            digest(
                crypto::hash_to_scalar_gas(b[0].len()),
                crypto::hash_to_scalar_gas(MAX),
                out,
            )
        }
        "poseidon_hash" => {
            let out = crypto::poseidon_hash(b[0]);
            if let Ok(d) = out {
                assert!(
                    crypto::poseidon_hash(&d).is_ok(),
                    "poseidon_hash wrote a non-canonical scalar {d:02x?}"
                );
            }
            poseidon(
                crypto::poseidon_hash_gas(b[0].len()),
                crypto::poseidon_hash_gas(MAX),
                out,
            )
        }
        "poseidon_bn254" => {
            let out = crypto::poseidon_bn254(b[0]);
            if let Ok(d) = out {
                assert!(
                    crypto::poseidon_bn254(&d).is_ok(),
                    "poseidon_bn254 wrote a field element above the modulus {d:02x?}"
                );
            }
            poseidon(
                crypto::poseidon_bn254_gas(b[0].len()),
                crypto::poseidon_bn254_gas(MAX),
                out,
            )
        }
        "verify_plonk" => {
            let s = crypto::verify_plonk(b[0], b[1], b[2]);
            let uncached = crypto::plonk::verify_plonk_uncached(b[0], b[1], b[2]);
            assert_eq!(
                s, uncached,
                "verify_plonk: cached and uncached verdicts differ"
            );
            verdict(
                crypto::verify_plonk_gas(b[0].len(), b[1].len(), b[2].len()),
                crypto::verify_plonk_gas(MAX, MAX, MAX),
                s,
            )
        }
        "verify_groth16_bn254" => {
            let s = crypto::verify_groth16_bn254(b[0], b[1], b[2]);
            let uncached = crypto::groth16::verify_groth16_bn254_uncached(b[0], b[1], b[2]);
            assert_eq!(
                s, uncached,
                "verify_groth16_bn254: cached and uncached verdicts differ"
            );
            verdict(
                crypto::verify_groth16_bn254_gas(b[0].len(), b[1].len(), b[2].len()),
                crypto::verify_groth16_bn254_gas(MAX, MAX, MAX),
                s,
            )
        }
        "verify_schnorr" => verdict(
            crypto::verify_schnorr_gas(b[0].len(), b[1].len(), b[2].len()),
            crypto::verify_schnorr_gas(MAX, MAX, MAX),
            crypto::verify_schnorr(b[0], b[1], b[2]),
        ),
        "verify_bip340" => verdict(
            crypto::verify_bip340_gas(b[0].len(), b[1].len(), b[2].len()),
            crypto::verify_bip340_gas(MAX, MAX, MAX),
            crypto::verify_bip340(b[0], b[1], b[2]),
        ),
        "verify_ed25519" => verdict(
            crypto::verify_ed25519_gas(b[0].len(), b[1].len(), b[2].len()),
            crypto::verify_ed25519_gas(MAX, MAX, MAX),
            crypto::verify_ed25519(b[0], b[1], b[2]),
        ),
        "verify_bls" => {
            let s = crypto::verify_bls(ints[0], b[0], b[1], b[2]);
            // The validated-key caches only skip work: a cold verification gives the same.
            crypto::bls::clear_key_caches();
            let cold = crypto::verify_bls(ints[0], b[0], b[1], b[2]);
            assert_eq!(
                s, cold,
                "verify_bls: verdicts with and without cached keys differ"
            );
            verdict(
                crypto::verify_bls_gas(ints[0], b[0].len(), b[1].len(), b[2].len()),
                crypto::verify_bls_gas(ints[0], MAX, MAX, MAX),
                s,
            )
        }
        "verify_bls_aggregate" => {
            let s = crypto::verify_bls_aggregate(ints[0], ints[1], b[0], b[1], b[2]);
            crypto::bls::clear_key_caches();
            let cold = crypto::verify_bls_aggregate(ints[0], ints[1], b[0], b[1], b[2]);
            assert_eq!(
                s, cold,
                "verify_bls_aggregate: verdicts with and without cached keys differ"
            );
            verdict(
                crypto::verify_bls_aggregate_gas(
                    ints[0],
                    ints[1],
                    b[0].len(),
                    b[1].len(),
                    b[2].len(),
                ),
                crypto::verify_bls_aggregate_gas(ints[0], ints[1], MAX, MAX, MAX),
                s,
            )
        }
        other => panic!("no native implementation wired for host function {other}"),
    }
}

/// Picks a cryptographic host function by the first byte and calls its native implementation
/// with the rest as arguments (see the module docs). Checks that it returns a documented status
/// (never `ERR_INTERNAL`, which is a panic caught inside a native library), that the hashes
/// and Poseidon write canonical field elements, that a second call gives the same result, that
/// caches never change a verdict (PLONK and Groth16 verifier caches, BLS key caches), and that
/// the price is never zero and never overflows.
pub fn host_function(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = CRYPTO_HOST_FUNCTIONS[usize::from(selector) % CRYPTO_HOST_FUNCTIONS.len()];
    let kinds = native_args(decl(name));
    let (ints, bytes) = decode_input(&kinds, rest);
    let first = call(name, &ints, &bytes);
    let second = call(name, &ints, &bytes);
    assert_eq!(
        first, second,
        "{name}: two calls with the same arguments differ"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cryptographic_host_function_is_covered() {
        let table: Vec<&str> = HOST_FUNCTIONS
            .iter()
            .filter(|f| is_cryptographic(f))
            .map(|f| f.name)
            .collect();
        assert_eq!(table, CRYPTO_HOST_FUNCTIONS);
    }

    #[test]
    fn arguments_follow_the_abi_table() {
        use ArgKind::*;
        assert_eq!(native_args(decl("sha256")), [Bytes]);
        assert_eq!(native_args(decl("verify_ed25519")), [Bytes, Bytes, Bytes]);
        assert_eq!(native_args(decl("verify_bls")), [Int, Bytes, Bytes, Bytes]);
        assert_eq!(
            native_args(decl("verify_bls_aggregate")),
            [Int, Int, Bytes, Bytes, Bytes]
        );
    }

    #[test]
    fn inputs_round_trip() {
        let input = encode_input("verify_bls", &[2], &[b"key", b"", b"signature"]);
        let kinds = native_args(decl("verify_bls"));
        let (ints, bytes) = decode_input(&kinds, &input[1..]);
        assert_eq!(ints, [2]);
        assert_eq!(bytes, [&b"key"[..], b"", b"signature"]);
    }

    #[test]
    fn every_function_runs_on_empty_and_short_input() {
        for i in 0..CRYPTO_HOST_FUNCTIONS.len() {
            host_function(&[i as u8]);
            host_function(&[i as u8, 1, 2, 3, 4, 5]);
        }
    }
}
