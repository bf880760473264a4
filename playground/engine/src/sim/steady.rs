//! Steady state: where requests go (path trees), how much load each node
//! gets (flows, iterated to a fixed point with shedding), and what latency
//! requests see (seeded Monte Carlo over the same trees).
//!
//! # Routing
//!
//! At every choice a node takes a *candidate set* from its live successors
//! of the kind it wants (failed or partitioned ones are left out first): the
//! local ones (same region, or global), else the ones tied within 1e-9 ms
//! for the smallest round trip ([`Graph::nearest`]). Routers (lb, cdn) and
//! clients measure locality from the request's *origin* region (GeoDNS /
//! anycast: US traffic to the US target, EU traffic to the EU one); compute,
//! caches and data stores from their own region. The request splits evenly
//! over the set: each of n candidates gets weight 1/n. For a router that
//! spreads load over every healthy local target (an lb in front of three
//! same-region app tiers sends λ/3 to each); for compute, caches and stores
//! the set is the single nearest store unless several tie (two local
//! caches), which then split too. An empty set is a no-route error. A
//! cdn (and a cache) ends its node's `hit` of the reads it processes before
//! choosing: the component's `hit_ratio`, else `cache_hit_target`, else
//! the catalog's — so a GeoDNS with `hit_ratio: 0` forwards every read.
//!
//! So each (client, origin, kind) class has a *path tree*, walked as its
//! branches ([`walk_tree`]): a branch's weight is the product of 1/n over
//! its choices, and the weights of a class sum to 1. A branch carries rate
//! `class rate × weight`, and a node's flows are sums over all branches
//! through it — exact expectations, so conservation (offered = served +
//! absorbed + dropped + forwarded + no-route at every node; client requests
//! = completed + dropped + errors overall) holds per branch and in total.
//! The Monte Carlo draws a branch with probability proportional to its
//! rate (class share × weight) from the seeded generator, then samples
//! service times, waits, hits and drops along it; the run stays
//! deterministic for a seed.

use super::graph::{ComputeTargets, DataKind, FailState, Graph, Role};
use super::queueing::{QueueState, node_queue};
use super::rng::{Rng, ServiceDist};
use super::{Failures, LoadResult, NodeLoad, Percentiles, SimInput};
use crate::spec::Workload;

/// One traffic class's share of the workload.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub client: usize,
    pub origin: usize,
    /// Fraction of workload.rps (all sources sum to 1).
    pub share: f64,
}

/// The workload's request rate at `load_factor` and its write fraction, made
/// safe for any input an editor can produce: a negative, NaN or infinite rate
/// is no traffic; the write fraction is clamped to [0, 1] (NaN: no writes).
pub(crate) fn request_rates(workload: &Workload, load_factor: f64) -> (f64, f64) {
    let rps = workload.rps * load_factor;
    let rps = if rps.is_finite() && rps > 0.0 {
        rps
    } else {
        0.0
    };
    let wf = workload.write_fraction;
    let wf = if wf.is_finite() {
        wf.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (rps, wf)
}

/// Splits the workload over the clients (see `sim` docs, "Sources"); a
/// design without a client sends it from its entry points instead (see
/// "Entry points" in the `graph` module docs), each treated like a client.
pub(crate) fn sources(g: &Graph, input: &SimInput, messages: &mut Vec<String>) -> Vec<Source> {
    let mut clients: Vec<usize> = (0..g.nodes.len())
        .filter(|&i| g.nodes[i].role == Role::Client)
        .collect();
    if clients.is_empty() {
        clients = g.entry_points();
        if clients.is_empty() {
            messages.push("no client in the design: nothing sends requests".to_string());
            return Vec::new();
        }
        let names: Vec<&str> = clients.iter().map(|&i| g.nodes[i].name).collect();
        messages.push(format!(
            "no client in the design: requests enter at {}",
            names.join(", ")
        ));
    }
    let global: Vec<usize> = clients
        .iter()
        .copied()
        .filter(|&c| g.nodes[c].global)
        .collect();
    let mut out = Vec::new();
    let mut shares: Vec<(usize, f64)> = Vec::new();
    for (r, s) in &input.workload.client_regions {
        match g.region_index(r) {
            Some(i) if !g.region_global[i] && s.is_finite() && *s > 0.0 => shares.push((i, *s)),
            Some(_) if s.is_finite() && *s == 0.0 => {}
            _ => messages.push(format!("client region {r} (share {s}) ignored")),
        }
    }
    if !shares.is_empty() {
        let all_global = global.len() == clients.len();
        for &(r, s) in &shares {
            let local: Vec<usize> = clients
                .iter()
                .copied()
                .filter(|&c| !g.nodes[c].global && g.nodes[c].region == r)
                .collect();
            let takers = if !all_global && !local.is_empty() {
                local
            } else if !global.is_empty() {
                global.clone()
            } else {
                messages.push(format!(
                    "traffic from {} has no client there; the other regions' clients carry it",
                    g.region_ids[r]
                ));
                continue;
            };
            let each = s / takers.len() as f64;
            for c in takers {
                out.push(Source {
                    client: c,
                    origin: r,
                    share: each,
                });
            }
        }
        if out.is_empty() {
            messages.push("no client sits in a region of the workload's client_regions; clients share the traffic evenly".to_string());
        }
    }
    if out.is_empty() {
        let used: Vec<usize> = (0..g.region_ids.len())
            .filter(|&i| g.design_region[i])
            .collect();
        let each = 1.0 / clients.len() as f64;
        for &c in &clients {
            let n = &g.nodes[c];
            if !n.global || used.is_empty() {
                out.push(Source {
                    client: c,
                    origin: n.region,
                    share: each,
                });
            } else {
                for &r in &used {
                    out.push(Source {
                        client: c,
                        origin: r,
                        share: each / used.len() as f64,
                    });
                }
            }
        }
    }
    let total: f64 = out.iter().map(|s| s.share).sum();
    if total > 0.0 {
        for s in &mut out {
            s.share /= total;
        }
    }
    out
}

/// One node on a request's path.
#[derive(Debug, Clone)]
pub(crate) struct Visit {
    pub node: usize,
    /// Round trip of the hop into this node, and whether it crossed regions.
    pub rtt: f64,
    pub crosses: bool,
    /// Fraction of the requests processed here that end here (cache/CDN hits).
    pub hit: f64,
    /// Processing here sends copies along this node's asynchronous edges.
    pub copies: bool,
    /// Extra wait of a write ending here: synchronous replication round trip.
    pub sync_wait: f64,
}

/// One branch of a class's path tree, with its share of the class's rate.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub origin: usize,
    pub write: bool,
    /// Requests per second on this branch (class rate × branch weight).
    pub rate: f64,
    pub visits: Vec<Visit>,
    /// The last node found no live successor: the request is an error.
    pub no_route: bool,
}

/// One branch of a request class's path tree: the route taken by a share
/// `weight` of the class's requests (the weights of a class sum to 1).
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub weight: f64,
    pub visits: Vec<Visit>,
    /// The last node found no live successor: the request is an error.
    pub no_route: bool,
}

/// Most branches one class's path tree splits into. A choice that would
/// go past it takes its first candidate only (a guard against designs whose
/// splits multiply without end; no course design comes near it).
pub const MAX_BRANCHES: usize = 4096;

/// What a node does next with a request (one step of [`walk_tree`]).
enum Step {
    /// The request ends here: served, or an error when `true` (no route).
    End(bool),
    /// The request goes on. `side`: the candidate caches consulted first
    /// (a hit ends the request there); `next`: the candidates it goes on to
    /// (none: an error after the cache); `end`: the request ends at `next`
    /// (a cache that is the store). Requests split evenly over every
    /// (side, next) pair.
    Go {
        side: Vec<usize>,
        next: Vec<usize>,
        end: bool,
    },
}

struct Walker<'w, 'a> {
    g: &'w Graph<'a>,
    fail: &'w FailState,
    origin: usize,
    write: bool,
    out: Vec<Branch>,
    /// Branches open or finished so far (for `MAX_BRANCHES`).
    leaves: usize,
}

impl Walker<'_, '_> {
    fn push(&self, visits: &mut Vec<Visit>, visited: &mut [bool], from: usize, to: usize) {
        let (rtt, crosses) = self.g.hop(self.fail, from, to, self.origin);
        visited[to] = true;
        visits.push(Visit {
            node: to,
            rtt,
            crosses,
            hit: 0.0,
            copies: false,
            sync_wait: 0.0,
        });
    }

    /// Follows one branch from `cur` (its last visit) to its end, forking
    /// at every choice with more than one candidate.
    fn go(&mut self, mut visits: Vec<Visit>, mut visited: Vec<bool>, mut cur: usize, weight: f64) {
        // Guard: a branch visits each node at most once, so at most n steps.
        for _ in 0..=self.g.nodes.len() {
            let (side, next, end) = match self.step(&mut visits, &visited, cur) {
                Step::End(no_route) => {
                    self.out.push(Branch {
                        weight,
                        visits,
                        no_route,
                    });
                    return;
                }
                Step::Go { side, next, end } => (side, next, end),
            };
            let sides: Vec<Option<usize>> = if side.is_empty() {
                vec![None]
            } else {
                side.into_iter().map(Some).collect()
            };
            let nexts: Vec<Option<usize>> = if next.is_empty() {
                vec![None]
            } else {
                next.into_iter().map(Some).collect()
            };
            let mut pairs: Vec<(Option<usize>, Option<usize>)> = sides
                .iter()
                .flat_map(|&s| nexts.iter().map(move |&x| (s, x)))
                .collect();
            if self.leaves + pairs.len() - 1 > MAX_BRANCHES {
                pairs.truncate(1);
            }
            self.leaves += pairs.len() - 1;
            // A client or router splits by its connections' shares (evenly
            // when none is set); other ties split evenly.
            let role = self.g.nodes[cur].role;
            let ids: Vec<usize> = nexts.iter().flatten().copied().collect();
            let by_share = matches!(role, Role::Client | Role::Router { .. }) && nexts.len() > 1;
            let calls = matches!(role, Role::Compute { .. })
                && ids.len() == nexts.len()
                && ids.iter().any(|&x| self.g.share(cur, x).is_some());
            let (next_weight, stay): (Vec<f64>, f64) = if by_share {
                (self.g.split(cur, &ids), 0.0)
            } else if calls {
                self.g.call_split(cur, &ids)
            } else {
                (vec![1.0 / nexts.len() as f64; nexts.len()], 0.0)
            };
            if stay > 0.0 {
                // The requests that make none of the shared calls end here.
                self.out.push(Branch {
                    weight: weight * stay,
                    visits: visits.clone(),
                    no_route: false,
                });
            }
            let single = pairs.len() == 1 && stay <= 0.0;
            let n_sides = sides.len() as f64;
            for (k, (s, x)) in pairs.into_iter().enumerate() {
                let share = if single {
                    weight
                } else {
                    weight / n_sides * next_weight[k % nexts.len()]
                };
                if share <= 0.0 {
                    continue;
                }
                let (mut v, mut vd) = if single {
                    (std::mem::take(&mut visits), std::mem::take(&mut visited))
                } else {
                    (visits.clone(), visited.clone())
                };
                if let Some(c) = s {
                    self.push(&mut v, &mut vd, cur, c);
                    let l = v.len() - 1;
                    v[l].hit = self.g.nodes[c].hit;
                }
                let Some(x) = x else {
                    self.out.push(Branch {
                        weight: share,
                        visits: v,
                        no_route: true,
                    });
                    continue;
                };
                self.push(&mut v, &mut vd, cur, x);
                if end {
                    let l = v.len() - 1;
                    v[l].hit = self.g.nodes[x].hit;
                    self.out.push(Branch {
                        weight: share,
                        visits: v,
                        no_route: false,
                    });
                } else if single {
                    visits = v;
                    visited = vd;
                    cur = x;
                } else {
                    self.go(v, vd, x, share);
                }
            }
            if !single || end || visits.is_empty() {
                return;
            }
        }
        self.out.push(Branch {
            weight,
            visits,
            no_route: false,
        });
    }

    /// What `cur` does with the request (see `sim` docs, "Routing"); marks
    /// its own visit (hit ratio, copies, replication wait) on the way.
    fn step(&self, visits: &mut [Visit], visited: &[bool], cur: usize) -> Step {
        let (g, fail, origin, write) = (self.g, self.fail, self.origin, self.write);
        let node = &g.nodes[cur];
        let here = g.eff(fail, cur, origin);
        let unvisited = |list: &Vec<usize>| -> Vec<usize> {
            list.iter().copied().filter(|&s| !visited[s]).collect()
        };
        let live = |cands: &[usize]| -> Vec<usize> {
            cands
                .iter()
                .copied()
                .filter(|&s| g.reachable(fail, cur, s))
                .collect()
        };
        let go = |next: Vec<usize>| -> Step {
            if next.is_empty() {
                Step::End(true)
            } else {
                Step::Go {
                    side: Vec::new(),
                    next,
                    end: false,
                }
            }
        };
        let last = visits.len() - 1;
        match node.role {
            Role::Client | Role::Router { .. } => {
                if node.role == (Role::Router { cdn: true }) && !write {
                    visits[last].hit = node.hit;
                }
                let cands = unvisited(&g.sync_out[cur]);
                if cands.is_empty() {
                    // A client with nowhere to send is an error; a router at
                    // the end of its connections (or of a cycle) serves.
                    return Step::End(node.role == Role::Client);
                }
                // Routers prefer by the request's origin region.
                go(g.nearest(origin, live(&cands).into_iter()))
            }
            Role::Compute { .. } => {
                if write {
                    visits[last].copies = true;
                }
                let cands = unvisited(&g.sync_out[cur]);
                let ComputeTargets {
                    primaries,
                    data,
                    caches,
                    forward: fwd,
                } = g.compute_targets(&cands);
                if write {
                    let tier = [primaries, data, caches, fwd]
                        .into_iter()
                        .find(|t| !t.is_empty());
                    let Some(tier) = tier else {
                        return Step::End(false); // served here
                    };
                    return go(g.nearest(here, live(&tier).into_iter()));
                }
                // Read: consult a cache first (a hit ends the request there).
                let cache = g.nearest(here, live(&caches).into_iter());
                if !data.is_empty() {
                    let alive = live(&data);
                    let prefer: Vec<usize> = alive
                        .iter()
                        .copied()
                        .filter(|&s| {
                            matches!(
                                g.nodes[s].role,
                                Role::Data(DataKind::Replica | DataKind::Search)
                            )
                        })
                        .collect();
                    let mut pick = g.nearest(here, prefer.into_iter());
                    if pick.is_empty() {
                        pick = g.nearest(here, alive.into_iter());
                    }
                    return Step::Go {
                        side: cache,
                        next: pick,
                        end: false,
                    };
                }
                if !caches.is_empty() && fwd.is_empty() {
                    // The cache is the store: it serves hits and misses.
                    if cache.is_empty() {
                        return Step::End(true);
                    }
                    return Step::Go {
                        side: Vec::new(),
                        next: cache,
                        end: true,
                    };
                }
                if fwd.is_empty() {
                    return Step::End(false); // served here
                }
                Step::Go {
                    side: cache,
                    next: g.nearest(here, live(&fwd).into_iter()),
                    end: false,
                }
            }
            Role::Cache => {
                if write {
                    visits[last].copies = true;
                    return Step::End(false);
                }
                visits[last].hit = node.hit;
                let cands = unvisited(&g.sync_out[cur]);
                if cands.is_empty() {
                    // No store behind: the cache serves its misses too.
                    return Step::End(false);
                }
                go(g.nearest(here, live(&cands).into_iter()))
            }
            Role::Log => {
                // A message handed to a log: its consumers get a copy.
                visits[last].copies = true;
                Step::End(false)
            }
            Role::Data(kind) => {
                if !write {
                    return Step::End(false);
                }
                if kind == DataKind::Replica {
                    let prim = unvisited(&g.repl_in[cur]);
                    if !prim.is_empty() {
                        return go(g.nearest(here, live(&prim).into_iter()));
                    }
                }
                visits[last].copies = true;
                // Synchronous replication: the write waits for the slowest
                // live target's round trip (targets are written in parallel).
                visits[last].sync_wait = g.sync_repl_out[cur]
                    .iter()
                    .filter(|&&t| g.reachable(fail, cur, t))
                    .map(|&t| g.rtt[here][g.eff(fail, t, origin)])
                    .fold(0.0, f64::max);
                // A global store keeps each write in a majority of the
                // design's live regions before acknowledging it (Paxos,
                // Raft): the write waits for the nearest quorum.
                if node.global {
                    visits[last].sync_wait = visits[last].sync_wait.max(g.quorum_wait(fail, here));
                }
                Step::End(false)
            }
        }
    }
}

/// Walks one request class through the design (see "Routing" above and in
/// the `sim` docs): its path tree, as branches in depth-first order
/// (candidates in connection order), their weights summing to 1.
pub(crate) fn walk_tree(
    g: &Graph,
    fail: &FailState,
    client: usize,
    origin: usize,
    write: bool,
) -> Vec<Branch> {
    let mut visited = vec![false; g.nodes.len()];
    visited[client] = true;
    let start = vec![Visit {
        node: client,
        rtt: 0.0,
        crosses: false,
        hit: 0.0,
        copies: false,
        sync_wait: 0.0,
    }];
    let mut w = Walker {
        g,
        fail,
        origin,
        write,
        out: Vec::new(),
        leaves: 1,
    };
    w.go(start, visited, client, 1.0);
    w.out
}

/// One path for a request class: the heaviest branch of [`walk_tree`]
/// (the first of equals). For callers that follow a single representative
/// route; loads and latencies use the whole tree.
pub(crate) fn walk(
    g: &Graph,
    fail: &FailState,
    client: usize,
    origin: usize,
    write: bool,
) -> (Vec<Visit>, bool) {
    let mut best: Option<Branch> = None;
    for b in walk_tree(g, fail, client, origin, write) {
        if best.as_ref().is_none_or(|x| b.weight > x.weight) {
            best = Some(b);
        }
    }
    best.map_or((Vec::new(), true), |b| (b.visits, b.no_route))
}

/// The spread of asynchronous copies from one node: every node reachable
/// through its asynchronous edges and then any edges, each once.
struct Wave {
    /// (node, index of the entry it was copied from or None for a first
    /// hop, the share of the copies the connection into it carries).
    entries: Vec<(usize, Option<usize>, f64)>,
}

fn wave(g: &Graph, fail: &FailState, src: usize) -> Wave {
    let mut seen = vec![false; g.nodes.len()];
    seen[src] = true;
    let mut entries: Vec<(usize, Option<usize>, f64)> = Vec::new();
    for &t in &g.async_out[src] {
        if !seen[t] && g.reachable(fail, src, t) {
            seen[t] = true;
            entries.push((t, None, g.share(src, t).unwrap_or(1.0)));
        }
    }
    let mut i = 0;
    while i < entries.len() {
        let from = entries[i].0;
        for &t in &g.all_out[from] {
            if !seen[t] && g.reachable(fail, from, t) {
                seen[t] = true;
                entries.push((t, Some(i), g.share(from, t).unwrap_or(1.0)));
            }
        }
        i += 1;
    }
    Wave { entries }
}

#[derive(Default, Clone)]
struct Flows {
    offered: Vec<f64>,
    served: Vec<f64>,
    absorbed: Vec<f64>,
    dropped: Vec<f64>,
    forwarded: Vec<f64>,
    no_route: Vec<f64>,
    writes: Vec<f64>,
    /// Writes from client requests only (not replication copies).
    own_writes: Vec<f64>,
    completed: f64,
    lost: f64,
    errors: f64,
}

fn flows(g: &Graph, paths: &[Path], waves: &[Option<Wave>], drop: &[f64]) -> Flows {
    let n = g.nodes.len();
    let z = vec![0.0; n];
    let mut f = Flows {
        offered: z.clone(),
        served: z.clone(),
        absorbed: z.clone(),
        dropped: z.clone(),
        forwarded: z.clone(),
        no_route: z.clone(),
        writes: z.clone(),
        own_writes: z.clone(),
        ..Flows::default()
    };
    let mut copies = z;
    for p in paths {
        let mut a = p.rate;
        let k = p.visits.len();
        for (i, v) in p.visits.iter().enumerate() {
            let m = v.node;
            f.offered[m] += a;
            let dr = a * drop[m];
            f.dropped[m] += dr;
            f.lost += dr;
            let proc = a - dr;
            if v.copies && (p.write || g.nodes[m].role == Role::Log) {
                copies[m] += proc;
            }
            if p.write && g.nodes[m].is_data() {
                f.writes[m] += proc;
                f.own_writes[m] += proc;
            }
            let ab = proc * v.hit;
            f.absorbed[m] += ab;
            f.completed += ab;
            let cont = proc - ab;
            if i + 1 == k {
                if p.no_route {
                    f.no_route[m] += cont;
                    f.errors += cont;
                } else {
                    f.served[m] += cont;
                    f.completed += cont;
                }
            } else {
                f.forwarded[m] += cont;
            }
            a = cont;
        }
    }
    // Asynchronous copies: each node reached serves its copy (load only).
    let mut arrive: Vec<f64> = Vec::new();
    for (src, w) in waves.iter().enumerate() {
        let (Some(w), rate) = (w, copies[src]) else {
            continue;
        };
        if rate <= 0.0 {
            continue;
        }
        arrive.clear();
        for &(m, parent, share) in &w.entries {
            let a = share
                * match parent {
                    None => rate,
                    Some(pi) => arrive[pi] * (1.0 - drop[w.entries[pi].0]),
                };
            arrive.push(a);
            f.offered[m] += a;
            f.dropped[m] += a * drop[m];
            f.served[m] += a * (1.0 - drop[m]);
            if g.nodes[m].is_data() {
                f.writes[m] += a * (1.0 - drop[m]);
            }
        }
    }
    f
}

fn queue_of(g: &Graph, fail: &FailState, i: usize, lambda: f64) -> QueueState {
    let node = &g.nodes[i];
    let p = node.params;
    let service_s = if node.service_ms.is_finite() && node.service_ms > 0.0 {
        node.service_ms / 1000.0
    } else {
        0.0
    };
    let cv = if p.service_cv.is_finite() && p.service_cv >= 0.0 {
        p.service_cv
    } else {
        1.0
    };
    node_queue(lambda, fail.servers[i], service_s, cv)
}

/// Maximum fixed-point iterations for shedding (see `sim` docs).
pub const MAX_ITERATIONS: usize = 50;

/// The steady state with node `i` running `replicas[i]` instances (as
/// autoscaling sets them, see `capacity`).
pub(crate) fn run_with(
    input: &SimInput,
    g: &Graph,
    load_factor: f64,
    failures: &Failures,
    replicas: &[u32],
    messages: &mut Vec<String>,
) -> LoadResult {
    let mut fail = FailState::new(g, failures, messages);
    for (i, &r) in replicas.iter().enumerate().take(g.nodes.len()) {
        if r != g.nodes[i].replicas && !fail.down[i] {
            fail.servers[i] = fail.servers_with(g, i, r);
        }
    }
    let srcs = sources(g, input, messages);
    let (rps, wf) = request_rates(input.workload, load_factor);
    let mut paths = Vec::new();
    for s in &srcs {
        for (write, frac) in [(false, 1.0 - wf), (true, wf)] {
            let rate = rps * s.share * frac;
            if rate <= 0.0 {
                continue;
            }
            if fail.down[s.client] {
                paths.push(Path {
                    origin: s.origin,
                    write,
                    rate,
                    visits: Vec::new(),
                    no_route: true,
                });
                continue;
            }
            for b in walk_tree(g, &fail, s.client, s.origin, write) {
                paths.push(Path {
                    origin: s.origin,
                    write,
                    rate: rate * b.weight,
                    visits: b.visits,
                    no_route: b.no_route,
                });
            }
        }
    }
    // Client requests actually emitted: 0 when nothing sends requests.
    let emitted: f64 = paths.iter().map(|p| p.rate).sum();
    // A failed client's requests are errors without a node to count them at.
    let client_errors: f64 = paths
        .iter()
        .filter(|p| p.visits.is_empty())
        .map(|p| p.rate)
        .sum();
    paths.retain(|p| !p.visits.is_empty());
    let waves: Vec<Option<Wave>> = (0..g.nodes.len())
        .map(|i| (!g.async_out[i].is_empty()).then(|| wave(g, &fail, i)))
        .collect();

    // Fixed point: shedding upstream lowers the load downstream.
    let n = g.nodes.len();
    let mut drop = vec![0.0; n];
    let mut f = flows(g, &paths, &waves, &drop);
    let mut queues: Vec<QueueState> = (0..n)
        .map(|i| queue_of(g, &fail, i, f.offered[i]))
        .collect();
    let mut converged = false;
    for _ in 0..MAX_ITERATIONS {
        let next: Vec<f64> = queues.iter().map(|q| q.dropped).collect();
        let delta = next
            .iter()
            .zip(&drop)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        if delta <= 1e-12 {
            converged = true;
            break;
        }
        drop = next;
        let offered = std::mem::take(&mut f.offered);
        f = flows(g, &paths, &waves, &drop);
        // Erlang B costs O(√a) steps on a large node, and most nodes' loads
        // stop changing after a round or two: recompute only those that moved.
        for (i, q) in queues.iter_mut().enumerate() {
            if f.offered[i].to_bits() != offered[i].to_bits() {
                *q = queue_of(g, &fail, i, f.offered[i]);
            }
        }
    }
    if !converged {
        messages.push(format!(
            "shedding did not settle in {MAX_ITERATIONS} iterations; loads are from the last one"
        ));
    }

    let timeout = super::request_timeout_ms(input);
    let mc = monte_carlo(input, g, &paths, &drop, &queues, timeout);

    let nodes: Vec<NodeLoad> = (0..n)
        .map(|i| {
            let node = &g.nodes[i];
            let q = &queues[i];
            NodeLoad {
                name: node.name.to_string(),
                component_type: node.type_id.to_string(),
                region: g.region_ids[node.region].to_string(),
                offered_rps: f.offered[i],
                served_rps: f.served[i],
                absorbed_rps: f.absorbed[i],
                dropped_rps: f.dropped[i],
                forwarded_rps: f.forwarded[i],
                no_route_rps: f.no_route[i],
                utilisation: finite(q.utilisation, 1e9),
                mean_wait_ms: finite(q.mean_wait_s * 1000.0, timeout),
                p_wait: q.p_wait,
                replicas: replicas.get(i).copied().unwrap_or(node.replicas),
                servers: fail.servers[i],
                sampled_visits: mc.visits[i],
                sampled_wait_ms: mc.wait_sum[i] / mc.visits[i].max(1) as f64,
                sampled_service_ms: mc.service_sum[i] / mc.visits[i].max(1) as f64,
            }
        })
        .collect();
    let bottleneck = nodes
        .iter()
        .filter(|x| x.offered_rps > 0.0)
        .fold(None::<&NodeLoad>, |b, x| match b {
            Some(b) if b.utilisation >= x.utilisation => Some(b),
            _ => Some(x),
        })
        .map(|x| x.name.clone());
    let write_rps_by_store = (0..n)
        .filter(|&i| g.nodes[i].is_data())
        .map(|i| (g.nodes[i].name.to_string(), f.writes[i]))
        .collect();
    let own_write_rps_by_store = (0..n)
        .filter(|&i| g.nodes[i].is_data())
        .map(|i| (g.nodes[i].name.to_string(), f.own_writes[i]))
        .collect();
    let offered = emitted;
    let errors = f.errors + client_errors;
    LoadResult {
        offered_rps: offered,
        throughput_rps: f.completed,
        dropped_rps: f.lost,
        error_rps: errors,
        error_rate: if offered > 0.0 {
            (f.lost + errors) / offered
        } else {
            0.0
        },
        mean_ms: mc.mean,
        p50_ms: mc.all.p50_ms,
        p95_ms: mc.all.p95_ms,
        p99_ms: mc.all.p99_ms,
        same_region: mc.same,
        cross_region: mc.cross,
        per_region: mc.per_region,
        nodes,
        bottleneck,
        write_rps_by_store,
        own_write_rps_by_store,
        replication_lag_ms: super::replication_lag(input, g),
        scale_outs: Vec::new(),
    }
}

fn finite(x: f64, cap: f64) -> f64 {
    if x.is_finite() { x.min(cap) } else { cap }
}

struct Mc {
    all: Percentiles,
    mean: f64,
    same: Option<Percentiles>,
    cross: Option<Percentiles>,
    per_region: Vec<(String, Percentiles)>,
    visits: Vec<u64>,
    wait_sum: Vec<f64>,
    service_sum: Vec<f64>,
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

fn monte_carlo(
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
    let mut rng = Rng::new(input.catalog.simulation.seed);
    let dists: Vec<ServiceDist> = g
        .nodes
        .iter()
        .map(|x| ServiceDist::new(x.service_ms.max(0.0), x.params.service_cv.max(0.0)))
        .collect();
    // (latency, crossed regions, origin) per sample, in sampling order.
    let mut all: Vec<(f64, bool, usize)> = Vec::with_capacity(samples);
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
            // The wait's exponential draw, its logarithm taken only when used.
            let u_e = rng.uniform();
            if u_drop < drop[m] {
                failed = true;
                break;
            }
            let q = &queues[m];
            let w = if u_wait < q.p_wait && q.wait_rate > 0.0 && q.wait_rate.is_finite() {
                -libm::log(u_e) / q.wait_rate * 1000.0
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
