//! Instances failing inside a group: the failure mode between "everything
//! up" and "the whole component lost" (see the simulator chapter,
//! "Availability").
//!
//! Each of a component's k instances is down a fraction q = 1 − a of the
//! time (its type's availability a), independently, so the number down D
//! follows Binomial(k, q). With d down the group serves with k − d, and at
//! normal load utilisation u it sheds once u·k/(k − d) > 1, that is from
//! d_min = ⌊k(1 − u)⌋ + 1 instances down. The mode "d_min or more of k
//! down, not all" takes the fraction P(d_min ≤ D < k) of the year (all k
//! down is the component-loss scenario), and fails on average
//!
//! ē = Σ_d P(D = d) · e(d) / P(d_min ≤ D < k)
//!
//! of requests, e(d) the error rate of the steady state with k − d
//! instances (failed instances are replaced, not autoscaled around, so the
//! group does not scale for them). A group with spare capacity (N+1, or
//! more) has d_min > 1 and its mode is rarely, often never, entered; a
//! group of two at 60 % sheds whenever one of them is down.
//!
//! The states from d_min to d_min + [`MAX_STATES`] − 1 are evaluated one by
//! one; the (far smaller) probability of more down is counted at the last
//! one's error. Modes with P below [`NEGLIGIBLE`] are left out.

use super::{Failures, LoadResult, SimInput, settled_state};
use crate::within::Within;

/// Instance-count states evaluated per component at most.
pub const MAX_STATES: u32 = 8;

/// A mode taking less of the year than this is left out (3 × 10⁻⁵ s).
pub const NEGLIGIBLE: f64 = 1e-12;

/// One component's instance-failure mode.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceMode {
    pub component: String,
    /// Instances it runs at normal load (autoscaling settled).
    pub instances: u32,
    /// Fewest instances down that make it shed.
    pub shed_from: u32,
    /// Fraction of the year with at least `shed_from` (not all) down.
    pub probability: f64,
    /// Mean error rate while in the mode.
    pub mean_error: f64,
}

/// ln C(k, d) q^d a^(k−d): the binomial probability of exactly d down.
fn ln_pmf(k: u32, d: u32, q: f64) -> f64 {
    let (k, d) = (f64::from(k), f64::from(d));
    libm::lgamma(k + 1.0) - libm::lgamma(d + 1.0) - libm::lgamma(k - d + 1.0)
        + d * libm::log(q)
        + (k - d) * libm::log1p(-q)
}

/// The instance-failure modes of the design at its normal state `normal`.
pub(crate) fn modes(input: &SimInput, normal: &LoadResult) -> Vec<InstanceMode> {
    let mut out = Vec::new();
    // Error rates are exact expectations over the path trees: the latency
    // sampling is not needed for them (no requests sampled).
    for n in &normal.nodes {
        let Some(c) = input
            .topology
            .components
            .iter()
            .find(|c| *c.name == *n.name)
        else {
            continue;
        };
        let Some(id) = input.catalog.resolve(&c.component_type) else {
            continue;
        };
        if id == "client" {
            continue;
        }
        let a = input.catalog.types[id].sim.availability;
        let k = n.replicas;
        let u = n.utilisation;
        if !(a.is_finite() && a > 0.0 && a < 1.0) || k < 2 || !(u.is_finite() && u > 0.0) {
            continue;
        }
        let q = 1.0 - a;
        let first = libm::floor(f64::from(k) * (1.0 - u)) + 1.0;
        if first >= f64::from(k) {
            continue; // only losing every instance sheds: the component mode
        }
        let first = first.max(1.0) as u32;
        // Past the binomial's mode the terms only shrink: stop once they
        // no longer count.
        let mean = f64::from(k) * q;
        let mut probs = Vec::new();
        for d in first..k {
            let x = libm::exp(ln_pmf(k, d, q));
            if f64::from(d) > mean && x < NEGLIGIBLE * 1e-6 {
                break;
            }
            probs.push(x);
        }
        let p: f64 = probs.iter().sum();
        if !(p.is_finite() && p >= NEGLIGIBLE) {
            continue;
        }
        let mut weighted = 0.0;
        let mut last_error = 0.0;
        for (i, d) in (first..k).take(probs.len()).enumerate() {
            if i < MAX_STATES as usize {
                let mut t = input.topology.clone();
                if let Some(x) = t.components.iter_mut().find(|x| *x.name == *n.name) {
                    x.replicas = k - d;
                    x.autoscale = None;
                }
                let with = SimInput {
                    topology: &t,
                    ..*input
                };
                last_error = settled_state(&with, 1.0, &Failures::default(), 0)
                    .0
                    .error_rate
                    .within(0.0, 1.0);
            }
            weighted += probs[i] * last_error;
        }
        out.push(InstanceMode {
            component: n.name.to_string(),
            instances: k,
            shed_from: first,
            probability: p,
            mean_error: weighted / p,
        });
    }
    out
}
