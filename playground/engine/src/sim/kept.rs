//! What one visit adds to a request's latency when the Monte Carlo keeps it
//! as a distribution rather than a draw (conditional Monte Carlo, see
//! `tail.rs`): a wait alone, or an exponential service with its wait, each a
//! sum of exponential terms with a closed-form mean and variance.

/// What keeping a node's visit as a distribution adds: P(X > t) is the sum
/// of `coef · e^(−rate·t)` over the [`Kept::terms`] (rates per millisecond).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Kept {
    /// At most two terms (a wait, a service): inline, since every steady
    /// state builds one per node.
    terms: [(f64, f64); Kept::MAX_TERMS],
    len: usize,
    /// Whether X includes the visit's service and its wait (a wait too
    /// unlikely to matter stays in the sample).
    pub(super) service: bool,
    pub(super) wait: bool,
    /// Var X, to choose the visit whose randomness matters most.
    pub(super) variance: f64,
}

impl Kept {
    /// The most terms a kept distribution has (a wait and a service).
    pub(super) const MAX_TERMS: usize = 2;

    /// The wait (probability `p`, rate `r` per ms) plus, when it is
    /// exponential with mean `service_ms`, the service; None when that adds
    /// nothing random.
    pub(super) fn of(p: f64, r: f64, exponential_service_ms: Option<f64>) -> Option<Kept> {
        // A wait this unlikely moves F by at most its probability: it
        // stays sampled, and its node's terms stay few.
        let waits = p >= 1e-6 && r > 0.0 && r.is_finite();
        let wait_var = if waits { wait_variance(p, r) } else { 0.0 };
        match exponential_service_ms {
            Some(s) if s > 0.0 => {
                let mu = 1.0 / s;
                if !waits {
                    return Some(Kept {
                        terms: [(1.0, mu), (0.0, 0.0)],
                        len: 1,
                        service: true,
                        wait: false,
                        variance: s * s,
                    });
                }
                // Equal rates make the convolution an Erlang (t·e^(−rt)),
                // not a sum of exponentials: keep the wait alone then.
                if (mu - r).abs() > 1e-9 * mu {
                    let b = p * mu / (mu - r);
                    return Some(Kept {
                        terms: [(1.0 - p - p * r / (mu - r), mu), (b, r)],
                        len: 2,
                        service: true,
                        wait: true,
                        variance: s * s + wait_var,
                    });
                }
            }
            _ => {}
        }
        waits.then_some(Kept {
            terms: [(p, r), (0.0, 0.0)],
            len: 1,
            service: false,
            wait: true,
            variance: wait_var,
        })
    }

    /// (coef, rate per ms) of each exponential term of P(X > t).
    pub(super) fn terms(&self) -> &[(f64, f64)] {
        &self.terms[..self.len]
    }

    /// E[min(y + X, timeout)].
    pub(super) fn mean(&self, y: f64, timeout: f64) -> f64 {
        if y >= timeout {
            return timeout;
        }
        let room = timeout - y;
        // ∫₀^room P(X > t) dt, term by term: c (1 − e^(−ρ·room)) / ρ.
        y + self
            .terms()
            .iter()
            .map(|&(c, rate)| {
                let z = rate * room;
                let part = if z > 40.0 { 1.0 } else { -libm::expm1(-z) };
                c * part / rate
            })
            .sum::<f64>()
    }
}

/// Var W of a wait that is 0 with probability 1 − `p`, else exponential
/// with rate `r`: E[W²] − E[W]² = 2p/r² − p²/r²; 0 when it never waits.
pub(super) fn wait_variance(p: f64, r: f64) -> f64 {
    if p > 0.0 && r > 0.0 && r.is_finite() {
        p * (2.0 - p) / (r * r)
    } else {
        0.0
    }
}
