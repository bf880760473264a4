//! The "simulated behaviour" part of a problem page: the engine's evaluation
//! of the reference solution, formatted for readers. Every number here comes
//! from `meridian_engine::sim`; this module only formats.

use meridian_engine::sim::{Evaluation, LoadResult};
use meridian_engine::spec::Workload;
use serde::Serialize;

use crate::simulate::{duration, format_value, round};

#[derive(Serialize)]
pub struct SimulationView {
    pub workload: WorkloadView,
    pub targets: Vec<TargetRow>,
    pub metrics: Vec<MetricRow>,
    pub availability: AvailabilityView,
    pub cost: CostView,
    pub messages: Vec<String>,
}

#[derive(Serialize)]
pub struct WorkloadView {
    pub normal_rps: String,
    pub peak_rps: String,
    pub spike: String,
    pub write_percent: String,
    pub basis: String,
}

#[derive(Serialize)]
pub struct TargetRow {
    pub name: String,
    pub target: String,
    pub value: String,
    /// `pass`, `fail` or `unchecked`: a CSS class.
    pub status: &'static str,
    pub symbol: &'static str,
    pub status_label: &'static str,
    pub note: String,
}

#[derive(Serialize)]
pub struct MetricRow {
    pub label: &'static str,
    pub normal: String,
    pub peak: String,
}

#[derive(Serialize)]
pub struct AvailabilityView {
    pub percent: String,
    pub nines: String,
    pub downtime: String,
}

#[derive(Serialize)]
pub struct CostView {
    pub per_hour: String,
    pub per_month: String,
    pub by_type: Vec<CostRow>,
    pub budget: Option<String>,
    pub within_budget: Option<bool>,
}

#[derive(Serialize)]
pub struct CostRow {
    pub type_label: String,
    pub instances: u64,
    pub per_hour: String,
    pub per_month: String,
}

fn ms(v: f64) -> String {
    format!("{} ms", round(v))
}

fn percent(v: f64) -> String {
    if v == 0.0 {
        "0%".to_string()
    } else if v < 0.0001 {
        "< 0.01%".to_string()
    } else {
        format!("{:.2}%", v * 100.0)
    }
}

fn busiest(l: &LoadResult) -> String {
    match l
        .bottleneck
        .as_ref()
        .and_then(|b| l.nodes.iter().find(|n| &n.name == b))
    {
        Some(n) => format!("{} ({:.0}% busy)", n.name, n.utilisation * 100.0),
        None => "none".to_string(),
    }
}

fn scoped(p: Option<&meridian_engine::sim::Percentiles>) -> String {
    p.map_or_else(|| "no such requests".to_string(), |p| ms(p.p95_ms))
}

pub fn view(
    e: &Evaluation,
    workload: &Workload,
    type_label: impl Fn(&str) -> String,
) -> SimulationView {
    let (n, k) = (&e.normal, &e.peak);
    let metrics = vec![
        MetricRow {
            label: "Offered load",
            normal: format_value(n.offered_rps, "rps"),
            peak: format_value(k.offered_rps, "rps"),
        },
        MetricRow {
            label: "Served successfully",
            normal: format_value(n.throughput_rps, "rps"),
            peak: format_value(k.throughput_rps, "rps"),
        },
        MetricRow {
            label: "Error rate",
            normal: percent(n.error_rate),
            peak: percent(k.error_rate),
        },
        MetricRow {
            label: "Latency P50",
            normal: ms(n.p50_ms),
            peak: ms(k.p50_ms),
        },
        MetricRow {
            label: "Latency P95",
            normal: ms(n.p95_ms),
            peak: ms(k.p95_ms),
        },
        MetricRow {
            label: "Latency P99",
            normal: ms(n.p99_ms),
            peak: ms(k.p99_ms),
        },
        MetricRow {
            label: "P95 within the client's region",
            normal: scoped(n.same_region.as_ref()),
            peak: scoped(k.same_region.as_ref()),
        },
        MetricRow {
            label: "P95 across regions",
            normal: scoped(n.cross_region.as_ref()),
            peak: scoped(k.cross_region.as_ref()),
        },
        MetricRow {
            label: "Busiest component",
            normal: busiest(n),
            peak: busiest(k),
        },
    ];
    let targets = e
        .targets
        .iter()
        .map(|t| {
            let (status, symbol, status_label) = match t.passed {
                Some(true) => ("pass", "✓", "Met"),
                Some(false) => ("fail", "✗", "Not met"),
                None => ("unchecked", "?", "Not checked"),
            };
            TargetRow {
                name: t.name.clone(),
                target: t.target.clone(),
                value: t
                    .value
                    .map_or_else(|| "—".to_string(), |v| format_value(v, &t.unit)),
                status,
                symbol,
                status_label,
                note: t.note.clone(),
            }
        })
        .collect();
    let a = &e.availability;
    SimulationView {
        workload: WorkloadView {
            normal_rps: format_value(workload.rps, "rps"),
            peak_rps: format_value(workload.rps * workload.spike_multiplier, "rps"),
            spike: round(workload.spike_multiplier),
            write_percent: format!("{}%", round(workload.write_fraction * 100.0)),
            basis: workload.basis.clone(),
        },
        targets,
        metrics,
        availability: AvailabilityView {
            percent: format!("{:.4}%", a.fraction * 100.0),
            nines: format!("{:.1}", a.nines),
            downtime: duration(a.downtime_per_year_s),
        },
        cost: CostView {
            per_hour: format!("${:.2}", e.cost.per_hour),
            per_month: format!("${}", round(e.cost.per_month)),
            by_type: e
                .cost
                .by_type
                .iter()
                .map(|c| CostRow {
                    type_label: type_label(&c.component_type),
                    instances: c.instances,
                    per_hour: format!("${:.2}", c.per_hour),
                    per_month: format!(
                        "${}",
                        round(c.per_hour * meridian_engine::sim::HOURS_PER_MONTH)
                    ),
                })
                .collect(),
            budget: e.cost.budget_usd.map(|b| format!("${}", round(b))),
            within_budget: e.cost.within_budget,
        },
        messages: e.messages.clone(),
    }
}
