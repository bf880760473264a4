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
//! else asynchronous replication to a surviving store loses the writes of
//! the last lag: `data_lost_writes = write_rps_by_store × lag`, `rpo_s =
//! lag` (lag: the constant `replication_lag_ms`, else the larger catalog
//! figure of the two ends; the smallest over its targets); no replication
//! out of it: everything since the last backup (None, "until restored from
//! backup"). Over several lost stores: the sum and the worst RPO (None if
//! any is None). A global data store is one store spanning the concrete
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

use serde::Serialize;

use super::capacity;
use super::graph::{DataKind, FailState, Graph, Role, constant};
use super::steady::{self, Visit};
use super::{
    AvailabilityResult, CostResult, Failures, LoadResult, SimInput, TargetResult,
    availability_with, check_targets,
};
use crate::spec::{Connection, Topology};

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
/// chart, and a full evaluation runs dozens of them.
pub const SCENARIO_SAMPLES: u32 = 500;

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

/// Share of a class's requests that fail on `visits`: those reaching the
/// first blocked node (down, or across a partition), else those reaching
/// the end of a path with no route.
fn fail_share(g: &Graph, fs: &FailState, visits: &[Visit], no_route: bool) -> f64 {
    if visits.is_empty() {
        return 1.0;
    }
    let mut reach = 1.0;
    for (i, v) in visits.iter().enumerate() {
        let blocked = fs.down[v.node] || (i > 0 && !g.reachable(fs, visits[i - 1].node, v.node));
        if blocked {
            return reach;
        }
        reach *= 1.0 - v.hit;
    }
    if no_route { reach } else { 0.0 }
}

fn same_path(a: &[Visit], b: &[Visit]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.node == y.node)
}

/// Who has to notice, and when: (detection s, DNS TTL s, node).
fn detector(
    g: &Graph,
    stale: &[Visit],
    rerouted: &[Visit],
    timeout_s: f64,
) -> Option<(f64, f64, usize)> {
    let i = stale
        .iter()
        .zip(rerouted)
        .position(|(a, b)| a.node != b.node)
        .unwrap_or(stale.len().min(rerouted.len()));
    if i == 0 || i >= rerouted.len() {
        return None; // no alternative: the rerouted path is the stale one cut short
    }
    let d = rerouted[i - 1].node;
    let p = g.nodes[d].params;
    let hc = match (p.health_check_interval_s, p.health_check_threshold) {
        (Some(iv), Some(th))
            if matches!(g.nodes[d].role, Role::Router { .. }) && iv.is_finite() && iv >= 0.0 =>
        {
            Some(iv * f64::from(th))
        }
        _ => None,
    };
    match hc {
        Some(det) => {
            let ttl = p
                .dns_ttl_s
                .filter(|x| x.is_finite() && *x > 0.0)
                .unwrap_or(0.0);
            Some((det, ttl, d))
        }
        None => Some((timeout_s, 0.0, d)),
    }
}

/// Lag of asynchronous replication a → b, ms (as `replication_lag`).
fn lag_ms(input: &SimInput, g: &Graph, a: usize, b: usize) -> Option<f64> {
    constant(input, "replication_lag_ms")
        .or_else(|| {
            let la = g.nodes[a].params.replication_lag_ms;
            let lb = g.nodes[b].params.replication_lag_ms;
            match (la, lb) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            }
        })
        .filter(|l| l.is_finite() && *l >= 0.0)
}

fn fmt_s(x: f64) -> String {
    let r = libm::round(x * 10.0) / 10.0;
    if r == libm::round(r) {
        format!("{} s", r as i64)
    } else {
        format!("{r:.1} s")
    }
}

fn fmt_count(x: f64) -> String {
    if x >= 10.0 || x == libm::round(x) {
        format!("{}", libm::round(x) as i64)
    } else {
        format!("{x:.1}")
    }
}

/// Down nodes and regions, partitions (region pairs), failovers (lost →
/// successor), instances per node (autoscaling).
type MemoKey = (
    Vec<bool>,
    Vec<(usize, usize)>,
    Vec<(usize, usize)>,
    Vec<u32>,
);

/// Steady states already computed, by failure set (and failover).
struct Memo {
    entries: Vec<(MemoKey, LoadResult)>,
}

impl Memo {
    fn get(
        &self,
        down: &[bool],
        parts: &[(usize, usize)],
        promos: &[(usize, usize)],
        replicas: &[u32],
    ) -> Option<&LoadResult> {
        self.entries
            .iter()
            .find(|e| e.0.0 == down && e.0.1 == parts && e.0.2 == promos && e.0.3 == replicas)
            .map(|e| &e.1)
    }
}

fn norm_parts(fs: &FailState) -> Vec<(usize, usize)> {
    let mut p: Vec<(usize, usize)> = fs
        .partitions
        .iter()
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .filter(|(a, b)| a != b)
        .collect();
    p.sort_unstable();
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
/// with the request sources: the input with fewer latency samples (see
/// SCENARIO_SAMPLES), the graph, the state with nothing failed, the classes
/// of requests on their normal paths, and the normal results to compare with.
fn prepared<R>(
    input: &SimInput,
    normal: &LoadResult,
    normal_avail: &AvailabilityResult,
    cost: &CostResult,
    normal_targets: &[TargetResult],
    f: impl FnOnce(&Ctx, &[steady::Source]) -> R,
) -> R {
    let mut catalog = input.catalog.clone();
    catalog.simulation.latency_samples = catalog.simulation.latency_samples.min(SCENARIO_SAMPLES);
    let sampled = SimInput {
        catalog: &catalog,
        ..*input
    };
    let input = &sampled;
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
    used.sort_unstable();
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
    losable.sort_unstable();
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
    g: &'a Graph<'b>,
    none: &'a FailState,
    classes: &'a [Class],
    normal: &'a LoadResult,
    normal_avail: &'a AvailabilityResult,
    cost: &'a CostResult,
    normal_targets: &'a [TargetResult],
}

/// One class's course over time.
struct Course {
    rate: f64,
    stale: f64,
    rerouted: f64,
    promoted: f64,
    /// (detection, ttl) of the rerouting; None: nothing reroutes.
    det: Option<(f64, f64)>,
}

impl Course {
    fn at(&self, t: f64, failover: Option<f64>) -> f64 {
        let w = match self.det {
            None => 0.0,
            Some((d, _)) if t < d => 1.0,
            Some((d, ttl)) if ttl > 0.0 && t < d + ttl => 1.0 - (t - d) / ttl,
            Some(_) => 0.0,
        };
        let after = match failover {
            Some(fo) if t >= fo => self.promoted,
            _ => self.rerouted,
        };
        w * self.stale + (1.0 - w) * after
    }
}

fn shed_fraction(s: &LoadResult) -> f64 {
    let routed = s.offered_rps - s.error_rps;
    if routed > 0.0 && s.dropped_rps.is_finite() {
        (s.dropped_rps / routed).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl Ctx<'_, '_> {
    fn run(
        &self,
        name: String,
        kind: ScenarioKind,
        f: Failures,
        memo: &mut Memo,
    ) -> ScenarioResult {
        let (input, g) = (self.input, self.g);
        let mut sink = Vec::new();
        let fs = FailState::new(g, &f, &mut sink);
        let timeout_ms = {
            let t = input.catalog.simulation.request_timeout_ms;
            if t.is_finite() && t > 0.0 {
                t
            } else {
                10_000.0
            }
        };
        let timeout_s = timeout_ms / 1000.0;
        let lost = |i: usize| fs.down[i] && !self.none.down[i];

        // Failover: lost primaries → their surviving replication targets.
        let mut promos: Vec<(usize, usize)> = Vec::new();
        if kind != ScenarioKind::Partition && input.catalog.resolve("db_primary").is_some() {
            for p in 0..g.nodes.len() {
                if !lost(p) || g.nodes[p].role != Role::Data(DataKind::Primary) {
                    continue;
                }
                let down = &fs.down;
                let alive = |k: DataKind| {
                    g.async_out[p]
                        .iter()
                        .copied()
                        .filter(move |&t| !down[t] && g.nodes[t].role == Role::Data(k))
                };
                let region = g.nodes[p].region;
                let to = g
                    .best(region, alive(DataKind::Primary))
                    .or_else(|| g.best(region, alive(DataKind::Replica)));
                if let Some(t) = to {
                    promos.push((p, t));
                }
            }
        }
        // The catalog's promotion time: in-region (Multi-AZ) or, when the
        // successor is in another region, cross-region. A problem's
        // `failover_time_seconds` narrates its requirement; it does not
        // change how long a promotion takes.
        let failover = (!promos.is_empty()).then(|| {
            promos
                .iter()
                .filter_map(|&(p, t)| {
                    let params = g.nodes[p].params;
                    let same = g.nodes[p].region == g.nodes[t].region
                        && !g.nodes[p].global
                        && !g.nodes[t].global;
                    if same {
                        params.failover_s
                    } else {
                        params.cross_region_failover_s.or(params.failover_s)
                    }
                })
                .filter(|x| x.is_finite() && *x >= 0.0)
                .fold(0.0, f64::max)
        });

        // Rerouted paths, and whether anything changes at all.
        let mut courses = Vec::with_capacity(self.classes.len());
        let mut detectors: Vec<(f64, f64, usize)> = Vec::new();
        let mut paths_same = true;
        let mut rerouted_paths = Vec::with_capacity(self.classes.len());
        for c in self.classes {
            let (p1, nr1) = if fs.down[c.client] {
                (Vec::new(), true)
            } else {
                steady::walk(g, &fs, c.client, c.origin, c.write)
            };
            paths_same &= nr1 == c.no_route && same_path(&c.path, &p1);
            let stale = fail_share(g, &fs, &c.path, c.no_route);
            let rerouted = fail_share(g, &fs, &p1, nr1);
            let det = if stale > 0.0 {
                detector(g, &c.path, &p1, timeout_s)
            } else {
                None
            };
            if let Some(d) = det
                && !detectors.contains(&d)
            {
                detectors.push(d);
            }
            courses.push(Course {
                rate: c.rate,
                stale,
                rerouted,
                promoted: rerouted,
                det: det.map(|(d, t, _)| (d, t)),
            });
            rerouted_paths.push((p1, nr1));
        }
        // Failed regions count too: they cut global nodes' servers and move
        // where they serve lost origins from.
        let mut down = fs.down.clone();
        down.extend_from_slice(&fs.region_down);
        let parts = norm_parts(&fs);
        let global_intact = fs.servers == self.none.servers && fs.at == self.none.at;

        // The promoted design (failover applied), when anything fails over.
        let promoted = (!promos.is_empty()).then(|| promoted_topology(input.topology, g, &promos));
        let pin = promoted.as_ref().map(|topo| SimInput {
            topology: topo,
            ..*input
        });
        let g2 = pin.as_ref().map(Graph::build);
        if let Some(g2) = &g2 {
            let fs2 = FailState::new(g2, &f, &mut sink);
            // Same components in the same order, so node indices agree.
            if g2.nodes.len() == g.nodes.len() {
                for (c, course) in self.classes.iter().zip(courses.iter_mut()) {
                    let (p2, nr2) = if fs2.down[c.client] {
                        (Vec::new(), true)
                    } else {
                        steady::walk(g2, &fs2, c.client, c.origin, c.write)
                    };
                    course.promoted = fail_share(g2, &fs2, &p2, nr2);
                }
            }
        }

        let t_route = courses
            .iter()
            .filter_map(|c| c.det.map(|(d, t)| d + t))
            .fold(0.0, f64::max);
        // Phases from the rerouting on: a steady state from each start time.
        // The design runs what autoscaling gave it under normal load; a
        // scaling step decided on one phase's state lands `scale_out_s`
        // later (capacity::step); the failover swaps in the promoted design.
        let start: Vec<u32> = self.normal.nodes.iter().map(|n| n.replicas).collect();
        let reuse_normal = paths_same && promos.is_empty() && global_intact;
        let mut state_for = |replicas: &[u32],
                             promoted_now: bool,
                             sink: &mut Vec<String>|
         -> LoadResult {
            let key_promos: &[(usize, usize)] = if promoted_now { &promos } else { &[] };
            if reuse_normal && replicas == start.as_slice() {
                return self.normal.clone();
            }
            if let Some(s) = memo.get(&down, &parts, key_promos, replicas) {
                return s.clone();
            }
            let s = match (promoted_now, &pin, &g2) {
                (true, Some(pin), Some(g2)) => steady::run_with(pin, g2, 1.0, &f, replicas, sink),
                _ => steady::run_with(input, g, 1.0, &f, replicas, sink),
            };
            memo.entries.push((
                (
                    down.clone(),
                    parts.clone(),
                    key_promos.to_vec(),
                    replicas.to_vec(),
                ),
                s.clone(),
            ));
            s
        };
        let mut phases: Vec<(f64, LoadResult)> = Vec::new();
        let mut scaled: Vec<(f64, usize, u32)> = Vec::new();
        let mut replicas = start.clone();
        let mut t = t_route;
        let mut promoted_now = failover.is_some_and(|fo| fo <= t);
        let mut pending: Option<(f64, Vec<u32>)> = None;
        for _ in 0..=(2 * capacity::MAX_STEPS + 2) {
            let state = state_for(&replicas, promoted_now, &mut sink);
            if pending.is_none() {
                let graph = match (promoted_now, &g2) {
                    (true, Some(g2)) => g2,
                    _ => g,
                };
                pending = capacity::step(graph, &state, &replicas).map(|(next, d)| (t + d, next));
            }
            phases.push((t, state));
            let next_failover = failover.filter(|&fo| !promoted_now && fo > t);
            match (&pending, next_failover) {
                (Some((at, _)), Some(fo)) if fo < *at => {
                    t = fo;
                    promoted_now = true;
                }
                (None, Some(fo)) => {
                    t = fo;
                    promoted_now = true;
                }
                (Some(_), _) => {
                    let (at, next) = pending.take().expect("a pending step");
                    for (i, (&a, &b)) in replicas.iter().zip(&next).enumerate() {
                        if b > a {
                            scaled.push((at, i, b));
                        }
                    }
                    t = at;
                    replicas = next;
                    if failover.is_some_and(|fo| fo <= t) {
                        promoted_now = true;
                    }
                }
                (None, None) => break,
            }
        }
        let t_settle = phases.last().map_or(t_route, |p| p.0).max(t_route);
        let t_settle = t_settle.max(failover.unwrap_or(0.0));
        let settled = &phases.last().expect("at least one phase").1;
        let total: f64 = courses.iter().map(|c| c.rate).sum();
        let normal = self.normal;
        let state_at = |t: f64| -> &LoadResult {
            if t < t_route {
                return normal;
            }
            phases
                .iter()
                .rev()
                .find(|p| p.0 <= t)
                .map_or(normal, |p| &p.1)
        };
        let error_at = |t: f64| -> f64 {
            if t < 0.0 {
                return normal.error_rate.clamp(0.0, 1.0);
            }
            if t >= t_settle {
                return settled.error_rate.clamp(0.0, 1.0);
            }
            let er = if total > 0.0 {
                courses
                    .iter()
                    .map(|c| c.rate * c.at(t, failover))
                    .sum::<f64>()
                    / total
            } else {
                0.0
            };
            let d = shed_fraction(state_at(t));
            (er + (1.0 - er) * d).clamp(0.0, 1.0)
        };
        let p95_at = |t: f64, e: f64| -> f64 {
            if t < 0.0 {
                normal.p95_ms
            } else if e >= 0.05 {
                timeout_ms
            } else if t >= t_settle {
                settled.p95_ms
            } else {
                state_at(t).p95_ms
            }
        };

        // RTO.
        let threshold = normal.error_rate + RECOVERY_MARGIN;
        let rto_s = if settled.error_rate >= threshold {
            None
        } else {
            let end = libm::ceil(t_settle) as i64;
            let mut last_bad: Option<f64> = None;
            for k in 0..=end.max(0) {
                let t = k as f64;
                if t < t_settle && error_at(t) >= threshold {
                    last_bad = Some(t);
                }
            }
            Some(match last_bad {
                None => 0.0,
                Some(lo) => {
                    let (mut lo, mut hi) = (lo, (lo + 1.0).min(t_settle.max(lo)));
                    if error_at(hi) >= threshold {
                        hi = t_settle;
                    }
                    for _ in 0..40 {
                        let mid = 0.5 * (lo + hi);
                        if error_at(mid) >= threshold {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    hi
                }
            })
        };

        // Events.
        let mut events: Vec<(f64, String)> = vec![(0.0, "failure".to_string())];
        for &(d, ttl, node) in &detectors {
            let n = &g.nodes[node];
            let what = if matches!(n.role, Role::Router { .. })
                && n.params.health_check_interval_s.is_some()
                && n.params.health_check_threshold.is_some()
            {
                format!("{}: health checks detect it", n.name)
            } else {
                format!("{}: requests time out, tries elsewhere", n.name)
            };
            events.push((d, what));
            if ttl > 0.0 {
                events.push((d + ttl, format!("{}: cached DNS answers expire", n.name)));
            }
        }
        for &(at, i, to) in &scaled {
            events.push((
                at,
                format!(
                    "{}: autoscaling brings it to {to} instances",
                    g.nodes[i].name
                ),
            ));
        }
        if let Some(fo) = failover {
            for &(p, t) in &promos {
                let what = if g.nodes[t].role == Role::Data(DataKind::Replica) {
                    format!("failover: {} promoted to primary", g.nodes[t].name)
                } else {
                    format!(
                        "failover: writes of {} move to {}",
                        g.nodes[p].name, g.nodes[t].name
                    )
                };
                events.push((fo, what));
            }
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0));
        events.dedup();

        // Timeline.
        let last_event = events.iter().map(|e| e.0).fold(0.0, f64::max);
        let end = match rto_s {
            Some(r) => r.max(last_event) + TIMELINE_TAIL_S,
            None => t_settle.max(last_event) + TIMELINE_TAIL_S,
        };
        let end = libm::ceil(end.clamp(TIMELINE_TAIL_S, TIMELINE_MAX_S)) as i64;
        let start = TIMELINE_START_S as i64;
        let timeline: Vec<TimelinePoint> = (start..=end)
            .map(|k| {
                let t = k as f64;
                let e = error_at(t);
                TimelinePoint {
                    t_s: t,
                    error_rate: e,
                    p95_ms: p95_at(t, e),
                }
            })
            .collect();
        let peak_error_rate = timeline
            .iter()
            .filter(|p| p.t_s >= 0.0)
            .map(|p| p.error_rate)
            .fold(error_at(0.0), f64::max);

        // Data loss.
        let (rpo_s, data_lost_writes, data_loss) = self.data_loss(&fs, kind, &f);

        let recovery = match rto_s {
            Some(0.0) => "requests are unaffected".to_string(),
            Some(r) => format!("requests succeed again after {}", fmt_s(r)),
            None => {
                let what = match kind {
                    ScenarioKind::RegionLoss => format!("region {} is restored", f.regions[0]),
                    ScenarioKind::ComponentLoss => format!("{} is restored", f.components[0]),
                    ScenarioKind::Partition => "the partition heals".to_string(),
                };
                format!(
                    "{:.1} % of requests keep failing until {what}",
                    settled.error_rate * 100.0
                )
            }
        };

        // Targets.
        let avail = if input.targets.availability.is_some() {
            availability_with(input, &f)
        } else {
            self.normal_avail.clone()
        };
        let checked = check_targets(input, settled, &avail, self.cost);
        let mut targets_broken: Vec<String> = checked
            .iter()
            .zip(self.normal_targets)
            .filter(|(s, n)| n.passed == Some(true) && s.passed == Some(false))
            .map(|(s, _)| format!("{} ({})", s.name, s.target))
            .collect();
        if let Some(x) = constant(input, "rto_seconds")
            && rto_s.is_none_or(|r| r > x)
        {
            targets_broken.push(format!("RTO (≤ {})", fmt_s(x)));
        }
        if let Some(x) = constant(input, "rpo_seconds")
            && rpo_s.is_none_or(|r| r > x)
        {
            targets_broken.push(format!("RPO (≤ {})", fmt_s(x)));
        }

        ScenarioResult {
            name,
            kind,
            failures: f,
            detection_s: t_route,
            failover_s: failover,
            rto_s,
            rpo_s,
            data_lost_writes,
            data_loss,
            recovery,
            peak_error_rate,
            error_rate_after: settled.error_rate.clamp(0.0, 1.0),
            p95_after_ms: settled.p95_ms,
            timeline,
            events,
            targets_broken,
        }
    }

    fn data_loss(
        &self,
        fs: &FailState,
        kind: ScenarioKind,
        f: &Failures,
    ) -> (Option<f64>, Option<f64>, String) {
        let (input, g) = (self.input, self.g);
        if kind == ScenarioKind::Partition {
            let mut paused = Vec::new();
            for (a, outs) in g.async_out.iter().enumerate() {
                if !g.nodes[a].is_data() {
                    continue;
                }
                for &b in outs {
                    if g.nodes[b].is_data()
                        && !g.sync_repl_out[a].contains(&b)
                        && !g.reachable(fs, a, b)
                    {
                        paused.push(format!("{} → {}", g.nodes[a].name, g.nodes[b].name));
                    }
                }
            }
            let mut text = "No data is lost.".to_string();
            if !paused.is_empty() {
                text.push_str(&format!(
                    " Asynchronous replication {} pauses: its lag grows by 1 s per second of partition.",
                    paused.join(", ")
                ));
            }
            let _ = f;
            return (Some(0.0), Some(0.0), text);
        }
        let writes = |i: usize| -> f64 {
            self.normal
                .write_rps_by_store
                .iter()
                .find(|(n, _)| n == g.nodes[i].name)
                .map(|x| x.1)
                .filter(|x| x.is_finite())
                .unwrap_or(0.0)
        };
        let mut rpo = Some(0.0f64);
        let mut lost_total = Some(0.0f64);
        let mut parts: Vec<String> = Vec::new();
        for x in 0..g.nodes.len() {
            if !fs.down[x] || self.none.down[x] {
                continue;
            }
            match g.nodes[x].role {
                Role::Data(DataKind::Replica) => continue,
                Role::Data(_) => {}
                _ => continue,
            }
            let name = g.nodes[x].name;
            let targets: Vec<usize> = g.async_out[x]
                .iter()
                .copied()
                .filter(|&t| g.nodes[t].is_data() && !fs.down[t])
                .collect();
            if let Some(&t) = targets.iter().find(|t| g.sync_repl_out[x].contains(t)) {
                parts.push(format!(
                    "{name}: nothing lost (replicated synchronously to {}).",
                    g.nodes[t].name
                ));
                continue;
            }
            let best = targets
                .iter()
                .filter_map(|&t| lag_ms(input, g, x, t).map(|l| (t, l)))
                .fold(None::<(usize, f64)>, |b, c| match b {
                    Some(b) if b.1 <= c.1 => Some(b),
                    _ => Some(c),
                });
            let best = best.or_else(|| targets.first().map(|&t| (t, 0.0)));
            match best {
                Some((t, lag)) => {
                    let s = lag / 1000.0;
                    let w = writes(x) * s;
                    rpo = rpo.map(|r| r.max(s));
                    lost_total = lost_total.map(|l| l + w);
                    parts.push(format!(
                        "{name}: about {} writes lost (the last {} not yet replicated to {}).",
                        fmt_count(w),
                        fmt_s(s),
                        g.nodes[t].name
                    ));
                }
                None => {
                    rpo = None;
                    lost_total = None;
                    parts.push(format!(
                        "{name}: all data of {name} until restored from backup (nothing replicates it)."
                    ));
                }
            }
        }
        if kind == ScenarioKind::RegionLoss {
            for (x, n) in g.nodes.iter().enumerate() {
                if n.global && n.is_data() && !fs.down[x] {
                    parts.push(format!(
                        "{}: global, so it loses only its {} share of replicas; its data lives on in the other regions.",
                        n.name,
                        f.regions.join(", ")
                    ));
                }
            }
        }
        if parts.is_empty() {
            parts.push("No data store is lost: no data is lost.".to_string());
        }
        (rpo, lost_total, parts.join(" "))
    }
}

/// The design after failover: each promoted replica becomes a db_primary
/// and every component calling the lost primary also calls its successor.
fn promoted_topology(t: &Topology, g: &Graph, promos: &[(usize, usize)]) -> Topology {
    let mut topo = t.clone();
    for &(p, s) in promos {
        let (pn, sn) = (g.nodes[p].name, g.nodes[s].name);
        if g.nodes[s].role == Role::Data(DataKind::Replica)
            && let Some(c) = topo.components.iter_mut().find(|c| c.name == sn)
        {
            c.component_type = "db_primary".to_string();
        }
        let callers: Vec<String> = t
            .connections
            .iter()
            .filter(|c| c.to == pn)
            .filter(|c| {
                g.nodes
                    .iter()
                    .find(|n| n.name == c.from)
                    .is_some_and(|n| !n.is_data())
            })
            .map(|c| c.from.clone())
            .collect();
        for from in callers {
            if !topo
                .connections
                .iter()
                .any(|c| c.from == from && c.to == sn)
            {
                topo.connections.push(Connection {
                    from,
                    to: sn.to_string(),
                    sync: false,
                });
            }
        }
    }
    topo
}
