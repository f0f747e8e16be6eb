//! The dark pool's balance-transition circuit (dusk-plonk), its setup and its prover: the
//! circuit `contracts/darkpool` registers, shared by the VM's contract tests, the test harness's
//! contract tests and the CLI's `demo` so that all of them prove exactly the same statement.
//!
//! A balance is committed as a Pedersen commitment on JubJub, `C = v·G + r·H` with Dusk's
//! generators `G = GENERATOR` and `H = GENERATOR_NUMS`. One proof covers both assets of a
//! trader. Its 13 public inputs, in the order the contract builds them, are
//! `hash_to_scalar(trader)` (which binds the proof to one trader), then per asset (base, quote)
//! `debit, credit, old.x, old.y, new.x, new.y`. The witness is `(v, r, r')`; the circuit checks
//! `old = v·G + r·H`, `v < 2^64`, `v − debit < 2^64` (no underflow: the trader has the funds),
//! `v' = v − debit + credit < 2^64` and `new = v'·G + r'·H`.
//!
//! The setup draws its toxic waste from a ChaCha20 rng seeded with [`SETUP_SEED`]: anyone who
//! knows the seed can forge proofs, which is fine for tests and demos and nothing else. A seed
//! always gives the same bytes (for a given dusk-plonk version), so gas figures pinned on these
//! proofs are stable.

use dusk_bytes::Serializable as _;
use dusk_jubjub::{GENERATOR_EXTENDED, GENERATOR_NUMS_EXTENDED, JubJubAffine, JubJubScalar};
use dusk_plonk::prelude::{
    BlsScalar, Circuit, Compiler, Composer, Constraint, Error, Prover, PublicParameters, Witness,
    WitnessPoint,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

/// The transcript label of the dark pool's circuit.
pub const LABEL: &[u8] = b"shortcrust-darkpool-transition-v1";
/// Seed of the setup's toxic waste.
pub const SETUP_SEED: u64 = 0xda4c;
/// The number of public inputs of one transition proof.
pub const PUBLIC_INPUTS: usize = 13;

/// Why the circuit could not be set up or a transition proven. dusk-plonk's error is kept as
/// it is (it has no `std::error::Error` impl without its `std` feature).
#[derive(Debug, thiserror::Error)]
pub enum DarkpoolError {
    /// dusk-plonk could not make the public parameters.
    #[error("PLONK public parameters: {0:?}")]
    Setup(Error),
    /// dusk-plonk could not compile the transition circuit.
    #[error("compiling the transition circuit: {0:?}")]
    Compile(Error),
    /// The witness does not satisfy the circuit (an overdraft, a wrong opening).
    #[error("proving a balance transition: {0:?}")]
    Prove(Error),
}

/// A commitment's opening: the balance and the blinding factor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Opening {
    /// The balance `v`.
    pub value: u64,
    /// The blinding factor `r`.
    pub blinding: JubJubScalar,
}

impl Opening {
    /// The opening of `value` blinded with the scalar `blinding`.
    pub fn new(value: u64, blinding: u64) -> Self {
        Self {
            value,
            blinding: JubJubScalar::from(blinding),
        }
    }

    /// `v·G + r·H`, as a point.
    pub fn point(&self) -> JubJubAffine {
        commit(JubJubScalar::from(self.value), self.blinding)
    }

    /// The commitment as the contract stores it: `x ‖ y`, little-endian scalars.
    pub fn commitment(&self) -> [u8; 64] {
        encode_point(&self.point())
    }
}

/// `value·G + blinding·H`.
fn commit(value: JubJubScalar, blinding: JubJubScalar) -> JubJubAffine {
    (GENERATOR_EXTENDED * value + GENERATOR_NUMS_EXTENDED * blinding).into()
}

/// A point as the contract stores it: `x ‖ y`, little-endian scalars.
fn encode_point(point: &JubJubAffine) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&point.get_u().to_bytes());
    out[32..].copy_from_slice(&point.get_v().to_bytes());
    out
}

/// One asset's transition: the old opening, the amounts, the new blinding. The new value is
/// computed in the field as the circuit does, so an overdraft still gives a witness that can be
/// assigned — one that fails the range checks, so that tests can show it is not provable.
#[derive(Clone, Copy, Debug, Default)]
pub struct Leg {
    /// The opening of the balance before the transition.
    pub old: Opening,
    /// The amount taken out (public).
    pub debit: u64,
    /// The amount put in (public).
    pub credit: u64,
    /// The blinding factor of the new commitment.
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

    /// The opening after the transition (meaningful when the trader has the funds; an
    /// overdraft wraps around).
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

    /// The new commitment as the contract stores it, of the value computed in the field (so
    /// it is what the circuit commits to, also for an overdraft).
    pub fn new_commitment(&self) -> [u8; 64] {
        encode_point(&self.new_point())
    }

    fn new_value_in_field(&self) -> BlsScalar {
        BlsScalar::from(self.old.value) - BlsScalar::from(self.debit) + BlsScalar::from(self.credit)
    }

    fn new_point(&self) -> JubJubAffine {
        let value = JubJubScalar::from_raw(self.new_value_in_field().reduce().0);
        commit(value, self.new_blinding)
    }

    /// The six public inputs of this leg, as the contract builds them.
    fn public_inputs(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&BlsScalar::from(self.debit).to_bytes());
        out.extend_from_slice(&BlsScalar::from(self.credit).to_bytes());
        out.extend_from_slice(&self.old.commitment());
        out.extend_from_slice(&self.new_commitment());
    }
}

/// A trader's transition for both assets.
#[derive(Clone, Copy, Debug, Default)]
pub struct Transition {
    /// `hash_to_scalar(trader)`: binds the proof to its trader.
    pub trader_tag: BlsScalar,
    /// The base asset's leg.
    pub base: Leg,
    /// The quote asset's leg.
    pub quote: Leg,
}

impl Transition {
    /// `trader`'s transition of both assets.
    pub fn new(trader: &[u8; 32], base: Leg, quote: Leg) -> Self {
        Self {
            trader_tag: BlsScalar::hash_to_scalar(trader),
            base,
            quote,
        }
    }

    /// The [`PUBLIC_INPUTS`] public inputs (32 bytes each) the contract builds for this
    /// transition, computed without the prover: to check proofs made elsewhere (a cache).
    pub fn public_inputs(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(PUBLIC_INPUTS * 32);
        out.extend_from_slice(&self.trader_tag.to_bytes());
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
    composer.assert_equal_public_point(new, leg.new_point());
    Ok(())
}

/// A proof of a [`Transition`] and the public inputs the prover committed to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionProof {
    /// dusk-plonk's `Proof::to_bytes()` (1008 bytes).
    pub proof: Vec<u8>,
    /// The [`PUBLIC_INPUTS`] public inputs, 32 bytes each, as the contract encodes them.
    pub public_inputs: Vec<u8>,
}

/// The compiled circuit: the prover and the verifier data the owner registers.
pub struct TransitionCircuit {
    prover: Prover,
    /// dusk-plonk's `Verifier::to_bytes()`, the `verifier_data` of `verify_plonk`.
    pub verifier_data: Vec<u8>,
}

impl TransitionCircuit {
    /// The setup from [`SETUP_SEED`], of the smallest degree that fits, and the compilation.
    pub fn setup() -> Result<Self, DarkpoolError> {
        let mut rng = ChaCha20Rng::seed_from_u64(SETUP_SEED);
        // dusk-plonk trims the parameters to the next power of two above `constraints + 6`.
        let degree = (Transition::default().size() + 6).next_power_of_two();
        let parameters = PublicParameters::setup(degree, &mut rng).map_err(DarkpoolError::Setup)?;
        let (prover, verifier) =
            Compiler::compile_with_circuit(&parameters, LABEL, &Transition::default())
                .map_err(DarkpoolError::Compile)?;
        Ok(Self {
            prover,
            verifier_data: verifier.to_bytes(),
        })
    }

    /// A proof of `transition`, its blinding drawn from `seed`; an error when the witness does
    /// not satisfy the circuit (dusk-plonk refuses to prove an overdraft).
    pub fn prove(
        &self,
        transition: &Transition,
        seed: u64,
    ) -> Result<TransitionProof, DarkpoolError> {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let (proof, public_inputs) = self
            .prover
            .prove(&mut rng, transition)
            .map_err(DarkpoolError::Prove)?;
        Ok(TransitionProof {
            proof: proof.to_bytes().to_vec(),
            public_inputs: public_inputs.iter().flat_map(|pi| pi.to_bytes()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use shortcrust_abi::status;

    use super::*;
    use crate::plonk::verify_plonk_uncached;

    #[test]
    fn proofs_verify_against_the_public_inputs_recomputed_without_the_prover() {
        let circuit = TransitionCircuit::setup().expect("setup");
        let zero = Opening::new(0, 0);
        let sells = Transition::new(
            &[7; 32],
            Leg::debit(Opening::new(100, 11), 40, 12),
            Leg::credit(zero, 2_000, 13),
        );
        let proven = circuit.prove(&sells, 1).expect("a satisfied transition");
        assert_eq!(proven.public_inputs, sells.public_inputs());
        assert_eq!(proven.public_inputs.len(), PUBLIC_INPUTS * 32);
        assert_eq!(
            sells.base.new_commitment(),
            Opening::new(60, 12).commitment()
        );
        assert_eq!(
            verify_plonk_uncached(
                &circuit.verifier_data,
                &proven.proof,
                &sells.public_inputs()
            ),
            status::VALID
        );
        let other_trader = Transition::new(&[8; 32], sells.base, sells.quote);
        assert_eq!(
            verify_plonk_uncached(
                &circuit.verifier_data,
                &proven.proof,
                &other_trader.public_inputs()
            ),
            status::INVALID
        );

        let overdraft = Transition::new(
            &[7; 32],
            Leg::debit(Opening::new(100, 11), 150, 12),
            Leg::unchanged(zero),
        );
        assert!(matches!(
            circuit.prove(&overdraft, 2),
            Err(DarkpoolError::Prove(_))
        ));
    }
}
