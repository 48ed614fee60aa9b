//! A fast hasher for the evaluation's tables keyed by short texts (question ids, PCN and ICB
//! names): FxHash, as in rustc. The standard SipHash guards a server's tables against keys chosen
//! to collide; here the keys come from the survey and the files the evaluator chose to import, on
//! their own device, so a collision could only slow their own page, and hashing with SipHash was
//! a large part of the anonymised export's and the analysis's time.

/// FxHash: one multiply and rotate per eight bytes.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// `HashMap<K, V, Fast>`: a table hashed with [`FastHasher`].
pub type Fast = std::hash::BuildHasherDefault<FastHasher>;
