//! The chain's [`Block`] as commonware consensus sees it: [`ConsensusBlock`], with its digest
//! (the block hash) and its wire encoding (the canonical borsh bytes, length-prefixed).
//!
//! # The digest
//!
//! Marshal requires a block's digest to commit to the whole block. Our block hash is the
//! header's hash; the header commits to the transactions through `transactions_root`, which
//! covers every transaction's content but not its signature (see `shortcrust_chain::block`).
//! Decoding therefore refuses a body whose transactions root is not the header's, so every
//! decoded block with a given digest executes identically. Two encodings of one digest can
//! only differ in signature bytes, each of which re-verification checks strictly, and only the
//! sender's key can make another valid signature for its transaction.

use std::sync::Arc;

use bytes::{Buf as _, BufMut};
use commonware_codec::{Buf, EncodeSize, Error as CodecError, RangeCfg, Read, Write};
use commonware_consensus::types::Height;
use commonware_consensus::{BoundedBlock, Heightable};
use commonware_cryptography::{Digested, Digestible, sha256};
use shortcrust_chain::block::transactions_root;
use shortcrust_chain::{Block, Hash32, MAX_BLOCK_TX_BYTES};

/// Most encoded bytes of one block on the wire: the transactions' bound plus 64 KiB for the
/// header and the encoding's length prefixes (a header is 216 bytes; each transaction adds a
/// few bytes of borsh prefixes, counted in `MAX_BLOCK_TX_BYTES`'s encoded size).
pub const MAX_BLOCK_BYTES: usize = MAX_BLOCK_TX_BYTES + 64 * 1024;

/// A chain block with its hash and canonical bytes computed once (blocks are cloned, digested,
/// sized and written often).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusBlock {
    block: Arc<Block>,
    hash: Hash32,
    bytes: Arc<[u8]>,
}

impl ConsensusBlock {
    pub fn new(block: Block) -> ConsensusBlock {
        let bytes = block.to_bytes().into();
        ConsensusBlock::with_bytes(block, bytes)
    }

    /// `block` whose canonical encoding is `bytes` (already computed by the caller).
    fn with_bytes(block: Block, bytes: Arc<[u8]>) -> ConsensusBlock {
        let hash = block.hash();
        ConsensusBlock {
            block: Arc::new(block),
            hash,
            bytes,
        }
    }

    /// The chain block.
    pub fn block(&self) -> &Block {
        &self.block
    }

    /// The block hash (equal to the consensus digest's bytes).
    pub fn hash(&self) -> Hash32 {
        self.hash
    }

    /// Wrapped for marshal, digest precomputed.
    pub fn digested(self) -> Digested<ConsensusBlock> {
        let digest = self.digest();
        Digested::precomputed(self, digest)
    }
}

/// The consensus digest of a block hash.
pub fn digest_of(hash: Hash32) -> sha256::Digest {
    sha256::Digest(hash.0)
}

/// The block hash of a consensus digest.
pub fn hash_of(digest: &sha256::Digest) -> Hash32 {
    Hash32(digest.0)
}

impl Write for ConsensusBlock {
    fn write(&self, writer: &mut impl BufMut) {
        self.bytes.len().write(writer);
        writer.put_slice(&self.bytes);
    }
}

impl EncodeSize for ConsensusBlock {
    fn encode_size(&self) -> usize {
        self.bytes.len().encode_size() + self.bytes.len()
    }
}

impl Read for ConsensusBlock {
    type Cfg = ();

    /// Bounded ([`MAX_BLOCK_BYTES`]), canonical (re-encoding gives the same bytes) and
    /// consistent (the transactions root is the header's): anything else is refused here,
    /// before it reaches marshal's storage.
    fn read_cfg(reader: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let len = usize::read_cfg(reader, &RangeCfg::from(..=MAX_BLOCK_BYTES))?;
        if reader.remaining() < len {
            return Err(CodecError::EndOfBuffer);
        }
        let mut bytes = vec![0u8; len];
        reader.copy_to_slice(&mut bytes);
        let block = Block::from_bytes(&bytes)
            .map_err(|e| CodecError::Wrapped("shortcrust block", Box::new(e)))?;
        if block.to_bytes() != bytes {
            return Err(CodecError::Invalid("shortcrust block", "not canonical"));
        }
        if transactions_root(&block.transactions) != block.header.transactions_root {
            return Err(CodecError::Invalid(
                "shortcrust block",
                "transactions do not match the header's transactions root",
            ));
        }
        Ok(ConsensusBlock::with_bytes(block, bytes.into()))
    }
}

impl Digestible for ConsensusBlock {
    type Digest = sha256::Digest;

    fn digest(&self) -> sha256::Digest {
        digest_of(self.hash)
    }
}

impl Heightable for ConsensusBlock {
    fn height(&self) -> Height {
        Height::new(self.block.header.height)
    }
}

impl commonware_consensus::Block for ConsensusBlock {
    fn parent(&self) -> sha256::Digest {
        digest_of(self.block.header.parent_hash)
    }
}

impl BoundedBlock for ConsensusBlock {
    fn max_encode_size(_: &()) -> usize {
        MAX_BLOCK_BYTES.encode_size() + MAX_BLOCK_BYTES
    }
}

/// Decodes one block from its wire bytes (the inverse of `Encode::encode`).
pub fn decode(bytes: &[u8]) -> Result<ConsensusBlock, CodecError> {
    let mut buf = bytes::Bytes::copy_from_slice(bytes);
    let block = ConsensusBlock::read_cfg(&mut buf, &())?;
    if buf.has_remaining() {
        return Err(CodecError::ExtraData(buf.remaining()));
    }
    Ok(block)
}

#[cfg(test)]
mod tests {
    use commonware_codec::Encode;
    use commonware_consensus::Block as _;
    use shortcrust_chain::{BlockHeader, Hash32};

    use super::*;

    fn block() -> Block {
        Block {
            header: BlockHeader {
                height: 3,
                parent_hash: Hash32([7; 32]),
                timestamp: 9,
                proposer: Default::default(),
                transactions_root: transactions_root(&[]),
                receipts_root: Hash32([1; 32]),
                state_root: Hash32([2; 32]),
                gas_used: 0,
                gas_limit: 10,
            },
            transactions: Vec::new(),
        }
    }

    #[test]
    fn round_trips_with_its_hash_as_digest() {
        let b = ConsensusBlock::new(block());
        let bytes = b.encode();
        assert_eq!(bytes.len(), b.encode_size());
        let back = decode(&bytes).unwrap();
        assert_eq!(back, b);
        assert_eq!(back.digest().0, block().hash().0);
        assert_eq!(back.parent().0, [7; 32]);
        assert_eq!(back.height().get(), 3);
    }

    #[test]
    fn refuses_a_body_that_is_not_the_headers() {
        let mut b = block();
        b.header.transactions_root = Hash32([5; 32]);
        let bytes = ConsensusBlock::new(b).encode();
        assert!(
            matches!(decode(&bytes), Err(CodecError::Invalid(_, m)) if m.contains("transactions"))
        );
    }

    #[test]
    fn refuses_truncated_oversized_and_trailing_bytes() {
        let bytes = ConsensusBlock::new(block()).encode().to_vec();
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(decode(&long), Err(CodecError::ExtraData(1))));
        let mut huge = Vec::new();
        (MAX_BLOCK_BYTES + 1).write(&mut huge);
        assert!(matches!(decode(&huge), Err(CodecError::InvalidLength(_))));
    }
}
