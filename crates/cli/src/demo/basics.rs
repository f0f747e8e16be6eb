//! Scenario 0, for contrast: plain contract logic with no cryptography — a token's supply and
//! transfers, an overdraft refused with its message, and a cross-contract call (`caller`
//! increments `counter`). Here the host functions are storage, events and calls only, so their
//! share of the gas is small; the scenarios that follow are the opposite.

use super::{ALICE, BOB, CAROL, Expect, OPERATOR, Tour, encode};
use crate::error::CliError;

pub fn run(tour: &mut Tour) -> Result<(), CliError> {
    tour.scenario("basics");
    tour.call(
        OPERATOR,
        "token",
        "init",
        encode(&1_000_000u64),
        "operator creates a token supply of 1,000,000",
        Expect::Ok,
    )?;
    tour.call(
        OPERATOR,
        "token",
        "transfer",
        encode(&(ALICE, 250_000u64)),
        "operator pays alice 250,000",
        Expect::Ok,
    )?;
    tour.call(
        ALICE,
        "token",
        "transfer",
        encode(&(BOB, 1_000_000u64)),
        "alice tries to pay bob 1,000,000",
        Expect::Refused("insufficient balance: have 250000, need 1000000"),
    )?;
    let counter = tour.id("counter")?;
    tour.call(
        CAROL,
        "caller",
        "increment_counter",
        encode(&counter.0),
        "caller contract increments counter (nested call)",
        Expect::Returns(encode(&1u64)),
    )?;
    Ok(())
}
