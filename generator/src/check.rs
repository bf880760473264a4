//! `meridian check --format json`: one document describing every problem, its
//! reference diagram's quality, and every error.

use std::path::Path;

use meridian_engine::layout::layout;
use meridian_engine::tiers::{RuleStatus, evaluate_tiers};

use crate::simulate::evaluate_reference;
use serde::Serialize;

use crate::diagnostics::LocatedError;
use crate::load::load_course;

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub problems: Vec<ProblemReport>,
    pub errors: Vec<LocatedError>,
}

#[derive(Debug, Serialize)]
pub struct ProblemReport {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub file: String,
    /// The reference solution's tier results.
    pub tiers: Vec<TierReport>,
    pub reference: ReferenceReport,
    pub diagram: DiagramReport,
    /// The simulator's verdict on each target, for the reference solution.
    pub targets: Vec<meridian_engine::sim::TargetResult>,
    pub normal: Option<LoadSummary>,
    pub peak: Option<LoadSummary>,
    pub scenarios: Vec<ScenarioSummary>,
}

#[derive(Debug, Serialize)]
pub struct ScenarioSummary {
    pub name: String,
    pub kind: meridian_engine::sim::scenarios::ScenarioKind,
    /// `null`: errors persist until the failed parts are restored.
    pub rto_s: Option<f64>,
    /// `null`: a store was lost with no copy.
    pub data_lost_writes: Option<f64>,
    pub peak_error_rate: f64,
    pub targets_broken: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TierReport {
    pub id: String,
    pub title: String,
    pub passed: bool,
    pub rules: Vec<RuleReport>,
}

#[derive(Debug, Serialize)]
pub struct RuleReport {
    pub text: String,
    /// `null` for a rule Meridian cannot check.
    pub passed: Option<bool>,
    pub explanation: String,
}

/// The headline figures of one load level.
#[derive(Debug, Serialize)]
pub struct LoadSummary {
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub throughput_rps: f64,
    pub error_rate: f64,
    pub availability: f64,
    pub cost_per_hour: f64,
    pub bottleneck: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReferenceReport {
    pub components: Vec<meridian_engine::Component>,
    pub connections: Vec<meridian_engine::Connection>,
}

#[derive(Debug, Serialize)]
pub struct DiagramReport {
    pub nodes: usize,
    pub edges: usize,
    pub crossings: usize,
    pub overlaps: usize,
    pub edges_through_nodes: usize,
}

/// Loads and validates the course at `root`; never fails, errors are data.
pub fn check_report(root: &Path) -> CheckReport {
    match load_course(root) {
        Err(errors) => CheckReport {
            problems: Vec::new(),
            errors: errors.0,
        },
        Ok(course) => {
            let problems = course
                .problems
                .iter()
                .map(|lp| {
                    let p = &lp.problem;
                    let topology = p.reference.topology();
                    let l = layout(&topology, &course.catalog, &course.regions);
                    let evaluation = evaluate_reference(p, &course.catalog, &course.regions);
                    // The evaluation carries the tier results; without a workload
                    // there is no evaluation, but tiers still apply.
                    let tiers = evaluation
                        .as_ref()
                        .map_or_else(
                            || evaluate_tiers(&p.tiers, &topology, &course.catalog),
                            |e| e.tiers.clone(),
                        )
                        .into_iter()
                        .map(|t| TierReport {
                            id: t.id,
                            title: t.title,
                            passed: t.passed,
                            rules: t
                                .rules
                                .into_iter()
                                .map(|r| RuleReport {
                                    text: r.text,
                                    passed: match r.status {
                                        RuleStatus::Pass => Some(true),
                                        RuleStatus::Fail => Some(false),
                                        RuleStatus::Unchecked => None,
                                    },
                                    explanation: r.explanation,
                                })
                                .collect(),
                        })
                        .collect();
                    let summary =
                        |load: &meridian_engine::sim::LoadResult,
                         e: &meridian_engine::sim::Evaluation| {
                            LoadSummary {
                                p50_ms: load.p50_ms,
                                p95_ms: load.p95_ms,
                                p99_ms: load.p99_ms,
                                throughput_rps: load.throughput_rps,
                                error_rate: load.error_rate,
                                availability: e.availability.fraction,
                                cost_per_hour: e.cost.per_hour,
                                bottleneck: load.bottleneck.clone(),
                            }
                        };
                    ProblemReport {
                        id: p.id.clone(),
                        number: p.number,
                        title: p.title.clone(),
                        file: lp.file.clone(),
                        tiers,
                        targets: evaluation
                            .as_ref()
                            .map(|e| e.targets.clone())
                            .unwrap_or_default(),
                        normal: evaluation.as_ref().map(|e| summary(&e.normal, e)),
                        peak: evaluation.as_ref().map(|e| summary(&e.peak, e)),
                        scenarios: evaluation
                            .as_ref()
                            .map(|e| {
                                e.scenarios
                                    .iter()
                                    .map(|s| ScenarioSummary {
                                        name: s.name.clone(),
                                        kind: s.kind,
                                        rto_s: s.rto_s,
                                        data_lost_writes: s.data_lost_writes,
                                        peak_error_rate: s.peak_error_rate,
                                        targets_broken: s.targets_broken.clone(),
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                        reference: ReferenceReport {
                            components: p.reference.components.clone(),
                            connections: p.reference.connections.clone(),
                        },
                        diagram: DiagramReport {
                            nodes: l.nodes.len(),
                            edges: l.edges.len(),
                            crossings: l.quality().crossings,
                            overlaps: l.quality().overlaps,
                            edges_through_nodes: l.quality().edges_through_nodes,
                        },
                    }
                })
                .collect();
            // Links between chapters and problems, as `build` checks them.
            let errors = crate::site::check_links(&course).unwrap_or_else(|e| {
                vec![crate::diagnostics::LocatedError {
                    file: "book.toml".to_string(),
                    line: 0,
                    column: 0,
                    message: format!("{e:#}"),
                }]
            });
            CheckReport { problems, errors }
        }
    }
}
