//! Scenario 3, the seed article's consensus committee (`contracts/committee`): members with
//! stake register IETF BLS keys (Ethereum consensus' min-pk ciphersuite, made with blst), each
//! with its standard proof of possession (`verify_bls`, `IetfPopProof`); a round's payload (a
//! block hash) is recorded when members holding more than two thirds of the stake sign it,
//! checked with one fast-aggregate verification of their summed keys.
//!
//! Stakes: Alice 40, Bob 30, Carol 20, Dave 10. Bob, Carol and Dave (60 of 100) are refused;
//! Alice, Bob and Dave (80 of 100) attest round 1.

use blst::min_pk::{AggregateSignature, SecretKey, Signature};
use shortcrust_crypto::bls::{IETF_DST, IETF_POP_DST};
use shortcrust_test_contracts::client::committee::ATTEST_DOMAIN;

use super::{ALICE, BOB, CAROL, DAVE, Expect, OPERATOR, RELAYER, Tour, domain_payload, encode};
use crate::error::CliError;

/// Members in admission order (index 0 to 3) with their stake: 100 in all.
const MEMBERS: [(&str, [u8; 32], u64); 4] = [
    ("alice", ALICE, 40),
    ("bob", BOB, 30),
    ("carol", CAROL, 20),
    ("dave", DAVE, 10),
];

fn failed(e: blst::BLST_ERROR) -> CliError {
    CliError::Vm(format!("demo fixture: blst: {e:?}"))
}

/// Member `index`'s key, from fixed key material.
fn secret_key(index: usize) -> Result<SecretKey, CliError> {
    SecretKey::key_gen(&[index as u8 + 0x10; 32], &[]).map_err(failed)
}

/// The aggregate signature of members `signers` over `message`.
fn aggregate(signers: &[u32], message: &[u8]) -> Result<[u8; 96], CliError> {
    let signatures = signers
        .iter()
        .map(|&i| Ok(secret_key(i as usize)?.sign(message, IETF_DST, &[])))
        .collect::<Result<Vec<Signature>, CliError>>()?;
    let refs: Vec<&Signature> = signatures.iter().collect();
    Ok(AggregateSignature::aggregate(&refs, true)
        .map_err(failed)?
        .to_signature()
        .compress())
}

pub fn run(tour: &mut Tour) -> Result<(), CliError> {
    tour.scenario("committee");
    let id = tour.id("committee")?;
    for (index, (name, member, stake)) in MEMBERS.iter().enumerate() {
        tour.call(
            OPERATOR,
            "committee",
            "admit",
            encode(&(member, stake)),
            format!("operator admits {name} with stake {stake}"),
            Expect::Returns(encode(&(index as u32))),
        )?;
    }
    for (index, (name, member, _)) in MEMBERS.iter().enumerate() {
        let key = secret_key(index)?;
        let public_key = key.sk_to_pk().compress();
        let proof_of_possession = key.sign(&public_key, IETF_POP_DST, &[]).compress();
        tour.call(
            *member,
            "committee",
            "register_key",
            encode(&(public_key, proof_of_possession)),
            format!("{name} registers a BLS key + proof of possession"),
            Expect::Ok,
        )?;
    }

    let round = 1u64;
    let payload = shortcrust_crypto::blake2b_256(b"shortcrust demo: block 1");
    let message = domain_payload(ATTEST_DOMAIN, id, &encode(&(round, payload)));
    for (signers, what, expect) in [
        (
            vec![1u32, 2, 3],
            "bob + carol + dave (60 of 100) sign block 1",
            Expect::Refused("signers hold 60 of 100 stake, more than two thirds is needed"),
        ),
        (
            vec![0, 1, 3],
            "alice + bob + dave (80 of 100) sign block 1",
            Expect::Returns(encode(&80u64)),
        ),
    ] {
        let signature = aggregate(&signers, &message)?;
        tour.call(
            RELAYER,
            "committee",
            "attest",
            encode(&(round, payload, signers, signature)),
            what,
            expect,
        )?;
    }
    Ok(())
}
