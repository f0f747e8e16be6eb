//! Scenario 1, the seed article's dark pool (`contracts/darkpool`): traders' balances are
//! hidden as JubJub Pedersen commitments; each change is proven with a dusk-plonk proof that the
//! trader has the funds; a matched trade settles with both traders' proofs **and** a Dusk BLS
//! multisignature by at least 3 of the 4 members of the matching committee.
//!
//! The operator, the pool's custodian, credits Alice 100 base and Bob 5,000 quote; the committee
//! matches Alice selling 40 base to Bob for 2,000 quote. A relayer first submits the trade with
//! Bob paying less under the committee's signature (refused: the attestation does not cover
//! it), then the honest trade (settled), then the same settlement again (refused).

use bls12_381_bls::{MultisigSignature, PublicKey as DuskPublicKey, SecretKey as DuskSecretKey};
use dusk_bytes::Serializable as _;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use shortcrust_test_contracts::client::darkpool::{MATCH_DOMAIN, Trade};

use super::proofs::Fixtures;
use super::{ALICE, BOB, Expect, OPERATOR, RELAYER, Tour, domain_payload, encode};
use crate::error::CliError;

/// Seed of the committee's four Dusk BLS keys.
const COMMITTEE_SEED: u64 = 0xc0ffee;

/// The multisignature of `committee` members `signers` over `digest`.
fn multisign(
    committee: &[(DuskSecretKey, DuskPublicKey)],
    signers: &[u32],
    digest: &[u8; 32],
) -> [u8; 48] {
    let partials: Vec<MultisigSignature> = signers
        .iter()
        .filter_map(|&i| committee.get(i as usize))
        .map(|(sk, pk)| sk.sign_multisig(pk, digest))
        .collect();
    match partials.split_first() {
        Some((first, rest)) => first.aggregate(rest).to_bytes(),
        None => [0; 48],
    }
}

pub fn run(tour: &mut Tour, fixtures: &Fixtures) -> Result<(), CliError> {
    tour.scenario("darkpool");
    let pool = tour.id("darkpool")?;
    let mut rng = ChaCha20Rng::seed_from_u64(COMMITTEE_SEED);
    let committee: Vec<(DuskSecretKey, DuskPublicKey)> = (0..4)
        .map(|_| {
            let sk = DuskSecretKey::random(&mut rng);
            let pk = DuskPublicKey::from(&sk);
            (sk, pk)
        })
        .collect();
    let keys: Vec<[u8; 96]> = committee.iter().map(|(_, pk)| pk.to_bytes()).collect();

    tour.call(
        OPERATOR,
        "darkpool",
        "register_verifier",
        encode(&fixtures.verifier_data),
        "operator registers the PLONK balance circuit",
        Expect::Ok,
    )?;
    tour.call(
        OPERATOR,
        "darkpool",
        "set_committee",
        encode(&(keys, 3u32)),
        "operator sets a 3-of-4 Dusk BLS committee",
        Expect::Ok,
    )?;

    let t = &fixtures.transitions;
    for (trader, transition, proof, what) in [
        (
            ALICE,
            &t.alice_deposit,
            &fixtures.alice_deposit,
            "operator credits alice 100 base (PLONK proof)",
        ),
        (
            BOB,
            &t.bob_deposit,
            &fixtures.bob_deposit,
            "operator credits bob 5,000 quote (PLONK proof)",
        ),
    ] {
        let input = encode(&(
            trader,
            transition.base.credit,
            transition.quote.credit,
            transition.base.new_opening().commitment(),
            transition.quote.new_opening().commitment(),
            proof,
        ));
        tour.call(OPERATOR, "darkpool", "deposit", input, what, Expect::Ok)?;
    }

    let trade = Trade {
        match_id: [1; 32],
        seller: ALICE,
        buyer: BOB,
        base_amount: 40,
        quote_amount: 2_000,
        seller_base_new: t.alice_sells.base.new_opening().commitment(),
        seller_quote_new: t.alice_sells.quote.new_opening().commitment(),
        buyer_base_new: t.bob_buys.base.new_opening().commitment(),
        buyer_quote_new: t.bob_buys.quote.new_opening().commitment(),
    };
    let digest =
        shortcrust_crypto::blake2b_256(&domain_payload(MATCH_DOMAIN, pool, &encode(&trade)));
    let signers = vec![0u32, 1, 3];
    let signature = multisign(&committee, &signers, &digest);
    let settle = |trade: &Trade| {
        encode(&(
            trade,
            &fixtures.alice_sells,
            &fixtures.bob_buys,
            &signers,
            signature,
        ))
    };
    let tampered = Trade {
        quote_amount: 1_500,
        ..trade.clone()
    };
    tour.call(
        RELAYER,
        "darkpool",
        "settle",
        settle(&tampered),
        "match 1 tampered: bob pays 1,500, not 2,000",
        Expect::Refused("committee attestation does not verify (status 0)"),
    )?;
    tour.call(
        RELAYER,
        "darkpool",
        "settle",
        settle(&trade),
        "match 1: alice sells bob 40 base for 2,000 quote",
        Expect::Ok,
    )?;
    tour.call(
        RELAYER,
        "darkpool",
        "settle",
        settle(&trade),
        "the same settlement, replayed",
        Expect::Refused("match already settled"),
    )?;
    Ok(())
}
