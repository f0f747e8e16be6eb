//! The outcome of a harness call: the receipt, its trace, typed results and assertions whose
//! failure messages say where a revert came from (contract, entry point, message, call path).

use borsh::BorshDeserialize;
use shortcrust_vm::{CallError, Event, Receipt};

use crate::trace::Trace;

/// Why a call did not give the value a test asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The call failed; `path` is the chain of `contract::entry` frames down to the frame that
    /// failed first.
    #[error("{} failed: {error} (call path: {})", .path.last().map(String::as_str).unwrap_or("?"), .path.join(" → "))]
    Call { error: CallError, path: Vec<String> },
    /// The call succeeded but its output is not the expected type.
    #[error("the output of {entry} ({len} bytes) does not decode as the expected type: {message}")]
    Decode {
        entry: String,
        len: usize,
        message: String,
    },
}

/// See the module docs.
#[derive(Clone, Debug)]
pub struct CallOutcome {
    pub receipt: Receipt,
    pub trace: Trace,
}

impl CallOutcome {
    pub(crate) fn new(receipt: Receipt, trace: Trace) -> Self {
        Self { receipt, trace }
    }

    /// Gas the call used, `gas::TX_BASE` included.
    pub fn gas(&self) -> u64 {
        self.receipt.gas_spent
    }

    /// Events of the call (empty if it failed).
    pub fn events(&self) -> &[Event] {
        &self.receipt.events
    }

    /// Whether the call succeeded.
    pub fn is_ok(&self) -> bool {
        self.receipt.result.is_ok()
    }

    fn failure(&self, error: &CallError) -> Failure {
        Failure::Call {
            error: error.clone(),
            path: self.trace.failure_path(),
        }
    }

    /// The output decoded as `T`.
    pub fn value<T: BorshDeserialize>(&self) -> Result<T, Failure> {
        let output = self.receipt.result.as_ref().map_err(|e| self.failure(e))?;
        let entry = self
            .trace
            .root
            .as_ref()
            .map(|f| f.entry.clone())
            .unwrap_or_default();
        T::try_from_slice(output).map_err(|e| Failure::Decode {
            entry,
            len: output.len(),
            message: e.to_string(),
        })
    }

    /// Panics, with the revert's contract, entry point, message and call path, unless the call
    /// succeeded.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        if let Err(e) = &self.receipt.result {
            panic!("expected success, but {}", self.failure(e));
        }
        self
    }

    /// Panics unless the call reverted with exactly `message` (from whichever frame it came).
    #[track_caller]
    pub fn assert_reverted(&self, message: &str) -> &Self {
        match &self.receipt.result {
            Err(CallError::Reverted(m)) if m == message => self,
            Err(e) => panic!(
                "expected a revert with {message:?}, but {}",
                self.failure(e)
            ),
            Ok(_) => panic!(
                "expected a revert with {message:?}, but the call succeeded ({} gas)",
                self.gas()
            ),
        }
    }

    /// Panics unless the call failed with `error`.
    #[track_caller]
    pub fn assert_failed(&self, error: &CallError) -> &Self {
        match &self.receipt.result {
            Err(e) if e == error => self,
            Err(e) => panic!("expected {error}, but {}", self.failure(e)),
            Ok(_) => panic!("expected {error}, but the call succeeded"),
        }
    }

    /// Panics unless the call emitted an event with `topic` and exactly `data`.
    #[track_caller]
    pub fn assert_event(&self, topic: &str, data: &[u8]) -> &Self {
        let found = self
            .receipt
            .events
            .iter()
            .any(|e| e.topic == topic.as_bytes() && e.data == data);
        if !found {
            let seen: Vec<String> = self
                .receipt
                .events
                .iter()
                .map(|e| {
                    format!(
                        "{}({})",
                        String::from_utf8_lossy(&e.topic),
                        hex::encode(&e.data)
                    )
                })
                .collect();
            panic!(
                "expected event {topic}({}), emitted: [{}]",
                hex::encode(data),
                seen.join(", ")
            );
        }
        self
    }
}
