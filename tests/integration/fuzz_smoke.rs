//! A short, bounded, deterministic fuzz run in the regular suite, so what the
//! fuzz targets in `fuzz/` found cannot come back: mutated plans through the
//! loader, and mutated `.tf` files through the source mapper.

use std::path::Path;

/// A small deterministic generator (xorshift64*), so every run tests the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-1e999",
    b"\\u0000",
    b"\xff",
    b"\xc3",
    b"\"(sensitive)\"",
    b"\"after_unknown\":true",
    b"${",
    b"\n",
    b"#",
    b"=",
    b"<<EOT\n",
];

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(5) {
            0 => data.truncate(at),
            1 if at < data.len() => data[at] = rng.next() as u8,
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 if at < data.len() => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            _ => {
                let from = rng.below(data.len());
                let end = (from + rng.below(128)).min(data.len());
                let chunk = data[from..end].to_vec();
                data.splice(at..at, chunk);
            }
        }
    }
    data
}

fn seeds(paths: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    paths
        .iter()
        .map(|p| std::fs::read(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
        .collect()
}

#[test]
fn mutated_plans_never_panic_the_loader() {
    let seeds = seeds(&[
        "testdata/example/plan.json",
        "examples/monorepo/services/payments/plan.json",
    ]);
    let mut rng = Rng(0x5eed_0001);
    for i in 0..1500 {
        let seed = &seeds[i % seeds.len()];
        tfwarden::fuzzing::plan_bytes(&mutate(seed, &mut rng));
    }
}

#[test]
fn mutated_tf_files_never_panic_the_source_mapper() {
    let seeds = seeds(&[
        "testdata/example/main.tf",
        "examples/monorepo/platform/network/main.tf",
    ]);
    let mut rng = Rng(0x5eed_0002);
    for i in 0..300 {
        let seed = &seeds[i % seeds.len()];
        tfwarden::fuzzing::tf_source(&mutate(seed, &mut rng));
    }
}
