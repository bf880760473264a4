//! The Monte Carlo's random numbers, with their logarithms and cosines
//! kept from one steady state to the next.
//!
//! Every steady state samples the same seeded stream from its start (common
//! random numbers, see `latency.rs`), and an evaluation runs dozens of them
//! (normal, peak, every scenario's phases): the k-th uniform, its logarithm
//! and its Box–Muller cosine are the same numbers each time. SplitMix64 is
//! a counter generator, so the k-th uniform is computed directly from the
//! seed; the transcendental functions, most of the sampling's cost, are
//! computed once per position and kept (up to [`KEPT`] positions, past which
//! they are computed each time), and so is each position's last log-normal
//! service time with its parameters. The numbers are bit for bit those of
//! [`Rng`](super::rng::Rng): only where they come from changes.

use std::cell::RefCell;
use std::rc::Rc;

use super::rng::{Rng, ServiceDist};

/// Positions whose logarithm and cosine (and last log-normal draw) are
/// kept: 48 bytes each, so at most 3 MiB, enough for every reference's
/// normal and peak states (1,000 requests of up to about 60 numbers each).
const KEPT: usize = 1 << 16;

struct Kept {
    seed: u64,
    /// `ln u` at each position; NaN until computed (a logarithm of a
    /// uniform in (0, 1) is never NaN).
    ln: Vec<f64>,
    /// `cos 2πu` at each position; NaN until computed.
    cos: Vec<f64>,
    /// The last log-normal draw starting at each position, with its
    /// (μ, σ) and its stratum ([`Stratum`]): the same request meets the
    /// same component in most steady states of an evaluation (peak repeats
    /// normal's paths, most scenarios most of them), so its service time is
    /// looked up, not recomputed (`exp` is the sampling's costliest step,
    /// and a stratified draw's inverse normal CDF the next).
    log_normal: Vec<(f64, f64, Stratum, f64)>,
}

/// Which draw a kept log-normal value is: `(strata << 32) | stratum` for a
/// Latin hypercube draw ([`Draws::draw_stratified`]), [`UNSTRATIFIED`] for
/// a plain one.
type Stratum = u64;
const UNSTRATIFIED: Stratum = u64::MAX;

thread_local! {
    static KEPT_VALUES: RefCell<Kept> = const {
        RefCell::new(Kept {
            seed: 0,
            ln: Vec::new(),
            cos: Vec::new(),
            log_normal: Vec::new(),
        })
    };
}

thread_local! {
    /// The Latin hypercube's permutations by (size, seed): an evaluation
    /// uses six at most (three per sample count), the most recent first.
    static KEPT_PERMUTATIONS: RefCell<Vec<KeptPermutation>> =
        const { RefCell::new(Vec::new()) };
}

/// A permutation kept for (size, seed).
type KeptPermutation = (usize, u64, Rc<[usize]>);

/// How many permutations are kept.
const KEPT_PERMUTATION_COUNT: usize = 8;

/// The permutation `make` computes for (`n`, `seed`), computed once and
/// shared.
pub(super) fn kept_permutation(
    n: usize,
    seed: u64,
    make: impl FnOnce() -> Vec<usize>,
) -> Rc<[usize]> {
    KEPT_PERMUTATIONS.with(|k| {
        let mut kept = k.borrow_mut();
        if let Some(at) = kept.iter().position(|e| e.0 == n && e.1 == seed) {
            let entry = kept.remove(at);
            let p = entry.2.clone();
            kept.insert(0, entry);
            return p;
        }
        let p: Rc<[usize]> = make().into();
        kept.insert(0, (n, seed, p.clone()));
        kept.truncate(KEPT_PERMUTATION_COUNT);
        p
    })
}

/// The stream of `Rng::new(seed)`, read in order.
pub(super) struct Draws<'a> {
    seed: u64,
    pos: usize,
    kept: &'a mut Kept,
}

/// Runs `f` with the stream of `seed` from its start.
pub(super) fn with_draws<R>(seed: u64, f: impl FnOnce(&mut Draws) -> R) -> R {
    KEPT_VALUES.with(|k| {
        let mut kept = k.borrow_mut();
        if kept.seed != seed {
            kept.seed = seed;
            kept.ln.clear();
            kept.cos.clear();
            kept.log_normal.clear();
        }
        f(&mut Draws {
            seed,
            pos: 0,
            kept: &mut kept,
        })
    })
}

impl Draws<'_> {
    /// The uniform at position `k`: SplitMix64 after k + 1 steps.
    #[inline(always)] // see `Rng::next_u64`
    fn uniform_at(&self, k: usize) -> f64 {
        Rng::at(self.seed, k as u64).uniform()
    }

    fn ln_at(&mut self, k: usize) -> f64 {
        if k >= KEPT {
            return libm::log(self.uniform_at(k));
        }
        if self.kept.ln.len() <= k {
            self.kept.ln.resize(k + 1, f64::NAN);
        }
        let v = self.kept.ln[k];
        if !v.is_nan() {
            return v;
        }
        let v = libm::log(self.uniform_at(k));
        self.kept.ln[k] = v;
        v
    }

    fn cos_at(&mut self, k: usize) -> f64 {
        let compute = |u: f64| libm::cos(2.0 * core::f64::consts::PI * u);
        if k >= KEPT {
            return compute(self.uniform_at(k));
        }
        if self.kept.cos.len() <= k {
            self.kept.cos.resize(k + 1, f64::NAN);
        }
        let v = self.kept.cos[k];
        if !v.is_nan() {
            return v;
        }
        let v = compute(self.uniform_at(k));
        self.kept.cos[k] = v;
        v
    }

    /// As [`Rng::uniform`].
    #[inline(always)] // see `Rng::next_u64`
    pub(super) fn uniform(&mut self) -> f64 {
        let u = self.uniform_at(self.pos);
        self.pos += 1;
        u
    }

    /// Uses up `n` numbers without computing them: a draw whose value
    /// cannot matter (a wait where nothing waits, a hit test against 0 or 1)
    /// still takes its place, so every later draw is the one it would be.
    #[inline(always)] // see `Rng::next_u64`
    pub(super) fn skip(&mut self, n: usize) {
        self.pos += n;
    }

    /// `ln u` of the next uniform (which it uses up).
    pub(super) fn ln_uniform(&mut self) -> f64 {
        let v = self.ln_at(self.pos);
        self.pos += 1;
        v
    }

    /// As [`Rng::exponential`].
    fn exponential(&mut self, rate: f64) -> f64 {
        -self.ln_uniform() / rate
    }

    /// As [`Rng::normal`].
    fn normal(&mut self) -> f64 {
        let k = self.pos;
        self.pos += 2;
        libm::sqrt(-2.0 * self.ln_at(k)) * self.cos_at(k + 1)
    }

    /// As [`Rng::draw`].
    // `inline`: called from the sampling loop in another module; without
    // the hint whether it is inlined there depends on how the crate is cut
    // into codegen units (a change elsewhere once cost 2 % of the loop).
    #[inline]
    pub(super) fn draw(&mut self, d: &ServiceDist) -> f64 {
        match *d {
            ServiceDist::Zero => 0.0,
            ServiceDist::Fixed(m) => m,
            ServiceDist::Exponential(mean) => self.exponential(1.0 / mean),
            ServiceDist::LogNormal { mu, sigma } => self.log_normal(mu, sigma),
        }
    }

    /// `exp(μ + σ·z)`, z the next standard normal (as [`Rng::draw`]).
    #[inline] // as `draw`, which calls it
    fn log_normal(&mut self, mu: f64, sigma: f64) -> f64 {
        self.kept_log_normal(mu, sigma, UNSTRATIFIED, |d| d.normal())
    }

    /// `exp(μ + σ·z)` with `z` from `normal` (which uses up the position's
    /// two numbers), or the value kept at this position for the same
    /// (μ, σ, stratum).
    #[inline(always)] // two call sites, one hot loop
    fn kept_log_normal(
        &mut self,
        mu: f64,
        sigma: f64,
        stratum: Stratum,
        normal: impl FnOnce(&mut Self) -> f64,
    ) -> f64 {
        let k = self.pos;
        if k >= KEPT {
            return libm::exp(mu + sigma * normal(self));
        }
        if let Some(&(m, s, t, v)) = self.kept.log_normal.get(k)
            && m.to_bits() == mu.to_bits()
            && s.to_bits() == sigma.to_bits()
            && t == stratum
        {
            self.pos += 2;
            return v;
        }
        let v = libm::exp(mu + sigma * normal(self));
        if self.kept.log_normal.len() <= k {
            self.kept
                .log_normal
                .resize(k + 1, (f64::NAN, f64::NAN, UNSTRATIFIED, f64::NAN));
        }
        self.kept.log_normal[k] = (mu, sigma, stratum, v);
        v
    }

    /// A draw from `d` at quantile level (`stratum` + u) / `strata`, u the
    /// next uniform: Latin hypercube sampling of one visit's service (see
    /// `latency.rs`). It uses up the same positions as [`Draws::draw`], so
    /// the draws after it are the same either way.
    #[inline] // as `draw`
    pub(super) fn draw_stratified(
        &mut self,
        d: &ServiceDist,
        stratum: usize,
        strata: usize,
    ) -> f64 {
        let k = self.pos;
        let level = |u: f64| (stratum as f64 + u) / strata as f64;
        match *d {
            ServiceDist::Zero => 0.0,
            ServiceDist::Fixed(m) => m,
            ServiceDist::Exponential(mean) => {
                self.pos += 1;
                -mean * libm::log1p(-level(self.uniform_at(k)))
            }
            ServiceDist::LogNormal { mu, sigma } => {
                let stratum = (strata as u64) << 32 | stratum as u64;
                self.kept_log_normal(mu, sigma, stratum, |d| {
                    d.pos += 2;
                    super::normal::quantile(level(d.uniform_at(k)))
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every draw, in every order a sampler may ask for them, is bit for
    /// bit the generator's, kept values and positions past [`KEPT`] alike.
    #[test]
    fn the_same_numbers_as_the_generator() {
        let dists = [
            ServiceDist::new(10.0, 0.5),
            ServiceDist::new(5.0, 1.0),
            ServiceDist::new(3.0, 0.0),
            ServiceDist::new(0.0, 1.0),
        ];
        for round in 0..3 {
            let mut rng = Rng::new(11);
            with_draws(11, |d| {
                for i in 0..2000 {
                    // Rounds 0 and 1 meet the same distributions at each
                    // position (kept draws reused), round 2 others (kept
                    // draws of another distribution not reused).
                    let dist = &dists[(i + round / 2) % dists.len()];
                    assert_eq!(
                        d.uniform().to_bits(),
                        rng.uniform().to_bits(),
                        "round {round}"
                    );
                    assert_eq!(d.draw(dist).to_bits(), rng.draw(dist).to_bits());
                    let a = -d.ln_uniform() / 3.0;
                    assert_eq!(a.to_bits(), rng.exponential(3.0).to_bits());
                }
            });
        }
        // A stratified draw is its quantile whether computed or kept, and
        // a plain draw at the same position is not taken for it (nor one
        // of another stratum).
        let ln = ServiceDist::new(10.0, 0.5);
        let ServiceDist::LogNormal { mu, sigma } = ln else {
            unreachable!()
        };
        let at = |k: u64, stratum: usize, strata: usize| {
            let u = Rng::at(7, k).uniform();
            libm::exp(
                mu + sigma * crate::sim::normal::quantile((stratum as f64 + u) / strata as f64),
            )
        };
        for round in 0..4 {
            with_draws(7, |d| {
                for i in 0..500 {
                    let (stratum, strata) = ((i * 7 + round / 2) % 250, 250 + round % 2);
                    // Each position takes the other kind of draw in the
                    // next round.
                    for plain_first in [(round + i) % 2 == 0, (round + i) % 2 == 1] {
                        let k = d.pos as u64;
                        if plain_first {
                            let v = d.draw(&ln);
                            assert_eq!(v.to_bits(), Rng::at(7, k).draw(&ln).to_bits());
                        } else {
                            let v = d.draw_stratified(&ln, stratum, strata);
                            assert_eq!(v.to_bits(), at(k, stratum, strata).to_bits(), "{round}");
                        }
                    }
                }
            });
        }
        // Far positions are computed, not kept, and still agree.
        let mut rng = Rng::new(5);
        with_draws(5, |d| {
            d.pos = KEPT - 3;
            for _ in 0..KEPT - 3 {
                rng.next_u64();
            }
            for _ in 0..10 {
                let dist = &dists[0];
                assert_eq!(d.draw(dist).to_bits(), rng.draw(dist).to_bits());
            }
        });
    }
}
