//! Deploying corrupted modules never panics the host: real contracts with bytes flipped,
//! truncated or spliced (a fixed-seed generator, so failures reproduce) are either refused with a
//! `DeployError` or, when still valid, run to a receipt.

use shortcrust_vm::{DeployOptions, SessionConfig, Vm};

/// xorshift64*: a tiny deterministic generator (no `rand` needed for byte positions).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(code: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut m = code.to_vec();
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(m.len());
                m[i] ^= 1 << rng.below(8);
            }
        }
        1 => m.truncate(rng.below(m.len())),
        2 => {
            let i = rng.below(m.len());
            m[i] = [0x00, 0xff, 0x7f, 0x80, 0x41][rng.below(5)];
        }
        _ => {
            let (a, b) = (rng.below(m.len()), rng.below(m.len()));
            let chunk: Vec<u8> = m[a.min(b)..a.max(b)].iter().take(64).copied().collect();
            let at = rng.below(m.len());
            m.splice(at..at, chunk);
        }
    }
    m
}

#[test]
fn mutated_contracts_are_refused_or_run_never_panic() {
    let vm = Vm::ephemeral().unwrap();
    let mut rng = Rng(0x5eed_c0de);
    let (mut refused, mut ran) = (0, 0);
    for (name, code) in shortcrust_test_contracts::ALL {
        if matches!(
            *name,
            "darkpool" | "bridge" | "committee" | "wallet" | "verifier"
        ) {
            continue; // the same SDK code paths; keep the test quick
        }
        for _ in 0..100 {
            let mutant = mutate(code, &mut rng);
            let mut s = vm.session(SessionConfig::default()).unwrap();
            match s.deploy(&mutant, DeployOptions::default()) {
                Err(_) => refused += 1,
                Ok(d) => {
                    ran += 1;
                    for entry in ["increment", "noop", "spin", "get", "transfer"] {
                        // A fault (`Err`) on a mutant would be a VM bug: the mutant is the
                        // contract's problem, never the machine's.
                        let r = s
                            .call(d.id, entry, &[], 5_000_000)
                            .unwrap_or_else(|e| panic!("{name}: fault on a mutant: {e}"));
                        assert!(r.gas_spent <= 5_000_000);
                    }
                }
            }
        }
    }
    assert!(refused > 0 && ran > 0, "refused {refused}, ran {ran}");
}
