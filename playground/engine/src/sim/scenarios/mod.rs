//! Failure scenarios: what happens over time when a region, a component or
//! the link between two regions is lost, how long until requests succeed
//! again (RTO), and how much data is lost (RPO).
//!
//! # Scenarios
//!
//! For a design: each region of the design (non-global) is lost that hosts a
//! component other than a client, that requests come from, or — when the
//! design has a global component other than a client, which is spread over
//! the design's regions (see `graph::FailState`) — any region of the design
//! (in regions.yaml order). Each component other than a client is lost, all its
//! replicas (in design order). Each pair of regions hosting a regional
//! component other than a client is partitioned (global components reach
//! across partitions). A scenario starts at t = 0 and nothing is restored
//! within the modelled window.
//!
//! Losing a region takes down the regional components in it, and its share
//! of every global component: ⌈servers × (K − m)/K⌉ of them are left with m
//! of the design's K regions lost, and the survivors take all the load (they
//! may overload and shed). Requests from the lost region's users go on (users
//! do not fail with a data centre): they reach global components in the
//! nearest live region, paying the round trip there.
//!
//! # Request classes
//!
//! Routing is deterministic per (source, origin region, read/write) class
//! (see `sim` docs), so each class has one path. Three paths per class:
//! * **stale** — the normal path, under the failures: the class's share of
//!   requests that fails is the share that reaches the first failed part
//!   (a node down, or a hop across the partition) — i.e. the product of
//!   the miss ratios (1 − hit) of the caches/CDNs before it;
//! * **rerouted** — the path once every router knows (a walk with the
//!   failures): it fails (share = product of misses) only if it has no
//!   live route;
//! * **promoted** — the rerouted path after database failover (below).
//!
//! # Detection
//!
//! The node where the stale and rerouted paths part is the one that has to
//! notice the failure:
//! * a router with health checks (lb, cdn/GeoDNS): after
//!   `health_check_interval_s × health_check_threshold`; with `dns_ttl_s`
//!   (GeoDNS) resolvers keep the old answer, so the class's stale share
//!   decays linearly from full to 0 over the TTL after detection;
//! * anything else (a client, an app choosing another store or cache): when
//!   its request to the dead part times out (`request_timeout_ms`) and it
//!   tries the next.
//!
//! When the rerouted path is the stale one cut short (no alternative), no
//! one can route around: the class keeps failing ("until restored").
//!
//! # Failover
//!
//! A lost `db_primary` that replicates (asynchronously or with `sync:
//! true`) into a surviving db_primary or db_replica fails over to it (the
//! nearest; an existing primary first): after the lost primary's catalog
//! `failover_s` (same region) or `cross_region_failover_s` (the successor
//! in another region), counted from the failure (a problem's
//! `failover_time_seconds` is its requirement, not the promotion's time), a replica is promoted to primary and every
//! component that called the lost primary calls the new one (the writer
//! endpoint moves). Until then writes that need the lost primary fail.
//! Partitions fail nothing over (no split brain).
//!
//! # Timeline
//!
//! One point per second from −10 s to the recovery + 30 s (or the last
//! event + 30 s when errors persist), at most 1,800 s (30 min). Class error share at
//! time t: `w·stale + (1 − w)·g`, where w is 1 before the class's
//! detection, decays over the TTL, and is 0 after; g is the rerouted share,
//! or the promoted one after failover. The route error rate E is the
//! rate-weighted mean; shedding by overloaded survivors adds
//! `E + (1 − E)·d`, with d the shed fraction of the routed requests in the
//! steady state of the phase: normal until every router has rerouted, then
//! [`super::steady_state`] with the failures (rerouted), then with the
//! failover applied (promoted). Once everything has settled the error rate
//! is exactly that last steady state's. P95: the request timeout while
//! ≥ 5 % of requests fail (failed requests count at the timeout), else the
//! phase's steady-state P95. Before t = 0: the normal state.
//!
//! **RTO**: the first t ≥ 0 after which the error rate stays below the
//! normal error rate + 1 percentage point (1 % for a healthy design);
//! None when the settled state stays above it ("until restored").
//!
//! # Data loss
//!
//! For each lost data store (db_primary, object_store, search; a replica is
//! a copy): synchronous replication to a surviving store loses nothing;
//! else the surviving store its data reaches soonest — along any path that
//! leaves it asynchronously (replication, change capture to a worker, a
//! stream), through any component, the store-to-store lags adding up —
//! bounds the loss: `data_lost_writes = own writes/s × lag`, `rpo_s = lag`,
//! where own writes are the requests' writes it took (copies it received
//! from other stores live at their origin: a ring counts each write once).
//! The lag of a hop is the constant `replication_lag_ms`, else the larger
//! catalog figure of the two ends. A store that only receives copies loses
//! nothing of its own. No path to a survivor: everything since
//! the last backup (None, "until restored from backup"). Over several lost
//! stores: the sum and the worst RPO (None if any is None). A global data
//! store is one store spanning the concrete
//! regions; the model assumes it keeps each acknowledged write in more than
//! one region (as Paxos- or Raft-replicated stores do), so losing a region
//! costs it capacity, not data. Partitions lose nothing, but asynchronous replication
//! across them pauses: its lag grows by 1 s per second of partition.
//!
//! # Targets
//!
//! Targets are checked against the settled state (and availability with
//! the failures); those that pass normally but fail here are listed, with
//! RTO against `rto_seconds` and RPO against `rpo_seconds` when the problem
//! sets them.
//!
//! Steady states are computed once per distinct failure set, with at most
//! [`SCENARIO_SAMPLES`] latency samples; when no
//! request path changes, nothing fails over and no global component loses
//! a share, the normal state is reused
//! (the asynchronous copies the lost part would have received are
//! ignored).

use std::rc::Rc;

mod failover;
mod ledger;
pub mod profile;
mod routes;
mod run;

pub(crate) use routes::shed_fraction;

use serde::Serialize;

use super::graph::{FailState, Graph, Role};
use super::steady::{self, Visit};
use super::{AvailabilityResult, CostResult, Failures, LoadResult, SimInput, TargetResult};
use crate::spec::LatencyScope;

/// First point of a timeline, seconds (before the failure).
pub const TIMELINE_START_S: f64 = -10.0;
/// Last point of a timeline at most, seconds.
pub const TIMELINE_MAX_S: f64 = 1800.0;
/// Points kept after recovery (or after the last event), seconds.
pub const TIMELINE_TAIL_S: f64 = 30.0;
/// Recovered: the error rate is below the normal one plus this.
pub const RECOVERY_MARGIN: f64 = 0.01;
/// Monte Carlo requests per scenario steady state at most (the catalog's
/// `latency_samples` if smaller): a scenario's P95 is a phase level on a
/// chart, and a full evaluation runs dozens of them. With the variance
/// reduction of `latency.rs` and `tail.rs`, 250 requests give a reference's
/// normal-load P95 a seed-to-seed spread of 0.22 % in the median (4.2 % at
/// worst), where 4,000 plainly sampled ones gave 1.5 % (3.6 %).
pub const SCENARIO_SAMPLES: u32 = 250;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScenarioKind {
    RegionLoss,
    ComponentLoss,
    Partition,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimelinePoint {
    pub t_s: f64,
    pub error_rate: f64,
    pub p95_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    /// "Region us lost", "US DB lost", "Partition us ↔ eu".
    pub name: String,
    pub kind: ScenarioKind,
    pub failures: Failures,
    /// When the last router stops sending requests to the failed parts
    /// (health checks, plus the DNS TTL behind GeoDNS); 0 when nothing
    /// reroutes.
    pub detection_s: f64,
    /// When a replica was promoted (or writes moved to another primary).
    pub failover_s: Option<f64>,
    /// None: errors persist until the failed parts are restored.
    pub rto_s: Option<f64>,
    /// Seconds of writes lost; None when a store is lost with no copy.
    pub rpo_s: Option<f64>,
    /// Writes lost; None when a store is lost with no copy.
    pub data_lost_writes: Option<f64>,
    /// What is lost, in words.
    pub data_loss: String,
    /// How the design recovers, in words.
    pub recovery: String,
    pub peak_error_rate: f64,
    /// Error rate once everything has settled.
    pub error_rate_after: f64,
    /// P95 once everything has settled.
    pub p95_after_ms: f64,
    pub timeline: Vec<TimelinePoint>,
    /// (t, label): failure, detections, DNS expiry, failover.
    pub events: Vec<(f64, String)>,
    /// Targets passing normally that fail in this scenario.
    pub targets_broken: Vec<String>,
    /// The error rate over time, exactly (for availability over a year).
    #[serde(skip)]
    pub profile: profile::ErrorProfile,
    /// The same for the requests from each origin region.
    #[serde(skip)]
    pub profile_by_origin: Vec<(String, profile::ErrorProfile)>,
}

/// The scenario that hurts most: unrecovered first (by settled, then peak,
/// error rate), else the largest peak error rate × RTO; ties to the first.
pub fn worst_scenario(s: &[ScenarioResult]) -> Option<usize> {
    let score = |r: &ScenarioResult| -> (u8, f64, f64) {
        match r.rto_s {
            None => (1, r.error_rate_after, r.peak_error_rate),
            Some(rto) => (0, r.peak_error_rate * rto, r.peak_error_rate),
        }
    };
    let mut best: Option<(usize, (u8, f64, f64))> = None;
    for (i, r) in s.iter().enumerate() {
        let k = score(r);
        let better = match best {
            None => true,
            Some((_, b)) => k.0 > b.0 || (k.0 == b.0 && (k.1 > b.1 || (k.1 == b.1 && k.2 > b.2))),
        };
        if better {
            best = Some((i, k));
        }
    }
    best.map(|b| b.0)
}

/// One request class: its rate and normal path.
struct Class {
    client: usize,
    origin: usize,
    write: bool,
    rate: f64,
    path: Vec<Visit>,
    no_route: bool,
}

/// Down nodes and regions, partitions (region pairs), failovers (lost →
/// successor), instances per node (autoscaling).
type MemoKey = (
    Vec<bool>,
    Vec<(usize, usize)>,
    Vec<(usize, usize)>,
    Vec<u32>,
);

/// Steady states already computed, by failure set (and failover), shared
/// rather than copied between the scenarios and phases that reach them.
/// A phase whose P95 the timeline never shows is not sampled (see
/// `run.rs`): its entry keeps its flows, to sample it if another scenario
/// shows it.
struct Memo {
    entries: Vec<(MemoKey, Rc<LoadResult>, Option<steady::Flowed>)>,
    /// The normal state, for the scenarios that change nothing it depends on.
    normal: Option<Rc<LoadResult>>,
}

impl Memo {
    /// Where the state for the key is kept.
    fn find(
        &self,
        down: &[bool],
        parts: &[(usize, usize)],
        promos: &[(usize, usize)],
        replicas: &[u32],
    ) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.0.0 == down && e.0.1 == parts && e.0.2 == promos && e.0.3 == replicas)
    }
}

fn norm_parts(fs: &FailState) -> Vec<(usize, usize)> {
    let mut p: Vec<(usize, usize)> = fs
        .partitions
        .iter()
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .filter(|(a, b)| a != b)
        .collect();
    crate::sort::sort_pairs(&mut p);
    p.dedup();
    p
}

/// Every failure scenario of the design (see module docs), in order:
/// regions, components, partitions.
pub fn scenarios(
    input: &SimInput,
    normal: &LoadResult,
    normal_avail: &AvailabilityResult,
    cost: &CostResult,
    normal_targets: &[TargetResult],
) -> Vec<ScenarioResult> {
    prepared(
        input,
        normal,
        normal_avail,
        cost,
        normal_targets,
        every_scenario,
    )
}

/// One scenario of the reader's choosing: `failures` all at once (the
/// playground's "fail this component" marks), measured like the generated ones.
#[allow(clippy::too_many_arguments)]
pub fn custom_scenario(
    input: &SimInput,
    normal: &LoadResult,
    normal_avail: &AvailabilityResult,
    cost: &CostResult,
    normal_targets: &[TargetResult],
    name: &str,
    failures: Failures,
) -> ScenarioResult {
    prepared(
        input,
        normal,
        normal_avail,
        cost,
        normal_targets,
        |ctx, _| {
            let mut memo = Memo {
                entries: Vec::new(),
                normal: None,
            };
            ctx.run(
                name.to_string(),
                ScenarioKind::ComponentLoss,
                failures,
                &mut memo,
            )
        },
    )
}

/// What every scenario of one design shares, handed to `f` as a [`Ctx`]
/// with the request sources: the input, the latency samples per steady
/// state (at most SCENARIO_SAMPLES), the graph, the state with nothing failed, the classes
/// of requests on their normal paths, and the normal results to compare with.
fn prepared<R>(
    input: &SimInput,
    normal: &LoadResult,
    normal_avail: &AvailabilityResult,
    cost: &CostResult,
    normal_targets: &[TargetResult],
    f: impl FnOnce(&Ctx, &[steady::Source]) -> R,
) -> R {
    let g = Graph::build(input);
    let mut sink = Vec::new();
    let none = FailState::new(&g, &Failures::default(), &mut sink);
    let srcs = steady::sources(&g, input, &mut sink);
    let (rps, wf) = steady::request_rates(input.workload, 1.0);
    let mut classes = Vec::new();
    for s in &srcs {
        for (write, frac) in [(false, 1.0 - wf), (true, wf)] {
            let rate = rps * s.share * frac;
            if rate <= 0.0 {
                continue;
            }
            let (path, no_route) = if none.down[s.client] {
                (Vec::new(), true)
            } else {
                steady::walk(&g, &none, s.client, s.origin, write)
            };
            classes.push(Class {
                client: s.client,
                origin: s.origin,
                write,
                rate,
                path,
                no_route,
            });
        }
    }
    let ctx = Ctx {
        input,
        sampling: steady::Sampling {
            requests: input
                .catalog
                .simulation
                .latency_samples
                .min(SCENARIO_SAMPLES),
            // Nothing reads a failure state's latency by origin, nor by
            // locality unless a target is on it (`check_targets` on the
            // settled state).
            per_origin: false,
            by_locality: input
                .targets
                .latency
                .iter()
                .any(|t| t.scope != LatencyScope::Overall),
        },
        g: &g,
        none: &none,
        classes: &classes,
        normal,
        normal_avail,
        cost,
        normal_targets,
    };
    f(&ctx, &srcs)
}

/// Each region lost, each component lost, each partition, in that order.
fn every_scenario(ctx: &Ctx, srcs: &[steady::Source]) -> Vec<ScenarioResult> {
    let (g, none) = (ctx.g, ctx.none);
    let mut memo = Memo {
        entries: Vec::new(),
        normal: None,
    };
    let mut out = Vec::new();
    // Regions hosting something other than a client: partitions are
    // between these (global components reach across any partition).
    let mut used: Vec<usize> = Vec::new();
    for n in &g.nodes {
        if !n.global && n.role != Role::Client && !used.contains(&n.region) {
            used.push(n.region);
        }
    }
    crate::sort::sort_indices_unstable(&mut used);
    // Regions that can be lost: those, every region of the design when a
    // global component spans them, and the regions requests come from.
    let mut losable = used.clone();
    let spans = g
        .nodes
        .iter()
        .enumerate()
        .any(|(i, n)| n.global && n.role != Role::Client && !none.down[i]);
    for r in 0..g.region_ids.len() {
        let hosts = spans || srcs.iter().any(|s| s.origin == r);
        if hosts && g.design_region[r] && !losable.contains(&r) {
            losable.push(r);
        }
    }
    crate::sort::sort_indices_unstable(&mut losable);
    for &r in &losable {
        let id = g.region_ids[r];
        let f = Failures {
            regions: vec![id.to_string()],
            ..Failures::default()
        };
        out.push(ctx.run(
            format!("Region {id} lost"),
            ScenarioKind::RegionLoss,
            f,
            &mut memo,
        ));
    }
    for (i, n) in g.nodes.iter().enumerate() {
        if n.role == Role::Client || none.down[i] {
            continue;
        }
        let f = Failures {
            components: vec![n.name.to_string()],
            ..Failures::default()
        };
        out.push(ctx.run(
            format!("{} lost", n.name),
            ScenarioKind::ComponentLoss,
            f,
            &mut memo,
        ));
    }
    for (k, &a) in used.iter().enumerate() {
        for &b in &used[k + 1..] {
            let (ia, ib) = (g.region_ids[a], g.region_ids[b]);
            let f = Failures {
                partitions: vec![(ia.to_string(), ib.to_string())],
                ..Failures::default()
            };
            out.push(ctx.run(
                format!("Partition {ia} ↔ {ib}"),
                ScenarioKind::Partition,
                f,
                &mut memo,
            ));
        }
    }
    out
}

struct Ctx<'a, 'b> {
    input: &'a SimInput<'b>,
    /// Latency samples per steady state (see [`SCENARIO_SAMPLES`]).
    sampling: steady::Sampling,
    g: &'a Graph<'b>,
    none: &'a FailState,
    classes: &'a [Class],
    normal: &'a LoadResult,
    normal_avail: &'a AvailabilityResult,
    cost: &'a CostResult,
    normal_targets: &'a [TargetResult],
}
