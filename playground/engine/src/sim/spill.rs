//! Where a router sends users whose own region has no live target ("nearest
//! with capacity", Google Cloud's waterfall-by-region).
//!
//! Routing sends a region's users to the router's targets in that region;
//! when none is live (the region is lost, or the design has no target
//! there) a router whose type sets `spill_utilisation` u* fills the nearest
//! live target, then the next nearest, each only until some component on
//! its route reaches u* of its capacity. What no target can take within u*
//! spreads over them all in proportion to their capacity. A router without
//! u* (DNS latency routing) sends them all to the nearest, as before.
//!
//! The fill is linear in the spilled rate: a unit of spilled traffic sent
//! into target c puts `f_c[n]` requests per second on each node n of its
//! route (the class's path tree from c, hits removed, reads and writes in
//! the spilled mix). With `base[n]` the load from everything else, c takes
//! `h_c = min_n (u*·cap_n − base[n] − taken[n]) / f_c[n]`, where `taken`
//! is what nearer targets already put on n. [`rebalance`] computes the
//! weights from one steady pass; `steady::flowed` repeats it until they
//! settle, because two routers' spills can share a node.

use super::graph::{FailState, Graph, RTT_TIE_MS, Role};
use super::routing::{Path, walk_tree};

/// Rounds of rebalancing at most (each one a walk and a flow pass).
pub(crate) const MAX_ROUNDS: usize = 6;

/// One router's split of one origin region's users over its live targets
/// in other regions, nearest first.
#[derive(Debug, Clone)]
pub(crate) struct SpillRule {
    pub router: usize,
    pub origin: usize,
    /// Live targets, by round trip from the origin (ties in connection order).
    pub cands: Vec<usize>,
    /// Share of the spilled users each target takes (sums to 1).
    pub weights: Vec<f64>,
}

/// u* of a router that spills by capacity, if it does.
fn ceiling(g: &Graph, r: usize) -> Option<f64> {
    if !matches!(g.nodes[r].role, Role::Router { .. }) {
        return None;
    }
    g.nodes[r]
        .params
        .spill_utilisation
        .filter(|u| u.is_finite() && *u > 0.0)
}

/// The live targets of router `r` for users from `origin`, nearest first,
/// when the origin has none of its own and more than one region can take
/// them; None otherwise (routing then picks the nearest as usual).
fn targets(g: &Graph, fail: &FailState, r: usize, origin: usize) -> Option<Vec<usize>> {
    ceiling(g, r)?;
    let live: Vec<usize> = g.sync_out[r]
        .iter()
        .copied()
        .filter(|&s| g.reachable(fail, r, s))
        .collect();
    let near = g.nearest(origin, &live);
    let first = *near.first()?;
    if g.key(origin, first).0 == 0 || near.len() == live.len() {
        return None;
    }
    let mut order = live;
    // Stable: ties keep connection order.
    crate::sort::sort_by(&mut order, |&a, &b| {
        g.key(origin, a).1.total_cmp(&g.key(origin, b).1)
    });
    Some(order)
}

/// Every (router, origin) the paths send through a spilling router without
/// a local target, each starting with all its users on the nearest target
/// group (what routing does without a rule).
pub(crate) fn find_rules(g: &Graph, fail: &FailState, paths: &[Path]) -> Vec<SpillRule> {
    let mut rules: Vec<SpillRule> = Vec::new();
    for p in paths {
        for v in &p.visits {
            let r = v.node;
            if rules.iter().any(|x| x.router == r && x.origin == p.origin) {
                continue;
            }
            let Some(cands) = targets(g, fail, r, p.origin) else {
                continue;
            };
            let near = g.nearest(p.origin, &cands);
            let split = g.split(r, &near);
            let weights = cands
                .iter()
                .map(|c| near.iter().position(|x| x == c).map_or(0.0, |i| split[i]))
                .collect();
            rules.push(SpillRule {
                router: r,
                origin: p.origin,
                cands,
                weights,
            });
        }
    }
    rules
}

/// Load per node of one unit of `origin`'s spilled traffic sent into `c`,
/// reads and writes mixed as `mix` (read share, write share).
fn unit_load(g: &Graph, fail: &FailState, c: usize, origin: usize, mix: [f64; 2]) -> Vec<f64> {
    let mut f = vec![0.0; g.nodes.len()];
    for (write, share) in [(false, mix[0]), (true, mix[1])] {
        if share <= 0.0 {
            continue;
        }
        for b in walk_tree(g, fail, c, origin, write) {
            let mut reach = share * b.weight;
            for v in &b.visits {
                f[v.node] += reach;
                reach *= 1.0 - v.hit;
            }
        }
    }
    f
}

/// Requests per second node `n` can serve with its live servers; None when
/// it has no queue (zero service time).
fn capacity(g: &Graph, fail: &FailState, n: usize) -> Option<f64> {
    let s = g.nodes[n].service_ms;
    (s.is_finite() && s > 0.0).then(|| fail.servers[n] as f64 * 1000.0 / s)
}

/// Recomputes every rule's weights from the demand `offered` per node that
/// `paths` (routed with the current rules) put on the design. Returns the
/// largest change of any weight.
pub(crate) fn rebalance(
    g: &Graph,
    fail: &FailState,
    paths: &[Path],
    offered: &[f64],
    rules: &mut [SpillRule],
) -> f64 {
    let mut change: f64 = 0.0;
    for rule in rules.iter_mut() {
        let r = rule.router;
        let Some(u) = ceiling(g, r) else { continue };
        // The rate the router passes on for the origin's users, by kind.
        let mut spilled = [0.0; 2];
        for p in paths.iter().filter(|p| p.origin == rule.origin) {
            let mut reach = p.rate;
            for v in &p.visits {
                reach *= 1.0 - v.hit;
                if v.node == r {
                    spilled[usize::from(p.write)] += reach;
                    break;
                }
            }
        }
        let total = spilled[0] + spilled[1];
        if total <= 0.0 {
            continue;
        }
        let mix = [spilled[0] / total, spilled[1] / total];
        let unit: Vec<Vec<f64>> = rule
            .cands
            .iter()
            .map(|&c| unit_load(g, fail, c, rule.origin, mix))
            .collect();
        let n = g.nodes.len();
        // Demand without this rule's own spill.
        let mut base = offered.to_vec();
        for (k, f) in unit.iter().enumerate() {
            for i in 0..n {
                base[i] -= total * rule.weights[k] * f[i];
            }
        }
        let caps: Vec<Option<f64>> = (0..n).map(|i| capacity(g, fail, i)).collect();
        let mut taken = vec![0.0; n];
        let mut rest = total;
        let mut take = vec![0.0; rule.cands.len()];
        let rtt = |k: usize| g.key(rule.origin, rule.cands[k]).1;
        let mut start = 0;
        while start < rule.cands.len() && rest > 0.0 {
            // One group of targets tied for the round trip, filled together
            // in proportion to their room.
            let end = (start..rule.cands.len())
                .find(|&k| rtt(k) > rtt(start) + RTT_TIE_MS)
                .unwrap_or(rule.cands.len());
            let room: Vec<f64> = (start..end)
                .map(|k| {
                    let f = &unit[k];
                    (0..n)
                        .filter(|&i| f[i] > 1e-12)
                        .filter_map(|i| {
                            caps[i].map(|c| (u * c - base[i].max(0.0) - taken[i]) / f[i])
                        })
                        .fold(f64::INFINITY, f64::min)
                        .max(0.0)
                })
                .collect();
            let group: f64 = room.iter().sum();
            let x = rest.min(group);
            if x > 0.0 {
                for (j, k) in (start..end).enumerate() {
                    let t = if group.is_finite() {
                        x * room[j] / group
                    } else if room[j].is_infinite() {
                        x / room.iter().filter(|r| r.is_infinite()).count() as f64
                    } else {
                        0.0
                    };
                    take[k] = t;
                    for i in 0..n {
                        taken[i] += t * unit[k][i];
                    }
                }
                rest -= x;
            }
            start = end;
        }
        if rest > 0.0 {
            // Every target is at its ceiling: the rest goes by capacity.
            let full: Vec<f64> = unit
                .iter()
                .map(|f| {
                    (0..n)
                        .filter(|&i| f[i] > 1e-12)
                        .filter_map(|i| caps[i].map(|c| c / f[i]))
                        .fold(f64::INFINITY, f64::min)
                })
                .map(|c| if c.is_finite() { c } else { 0.0 })
                .collect();
            let sum: f64 = full.iter().sum();
            for (k, c) in full.iter().enumerate() {
                take[k] += if sum > 0.0 {
                    rest * c / sum
                } else {
                    rest / full.len() as f64
                };
            }
        }
        for (k, t) in take.iter().enumerate() {
            let w = t / total;
            change = change.max((w - rule.weights[k]).abs());
            rule.weights[k] = w;
        }
    }
    change
}
