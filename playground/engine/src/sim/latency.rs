//! Whole-request latency by seeded Monte Carlo over the path trees: draw a
//! branch by its rate (stratified), then each node's shedding, wait and
//! service time, and each hop's round trip (see the `sim` docs,
//! "Latency"). Each request's most variable visit is kept as its
//! distribution rather than a draw (conditional Monte Carlo, `tail.rs`);
//! on each path one service, one wait and one cache hit are drawn by Latin
//! hypercube.

use super::draws::with_draws;
use super::graph::Graph;
use super::queueing::QueueState;
use super::rng::{Rng, ServiceDist};
use super::routing::Path;
use super::tail::{self, Cond, Kept, Tail};
use super::{Percentiles, SimInput};

pub(super) fn finite(x: f64, cap: f64) -> f64 {
    if x.is_finite() { x.min(cap) } else { cap }
}

/// How much of the latency a steady state estimates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sampling {
    /// Monte Carlo requests (0: none, flows and queues only).
    pub(crate) requests: u32,
    /// Whether percentiles per origin region are wanted too (the same
    /// requests; they cost a set of sums and three quantiles per region).
    pub(crate) per_origin: bool,
    /// Whether same-region and cross-region percentiles are wanted (two
    /// more sets); without them those are None.
    pub(crate) by_locality: bool,
}

pub(super) struct Mc {
    pub(super) all: Percentiles,
    pub(super) mean: f64,
    pub(super) same: Option<Percentiles>,
    pub(super) cross: Option<Percentiles>,
    pub(super) per_region: Vec<(String, Percentiles)>,
    pub(super) visits: Vec<u64>,
    pub(super) wait_sum: Vec<f64>,
    pub(super) service_sum: Vec<f64>,
}

pub(super) fn monte_carlo(
    input: &SimInput,
    g: &Graph,
    paths: &[Path],
    drop: &[f64],
    queues: &[QueueState],
    timeout: f64,
    sampling: Sampling,
) -> Mc {
    let n = g.nodes.len();
    let mut visits = vec![0u64; n];
    let mut wait_sum = vec![0.0; n];
    let mut service_sum = vec![0.0; n];
    let mut cum = Vec::with_capacity(paths.len());
    let mut total = 0.0;
    for p in paths {
        total += p.rate;
        cum.push(total);
    }
    let samples = if total > 0.0 {
        sampling.requests as usize
    } else {
        0
    };
    if samples == 0 {
        // What the sampling below gives for no requests, without its set-up
        // (most of a scenario's steady states are never sampled).
        return Mc {
            all: Percentiles {
                p50_ms: 0.0,
                p95_ms: 0.0,
                p99_ms: 0.0,
                samples: 0,
            },
            mean: 0.0,
            same: None,
            cross: None,
            per_region: Vec::new(),
            visits,
            wait_sum,
            service_sum,
        };
    }
    let dists: Vec<ServiceDist> = g
        .nodes
        .iter()
        .map(|x| ServiceDist::new(x.service_ms.max(0.0), x.params.service_cv.max(0.0)))
        .collect();
    // What keeping each node's visit as a distribution adds (`tail.rs`).
    let kept_of: Vec<Option<Kept>> = queues
        .iter()
        .zip(&dists)
        .map(|(q, d)| {
            let service = match *d {
                ServiceDist::Exponential(mean) => Some(mean),
                _ => None,
            };
            Kept::of(q.p_wait, q.wait_rate / 1000.0, service)
        })
        .collect();
    let variance = |m: usize| kept_of[m].as_ref().map_or(0.0, |k| k.variance);
    // What the sampling loop reads per visit, side by side.
    let at: Vec<NodeDraw> = (0..n)
        .map(|m| {
            let q = &queues[m];
            let kept = kept_of[m].as_ref();
            NodeDraw {
                dist: dists[m],
                variance: variance(m),
                kept_service: kept.is_some_and(|k| k.service),
                kept_wait: kept.is_some_and(|k| k.wait),
                waits: q.p_wait > 0.0 && q.wait_rate > 0.0 && q.wait_rate.is_finite(),
                p_wait: q.p_wait,
                wait_rate: q.wait_rate,
                drop: drop[m],
            }
        })
        .collect();
    // Latin hypercube: on each path, the most variable service and the
    // most variable wait that no kept distribution already integrates, and
    // the first cache hit, are drawn at the quantile (π(i) + u)/n, π a fixed
    // permutation of the requests per kind (independent of the stratified
    // branch choice, which uses i itself), so their draws cover every slice
    // of their distributions once.
    let service_variance = |m: usize| {
        let s = g.nodes[m].service_ms.max(0.0);
        let cv = g.nodes[m].params.service_cv.max(0.0);
        s * s * cv * cv
    };
    let wait_variance =
        |m: usize| tail::wait_variance(queues[m].p_wait, queues[m].wait_rate / 1000.0);
    // Per path: (the visit whose service is stratified, the visit whose
    // wait is, each the most variable one not already integrated, and the
    // visit whose hit or miss is).
    let stratified: Vec<(Option<usize>, Option<usize>, Option<usize>)> = paths
        .iter()
        .map(|p| {
            // The visit a request that goes all the way keeps (below): its
            // service is integrated when its distribution includes it.
            let kept = first_max(p.visits.iter().map(|v| variance(v.node)));
            let integrated = |i: usize| {
                kept == Some(i)
                    && kept_of[p.visits[i].node]
                        .as_ref()
                        .is_some_and(|k| k.service)
            };
            let waits_kept = |i: usize| {
                kept == Some(i) && kept_of[p.visits[i].node].as_ref().is_some_and(|k| k.wait)
            };
            let service = first_max(p.visits.iter().enumerate().map(|(i, v)| {
                if integrated(i) {
                    0.0
                } else {
                    service_variance(v.node)
                }
            }));
            let wait = first_max(p.visits.iter().enumerate().map(|(i, v)| {
                if waits_kept(i) {
                    0.0
                } else {
                    wait_variance(v.node)
                }
            }));
            // The first visit that may end the request (a cache or CDN
            // hit): whether it does is drawn stratified too.
            let hit = p.visits.iter().position(|v| v.hit > 0.0 && v.hit < 1.0);
            (service, wait, hit)
        })
        .collect();
    let strata = permutation(samples, input.catalog.simulation.seed);
    let wait_strata = permutation(samples, !input.catalog.simulation.seed);
    let hit_strata = permutation(samples, input.catalog.simulation.seed.rotate_left(32));
    // (latency's distribution, crossed regions, origin) per sample, in
    // sampling order.
    let mut all: Vec<(Cond, bool, usize)> = Vec::with_capacity(samples);
    // The loop indexes slices, not vectors: a slice's index is built into
    // the language, a vector's is a call the size-optimised playground does
    // not inline (millions of them an evaluation).
    let (cum, at, stratified) = (&cum[..], &at[..], &stratified[..]);
    let (strata, wait_strata, hit_strata) = (&strata[..], &wait_strata[..], &hit_strata[..]);
    let (visit_count, wait_total, service_total) =
        (&mut visits[..], &mut wait_sum[..], &mut service_sum[..]);
    with_draws(input.catalog.simulation.seed, |rng| {
        for sample in 0..samples {
            // Stratified: the i-th request draws its branch from the i-th
            // of `samples` equal slices of the rates, so every branch gets
            // its share of requests to within one.
            let x = (sample as f64 + rng.uniform()) / samples as f64 * total;
            let pi = cum.partition_point(|&c| c <= x).min(paths.len() - 1);
            let p = &paths[pi];
            let mut t = 0.0;
            // The visit kept as a distribution: the most variable so far,
            // its variance, and what it added as sampled (taken back out
            // of `t`).
            let mut kept: Option<(usize, f64, f64)> = None;
            let mut crossed = false;
            let mut failed = p.no_route;
            let k = p.visits.len();
            let (strat_service, strat_wait, strat_hit) = stratified[pi];
            for (i, v) in p.visits.iter().enumerate() {
                t += v.rtt;
                crossed |= v.crosses;
                let m = v.node;
                let node = &at[m];
                // Every visit draws the same random numbers whatever the queue
                // state (common random numbers): two designs that differ in one
                // node's capacity see the same requests, so their samples are
                // comparable one by one.
                //
                // Each number is computed only where its value can matter;
                // where it cannot, its position is skipped (`Draws::skip`), so
                // the positions, and every number computed, are the same
                // either way.
                let u_drop = if node.drop > 0.0 {
                    rng.uniform()
                } else {
                    rng.skip(1);
                    1.0
                };
                let u_wait = if node.waits {
                    rng.uniform()
                } else {
                    rng.skip(1);
                    1.0
                };
                let hits = if v.hit <= 0.0 || v.hit >= 1.0 {
                    rng.skip(1);
                    v.hit >= 1.0
                } else {
                    let u = rng.uniform();
                    let u = if strat_hit == Some(i) {
                        (hit_strata[sample] as f64 + u) / samples as f64
                    } else {
                        u
                    };
                    u < v.hit
                };
                let s = if strat_service == Some(i) {
                    rng.draw_stratified(&node.dist, strata[sample], samples)
                } else {
                    rng.draw(&node.dist)
                };
                let stratified_wait = node.waits && strat_wait == Some(i);
                // The wait's exponential draw (its logarithm is kept between
                // steady states, see `draws.rs`).
                let ln_e = if !stratified_wait && node.waits && u_wait < node.p_wait {
                    rng.ln_uniform()
                } else {
                    rng.skip(1);
                    0.0
                };
                if u_drop < node.drop {
                    failed = true;
                    break;
                }
                let w = if stratified_wait {
                    // The wait's quantile at a stratified level: 0 below
                    // 1 − P(wait), else where p·e^(−r·w) = 1 − level.
                    let level = (wait_strata[sample] as f64 + u_wait) / samples as f64;
                    if level <= 1.0 - node.p_wait {
                        0.0
                    } else {
                        -libm::log((1.0 - level) / node.p_wait) / node.wait_rate * 1000.0
                    }
                } else if node.waits && u_wait < node.p_wait {
                    -ln_e / node.wait_rate * 1000.0
                } else {
                    0.0
                };
                visit_count[m] += 1;
                wait_total[m] += w;
                service_total[m] += s;
                t += s + w;
                if node.variance > kept.map_or(0.0, |(_, v, _)| v) {
                    let added = if node.kept_service { s } else { 0.0 }
                        + if node.kept_wait { w } else { 0.0 };
                    kept = Some((m, node.variance, added));
                }
                if hits {
                    failed = false;
                    break;
                }
                if i + 1 == k && p.write {
                    t += v.sync_wait;
                }
            }
            let c = if failed || !t.is_finite() {
                Cond {
                    y: timeout,
                    kept: None,
                }
            } else if let Some((m, _, added)) = kept {
                Cond {
                    y: (t - added).max(0.0),
                    kept: Some(m as u32),
                }
            } else {
                Cond { y: t, kept: None }
            };
            all.push((c, crossed, p.origin));
        }
    });
    // One sort; every set read off it in order is sorted too. Sets: all
    // requests, same-region ones, cross-region ones, then each origin's (at
    // most 61 regions). Sorted as (y's bits in IEEE total order, sample)
    // pairs: small keys that compare as integers, ties in sampling order.
    let mut keys: Vec<u128> = all
        .iter()
        .enumerate()
        .map(|(i, x)| crate::sort::pack2(total_order_key(x.0.y), i as u64))
        .collect();
    crate::sort::sort_keys(&mut keys);
    // The samples in sorted order.
    let order = || keys.iter().map(|&k| crate::sort::unpack2(k).1 as usize);
    let regions = if sampling.per_origin {
        g.region_ids.len().min(61)
    } else {
        0
    };
    let member: Vec<u64> = order()
        .map(|i| {
            let (_, crossed, origin) = all[i];
            let region = if origin < regions {
                1 << (3 + origin)
            } else {
                0
            };
            let locality = match (sampling.by_locality, crossed) {
                (false, _) => 0,
                (true, false) => 2,
                (true, true) => 4,
            };
            1 | locality | region
        })
        .collect();
    let conds: Vec<Cond> = order().map(|i| all[i].0).collect();
    let mean = tail::mean(&conds, &kept_of, timeout);
    let sets = tail::tails(&conds, &member, 3 + regions, &kept_of, timeout);
    let of = |t: &Tail| (!t.is_empty()).then(|| t.percentiles());
    let same = of(&sets[1]);
    let cross = of(&sets[2]);
    let per_region = (0..regions)
        .filter_map(|r| of(&sets[3 + r]).map(|p| (g.region_ids[r].to_string(), p)))
        .collect();
    let all = sets[0].percentiles();
    Mc {
        all,
        mean,
        same,
        cross,
        per_region,
        visits,
        wait_sum,
        service_sum,
    }
}

/// What the sampling loop reads of a node at each visit.
struct NodeDraw {
    dist: ServiceDist,
    /// Var of the node's kept distribution; 0 when it has none.
    variance: f64,
    /// Whether that distribution includes the service, the wait.
    kept_service: bool,
    kept_wait: bool,
    /// Whether requests may wait here: with probability `p_wait`, then
    /// exponentially at `wait_rate` per second.
    waits: bool,
    p_wait: f64,
    wait_rate: f64,
    /// The share of requests shed here.
    drop: f64,
}

/// `y`'s bits mapped so that integer order is `f64::total_cmp`'s order
/// (negative values' bits reversed, positive ones' sign bit set).
fn total_order_key(y: f64) -> u64 {
    let b = y.to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

/// A permutation of 0..n fixed by `seed` (Fisher–Yates over SplitMix64,
/// from a stream apart from the requests' own); every steady state of an
/// evaluation asks for the same few, so they are kept (`draws.rs`).
fn permutation(n: usize, seed: u64) -> std::rc::Rc<[usize]> {
    super::draws::kept_permutation(n, seed, || {
        let mut p: Vec<usize> = (0..n).collect();
        let mut rng = Rng::new(seed ^ 0x6A09_E667_F3BC_C909);
        for i in (1..n).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            p.swap(i, j);
        }
        p
    })
}

/// The index of the first largest positive value (the sampling loop keeps
/// the first of equals too), or None.
fn first_max(values: impl Iterator<Item = f64>) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, x) in values.enumerate() {
        if x > best.map_or(0.0, |b| b.1) {
            best = Some((i, x));
        }
    }
    best.map(|b| b.0)
}

#[cfg(test)]
mod tests {
    use super::total_order_key;

    #[test]
    fn sort_keys_order_as_total_cmp() {
        let v = [
            f64::NEG_INFINITY,
            -3.5,
            -0.0,
            0.0,
            1e-300,
            2.0,
            60_000.0,
            f64::INFINITY,
            f64::NAN,
        ];
        for a in v {
            for b in v {
                assert_eq!(
                    total_order_key(a).cmp(&total_order_key(b)),
                    a.total_cmp(&b),
                    "{a} vs {b}"
                );
            }
        }
    }
}
