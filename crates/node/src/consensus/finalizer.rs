//! [`Finalizer`]: receives the blocks marshal has finalized, in height order, and stores each
//! with its receipts and finalization certificate through [`Node::commit_finalized`] (the
//! node's crash-safe commit), then acknowledges it to marshal.
//!
//! Marshal delivers at least once: after a restart it re-delivers blocks this node already
//! stored, which are acknowledged and skipped. A finalized block this node never executed (it
//! was offline, or certified the block without executing it) is executed here on the head. If
//! this node finds a block that a quorum finalized invalid, it is itself faulty (or the quorum
//! is not honest): it stops following the chain, loudly, rather than diverge; dropping the
//! acknowledgement stops marshal.

use commonware_actor::Feedback;
use commonware_codec::Encode;
use commonware_consensus::Reporter;
use commonware_consensus::marshal::Update;
use commonware_consensus::marshal::core::Mailbox;
use commonware_consensus::marshal::standard::Standard;
use commonware_consensus::simplex::scheme::ed25519::Scheme;
use commonware_consensus::types::Height;
use commonware_cryptography::Digested;
use commonware_utils::Acknowledgement;
use commonware_utils::acknowledgement::Exact;
use futures::StreamExt;
use futures::channel::mpsc;
use shortcrust_chain::verify_block;

use crate::consensus::application::ChainApp;
use crate::consensus::block::ConsensusBlock;
use crate::error::NodeError;

/// What marshal reports to: a non-blocking hand-off to [`run`].
#[derive(Clone)]
pub struct Finalizer {
    sender: mpsc::UnboundedSender<(Digested<ConsensusBlock>, Exact)>,
}

impl Finalizer {
    /// The reporter and the receiving end [`run`] drains.
    pub fn new() -> (
        Finalizer,
        mpsc::UnboundedReceiver<(Digested<ConsensusBlock>, Exact)>,
    ) {
        let (sender, receiver) = mpsc::unbounded();
        (Finalizer { sender }, receiver)
    }
}

impl Reporter for Finalizer {
    type Activity = Update<ConsensusBlock>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        match activity {
            // The tip is not durable yet: only delivered blocks are applied.
            Update::Tip(..) => Feedback::Ok,
            Update::Block(block, ack) => match self.sender.unbounded_send((block, ack)) {
                Ok(()) => Feedback::Ok,
                Err(_) => Feedback::Closed,
            },
        }
    }
}

/// Applies finalized blocks until marshal stops or this node cannot follow the chain.
pub async fn run(
    app: ChainApp,
    marshal: Mailbox<Scheme, Standard<ConsensusBlock>>,
    mut blocks: mpsc::UnboundedReceiver<(Digested<ConsensusBlock>, Exact)>,
) {
    while let Some((block, ack)) = blocks.next().await {
        match apply(&app, &marshal, block.inner()).await {
            Ok(()) => ack.acknowledge(),
            Err(e) => {
                eprintln!(
                    "shortcrust-consensus: FATAL: cannot apply finalized block {} ({}): {e}; \
                     this node stops following the chain",
                    block.inner().block().header.height,
                    block.inner().hash()
                );
                return;
            }
        }
    }
}

async fn apply(
    app: &ChainApp,
    marshal: &Mailbox<Scheme, Standard<ConsensusBlock>>,
    block: &ConsensusBlock,
) -> Result<(), NodeError> {
    let node = app.node();
    let height = block.block().header.height;
    let head = node.head();
    if height <= head.header.height {
        // Re-delivery after a restart: stored already (check it is the same block).
        return match node.db().height_of(&block.hash())? {
            Some(h) if h == height => Ok(()),
            _ => Err(NodeError::Corrupted(format!(
                "finalized block {height} ({}) is not the stored block at that height",
                block.hash()
            ))),
        };
    }
    let receipts = match app.take_executed(&block.hash()) {
        Some(executed) => executed.receipts,
        None => verify_block(node.vm(), node.checks(), &head.header, block.block())?.receipts,
    };
    let finalization = marshal
        .get_finalization(Height::new(height))
        .await
        .map(|f| f.encode().to_vec());
    node.commit_finalized(block.block().clone(), receipts, finalization.as_deref())?;
    app.prune(height);
    Ok(())
}
