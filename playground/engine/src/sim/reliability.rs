//! Availability of a design, analytically (see `sim` docs, "Availability").
//!
//! Regions fail as wholes (correlated), components independently. For each
//! up/down state of the k regional regions in the design (2^k states, each
//! with probability Π r or (1 − r)), a component is up with probability
//! `replicated(a, replicas)` if its region is up. A global component is
//! spread over the design's regions (see `FailState`), so those all count
//! among the k when the design has one, and it is up with probability
//! `replicated(a, replicas)` while any of them is up: a region's loss costs
//! it capacity, not availability. Clients ignore region failures. Given the
//! state, a request's success probability is composed along its route:
//!
//! * client / router: up × parallel(successors): it routes around failures
//!   (a failed candidate leaves the set the load splits over, and an empty
//!   set falls back to the next-nearest region, see `routing`, "Routing"),
//!   so a router with several candidates is a parallel block;
//!   a CDN serves its hit ratio h of reads itself: up × (h + (1 − h)·P);
//! * compute, reads: 1 − (1 − D)(1 − C·h), with D = parallel over data
//!   successors, C = parallel over caches (a hit needs only the cache);
//! * compute, writes: parallel over primaries (else any data store, else
//!   caches, else forwarding successors);
//! * cache reached directly: up × (h + (1 − h)·P(successors)) for reads;
//! * data stores: up; a write at a replica also needs a primary feeding it.
//!
//! Exact for designs whose routes form a series–parallel tree. When routes
//! share a node (two apps calling one database), the state is also split
//! over the up/down combinations of the shared nodes (factoring, the
//! pivotal decomposition of a reliability block diagram): given them, the
//! routes are trees, so a shared dependency's failure is counted once (at
//! most [`MAX_PIVOTS`] shared nodes; beyond, they are treated as
//! independent per route). A node's value is computed once per state (memoised); a successor already on the
//! current route (a cycle) is skipped, as in routing. Every step is
//! monotone in each component's availability, so losing a region never
//! raises the result and more replicas never lower it.
//!
//! More than `MAX_EXACT_REGIONS` regions: each regional component is up
//! with probability region_availability × replicated(a, k), independently
//! (region correlation ignored; documented approximation).

use super::availability::{parallel, replicated};
use super::graph::{ComputeTargets, DataKind, FailState, Graph, Role};
use super::steady::Source;
use crate::within::Within;

pub const MAX_EXACT_REGIONS: usize = 12;

/// Shared nodes conditioned on at most; a design sharing more is composed
/// as if its routes were independent (documented approximation).
pub const MAX_PIVOTS: usize = 8;

/// Nodes more than one route reaches: two or more synchronous callers, or
/// a primary feeding replicas that writes reach as well. These are the
/// pivots of the factoring in [`source_availability`].
fn shared_nodes(g: &Graph) -> Vec<usize> {
    let n = g.nodes.len();
    let mut callers = vec![0usize; n];
    for outs in &g.sync_out {
        for &t in outs {
            callers[t] += 1;
        }
    }
    for ins in &g.repl_in {
        for &p in ins {
            callers[p] += 1;
        }
    }
    (0..n)
        .filter(|&i| callers[i] >= 2 && g.nodes[i].role != Role::Client)
        .collect()
}

struct Eval<'g, 'a> {
    g: &'g Graph<'a>,
    fail: &'g FailState,
    up: Vec<f64>,
    memo: Vec<[Option<f64>; 2]>,
    on_stack: Vec<bool>,
}

impl Eval<'_, '_> {
    fn succ(&self, n: usize) -> Vec<usize> {
        self.g.sync_out[n]
            .iter()
            .copied()
            .filter(|&s| !self.on_stack[s] && self.g.reachable_ignoring_down(self.fail, n, s))
            .collect()
    }

    fn par(&mut self, list: &[usize], write: bool) -> f64 {
        let v: Vec<f64> = list.iter().map(|&s| self.av(s, write)).collect();
        parallel(&v)
    }

    fn av(&mut self, n: usize, write: bool) -> f64 {
        if let Some(v) = self.memo[n][write as usize] {
            return v;
        }
        // No short cut for a node that is down: the recursion must visit the
        // same nodes in the same order in every state, so that memoised
        // values (and hence the result) are monotone in every `up`.
        let up = self.up[n];
        self.on_stack[n] = true;
        let g = self.g;
        let node = &g.nodes[n];
        let all_succ = &g.sync_out[n];
        let succ = self.succ(n);
        let v = match node.role {
            Role::Client | Role::Router { .. } => {
                let p = if succ.is_empty() {
                    if node.role == Role::Client && all_succ.is_empty() {
                        0.0
                    } else {
                        1.0
                    }
                } else {
                    self.par(&succ, write)
                };
                if node.role == (Role::Router { cdn: true }) && !write {
                    up * (node.hit + (1.0 - node.hit) * p)
                } else {
                    up * p
                }
            }
            Role::Compute { .. } => {
                let ComputeTargets {
                    primaries,
                    data,
                    caches,
                    forward: fwd,
                } = g.compute_targets(&succ);
                let cache_hit = {
                    let v: Vec<f64> = caches
                        .iter()
                        .map(|&c| self.up[c] * g.nodes[c].hit)
                        .collect();
                    parallel(&v)
                };
                let cache_up = {
                    let v: Vec<f64> = caches.iter().map(|&c| self.up[c]).collect();
                    parallel(&v)
                };
                let p = if write {
                    if !primaries.is_empty() {
                        self.par(&primaries, true)
                    } else if !data.is_empty() {
                        self.par(&data, true)
                    } else if !caches.is_empty() {
                        cache_up
                    } else if !fwd.is_empty() {
                        self.par(&fwd, true)
                    } else {
                        1.0
                    }
                } else if !data.is_empty() {
                    let d = self.par(&data, false);
                    1.0 - (1.0 - d) * (1.0 - cache_hit)
                } else if !caches.is_empty() {
                    if fwd.is_empty() {
                        cache_up
                    } else {
                        let f = self.par(&fwd, false);
                        1.0 - (1.0 - f) * (1.0 - cache_hit)
                    }
                } else if !fwd.is_empty() {
                    self.par(&fwd, false)
                } else {
                    1.0
                };
                up * p
            }
            Role::Cache => {
                if write || succ.is_empty() {
                    up
                } else {
                    let p = self.par(&succ, false);
                    up * (node.hit + (1.0 - node.hit) * p)
                }
            }
            Role::Log => up,
            Role::Data(kind) => {
                let prim: Vec<usize> = g.repl_in[n]
                    .iter()
                    .copied()
                    .filter(|&s| !self.on_stack[s] && g.reachable_ignoring_down(self.fail, n, s))
                    .collect();
                if write && kind == DataKind::Replica && !prim.is_empty() {
                    up * self.par(&prim, true)
                } else {
                    up
                }
            }
        };
        self.on_stack[n] = false;
        self.memo[n][write as usize] = Some(v);
        v
    }
}

impl Graph<'_> {
    /// Partitions only: whether a node is up is the availability state's business.
    pub(crate) fn reachable_ignoring_down(&self, fail: &FailState, from: usize, to: usize) -> bool {
        let (f, t) = (&self.nodes[from], &self.nodes[to]);
        f.global || t.global || !fail.partitioned(f.region, t.region)
    }
}

/// Per source: probability its requests succeed (read/write mix by `wf`).
/// Returns one value per source, in order. `certain`: every component is
/// up unless failed (its availability taken as 1).
pub(crate) fn source_availability(
    g: &Graph,
    fail: &FailState,
    srcs: &[Source],
    wf: f64,
    region_avail: f64,
    certain: bool,
) -> Vec<f64> {
    let n = g.nodes.len();
    let base: Vec<f64> = g
        .nodes
        .iter()
        .map(|x| {
            let a = if certain { 1.0 } else { x.params.availability };
            let a = if a.is_finite() {
                a.within(0.0, 1.0)
            } else {
                0.0
            };
            if x.role == Role::Client {
                a
            } else {
                replicated(a, x.replicas)
            }
        })
        .collect();
    // Regional regions whose failure matters: those holding a non-client
    // node, and every live region of the design when a global node (spread
    // over them, see `FailState`) is up.
    let spread = |x: &super::graph::Node| x.is_spread();
    let live_concrete: Vec<usize> = (0..g.region_ids.len())
        .filter(|&r| g.design_region[r] && !fail.region_down[r])
        .collect();
    let mut regions: Vec<usize> = Vec::new();
    for (i, x) in g.nodes.iter().enumerate() {
        if !x.global && x.role != Role::Client && !fail.down[i] && !regions.contains(&x.region) {
            regions.push(x.region);
        }
    }
    if g.nodes
        .iter()
        .enumerate()
        .any(|(i, x)| spread(x) && !fail.down[i])
    {
        for &r in &live_concrete {
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
    }
    crate::sort::sort_indices_unstable(&mut regions);
    let ra = if region_avail.is_finite() {
        region_avail.within(0.0, 1.0)
    } else {
        1.0
    };
    let mut out = vec![0.0; srcs.len()];
    let shared = shared_nodes(g);
    let eval_tree = |up: Vec<f64>, prob: f64, out: &mut Vec<f64>| {
        let mut e = Eval {
            g,
            fail,
            up,
            memo: vec![[None, None]; n],
            on_stack: vec![false; n],
        };
        for (k, s) in srcs.iter().enumerate() {
            let r = e.av(s.client, false);
            let w = e.av(s.client, true);
            out[k] += prob * ((1.0 - wf) * r + wf * w);
        }
    };
    // Factoring on shared nodes (pivotal decomposition): condition on each
    // up/down combination of the nodes that more than one route reaches, so
    // that given the combination every route is a tree and each failure is
    // counted once.
    let eval_state = |up: Vec<f64>, prob: f64, out: &mut Vec<f64>| {
        let pivots: Vec<usize> = shared
            .iter()
            .copied()
            .filter(|&i| up[i] > 0.0 && up[i] < 1.0)
            .collect();
        if pivots.len() > MAX_PIVOTS {
            eval_tree(up, prob, out);
            return;
        }
        for mask in 0u32..(1u32 << pivots.len()) {
            let mut p = prob;
            let mut cond = up.clone();
            for (j, &i) in pivots.iter().enumerate() {
                if mask & (1 << j) != 0 {
                    p *= up[i];
                    cond[i] = 1.0;
                } else {
                    p *= 1.0 - up[i];
                    cond[i] = 0.0;
                }
            }
            if p > 0.0 {
                eval_tree(cond, p, out);
            }
        }
    };
    // A global node is up while any of the design's live regions is.
    let node_up = |i: usize, region_up: &dyn Fn(usize) -> f64, any_up: f64| -> f64 {
        let x = &g.nodes[i];
        if fail.down[i] {
            0.0
        } else if spread(x) {
            base[i] * any_up
        } else if x.global || x.role == Role::Client {
            base[i]
        } else {
            base[i] * region_up(x.region)
        }
    };
    if regions.len() <= MAX_EXACT_REGIONS {
        let k = regions.len();
        for mask in 0u32..(1u32 << k) {
            let mut prob = 1.0;
            for (j, _) in regions.iter().enumerate() {
                prob *= if mask & (1 << j) != 0 { ra } else { 1.0 - ra };
            }
            if prob <= 0.0 {
                continue;
            }
            let is_up = |r: usize| -> f64 {
                match regions.iter().position(|&x| x == r) {
                    Some(j) if mask & (1 << j) != 0 => 1.0,
                    Some(_) => 0.0,
                    None => 1.0,
                }
            };
            let any_up = if live_concrete.iter().any(|&r| is_up(r) > 0.0) {
                1.0
            } else {
                0.0
            };
            let up: Vec<f64> = (0..n).map(|i| node_up(i, &is_up, any_up)).collect();
            eval_state(up, prob, &mut out);
        }
    } else {
        let any_up = 1.0 - libm::pow(1.0 - ra, live_concrete.len() as f64);
        let up: Vec<f64> = (0..n).map(|i| node_up(i, &|_| ra, any_up)).collect();
        eval_state(up, 1.0, &mut out);
    }
    out
}
