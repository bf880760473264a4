//! Steady state: where requests go (paths), how much load each node gets
//! (flows, iterated to a fixed point with shedding), and what latency
//! requests see (seeded Monte Carlo over the same paths).
//!
//! Routing is deterministic given the request's client, origin region, kind
//! and the failures, so each (client, origin, kind) class has exactly one
//! path; the only randomness along it is cache hits and shedding. Flows are
//! therefore exact expectations, and the Monte Carlo only samples service
//! times, waits, hits and drops.

use super::graph::{DataKind, FailState, Graph, Role};
use super::queueing::{QueueState, node_queue};
use super::rng::Rng;
use super::{Failures, LoadResult, NodeLoad, Percentiles, SimInput};

/// One traffic class's share of the workload.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub client: usize,
    pub origin: usize,
    /// Fraction of workload.rps (all sources sum to 1).
    pub share: f64,
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
        let mut used: Vec<usize> = Vec::new();
        for n in &g.nodes {
            if !n.global && !used.contains(&n.region) {
                used.push(n.region);
            }
        }
        used.sort_unstable();
        if used.is_empty() {
            used = (0..g.region_ids.len())
                .filter(|&i| !g.region_global[i])
                .collect();
        }
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

#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub origin: usize,
    pub write: bool,
    /// Requests per second on this path.
    pub rate: f64,
    pub visits: Vec<Visit>,
    /// The last node found no live successor: the request is an error.
    pub no_route: bool,
}

/// Walks one request class through the design (see `sim` docs, "Routing").
pub(crate) fn walk(
    g: &Graph,
    fail: &FailState,
    client: usize,
    origin: usize,
    write: bool,
) -> (Vec<Visit>, bool) {
    let n = g.nodes.len();
    let mut visited = vec![false; n];
    let mut visits: Vec<Visit> = Vec::new();
    let fresh = |node, rtt, crosses| Visit {
        node,
        rtt,
        crosses,
        hit: 0.0,
        copies: false,
        sync_wait: 0.0,
    };
    visits.push(fresh(client, 0.0, false));
    visited[client] = true;
    let mut cur = client;
    // A request enters a node after a hop from `from`.
    let push = |visits: &mut Vec<Visit>, visited: &mut Vec<bool>, from: usize, to: usize| {
        let (rtt, crosses) = g.hop(from, to, origin);
        visited[to] = true;
        visits.push(Visit {
            node: to,
            rtt,
            crosses,
            hit: 0.0,
            copies: false,
            sync_wait: 0.0,
        });
    };
    // Guard: a path visits each node at most once, so at most n steps.
    for _ in 0..=n {
        let node = &g.nodes[cur];
        let here = g.eff(cur, origin);
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
                    let no_route = node.role == Role::Client;
                    return (visits, no_route);
                }
                let alive = live(&cands);
                // Routers prefer by the request's origin region.
                let Some(next) = g.best(origin, alive.into_iter()) else {
                    return (visits, true);
                };
                push(&mut visits, &mut visited, cur, next);
                cur = next;
            }
            Role::Compute { .. } => {
                if write {
                    visits[last].copies = true;
                }
                let cands = unvisited(&g.sync_out[cur]);
                let of = |f: &dyn Fn(Role) -> bool| -> Vec<usize> {
                    cands
                        .iter()
                        .copied()
                        .filter(|&s| f(g.nodes[s].role))
                        .collect()
                };
                let data = of(&|r| matches!(r, Role::Data(_)));
                let caches = of(&|r| r == Role::Cache);
                let fwd =
                    of(&|r| matches!(r, Role::Client | Role::Router { .. } | Role::Compute { .. }));
                if write {
                    let primaries = of(&|r| r == Role::Data(DataKind::Primary));
                    let tier = [primaries, data, caches, fwd]
                        .into_iter()
                        .find(|t| !t.is_empty());
                    let Some(tier) = tier else {
                        return (visits, false); // served here
                    };
                    let Some(next) = g.best(here, live(&tier).into_iter()) else {
                        return (visits, true);
                    };
                    push(&mut visits, &mut visited, cur, next);
                    cur = next;
                    continue;
                }
                // Read: consult a cache first (a hit ends the request there).
                let cache = g.best(here, live(&caches).into_iter());
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
                    let pick = g
                        .best(here, prefer.into_iter())
                        .or_else(|| g.best(here, alive.into_iter()));
                    if let Some(c) = cache {
                        push(&mut visits, &mut visited, cur, c);
                        let l = visits.len() - 1;
                        visits[l].hit = g.nodes[c].hit;
                    }
                    let Some(d) = pick else {
                        return (visits, true);
                    };
                    push(&mut visits, &mut visited, cur, d);
                    cur = d;
                    continue;
                }
                if !caches.is_empty() && fwd.is_empty() {
                    // The cache is the store: it serves hits and misses.
                    let Some(c) = cache else {
                        return (visits, true);
                    };
                    push(&mut visits, &mut visited, cur, c);
                    let l = visits.len() - 1;
                    visits[l].hit = g.nodes[c].hit;
                    return (visits, false);
                }
                if fwd.is_empty() {
                    return (visits, false); // served here
                }
                if let Some(c) = cache {
                    push(&mut visits, &mut visited, cur, c);
                    let l = visits.len() - 1;
                    visits[l].hit = g.nodes[c].hit;
                }
                let Some(next) = g.best(here, live(&fwd).into_iter()) else {
                    return (visits, true);
                };
                push(&mut visits, &mut visited, cur, next);
                cur = next;
            }
            Role::Cache => {
                if write {
                    visits[last].copies = true;
                    return (visits, false);
                }
                visits[last].hit = node.hit;
                let cands = unvisited(&g.sync_out[cur]);
                if cands.is_empty() {
                    // No store behind: the cache serves its misses too.
                    return (visits, false);
                }
                let Some(next) = g.best(here, live(&cands).into_iter()) else {
                    return (visits, true);
                };
                push(&mut visits, &mut visited, cur, next);
                cur = next;
            }
            Role::Log => {
                // A message handed to a log: its consumers get a copy.
                visits[last].copies = true;
                return (visits, false);
            }
            Role::Data(kind) => {
                if !write {
                    return (visits, false);
                }
                if kind == DataKind::Replica {
                    let prim = unvisited(&g.repl_in[cur]);
                    if !prim.is_empty() {
                        let Some(p) = g.best(here, live(&prim).into_iter()) else {
                            return (visits, true);
                        };
                        push(&mut visits, &mut visited, cur, p);
                        cur = p;
                        continue;
                    }
                }
                visits[last].copies = true;
                // Synchronous replication: the write waits for the slowest
                // live target's round trip (targets are written in parallel).
                visits[last].sync_wait = g.sync_repl_out[cur]
                    .iter()
                    .filter(|&&t| g.reachable(fail, cur, t))
                    .map(|&t| g.rtt[here][g.eff(t, origin)])
                    .fold(0.0, f64::max);
                return (visits, false);
            }
        }
    }
    (visits, false)
}

/// The spread of asynchronous copies from one node: every node reachable
/// through its asynchronous edges and then any edges, each once.
struct Wave {
    /// (node, index of the entry it was copied from, or None for a first hop).
    entries: Vec<(usize, Option<usize>)>,
}

fn wave(g: &Graph, fail: &FailState, src: usize) -> Wave {
    let mut seen = vec![false; g.nodes.len()];
    seen[src] = true;
    let mut entries: Vec<(usize, Option<usize>)> = Vec::new();
    for &t in &g.async_out[src] {
        if !seen[t] && g.reachable(fail, src, t) {
            seen[t] = true;
            entries.push((t, None));
        }
    }
    let mut i = 0;
    while i < entries.len() {
        let from = entries[i].0;
        for &t in &g.all_out[from] {
            if !seen[t] && g.reachable(fail, from, t) {
                seen[t] = true;
                entries.push((t, Some(i)));
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
        for &(m, parent) in &w.entries {
            let a = match parent {
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

fn queue_of(g: &Graph, i: usize, lambda: f64) -> QueueState {
    let node = &g.nodes[i];
    let p = node.params;
    let service_s = if p.service_ms.is_finite() && p.service_ms > 0.0 {
        p.service_ms / 1000.0
    } else {
        0.0
    };
    let cv = if p.service_cv.is_finite() && p.service_cv >= 0.0 {
        p.service_cv
    } else {
        1.0
    };
    node_queue(lambda, node.servers(), service_s, cv)
}

/// Maximum fixed-point iterations for shedding (see `sim` docs).
pub const MAX_ITERATIONS: usize = 50;

pub(crate) fn run(
    input: &SimInput,
    g: &Graph,
    load_factor: f64,
    failures: &Failures,
    messages: &mut Vec<String>,
) -> LoadResult {
    let fail = FailState::new(g, failures, messages);
    let srcs = sources(g, input, messages);
    let rps = input.workload.rps * load_factor;
    let rps = if rps.is_finite() && rps > 0.0 {
        rps
    } else {
        0.0
    };
    let wf = input.workload.write_fraction;
    let wf = if wf.is_finite() {
        wf.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut paths = Vec::new();
    for s in &srcs {
        for (write, frac) in [(false, 1.0 - wf), (true, wf)] {
            let rate = rps * s.share * frac;
            if rate <= 0.0 {
                continue;
            }
            let (visits, no_route) = if fail.down[s.client] {
                (Vec::new(), true)
            } else {
                walk(g, &fail, s.client, s.origin, write)
            };
            paths.push(Path {
                origin: s.origin,
                write,
                rate,
                visits,
                no_route,
            });
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
    let mut queues: Vec<QueueState> = (0..n).map(|i| queue_of(g, i, f.offered[i])).collect();
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
        f = flows(g, &paths, &waves, &drop);
        queues = (0..n).map(|i| queue_of(g, i, f.offered[i])).collect();
    }
    if !converged {
        messages.push(format!(
            "shedding did not settle in {MAX_ITERATIONS} iterations; loads are from the last one"
        ));
    }

    let timeout = input.catalog.simulation.request_timeout_ms;
    let timeout = if timeout.is_finite() && timeout > 0.0 {
        timeout
    } else {
        10_000.0
    };
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
                replicas: node.replicas,
                servers: node.servers(),
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
        replication_lag_ms: super::replication_lag(input, g),
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
    let mut all = Vec::with_capacity(samples);
    let mut same = Vec::new();
    let mut cross = Vec::new();
    let mut by_region: Vec<Vec<f64>> = vec![Vec::new(); g.region_ids.len()];
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
            let params = g.nodes[m].params;
            let s = rng.service(params.service_ms.max(0.0), params.service_cv.max(0.0));
            let e = rng.exponential(1.0);
            if u_drop < drop[m] {
                failed = true;
                break;
            }
            let q = &queues[m];
            let w = if u_wait < q.p_wait && q.wait_rate > 0.0 && q.wait_rate.is_finite() {
                e / q.wait_rate * 1000.0
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
        all.push(lat);
        if crossed {
            cross.push(lat)
        } else {
            same.push(lat)
        }
        by_region[p.origin].push(lat);
    }
    let mean = if all.is_empty() {
        0.0
    } else {
        all.iter().sum::<f64>() / all.len() as f64
    };
    let sorted = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v
    };
    let all = percentiles(&sorted(all));
    let opt = |v: Vec<f64>| (!v.is_empty()).then(|| percentiles(&sorted(v)));
    let per_region = by_region
        .into_iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(r, v)| (g.region_ids[r].to_string(), percentiles(&sorted(v))))
        .collect();
    Mc {
        all,
        mean,
        same: opt(same),
        cross: opt(cross),
        per_region,
        visits,
        wait_sum,
        service_sum,
    }
}
