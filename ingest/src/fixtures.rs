//! Test fixtures: the real public documents in `shared/`, read in place (never copied here).

use std::path::Path;

/// A file below the `shared/` folder beside the checkout, or `None` (with the reason printed)
/// when that folder is absent.
pub(crate) fn shared(path: &str) -> Option<Vec<u8>> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(path);
    match std::fs::read(&full) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!("skipping: {} is not available ({error})", full.display());
            None
        }
    }
}

/// The real Leipzig Vorlage page exported as text (`shared/seeds/000_063f18eb785f93d6.txt`).
pub(crate) fn seed() -> Option<Vec<u8>> {
    shared("seeds/000_063f18eb785f93d6.txt")
}

/// A xorshift64 generator for the seeded mutation tests: reproducible from its seed, no crate.
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `bound` (0 is treated as 1).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}
