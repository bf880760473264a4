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
///
/// Uses the recursion on the inverse, I(k) = 1 + (k/a)·I(k−1) with
/// B = 1/I(c). Below k ≈ a each step multiplies the error of the starting
/// value by k/a < 1, so the recursion may start at k₀ = a − 10√a from the
/// fixed point 1/(1 − k₀/a): the starting error has shrunk by about e⁻⁵⁰
/// by k = a. Above a, I grows until it overflows, where B is 0 to double
/// precision. So the cost is O(√a) steps, not O(c): a sized reference can
/// have hundreds of thousands of servers.
pub fn erlang_b(c: u64, a: f64) -> f64 {
    if c == 0 {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    if a < REMEMBER_FROM {
        return erlang_b_steps(c, a);
    }
    // An evaluation asks again and again for the same large nodes (every
    // steady state in which their load did not change): remember recent
    // answers, which are exact, so remembering changes no number.
    let slot = (c.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ a.to_bits())
        .wrapping_mul(0xBF58_476D_1CE4_E5B9)
        >> (64 - REMEMBERED_BITS);
    REMEMBERED.with(|r| {
        let mut r = r.borrow_mut();
        if r.is_empty() {
            r.resize(1 << REMEMBERED_BITS, (0, 0, 0.0));
        }
        let entry = &mut r[slot as usize];
        if entry.0 == c && entry.1 == a.to_bits() {
            return entry.2;
        }
        let b = erlang_b_steps(c, a);
        *entry = (c, a.to_bits(), b);
        b
    })
}

/// Offered loads (Erlangs) from which [`erlang_b`] remembers its answers:
/// below, the 10√a steps cost less than looking them up.
const REMEMBER_FROM: f64 = 64.0;
/// The memory holds 2^this answers, one per slot.
const REMEMBERED_BITS: u32 = 10;

std::thread_local! {
    /// (c, a's bits, B) per slot; c = 0 marks an empty slot (never asked).
    static REMEMBERED: std::cell::RefCell<Vec<(u64, u64, f64)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// [`erlang_b`] by its recursion, for c > 0 and a > 0.
fn erlang_b_steps(c: u64, a: f64) -> f64 {
    let start = a - 10.0 * libm::sqrt(a);
    let k0 = if start > 1.0 {
        (libm::floor(start) as u64).min(c)
    } else {
        0
    };
    // Each step multiplies I by at least k/a, so ln I(c) ≥ Σ ln(k/a) over
    // k0 < k ≤ c ≥ ∫ ln(x/a) dx from k0 to c. When that bound is past the
    // overflow (ln 1e300 ≈ 690.8, with room for rounding), the loop below
    // would return 0 anyway: answer at once instead of after O(√a) steps.
    let antiderivative = |x: f64| {
        if x > 0.0 {
            x * libm::log(x / a) - x
        } else {
            0.0
        }
    };
    if antiderivative(c as f64) - antiderivative(k0 as f64) > 700.0 {
        return 0.0;
    }
    let mut inv = if k0 == 0 {
        1.0
    } else {
        1.0 / (1.0 - k0 as f64 / a)
    };
    for k in k0 + 1..=c {
        inv = 1.0 + (k as f64 / a) * inv;
        if inv > 1e300 {
            return 0.0;
        }
    }
    1.0 / inv
}

/// The textbook recursion over every server, for checking [`erlang_b`].
#[cfg(test)]
fn erlang_b_full(c: u64, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
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
/// stays finite; the wait then reflects a saturated node. A node busier than
/// this but not overloaded waits as a saturated one (the wait is monotone in
/// the load and in the capacity).
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
    // Capped at the saturated level below ρ = 1 too: the wait grows without
    // bound as ρ → 1, so a node just under capacity would otherwise wait
    // longer than one past it, and adding capacity could raise the wait.
    let admitted = lambda.min(SATURATED_RHO * capacity);
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
    fn fast_erlang_b_matches_the_full_recursion() {
        for &(c, a) in &[
            (1u64, 0.5),
            (50, 45.0),
            (200, 150.0),
            (1000, 900.0),
            (5000, 4000.0),
            (20_000, 19_500.0),
            (8, 100.0),
        ] {
            let (fast, full) = (erlang_b(c, a), erlang_b_full(c, a));
            assert!(
                (fast - full).abs() <= 1e-12 * full.max(1e-300) + 1e-300,
                "c={c} a={a}: {fast} vs {full}"
            );
        }
    }

    #[test]
    fn overload_sheds_the_excess() {
        let q = node_queue(2000.0, 1, 0.001, 1.0);
        assert!((q.utilisation - 2.0).abs() < 1e-12);
        assert!((q.dropped - 0.5).abs() < 1e-12);
        assert!(q.mean_wait_s.is_finite());
    }
}
