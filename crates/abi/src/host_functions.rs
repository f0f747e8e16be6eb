//! The one declaration of every host function.
//!
//! [`for_each_host_function!`] hands the whole table to a macro of the caller's choosing. The ABI
//! crate itself expands it into [`crate::HOST_FUNCTIONS`] (used by the VM to validate imports at
//! deploy and by tools to print the schedule), the SDK expands it into its `extern` imports, and the
//! VM expands it into its linker. Adding a host function is one entry here plus its implementation:
//! a missing implementation or a mismatched signature is a compile error, never a runtime surprise.
//!
//! Conventions shared by every entry (DESIGN §3):
//! - pointers and lengths are `i32` offsets into the contract's exported `memory`, bounds-checked by
//!   the host before use; an out-of-bounds pair traps the frame with `MemoryOutOfBounds`;
//! - functions whose input may be malformed return an `i32` status (see [`crate::status`]);
//! - gas is charged **before** the work, from argument sizes only, under the key named in `gas`.
//!
//! Entry syntax: `#[since = V, gas = Key] /// doc ... fn name(param: ty, ..) -> ty;` with `ty` one of
//! `i32`/`i64`. `since` is the protocol version that enables the function.

/// Calls `$callback! { ... }` with every host function declaration. See the module docs.
#[macro_export]
macro_rules! for_each_host_function {
    ($callback:path) => {
        $callback! {
            // ----- call input and output -------------------------------------------------------
            #[since = 1, gas = Context]
            /// Length in bytes of the current call's input.
            fn input_len() -> i32;

            #[since = 1, gas = CopyIn]
            /// Copies the whole input of the current call to `ptr` (`input_len()` bytes).
            fn input_read(ptr: i32);

            #[since = 1, gas = CopyOut]
            /// Sets the output of the current call (replacing any earlier output).
            /// At most `limits::MAX_OUTPUT_LEN` bytes.
            fn output_write(ptr: i32, len: i32);

            #[since = 1, gas = CopyOut]
            /// Aborts the current call frame with a UTF-8 message (at most `limits::MAX_REVERT_LEN`
            /// bytes; longer messages are cut at a character boundary). Never returns. The frame's
            /// storage writes and events are rolled back.
            fn revert(ptr: i32, len: i32);

            // ----- storage ---------------------------------------------------------------------
            #[since = 1, gas = StorageRead]
            /// Reads the value stored under the key `key_ptr..+key_len` of the calling contract.
            /// Returns the value's full length, or `-1` when the key is absent. Copies
            /// `min(len, out_cap)` bytes to `out_ptr`.
            fn storage_read(key_ptr: i32, key_len: i32, out_ptr: i32, out_cap: i32) -> i32;

            #[since = 1, gas = StorageWrite]
            /// Stores a value under a key of the calling contract (keys at most
            /// `limits::MAX_KEY_LEN`, values at most `limits::MAX_VALUE_LEN` bytes).
            fn storage_write(key_ptr: i32, key_len: i32, val_ptr: i32, val_len: i32);

            #[since = 1, gas = StorageWrite]
            /// Removes a key of the calling contract. Returns `1` when it existed, `0` otherwise.
            fn storage_remove(key_ptr: i32, key_len: i32) -> i32;

            // ----- events ----------------------------------------------------------------------
            #[since = 1, gas = Event]
            /// Emits an event with a topic (at most `limits::MAX_EVENT_TOPIC_LEN` bytes) and data
            /// (at most `limits::MAX_EVENT_DATA_LEN` bytes), attributed to the calling contract.
            fn emit(topic_ptr: i32, topic_len: i32, data_ptr: i32, data_len: i32);

            // ----- context ---------------------------------------------------------------------
            #[since = 1, gas = Context]
            /// Writes the calling contract's own 32-byte id to `out_ptr`.
            fn self_id(out_ptr: i32);

            #[since = 1, gas = Context]
            /// Writes the 32-byte id of whoever called this frame to `out_ptr`: the calling
            /// contract, or for a top-level call the transaction's sender. Returns `1` when the
            /// caller is a contract, `0` when it is the transaction's sender.
            fn caller(out_ptr: i32) -> i32;

            #[since = 1, gas = Context]
            /// Writes the 32-byte owner of the calling contract (set at deploy) to `out_ptr`.
            fn owner(out_ptr: i32);

            #[since = 1, gas = Context]
            /// Height of the block this session executes in.
            fn block_height() -> i64;

            #[since = 1, gas = Context]
            /// Timestamp of the block, in seconds since the Unix epoch, as given by the embedder.
            fn block_timestamp() -> i64;

            #[since = 1, gas = Context]
            /// The chain id given by the embedder.
            fn chain_id() -> i64;

            #[since = 1, gas = Context]
            /// Gas left in the current frame, after paying for this call.
            fn gas_left() -> i64;

            // ----- cross-contract calls ----------------------------------------------------------
            #[since = 1, gas = Call]
            /// Calls entry point `name_ptr..+name_len` of the contract whose 32-byte id is at
            /// `contract_ptr`, with input `input_ptr..+input_len`. `gas_limit` caps the gas given to
            /// the callee (`0` means "all it may have"); the callee never gets more than all but
            /// 1/64 of the caller's remaining gas. Returns `0` on success or a negative
            /// `status::CALL_*` code; the callee's output (or revert message) is then available
            /// through `return_data_len`/`return_data_read`. A failed callee's effects are rolled
            /// back; the caller continues.
            fn call(contract_ptr: i32, name_ptr: i32, name_len: i32, input_ptr: i32, input_len: i32, gas_limit: i64) -> i32;

            #[since = 1, gas = Context]
            /// Length of the data returned by the last `call` (its output, or its revert message).
            fn return_data_len() -> i32;

            #[since = 1, gas = CopyIn]
            /// Copies the data returned by the last `call` to `ptr` (`return_data_len()` bytes).
            fn return_data_read(ptr: i32);

            // ----- native cryptography: hashes (out_ptr receives 32 bytes) -------------------------
            #[since = 1, gas = Blake2b256]
            /// BLAKE2b with a 32-byte digest (no key, no personalisation) of `ptr..+len`.
            fn blake2b_256(ptr: i32, len: i32, out_ptr: i32);

            #[since = 1, gas = Sha256]
            /// SHA-256 of `ptr..+len`.
            fn sha256(ptr: i32, len: i32, out_ptr: i32);

            #[since = 1, gas = Keccak256]
            /// Keccak-256 (Ethereum's, not SHA3-256) of `ptr..+len`.
            fn keccak256(ptr: i32, len: i32, out_ptr: i32);

            #[since = 1, gas = HashToScalar]
            /// Dusk's `BlsScalar::hash_to_scalar` of `ptr..+len` (BLAKE2b-512 read as a
            /// little-endian integer, reduced mod the BLS12-381 scalar order); writes the scalar's
            /// 32-byte canonical little-endian encoding.
            fn hash_to_scalar(ptr: i32, len: i32, out_ptr: i32);

            #[since = 1, gas = PoseidonHash]
            /// Dusk's Poseidon (`Domain::Other`) over BLS12-381 scalars: input is `n` 32-byte
            /// canonical little-endian scalars (`len = 32 n`, `1 <= n <= limits::MAX_POSEIDON_INPUTS`);
            /// writes the 32-byte little-endian scalar. Returns `1`, or `ERR_LENGTH` (`len` zero or
            /// not a multiple of 32), `ERR_TOO_MANY`, `ERR_MALFORMED` (a scalar not below the
            /// modulus); nothing is written on error.
            fn poseidon_hash(ptr: i32, len: i32, out_ptr: i32) -> i32;

            #[since = 1, gas = PoseidonBn254]
            /// circomlib-compatible Poseidon over BN254: input is `n` 32-byte big-endian field
            /// elements, each below the field modulus (`1 <= n <= 12`); writes the 32-byte
            /// big-endian result. Returns a status as `poseidon_hash` does.
            fn poseidon_bn254(ptr: i32, len: i32, out_ptr: i32) -> i32;

            // ----- native cryptography: proofs and signatures (return a status) --------------------
            #[since = 1, gas = VerifyPlonk]
            /// dusk-plonk 0.22 (BLS12-381 with KZG, `PlonkVersion::V3` rules). `vd`: dusk-plonk's
            /// `Verifier::to_bytes()` — six big-endian `u64`s (label length, 968, 240, `n`, circuit
            /// size, constraints), the transcript label, the 968-byte verifier key (its 240
            /// reserved trailing bytes zero), the 240-byte opening key, `n` big-endian `u64`
            /// public-input indexes; nothing after. `proof`: `Proof::to_bytes()`, 1008 bytes.
            /// `pi`: `n` canonical 32-byte little-endian scalars (`pi_len = 32 n`,
            /// `n <= limits::MAX_PUBLIC_INPUTS`, `n` as declared in `vd`). Points compressed,
            /// checked on the curve and in the subgroup. Returns a status.
            fn verify_plonk(vd_ptr: i32, vd_len: i32, proof_ptr: i32, proof_len: i32, pi_ptr: i32, pi_len: i32) -> i32;

            #[since = 1, gas = VerifyGroth16Bn254]
            /// Groth16 over BN254 (alt_bn128, as circom/snarkjs), arkworks' compressed encodings
            /// (G1 32 bytes, G2 `x.c0 ‖ x.c1` 64 bytes, little-endian x with the flags in the top
            /// two bits of the last byte). `vk`: `alpha_g1 ‖ beta_g2 ‖ gamma_g2 ‖ delta_g2 ‖
            /// (n + 1) as u64 LE ‖ ic[0..=n]` (`232 + 32 (n + 1)` bytes). `proof`: `a ‖ b ‖ c`,
            /// 128 bytes. `pi`: `n` 32-byte **big-endian** scalars `< r` (as `poseidon_bn254` and
            /// snarkjs' `public.json`; `n <= limits::MAX_PUBLIC_INPUTS`). Points checked canonical,
            /// on the curve and in the subgroup. Returns a status.
            fn verify_groth16_bn254(vk_ptr: i32, vk_len: i32, proof_ptr: i32, proof_len: i32, pi_ptr: i32, pi_len: i32) -> i32;

            #[since = 1, gas = VerifySchnorr]
            /// Dusk's Schnorr over JubJub (jubjub-schnorr, single key), Dusk's serializations:
            /// 32-byte compressed JubJub public key, message (one 32-byte canonical little-endian
            /// BLS12-381 scalar), 64-byte signature (`u` little-endian, then compressed `R`).
            fn verify_schnorr(pk_ptr: i32, pk_len: i32, msg_ptr: i32, msg_len: i32, sig_ptr: i32, sig_len: i32) -> i32;

            #[since = 1, gas = VerifyBip340]
            /// BIP-340 Schnorr over secp256k1: 32-byte x-only key, message of any length, 64-byte
            /// signature (`r || s`, big-endian).
            fn verify_bip340(pk_ptr: i32, pk_len: i32, msg_ptr: i32, msg_len: i32, sig_ptr: i32, sig_len: i32) -> i32;

            #[since = 1, gas = VerifyEd25519]
            /// Ed25519 (RFC 8032, strict: canonical `S`, no small-order key or `R`): 32-byte key,
            /// message of any length, 64-byte signature.
            fn verify_ed25519(pk_ptr: i32, pk_len: i32, msg_ptr: i32, msg_len: i32, sig_ptr: i32, sig_len: i32) -> i32;

            #[since = 1, gas = VerifyBls]
            /// BLS12-381 signature, compressed points. `scheme` is `bls_scheme::IETF_MIN_PK_POP`
            /// (48-byte G1 keys, 96-byte G2 signatures) or `bls_scheme::DUSK_MIN_SIG` (Dusk's
            /// bls12_381-bls: 96-byte G2 keys, 48-byte G1 signatures, Dusk's hash-to-G1 tag). Keys
            /// and signatures must be in the prime-order subgroup and not the identity.
            fn verify_bls(scheme: i32, pk_ptr: i32, pk_len: i32, msg_ptr: i32, msg_len: i32, sig_ptr: i32, sig_len: i32) -> i32;

            #[since = 1, gas = VerifyBlsAggregate]
            /// Aggregate BLS12-381 verification under `scheme`: `pks` is `n` concatenated keys
            /// (`1 <= n <= limits::MAX_BLS_KEYS`) and `sig` one aggregate signature. `mode` is
            /// `bls_aggregate_mode::FAST` (`msgs` is the one message all keys signed; for Dusk,
            /// `sig` is Dusk's multisignature and keys are weighted as in its
            /// `MultisigPublicKey::aggregate`) or `bls_aggregate_mode::DISTINCT` (`msgs` is exactly
            /// `n` messages, each prefixed by its 4-byte little-endian length, one per key, in key
            /// order; Dusk keys carry no proof of possession, so Dusk messages must differ).
            fn verify_bls_aggregate(scheme: i32, mode: i32, pks_ptr: i32, pks_len: i32, msgs_ptr: i32, msgs_len: i32, sig_ptr: i32, sig_len: i32) -> i32;
        }
    };
}
