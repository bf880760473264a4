//! An evaluation formatted for readers: the "how it behaves" part of a
//! problem page and the playground's results. Every number comes from
//! `crate::sim`; this module only formats, once for both, so the prerendered
//! page and the playground show identical strings.

use serde::Serialize;

use super::AvailabilityView;
use super::format::{duration, format_value, round};
use crate::chart::{ChartOptions, timeline_svg, timeline_table};
use crate::decimal::fixed;
use crate::sim::scenarios::{ScenarioResult, worst_scenario};
use crate::sim::{Evaluation, LoadResult};
use crate::spec::Workload;

#[derive(Serialize)]
pub struct SimulationView {
    pub workload: WorkloadView,
    pub targets: Vec<TargetRow>,
    pub metrics: Vec<MetricRow>,
    pub availability: AvailabilityView,
    pub cost: CostView,
    pub messages: Vec<String>,
    pub scenarios: Vec<ScenarioRow>,
    pub worst: Option<WorstView>,
}

#[derive(Serialize)]
pub struct ScenarioRow {
    pub name: String,
    pub detection: String,
    pub rto: String,
    pub data_lost: String,
    pub peak_error_rate: String,
    pub error_rate_after: String,
    pub targets_broken: String,
    pub recovery: String,
}

/// The worst scenario's timeline: the chart and the same data as a table.
#[derive(Serialize)]
pub struct WorstView {
    pub name: String,
    pub chart_svg: String,
    pub rows: Vec<TimelineRow>,
    pub events: Vec<String>,
    pub data_loss: String,
}

#[derive(Serialize)]
pub struct TimelineRow {
    pub t: String,
    pub error_rate: String,
    pub p95: String,
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
    /// `pass`, `fail`, `out-of-reach` or `unchecked`: a CSS class.
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
        format!("{}%", fixed(v * 100.0, 2))
    }
}

/// "US App 2 → 4 (in 5 min)" for each component autoscaling grew.
fn scale_outs(l: &LoadResult) -> String {
    if l.scale_outs.is_empty() {
        return "none needed".to_string();
    }
    l.scale_outs
        .iter()
        .map(|s| {
            format!(
                "{} {} → {} (in {})",
                s.name,
                s.from,
                s.to,
                duration(s.after_s)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn busiest(l: &LoadResult) -> String {
    match l
        .bottleneck
        .as_ref()
        .and_then(|b| l.nodes.iter().find(|n| *n.name == **b))
    {
        Some(n) => format!("{} ({}% busy)", n.name, fixed(n.utilisation * 100.0, 0)),
        None => "none".to_string(),
    }
}

fn scoped(p: Option<&crate::sim::Percentiles>) -> String {
    p.map_or_else(|| "no such requests".to_string(), |p| ms(p.p95_ms))
}

fn data_lost(s: &ScenarioResult) -> String {
    match (s.data_lost_writes, s.rpo_s) {
        (Some(0.0), _) => "none".to_string(),
        (Some(w), Some(rpo)) => format!("{} writes ({} of writes)", round(w), duration(rpo)),
        (Some(w), None) => format!("{} writes", round(w)),
        (None, _) => "all data of the lost store, until restored from backup".to_string(),
    }
}

fn scenario_rows(e: &Evaluation) -> Vec<ScenarioRow> {
    e.scenarios.iter().map(scenario_row).collect()
}

/// A scenario as one row of the scenarios table.
pub fn scenario_row(s: &ScenarioResult) -> ScenarioRow {
    ScenarioRow {
        name: s.name.clone(),
        detection: if s.detection_s > 0.0 {
            duration(s.detection_s)
        } else {
            "—".to_string()
        },
        rto: s
            .rto_s
            .map_or_else(|| "not until restored".to_string(), duration),
        data_lost: data_lost(s),
        peak_error_rate: percent(s.peak_error_rate),
        error_rate_after: percent(s.error_rate_after),
        targets_broken: if s.targets_broken.is_empty() {
            "none".to_string()
        } else {
            s.targets_broken.join(", ")
        },
        recovery: s.recovery.clone(),
    }
}

fn worst_view(e: &Evaluation, id_prefix: &str) -> Option<WorstView> {
    let i = worst_scenario(&e.scenarios)?;
    Some(scenario_detail(
        &e.scenarios[i],
        &format!("Timeline of the worst scenario: {}", e.scenarios[i].name),
        &format!("{id_prefix}-timeline"),
    ))
}

/// One scenario's timeline: the chart (titled `title`) and the same data as
/// a table, its events and what data it loses.
pub fn scenario_detail(s: &ScenarioResult, title: &str, id_prefix: &str) -> WorstView {
    let options = ChartOptions {
        title: title.to_string(),
        description: format!(
            "Error rate and P95 latency per second, from 10 s before the failure; {}. The table below gives the same data.",
            s.recovery
        ),
        id_prefix: id_prefix.to_string(),
    };
    WorstView {
        name: s.name.clone(),
        chart_svg: timeline_svg(s, &options),
        rows: timeline_table(s)
            .into_iter()
            .map(|(t, err, p95)| TimelineRow {
                t: format!("{} s", fixed(t, 0)),
                error_rate: percent(err),
                p95: ms(p95),
            })
            .collect(),
        events: s
            .events
            .iter()
            .map(|(t, label)| format!("{} s: {label}", fixed(*t, 0)))
            .collect(),
        data_loss: s.data_loss.clone(),
    }
}

pub fn view(
    e: &Evaluation,
    workload: &Workload,
    id_prefix: &str,
    type_label: impl Fn(&str) -> String,
) -> SimulationView {
    let (n, k) = (&e.normal, &e.peak);
    let mut metrics = vec![
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
    if !n.scale_outs.is_empty() || !k.scale_outs.is_empty() {
        metrics.push(MetricRow {
            label: "Autoscaling",
            normal: scale_outs(n),
            peak: scale_outs(k),
        });
    }
    let targets = e
        .targets
        .iter()
        .map(|t| {
            let (status, symbol, status_label) = match (t.passed, &t.out_of_reach) {
                (Some(true), _) => ("pass", "✓", "Met"),
                (Some(false), Some(_)) => ("out-of-reach", "⊘", "Out of reach"),
                (Some(false), None) => ("fail", "✗", "Not met"),
                (None, _) => ("unchecked", "?", "Not checked"),
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
                note: t.out_of_reach.clone().unwrap_or_else(|| t.note.clone()),
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
        availability: super::availability_view(a),
        cost: CostView {
            per_hour: super::format::dollars(e.cost.per_hour),
            per_month: format!("${}", round(e.cost.per_month)),
            by_type: e
                .cost
                .by_type
                .iter()
                .map(|c| CostRow {
                    type_label: type_label(&c.component_type),
                    instances: c.instances,
                    per_hour: super::format::dollars(c.per_hour),
                    per_month: format!("${}", round(c.per_hour * crate::sim::HOURS_PER_MONTH)),
                })
                .collect(),
            budget: e.cost.budget_usd.map(|b| format!("${}", round(b))),
            within_budget: e.cost.within_budget,
        },
        messages: e.messages.clone(),
        scenarios: scenario_rows(e),
        worst: worst_view(e, id_prefix),
    }
}
