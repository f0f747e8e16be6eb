//! Test-only, independent re-implementation of Dusk's Poseidon: the Hades permutation (width 5,
//! 8 full and 60 partial rounds, x⁵ S-box) and the SAFE sponge of `dusk-safe` 0.3, written from
//! their specification (dusk-poseidon's `assets/HOWTO.md` for the constants, `dusk-safe`'s
//! `Sponge` for absorb/squeeze and the tag).
//!
//! It exists so that `poseidon_hash` is checked against something other than the library it
//! calls: this reference must reproduce dusk-poseidon's own permutation known answers
//! (testdata/dusk-poseidon), and then `poseidon_hash` must agree with it under `Domain::Other`.

use dusk_bls12_381::BlsScalar;
use sha2::{Digest as _, Sha512};

const WIDTH: usize = 5;
const RATE: usize = WIDTH - 1;
const FULL_ROUNDS: usize = 8;
const PARTIAL_ROUNDS: usize = 60;
const ROUNDS: usize = FULL_ROUNDS + PARTIAL_ROUNDS;

/// The Hades permutation with its constants.
pub(super) struct Hades {
    round_constants: Vec<[BlsScalar; WIDTH]>,
    mds: [[BlsScalar; WIDTH]; WIDTH],
}

/// dusk-poseidon stores each constant's Montgomery limbs (`internal_repr`) in its asset files and
/// reads them back with `from_raw`, which takes canonical limbs; the constant actually used is
/// therefore `c·R mod r`. Reproducing that detail is part of matching the library bit for bit.
fn as_stored(c: BlsScalar) -> BlsScalar {
    BlsScalar::from_raw(*c.internal_repr())
}

impl Hades {
    pub(super) fn new() -> Self {
        // HOWTO.md "Generate round constants": a SHA-512 chain seeded with "poseidon-for-plonk",
        // each output reduced wide and added to the previous constant (starting from one).
        let mut previous = BlsScalar::one();
        let mut chain = b"poseidon-for-plonk".to_vec();
        let mut flat = Vec::with_capacity(ROUNDS * WIDTH);
        for _ in 0..ROUNDS * WIDTH {
            chain = Sha512::digest(&chain).to_vec();
            let mut wide = [0u8; 64];
            wide.copy_from_slice(&chain);
            let c = BlsScalar::from_bytes_wide(&wide) + previous;
            previous = c;
            flat.push(as_stored(c));
        }
        let round_constants = flat
            .chunks_exact(WIDTH)
            .map(|row| [row[0], row[1], row[2], row[3], row[4]])
            .collect();

        // HOWTO.md "Generate mds matrix": the Cauchy matrix 1 / (x_i + y_j), x_i = i, y_j = j + 5.
        let mut mds = [[BlsScalar::zero(); WIDTH]; WIDTH];
        for (i, row) in mds.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                let sum = BlsScalar::from(i as u64) + BlsScalar::from((j + WIDTH) as u64);
                let inverse = sum.invert().expect("x_i + y_j is a small non-zero integer");
                *cell = as_stored(inverse);
            }
        }
        Self {
            round_constants,
            mds,
        }
    }

    fn round(&self, round: usize, state: &mut [BlsScalar; WIDTH], full: bool) {
        for (s, c) in state.iter_mut().zip(self.round_constants[round]) {
            *s += c;
        }
        let quintic = |x: BlsScalar| x.square().square() * x;
        if full {
            state.iter_mut().for_each(|s| *s = quintic(*s));
        } else {
            state[WIDTH - 1] = quintic(state[WIDTH - 1]);
        }
        let mut mixed = [BlsScalar::zero(); WIDTH];
        for (k, out) in mixed.iter_mut().enumerate() {
            for (j, s) in state.iter().enumerate() {
                *out += self.mds[k][j] * s;
            }
        }
        *state = mixed;
    }

    pub(super) fn permute(&self, state: &mut [BlsScalar; WIDTH]) {
        let half = FULL_ROUNDS / 2;
        (0..half).for_each(|r| self.round(r, state, true));
        (half..half + PARTIAL_ROUNDS).for_each(|r| self.round(r, state, false));
        (half + PARTIAL_ROUNDS..ROUNDS).for_each(|r| self.round(r, state, true));
    }

    /// The SAFE sponge with capacity element `tag`: absorbs each group of `absorbs` in turn, then
    /// squeezes one scalar.
    pub(super) fn sponge(&self, tag: BlsScalar, absorbs: &[&[BlsScalar]]) -> BlsScalar {
        let mut state = [
            tag,
            BlsScalar::zero(),
            BlsScalar::zero(),
            BlsScalar::zero(),
            BlsScalar::zero(),
        ];
        let mut position = 0;
        for group in absorbs {
            for element in group.iter() {
                if position == RATE {
                    self.permute(&mut state);
                    position = 0;
                }
                state[1 + position] += element;
                position += 1;
            }
        }
        // Squeezing after an absorb always permutes first.
        self.permute(&mut state);
        state[1]
    }
}

/// `dusk-safe`'s tag input for the io-pattern `[Absorb(n), Squeeze(1)]` and a domain separator:
/// the pattern as big-endian u32 words (absorbs flagged by the top bit), then the separator as a
/// big-endian u64. `Domain::Other` is separator 0; the tag is `hash_to_scalar` of these bytes.
pub(super) fn other_domain_tag(n: usize) -> BlsScalar {
    let mut input = Vec::new();
    input.extend_from_slice(&(0x8000_0000u32 + n as u32).to_be_bytes());
    input.extend_from_slice(&1u32.to_be_bytes());
    input.extend_from_slice(&0u64.to_be_bytes());
    BlsScalar::hash_to_scalar(&input)
}
