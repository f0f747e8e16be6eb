//! The dark pool's balance-transition circuit (dusk-plonk), its setup and its prover — the
//! circuit `contracts/darkpool` registers, as `crates/vm/tests/crypto/darkpool/circuit.rs`
//! builds it for the contract's tests.
//!
//! A balance is committed as a Pedersen commitment on JubJub, `C = v·G + r·H` with Dusk's
//! generators `G = GENERATOR` and `H = GENERATOR_NUMS`. One proof covers both assets of a
//! trader. Its 13 public inputs, in the order the contract builds them, are
//! `hash_to_scalar(trader)` (which binds the proof to one trader), then per asset (base, quote)
//! `debit, credit, old.x, old.y, new.x, new.y`. The witness is `(v, r, r')`; the circuit checks
//! `old = v·G + r·H`, `v < 2^64`, `v − debit < 2^64` (no underflow: the trader has the funds),
//! `v' = v − debit + credit < 2^64` and `new = v'·G + r'·H`.

use dusk_bytes::Serializable as _;
use dusk_jubjub::{GENERATOR_EXTENDED, GENERATOR_NUMS_EXTENDED, JubJubAffine, JubJubScalar};
use dusk_plonk::prelude::{
    BlsScalar, Circuit, Compiler, Composer, Constraint, Error, Prover, PublicParameters, Witness,
    WitnessPoint,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

use crate::error::CliError;

/// The transcript label of the darkpool's circuit.
pub const LABEL: &[u8] = b"shortcrust-darkpool-transition-v1";
/// Seed of the setup's toxic waste (a demo setup: anyone who knows it can forge proofs).
pub const SETUP_SEED: u64 = 0xda4c;

/// A commitment's opening: the balance and the blinding factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Opening {
    pub value: u64,
    pub blinding: JubJubScalar,
}

impl Opening {
    pub fn new(value: u64, blinding: u64) -> Self {
        Self {
            value,
            blinding: JubJubScalar::from(blinding),
        }
    }

    /// `v·G + r·H`, as a point.
    pub fn point(&self) -> JubJubAffine {
        (GENERATOR_EXTENDED * JubJubScalar::from(self.value)
            + GENERATOR_NUMS_EXTENDED * self.blinding)
            .into()
    }

    /// The commitment as the contract stores it: `x ‖ y`, little-endian scalars.
    pub fn commitment(&self) -> [u8; 64] {
        let point = self.point();
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&point.get_u().to_bytes());
        out[32..].copy_from_slice(&point.get_v().to_bytes());
        out
    }
}

/// One asset's transition: the old opening, the amounts, the new blinding.
#[derive(Clone, Copy, Debug, Default)]
pub struct Leg {
    pub old: Opening,
    pub debit: u64,
    pub credit: u64,
    pub new_blinding: JubJubScalar,
}

impl Leg {
    /// A credit of `amount` on top of `old`, re-blinded with `blinding`.
    pub fn credit(old: Opening, amount: u64, blinding: u64) -> Self {
        Self {
            old,
            debit: 0,
            credit: amount,
            new_blinding: blinding.into(),
        }
    }

    /// A debit of `amount` from `old`, re-blinded with `blinding`.
    pub fn debit(old: Opening, amount: u64, blinding: u64) -> Self {
        Self {
            old,
            debit: amount,
            credit: 0,
            new_blinding: blinding.into(),
        }
    }

    /// A leg that leaves the balance and its commitment unchanged.
    pub fn unchanged(old: Opening) -> Self {
        Self {
            old,
            debit: 0,
            credit: 0,
            new_blinding: old.blinding,
        }
    }

    /// The opening after the transition (the demo's traders always have the funds).
    pub fn new_opening(&self) -> Opening {
        Opening {
            value: self
                .old
                .value
                .wrapping_sub(self.debit)
                .wrapping_add(self.credit),
            blinding: self.new_blinding,
        }
    }

    /// The six public inputs of this leg, as the contract builds them.
    fn public_inputs(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&BlsScalar::from(self.debit).to_bytes());
        out.extend_from_slice(&BlsScalar::from(self.credit).to_bytes());
        out.extend_from_slice(&self.old.commitment());
        out.extend_from_slice(&self.new_opening().commitment());
    }
}

/// A trader's transition for both assets.
#[derive(Clone, Copy, Debug, Default)]
pub struct Transition {
    /// `hash_to_scalar(trader)`: binds the proof to its trader.
    pub trader_tag: BlsScalar,
    pub base: Leg,
    pub quote: Leg,
}

impl Transition {
    pub fn new(trader: &[u8; 32], base: Leg, quote: Leg) -> Self {
        Self {
            trader_tag: BlsScalar::hash_to_scalar(trader),
            base,
            quote,
        }
    }

    /// The 13 public inputs (32 bytes each) the contract builds for this transition:
    /// computed here independently of the prover, to check proofs loaded from the cache.
    pub fn public_inputs(&self) -> Vec<u8> {
        let mut out = self.trader_tag.to_bytes().to_vec();
        self.base.public_inputs(&mut out);
        self.quote.public_inputs(&mut out);
        out
    }
}

impl Circuit for Transition {
    fn circuit(&self, composer: &mut Composer) -> Result<(), Error> {
        composer.append_public(self.trader_tag);
        leg_gadget(composer, &self.base)?;
        leg_gadget(composer, &self.quote)
    }
}

/// `v·G + r·H` for witnesses `v` and `r`.
fn commit_gadget(
    composer: &mut Composer,
    value: Witness,
    blinding: Witness,
) -> Result<WitnessPoint, Error> {
    let value_part = composer.component_mul_generator(value, GENERATOR_EXTENDED)?;
    let blinding_part = composer.component_mul_generator(blinding, GENERATOR_NUMS_EXTENDED)?;
    Ok(composer.component_add_point(value_part, blinding_part))
}

fn leg_gadget(composer: &mut Composer, leg: &Leg) -> Result<(), Error> {
    let debit = composer.append_public(BlsScalar::from(leg.debit));
    let credit = composer.append_public(BlsScalar::from(leg.credit));

    let value = composer.append_witness(BlsScalar::from(leg.old.value));
    composer.component_range::<32>(value);
    let blinding = composer.append_witness(BlsScalar::from(leg.old.blinding));
    let old = commit_gadget(composer, value, blinding)?;
    composer.assert_equal_public_point(old, leg.old.point());

    let one = BlsScalar::one();
    let remaining = composer.gate_add(Constraint::new().left(1).a(value).right(-one).b(debit));
    composer.component_range::<32>(remaining);
    let new_value = composer.gate_add(Constraint::new().left(1).a(remaining).right(1).b(credit));
    composer.component_range::<32>(new_value);
    let new_blinding = composer.append_witness(BlsScalar::from(leg.new_blinding));
    let new = commit_gadget(composer, new_value, new_blinding)?;
    composer.assert_equal_public_point(new, leg.new_opening().point());
    Ok(())
}

/// The compiled circuit: the prover and the verifier data the owner registers.
pub struct TransitionCircuit {
    prover: Prover,
    pub verifier_data: Vec<u8>,
}

fn failed(what: &str, e: Error) -> CliError {
    CliError::Vm(format!("demo fixture: {what}: {e:?}"))
}

impl TransitionCircuit {
    /// A demo setup (toxic waste from [`SETUP_SEED`]) of the smallest degree that fits.
    pub fn setup() -> Result<Self, CliError> {
        let mut rng = ChaCha20Rng::seed_from_u64(SETUP_SEED);
        let degree = (Transition::default().size() + 6).next_power_of_two();
        let parameters = PublicParameters::setup(degree, &mut rng)
            .map_err(|e| failed("PLONK public parameters", e))?;
        let (prover, verifier) =
            Compiler::compile_with_circuit(&parameters, LABEL, &Transition::default())
                .map_err(|e| failed("compiling the transition circuit", e))?;
        Ok(Self {
            prover,
            verifier_data: verifier.to_bytes(),
        })
    }

    /// A proof of `transition`, its blinding drawn from `seed`.
    pub fn prove(&self, transition: &Transition, seed: u64) -> Result<Vec<u8>, CliError> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let (proof, _) = self
            .prover
            .prove(&mut rng, transition)
            .map_err(|e| failed("proving a balance transition", e))?;
        Ok(proof.to_bytes().to_vec())
    }
}
