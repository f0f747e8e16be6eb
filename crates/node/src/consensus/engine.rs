//! Wiring one validator: simplex (votes, certificates), marshal (block dissemination, backfill,
//! finalized-block delivery) behind the `Inline` wrapper around [`ChainApp`], buffered
//! broadcast for block gossip, and the [`finalizer`]. Generic over the runtime and the network,
//! so the same code runs in the deterministic simulation (tests) and on tokio with
//! authenticated p2p (`shortcrust devnet`).
//!
//! # Knobs (defaults and why)
//!
//! - `leader_timeout` 1 s, `certification_timeout` 2 s, `timeout_retry` 500 ms: a view whose
//!   leader is silent (crashed, partitioned, or proposing blocks nobody accepts) is skipped
//!   within seconds; executing a block of 10⁹ gas takes at most ~0.15 s (BENCHMARKS.md), well
//!   inside them;
//! - `skip` after 5 s with a budget of one view per participant: a persistently faulty leader
//!   costs the chain seconds, not liveness;
//! - `view_retention` 10 views; `max_pending_acks` 4 finalized blocks in flight to the
//!   finalizer; archives in sections of 10 heights;
//! - `Sequential` strategy everywhere: signature batches are small (4–100 validators) and
//!   the VM already has a core per block execution.
//!
//! [`finalizer`]: crate::consensus::finalizer

use std::num::{NonZeroU16, NonZeroUsize};
use std::time::Duration;

use commonware_broadcast::buffered;
use commonware_consensus::marshal::core::{Actor as MarshalActor, Mailbox};
use commonware_consensus::marshal::resolver::p2p as marshal_resolver;
use commonware_consensus::marshal::standard::{Inline, Standard};
use commonware_consensus::marshal::{self, Start};
use commonware_consensus::simplex::elector::RoundRobin;
use commonware_consensus::simplex::scheme::ed25519::Scheme;
use commonware_consensus::simplex::{self, ForwardPolicy, SkipBudget, SkipPolicy};
use commonware_consensus::types::{Epoch, FixedEpocher, ViewDelta};
use commonware_cryptography::certificate::{ConstantProvider, Verifier as _};
use commonware_cryptography::{Sha256, ed25519};
use commonware_p2p::{Blocker, Provider, Receiver, Sender};
use commonware_parallel::Sequential;
use commonware_runtime::buffer::paged::CacheRef;
use commonware_runtime::{Clock, Handle, Metrics, Spawner, Storage};
use commonware_storage::archive::prunable;
use commonware_storage::translator::TwoCap;
use commonware_utils::ordered::Set;
use commonware_utils::{NZDuration, NZU16, NZU64, NZUsize};
use rand_core_010::CryptoRng;

use crate::consensus::application::ChainApp;
use crate::consensus::block::{ConsensusBlock, digest_of};
use crate::consensus::finalizer::{self, Finalizer};
use crate::consensus::gossip;

const PAGE_SIZE: NonZeroU16 = NZU16!(4096);
const PAGE_CACHE_SIZE: NonZeroUsize = NZUsize!(256);
const IO_BUFFER_SIZE: NonZeroUsize = NZUsize!(64 * 1024);
const MAILBOX_SIZE: NonZeroUsize = NZUsize!(1024);

/// The p2p channels a validator uses, one `(sender, receiver)` pair each.
pub struct Channels<S, R> {
    pub votes: (S, R),
    pub certificates: (S, R),
    pub resolver: (S, R),
    pub backfill: (S, R),
    pub broadcast: (S, R),
    /// Transaction gossip ([`gossip`](crate::consensus::gossip)).
    pub transactions: (S, R),
}

impl<S, R> Channels<S, R> {
    /// The channels from one `(sender, receiver)` pair per entry of [`CHANNELS`], in its order.
    pub fn from_pairs(pairs: [(S, R); CHANNELS.len()]) -> Self {
        let [
            votes,
            certificates,
            resolver,
            backfill,
            broadcast,
            transactions,
        ] = pairs;
        Channels {
            votes,
            certificates,
            resolver,
            backfill,
            broadcast,
            transactions,
        }
    }
}

/// Channel numbers, in the order of [`Channels`]' fields.
pub const CHANNELS: [u64; 6] = [0, 1, 2, 3, 4, gossip::GOSSIP_CHANNEL];

/// Who a validator is and what it agrees with the others on.
#[derive(Clone)]
pub struct ValidatorSetup {
    /// This validator's consensus (and chain account) key.
    pub key: ed25519::PrivateKey,
    /// Every validator's public key.
    pub validators: Set<ed25519::PublicKey>,
    /// The chain's consensus namespace (see [`namespace`]).
    pub namespace: Vec<u8>,
    /// Prefix of this validator's storage partitions (letters, digits, `_`, `-`): distinct per
    /// validator when several share one runtime's storage.
    pub partition_prefix: String,
}

/// The consensus namespace of a chain: votes of one chain are never valid on another.
pub fn namespace(chain_id: u64) -> Vec<u8> {
    format!("shortcrust/{chain_id}/consensus").into_bytes()
}

/// A started validator: the consensus engine's handle (await it to keep the validator running)
/// and its marshal mailbox (finalized blocks and certificates).
pub struct Validator {
    pub engine: Handle<()>,
    pub marshal: Mailbox<Scheme, Standard<ConsensusBlock>>,
}

fn archive_config<C>(
    prefix: &str,
    name: &str,
    page_cache: CacheRef,
    codec_config: C,
) -> prunable::Config<TwoCap, C> {
    prunable::Config {
        translator: TwoCap,
        metadata_partition: format!("{prefix}-{name}-metadata"),
        key_partition: format!("{prefix}-{name}-key"),
        key_page_cache: page_cache,
        value_partition: format!("{prefix}-{name}-value"),
        compression: None,
        codec_config,
        items_per_section: NZU64!(10),
        key_write_buffer: IO_BUFFER_SIZE,
        value_write_buffer: IO_BUFFER_SIZE,
        replay_buffer: IO_BUFFER_SIZE,
    }
}

/// Starts a validator of the chain `app` follows. `blocker` and `peers` come from the p2p
/// network (the simulated oracle, or authenticated p2p's).
///
/// Panics if `setup.key` is not one of `setup.validators` (a configuration error).
pub async fn start_validator<E, S, R, B, P>(
    context: E,
    setup: ValidatorSetup,
    app: ChainApp,
    channels: Channels<S, R>,
    blocker: B,
    peers: P,
) -> Validator
where
    E: Clock + CryptoRng + Spawner + Storage + Metrics,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
    B: Blocker<PublicKey = ed25519::PublicKey>,
    P: Provider<PublicKey = ed25519::PublicKey>,
{
    use commonware_cryptography::Signer as _;
    let public_key = setup.key.public_key();
    let scheme = Scheme::signer(
        &setup.namespace,
        setup.validators.clone(),
        setup.key.clone(),
    )
    .expect("the validator's key is in the validator set");
    let prefix = setup.partition_prefix;
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE_SIZE);

    let resolver = marshal_resolver::init(
        context.child("marshal_resolver"),
        marshal_resolver::Config {
            public_key: public_key.clone(),
            peer_provider: peers.clone(),
            blocker: blocker.clone(),
            mailbox_size: MAILBOX_SIZE,
            fetch_timeout: NZDuration!(Duration::from_secs(2)),
            fetch_retry_delay: Duration::from_millis(100),
            priority_requests: false,
            priority_responses: false,
        },
        channels.backfill,
    );

    let (broadcast, buffer) = buffered::Engine::new(
        context.child("broadcast"),
        buffered::Config {
            public_key: public_key.clone(),
            mailbox_size: MAILBOX_SIZE,
            deque_size: 10,
            priority: false,
            codec_config: (),
            peer_provider: peers,
            strategy: Sequential,
        },
    );
    broadcast.start(channels.broadcast);

    let finalizations = prunable::Archive::init(
        context.child("finalizations_by_height"),
        archive_config(
            &prefix,
            "finalizations",
            page_cache.clone(),
            // This validator's own storage, written only with certificates it verified.
            Scheme::certificate_codec_config_unbounded(),
        ),
    )
    .await
    .expect("cannot open the finalizations archive");
    let blocks = prunable::Archive::init(
        context.child("finalized_blocks"),
        archive_config(&prefix, "blocks", page_cache.clone(), ()),
    )
    .await
    .expect("cannot open the finalized blocks archive");

    let genesis = app.genesis_block();
    let genesis_digest = digest_of(genesis.hash());
    let (actor, mailbox, _floor) =
        MarshalActor::<_, Standard<ConsensusBlock>, _, _, _, _, _>::init(
            context.child("marshal"),
            finalizations,
            blocks,
            marshal::Config {
                provider: ConstantProvider::new(scheme.clone()),
                epocher: FixedEpocher::new(NZU64!(u64::MAX)),
                start: Start::Genesis(genesis.digested()),
                partition_prefix: prefix.clone(),
                mailbox_size: MAILBOX_SIZE,
                view_retention: ViewDelta::new(10),
                prunable_items_per_section: NZU64!(10),
                page_cache: page_cache.clone(),
                replay_buffer: IO_BUFFER_SIZE,
                key_write_buffer: IO_BUFFER_SIZE,
                value_write_buffer: IO_BUFFER_SIZE,
                block_codec_config: (),
                max_repair: NZUsize!(10),
                max_pending_acks: NZUsize!(4),
                strategy: Sequential,
            },
        )
        .await;
    let (finalizer, finalized) = Finalizer::new();
    actor.start(finalizer, buffer, resolver);
    context.child("finalizer").spawn({
        let app = app.clone();
        let mailbox = mailbox.clone();
        move |_| finalizer::run(app, mailbox, finalized)
    });

    gossip::start(&context, app.node().clone(), channels.transactions);

    let inline = Inline::new(
        context.child("inline"),
        app,
        mailbox.clone(),
        FixedEpocher::new(NZU64!(u64::MAX)),
    );
    let engine = simplex::Engine::new(
        context.child("simplex"),
        simplex::Config {
            scheme,
            elector: RoundRobin::<Sha256>::default(),
            blocker,
            automaton: inline.clone(),
            relay: inline.clone(),
            reporter: inline,
            strategy: Sequential,
            partition: format!("{prefix}-simplex"),
            mailbox_size: MAILBOX_SIZE,
            epoch: Epoch::zero(),
            floor: simplex::Floor::Genesis(genesis_digest),
            replay_buffer: IO_BUFFER_SIZE,
            write_buffer: IO_BUFFER_SIZE,
            page_cache,
            leader_timeout: Duration::from_secs(1),
            certification_timeout: Duration::from_secs(2),
            timeout_retry: Duration::from_millis(500),
            view_retention: ViewDelta::new(10),
            skip: SkipPolicy::Enabled {
                timeout: Duration::from_secs(5),
                budget: SkipBudget::Participants,
            },
            fetch_timeout: NZDuration!(Duration::from_secs(2)),
            fetch_retry_delay: Duration::from_millis(100),
            forward: ForwardPolicy::Disabled,
            track_historical_votes: false,
        },
    );
    let engine = engine.start(channels.votes, channels.certificates, channels.resolver);
    Validator {
        engine,
        marshal: mailbox,
    }
}
