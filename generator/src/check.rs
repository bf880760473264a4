//! `meridian check --format json`: one document describing every problem, its
//! reference diagram's quality, and every error.

use std::path::Path;

use meridian_engine::layout::layout;
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
    pub tiers: Vec<meridian_engine::Tier>,
    pub reference: ReferenceReport,
    pub diagram: DiagramReport,
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
                    let l = layout(&p.reference.topology(), &course.catalog, &course.regions);
                    ProblemReport {
                        id: p.id.clone(),
                        number: p.number,
                        title: p.title.clone(),
                        file: lp.file.clone(),
                        tiers: p.tiers.clone(),
                        reference: ReferenceReport {
                            components: p.reference.components.clone(),
                            connections: p.reference.connections.clone(),
                        },
                        diagram: DiagramReport {
                            nodes: l.nodes.len(),
                            edges: l.edges.len(),
                            crossings: l.quality.crossings,
                            overlaps: l.quality.overlaps,
                            edges_through_nodes: l.quality.edges_through_nodes,
                        },
                    }
                })
                .collect();
            CheckReport {
                problems,
                errors: Vec::new(),
            }
        }
    }
}
