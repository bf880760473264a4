//! The component catalog (`problems/catalog.yaml`) and region data
//! (`problems/regions.yaml`): data the engine reads, edited without Rust.

use crate::vec_map::VecMap;
use serde::{Deserialize, Serialize};

/// Known component types, keyed by type id, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub types: VecMap<String, ComponentType>,
    /// Settings of the simulator that belong to no type.
    pub simulation: SimulationSettings,
}

/// Simulator-wide figures, each with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationSettings {
    /// A request that is shed or times out is counted at this latency.
    pub request_timeout_ms: f64,
    /// Requests sampled by the Monte Carlo latency estimate.
    pub latency_samples: u32,
    /// Seed of the Monte Carlo sampler: same seed, same numbers everywhere.
    pub seed: u64,
    pub sources: VecMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentType {
    pub label: String,
    pub description: String,
    /// An icon drawn in a 24×24 box: SVG path data, stroked with the current colour.
    pub icon: String,
    /// The diagram layer this type is drawn in.
    pub layer: Layer,
    /// Other names the source platform uses for this type (`redirect_client` for `client`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Types whose tier rules this type also satisfies (a stream processor
    /// is a worker for "needs 3 workers").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counts_as: Vec<String>,
    /// What the simulator assumes about one instance of this type.
    pub sim: SimParams,
}

/// Performance, cost and reliability of one instance, each figure with a source
/// note in `sources` (keyed by field name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimParams {
    /// Requests one instance serves in parallel.
    pub concurrency: u32,
    /// Mean service time of one request at this node, excluding the network.
    pub service_ms: f64,
    /// Coefficient of variation of the service time (1 = exponential).
    pub service_cv: f64,
    /// On-demand price of one instance, USD per hour.
    pub cost_per_hour: f64,
    /// Probability one instance is up.
    pub availability: f64,
    /// Seconds to bring a failed instance back into service (replacement,
    /// recovery): how long a component outage lasts in the availability
    /// over a year (see the simulator chapter, "Availability").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_s: Option<f64>,
    /// Fraction of reads a cache or CDN answers itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
    /// Routers: seconds between health checks of each target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_interval_s: Option<f64>,
    /// Routers: consecutive failed checks before a target is taken out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_threshold: Option<u32>,
    /// Geo routing: how long resolvers keep a DNS answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_ttl_s: Option<f64>,
    /// Data stores: lag of asynchronous replication to another region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_lag_ms: Option<f64>,
    /// Data stores: time to promote a replica when the primary is lost, in
    /// the same region (Multi-AZ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover_s: Option<f64>,
    /// Data stores: time to promote a replica in another region when the
    /// primary is lost (a cross-region failover); `failover_s` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_region_failover_s: Option<f64>,
    /// How the simulator treats the type, for a type the engine does not
    /// know by id (a type added to the catalog): unset, its layer decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<SimRole>,
    /// Autoscaling: seconds from load passing the target to new instances
    /// serving (alarm, launch, warm-up). A type without it cannot autoscale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_out_s: Option<f64>,
    /// Autoscaling: the utilisation a scaling policy keeps the group at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_target_utilisation: Option<f64>,
    /// Routers: a region's users whose own region has no live target go to
    /// the nearest live target until its route reaches this utilisation,
    /// then spill to the next nearest ("nearest with capacity"). Unset: all
    /// go to the nearest (DNS latency routing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spill_utilisation: Option<f64>,
    pub sources: VecMap<String, String>,
}

impl SimParams {
    /// True when the type has the figures autoscaling needs.
    pub fn can_autoscale(&self) -> bool {
        self.scale_out_s.is_some_and(|s| s.is_finite() && s >= 0.0)
            && self
                .scale_target_utilisation
                .is_some_and(|u| u.is_finite() && u > 0.0 && u <= 1.0)
    }

    /// Requests per second one instance can serve: concurrency / service time.
    pub fn capacity_rps(&self) -> f64 {
        f64::from(self.concurrency) / (self.service_ms / 1000.0)
    }

    /// Names of the figures that are set, so each can be required to have a source.
    pub fn figures(&self) -> Vec<&'static str> {
        let mut v = vec![
            "concurrency",
            "service_ms",
            "service_cv",
            "cost_per_hour",
            "availability",
        ];
        for (name, set) in [
            ("repair_s", self.repair_s.is_some()),
            ("hit_ratio", self.hit_ratio.is_some()),
            (
                "health_check_interval_s",
                self.health_check_interval_s.is_some(),
            ),
            (
                "health_check_threshold",
                self.health_check_threshold.is_some(),
            ),
            ("dns_ttl_s", self.dns_ttl_s.is_some()),
            ("replication_lag_ms", self.replication_lag_ms.is_some()),
            ("failover_s", self.failover_s.is_some()),
            (
                "cross_region_failover_s",
                self.cross_region_failover_s.is_some(),
            ),
            ("scale_out_s", self.scale_out_s.is_some()),
            (
                "scale_target_utilisation",
                self.scale_target_utilisation.is_some(),
            ),
            ("spill_utilisation", self.spill_utilisation.is_some()),
        ] {
            if set {
                v.push(name);
            }
        }
        v
    }
}

/// What a type does in the simulation (see the simulator chapter, "Where
/// requests go"): the behaviour of the built-in type of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SimRole {
    Client,
    /// Routes every request (a load balancer, DNS).
    Router,
    /// Routes and answers its hit ratio of reads (a CDN).
    Cdn,
    /// Serves requests, calling caches and data stores (an app server).
    App,
    /// Background work fed by streams, queues and data stores.
    Worker,
    Cache,
    /// Accepts messages (a stream or queue).
    Log,
    Primary,
    Replica,
    ObjectStore,
    Search,
}

/// Diagram layers, top to bottom: the role of a component in a request's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Clients,
    Edge,
    Compute,
    CachesAndLogs,
    Data,
}

impl Layer {
    pub const ALL: [Layer; 5] = [
        Layer::Clients,
        Layer::Edge,
        Layer::Compute,
        Layer::CachesAndLogs,
        Layer::Data,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        match self {
            Layer::Clients => "Clients",
            Layer::Edge => "Edge and routing",
            Layer::Compute => "Compute",
            Layer::CachesAndLogs => "Caches and logs",
            Layer::Data => "Data",
        }
    }
}

impl Catalog {
    pub fn get(&self, type_id: &str) -> Option<&ComponentType> {
        self.types.get(type_id)
    }

    pub fn contains(&self, type_id: &str) -> bool {
        self.types.contains_key(type_id)
    }

    /// Resolves a type id or one of its aliases to the catalog's type id.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        if let Some((id, _)) = self.types.get_key_value(name) {
            return Some(id.as_str());
        }
        self.types
            .iter()
            .find(|(_, t)| t.aliases.iter().any(|a| a == name))
            .map(|(id, _)| id.as_str())
    }

    /// Type ids, comma-separated, for error messages.
    /// Does a component of type `have` (an id or alias) count for a tier
    /// rule about `rule`: the same type, or one that `counts_as` it.
    pub fn satisfies(&self, have: &str, rule: &str) -> bool {
        if have == rule {
            return true;
        }
        match self.resolve(have) {
            Some(id) => id == rule || self.types[id].counts_as.iter().any(|t| t == rule),
            None => false,
        }
    }

    pub fn known_list(&self) -> String {
        self.types.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// The regions the course uses, in lane order (left to right in diagrams).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    pub regions: VecMap<String, Region>,
    /// Round trips between regions, for the simulator.
    pub network: Network,
}

/// Network figures, each with a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Round trip between two components in the same region (across zones).
    pub same_region_rtt_ms: f64,
    /// Round trip from a user to the nearest edge location of a global service.
    pub edge_rtt_ms: f64,
    /// Round trips between pairs of regions (symmetric).
    pub rtt_ms: Vec<RegionPair>,
    /// Probability that a whole region is up (a correlated failure of all its components).
    pub region_availability: f64,
    /// Mean length of one region-wide outage, hours: with
    /// `region_availability` it gives how often regions fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_outage_h: Option<f64>,
    pub sources: VecMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionPair {
    pub a: String,
    pub b: String,
    pub ms: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// "US East (N. Virginia)"
    pub name: String,
    /// Short label for diagram lanes: "US".
    pub short: String,
    /// True for `global`: services that span regions (GeoDNS, anycast, CDNs).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spans_regions: bool,
}

impl Regions {
    pub fn get(&self, id: &str) -> Option<&Region> {
        self.regions.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.regions.contains_key(id)
    }

    /// The lane index of a region (its position in the file), if known.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.regions.get_index_of(id)
    }

    pub fn is_global(&self, id: &str) -> bool {
        self.regions.get(id).is_some_and(|r| r.spans_regions)
    }

    pub fn known_list(&self) -> String {
        self.regions.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    /// Round trip between two regions, if known; 0 within a region is the
    /// same-region figure.
    pub fn rtt_ms(&self, a: &str, b: &str) -> Option<f64> {
        if a == b {
            return Some(self.network.same_region_rtt_ms);
        }
        self.network
            .rtt_ms
            .iter()
            .find(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a))
            .map(|p| p.ms)
    }
}
