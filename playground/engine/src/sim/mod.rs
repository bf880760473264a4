//! The simulator: queueing, latency, availability and cost for a topology
//! under a problem's workload, at steady state (failure timelines build on
//! [`steady_state`] with [`Failures`]).
//!
//! Everything is deterministic (seeded PRNG, `libm` for transcendental
//! functions, no hash-map order in outputs) so native and WebAssembly builds
//! agree bit for bit.
//!
//! # Model
//!
//! **Sources.** A design without a client sends the workload from its entry
//! points (components no connection leads into; isolated ones excluded; for
//! a pure cycle the first component), each treated like a client in its own
//! region — see `graph` docs. Otherwise every `client` component emits requests; `workload.rps ×
//! load_factor` is split over them. With `client_regions` set, a region's
//! share goes evenly to the clients in that region; `global` clients take
//! the shares of regions with no client of their own (all shares when every
//! client is global); a share no client can take is spread over the others
//! (renormalised, with a message). Without `client_regions`, clients share
//! evenly. A request from a global client originates in a region drawn from
//! the shares it takes (or evenly over the non-global regions the design
//! uses). A fraction `write_fraction` of requests writes, the rest reads.
//!
//! **Edges.** `a → b` is asynchronous (load, not latency) when either end is
//! a stream/queue, both ends are data stores (replication) or a data store
//! feeds a worker (CDC, backup); a client's own edges are always synchronous.
//! Everything else is synchronous. A connection *into* a client is left out
//! (with a message): users only send, so a client's load is its own share of
//! the workload and never traffic passed on or copied to it.
//!
//! **Shares.** A connection's `share` (0, 1] weights a client's or
//! router's split (`Graph::split`: shared connections take their share, the
//! others split the rest evenly; a sum past 1 is scaled to 1) and scales the
//! copies an asynchronous connection passes on (`steady::wave`). Load only.
//!
//! **Routing** (deterministic for a given client, origin, kind and failures;
//! see `routing`, "Routing"):
//! * client, lb and cdn split each class evenly (1/n each, or by shares) over their live
//!   successors in the origin region (global counts as local), else over
//!   those tied (within 1e-9 ms) for the smallest RTT from the origin
//!   region; failed targets leave the set first, and an empty set is a
//!   no-route error. Compute, caches and data stores use the same set from
//!   their own region — usually one store, split evenly when several tie.
//!   Each class therefore has a weighted path tree. A cdn answers `hit` of
//!   reads itself (none when it only routes: `hit_ratio: 0`).
//! * app / worker: reads consult the nearest live cache (a hit ends the
//!   request there), then go to the nearest data store (replica or search
//!   preferred, else primary / object store); with no data store, a cache
//!   with nothing else behind the compute is the store, otherwise forward to
//!   the nearest router/compute; with none of these the compute serves.
//!   Writes go to the nearest primary, else any data store, else a cache,
//!   else forward, else are served there. "Nearest" for compute, caches and
//!   data is from the node's own region (where the call is made from).
//! * a cache reached directly answers `hit` of reads; misses continue to its
//!   nearest live successor, or the cache serves them (it is the store).
//!   Writes to a cache are served by it.
//! * data stores serve. A write reaching a db_replica is sent on to a
//!   primary replicating into it (paying their RTT).
//! * a stream/queue reached by a client accepts the message.
//! * no node is visited twice: successors on the path are skipped, and a
//!   node whose successors are all on the path serves (cycles end there).
//! * failed components, components in failed regions and nodes across a
//!   partition are skipped; when every candidate of a needed kind is down,
//!   the request is a *no-route error*.
//! * `hit` of a cache or CDN is the component's own `hit_ratio` when set
//!   (0 for a CDN-type component that only routes: GeoDNS, anycast), else
//!   the problem constant `cache_hit_target`, else the catalog `hit_ratio`.
//! * every node that processes a write (compute, the store that keeps it, a
//!   cache) sends a copy along its asynchronous edges; copies spread through
//!   every edge of the nodes they reach, each node once per origin node
//!   (load only: they add no latency and are not client requests).
//!
//! **Queues.** Per node: λ = offered rate (requests + copies), c = replicas ×
//! concurrency servers, service S with mean `service_ms` and CV
//! `service_cv`; [`queueing::node_queue`] gives ρ = λ/(c/S), P(wait) =
//! Erlang C, mean wait E[Wq] = C/(cμ − λ) × (1 + cv²)/2 (Allen–Cunneen), and
//! the shed fraction d = 1 − 1/ρ when ρ ≥ 1. The wait is evaluated at
//! min(ρ, 0.98) ([`queueing::SATURATED_RHO`]): an overloaded node runs its
//! admitted traffic at 98 %, and a node between 98 % and 100 % waits as
//! much, not more (so the wait never falls as load rises past capacity, nor
//! rises when capacity is added). Shed requests do not reach
//! downstream nodes, which changes their load, so loads and shed fractions
//! are iterated to a fixed point: start with d = 0, compute flows, compute
//! d, repeat until no d changes by more than 1e-12 (at most
//! [`steady::MAX_ITERATIONS`] = 50 rounds; on a feed-forward design it ends
//! after depth + 1 rounds). Flows are always computed from one d vector, so
//! at every node `served + absorbed + dropped + forwarded + no_route =
//! offered`, and over the design `requests = completed + dropped + errors`.
//!
//! **Latency** (seeded Monte Carlo, `simulation.latency_samples` requests,
//! `simulation.seed`): draw a path by its rate; at each node the request is
//! shed with probability d (then it counts at `request_timeout_ms`), else it
//! spends S ~ service(mean, cv) plus, with probability P(wait), an
//! exponential wait of rate (cμ − λ)/((1 + cv²)/2). Each hop adds one round
//! trip: same region `same_region_rtt_ms`; client ↔ global node
//! `edge_rtt_ms`; a global node sits in the origin region, so global →
//! regional is RTT(origin, region); else RTT(region a, region b). When the
//! origin region is lost, global nodes serve its users from the nearest
//! live region instead (client → global then costs that round trip).
//!
//! **Global components** are spread evenly over the design's K regions
//! (`Graph::design_region`): with m of them failed a global node keeps ⌈c × (K − m)/K⌉
//! of its c servers and is down only when m = K (see `graph::FailState`). A
//! request is cross-region if a hop joined two different (effective)
//! regions. A write ending at a store with `sync: true` replication waits
//! the slowest target's RTT; a write ending at a global store waits for a
//! majority of the design's regions (`Graph::quorum_wait`). Global
//! components of an edge-layer type are edge services (`Node::is_edge`):
//! reached at the edge RTT always, never spread over regions. Totals are
//! capped at the timeout. Percentiles are of whole requests (never summed
//! per hop), by conditional Monte Carlo (`tail.rs`): the path is drawn
//! stratified by rate, and each request keeps its most variable visit's wait
//! (with its service, when that is exponential) as an exact distribution,
//! so the latency distribution is the mean of the requests' conditional
//! distributions and a percentile is where it crosses the level. On a
//! single M/M/c node that is the closed form itself. Per path, the most
//! variable remaining service, the most variable remaining wait and the
//! first cache hit are drawn by Latin hypercube (their quantile at
//! (π(i) + u)/n, π a fixed permutation per kind, `normal.rs` for Φ⁻¹).
//!
//! **Availability**: see [`reliability`]. **Cost**: Σ replicas ×
//! cost_per_hour; a month is 730 h.

pub mod availability;
pub mod capacity;
mod choice;
mod connectivity;
mod draws;
mod fail_state;
mod flows;
mod graph;
mod instances;
mod kept;
mod latency;
mod normal;
pub mod queueing;
mod reach;
pub mod reliability;
mod results;
pub mod rng;
mod routing;
pub mod scenarios;
mod sources;
mod spill;
pub mod steady;
mod tail;
mod targets;
pub mod yearly;

use crate::tiers::evaluate_tiers;

pub use graph::share_applies;
use graph::{Graph, Role};
pub(crate) use targets::{check_targets, fmt_num};

/// The client timeout a shed or failed request counts at, ms: the
/// catalog's `request_timeout_ms`, or 10 s when it is not a positive number.
pub(crate) fn request_timeout_ms(input: &SimInput) -> f64 {
    let t = input.catalog.simulation.request_timeout_ms;
    if t.is_finite() && t > 0.0 {
        t
    } else {
        10_000.0
    }
}

/// Hours in a billing month.
pub const HOURS_PER_MONTH: f64 = 730.0;

pub use results::*;

fn push_unique(into: &mut Vec<String>, from: Vec<String>) {
    for m in from {
        if !into.contains(&m) {
            into.push(m);
        }
    }
}

/// Traffic, queues and latency at `load_factor` × workload.rps with the
/// given parts failed (routers already routing around them).
pub fn steady_state(input: &SimInput, load_factor: f64, failures: &Failures) -> LoadResult {
    steady_state_with_messages(input, load_factor, failures).0
}

/// [`steady_state`] and what the simulator had to skip or assume.
pub fn steady_state_with_messages(
    input: &SimInput,
    load_factor: f64,
    failures: &Failures,
) -> (LoadResult, Vec<String>) {
    settled_state(
        input,
        load_factor,
        failures,
        input.catalog.simulation.latency_samples,
    )
}

/// [`steady_state_with_messages`] with `samples` latency requests instead
/// of the catalog's (0: flows and queues only).
pub(crate) fn settled_state(
    input: &SimInput,
    load_factor: f64,
    failures: &Failures,
    samples: u32,
) -> (LoadResult, Vec<String>) {
    let g = Graph::build(input);
    let mut messages = g.messages.clone();
    let r = capacity::settled(input, &g, load_factor, failures, samples, &mut messages);
    let mut out = Vec::new();
    push_unique(&mut out, messages);
    (r, out)
}

/// Availability by connectivity alone, with nothing failed: every
/// combination of failures at the error rate it settles at (see
/// [`reliability`]); [`evaluate`] reports [`yearly::availability`], which
/// counts each failure as its scenario shows it.
pub fn availability(input: &SimInput) -> AvailabilityResult {
    availability_with(input, &Failures::default())
}

/// Availability with some parts already failed (they count as down).
pub fn availability_with(input: &SimInput, failures: &Failures) -> AvailabilityResult {
    connectivity::Connectivity::new(input).with(failures, connectivity::Random::Failures)
}

/// Σ replicas × cost_per_hour by type; a month is 730 h.
pub fn cost(input: &SimInput) -> CostResult {
    cost_with(input, |c| c.replicas)
}

/// [`cost`] with the instances a load state runs: what autoscaling gave each
/// component under that load (its `replicas` where the state has no node).
pub fn cost_at(input: &SimInput, state: &LoadResult) -> CostResult {
    cost_with(input, |c| {
        state
            .nodes
            .iter()
            .find(|n| *n.name == *c.name)
            .map_or(c.replicas, |n| n.replicas)
    })
}

fn cost_with(input: &SimInput, instances: impl Fn(&crate::spec::Component) -> u32) -> CostResult {
    let mut by_type: Vec<TypeCost> = Vec::new();
    for c in &input.topology.components {
        let Some(id) = input.catalog.resolve(&c.component_type) else {
            continue;
        };
        let price = input.catalog.types[id].sim.cost_per_hour;
        let price = if price.is_finite() { price } else { 0.0 };
        let count = instances(c);
        let add = f64::from(count) * price;
        match by_type.iter_mut().find(|t| t.component_type == id) {
            Some(t) => {
                t.instances += u64::from(count);
                t.per_hour += add;
            }
            None => by_type.push(TypeCost {
                component_type: id.to_string(),
                instances: u64::from(count),
                per_hour: add,
            }),
        }
    }
    // Catalog order, so output does not depend on component order.
    crate::sort::sort_by_key(&mut by_type, |t| {
        input.catalog.types.get_index_of(&t.component_type)
    });
    let per_hour: f64 = by_type.iter().map(|t| t.per_hour).sum();
    let per_month = per_hour * HOURS_PER_MONTH;
    let budget_usd = input.targets.monthly_budget_usd;
    CostResult {
        per_hour,
        per_month,
        by_type,
        budget_usd,
        within_budget: budget_usd.map(|b| per_month <= b),
    }
}

/// Worst asynchronous replication lag: over data stores that send to
/// another store or a log asynchronously (not `sync: true`), the constant
/// `replication_lag_ms` if the problem sets it, else the larger catalog lag
/// of the two ends.
pub(crate) fn replication_lag(input: &SimInput, g: &Graph) -> Option<f64> {
    let over = graph::constant(input, "replication_lag_ms");
    let mut worst: Option<f64> = None;
    for (a, outs) in g.async_out.iter().enumerate() {
        if !g.nodes[a].is_data() {
            continue;
        }
        for &b in outs {
            if g.sync_repl_out[a].contains(&b) {
                continue;
            }
            let lag = over.or_else(|| {
                let la = g.nodes[a].params.replication_lag_ms;
                let lb = if g.nodes[b].is_data() {
                    g.nodes[b].params.replication_lag_ms
                } else {
                    None
                };
                match (la, lb) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    (x, y) => x.or(y),
                }
            });
            if let Some(l) = lag.filter(|l| l.is_finite()) {
                worst = Some(worst.map_or(l, |w: f64| w.max(l)));
            }
        }
    }
    worst
}

/// Tiers, normal and peak load, availability, cost and every target.
pub fn evaluate(input: &SimInput) -> Evaluation {
    let mut e = evaluate_steady(input);
    add_scenarios(input, &mut e);
    e
}

/// [`evaluate`] without the failure scenarios (`scenarios` is empty): what
/// the playground shows at once, before [`add_scenarios`] fills in the rest.
pub fn evaluate_steady(input: &SimInput) -> Evaluation {
    let none = Failures::default();
    let (normal, m1) = steady_state_with_messages(input, 1.0, &none);
    let spike = input.workload.spike_multiplier;
    let spike = if spike.is_finite() && spike > 0.0 {
        spike
    } else {
        1.0
    };
    let (peak, m2) = steady_state_with_messages(input, spike, &none);
    let mut messages = Vec::new();
    push_unique(&mut messages, m1);
    push_unique(&mut messages, m2);
    {
        let g = Graph::build(input);
        // An app from which no synchronous path reaches a cache or data store.
        for (i, n) in g.nodes.iter().enumerate() {
            if n.role != (Role::Compute { worker: false }) {
                continue;
            }
            let mut seen = vec![false; g.nodes.len()];
            let mut stack = vec![i];
            seen[i] = true;
            let mut found = false;
            while let Some(x) = stack.pop() {
                for &s in &g.sync_out[x] {
                    if matches!(g.nodes[s].role, Role::Data(_) | Role::Cache) {
                        found = true;
                    } else if !seen[s] {
                        seen[s] = true;
                        stack.push(s);
                    }
                }
            }
            if !found {
                messages.push(format!(
                    "{} has no route to data: its requests end there",
                    n.name
                ));
            }
        }
    }
    let avail = availability(input);
    // What the design runs at normal load, autoscaling included.
    let cost = cost_at(input, &normal);
    let mut targets = check_targets(input, &normal, &avail, &cost);
    reach::mark(input, &mut targets);
    Evaluation {
        tiers: evaluate_tiers(input.tiers, input.topology, input.catalog),
        normal,
        peak,
        availability: avail,
        cost,
        targets,
        scenarios: Vec::new(),
        messages,
    }
}

/// Every failure scenario of the design, measured against `e` (from
/// [`evaluate_steady`] of the same input).
/// Availability then counts each failure as its scenario shows it
/// ([`yearly::availability`]), and the targets are checked with it.
pub fn add_scenarios(input: &SimInput, e: &mut Evaluation) {
    e.scenarios = scenarios::scenarios(input, &e.normal, &e.availability, &e.cost, &e.targets);
    e.availability = if e.normal.offered_rps > 0.0 {
        yearly::availability(input, &e.availability, &e.normal, &e.scenarios)
    } else {
        // Nothing sends requests: no failure changes what is served.
        AvailabilityResult {
            from_scenarios: true,
            ..e.availability.clone()
        }
    };
    let before = std::mem::take(&mut e.targets);
    e.targets = check_targets(input, &e.normal, &e.availability, &e.cost);
    // Latency targets do not depend on the scenarios: keep their reach.
    for (t, b) in e.targets.iter_mut().zip(before) {
        if t.name == b.name && t.passed == b.passed {
            t.out_of_reach = b.out_of_reach;
        }
    }
    reach::mark_availability(input, &mut e.targets);
}
