//! Percentiles and mean of the Monte Carlo's latency by conditional Monte
//! Carlo: each sampled request keeps one visit's wait (and its service,
//! when that is exponential) as a distribution instead of a draw.
//!
//! A request's latency is y + X, capped at the timeout, where y is
//! everything sampled (round trips, the other services and waits) and X is
//! what one visit to node m adds, whose tail is a sum of exponentials:
//!
//! * a wait alone (0 with probability 1 − p, else exponential with rate r,
//!   Erlang C, see `queueing.rs`): P(X > t) = p·e^(−rt);
//! * an exponential service of rate μ plus that wait (their convolution):
//!   P(X > t) = a·e^(−μt) + b·e^(−rt), a = 1 − p − pr/(μ − r),
//!   b = pμ/(μ − r).
//!
//! Given y, the latency's CDF is then exact, and the estimate of the CDF is
//! its mean over the samples:
//!
//! F(x) = (1/n) Σᵢ [yᵢ ≤ x] (1 − Σ_terms c·e^(−ρ(x − yᵢ))), and 1 from the
//! timeout on.
//!
//! A percentile is where F crosses the level (F is monotone: a bracket,
//! then regula falsi, see [`Tail::quantile`]).
//! Requests that kept the same node share its terms, so for each term the
//! sum over them is e^(−ρ(x − y_k))·A(k) with A(k) = Σ_{j ≤ k} e^(−ρ(y_k − y_j))
//! over the node's requests sorted by y, A(k) = 1 + e^(−ρ(y_k − y_{k−1}))·A(k−1):
//! one exponential per request to build, then one per node to evaluate F
//! anywhere, all exponents ≤ 0 (no overflow).
//!
//! The estimator is unbiased like plain sampling and its variance is never
//! larger (it is the plain estimator's conditional expectation: the
//! Rao–Blackwell theorem); where one queue dominates the tail it is much
//! smaller, and for a single M/M/c node it is the closed form itself.
//! Source: Ross, *Simulation* (5th ed., 2013), §9.4 "Variance reduction by
//! conditioning"; Asmussen & Glynn, *Stochastic Simulation* (2007), V.4.

use super::Percentiles;
pub(super) use super::kept::{Kept, wait_variance};

/// One sampled request: latency `y` plus, when `kept` names a node, that
/// node's [`Kept`] distribution. A failed request is `y` = the timeout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Cond {
    pub(super) y: f64,
    pub(super) kept: Option<u32>,
}

/// The requests of one set that kept one node's distribution: their y's
/// are `Tail::group_ys[start..start + len]`, ascending, and term t's A(k)
/// at each of them `Tail::acc[acc + t·len..][..len]`.
struct Group<'a> {
    kept: &'a Kept,
    start: usize,
    len: usize,
    acc: usize,
}

/// The estimated latency distribution of a set of requests.
pub(super) struct Tail<'a> {
    /// Every request's y, capped at the timeout, ascending.
    ys: Vec<f64>,
    groups: Vec<Group<'a>>,
    /// The groups' y's and sums, flat (one allocation each per set rather
    /// than several per node and set: a steady state builds dozens of sets).
    group_ys: Vec<f64>,
    acc: Vec<f64>,
    timeout: f64,
}

/// The tails of several sets of the same requests at once (all of them,
/// same-region ones, each origin's...): `sorted` ascending by y, and
/// `member[i]` the bit set of the sets request i belongs to (at most 64).
/// Each set's sums need e^(−ρ(y_k − y_j)) between its consecutive members:
/// the product of the factors between consecutive requests of the node,
/// which are computed once for every set (one exponential per request and
/// term, not one per set).
pub(super) fn tails<'a>(
    sorted: &[Cond],
    member: &[u64],
    sets: usize,
    kept: &'a [Option<Kept>],
    timeout: f64,
) -> Vec<Tail<'a>> {
    // Indexing below goes through slices, not vectors: a slice's index is
    // built into the language, a vector's is a call the size-optimised
    // playground does not inline (see `latency.rs`).
    let mut sizes = vec![0usize; sets];
    let sizes = &mut sizes[..];
    for &bits in member {
        for_each_bit(bits, |s| sizes[s] += 1);
    }
    let mut out: Vec<Tail<'a>> = sizes
        .iter()
        .map(|&n| Tail {
            ys: Vec::with_capacity(n),
            groups: Vec::new(),
            // At most every request, and a sum per request and term: sized
            // once rather than grown push by push.
            group_ys: Vec::with_capacity(n),
            acc: Vec::with_capacity(n * Kept::MAX_TERMS),
            timeout,
        })
        .collect();
    let outs = &mut out[..];
    // Requests per kept node, in y order: (the node's rank by its first
    // request, request) sorted stably by rank, so each node's requests stay
    // in y order and the nodes in the order F sums them.
    let mut rank: Vec<u32> = vec![u32::MAX; kept.len()];
    let rank = &mut rank[..];
    let mut ranked = 0;
    let mut by_node: Vec<(u32, u32)> = Vec::new();
    for (i, c) in sorted.iter().enumerate() {
        let y = c.y.min(timeout);
        for_each_bit(member[i], |s| outs[s].ys.push(y));
        let Some(m) = c.kept else {
            continue;
        };
        if y >= timeout || kept[m as usize].is_none() {
            continue;
        }
        let r = &mut rank[m as usize];
        if *r == u32::MAX {
            *r = ranked;
            ranked += 1;
        }
        by_node.push((*r, i as u32));
    }
    // Grouped by rank, each node's requests left in y order: a counting
    // sort (ranks are at most the nodes), stable like a comparison sort.
    let by_node = {
        let mut next = vec![0usize; ranked as usize + 1];
        let next = &mut next[..];
        for &(r, _) in &by_node {
            next[r as usize + 1] += 1;
        }
        for r in 0..ranked as usize {
            next[r + 1] += next[r];
        }
        let mut grouped = vec![(0u32, 0u32); by_node.len()];
        let slots = &mut grouped[..];
        for &(r, i) in &by_node {
            slots[next[r as usize]] = (r, i);
            next[r as usize] += 1;
        }
        grouped
    };
    let node_of: Vec<usize> = {
        let mut v = vec![0; ranked as usize];
        for (m, &r) in rank.iter().enumerate() {
            if r != u32::MAX {
                v[r as usize] = m;
            }
        }
        v
    };
    // Per set: A at its last member, and the product of factors since then.
    let mut a = vec![0.0f64; sets];
    let a = &mut a[..];
    let mut since = vec![0.0f64; sets];
    let since = &mut since[..];
    let mut counts = vec![0usize; sets];
    let counts = &mut counts[..];
    let node_of = &node_of[..];
    for run in by_node.chunk_by(|x, y| x.0 == y.0) {
        let k = kept[node_of[run[0].0 as usize]]
            .as_ref()
            .expect("grouped requests have a distribution");
        counts.fill(0);
        for &(_, i) in run {
            for_each_bit(member[i as usize], |s| counts[s] += 1);
        }
        for (s, tail) in outs.iter_mut().enumerate() {
            if counts[s] > 0 {
                tail.groups.push(Group {
                    kept: k,
                    start: tail.group_ys.len(),
                    len: counts[s],
                    acc: tail.acc.len(),
                });
            }
        }
        for &(_, i) in run {
            let y = sorted[i as usize].y;
            for_each_bit(member[i as usize], |s| outs[s].group_ys.push(y));
        }
        for &(_, rate) in k.terms() {
            a.fill(0.0);
            since.fill(0.0);
            let mut prev = f64::NEG_INFINITY;
            for &(_, i) in run {
                let y = sorted[i as usize].y;
                let z = rate * (y - prev);
                let factor = if z > 40.0 { 0.0 } else { libm::exp(-z) };
                prev = y;
                for x in since.iter_mut() {
                    *x *= factor;
                }
                for_each_bit(member[i as usize], |s| {
                    a[s] = 1.0 + since[s] * a[s];
                    since[s] = 1.0;
                    outs[s].acc.push(a[s]);
                });
            }
        }
    }
    out
}

/// Calls `f` with the index of each set bit of `bits`, lowest first.
fn for_each_bit(mut bits: u64, mut f: impl FnMut(usize)) {
    while bits != 0 {
        f(bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
}

impl Tail<'_> {
    pub(super) fn is_empty(&self) -> bool {
        self.ys.is_empty()
    }

    /// n · F(x).
    fn mass(&self, x: f64) -> f64 {
        if x >= self.timeout {
            return self.ys.len() as f64;
        }
        let mut m = self.ys.partition_point(|&y| y <= x) as f64;
        // Slices, not vectors, indexed below (see `tails`).
        let (group_ys, acc) = (&self.group_ys[..], &self.acc[..]);
        for g in &self.groups {
            let ys = &group_ys[g.start..g.start + g.len];
            let end = ys.partition_point(|&y| y <= x);
            if end == 0 {
                continue;
            }
            let y = ys[end - 1];
            for (t, &(c, rate)) in g.kept.terms().iter().enumerate() {
                let z = rate * (x - y);
                if z <= 40.0 {
                    m -= c * libm::exp(-z) * acc[g.acc + t * g.len + end - 1];
                }
            }
        }
        m
    }

    /// The `level` quantile (0 < level < 1): the smallest x with
    /// F(x) ≥ level, to a relative precision of 10⁻⁹; 0 when empty.
    pub(super) fn quantile(&self, level: f64) -> f64 {
        if self.ys.is_empty() {
            return 0.0;
        }
        let target = level * self.ys.len() as f64;
        // Each request's CDF is at most the step at its y, so the quantile
        // is at least the level's quantile of the y's (nearest rank).
        let rank = (libm::ceil(target) as usize).clamp(1, self.ys.len());
        let mut lo = self.ys[rank - 1];
        let mut f_lo = self.mass(lo) - target;
        if f_lo >= 0.0 || !self.timeout.is_finite() {
            return lo;
        }
        // Bracket the crossing, galloping up from the lower bound (the
        // quantile is usually within a few spreads of the waits), then
        // close in by regula falsi with the Illinois modification: F is
        // monotone and smooth between the y's, so this takes a handful of
        // evaluations where bisection took forty.
        let mut step = (lo * 0.05).max(1e-3);
        let mut hi = (lo + step).min(self.timeout);
        let mut f_hi = self.mass(hi) - target;
        while f_hi < 0.0 && hi < self.timeout {
            (lo, f_lo) = (hi, f_hi);
            step *= 2.0;
            hi = (lo + step).min(self.timeout);
            f_hi = self.mass(hi) - target;
        }
        if f_hi < 0.0 {
            return self.timeout;
        }
        let mut side = 0i8;
        for _ in 0..100 {
            if hi - lo <= 1e-9 * hi.max(1e-6) {
                break;
            }
            let mut x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo);
            if !(x > lo && x < hi) {
                x = 0.5 * (lo + hi);
            }
            let fx = self.mass(x) - target;
            if fx >= 0.0 {
                (hi, f_hi) = (x, fx);
                if side == 1 {
                    f_lo *= 0.5;
                }
                side = 1;
            } else {
                (lo, f_lo) = (x, fx);
                if side == -1 {
                    f_hi *= 0.5;
                }
                side = -1;
            }
        }
        hi
    }

    pub(super) fn percentiles(&self) -> Percentiles {
        Percentiles {
            p50_ms: self.quantile(0.50),
            p95_ms: self.quantile(0.95),
            p99_ms: self.quantile(0.99),
            samples: self.ys.len() as u64,
        }
    }
}

/// The mean of min(latency, timeout) over the requests.
pub(super) fn mean(all: &[Cond], kept: &[Option<Kept>], timeout: f64) -> f64 {
    if all.is_empty() {
        return 0.0;
    }
    let sum: f64 = all
        .iter()
        .map(|c| match c.kept.and_then(|m| kept[m as usize].as_ref()) {
            Some(k) => k.mean(c.y, timeout),
            None => c.y.min(timeout),
        })
        .sum();
    sum / all.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one<'a>(v: &[Cond], kept: &'a [Option<Kept>], timeout: f64) -> Tail<'a> {
        tails(v, &vec![1; v.len()], 1, kept, timeout).remove(0)
    }

    fn fixed(y: f64) -> Cond {
        Cond { y, kept: None }
    }

    #[test]
    fn steps_alone_are_the_nearest_rank_percentile() {
        let v: Vec<Cond> = (1..=100).map(|i| fixed(f64::from(i))).collect();
        let t = one(&v, &[], 1e9);
        assert_eq!(t.quantile(0.95), 95.0);
        assert_eq!(t.quantile(0.5), 50.0);
        // Capped at the timeout.
        assert_eq!(one(&v, &[], 60.0).quantile(0.95), 60.0);
    }

    #[test]
    fn one_wait_has_its_closed_form_quantile_and_mean() {
        // y = 5, wait with probability 0.5 at rate 0.1/ms:
        // P(W > x) = 0.5 e^(−0.1x) = 0.05 at x = ln 10 / 0.1.
        let kept = [Kept::of(0.5, 0.1, None)];
        let v = [Cond {
            y: 5.0,
            kept: Some(0),
        }];
        let q = one(&v, &kept, 1e6).quantile(0.95);
        assert!((q - 5.0 - libm::log(10.0) / 0.1).abs() < 1e-6, "{q}");
        assert!((mean(&v, &kept, 1e6) - 10.0).abs() < 1e-9);
        // Capped: E[min(5 + W, 15)] = 5 + p (1 − e^(−1)) / r.
        let want = 5.0 + 0.5 * (1.0 - libm::exp(-1.0)) / 0.1;
        assert!((mean(&v, &kept, 15.0) - want).abs() < 1e-9);
    }

    /// M/M/1: service rate μ, wait with probability ρ at rate μ − λ; the
    /// response time is exponential with rate μ − λ.
    #[test]
    fn exponential_service_and_wait_make_the_mm1_response_time() {
        let (mu, lambda) = (0.1, 0.08);
        let kept = [Kept::of(lambda / mu, mu - lambda, Some(1.0 / mu))];
        let v = [Cond {
            y: 0.0,
            kept: Some(0),
        }];
        let t = one(&v, &kept, 1e9);
        for level in [0.5, 0.95, 0.99] {
            let want = -libm::log(1.0 - level) / (mu - lambda);
            let got = t.quantile(level);
            assert!((got / want - 1.0).abs() < 1e-8, "{level}: {got} vs {want}");
        }
        assert!((mean(&v, &kept, 1e9) - 1.0 / (mu - lambda)).abs() < 1e-6);
    }

    /// The shared sums give the same F as summing request by request.
    #[test]
    fn grouped_sums_match_direct_ones() {
        let kept = [
            Kept::of(0.3, 0.05, Some(4.0)),
            Kept::of(0.7, 0.2, None),
            None,
        ];
        let mut v: Vec<Cond> = (0..60)
            .map(|i| Cond {
                y: f64::from((i * 37) % 50),
                kept: Some((i % 3) as u32),
            })
            .collect();
        v.sort_by(|a, b| a.y.total_cmp(&b.y));
        // Three sets: all, the even-numbered, and the first 40.
        let member: Vec<u64> = (0..v.len())
            .map(|i| 1 | u64::from(i % 2 == 0) << 1 | u64::from(i < 40) << 2)
            .collect();
        let sets = tails(&v, &member, 3, &kept, 500.0);
        for (s, t) in sets.iter().enumerate() {
            for x in [0.0, 3.5, 20.0, 49.0, 120.0, 499.0] {
                let direct: f64 = v
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| c.y <= x && member[*i] >> s & 1 == 1)
                    .map(|(_, c)| c)
                    .map(|c| match &kept[c.kept.unwrap() as usize] {
                        Some(k) => {
                            1.0 - k
                                .terms()
                                .iter()
                                .map(|&(a, r)| a * libm::exp(-r * (x - c.y)))
                                .sum::<f64>()
                        }
                        None => 1.0,
                    })
                    .sum();
                assert!(
                    (t.mass(x) - direct).abs() < 1e-9,
                    "{s} {x}: {} vs {direct}",
                    t.mass(x)
                );
            }
        }
    }
}
