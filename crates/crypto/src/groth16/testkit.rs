//! Valid Groth16 verifications generated from a seed, for tests in this crate and elsewhere
//! (the VM's and the example contracts' tests), behind the cargo feature `testkit`.
//!
//! The circuit proves knowledge of square roots: for each public input `p_i` the prover knows a
//! private `w_i` with `w_i · w_i = p_i` (one R1CS constraint each). It is tiny, so key generation
//! and proving take milliseconds, yet it exercises every part of the verifier, including one
//! `ic` point per public input. Everything is derived from the seed with ChaCha20, so a seed
//! always gives the same bytes (for a given arkworks version).
//!
//! A real circom/snarkjs proof is also available, converted from the committed JSON:
//! [`snarkjs_multiplier`].

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_relations::lc;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

use super::Groth16Input;

/// The square-roots circuit: `None` roots while generating keys, `Some` while proving.
struct SquareRoots {
    roots: Vec<Option<Fr>>,
}

impl ConstraintSynthesizer<Fr> for SquareRoots {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        for root in self.roots {
            let witness =
                cs.new_witness_variable(|| root.ok_or(SynthesisError::AssignmentMissing))?;
            let square = cs.new_input_variable(|| {
                root.map(|r| r * r).ok_or(SynthesisError::AssignmentMissing)
            })?;
            cs.enforce_r1cs_constraint(|| lc!() + witness, || lc!() + witness, || lc!() + square)?;
        }
        Ok(())
    }
}

/// A proving key for the square-roots circuit with a fixed number of public inputs; proves any
/// number of statements under one verifying key.
pub struct SquareRootsCircuit {
    proving_key: ProvingKey<Bn254>,
    public_inputs: usize,
}

impl SquareRootsCircuit {
    /// Generates keys for `public_inputs` public inputs (`0` is allowed) from `seed`.
    ///
    /// # Panics
    /// If arkworks fails to generate keys, which it does not for this circuit.
    pub fn setup(seed: u64, public_inputs: usize) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let circuit = SquareRoots {
            roots: vec![None; public_inputs],
        };
        let proving_key =
            Groth16::<Bn254>::generate_random_parameters_with_reduction(circuit, &mut rng)
                .expect("key generation for the square-roots circuit");
        Self {
            proving_key,
            public_inputs,
        }
    }

    /// The encoded verifying key (the `vk` argument of `verify_groth16_bn254`).
    pub fn verifying_key(&self) -> Vec<u8> {
        super::encode_verifying_key(&self.proving_key.vk)
    }

    /// A fresh valid proof with public inputs drawn from `seed`.
    pub fn prove(&self, seed: u64) -> Groth16Input {
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x05ee_d0f9_700f);
        let roots: Vec<Fr> = (0..self.public_inputs)
            .map(|_| Fr::rand(&mut rng))
            .collect();
        self.prove_roots(roots, &mut rng)
    }

    /// A valid proof whose public inputs are the squares of `roots` (so a test can choose the
    /// statement, e.g. `roots = [3]` proves the public input `9`); randomness drawn from `seed`.
    ///
    /// # Panics
    /// If `roots.len()` is not the circuit's number of public inputs.
    pub fn prove_with_roots(&self, roots: &[u64], seed: u64) -> Groth16Input {
        assert_eq!(roots.len(), self.public_inputs, "one root per public input");
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x05ee_d0f9_700f);
        self.prove_roots(roots.iter().map(|r| Fr::from(*r)).collect(), &mut rng)
    }

    /// # Panics
    /// If arkworks fails to prove, which it does not for a satisfied circuit.
    fn prove_roots(&self, roots: Vec<Fr>, rng: &mut ChaCha20Rng) -> Groth16Input {
        let squares: Vec<Fr> = roots.iter().map(|r| r * r).collect();
        let circuit = SquareRoots {
            roots: roots.into_iter().map(Some).collect(),
        };
        let proof =
            Groth16::<Bn254>::create_random_proof_with_reduction(circuit, &self.proving_key, rng)
                .expect("proving a satisfied square-roots circuit");
        Groth16Input::encode(&self.proving_key.vk, &proof, &squares)
    }
}

/// One valid verification with `public_inputs` public inputs: keys and proof from `seed`.
pub fn fixture(seed: u64, public_inputs: usize) -> Groth16Input {
    SquareRootsCircuit::setup(seed, public_inputs).prove(seed)
}

/// The real circom + snarkjs proof committed under `testdata/snarkjs/multiplier/` (see its
/// README), converted to the host encoding: two public signals, `c = a · b` and `salt`.
///
/// # Panics
/// Never for the committed files (a test converts them).
pub fn snarkjs_multiplier() -> Groth16Input {
    crate::snarkjs::convert(
        include_str!("../../testdata/snarkjs/multiplier/verification_key.json"),
        include_str!("../../testdata/snarkjs/multiplier/proof.json"),
        include_str!("../../testdata/snarkjs/multiplier/public.json"),
    )
    .expect("the committed snarkjs fixture converts")
}
