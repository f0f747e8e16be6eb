//! Light-client verification (a seed application): that a block is final, from its
//! finalization certificate and the validator set alone — no node is trusted. With a state
//! proof against that block's state root (`shortcrust_store` proofs, served by any node's
//! `sc_getProof`), a key's value at a finalized block is checked offline.
//!
//! The certificate is the one marshal recovered (2f+1 Ed25519 finalize votes with their signer
//! bitmap); it names the block by its hash, which commits to the header, hence to the state
//! root.

use commonware_codec::{Decode, Encode};
use commonware_consensus::simplex::scheme::ed25519::Scheme;
use commonware_consensus::simplex::types::Finalization;
use commonware_cryptography::{ed25519, sha256};
use commonware_parallel::Sequential;
use commonware_utils::ordered::Set;
use shortcrust_chain::{BlockHeader, Hash32};
use shortcrust_store::StorageProof;
use shortcrust_vm::ContractId;

use crate::consensus::block::hash_of;

/// A finalization certificate of this chain.
pub type Certificate = Finalization<Scheme, sha256::Digest>;

/// Why a block could not be shown final.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LightError {
    #[error("the certificate does not decode: {0}")]
    Malformed(String),
    #[error("the certificate finalizes block {certified}, not block {header}")]
    WrongBlock { certified: Hash32, header: Hash32 },
    #[error("the certificate's signatures are not a quorum of this validator set")]
    BadSignatures,
    #[error("the validator set is empty")]
    NoValidators,
    #[error("the block header does not decode: {0}")]
    MalformedHeader(String),
    #[error("the state proof does not hold against the final block's state root: {0}")]
    BadProof(String),
    #[error("descendant header at height {height} does not extend the block below it")]
    BrokenChain { height: u64 },
}

/// What a light client established: at the final block `height` (hash `block`), `contract`'s
/// `key` holds `value` (`None`: the key is absent, or the contract does not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinalValue {
    pub height: u64,
    pub block: Hash32,
    pub state_root: Hash32,
    pub value: Option<Vec<u8>>,
}

/// Decodes an encoded certificate, bounded by the validator set's size (never trust an
/// unbounded length from a node).
pub fn decode_certificate(
    namespace: &[u8],
    validators: &Set<ed25519::PublicKey>,
    bytes: &[u8],
) -> Result<Certificate, LightError> {
    if validators.is_empty() {
        return Err(LightError::NoValidators);
    }
    let scheme = Scheme::verifier(namespace, validators.clone());
    use commonware_cryptography::certificate::Verifier as _;
    Certificate::decode_cfg(
        bytes::Bytes::copy_from_slice(bytes),
        &scheme.certificate_codec_config(),
    )
    .map_err(|e| LightError::Malformed(e.to_string()))
}

/// Checks that `header` is final on the chain of `namespace` run by `validators`: the
/// certificate names this header's block and carries a quorum of valid finalize signatures.
pub fn verify_final(
    namespace: &[u8],
    validators: &Set<ed25519::PublicKey>,
    header: &BlockHeader,
    certificate: &[u8],
) -> Result<Certificate, LightError> {
    let certificate = decode_certificate(namespace, validators, certificate)?;
    let certified = hash_of(&certificate.proposal.payload);
    if certified != header.hash() {
        return Err(LightError::WrongBlock {
            certified,
            header: header.hash(),
        });
    }
    let scheme = Scheme::verifier(namespace, validators.clone());
    // The randomness only makes batch verification sound against a forger; it never changes
    // the verdict on honest signatures.
    let mut rng = rand_010::rng();
    if !certificate.verify(&mut rng, &scheme, &Sequential) {
        return Err(LightError::BadSignatures);
    }
    Ok(certificate)
}

/// The canonical encoding of a certificate (what nodes store and serve).
pub fn encode_certificate(certificate: &Certificate) -> Vec<u8> {
    certificate.encode().to_vec()
}

/// Checks that `header` is final: `certificate` finalizes either `header` itself
/// (`descendants` empty) or the last of `descendants`, headers at the consecutive heights above
/// `header` whose parent hashes link back to it (consensus finalized them together). Hash
/// linkage suffices: a final block's ancestors are final.
pub fn verify_final_through(
    namespace: &[u8],
    validators: &Set<ed25519::PublicKey>,
    header: &BlockHeader,
    descendants: &[BlockHeader],
    certificate: &[u8],
) -> Result<Certificate, LightError> {
    let mut below = header;
    for d in descendants {
        if d.parent_hash != below.hash() || d.height != below.height + 1 {
            return Err(LightError::BrokenChain { height: d.height });
        }
        below = d;
    }
    verify_final(namespace, validators, below, certificate)
}

/// Checks offline that `contract`'s `key` has a value at a final block: `header` (borsh) is
/// final by `certificate` under `validators`, directly or through `descendants` (borsh headers,
/// see [`verify_final_through`]), and `proof` (a borsh `StorageProof`, as `sc_getProof` serves
/// it) holds against that header's state root. Every input may come from an untrusted node:
/// only the validator set and namespace are trusted.
#[allow(clippy::too_many_arguments)]
pub fn verify_value(
    namespace: &[u8],
    validators: &Set<ed25519::PublicKey>,
    header: &[u8],
    descendants: &[Vec<u8>],
    certificate: &[u8],
    proof: &[u8],
    contract: &ContractId,
    key: &[u8],
) -> Result<FinalValue, LightError> {
    let decode = |bytes: &[u8]| -> Result<BlockHeader, LightError> {
        borsh::from_slice(bytes).map_err(|e| LightError::MalformedHeader(e.to_string()))
    };
    let header = decode(header)?;
    let descendants = descendants
        .iter()
        .map(|d| decode(d))
        .collect::<Result<Vec<_>, _>>()?;
    verify_final_through(namespace, validators, &header, &descendants, certificate)?;
    let proof = StorageProof::from_bytes(proof).map_err(|e| LightError::BadProof(e.to_string()))?;
    if proof.key != key {
        return Err(LightError::BadProof(format!(
            "it proves key {}, not {}",
            hex::encode(&proof.key),
            hex::encode(key)
        )));
    }
    let claim = proof
        .verify(&header.state_root(), contract, key)
        .map_err(|e| LightError::BadProof(e.to_string()))?;
    Ok(FinalValue {
        height: header.height,
        block: header.hash(),
        state_root: header.state_root,
        value: claim.value().map(<[u8]>::to_vec),
    })
}
