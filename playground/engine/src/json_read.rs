//! How each type of a page's playground data reads itself from JSON
//! (`json.rs`), mirroring its serde attributes: the same field names
//! (`rename`), the same defaults, unknown fields rejected. A field or a
//! variant added to a type fails to compile here until it is read (each
//! reader builds its value with every field named; each enum's names are
//! checked by an exhaustive match), and `tests/playground_data.rs` checks
//! that every problem's data reads back equal to what serde wrote.

use crate::catalog::{
    Catalog, ComponentType, Layer, Network, Region, RegionPair, Regions, SimParams, SimRole,
    SimulationSettings,
};
use crate::json::{Fields, FromJson, Json, variant};
use crate::playground_data::PlaygroundData;
use crate::spec::{
    Autoscale, Component, Connection, Constant, LatencyScope, LatencyTarget, Percentile, Rule,
    ServiceOverride, Targets, Tier, Topology, Workload,
};

/// `Type { field: how("key"), … }`: reads an object field by field, each
/// by the `Fields` method `how` (`req`, `or_default`, or `or` with a
/// default function), then rejects fields it did not ask for.
macro_rules! read_object {
    ($ty:ident { $($field:ident: $how:ident($key:literal $(, $default:path)?)),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Result<Self, String> {
                object(json, |f| {
                    Ok($ty {
                        $($field: f.$how($key $(, $default)?)?,)*
                    })
                })
            }
        }
    };
}

/// `Type { "name" => Variant, … }`: a unit enum from one of its names, as
/// serde's `rename_all` writes them.
macro_rules! read_names {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Result<Self, String> {
                // Never called: an exhaustive match, so a variant added to
                // the type does not compile until it is named here.
                let _ = |v: $ty| match v {
                    $($ty::$variant => ()),*
                };
                variant(json, &[$(($name, $ty::$variant)),*])
            }
        }
    };
}

/// Reads an object with `read`, then rejects fields it did not ask for.
fn object<T>(
    json: &Json,
    read: impl FnOnce(&mut Fields) -> Result<T, String>,
) -> Result<T, String> {
    let mut fields = Fields::of(json)?;
    let value = read(&mut fields)?;
    fields.end()?;
    Ok(value)
}

read_object!(PlaygroundData {
    id: req("id"),
    number: req("number"),
    title: req("title"),
    tiers: req("tiers"),
    workload: or_default("workload"),
    targets: or_default("targets"),
    constants: or_default("constants"),
    available_components: req("available_components"),
    reference: req("reference"),
    catalog: req("catalog"),
    regions: req("regions"),
});

read_object!(Tier {
    id: req("id"),
    title: req("title"),
    rules: req("rules"),
});

/// Tagged by its `rule` field, as serde's `tag = "rule"` writes it.
impl FromJson for Rule {
    fn from_json(json: &Json) -> Result<Self, String> {
        // Never called: an exhaustive match, so a rule added to the type
        // does not compile until it is read here.
        let _ = |r: &Rule| match r {
            Rule::MinCount { .. } | Rule::MustInclude { .. } | Rule::Unchecked { .. } => (),
        };
        object(json, |f| {
            let rule: String = f.req("rule")?;
            match rule.as_str() {
                "min_count" => Ok(Rule::MinCount {
                    component_type: f.req("type")?,
                    count: f.req("count")?,
                }),
                "must_include" => Ok(Rule::MustInclude {
                    component_type: f.req("type")?,
                }),
                "unchecked" => Ok(Rule::Unchecked {
                    text: f.req("text")?,
                }),
                _ => Err(format!(
                    "rule: unknown `{rule}`, expected one of min_count, must_include, unchecked"
                )),
            }
        })
    }
}

read_object!(Workload {
    rps: req("rps"),
    write_fraction: req("write_fraction"),
    spike_multiplier: or("spike_multiplier", crate::spec::ten),
    client_regions: or_default("client_regions"),
    basis: or_default("basis"),
});

read_object!(Targets {
    latency: or_default("latency"),
    throughput_rps: or_default("throughput_rps"),
    availability: or_default("availability"),
    replication_lag_ms: or_default("replication_lag_ms"),
    monthly_budget_usd: or_default("monthly_budget_usd"),
    unchecked: or_default("unchecked"),
});

read_object!(LatencyTarget {
    percentile: req("percentile"),
    scope: or_default("scope"),
    max_ms: req("max_ms"),
});

read_names!(Percentile {
    "p50" => P50,
    "p95" => P95,
    "p99" => P99,
});

read_names!(LatencyScope {
    "overall" => Overall,
    "same_region" => SameRegion,
    "cross_region" => CrossRegion,
});

/// A scalar, untagged: an integer when its text is one (as serde reads
/// it), else a number.
impl FromJson for Constant {
    fn from_json(json: &Json) -> Result<Self, String> {
        match json {
            Json::Bool(b) => Ok(Constant::Bool(*b)),
            Json::Number(text) => match text.parse() {
                Ok(i) => Ok(Constant::Int(i)),
                Err(_) => f64::from_json(json).map(Constant::Float),
            },
            Json::String(s) => Ok(Constant::Text(s.clone())),
            _ => Err(
                "expected a scalar constant: a boolean, an integer, a number or text".to_string(),
            ),
        }
    }
}

read_object!(Topology {
    components: req("components"),
    connections: or_default("connections"),
});

read_object!(Component {
    name: req("name"),
    component_type: req("type"),
    region: req("region"),
    replicas: or("replicas", crate::spec::one),
    hit_ratio: or_default("hit_ratio"),
    autoscale: or_default("autoscale"),
    service: or_default("service"),
});

read_object!(Autoscale { max: req("max") });

read_object!(ServiceOverride {
    concurrency: or_default("concurrency"),
    service_ms: or_default("service_ms"),
    source: or_default("source"),
});

read_object!(Connection {
    from: req("from"),
    to: req("to"),
    sync: or_default("sync"),
    share: or_default("share"),
    rate: or_default("rate"),
});

read_object!(Catalog {
    types: req("types"),
    simulation: req("simulation"),
});

read_object!(SimulationSettings {
    request_timeout_ms: req("request_timeout_ms"),
    latency_samples: req("latency_samples"),
    seed: req("seed"),
    sources: req("sources"),
});

read_object!(ComponentType {
    label: req("label"),
    description: req("description"),
    icon: req("icon"),
    layer: req("layer"),
    aliases: or_default("aliases"),
    counts_as: or_default("counts_as"),
    sim: req("sim"),
});

read_names!(Layer {
    "clients" => Clients,
    "edge" => Edge,
    "compute" => Compute,
    "caches_and_logs" => CachesAndLogs,
    "data" => Data,
});

read_object!(SimParams {
    concurrency: req("concurrency"),
    service_ms: req("service_ms"),
    service_cv: req("service_cv"),
    cost_per_hour: req("cost_per_hour"),
    availability: req("availability"),
    repair_s: or_default("repair_s"),
    hit_ratio: or_default("hit_ratio"),
    health_check_interval_s: or_default("health_check_interval_s"),
    health_check_threshold: or_default("health_check_threshold"),
    dns_ttl_s: or_default("dns_ttl_s"),
    replication_lag_ms: or_default("replication_lag_ms"),
    failover_s: or_default("failover_s"),
    cross_region_failover_s: or_default("cross_region_failover_s"),
    role: or_default("role"),
    scale_out_s: or_default("scale_out_s"),
    scale_target_utilisation: or_default("scale_target_utilisation"),
    spill_utilisation: or_default("spill_utilisation"),
    sources: req("sources"),
});

read_names!(SimRole {
    "client" => Client,
    "router" => Router,
    "cdn" => Cdn,
    "app" => App,
    "worker" => Worker,
    "cache" => Cache,
    "log" => Log,
    "primary" => Primary,
    "replica" => Replica,
    "object_store" => ObjectStore,
    "search" => Search,
});

read_object!(Regions {
    regions: req("regions"),
    network: req("network"),
});

read_object!(Region {
    name: req("name"),
    short: req("short"),
    spans_regions: or_default("spans_regions"),
});

read_object!(Network {
    same_region_rtt_ms: req("same_region_rtt_ms"),
    edge_rtt_ms: req("edge_rtt_ms"),
    rtt_ms: req("rtt_ms"),
    region_availability: req("region_availability"),
    region_outage_h: or_default("region_outage_h"),
    sources: req("sources"),
});

read_object!(RegionPair {
    a: req("a"),
    b: req("b"),
    ms: req("ms"),
    source: req("source"),
});
