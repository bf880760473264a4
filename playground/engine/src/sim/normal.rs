//! The standard normal distribution's quantile function Φ⁻¹, for sampling a
//! normal deviate from a stratified uniform (see `latency.rs`): Box–Muller
//! maps two uniforms to a normal, so stratifying one of them does not
//! stratify the result; the quantile function does.
//!
//! Acklam's rational approximation: relative error below 1.2·10⁻⁹ over the
//! whole range, far below anything sampling can resolve, so the refinement
//! step Acklam offers (a Halley step on Φ, an erfc and an exp: it tripled
//! the cost) is left out. Only `libm` functions, so the numbers are the
//! same natively and in WebAssembly.
//!
//! Source: P. J. Acklam, "An algorithm for computing the inverse normal
//! cumulative distribution function" (2003, web.archive.org copy of
//! home.online.no/~pjacklam/notes/invnorm).

const A: [f64; 6] = [
    -3.969_683_028_665_376e1,
    2.209_460_984_245_205e2,
    -2.759_285_104_469_687e2,
    1.383_577_518_672_69e2,
    -3.066_479_806_614_716e1,
    2.506_628_277_459_239,
];
const B: [f64; 5] = [
    -5.447_609_879_822_406e1,
    1.615_858_368_580_409e2,
    -1.556_989_798_598_866e2,
    6.680_131_188_771_972e1,
    -1.328_068_155_288_572e1,
];
const C: [f64; 6] = [
    -7.784_894_002_430_293e-3,
    -3.223_964_580_411_365e-1,
    -2.400_758_277_161_838,
    -2.549_732_539_343_734,
    4.374_664_141_464_968,
    2.938_163_982_698_783,
];
const D: [f64; 4] = [
    7.784_695_709_041_462e-3,
    3.224_671_290_700_398e-1,
    2.445_134_137_142_996,
    3.754_408_661_907_416,
];

/// Φ⁻¹(p) for 0 < p < 1 (±∞ at the ends).
pub(super) fn quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const LOW: f64 = 0.024_25;
    if p < LOW {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = libm::sqrt(-2.0 * libm::log(1.0 - p));
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cdf(x: f64) -> f64 {
        0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
    }

    /// Φ⁻¹ by bisection on Φ (erfc): slow and as exact as Φ.
    fn by_bisection(p: f64) -> f64 {
        let (mut lo, mut hi) = (-40.0f64, 40.0f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if cdf(mid) < p { lo = mid } else { hi = mid }
        }
        0.5 * (lo + hi)
    }

    #[test]
    fn inverts_the_normal_cdf_to_acklams_precision() {
        for &p in &[
            1e-12, 1e-6, 0.001, 0.02, 0.024_25, 0.1, 0.3, 0.9, 0.975, 0.999, 0.999_999,
        ] {
            let (x, want) = (quantile(p), by_bisection(p));
            assert!((x / want - 1.0).abs() < 1.2e-9, "{p}: {x} vs {want}");
        }
        assert_eq!(quantile(0.5), 0.0);
        assert!((quantile(0.975) / 1.959_963_984_540_054 - 1.0).abs() < 1.2e-9);
        assert!((quantile(0.05) / -1.644_853_626_951_472_2 - 1.0).abs() < 1.2e-9);
    }
}
