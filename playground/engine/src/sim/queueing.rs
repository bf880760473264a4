//! Queueing formulas for one node: M/M/c with Erlang C.
//!
//! A node with `servers` = replicas × concurrency parallel servers, each
//! completing requests at rate μ = 1 / mean service time, receives Poisson
//! arrivals at rate λ. With offered load a = λ/μ and utilisation ρ = a/c:
//!
//! * Erlang C, the probability that an arrival waits:
//!   C(c, a) = B / (1 − ρ(1 − B)), with Erlang B from the stable recursion
//!   B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
//! * Waiting time: P(Wq > t) = C · exp(−(cμ − λ)t), so E[Wq] = C / (cμ − λ).
//! * Response time T = Wq + S; for c = 1 it is exponential with rate μ − λ,
//!   so E[T] = 1/(μ − λ) and its p-quantile is −ln(1 − p)/(μ − λ).
//! * Service times that are not exponential (coefficient of variation cv ≠ 1)
//!   scale the wait by (1 + cv²)/2, the Allen–Cunneen approximation for M/G/c.
//!
//! Sources: Kleinrock, *Queueing Systems* vol. 1 (1975), ch. 3; Harchol-Balter,
//! *Performance Modeling and Design of Computer Systems* (2013), ch. 14;
//! Allen, *Probability, Statistics and Queueing Theory* (1990).

/// The steady state of one node, or its overload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueState {
    /// ρ = λ / (c μ); may exceed 1 (overload).
    pub utilisation: f64,
    /// Probability an arrival waits (Erlang C); 1 when overloaded.
    pub p_wait: f64,
    /// Rate of the exponential tail of the wait, c μ − λ (per second), for the
    /// traffic actually admitted.
    pub wait_rate: f64,
    /// Mean wait in the queue, seconds, for admitted traffic.
    pub mean_wait_s: f64,
    /// Fraction of offered traffic shed: 1 − 1/ρ when ρ ≥ 1, else 0.
    pub dropped: f64,
}

/// Erlang B blocking probability for `c` servers and offered load `a` Erlangs.
pub fn erlang_b(c: u64, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
        // Once B underflows to 0 it stays 0: stop early, so 10⁸ servers
        // (1,000 replicas of a high-concurrency type) cost nothing.
        if b == 0.0 {
            break;
        }
    }
    b
}

/// Erlang C: probability of waiting in M/M/c; 1 when ρ ≥ 1.
pub fn erlang_c(c: u64, a: f64) -> f64 {
    if c == 0 {
        return 1.0;
    }
    let rho = a / c as f64;
    if rho >= 1.0 {
        return 1.0;
    }
    let b = erlang_b(c, a);
    b / (1.0 - rho * (1.0 - b))
}

/// Utilisation at which an overloaded node is held: the admitted traffic runs
/// the servers at this level, the excess is shed. Just under 1 so the queue
/// stays finite; the wait then reflects a saturated node.
pub const SATURATED_RHO: f64 = 0.98;

/// The queue of a node with `servers` parallel servers of mean service time
/// `service_s` (coefficient of variation `cv`) offered `lambda` requests/s.
pub fn node_queue(lambda: f64, servers: u64, service_s: f64, cv: f64) -> QueueState {
    if lambda <= 0.0 || service_s <= 0.0 {
        return QueueState {
            utilisation: 0.0,
            p_wait: 0.0,
            wait_rate: f64::INFINITY,
            mean_wait_s: 0.0,
            dropped: 0.0,
        };
    }
    if servers == 0 {
        return QueueState {
            utilisation: f64::INFINITY,
            p_wait: 1.0,
            wait_rate: 0.0,
            mean_wait_s: 0.0,
            dropped: 1.0,
        };
    }
    let mu = 1.0 / service_s;
    let capacity = servers as f64 * mu;
    let rho = lambda / capacity;
    let dropped = if rho >= 1.0 { 1.0 - 1.0 / rho } else { 0.0 };
    let admitted = if rho >= 1.0 {
        SATURATED_RHO * capacity
    } else {
        lambda
    };
    let a = admitted / mu;
    let c = erlang_c(servers, a);
    let wait_rate = capacity - admitted;
    let variability = (1.0 + cv * cv) / 2.0;
    QueueState {
        utilisation: rho,
        p_wait: c,
        wait_rate: wait_rate / variability,
        mean_wait_s: c / wait_rate * variability,
        dropped,
    }
}

/// Mean response time of M/M/1: 1/(μ − λ).
pub fn mm1_mean_response(lambda: f64, mu: f64) -> f64 {
    1.0 / (mu - lambda)
}

/// p-quantile of the M/M/1 response time: −ln(1 − p)/(μ − λ).
pub fn mm1_response_quantile(lambda: f64, mu: f64, p: f64) -> f64 {
    -libm::log(1.0 - p) / (mu - lambda)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_known_values() {
        // c = 1: C = ρ.
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
        // c = 2, a = 1: C = 1/3 (textbook value).
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // Overload: everyone waits.
        assert_eq!(erlang_c(4, 5.0), 1.0);
        // Large c stays finite and in range.
        let c = erlang_c(1000, 950.0);
        assert!(c > 0.0 && c < 1.0);
    }

    #[test]
    fn overload_sheds_the_excess() {
        let q = node_queue(2000.0, 1, 0.001, 1.0);
        assert!((q.utilisation - 2.0).abs() < 1e-12);
        assert!((q.dropped - 0.5).abs() < 1e-12);
        assert!(q.mean_wait_s.is_finite());
    }
}
