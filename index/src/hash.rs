//! A small, fast hasher for keys of our own making (words of the text, facet ordinals), where
//! hash flooding is no concern: FxHash's multiply-rotate, eight bytes at a time.

use std::hash::Hasher;

/// See the module documentation.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    /// One step of the hash: the same as writing the value's eight little-endian bytes.
    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}
