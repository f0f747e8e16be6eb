//! Status codes a contract sees from host functions.
//!
//! Verification functions return [`VALID`], [`INVALID`] (well-formed input that does not verify)
//! or a negative code for malformed input. `call` returns [`CALL_OK`] or a negative `CALL_*` code.

/// The proof or signature verifies / the operation succeeded.
pub const VALID: i32 = 1;
/// Well-formed input that does not verify.
pub const INVALID: i32 = 0;
/// An argument has the wrong length.
pub const ERR_LENGTH: i32 = -1;
/// A point is not on the curve, or an encoding is not canonical.
pub const ERR_NOT_ON_CURVE: i32 = -2;
/// A point is on the curve but not in the prime-order subgroup.
pub const ERR_NOT_IN_SUBGROUP: i32 = -3;
/// A point is the identity where the scheme forbids it.
pub const ERR_IDENTITY: i32 = -4;
/// Unknown scheme, mode or version tag.
pub const ERR_UNKNOWN_SCHEME: i32 = -5;
/// Any other malformed encoding (bad field element, truncated structure, ...).
pub const ERR_MALFORMED: i32 = -6;
/// More inputs, keys or public inputs than the documented limit.
pub const ERR_TOO_MANY: i32 = -7;
/// The native library failed unexpectedly (a caught panic). Deterministic for a given input, but
/// reported separately so that it is never confused with "invalid".
pub const ERR_INTERNAL: i32 = -8;

/// `call` succeeded; its output is in the return data.
pub const CALL_OK: i32 = 0;
/// The callee reverted; its message is in the return data.
pub const CALL_REVERTED: i32 = -1;
/// The callee ran out of its gas.
pub const CALL_OUT_OF_GAS: i32 = -2;
/// The callee trapped (unreachable, out-of-bounds access, stack limit, ...).
pub const CALL_TRAPPED: i32 = -3;
/// No contract with that id.
pub const CALL_UNKNOWN_CONTRACT: i32 = -4;
/// The callee does not export that entry point.
pub const CALL_UNKNOWN_ENTRY: i32 = -5;
/// The call-depth limit was reached.
pub const CALL_DEPTH_EXCEEDED: i32 = -6;
