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
