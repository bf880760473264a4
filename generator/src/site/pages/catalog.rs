//! `catalog.html`: every component type, and the problems whose reference
//! solutions use it.

use anyhow::Result;
use serde::Serialize;

use super::super::Site;
use super::super::nav::{NavLink, problem_path};

#[derive(Serialize)]
struct TypeView {
    id: String,
    label: String,
    description: String,
    layer: &'static str,
    aliases: Vec<String>,
    used_by: Vec<NavLink>,
    figures: Vec<Figure>,
}

/// One simulator figure as the catalog page shows it: what, how much, says who.
#[derive(Serialize)]
struct Figure {
    name: &'static str,
    value: String,
    source: String,
}

fn figures(sim: &meridian_engine::catalog::SimParams) -> Vec<Figure> {
    let source = |k: &str| sim.sources.get(k).cloned().unwrap_or_default();
    let mut out = vec![
        Figure {
            name: "Parallel requests per instance",
            value: sim.concurrency.to_string(),
            source: source("concurrency"),
        },
        Figure {
            name: "Mean service time",
            value: format!("{} ms", sim.service_ms),
            source: source("service_ms"),
        },
        Figure {
            name: "Service time variability (CV)",
            value: format!("{}", sim.service_cv),
            source: source("service_cv"),
        },
        Figure {
            name: "Capacity per instance",
            value: format!("{:.0} requests/s", sim.capacity_rps()),
            source: "Parallel requests ÷ mean service time.".to_string(),
        },
        Figure {
            name: "Cost per instance-hour",
            value: format!("${}", sim.cost_per_hour),
            source: source("cost_per_hour"),
        },
        Figure {
            name: "Availability of one instance",
            value: format!("{}%", sim.availability * 100.0),
            source: source("availability"),
        },
    ];
    let optional = [
        (
            "Cache hit ratio",
            "hit_ratio",
            sim.hit_ratio.map(|v| format!("{}%", v * 100.0)),
        ),
        (
            "Health-check interval",
            "health_check_interval_s",
            sim.health_check_interval_s.map(|v| format!("{v} s")),
        ),
        (
            "Failed checks before removal",
            "health_check_threshold",
            sim.health_check_threshold.map(|v| v.to_string()),
        ),
        (
            "DNS TTL",
            "dns_ttl_s",
            sim.dns_ttl_s.map(|v| format!("{v} s")),
        ),
        (
            "Asynchronous replication lag",
            "replication_lag_ms",
            sim.replication_lag_ms.map(|v| format!("{v} ms")),
        ),
        (
            "Failover (promotion) time",
            "failover_s",
            sim.failover_s.map(|v| format!("{v} s")),
        ),
        (
            "Cross-region failover (promotion) time",
            "cross_region_failover_s",
            sim.cross_region_failover_s.map(|v| format!("{v} s")),
        ),
        (
            "Repair of a whole-component outage",
            "repair_s",
            sim.repair_s.map(|v| format!("{v} s")),
        ),
        (
            "Autoscaling: scale-out delay",
            "scale_out_s",
            sim.scale_out_s.map(|v| format!("{v} s")),
        ),
        (
            "Autoscaling: target utilisation",
            "scale_target_utilisation",
            sim.scale_target_utilisation
                .map(|v| format!("{} %", v * 100.0)),
        ),
        (
            "Spill to the next region at utilisation",
            "spill_utilisation",
            sim.spill_utilisation.map(|v| format!("{} %", v * 100.0)),
        ),
    ];
    for (name, key, value) in optional {
        if let Some(value) = value {
            out.push(Figure {
                name,
                value,
                source: source(key),
            });
        }
    }
    out
}

#[derive(Serialize)]
struct RttView {
    a: String,
    b: String,
    ms: f64,
    source: String,
}

pub fn render(site: &mut Site<'_>) -> Result<()> {
    let page = "catalog.html";
    let types: Vec<TypeView> = site
        .course
        .catalog
        .types
        .iter()
        .map(|(id, t)| TypeView {
            id: id.clone(),
            label: t.label.clone(),
            description: t.description.clone(),
            layer: t.layer.label(),
            aliases: t.aliases.clone(),
            used_by: site
                .problems
                .iter()
                .filter(|p| {
                    p.problem
                        .reference
                        .components
                        .iter()
                        .any(|c| &c.component_type == id)
                })
                .map(|p| NavLink {
                    title: format!("{}. {}", p.problem.number, p.problem.title),
                    href: problem_path(&p.problem.id),
                })
                .collect(),
            figures: figures(&t.sim),
        })
        .collect();
    let regions = &site.course.regions;
    let name = |id: &str| {
        regions
            .get(id)
            .map_or_else(|| id.to_string(), |r| r.name.clone())
    };
    let network = &regions.network;
    let mut rtts: Vec<RttView> = vec![RttView {
        a: "Any region".into(),
        b: "the same region".into(),
        ms: network.same_region_rtt_ms,
        source: network
            .sources
            .get("same_region_rtt_ms")
            .cloned()
            .unwrap_or_default(),
    }];
    rtts.push(RttView {
        a: "A user".into(),
        b: "the nearest edge location".into(),
        ms: network.edge_rtt_ms,
        source: network
            .sources
            .get("edge_rtt_ms")
            .cloned()
            .unwrap_or_default(),
    });
    rtts.extend(network.rtt_ms.iter().map(|p| RttView {
        a: name(&p.a),
        b: name(&p.b),
        ms: p.ms,
        source: p.source.clone(),
    }));
    let source = format!(
        "{}/catalog.yaml",
        site.course
            .config
            .book
            .problems
            .to_string_lossy()
            .trim_end_matches('/')
    );
    let mut ctx = site.context(page, "Component catalog", Some(&source))?;
    ctx.insert("types", &types);
    ctx.insert("rtts", &rtts);
    ctx.insert(
        "region_availability",
        &(network.region_availability * 100.0),
    );
    ctx.insert(
        "region_availability_source",
        &network
            .sources
            .get("region_availability")
            .cloned()
            .unwrap_or_default(),
    );
    ctx.insert("region_outage_h", &network.region_outage_h);
    ctx.insert(
        "region_outage_source",
        &network
            .sources
            .get("region_outage_h")
            .cloned()
            .unwrap_or_default(),
    );
    site.write_page(page, "catalog.html", &ctx)
}
