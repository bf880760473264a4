//! Availability algebra: independent blocks in series multiply their
//! availabilities; redundant blocks in parallel fail only together.
//!
//! * series: A = Π Aᵢ
//! * parallel: A = 1 − Π (1 − Aᵢ); k identical replicas: 1 − (1 − a)ᵏ
//! * nines: −log₁₀(1 − A); downtime per year: (1 − A) × 365.25 days

pub const SECONDS_PER_YEAR: f64 = 365.25 * 24.0 * 3600.0;

pub fn series(blocks: &[f64]) -> f64 {
    blocks.iter().product()
}

pub fn parallel(blocks: &[f64]) -> f64 {
    1.0 - blocks.iter().map(|a| 1.0 - a).product::<f64>()
}

/// `k` identical replicas of availability `a`, any one of which suffices.
pub fn replicated(a: f64, k: u32) -> f64 {
    1.0 - libm::pow(1.0 - a, f64::from(k))
}

/// Number of nines, e.g. 0.999 → 3. Infinite for A = 1.
pub fn nines(a: f64) -> f64 {
    if a >= 1.0 {
        f64::INFINITY
    } else {
        -libm::log10(1.0 - a)
    }
}

pub fn downtime_per_year_s(a: f64) -> f64 {
    (1.0 - a).max(0.0) * SECONDS_PER_YEAR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_formulas() {
        assert_eq!(series(&[0.99, 0.999]), 0.99 * 0.999);
        assert_eq!(parallel(&[0.99, 0.9]), 1.0 - 0.01 * 0.1);
        assert!((replicated(0.99, 3) - (1.0 - 0.01f64.powi(3))).abs() < 1e-15);
        assert!((nines(0.999) - 3.0).abs() < 1e-9);
        assert!((downtime_per_year_s(0.999) - 31_557.6).abs() < 1e-6);
    }
}
