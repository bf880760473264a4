//! A scenario's error rate as a function of time since the failure, kept
//! exactly (not sampled): the availability over a year asks how many
//! requests an outage of a given length fails, for outages both shorter and
//! much longer than the chart.
//!
//! Between two events (a detection, a DNS expiry, a failover, a capacity
//! step landing) every class's error share is constant or falls linearly
//! (the TTL decay) and the shed fraction is constant, so the error rate is
//! a straight line on each segment and the trapezoid rule integrates it
//! exactly.

use crate::within::Within;
use serde::Serialize;

/// The error rate from the failure until the scenario settles, then a
/// constant rate for as long as the failure lasts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ErrorProfile {
    /// Straight segments covering [0, settle], in time order.
    pub segments: Vec<Segment>,
    /// The error rate once everything has settled (until restored).
    pub after: f64,
}

/// The error rate goes linearly from `e0` at `t0` to `e1` at `t1` (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Segment {
    pub t0: f64,
    pub t1: f64,
    pub e0: f64,
    pub e1: f64,
}

impl ErrorProfile {
    /// `error(t)` sampled just inside each interval between consecutive
    /// `breaks` (the times the function may change slope or jump), over
    /// [0, settle].
    pub(super) fn build(
        breaks: &[f64],
        settle: f64,
        after: f64,
        error: impl Fn(f64) -> f64,
    ) -> Self {
        let mut ts: Vec<f64> = breaks
            .iter()
            .copied()
            .filter(|t| t.is_finite() && *t > 0.0 && *t < settle)
            .collect();
        ts.push(0.0);
        if settle.is_finite() && settle > 0.0 {
            ts.push(settle);
        }
        crate::sort::sort_by(&mut ts, f64::total_cmp);
        ts.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        let segments = ts
            .windows(2)
            .map(|w| {
                let (t0, t1) = (w[0], w[1]);
                // Just inside: the value after a jump at t0, before one at t1.
                let eps = 1e-7 * (t1 - t0);
                Segment {
                    t0,
                    t1,
                    e0: error(t0 + eps),
                    e1: error(t1 - eps),
                }
            })
            .collect();
        ErrorProfile { segments, after }
    }

    /// Error-seconds over the first `d` seconds of an outage: ∫₀ᵈ e(t) dt.
    pub fn error_seconds(&self, d: f64) -> f64 {
        if d.is_nan() || d <= 0.0 {
            return 0.0;
        }
        let mut sum = 0.0;
        let mut end = 0.0;
        for s in &self.segments {
            if d <= s.t0 {
                return sum;
            }
            let t1 = s.t1.min(d);
            let e1 = if s.t1 > s.t0 {
                s.e0 + (s.e1 - s.e0) * (t1 - s.t0) / (s.t1 - s.t0)
            } else {
                s.e1
            };
            sum += 0.5 * (s.e0 + e1) * (t1 - s.t0);
            end = t1;
        }
        if d > end {
            if d.is_infinite() {
                return if self.after > 0.0 { f64::INFINITY } else { sum };
            }
            sum += self.after * (d - end);
        }
        sum
    }

    /// Mean error rate over an outage lasting `d` seconds (the settled rate
    /// for an outage that never ends).
    pub fn mean_error(&self, d: f64) -> f64 {
        if d.is_infinite() {
            return self.after;
        }
        if d.is_nan() || d <= 0.0 {
            return self.segments.first().map_or(self.after, |s| s.e0);
        }
        (self.error_seconds(d) / d).within(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_and_a_ramp_integrate_exactly() {
        // 50 % failing for 60 s, then falling linearly to 0 over 60 s, then 10 %.
        let e = |t: f64| {
            if t < 60.0 {
                0.5
            } else if t < 120.0 {
                0.5 * (1.0 - (t - 60.0) / 60.0)
            } else {
                0.1
            }
        };
        let p = ErrorProfile::build(&[60.0, 120.0], 120.0, 0.1, e);
        assert!((p.error_seconds(60.0) - 30.0).abs() < 1e-6);
        assert!((p.error_seconds(120.0) - 45.0).abs() < 1e-6);
        assert!((p.error_seconds(90.0) - (30.0 + 0.5 * (0.5 + 0.25) * 30.0)).abs() < 1e-6);
        assert!((p.error_seconds(1120.0) - 145.0).abs() < 1e-6);
        assert!((p.mean_error(1120.0) - 145.0 / 1120.0).abs() < 1e-9);
        assert_eq!(p.mean_error(f64::INFINITY), 0.1);
    }
}
