//! Transaction gossip between validators: a transaction a client submits to any validator
//! reaches every validator's mempool, so whichever leads next can include it.
//!
//! Each validator sends the transactions its clients submitted (and its mempool admitted) to
//! all the others, once, on channel [`GOSSIP_CHANNEL`]; what it receives is admitted with the
//! same checks as a client's submission and never forwarded again (validators are fully
//! connected, so one hop reaches everyone). A message is a borsh `Vec<SignedTransaction>` of
//! at most [`MAX_GOSSIP_BYTES`]; anything undecodable or larger is dropped (the sender is
//! faulty) without touching the mempool.

use commonware_cryptography::ed25519;
use commonware_p2p::{Receiver, Recipients, Sender};
use commonware_runtime::Spawner;
use futures::StreamExt;
use futures::channel::mpsc;
use shortcrust_chain::{MAX_TX_BYTES, SignedTransaction};

use crate::Node;

/// The p2p channel of transaction gossip (after the consensus channels, `engine::CHANNELS`).
pub const GOSSIP_CHANNEL: u64 = 5;

/// Most bytes of one gossip message: one largest transaction, or many small ones.
pub const MAX_GOSSIP_BYTES: usize = MAX_TX_BYTES + 64 * 1024;

/// Splits `txs` into messages of at most [`MAX_GOSSIP_BYTES`].
fn messages(txs: Vec<SignedTransaction>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut batch: Vec<SignedTransaction> = Vec::new();
    let mut size = 4;
    for tx in txs {
        let len = tx.to_bytes().len();
        if !batch.is_empty() && size + len > MAX_GOSSIP_BYTES {
            out.push(borsh::to_vec(&std::mem::take(&mut batch)).unwrap_or_default());
            size = 4;
        }
        size += len;
        batch.push(tx);
    }
    if !batch.is_empty() {
        out.push(borsh::to_vec(&batch).unwrap_or_default());
    }
    out
}

/// Decodes one gossip message; `None` if it is malformed or too large.
pub fn decode(bytes: &[u8]) -> Option<Vec<SignedTransaction>> {
    if bytes.len() > MAX_GOSSIP_BYTES {
        return None;
    }
    borsh::from_slice(bytes).ok()
}

/// Starts gossiping for `node` on `(sender, receiver)`: two tasks, children of `context`.
pub fn start<E, S, R>(context: &E, node: Node, (mut sender, mut receiver): (S, R))
where
    E: Spawner,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
{
    let (sink, mut local) = mpsc::unbounded::<Vec<SignedTransaction>>();
    node.gossip_to(sink);
    context.child("gossip_out").spawn(move |_| async move {
        while let Some(txs) = local.next().await {
            for message in messages(txs) {
                // Peers offline or rate-limited miss it; their clients can resubmit.
                let _ = sender.send(Recipients::All, message, false);
            }
        }
    });
    context.child("gossip_in").spawn(move |_| async move {
        while let Ok((_peer, message)) = receiver.recv().await {
            if let Some(txs) = decode(message.as_ref()) {
                // Each transaction's admission result is the mempool's business: duplicates
                // and stale nonces are refused there, exactly as from a client.
                let _ = node.admit(txs);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_oversized_messages_are_dropped() {
        assert!(decode(&[1, 2, 3]).is_none());
        assert!(decode(&vec![0u8; MAX_GOSSIP_BYTES + 1]).is_none());
        assert_eq!(
            decode(&borsh::to_vec(&Vec::<SignedTransaction>::new()).unwrap()),
            Some(vec![])
        );
    }
}
