//! `shortcrust demo`: the showcase scenario, end to end, on a throw-away in-memory VM.
//!
//! Deploys the example contracts `counter`, `token` (owned by alice) and `caller`, then runs a
//! short story: counting, minting, transfers, an overdraft and an unauthorised mint that revert
//! with their messages, and a cross-contract call whose callee fails and whose caller handles
//! the failure and carries on. Every step states the outcome it expects; the demo fails (exit
//! code 1) if any step behaves otherwise, so it doubles as a smoke test of the whole stack.
//!
//! The time column is wall-clock time of `Session::call`, for illustration only: it is never
//! part of a result, the gas or the state.

use std::time::Instant;

use borsh::BorshDeserialize;
use serde_json::{Value, json};
use shortcrust_sdk::schema::Schema;
use shortcrust_vm::{Context, ContractId, DeployOptions, Receipt, Session, SessionConfig, Vm};

use crate::codec;
use crate::error::CliError;
use crate::format::{Align, Table, gas, printable, truncate};
use crate::report::Report;

const ALICE: [u8; 32] = [0xa1; 32];
const BOB: [u8; 32] = [0xb0; 32];
const CAROL: [u8; 32] = [0xc0; 32];
/// Gas limit of every demo call.
const CALL_GAS: u64 = 50_000_000;

/// The `Outcome` the `caller` contract returns from `try_call` (see contracts/caller).
#[derive(BorshDeserialize)]
struct Outcome {
    code: i32,
    data: Vec<u8>,
}

/// What a step is expected to do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Ok,
    Revert,
}

/// One deployed example contract.
struct Deployed {
    name: &'static str,
    id: ContractId,
    schema: Option<Schema>,
}

/// The demo's state: the session, the contracts, and the rows gathered so far.
struct Demo {
    session: Session,
    contracts: Vec<Deployed>,
    table: Table,
    calls: Vec<Value>,
    surprises: Vec<String>,
    total_gas: u64,
}

/// A readable name for a 32-byte id the demo knows (an account or a contract).
fn name_of(contracts: &[Deployed], id: &[u8; 32]) -> Option<&'static str> {
    match *id {
        ALICE => Some("alice"),
        BOB => Some("bob"),
        CAROL => Some("carol"),
        _ => contracts.iter().find(|c| c.id.0 == *id).map(|c| c.name),
    }
}

impl Demo {
    fn contract(&self, name: &str) -> Result<&Deployed, CliError> {
        self.contracts
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| CliError::Vm(format!("demo contract {name} is not deployed")))
    }

    /// Replaces the hex of known ids by their names in a description.
    fn names(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (id, name) in [(ALICE, "alice"), (BOB, "bob"), (CAROL, "carol")]
            .into_iter()
            .chain(self.contracts.iter().map(|c| (c.id.0, c.name)))
        {
            out = out.replace(&format!("\"{}\"", hex::encode(id)), name);
        }
        out
    }

    /// Runs one step and records its row.
    fn step(
        &mut self,
        sender: [u8; 32],
        contract: &str,
        entry: &str,
        input: Vec<u8>,
        expect: Expect,
    ) -> Result<Receipt, CliError> {
        self.step_shown(sender, contract, entry, input, None, expect)
    }

    /// [`Demo::step`] with the arguments column given (when the schema's rendering of the
    /// input would be unreadable, e.g. nested borsh bytes).
    fn step_shown(
        &mut self,
        sender: [u8; 32],
        contract: &str,
        entry: &str,
        input: Vec<u8>,
        shown: Option<&str>,
        expect: Expect,
    ) -> Result<Receipt, CliError> {
        let target = self.contract(contract)?;
        let (id, schema) = (target.id, target.schema.clone());
        let args = match shown {
            Some(text) => text.to_string(),
            None => self.names(&codec::describe_args(schema.as_ref(), entry, &input)),
        };
        self.session.set_context(Context {
            sender,
            ..Context::default()
        });
        let started = Instant::now();
        let receipt = self.session.call(id, entry, &input, CALL_GAS)?;
        let micros = started.elapsed().as_micros();
        let result = match &receipt.result {
            Ok(out) if entry == "try_call" => match Outcome::try_from_slice(out) {
                Ok(outcome) => outcome.describe(),
                Err(_) => hex::encode(out),
            },
            Ok(out) if entry == "last" => match <Option<Outcome>>::try_from_slice(out) {
                Ok(Some(outcome)) => format!("Some({})", outcome.describe()),
                _ => hex::encode(out),
            },
            Ok(out) => match codec::decode_output(schema.as_ref(), entry, out) {
                Some(Value::Null) => "ok".to_string(),
                Some(v) => format!("ok → {}", self.names(&v.to_string())),
                None => format!("ok → {}", hex::encode(out)),
            },
            Err(e) => e.to_string(),
        };
        let got = if receipt.result.is_ok() {
            Expect::Ok
        } else {
            Expect::Revert
        };
        let number = self.calls.len() + 1;
        if got != expect {
            self.surprises
                .push(format!("step {number} ({contract}.{entry}): {result}"));
        }
        let sender_name = name_of(&self.contracts, &sender).unwrap_or("?");
        self.table.row(vec![
            number.to_string(),
            sender_name.to_string(),
            contract.to_string(),
            entry.to_string(),
            truncate(&args, 34),
            truncate(&result, 64),
            gas(receipt.gas_spent),
            micros.to_string(),
        ]);
        self.calls.push(json!({
            "sender": hex::encode(sender),
            "contract": id.to_string(),
            "contract_name": contract,
            "entry": entry,
            "input": hex::encode(&input),
            "ok": receipt.result.is_ok(),
            "error": receipt.result.as_ref().err().map(|e| e.to_string()),
            "output": receipt.result.as_ref().map(hex::encode).unwrap_or_default(),
            "result": result,
            "gas_spent": receipt.gas_spent,
            "events": receipt.events.len(),
            "micros": micros,
            "as_expected": got == expect,
        }));
        self.total_gas = self.total_gas.saturating_add(receipt.gas_spent);
        Ok(receipt)
    }
}

impl Outcome {
    fn describe(&self) -> String {
        let what = match self.code {
            0 => return format!("callee ok → {}", hex::encode(&self.data)),
            shortcrust_abi::status::CALL_REVERTED => "revert".to_string(),
            shortcrust_abi::status::CALL_OUT_OF_GAS => "out of gas".to_string(),
            shortcrust_abi::status::CALL_UNKNOWN_CONTRACT => "unknown contract".to_string(),
            shortcrust_abi::status::CALL_UNKNOWN_ENTRY => "unknown entry".to_string(),
            code => format!("failure {code}"),
        };
        if self.data.is_empty() {
            return format!("caught {what}");
        }
        format!("caught {what}: {}", printable(&self.data))
    }
}

/// borsh of `(to, amount)`: the input of `token.mint` and `token.transfer`.
fn to_amount(to: [u8; 32], amount: u64) -> Vec<u8> {
    let mut input = to.to_vec();
    input.extend_from_slice(&amount.to_le_bytes());
    input
}

/// borsh of `String`.
fn borsh_string(text: &str) -> Vec<u8> {
    let mut out = (text.len() as u32).to_le_bytes().to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

pub fn demo() -> Result<Report, CliError> {
    let vm = Vm::ephemeral()?;
    let session = vm.session(SessionConfig::default())?;
    let mut demo = Demo {
        session,
        contracts: Vec::new(),
        table: Table::new(&[
            ("#", Align::Right),
            ("sender", Align::Left),
            ("contract", Align::Left),
            ("entry", Align::Left),
            ("args", Align::Left),
            ("result", Align::Left),
            ("gas", Align::Right),
            ("µs", Align::Right),
        ]),
        calls: Vec::new(),
        surprises: Vec::new(),
        total_gas: 0,
    };

    let mut deploys = Table::new(&[
        ("contract", Align::Left),
        ("owner", Align::Left),
        ("id", Align::Left),
        ("bytes", Align::Right),
        ("deploy gas", Align::Right),
        ("µs", Align::Right),
    ]);
    let mut deploys_json = Vec::new();
    for (name, code, owner) in [
        ("counter", shortcrust_test_contracts::COUNTER, ALICE),
        ("token", shortcrust_test_contracts::TOKEN, ALICE),
        ("caller", shortcrust_test_contracts::CALLER, BOB),
    ] {
        let started = Instant::now();
        let deployed = demo
            .session
            .deploy(
                code,
                DeployOptions {
                    owner,
                    ..DeployOptions::default()
                },
            )
            .map_err(|e| CliError::Vm(format!("deploying the example contract {name}: {e}")))?;
        let micros = started.elapsed().as_micros();
        let schema = codec::contract_schema(&demo.session, deployed.id)?;
        deploys.row(vec![
            name.to_string(),
            name_of(&demo.contracts, &owner).unwrap_or("?").to_string(),
            deployed.id.to_string(),
            code.len().to_string(),
            gas(deployed.gas_spent),
            micros.to_string(),
        ]);
        deploys_json.push(json!({
            "name": name,
            "id": deployed.id.to_string(),
            "owner": hex::encode(owner),
            "code_bytes": code.len(),
            "deploy_gas": deployed.gas_spent,
            "micros": micros,
        }));
        demo.contracts.push(Deployed {
            name,
            id: deployed.id,
            schema,
        });
    }
    let token = demo.contract("token")?.id;
    let counter = demo.contract("counter")?.id;

    use Expect::{Ok as Pass, Revert};
    demo.step(ALICE, "counter", "increment", vec![], Pass)?;
    demo.step(BOB, "counter", "increment", vec![], Pass)?;
    demo.step(BOB, "counter", "add", 40u64.to_le_bytes().to_vec(), Pass)?;
    demo.step(
        ALICE,
        "token",
        "init",
        1_000_000u64.to_le_bytes().to_vec(),
        Pass,
    )?;
    demo.step(ALICE, "token", "mint", to_amount(BOB, 5_000), Pass)?;
    demo.step(ALICE, "token", "transfer", to_amount(BOB, 250_000), Pass)?;
    demo.step(
        BOB,
        "token",
        "transfer",
        to_amount(CAROL, 1_000_000),
        Revert,
    )?;
    demo.step(BOB, "token", "mint", to_amount(BOB, 1), Revert)?;
    demo.step(BOB, "token", "transfer", to_amount(CAROL, 5_000), Pass)?;
    demo.step(CAROL, "token", "balance_of", BOB.to_vec(), Pass)?;
    demo.step(
        CAROL,
        "caller",
        "increment_counter",
        counter.0.to_vec(),
        Pass,
    )?;
    // The caller contract owns no tokens: the token refuses, the caller records the failure.
    let mut try_call = token.0.to_vec();
    try_call.extend_from_slice(&borsh_string("transfer"));
    let inner = to_amount(CAROL, 10);
    try_call.extend_from_slice(&(inner.len() as u32).to_le_bytes());
    try_call.extend_from_slice(&inner);
    try_call.extend_from_slice(&0u64.to_le_bytes());
    demo.step_shown(
        CAROL,
        "caller",
        "try_call",
        try_call,
        Some("token.transfer(carol, 10)"),
        Pass,
    )?;
    demo.step(CAROL, "caller", "last", vec![], Pass)?;
    demo.step(CAROL, "counter", "get", vec![], Pass)?;

    let Demo {
        session,
        table,
        calls,
        surprises,
        total_gas,
        ..
    } = demo;
    let root = session.commit()?;
    let failed = calls.iter().filter(|c| c["ok"] == false).count();

    let mut text =
        String::from("Shortcrust demo — example contracts on a throw-away in-memory VM\n\n");
    text.push_str(&deploys.render());
    text.push('\n');
    text.push_str(&table.render());
    text.push_str(&format!(
        "\n{} calls ({} reverted as intended), {} gas in total; committed state root {}\n",
        calls.len(),
        failed,
        gas(total_gas),
        root
    ));
    text.push_str("Accounts: alice = a1…a1, bob = b0…b0, carol = c0…c0 (32 bytes each). Times are wall-clock, not part of the results.\n");
    if !surprises.is_empty() {
        text.push_str("\nUNEXPECTED OUTCOMES:\n");
        for s in &surprises {
            text.push_str(&format!("  {s}\n"));
        }
    }
    Ok(Report {
        json: json!({
            "ok": surprises.is_empty(),
            "error": if surprises.is_empty() { Value::Null } else { json!(surprises.join("; ")) },
            "contracts": deploys_json,
            "calls": calls,
            "gas_spent": total_gas,
            "root": root.to_string(),
        }),
        text,
        success: surprises.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn borsh_helpers_match_borsh() {
        assert_eq!(
            super::borsh_string("transfer"),
            borsh::to_vec("transfer").unwrap()
        );
        assert_eq!(
            super::to_amount([1; 32], 7),
            borsh::to_vec(&([1u8; 32], 7u64)).unwrap()
        );
    }
}
