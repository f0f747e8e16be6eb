//! Valid dusk-plonk verifications generated from a seed, for tests in this crate and elsewhere
//! (the VM's and the example contracts' tests), behind the cargo feature `testkit`.
//!
//! The circuit proves knowledge of square roots: for each public input `p_i` the prover knows a
//! private `w_i` with `w_i · w_i = p_i` (a multiplication gate, a public-input gate and an
//! equality each). The public parameters come from dusk-plonk's `PublicParameters::setup` with
//! the smallest degree the circuit needs and a ChaCha20 rng seeded from the seed: a toxic-waste
//! setup that is fine for tests and nothing else. A seed always gives the same bytes (for a given
//! dusk-plonk version).
//!
//! [`darkpool`] is the dark pool contract's own circuit (Pedersen-committed balances), for the
//! tests and the demo that run that contract.

use dusk_plonk::prelude::{
    BlsScalar, Circuit, Compiler, Composer, Constraint, Error, Prover, PublicParameters, Verifier,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

use super::PlonkInput;

pub mod darkpool;

/// The transcript label of [`fixture`]'s circuits.
pub const LABEL: &[u8] = b"shortcrust-testkit-square-roots";

/// The square-roots circuit. Its shape depends only on the number of roots.
#[derive(Default)]
struct SquareRoots {
    roots: Vec<BlsScalar>,
}

impl Circuit for SquareRoots {
    fn circuit(&self, composer: &mut Composer) -> Result<(), Error> {
        for root in &self.roots {
            let witness = composer.append_witness(*root);
            let square = composer.gate_mul(Constraint::new().mult(1).a(witness).b(witness));
            let public = composer.append_public(root.square());
            composer.assert_equal(square, public);
        }
        Ok(())
    }
}

/// A compiled square-roots circuit with a fixed number of public inputs; proves any number of
/// statements under one verifier.
pub struct SquareRootsCircuit {
    prover: Prover,
    verifier: Verifier,
    public_inputs: usize,
}

impl SquareRootsCircuit {
    /// Sets up and compiles the circuit for `public_inputs` public inputs with [`LABEL`].
    pub fn setup(seed: u64, public_inputs: usize) -> Self {
        Self::setup_with_label(seed, public_inputs, LABEL)
    }

    /// Like [`Self::setup`] with another transcript label (longer labels make longer verifier
    /// data, which the gas benchmark uses).
    ///
    /// # Panics
    /// If dusk-plonk fails to set up or compile, which it does not for this circuit.
    pub fn setup_with_label(seed: u64, public_inputs: usize, label: &[u8]) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let shape = SquareRoots {
            roots: vec![BlsScalar::zero(); public_inputs],
        };
        // dusk-plonk trims the parameters to the next power of two above `constraints + 6`.
        let degree = (shape.size() + 6).next_power_of_two();
        let parameters =
            PublicParameters::setup(degree, &mut rng).expect("public parameters for the testkit");
        let (prover, verifier) = Compiler::compile_with_circuit(&parameters, label, &shape)
            .expect("compiling the square-roots circuit");
        Self {
            prover,
            verifier,
            public_inputs,
        }
    }

    /// The encoded verifier (the `verifier_data` argument of `verify_plonk`).
    pub fn verifier_data(&self) -> Vec<u8> {
        self.verifier.to_bytes()
    }

    /// A fresh valid proof with public inputs drawn from `seed`.
    pub fn prove(&self, seed: u64) -> PlonkInput {
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x9_1011_c0de);
        let roots = (0..self.public_inputs)
            .map(|_| {
                let mut wide = [0u8; 64];
                rng.fill_bytes(&mut wide);
                BlsScalar::from_bytes_wide(&wide)
            })
            .collect();
        self.prove_roots(roots, &mut rng)
    }

    /// A valid proof whose public inputs are the squares of `roots` (so a test can choose the
    /// statement, e.g. `roots = [3]` proves the public input `9`); blinding drawn from `seed`.
    ///
    /// # Panics
    /// If `roots.len()` is not the circuit's number of public inputs.
    pub fn prove_with_roots(&self, roots: &[u64], seed: u64) -> PlonkInput {
        assert_eq!(roots.len(), self.public_inputs, "one root per public input");
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x9_1011_c0de);
        self.prove_roots(
            roots.iter().map(|r| BlsScalar::from(*r)).collect(),
            &mut rng,
        )
    }

    /// # Panics
    /// If dusk-plonk fails to prove, which it does not for a satisfied circuit.
    fn prove_roots(&self, roots: Vec<BlsScalar>, rng: &mut ChaCha20Rng) -> PlonkInput {
        let circuit = SquareRoots { roots };
        let (proof, public_inputs) = self
            .prover
            .prove(rng, &circuit)
            .expect("proving a satisfied square-roots circuit");
        PlonkInput::encode(&self.verifier, &proof, &public_inputs)
    }
}

/// One valid verification with `public_inputs` public inputs: setup and proof from `seed`.
pub fn fixture(seed: u64, public_inputs: usize) -> PlonkInput {
    SquareRootsCircuit::setup(seed, public_inputs).prove(seed)
}
