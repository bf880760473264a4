//! How each type of a page's playground data reads itself from JSON
//! (`json.rs`), mirroring its serde attributes: the same field names
//! (`rename`), the same defaults, unknown fields rejected. A field added to
//! a type fails to compile here until it is read (each reader builds its
//! value with every field named), and `tests/playground_data.rs` checks
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

impl FromJson for PlaygroundData {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(PlaygroundData {
                id: f.req("id")?,
                number: f.req("number")?,
                title: f.req("title")?,
                tiers: f.req("tiers")?,
                workload: f.or_default("workload")?,
                targets: f.or_default("targets")?,
                constants: f.or_default("constants")?,
                available_components: f.req("available_components")?,
                reference: f.req("reference")?,
                catalog: f.req("catalog")?,
                regions: f.req("regions")?,
            })
        })
    }
}

impl FromJson for Tier {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Tier {
                id: f.req("id")?,
                title: f.req("title")?,
                rules: f.req("rules")?,
            })
        })
    }
}

/// Tagged by its `rule` field, as serde's `tag = "rule"` writes it.
impl FromJson for Rule {
    fn from_json(json: &Json) -> Result<Self, String> {
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

impl FromJson for Workload {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Workload {
                rps: f.req("rps")?,
                write_fraction: f.req("write_fraction")?,
                spike_multiplier: f.or("spike_multiplier", crate::spec::ten)?,
                client_regions: f.or_default("client_regions")?,
                basis: f.or_default("basis")?,
            })
        })
    }
}

impl FromJson for Targets {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Targets {
                latency: f.or_default("latency")?,
                throughput_rps: f.or_default("throughput_rps")?,
                availability: f.or_default("availability")?,
                replication_lag_ms: f.or_default("replication_lag_ms")?,
                monthly_budget_usd: f.or_default("monthly_budget_usd")?,
                unchecked: f.or_default("unchecked")?,
            })
        })
    }
}

impl FromJson for LatencyTarget {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(LatencyTarget {
                percentile: f.req("percentile")?,
                scope: f.or_default("scope")?,
                max_ms: f.req("max_ms")?,
            })
        })
    }
}

impl FromJson for Percentile {
    fn from_json(json: &Json) -> Result<Self, String> {
        variant(
            json,
            &[
                ("p50", Percentile::P50),
                ("p95", Percentile::P95),
                ("p99", Percentile::P99),
            ],
        )
    }
}

impl FromJson for LatencyScope {
    fn from_json(json: &Json) -> Result<Self, String> {
        variant(
            json,
            &[
                ("overall", LatencyScope::Overall),
                ("same_region", LatencyScope::SameRegion),
                ("cross_region", LatencyScope::CrossRegion),
            ],
        )
    }
}

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

impl FromJson for Topology {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Topology {
                components: f.req("components")?,
                connections: f.or_default("connections")?,
            })
        })
    }
}

impl FromJson for Component {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Component {
                name: f.req("name")?,
                component_type: f.req("type")?,
                region: f.req("region")?,
                replicas: f.or("replicas", crate::spec::one)?,
                hit_ratio: f.or_default("hit_ratio")?,
                autoscale: f.or_default("autoscale")?,
                service: f.or_default("service")?,
            })
        })
    }
}

impl FromJson for Autoscale {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| Ok(Autoscale { max: f.req("max")? }))
    }
}

impl FromJson for ServiceOverride {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(ServiceOverride {
                concurrency: f.or_default("concurrency")?,
                service_ms: f.or_default("service_ms")?,
                source: f.or_default("source")?,
            })
        })
    }
}

impl FromJson for Connection {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Connection {
                from: f.req("from")?,
                to: f.req("to")?,
                sync: f.or_default("sync")?,
                share: f.or_default("share")?,
                rate: f.or_default("rate")?,
            })
        })
    }
}

impl FromJson for Catalog {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Catalog {
                types: f.req("types")?,
                simulation: f.req("simulation")?,
            })
        })
    }
}

impl FromJson for SimulationSettings {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(SimulationSettings {
                request_timeout_ms: f.req("request_timeout_ms")?,
                latency_samples: f.req("latency_samples")?,
                seed: f.req("seed")?,
                sources: f.req("sources")?,
            })
        })
    }
}

impl FromJson for ComponentType {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(ComponentType {
                label: f.req("label")?,
                description: f.req("description")?,
                icon: f.req("icon")?,
                layer: f.req("layer")?,
                aliases: f.or_default("aliases")?,
                counts_as: f.or_default("counts_as")?,
                sim: f.req("sim")?,
            })
        })
    }
}

impl FromJson for Layer {
    fn from_json(json: &Json) -> Result<Self, String> {
        variant(
            json,
            &[
                ("clients", Layer::Clients),
                ("edge", Layer::Edge),
                ("compute", Layer::Compute),
                ("caches_and_logs", Layer::CachesAndLogs),
                ("data", Layer::Data),
            ],
        )
    }
}

impl FromJson for SimParams {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(SimParams {
                concurrency: f.req("concurrency")?,
                service_ms: f.req("service_ms")?,
                service_cv: f.req("service_cv")?,
                cost_per_hour: f.req("cost_per_hour")?,
                availability: f.req("availability")?,
                repair_s: f.or_default("repair_s")?,
                hit_ratio: f.or_default("hit_ratio")?,
                health_check_interval_s: f.or_default("health_check_interval_s")?,
                health_check_threshold: f.or_default("health_check_threshold")?,
                dns_ttl_s: f.or_default("dns_ttl_s")?,
                replication_lag_ms: f.or_default("replication_lag_ms")?,
                failover_s: f.or_default("failover_s")?,
                cross_region_failover_s: f.or_default("cross_region_failover_s")?,
                role: f.or_default("role")?,
                scale_out_s: f.or_default("scale_out_s")?,
                scale_target_utilisation: f.or_default("scale_target_utilisation")?,
                spill_utilisation: f.or_default("spill_utilisation")?,
                sources: f.req("sources")?,
            })
        })
    }
}

impl FromJson for SimRole {
    fn from_json(json: &Json) -> Result<Self, String> {
        variant(
            json,
            &[
                ("client", SimRole::Client),
                ("router", SimRole::Router),
                ("cdn", SimRole::Cdn),
                ("app", SimRole::App),
                ("worker", SimRole::Worker),
                ("cache", SimRole::Cache),
                ("log", SimRole::Log),
                ("primary", SimRole::Primary),
                ("replica", SimRole::Replica),
                ("object_store", SimRole::ObjectStore),
                ("search", SimRole::Search),
            ],
        )
    }
}

impl FromJson for Regions {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Regions {
                regions: f.req("regions")?,
                network: f.req("network")?,
            })
        })
    }
}

impl FromJson for Region {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Region {
                name: f.req("name")?,
                short: f.req("short")?,
                spans_regions: f.or_default("spans_regions")?,
            })
        })
    }
}

impl FromJson for Network {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(Network {
                same_region_rtt_ms: f.req("same_region_rtt_ms")?,
                edge_rtt_ms: f.req("edge_rtt_ms")?,
                rtt_ms: f.req("rtt_ms")?,
                region_availability: f.req("region_availability")?,
                region_outage_h: f.or_default("region_outage_h")?,
                sources: f.req("sources")?,
            })
        })
    }
}

impl FromJson for RegionPair {
    fn from_json(json: &Json) -> Result<Self, String> {
        object(json, |f| {
            Ok(RegionPair {
                a: f.req("a")?,
                b: f.req("b")?,
                ms: f.req("ms")?,
                source: f.req("source")?,
            })
        })
    }
}
