//! `shortcrust demo`: the tour of the seed article's applications, end to end, with real
//! proofs and signatures, on a throw-away in-memory VM.
//!
//! Deploys every example contract (`counter`, `token`, `caller`, `verifier`, `darkpool`,
//! `bridge`, `committee`, `wallet`), then runs, one table row per transaction:
//!
//! 0. plain contracts, for contrast ([`basics`]): token transfers, an overdraft refused, a
//!    cross-contract call — no cryptography, so little gas goes to host functions;
//! 1. a dark-pool settlement ([`darkpool`]): hidden balances as JubJub Pedersen commitments,
//!    deposits and a matched trade proven with dusk-plonk, the match attested by a Dusk BLS
//!    multisignature of a 3-of-4 committee; a tampered trade and a replay refused;
//! 2. a bridge claim ([`bridge`]): a circom/snarkjs Groth16 proof (the committed fixture of
//!    `crates/vm/tests/crypto/testdata/snarkjs-bridge`) mints wrapped tokens; a second valid
//!    proof of the same deposit is refused by its nullifier;
//! 3. a committee attestation ([`committee`]): IETF BLS keys registered with proofs of
//!    possession, a round attested by more than two thirds of the stake with one fast-aggregate
//!    check; a quorum short of two thirds refused;
//! 4. signature-authorised wallet transfers ([`wallet`]): Dusk Schnorr, BIP-340 and Ed25519
//!    accounts, nonces, a replayed transfer refused;
//! 5. a light-client check ([`light_client`]): the session is committed to a state root, and
//!    Merkle proofs of a bridge balance (and of an absent one) are encoded, decoded and
//!    verified from their bytes against that root alone.
//!
//! Every step states its expected outcome (`ok`, or the exact revert message); the demo fails
//! (exit code 1) if any step or check behaves otherwise, so it doubles as a smoke test of the
//! whole stack. Each row shows the gas, the native wall time of `Session::call` (for
//! illustration only: never part of a result, the gas or the state) and the share of the gas
//! the host functions charged (summed over the receipt's call tree, `CallRecord::host_gas`)
//! with the heaviest of them.
//!
//! # Determinism
//!
//! Every key, signature and proof comes from a fixed seed (no OS randomness), and the state is
//! fresh each run: the gas of every step and the final state root are the same on every run
//! and machine; only the times differ.
//!
//! # Fixtures and their cache
//!
//! The dark pool's PLONK setup and four proofs take much longer to make than the tour takes to
//! run, so they are made once and cached (see [`proofs`] for where, the format and the
//! provenance); everything else (BLS, Schnorr, BIP-340, Ed25519 signatures) is made on each
//! run. Measured on the 2-core development machine (shared, load ≈ 3), release build: 0.8 s
//! for the whole demo with the cache, 20.4 s without (19.9 s of it the PLONK setup and the four
//! proofs); debug build (dependencies at opt-level 3): 1.4 s and 33 s. The report says which
//! it was.

mod basics;
mod bridge;
mod committee;
mod darkpool;
mod light_client;
mod proofs;
mod report;
mod wallet;

use std::time::Instant;

use serde_json::Value;
use shortcrust_sdk::schema::Schema;
use shortcrust_vm::{
    CallError, Context, ContractId, DeployOptions, HostGas, Receipt, Session, SessionConfig, Vm,
};

use crate::codec;
use crate::error::CliError;
use crate::format::truncate;
use crate::report::Report;

/// Deploys every contract and receives the dark pool's deposits: the custodian.
pub const OPERATOR: [u8; 32] = [0x01; 32];
pub const ALICE: [u8; 32] = [0xa1; 32];
pub const BOB: [u8; 32] = [0xb0; 32];
pub const CAROL: [u8; 32] = [0xc0; 32];
pub const DAVE: [u8; 32] = [0xda; 32];
/// Submits transactions for others: proofs and signatures, not the sender, authorise them.
pub const RELAYER: [u8; 32] = [0x7e; 32];
/// The chain id of the session: signed messages bind it.
pub const CHAIN_ID: u64 = 7;
/// Gas limit of every call: far more than any of them needs.
const CALL_GAS: u64 = 1_000_000_000;

/// The example contracts, in deploy order.
const CONTRACTS: [(&str, &[u8]); 8] = [
    ("counter", shortcrust_test_contracts::COUNTER),
    ("token", shortcrust_test_contracts::TOKEN),
    ("caller", shortcrust_test_contracts::CALLER),
    ("verifier", shortcrust_test_contracts::VERIFIER),
    ("darkpool", shortcrust_test_contracts::DARKPOOL),
    ("bridge", shortcrust_test_contracts::BRIDGE),
    ("committee", shortcrust_test_contracts::COMMITTEE),
    ("wallet", shortcrust_test_contracts::WALLET),
];

/// The borsh encoding of `value`.
pub fn encode<T: borsh::BorshSerialize + ?Sized>(value: &T) -> Vec<u8> {
    borsh::to_vec(value).expect("borsh encoding into a Vec cannot fail")
}

/// A signed payload as the crypto contracts build it: borsh of `(domain, contract id, chain
/// id)` followed by the already-encoded `rest`.
pub fn domain_payload(domain: &[u8], contract: ContractId, rest: &[u8]) -> Vec<u8> {
    shortcrust_test_contracts::client::domain_payload(domain, contract.0, CHAIN_ID, rest)
}

/// Whether the host function `name` is one of the cryptographic ones (DESIGN §4: hashes,
/// Poseidon, proof and signature verification), by its gas key in the ABI table — not
/// storage, events, calls or context.
fn is_cryptographic(name: &str) -> bool {
    shortcrust_abi::HOST_FUNCTIONS
        .iter()
        .find(|f| f.name == name)
        .is_some_and(|f| f.gas.is_cryptographic())
}

/// What a step is expected to do.
pub enum Expect {
    /// Succeed (whatever it returns).
    Ok,
    /// Succeed and return exactly these bytes (borsh).
    Returns(Vec<u8>),
    /// Revert with exactly this message.
    Refused(&'static str),
}

impl Expect {
    fn describe(&self) -> String {
        match self {
            Expect::Ok => "ok".into(),
            Expect::Returns(bytes) => format!("ok, returns {}", hex::encode(bytes)),
            Expect::Refused(message) => format!("refused: {message}"),
        }
    }

    fn met_by(&self, result: &Result<Vec<u8>, CallError>) -> bool {
        match (self, result) {
            (Expect::Ok, Ok(_)) => true,
            (Expect::Returns(expected), Ok(output)) => expected == output,
            (Expect::Refused(expected), Err(CallError::Reverted(message))) => expected == message,
            _ => false,
        }
    }
}

/// One transaction of the tour and what came of it.
pub struct Step {
    pub scenario: &'static str,
    /// What happens, in words.
    pub what: String,
    pub sender: [u8; 32],
    pub contract: &'static str,
    pub contract_id: ContractId,
    pub entry: &'static str,
    pub input_bytes: usize,
    /// The arguments as the contract's schema decodes them (shortened), for `--json`.
    pub args: String,
    pub expected: String,
    /// `ok`, `ok → output`, `refused: message` or the failure.
    pub result: String,
    pub ok: bool,
    pub error: Option<String>,
    pub output: Vec<u8>,
    pub gas: u64,
    /// Host functions over the whole call tree, by name, in order of first use.
    pub host: Vec<HostGas>,
    pub host_gas: u64,
    /// The part of `host_gas` charged by the cryptographic host functions.
    pub crypto_gas: u64,
    pub events: usize,
    pub micros: u128,
    pub as_expected: bool,
}

/// One deployed example contract.
pub struct Deployed {
    pub name: &'static str,
    pub id: ContractId,
    pub code_bytes: usize,
    pub gas: u64,
    pub micros: u128,
    schema: Option<Schema>,
}

/// The tour's state: the session, the contracts, the names it shows and the steps so far.
pub struct Tour {
    session: Session,
    pub contracts: Vec<Deployed>,
    names: Vec<([u8; 32], String)>,
    pub steps: Vec<Step>,
    scenario: &'static str,
}

impl Tour {
    fn new(vm: &Vm) -> Result<Tour, CliError> {
        let mut session = vm.session(SessionConfig::default())?;
        session.set_context(Context {
            block_height: 1,
            chain_id: CHAIN_ID,
            ..Context::default()
        });
        let names = [
            (OPERATOR, "operator"),
            (ALICE, "alice"),
            (BOB, "bob"),
            (CAROL, "carol"),
            (DAVE, "dave"),
            (RELAYER, "relayer"),
        ];
        Ok(Tour {
            session,
            contracts: Vec::new(),
            names: names.iter().map(|(id, n)| (*id, n.to_string())).collect(),
            steps: Vec::new(),
            scenario: "",
        })
    }

    fn deploy_all(&mut self) -> Result<(), CliError> {
        for (name, code) in CONTRACTS {
            let options = DeployOptions {
                owner: OPERATOR,
                ..DeployOptions::default()
            };
            let started = Instant::now();
            let deployed = self
                .session
                .deploy(code, options)
                .map_err(|e| CliError::Vm(format!("deploying the example contract {name}: {e}")))?;
            let micros = started.elapsed().as_micros();
            let schema = codec::contract_schema(&self.session, deployed.id)?;
            self.names.push((deployed.id.0, name.to_string()));
            self.contracts.push(Deployed {
                name,
                id: deployed.id,
                code_bytes: code.len(),
                gas: deployed.gas_spent,
                micros,
                schema,
            });
        }
        Ok(())
    }

    /// The steps that follow belong to `scenario` (a key of `report::SCENARIOS`).
    pub fn scenario(&mut self, scenario: &'static str) {
        self.scenario = scenario;
    }

    /// The id of the deployed example contract `name`.
    pub fn id(&self, name: &str) -> Result<ContractId, CliError> {
        self.contracts
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.id)
            .ok_or_else(|| CliError::Vm(format!("demo contract {name} is not deployed")))
    }

    /// Shows `id` as `name` in results (accounts that are not senders, e.g. wallet ids).
    pub fn name(&mut self, id: [u8; 32], name: &str) {
        self.names.push((id, name.to_string()));
    }

    /// Replaces the hex of known ids by their names.
    fn with_names(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (id, name) in &self.names {
            out = out.replace(&format!("\"{}\"", hex::encode(id)), name);
        }
        out
    }

    /// Runs one step as `sender` and records it.
    pub fn call(
        &mut self,
        sender: [u8; 32],
        contract: &'static str,
        entry: &'static str,
        input: Vec<u8>,
        what: impl Into<String>,
        expect: Expect,
    ) -> Result<Receipt, CliError> {
        let contract_id = self.id(contract)?;
        let mut context = self.session.context().clone();
        context.sender = sender;
        self.session.set_context(context);
        let started = Instant::now();
        let receipt = self.session.call(contract_id, entry, &input, CALL_GAS)?;
        let micros = started.elapsed().as_micros();

        let schema = self
            .contracts
            .iter()
            .find(|c| c.id == contract_id)
            .and_then(|c| c.schema.as_ref());
        let args = self.with_names(&codec::describe_args(schema, entry, &input));
        let result = match &receipt.result {
            Ok(out) => match codec::decode_output(schema, entry, out) {
                Some(Value::Null) => "ok".to_string(),
                Some(value) => format!("ok → {}", self.with_names(&value.to_string())),
                None => format!("ok → {}", hex::encode(out)),
            },
            Err(CallError::Reverted(message)) => format!("refused: {message}"),
            Err(e) => format!("failed: {e}"),
        };
        let mut host: Vec<HostGas> = Vec::new();
        for record in &receipt.calls {
            for used in &record.host_gas {
                match host.iter_mut().find(|h| h.name == used.name) {
                    Some(total) => {
                        total.calls = total.calls.saturating_add(used.calls);
                        total.gas = total.gas.saturating_add(used.gas);
                    }
                    None => host.push(used.clone()),
                }
            }
        }
        self.steps.push(Step {
            scenario: self.scenario,
            what: what.into(),
            sender,
            contract,
            contract_id,
            entry,
            input_bytes: input.len(),
            args: truncate(&args, 240),
            expected: expect.describe(),
            result,
            ok: receipt.result.is_ok(),
            error: receipt.result.as_ref().err().map(|e| e.to_string()),
            output: receipt.result.clone().unwrap_or_default(),
            gas: receipt.gas_spent,
            host_gas: host.iter().map(|h| h.gas).sum(),
            crypto_gas: host
                .iter()
                .filter(|h| is_cryptographic(h.name))
                .map(|h| h.gas)
                .sum(),
            host,
            events: receipt.events.len(),
            micros,
            as_expected: expect.met_by(&receipt.result),
        });
        Ok(receipt)
    }
}

pub fn demo() -> Result<Report, CliError> {
    let started = Instant::now();
    let fixtures = proofs::load()?;
    let vm = Vm::ephemeral()?;
    let mut tour = Tour::new(&vm)?;
    tour.deploy_all()?;
    basics::run(&mut tour)?;
    darkpool::run(&mut tour, &fixtures)?;
    bridge::run(&mut tour)?;
    committee::run(&mut tour)?;
    wallet::run(&mut tour)?;

    let Tour {
        session,
        contracts,
        names,
        steps,
        ..
    } = tour;
    let root = session.commit()?;
    let checks = light_client::run(&vm, root, &contracts)?;
    Ok(report::render(&report::Tour {
        contracts: &contracts,
        names: &names,
        steps: &steps,
        root,
        checks: &checks,
        fixtures: &fixtures,
        millis: started.elapsed().as_millis(),
    }))
}
