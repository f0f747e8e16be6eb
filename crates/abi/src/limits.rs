//! Limits shared by host and guest. Every one is enforced by the host and covered by a test; the
//! SDK uses them to size buffers. Changing one is a protocol change.

/// Largest input of one call, in bytes.
pub const MAX_INPUT_LEN: u32 = 256 * 1024;
/// Largest output of one call, in bytes.
pub const MAX_OUTPUT_LEN: u32 = 64 * 1024;
/// Largest revert message kept, in bytes (longer ones are cut at a character boundary).
pub const MAX_REVERT_LEN: u32 = 1024;
/// Largest storage key, in bytes.
pub const MAX_KEY_LEN: u32 = 256;
/// Largest storage value, in bytes.
pub const MAX_VALUE_LEN: u32 = 64 * 1024;
/// Largest event topic, in bytes.
pub const MAX_EVENT_TOPIC_LEN: u32 = 64;
/// Largest event data, in bytes.
pub const MAX_EVENT_DATA_LEN: u32 = 16 * 1024;
/// Most events one top-level call (all its frames) may emit.
pub const MAX_EVENTS_PER_CALL: u32 = 1024;
/// Longest entry-point name, in bytes.
pub const MAX_ENTRY_NAME_LEN: u32 = 64;
/// Deepest nesting of call frames, the top-level call being depth 1.
pub const MAX_CALL_DEPTH: u32 = 16;
/// Most scalars one `poseidon_hash` takes.
pub const MAX_POSEIDON_INPUTS: u32 = 64;
/// Most public inputs of one PLONK or Groth16 verification.
pub const MAX_PUBLIC_INPUTS: u32 = 1024;
/// Most keys of one aggregate BLS verification.
pub const MAX_BLS_KEYS: u32 = 1024;
