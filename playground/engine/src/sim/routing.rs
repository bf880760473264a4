//! Where requests go: each request class's path tree through the design.
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
//! over the set (or by the connections' shares, see `Graph::split` and
//! `Graph::call_split`): each of n candidates gets weight 1/n. For a router
//! that spreads load over every healthy local target (an lb in front of
//! three same-region app tiers sends λ/3 to each); for compute, caches and
//! stores the set is the single nearest store unless several tie (two local
//! caches), which then split too. An empty set is a no-route error. A
//! cdn (and a cache) ends its node's `hit` of the reads it processes before
//! choosing: the component's `hit_ratio`, else `cache_hit_target`, else
//! the catalog's — so a GeoDNS with `hit_ratio: 0` forwards every read.
//!
//! So each (client, origin, kind) class has a *path tree*, walked as its
//! branches ([`walk_tree`]): a branch's weight is the product of its
//! choices' weights, and the weights of a class sum to 1. A branch carries
//! rate `class rate × weight`; `flows` sums them per node and `latency`
//! samples them.

use super::graph::{ComputeTargets, DataKind, FailState, Graph, Role};

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
        /// How `next` splits, when a spill rule decides (see `spill`).
        weights: Option<Vec<f64>>,
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
            let (side, next, end, weights) = match self.step(&mut visits, &visited, cur) {
                Step::End(no_route) => {
                    self.out.push(Branch {
                        weight,
                        visits,
                        no_route,
                    });
                    return;
                }
                Step::Go {
                    side,
                    next,
                    end,
                    weights,
                } => (side, next, end, weights),
            };
            // The branch forks into every (side, next) pair: pair k is side
            // k / n_next and next k % n_next, `None` where a list is empty.
            // Most steps have one pair and no split to weigh, and take no
            // allocation here.
            let (n_sides, n_next) = (side.len().max(1), next.len().max(1));
            let mut pairs = n_sides * n_next;
            if self.leaves + pairs - 1 > MAX_BRANCHES {
                pairs = 1;
            }
            self.leaves += pairs - 1;
            // A client or router splits by its connections' shares (evenly
            // when none is set); other ties split evenly (`next_weight`
            // left empty).
            let role = self.g.nodes[cur].role;
            let by_share = matches!(role, Role::Client | Role::Router { .. }) && n_next > 1;
            let calls = matches!(role, Role::Compute { .. })
                && next.iter().any(|&x| self.g.share(cur, x).is_some());
            let (next_weight, stay): (Vec<f64>, f64) = if let Some(w) = weights {
                (w, 0.0)
            } else if by_share {
                (self.g.split(cur, &next), 0.0)
            } else if calls {
                self.g.call_split(cur, &next)
            } else {
                (Vec::new(), 0.0)
            };
            debug_assert!(next_weight.is_empty() || next_weight.len() == n_next);
            let even = 1.0 / n_next as f64;
            if stay > 0.0 {
                // The requests that make none of the shared calls end here.
                self.out.push(Branch {
                    weight: weight * stay,
                    visits: visits.clone(),
                    no_route: false,
                });
            }
            let single = pairs == 1 && stay <= 0.0;
            for k in 0..pairs {
                let (s, x) = (side.get(k / n_next).copied(), next.get(k % n_next).copied());
                let share = if single {
                    weight
                } else {
                    let w = next_weight.get(k % n_next).copied().unwrap_or(even);
                    weight / n_sides as f64 * w
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
        // Candidates are filtered in one pass each (routing asks at every
        // step of every class, so its lists are kept few).
        let all_visited = |list: &[usize]| list.iter().all(|&s| visited[s]);
        let unvisited = |list: &[usize]| -> Vec<usize> {
            list.iter().copied().filter(|&s| !visited[s]).collect()
        };
        let live = |cands: &[usize]| -> Vec<usize> {
            cands
                .iter()
                .copied()
                .filter(|&s| g.reachable(fail, cur, s))
                .collect()
        };
        let live_unvisited = |list: &[usize]| -> Vec<usize> {
            list.iter()
                .copied()
                .filter(|&s| !visited[s] && g.reachable(fail, cur, s))
                .collect()
        };
        // The candidate set among a list of the step's own (see
        // `Graph::nearest`), filtered in place.
        let nearest = |at: usize, mut cands: Vec<usize>| -> Vec<usize> {
            g.keep_nearest(at, &mut cands);
            cands
        };
        let go = |next: Vec<usize>| -> Step {
            if next.is_empty() {
                Step::End(true)
            } else {
                Step::Go {
                    side: Vec::new(),
                    next,
                    end: false,
                    weights: None,
                }
            }
        };
        let last = visits.len() - 1;
        match node.role {
            Role::Client | Role::Router { .. } => {
                if node.role == (Role::Router { cdn: true }) && !write {
                    visits[last].hit = node.hit;
                }
                if all_visited(&g.sync_out[cur]) {
                    // A client with nowhere to send is an error; a router at
                    // the end of its connections (or of a cycle) serves.
                    return Step::End(node.role == Role::Client);
                }
                // Routers prefer by the request's origin region; users with
                // no live target there spill by the router's rule.
                let live = live_unvisited(&g.sync_out[cur]);
                if let Some(rule) = fail
                    .spill
                    .iter()
                    .find(|r| r.router == cur && r.origin == origin)
                {
                    let (next, weights): (Vec<usize>, Vec<f64>) = rule
                        .cands
                        .iter()
                        .zip(&rule.weights)
                        .filter(|&(c, &w)| w > 0.0 && live.contains(c))
                        .map(|(&c, &w)| (c, w))
                        .unzip();
                    let sum: f64 = weights.iter().sum();
                    if sum > 0.0 {
                        return Step::Go {
                            side: Vec::new(),
                            next,
                            end: false,
                            weights: Some(weights.iter().map(|w| w / sum).collect()),
                        };
                    }
                }
                go(nearest(origin, live))
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
                    return go(nearest(here, live(&tier)));
                }
                // Read: consult a cache first (a hit ends the request there).
                let cache = nearest(here, live(&caches));
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
                    let mut pick = nearest(here, prefer);
                    if pick.is_empty() {
                        pick = nearest(here, alive);
                    }
                    return Step::Go {
                        side: cache,
                        next: pick,
                        end: false,
                        weights: None,
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
                        weights: None,
                    };
                }
                if fwd.is_empty() {
                    return Step::End(false); // served here
                }
                Step::Go {
                    side: cache,
                    next: nearest(here, live(&fwd)),
                    end: false,
                    weights: None,
                }
            }
            Role::Cache => {
                if write {
                    visits[last].copies = true;
                    return Step::End(false);
                }
                visits[last].hit = node.hit;
                if all_visited(&g.sync_out[cur]) {
                    // No store behind: the cache serves its misses too.
                    return Step::End(false);
                }
                go(nearest(here, live_unvisited(&g.sync_out[cur])))
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
                if kind == DataKind::Replica && !all_visited(&g.repl_in[cur]) {
                    return go(nearest(here, live_unvisited(&g.repl_in[cur])));
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
