//! Steady state: where requests go ([`super::routing`]), how much load
//! each node gets ([`super::flows`], iterated here to a fixed point with
//! shedding), and what latency requests see ([`super::latency`], seeded
//! Monte Carlo over the same trees).
//!
//! Flows are exact expectations over the path trees, so conservation
//! (offered = served + absorbed + dropped + forwarded + no-route at every
//! node; client requests = completed + dropped + errors overall) holds per
//! branch and in total. The Monte Carlo draws a branch with probability
//! proportional to its rate (class share × weight) from the seeded
//! generator, then samples service times, waits, hits and drops along it;
//! the run stays deterministic for a seed.

use super::flows::{Wave, fixed_wave, flows, wave};
use super::graph::{FailState, Graph, Role};
pub(crate) use super::latency::Sampling;
use super::latency::{finite, monte_carlo};
use super::queueing::{QueueState, node_queue};
use super::spill;
use super::{Failures, LoadResult, NodeLoad, SimInput};

pub(crate) use super::routing::{Path, Visit, walk, walk_tree};
pub(crate) use super::sources::{Source, request_rates, sources};

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

/// Every request class's branches: each source's reads and writes walked
/// through the design under `fail` (a failed client's requests are paths
/// with no visit, errors).
fn class_paths(g: &Graph, fail: &FailState, srcs: &[Source], rps: f64, wf: f64) -> Vec<Path> {
    let mut paths = Vec::new();
    for s in srcs {
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
            for b in walk_tree(g, fail, s.client, s.origin, write) {
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
    paths
}

/// Maximum fixed-point iterations for shedding (see `sim` docs).
pub const MAX_ITERATIONS: usize = 50;

/// A steady state's flows and queues, before its latency is sampled: what
/// [`Flowed::finish`] needs, so a caller that learns only afterwards whether
/// the latency is read (a scenario's phases, autoscaling's last step) can
/// sample it then without flowing again.
pub(crate) struct Flowed {
    fail: FailState,
    paths: Vec<Path>,
    drop: Vec<f64>,
    queues: Vec<QueueState>,
    f: super::flows::Flows,
    /// Client requests emitted, and those of failed clients (errors with no
    /// node to count them at).
    emitted: f64,
    client_errors: f64,
    replicas: Vec<u32>,
}

/// The steady state with node `i` running `replicas[i]` instances (as
/// autoscaling sets them, see `capacity`), up to its latency.
pub(crate) fn flowed(
    input: &SimInput,
    g: &Graph,
    load_factor: f64,
    failures: &Failures,
    replicas: &[u32],
    messages: &mut Vec<String>,
) -> Flowed {
    let mut fail = FailState::new(g, failures, messages);
    for (i, &r) in replicas.iter().enumerate().take(g.nodes.len()) {
        if r != g.nodes[i].replicas && !fail.down[i] {
            fail.servers[i] = fail.servers_with(g, i, r);
        }
    }
    let srcs = sources(g, input, messages);
    let (rps, wf) = request_rates(input.workload, load_factor);
    let mut paths = class_paths(g, &fail, &srcs, rps, wf);
    let waves: Vec<Option<Wave>> = (0..g.nodes.len())
        .map(|i| (!g.async_out[i].is_empty()).then(|| wave(g, &fail, i)))
        .collect();
    let fixed: Vec<(Wave, f64)> = g
        .fixed
        .iter()
        .filter_map(|&(a, b, r)| fixed_wave(g, &fail, a, b).map(|w| (w, r)))
        .collect();
    // Users with no live target in their region: spilling routers fill the
    // nearest targets with capacity first (see `spill`).
    let mut rules = spill::find_rules(g, &fail, &paths);
    if !rules.is_empty() {
        let no_drop = vec![0.0; g.nodes.len()];
        for _ in 0..spill::MAX_ROUNDS {
            let demand = flows(g, &paths, &waves, &fixed, &no_drop).offered;
            let change = spill::rebalance(g, &fail, &paths, &demand, &mut rules);
            fail.spill = rules.clone();
            paths = class_paths(g, &fail, &srcs, rps, wf);
            if change <= 1e-9 {
                break;
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

    // Fixed point: shedding upstream lowers the load downstream.
    let n = g.nodes.len();
    let mut drop = vec![0.0; n];
    let mut f = flows(g, &paths, &waves, &fixed, &drop);
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
        f = flows(g, &paths, &waves, &fixed, &drop);
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

    Flowed {
        fail,
        paths,
        drop,
        queues,
        f,
        emitted,
        client_errors,
        replicas: replicas.to_vec(),
    }
}

impl Flowed {
    /// The steady state, its latency as `sampling` says (`self` comes from
    /// [`flowed`] with the same input and graph).
    pub(crate) fn finish(&self, input: &SimInput, g: &Graph, sampling: Sampling) -> LoadResult {
        let Flowed {
            fail,
            paths,
            drop,
            queues,
            f,
            emitted,
            client_errors,
            replicas,
        } = self;
        let n = g.nodes.len();
        let timeout = super::request_timeout_ms(input);
        let mc = monte_carlo(input, g, paths, drop, queues, timeout, sampling);

        let nodes: Vec<NodeLoad> = (0..n)
            .map(|i| {
                let node = &g.nodes[i];
                let q = &queues[i];
                let [name, component_type, region] = g.labels(i).clone();
                NodeLoad {
                    name,
                    component_type,
                    region,
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
        // Users are never the bottleneck, nor is a component with nothing to do.
        let bottleneck = nodes
            .iter()
            .enumerate()
            .filter(|(i, x)| {
                g.nodes[*i].role != Role::Client && x.offered_rps > 0.0 && x.utilisation > 0.0
            })
            .map(|(_, x)| x)
            .fold(None::<&NodeLoad>, |b, x| match b {
                Some(b) if b.utilisation >= x.utilisation => Some(b),
                _ => Some(x),
            })
            .map(|x| x.name.to_string());
        let write_rps_by_store = (0..n)
            .filter(|&i| g.nodes[i].is_data())
            .map(|i| (g.nodes[i].name.to_string(), f.writes[i]))
            .collect();
        let own_write_rps_by_store = (0..n)
            .filter(|&i| g.nodes[i].is_data())
            .map(|i| (g.nodes[i].name.to_string(), f.own_writes[i]))
            .collect();
        let offered = *emitted;
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
}
