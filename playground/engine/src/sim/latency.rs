//! Whole-request latency by seeded Monte Carlo over the path trees: draw a
//! branch by its rate, then each node's shedding, wait and service time,
//! and each hop's round trip (see the `sim` docs, "Latency").

use super::draws::with_draws;
use super::graph::Graph;
use super::queueing::QueueState;
use super::rng::ServiceDist;
use super::routing::Path;
use super::{Percentiles, SimInput};

pub(super) fn finite(x: f64, cap: f64) -> f64 {
    if x.is_finite() { x.min(cap) } else { cap }
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

/// Nearest-rank percentiles of sorted samples.
pub(crate) fn percentiles(sorted: &[f64]) -> Percentiles {
    let at = |p: f64| -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = libm::ceil(p * sorted.len() as f64) as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    };
    Percentiles {
        p50_ms: at(0.50),
        p95_ms: at(0.95),
        p99_ms: at(0.99),
        samples: sorted.len() as u64,
    }
}

pub(super) fn monte_carlo(
    input: &SimInput,
    g: &Graph,
    paths: &[Path],
    drop: &[f64],
    queues: &[QueueState],
    timeout: f64,
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
        input.catalog.simulation.latency_samples as usize
    } else {
        0
    };
    let dists: Vec<ServiceDist> = g
        .nodes
        .iter()
        .map(|x| ServiceDist::new(x.service_ms.max(0.0), x.params.service_cv.max(0.0)))
        .collect();
    // (latency, crossed regions, origin) per sample, in sampling order.
    let mut all: Vec<(f64, bool, usize)> = Vec::with_capacity(samples);
    with_draws(input.catalog.simulation.seed, |rng| {
        for _ in 0..samples {
            let x = rng.uniform() * total;
            let pi = cum.partition_point(|&c| c <= x).min(paths.len() - 1);
            let p = &paths[pi];
            let mut t = 0.0;
            let mut crossed = false;
            let mut failed = p.no_route;
            let k = p.visits.len();
            for (i, v) in p.visits.iter().enumerate() {
                t += v.rtt;
                crossed |= v.crosses;
                let m = v.node;
                // Every visit draws the same random numbers whatever the queue
                // state (common random numbers): two designs that differ in one
                // node's capacity see the same requests, so their samples are
                // comparable one by one.
                let (u_drop, u_wait, u_hit) = (rng.uniform(), rng.uniform(), rng.uniform());
                let s = rng.draw(&dists[m]);
                // The wait's exponential draw (its logarithm is kept between
                // steady states, see `draws.rs`).
                let ln_e = rng.ln_uniform();
                if u_drop < drop[m] {
                    failed = true;
                    break;
                }
                let q = &queues[m];
                let w = if u_wait < q.p_wait && q.wait_rate > 0.0 && q.wait_rate.is_finite() {
                    -ln_e / q.wait_rate * 1000.0
                } else {
                    0.0
                };
                visits[m] += 1;
                wait_sum[m] += w;
                service_sum[m] += s;
                t += s + w;
                if u_hit < v.hit {
                    failed = false;
                    break;
                }
                if i + 1 == k && p.write {
                    t += v.sync_wait;
                }
            }
            let lat = if failed || !t.is_finite() {
                timeout
            } else {
                t.min(timeout)
            };
            all.push((lat, crossed, p.origin));
        }
    });
    let mean = if all.is_empty() {
        0.0
    } else {
        all.iter().map(|x| x.0).sum::<f64>() / all.len() as f64
    };
    // One sort; every subset read off it in order is sorted too (equal
    // latencies are interchangeable, so an unstable sort is enough).
    all.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let lat: Vec<f64> = all.iter().map(|x| x.0).collect();
    let subset = |keep: &dyn Fn(&(f64, bool, usize)) -> bool| -> Option<Percentiles> {
        let v: Vec<f64> = all.iter().filter(|x| keep(x)).map(|x| x.0).collect();
        (!v.is_empty()).then(|| percentiles(&v))
    };
    let same = subset(&|x| !x.1);
    let cross = subset(&|x| x.1);
    let per_region = (0..g.region_ids.len())
        .filter_map(|r| subset(&|x| x.2 == r).map(|p| (g.region_ids[r].to_string(), p)))
        .collect();
    let all = percentiles(&lat);
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
