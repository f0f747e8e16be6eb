//! The darkpool's balance-transition circuit (dusk-plonk), its setup and its prover.
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

/// The transcript label of the darkpool's circuit.
pub const LABEL: &[u8] = b"shortcrust-darkpool-transition-v1";

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

/// One asset's transition: the old opening, the amounts, the new blinding. The new value is
/// computed in the field as the circuit does, so an overdraft gives a witness that does not
/// satisfy the range checks (and a proof that does not verify).
#[derive(Clone, Copy, Debug, Default)]
pub struct Leg {
    pub old: Opening,
    pub debit: u64,
    pub credit: u64,
    pub new_blinding: JubJubScalar,
}

impl Leg {
    /// A leg that leaves the balance and its commitment unchanged.
    pub fn unchanged(old: Opening) -> Self {
        Self {
            old,
            debit: 0,
            credit: 0,
            new_blinding: old.blinding,
        }
    }

    /// The opening after the transition (meaningful when the trader has the funds).
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

    fn new_value_in_field(&self) -> BlsScalar {
        BlsScalar::from(self.old.value) - BlsScalar::from(self.debit) + BlsScalar::from(self.credit)
    }

    /// The new commitment (of the field value, so also for an overdraft).
    fn new_point(&self) -> JubJubAffine {
        let value = JubJubScalar::from_raw(self.new_value_in_field().reduce().0);
        (GENERATOR_EXTENDED * value + GENERATOR_NUMS_EXTENDED * self.new_blinding).into()
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
    composer.assert_equal_public_point(new, leg.new_point());
    Ok(())
}

/// The compiled circuit: the prover and the verifier data the owner registers.
pub struct TransitionCircuit {
    prover: Prover,
    pub verifier_data: Vec<u8>,
}

impl TransitionCircuit {
    /// A test-only setup (toxic waste from a seeded rng) of the smallest degree that fits.
    pub fn setup() -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(0xda4c);
        let degree = (Transition::default().size() + 6).next_power_of_two();
        let parameters = PublicParameters::setup(degree, &mut rng).expect("public parameters");
        let (prover, verifier) =
            Compiler::compile_with_circuit(&parameters, LABEL, &Transition::default())
                .expect("the transition circuit compiles");
        Self {
            prover,
            verifier_data: verifier.to_bytes(),
        }
    }

    /// A proof of `transition` and its public inputs as the contract encodes them.
    pub fn prove(&self, transition: &Transition, seed: u64) -> (Vec<u8>, Vec<u8>) {
        self.try_prove(transition, seed)
            .expect("the transition's witness is valid")
    }

    /// [`Self::prove`], or dusk-plonk's error when the witness cannot even be assigned.
    pub fn try_prove(
        &self,
        transition: &Transition,
        seed: u64,
    ) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let (proof, public_inputs) = self.prover.prove(&mut rng, transition)?;
        let public: Vec<u8> = public_inputs.iter().flat_map(|pi| pi.to_bytes()).collect();
        Ok((proof.to_bytes().to_vec(), public))
    }
}
