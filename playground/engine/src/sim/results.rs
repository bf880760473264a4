//! What a simulation reads ([`SimInput`], [`Failures`]) and what it
//! returns: loads per node, latency percentiles, availability, cost,
//! targets and the whole [`Evaluation`]. Plain data, serialised as the
//! playground's and `meridian simulate`'s JSON.

use std::rc::Rc;

use serde::Serialize;

use crate::catalog::{Catalog, Regions};
use crate::spec::{Constant, Targets, Tier, Topology, Workload};
use crate::tiers::TierResult;

use super::{capacity, scenarios, yearly};

use crate::vec_map::VecMap;

/// Everything a simulation reads.
#[derive(Debug, Clone, Copy)]
pub struct SimInput<'a> {
    pub topology: &'a Topology,
    pub workload: &'a Workload,
    pub targets: &'a Targets,
    pub tiers: &'a [Tier],
    pub constants: &'a VecMap<String, Constant>,
    pub catalog: &'a Catalog,
    pub regions: &'a Regions,
}

/// Parts of the design that are down; routers route around them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Failures {
    pub regions: Vec<String>,
    pub components: Vec<String>,
    /// Region pairs that cannot reach each other.
    pub partitions: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentiles {
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Monte Carlo samples behind these figures.
    pub samples: u64,
}

/// One node's load. At every node:
/// `served + absorbed + dropped + forwarded + no_route = offered`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeLoad {
    /// Shared with the graph's labels: every steady state of an evaluation
    /// names the same nodes, so it counts references rather than copying.
    pub name: Rc<str>,
    pub component_type: Rc<str>,
    pub region: Rc<str>,
    /// Requests and asynchronous copies arriving per second.
    pub offered_rps: f64,
    /// Ended here successfully (including copies consumed here).
    pub served_rps: f64,
    /// Reads answered from a cache or CDN.
    pub absorbed_rps: f64,
    /// Shed because the node is overloaded.
    pub dropped_rps: f64,
    /// Passed on to the next node of the path.
    pub forwarded_rps: f64,
    /// Had nowhere live to go (an error).
    pub no_route_rps: f64,
    /// ρ = λ / capacity; above 1 when overloaded.
    pub utilisation: f64,
    /// Analytic mean queueing wait (Erlang C, Allen–Cunneen).
    pub mean_wait_ms: f64,
    /// Probability an arrival waits (Erlang C).
    pub p_wait: f64,
    pub replicas: u32,
    pub servers: u64,
    /// Monte Carlo requests processed here, and their mean wait and service.
    pub sampled_visits: u64,
    pub sampled_wait_ms: f64,
    pub sampled_service_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadResult {
    /// Client requests per second.
    pub offered_rps: f64,
    /// Client requests completed successfully per second.
    pub throughput_rps: f64,
    /// Client requests shed by overloaded nodes per second.
    pub dropped_rps: f64,
    /// Client requests with no live route per second.
    pub error_rps: f64,
    /// (dropped + errors) / offered.
    pub error_rate: f64,
    /// Mean over all sampled requests (failed ones at the timeout).
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub same_region: Option<Percentiles>,
    pub cross_region: Option<Percentiles>,
    /// By origin region, in regions.yaml order (not computed for the
    /// failure scenarios' steady states, which report none).
    pub per_region: Vec<(String, Percentiles)>,
    pub nodes: Vec<NodeLoad>,
    /// The loaded node with the highest utilisation.
    pub bottleneck: Option<String>,
    /// Writes (requests and replication copies) kept by each data store.
    pub write_rps_by_store: Vec<(String, f64)>,
    /// Writes from requests alone (no copies) each data store takes: what
    /// exists only there until it is replicated (the data-loss ledger).
    pub own_write_rps_by_store: Vec<(String, f64)>,
    /// Worst asynchronous replication lag in the design.
    pub replication_lag_ms: Option<f64>,
    /// Components autoscaling grew to reach this state, in scaling order
    /// (empty when nothing autoscales or nothing passed its target).
    pub scale_outs: Vec<capacity::ScaleOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionAvailability {
    pub region: String,
    pub fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AvailabilityResult {
    /// Fraction of requests served, weighted by traffic.
    pub fraction: f64,
    /// −log₁₀(1 − A); capped at 99 for A = 1 so it stays finite.
    pub nines: f64,
    pub downtime_per_year_s: f64,
    /// By origin region of the requests.
    pub per_region: Vec<RegionAvailability>,
    /// Each failure mode's part of the downtime, largest first (empty
    /// until the scenarios are counted, see [`yearly`]).
    pub modes: Vec<yearly::FailureMode>,
    /// Requests failing with nothing failed (no route, or shed), as
    /// seconds a year.
    pub normal_error_per_year_s: f64,
    /// Several failures at once (the connectivity model), seconds a year.
    pub several_at_once_per_year_s: f64,
    /// True when the failure scenarios are counted (see [`yearly`]); false
    /// for the connectivity model alone.
    pub from_scenarios: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCost {
    pub component_type: String,
    pub instances: u64,
    pub per_hour: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostResult {
    pub per_hour: f64,
    pub per_month: f64,
    pub by_type: Vec<TypeCost>,
    pub budget_usd: Option<f64>,
    pub within_budget: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    pub name: String,
    /// "P95 ≤ 100 ms same-region".
    pub target: String,
    pub value: Option<f64>,
    pub unit: String,
    /// None when the model cannot check it (the reason is in `note`).
    pub passed: Option<bool>,
    pub note: String,
    /// A target not met that no instance count can meet, and why (see
    /// `reach`): the design itself is too slow.
    pub out_of_reach: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub tiers: Vec<TierResult>,
    pub normal: LoadResult,
    pub peak: LoadResult,
    pub availability: AvailabilityResult,
    pub cost: CostResult,
    pub targets: Vec<TargetResult>,
    /// Failure scenarios (region, component, partition), see [`scenarios`].
    pub scenarios: Vec<scenarios::ScenarioResult>,
    pub messages: Vec<String>,
}
