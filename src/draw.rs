//! Deterministic random draws for the synthetic demo data sets (the evaluator's survey responses,
//! the programme view's activity logs): a seeded PCG, so a demo set is the same on every device,
//! in every test and in every release that keeps its seed.

use crate::survey::ResponseId;
use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A stream of draws from one seed.
pub struct Draw(Pcg64Mcg);

impl Draw {
    /// The stream of `seed`.
    pub fn seeded(seed: u64) -> Draw {
        Draw(Pcg64Mcg::seed_from_u64(seed))
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (Lemire's multiply-shift on 32 bits: unbiased enough for demo data).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.0.next_u64() >> 32) * n as u64 >> 32) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Normal by Box–Muller.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A whole number on `min..=max`, normal around `mean`.
    pub fn rating(&mut self, mean: f64, sd: f64, min: u8, max: u8) -> u8 {
        self.normal(mean, sd).round().clamp(min as f64, max as f64) as u8
    }

    /// A random id (survey responses and activities use the same kind).
    pub fn id(&mut self) -> ResponseId {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.0.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.0.next_u64().to_le_bytes());
        ResponseId::from_random(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_draws_and_each_stays_in_its_range() {
        let (mut a, mut b) = (Draw::seeded(7), Draw::seeded(7));
        for _ in 0..1000 {
            let u = a.unit();
            assert_eq!(u, b.unit());
            assert!((0.0..1.0).contains(&u));
            assert!(a.below(6) < 6 && b.below(6) < 6);
            let r = a.rating(5.0, 3.0, 1, 10);
            assert!((1..=10).contains(&r));
            b.rating(5.0, 3.0, 1, 10);
        }
        assert_eq!(a.id(), b.id());
        assert_ne!(Draw::seeded(8).unit(), Draw::seeded(7).unit());
    }
}
