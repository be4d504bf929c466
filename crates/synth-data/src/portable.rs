//! Bit-reproducible randomness and math, so that a seed gives the same bytes on every machine.
//!
//! `f64::ln`/`f64::exp` call the platform's libm, whose last-bit results differ between
//! systems, and `rand`'s distributions may change their algorithms between versions. Both
//! would make the generated CSV drift across machines or upgrades. This module therefore
//! draws only raw `u64`s from [`ChaCha8Rng`] (a fixed, documented stream) and builds every
//! derived quantity from IEEE-754 basic operations (`+ - * /`, `sqrt`, `round`), which are
//! correctly rounded everywhere. [`ln`] and [`exp`] are series implementations accurate to
//! a few ulps, which is plenty for a data generator.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// fdlibm's split of ln 2: `LN2_HI` has 32 trailing zero bits so `k * LN2_HI` is exact.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LN2: f64 = std::f64::consts::LN_2;

/// Natural logarithm of a positive, finite, normal `x`, bit-identical on every platform.
///
/// Returns `NaN` for `x <= 0`, subnormals, infinities and NaN (not needed by the generator).
pub fn ln(x: f64) -> f64 {
    if !(x.is_normal() && x > 0.0) {
        return f64::NAN;
    }
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    // ln(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), |s| <= 0.172.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut series = 0.0;
    for k in (0..14).rev() {
        series = series * s2 + 1.0 / (2 * k + 1) as f64;
    }
    let e = exponent as f64;
    e * LN2_HI + (2.0 * s * series + e * LN2_LO)
}

/// `e^x`, bit-identical on every platform; saturates to `0` / `inf` outside `[-708, 709]`.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -708.0 {
        return 0.0;
    }
    let k = (x / LN2).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series of e^r, |r| <= 0.35: 20 terms is far below one ulp.
    let mut sum = 1.0;
    for n in (1..=20).rev() {
        sum = 1.0 + sum * r / n as f64;
    }
    let scale = f64::from_bits(((k as i64 + 1023) as u64) << 52);
    sum * scale
}

/// Portable sampling primitives on top of one [`ChaCha8Rng`] stream.
pub(crate) struct Sampler {
    rng: ChaCha8Rng,
}

impl Sampler {
    /// `ChaCha8Rng::seed_from_u64(seed)` on ChaCha stream `stream` (0 for houses).
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self { rng }
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in `lo..=hi` (Lemire's multiply-shift; bias < 2^-32 for our ranges).
    pub(crate) fn int(&mut self, lo: u32, hi: u32) -> u32 {
        debug_assert!(lo <= hi);
        let span = u64::from(hi - lo) + 1;
        lo + ((u128::from(self.rng.next_u64()) * u128::from(span)) >> 64) as u32
    }

    /// Uniform real in `[lo, hi)`.
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal draw (Marsaglia's polar method with the portable [`ln`]).
    pub(crate) fn std_normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Normal draw with the given mean and standard deviation.
    pub(crate) fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.std_normal()
    }

    /// Log-normal draw with the given median and log-scale standard deviation.
    pub(crate) fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.std_normal())
    }

    /// Weighted choice from `(value, weight)` pairs; weights are relative counts.
    pub(crate) fn pick<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        self.pick_by(table, |&(_, w)| w).0
    }

    /// Weighted choice of an item, with the weight read by `weight`.
    pub(crate) fn pick_by<'a, T>(&mut self, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
        let total: u32 = items.iter().map(&weight).sum();
        let mut r = self.int(0, total - 1);
        for item in items {
            let w = weight(item);
            if r < w {
                return item;
            }
            r -= w;
        }
        unreachable!("weighted pick past the end of a non-empty table")
    }
}

/// Rounds a non-negative real to the nearest `u32`, saturating at the bounds.
pub(crate) fn round_u32(x: f64) -> u32 {
    x.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_and_exp_match_std_closely() {
        for &x in &[
            1e-300, 1e-9, 0.01, 0.5, 1.0, 1.5, 2.0, 334.0, 5642.0, 1e12, 1e300,
        ] {
            let rel = (ln(x) - x.ln()).abs() / x.ln().abs().max(1.0);
            assert!(rel < 1e-15, "ln({x}) = {} vs {}", ln(x), x.ln());
        }
        for &x in &[-700.0, -20.0, -1.0, -1e-3, 0.0, 0.3, 1.0, 10.4, 13.5, 700.0] {
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-14, "exp({x}) = {} vs {}", exp(x), x.exp());
        }
        assert!(ln(0.0).is_nan() && ln(-1.0).is_nan());
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
    }

    #[test]
    fn sampler_is_seeded_and_roughly_calibrated() {
        let mut a = Sampler::new(7, 0);
        let mut b = Sampler::new(7, 0);
        let mut c = Sampler::new(7, 1);
        let xs: Vec<f64> = (0..20_000).map(|_| a.std_normal()).collect();
        let ys: Vec<f64> = (0..20_000).map(|_| b.std_normal()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs[0], c.std_normal());
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
        let picks = (0..10_000)
            .filter(|_| a.pick(&[("a", 1), ("b", 3)]) == "b")
            .count();
        assert!((7200..7800).contains(&picks), "{picks}");
        assert!((0..1000).all(|_| (3..=5).contains(&a.int(3, 5))));
    }
}
