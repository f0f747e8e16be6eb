//! Applying one transaction to a session: the stateful checks, the fee reservation, the action
//! on the VM, the amount, the refund and the proposer's fee.
//!
//! Order, for a transaction that passed the stateless checks (`tx::SignedTransaction::check`):
//!
//! 1. the nonce must equal the sender's ([`TxError::NonceTooLow`] / [`TxError::NonceTooHigh`]),
//!    and the balance cover `gas_limit × gas_price + amount` ([`TxError::InsufficientBalance`]);
//!    an invalid transaction changes nothing;
//! 2. `gas_limit × gas_price` is taken from the sender and its nonce advances;
//! 3. the action runs with `gas_limit − intrinsic gas`, as the sender (`Context::sender` = its
//!    account id, the contracts' `caller`): a `Call` through `Session::call`, a `Deploy` through
//!    `Session::deploy` (price `gas::deploy_cost`) and its init call;
//! 4. if the action succeeded, `amount` moves to its recipient (for a call, the contract's
//!    account: the contract id);
//! 5. `(gas_limit − gas_used) × gas_price` returns to the sender, `gas_used × gas_price` goes to
//!    the block's proposer: **fees are paid even when the action fails**.
//!
//! Account records are read and written through the block's [`Ledger`] (written into the session
//! once, when the block ends).
//!
//! A `VmError::Fault` (a failure of this machine) yields no receipt: block execution stops with
//! `ChainError::Fault`. A `VmError::Refused` makes the transaction invalid.
//!
//! **Deploy with init is atomic**: a savepoint of the session is taken before the deploy
//! (`Session::savepoint`); if the init call fails, the deploy is undone with it (the receipt is
//! `Failed("init: ...")`, names no contract, and the fee is still paid).

use shortcrust_vm::{
    CallError, Context, ContractId, DeployError, DeployOptions, Fault, Session, VmError,
};

use crate::account::{AccountId, ChainParams};
use crate::error::{ChainError, TxError};
use crate::execute::BlockContext;
use crate::ledger::Ledger;
use crate::receipt::{CallRecord, Event, Receipt, TxStatus};
use crate::tx::{Action, Checked, SignedTransaction};

/// Why a transaction produced no receipt.
pub(crate) enum Failure {
    /// The transaction is invalid; the session is as before it.
    Invalid(TxError),
    /// A fault of this node. `restored`: the session is as before the transaction (otherwise a
    /// deploy happened before its init call faulted, and the session must be dropped).
    Fault { fault: Fault, restored: bool },
    /// The state itself is wrong (a corrupted record): abort.
    Chain(ChainError),
}

/// What the action did.
struct Outcome {
    result: Result<Vec<u8>, String>,
    vm_gas: u64,
    events: Vec<Event>,
    calls: Vec<CallRecord>,
    contract: Option<[u8; 32]>,
}

impl Outcome {
    fn ok(vm_gas: u64) -> Self {
        Outcome {
            result: Ok(Vec::new()),
            vm_gas,
            events: Vec::new(),
            calls: Vec::new(),
            contract: None,
        }
    }

    fn failed(vm_gas: u64, reason: String) -> Self {
        Outcome {
            result: Err(reason),
            ..Outcome::ok(vm_gas)
        }
    }

    /// Takes a VM receipt's result, events, call tree and gas.
    fn absorb(&mut self, receipt: shortcrust_vm::Receipt, what: &str) {
        self.vm_gas = self.vm_gas.saturating_add(receipt.gas_spent);
        self.events = receipt.events.into_iter().map(Event::from).collect();
        self.calls = receipt.calls.into_iter().map(CallRecord::from).collect();
        self.result = receipt.result.map_err(|e: CallError| format!("{what}{e}"));
    }
}

fn chain(e: ChainError) -> Failure {
    Failure::Chain(e)
}

/// A VM error outside a call (state reads): a fault, with the session untouched so far.
fn vm(e: VmError) -> Failure {
    match e {
        VmError::Fault(fault) => Failure::Fault {
            fault,
            restored: true,
        },
        other => Failure::Chain(ChainError::Vm(other)),
    }
}

/// Adds `amount` to `id`'s balance.
fn credit(
    session: &Session,
    ledger: &mut Ledger,
    id: &AccountId,
    amount: u128,
) -> Result<(), Failure> {
    if amount == 0 {
        return Ok(());
    }
    let mut account = ledger.get(session, id).map_err(chain)?;
    // The total supply fits in a u128 (checked at genesis) and is conserved, so no balance
    // can overflow unless the state is corrupted.
    account.balance = account.balance.checked_add(amount).ok_or_else(|| {
        chain(ChainError::CorruptedState(format!(
            "balance of {id} overflows: more native value than the genesis created"
        )))
    })?;
    ledger.set(*id, account);
    Ok(())
}

/// Moves `amount` from `from` (which holds it: checked before the action) to `to`.
fn transfer(
    session: &Session,
    ledger: &mut Ledger,
    from: &AccountId,
    to: &AccountId,
    amount: u128,
) -> Result<(), Failure> {
    if amount == 0 {
        return Ok(());
    }
    let mut account = ledger.get(session, from).map_err(chain)?;
    account.balance = account.balance.checked_sub(amount).ok_or_else(|| {
        chain(ChainError::CorruptedState(format!(
            "balance of {from} below an amount checked before"
        )))
    })?;
    ledger.set(*from, account);
    credit(session, ledger, to, amount)
}

/// Whether `to` can receive `amount` without overflowing (always, unless the state is corrupted;
/// checked before a call so that the call and the amount stay all-or-nothing).
fn can_receive(
    session: &Session,
    ledger: &mut Ledger,
    to: &AccountId,
    amount: u128,
) -> Result<bool, Failure> {
    if amount == 0 {
        return Ok(true);
    }
    let account = ledger.get(session, to).map_err(chain)?;
    Ok(account.balance.checked_add(amount).is_some())
}

/// Applies `tx` (which passed its stateless checks, `checked`) to `session`.
pub(crate) fn apply(
    session: &mut Session,
    ledger: &mut Ledger,
    params: &ChainParams,
    block: &BlockContext,
    tx: &SignedTransaction,
    checked: &Checked,
) -> Result<Receipt, Failure> {
    let body = tx.tx.v1();
    let sender = checked.sender;
    let before = ledger.snapshot(&sender);
    let mut account = ledger.get(session, &sender).map_err(|e| match e {
        ChainError::Vm(e) => vm(e),
        other => chain(other),
    })?;
    if body.nonce < account.nonce {
        return Err(Failure::Invalid(TxError::NonceTooLow {
            expected: account.nonce,
            found: body.nonce,
        }));
    }
    if body.nonce > account.nonce {
        return Err(Failure::Invalid(TxError::NonceTooHigh {
            expected: account.nonce,
            found: body.nonce,
        }));
    }
    if account.balance < checked.max_cost {
        return Err(Failure::Invalid(TxError::InsufficientBalance {
            balance: account.balance,
            needed: checked.max_cost,
        }));
    }
    account.nonce = account
        .nonce
        .checked_add(1)
        .ok_or(Failure::Invalid(TxError::NonceExhausted(account.nonce)))?;
    let max_fee = body.gas_limit as u128 * body.gas_price as u128;
    // Cannot underflow: the balance covers max_fee + amount.
    account.balance -= max_fee;
    ledger.set(sender, account);

    session.set_context(Context {
        block_height: block.height,
        block_timestamp: block.timestamp,
        chain_id: params.chain_id,
        protocol_version: params.protocol_version,
        sender: sender.0,
    });
    // Cannot underflow: the stateless checks ensure gas_limit >= intrinsic gas.
    let vm_gas = body.gas_limit - checked.intrinsic_gas;
    let outcome = match run(session, ledger, &body.action, &sender, vm_gas) {
        Ok(outcome) => outcome,
        Err(failure) => {
            // Undo the fee reservation: nothing else was written (see `run`).
            if matches!(
                failure,
                Failure::Invalid(_) | Failure::Fault { restored: true, .. }
            ) {
                ledger.restore(sender, before);
            }
            return Err(failure);
        }
    };

    let gas_used = checked
        .intrinsic_gas
        .saturating_add(outcome.vm_gas)
        .min(body.gas_limit);
    let fee = gas_used as u128 * body.gas_price as u128;
    credit(session, ledger, &sender, max_fee - fee)?;
    credit(session, ledger, &block.proposer, fee)?;
    let (status, output) = match outcome.result {
        Ok(output) => (TxStatus::Ok, output),
        Err(reason) => (TxStatus::Failed(reason), Vec::new()),
    };
    Ok(Receipt {
        tx_hash: checked.hash,
        status,
        gas_used,
        fee,
        output,
        events: outcome.events,
        calls: outcome.calls,
        contract: outcome.contract,
    })
}

/// Runs the action. On `Err`, nothing was written to the session, except after a deploy whose
/// init call then faulted (`Failure::Fault { restored: false }`).
fn run(
    session: &mut Session,
    ledger: &mut Ledger,
    action: &Action,
    sender: &AccountId,
    vm_gas: u64,
) -> Result<Outcome, Failure> {
    match action {
        Action::Transfer { to, amount } => {
            if !can_receive(session, ledger, to, *amount)? {
                return Ok(Outcome::failed(
                    0,
                    "recipient balance would overflow".into(),
                ));
            }
            transfer(session, ledger, sender, to, *amount)?;
            Ok(Outcome::ok(0))
        }
        Action::Call {
            contract,
            entry,
            input,
            amount,
        } => {
            let target = AccountId(*contract);
            if !can_receive(session, ledger, &target, *amount)? {
                return Ok(Outcome::failed(0, "contract balance would overflow".into()));
            }
            let receipt = match session.call(ContractId(*contract), entry, input, vm_gas) {
                Ok(r) => r,
                Err(VmError::Refused(e)) => {
                    return Err(Failure::Invalid(TxError::Refused(e.to_string())));
                }
                Err(e) => return Err(vm(e)),
            };
            let mut outcome = Outcome::ok(0);
            outcome.absorb(receipt, "");
            if outcome.result.is_ok() {
                transfer(session, ledger, sender, &target, *amount)?;
            }
            Ok(outcome)
        }
        Action::Deploy { code, init, nonce } => {
            let options = DeployOptions {
                owner: sender.0,
                nonce: *nonce,
                gas_limit: vm_gas,
            };
            // Only a deploy with an init call needs undoing as a whole.
            let savepoint = init.as_ref().map(|_| session.savepoint());
            let deployed = match session.deploy(code, options) {
                Ok(d) => d,
                Err(e) => return deploy_failed(e, code.len(), vm_gas),
            };
            let mut outcome = Outcome::ok(deployed.gas_spent);
            outcome.contract = Some(deployed.id.0);
            if let (Some((entry, input)), Some(savepoint)) = (init, savepoint) {
                let left = vm_gas.saturating_sub(deployed.gas_spent);
                match session.call(deployed.id, entry, input, left) {
                    Ok(receipt) => outcome.absorb(receipt, "init: "),
                    // Unreachable for a transaction that passed its checks (same limits), and
                    // deterministic: a failure.
                    Err(VmError::Refused(e)) => outcome.result = Err(format!("init: {e}")),
                    Err(VmError::Fault(fault)) => {
                        session.restore(savepoint);
                        return Err(Failure::Fault {
                            fault,
                            restored: true,
                        });
                    }
                    Err(e) => return Err(Failure::Chain(ChainError::Vm(e))),
                }
                if outcome.result.is_err() {
                    // The deploy goes with its failed init: nothing of it remains.
                    session.restore(savepoint);
                    outcome.contract = None;
                }
            }
            Ok(outcome)
        }
    }
}

/// A refused deploy: a failed action (paying the deploy price, or all its gas if that was too
/// little), or a fault of this node. Receipt texts are the VM's own words; a parser's message
/// about an invalid module is left out, so that no dependency's wording is consensus data.
fn deploy_failed(e: DeployError, bytes: usize, vm_gas: u64) -> Result<Outcome, Failure> {
    let spent = shortcrust_vm::gas::deploy_cost(bytes).min(vm_gas);
    match e {
        DeployError::Store(msg) => Err(Failure::Fault {
            fault: Fault::Store(msg),
            restored: true,
        }),
        // Cranelift failing on a module that validated is this machine's problem (or a VM bug
        // every node shares): never a verdict a receipt could carry.
        DeployError::Compile(msg) => Err(Failure::Fault {
            fault: Fault::Compile(msg),
            restored: true,
        }),
        DeployError::OutOfGas { .. } => Ok(Outcome::failed(vm_gas, format!("deploy: {e}"))),
        DeployError::Invalid(_) => Ok(Outcome::failed(spent, "deploy: invalid module".into())),
        other => Ok(Outcome::failed(spent, format!("deploy: {other}"))),
    }
}
