//! Shortcrust's contract ABI, version 1: the one table of host functions, the status codes the
//! guest sees, contract ids and the limits shared by host and guest.
//!
//! `no_std` and dependency-free so that the contract SDK (wasm32) and the node both build it.
//! Everything a contract can observe about the host is declared here, once.
#![no_std]

#[cfg(test)]
mod docs;
mod host_functions;
pub mod limits;
pub mod status;

/// The WASM import module that holds every host function of ABI version 1.
pub const IMPORT_MODULE: &str = "shortcrust_v1";

/// The newest protocol version this build knows. A session runs at a protocol version `<=` this;
/// a host function is importable only when its `since` is `<=` the session's version.
///
/// - 1: ABI v1 and gas schedule v1.
/// - 2: the same host functions; gas schedule v2 (instruction cost classes, see the VM's
///   `gas::Schedule`).
pub const LATEST_PROTOCOL_VERSION: u32 = 2;

/// Name of the custom section in which the SDK describes a contract's entry points (JSON).
pub const SCHEMA_SECTION: &str = "shortcrust-schema";

/// A 32-byte contract id: BLAKE2b-256 of `"shortcrust/contract-id" || owner || code hash || nonce`
/// (see the VM's deploy), so that the same code deployed twice gets two ids.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ContractId(pub [u8; 32]);

impl ContractId {
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl core::fmt::Debug for ContractId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ContractId({self})")
    }
}

impl core::fmt::Display for ContractId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// WASM value types used in host-function signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValType {
    I32,
    I64,
}

/// Which cost formula prices a host function. The formulas themselves live beside the
/// implementations (VM for state functions, `shortcrust-crypto` for cryptography).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GasKey {
    /// Fixed small cost: reading a context value.
    Context,
    /// Copying bytes from the host into guest memory: base + per byte.
    CopyIn,
    /// Copying bytes from guest memory into the host: base + per byte.
    CopyOut,
    /// Storage read: base + per key and value byte.
    StorageRead,
    /// Storage write or removal: base + per key and value byte written.
    StorageWrite,
    /// Event: base + per topic and data byte.
    Event,
    /// Cross-contract call: base + per input byte, plus the callee's own gas.
    Call,
    Blake2b256,
    Sha256,
    Keccak256,
    HashToScalar,
    PoseidonHash,
    PoseidonBn254,
    VerifyPlonk,
    VerifyGroth16Bn254,
    VerifySchnorr,
    VerifyBip340,
    VerifyEd25519,
    VerifyBls,
    VerifyBlsAggregate,
}

impl GasKey {
    /// Whether this formula prices cryptography (DESIGN §4: hashes, Poseidon, proof and
    /// signature verification, priced by `shortcrust-crypto`) rather than the VM's own state,
    /// context and call functions.
    pub const fn is_cryptographic(self) -> bool {
        !matches!(
            self,
            GasKey::Context
                | GasKey::CopyIn
                | GasKey::CopyOut
                | GasKey::StorageRead
                | GasKey::StorageWrite
                | GasKey::Event
                | GasKey::Call
        )
    }
}

/// One host function as declared in [`for_each_host_function!`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostFnDecl {
    pub name: &'static str,
    pub params: &'static [ValType],
    /// Parameter names, as declared (`*_ptr`/`ptr` are guest pointers, `*_len`/`len` lengths).
    pub param_names: &'static [&'static str],
    pub result: Option<ValType>,
    pub gas: GasKey,
    /// Protocol version that enables the function.
    pub since: u32,
    pub doc: &'static str,
}

#[doc(hidden)]
#[macro_export]
macro_rules! __abi_valtype {
    (i32) => {
        $crate::ValType::I32
    };
    (i64) => {
        $crate::ValType::I64
    };
}

macro_rules! declare_table {
    ($(
        #[since = $since:literal, gas = $gas:ident]
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ident),*) $(-> $ret:ident)?;
    )*) => {
        /// Every host function of every protocol version, in declaration order.
        pub const HOST_FUNCTIONS: &[HostFnDecl] = &[$(
            HostFnDecl {
                name: stringify!($name),
                params: &[$(__abi_valtype!($ty)),*],
                param_names: &[$(stringify!($arg)),*],
                result: {
                    #[allow(unused_mut, unused_assignments)]
                    let mut r = None;
                    $(r = Some(__abi_valtype!($ret));)?
                    r
                },
                gas: GasKey::$gas,
                since: $since,
                doc: concat!($($doc, "\n"),*),
            },
        )*];
    };
}

for_each_host_function!(declare_table);

/// The declaration of `name` if the protocol version `version` enables it.
pub fn host_function(name: &str, version: u32) -> Option<&'static HostFnDecl> {
    HOST_FUNCTIONS
        .iter()
        .find(|f| f.name == name && f.since <= version)
}

/// BLS schemes accepted by `verify_bls` and `verify_bls_aggregate`.
pub mod bls_scheme {
    /// IETF `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`, keys in G1 (48 bytes compressed),
    /// signatures in G2 (96 bytes compressed): Ethereum consensus.
    pub const IETF_MIN_PK_POP: i32 = 1;
    /// Dusk's BLS (bls12_381-bls): keys in G2 (96 bytes), signatures in G1 (48 bytes), Dusk's
    /// domain separation tag.
    pub const DUSK_MIN_SIG: i32 = 2;
    /// IETF `PopVerify` for `IETF_MIN_PK_POP` keys: `sig` (96 bytes) must be the key's proof of
    /// possession, a signature of its own 48 compressed bytes under
    /// `BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`; `msg` must be empty. `verify_bls` only.
    /// Check it once per key before admitting the key to `FAST` aggregates (rogue-key defence).
    pub const IETF_POP_PROOF: i32 = 3;
}

/// Modes of `verify_bls_aggregate`.
pub mod bls_aggregate_mode {
    /// Many keys, one message (fast aggregate verify). Keys must carry a proof of possession.
    pub const FAST: i32 = 1;
    /// Many keys, one distinct message each.
    pub const DISTINCT: i32 = 2;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_documented() {
        for (i, f) in HOST_FUNCTIONS.iter().enumerate() {
            assert!(!f.doc.trim().is_empty(), "{} has no doc", f.name);
            assert!(f.since >= 1 && f.since <= LATEST_PROTOCOL_VERSION);
            for g in &HOST_FUNCTIONS[i + 1..] {
                assert_ne!(f.name, g.name, "duplicate host function");
            }
        }
    }

    #[test]
    fn cryptographic_gas_keys() {
        assert!(
            host_function("verify_plonk", 1)
                .unwrap()
                .gas
                .is_cryptographic()
        );
        assert!(host_function("sha256", 1).unwrap().gas.is_cryptographic());
        assert!(
            !host_function("storage_read", 1)
                .unwrap()
                .gas
                .is_cryptographic()
        );
        assert!(!host_function("call", 1).unwrap().gas.is_cryptographic());
    }

    #[test]
    fn lookup_respects_protocol_version() {
        assert!(host_function("storage_read", 1).is_some());
        assert!(host_function("storage_read", 0).is_none());
        assert!(host_function("no_such_function", 1).is_none());
        let call = host_function("call", 1).unwrap();
        assert_eq!(call.params.len(), 6);
        assert_eq!(call.params[5], ValType::I64);
        assert_eq!(call.result, Some(ValType::I32));
        assert_eq!(host_function("input_read", 1).unwrap().result, None);
    }
}
