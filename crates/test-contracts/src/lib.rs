//! The example contracts of `contracts/`, compiled to `wasm32-unknown-unknown` by this crate's
//! build script, as byte constants for the VM's tests, the benchmarks and the CLI's demo.
//!
//! Each constant is one contract's `.wasm` (see `contracts/README.md` for what each does):
//!
//! ```
//! assert_eq!(&shortcrust_test_contracts::COUNTER[..4], b"\0asm");
//! assert!(shortcrust_test_contracts::by_name("token").is_some());
//! ```

pub mod client;

macro_rules! contract {
    ($(#[doc = $doc:literal])* $name:ident, $file:literal) => {
        $(#[doc = $doc])*
        pub const $name: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/", $file, ".wasm"));
    };
}

contract!(
    /// `counter`: `increment() -> u64`, `add(n: u64) -> u64`, `get() -> u64`.
    COUNTER, "counter"
);
contract!(
    /// `token`: owner-minted token with `init`, `mint`, `transfer`, `balance_of`, `total_supply`.
    TOKEN, "token"
);
contract!(
    /// `caller`: handled cross-contract calls (`try_call`, `increment_counter`, `last`) and
    /// self-recursion to the depth cap (`recurse`).
    CALLER, "caller"
);
contract!(
    /// `empty`: `noop()`, which does nothing (call-overhead benchmarks).
    EMPTY, "empty"
);
contract!(
    /// `hostile`: one misbehaviour per entry point (loops, recursion, memory bombs, bad pointers,
    /// oversized writes, event spam, panics).
    HOSTILE, "hostile"
);
contract!(
    /// `compute`: `field_iterate` and `mix_iterate`, pure compute loops (metering benchmarks).
    COMPUTE, "compute"
);
contract!(
    /// `verifier`: one entry point per cryptographic host function, raw encodings in, the host's
    /// status (or digest) out; what `shortcrust verify` runs.
    VERIFIER, "verifier"
);
contract!(
    /// `darkpool`: hidden balances (JubJub commitments) updated by PLONK proofs; trades settle
    /// with both traders' proofs and a Dusk BLS multisignature of the committee.
    DARKPOOL, "darkpool"
);
contract!(
    /// `bridge`: mints a wrapped token on a Groth16-BN254 (snarkjs) proof of a deposit,
    /// nullifiers refuse replays.
    BRIDGE, "bridge"
);
contract!(
    /// `committee`: staking registry of IETF BLS keys with proofs of possession; rounds attested
    /// by more than two thirds of the stake (fast aggregate verification).
    COMMITTEE, "committee"
);
contract!(
    /// `wallet`: accounts controlled by Schnorr (JubJub), BIP-340 or Ed25519 keys; signed,
    /// nonce-protected transfers.
    WALLET, "wallet"
);

/// Every contract by name, in a fixed order.
pub const ALL: &[(&str, &[u8])] = &[
    ("counter", COUNTER),
    ("token", TOKEN),
    ("caller", CALLER),
    ("empty", EMPTY),
    ("hostile", HOSTILE),
    ("compute", COMPUTE),
    ("verifier", VERIFIER),
    ("darkpool", DARKPOOL),
    ("bridge", BRIDGE),
    ("committee", COMMITTEE),
    ("wallet", WALLET),
];

/// The contract called `name` (as in [`ALL`]), if there is one.
pub fn by_name(name: &str) -> Option<&'static [u8]> {
    ALL.iter()
        .find(|(candidate, _)| *candidate == name)
        .map(|(_, code)| *code)
}
