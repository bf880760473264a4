//! `x.within(lo, hi)`: `f64::clamp` without its panic. The standard clamp
//! asserts `lo <= hi` with a message that prints both bounds through
//! `f64`'s `Debug`, which alone keeps the standard float formatting (about
//! 20 KB) in the playground's wasm; every other figure is written by
//! [`crate::decimal`]. Same result as `clamp` whenever `clamp` returns;
//! bounds out of order (or NaN) fail a debug assertion, in release builds
//! pass through.

pub trait Within {
    /// `lo` below it, `hi` above it, else itself (NaN stays NaN).
    fn within(self, lo: f64, hi: f64) -> f64;
}

impl Within for f64 {
    #[inline]
    fn within(self, lo: f64, hi: f64) -> f64 {
        // clamp's precondition, checked in tests and dev builds only; its
        // message names no float, so it formats none.
        debug_assert!(lo <= hi);
        // The order of std's `f64::clamp`, so results agree bit for bit.
        let mut x = self;
        if x < lo {
            x = lo;
        }
        if x > hi {
            x = hi;
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_clamp(bits in any::<u64>(), a in any::<u64>(), b in any::<u64>()) {
            let (x, a, b) = (f64::from_bits(bits), f64::from_bits(a), f64::from_bits(b));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            if !lo.is_nan() && !hi.is_nan() {
                prop_assert_eq!(x.within(lo, hi).to_bits(), x.clamp(lo, hi).to_bits());
            }
        }
    }

    #[test]
    fn edges() {
        for x in [
            f64::NAN,
            -0.0,
            0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(
                x.within(0.0, 1.0).to_bits(),
                x.clamp(0.0, 1.0).to_bits(),
                "{x}"
            );
            assert_eq!(
                x.within(-0.0, 0.0).to_bits(),
                x.clamp(-0.0, 0.0).to_bits(),
                "{x}"
            );
        }
    }
}
