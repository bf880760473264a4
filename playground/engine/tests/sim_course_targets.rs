//! The references as a system-design reader checks them: every checkable
//! target met, or marked out of reach with the computation and explained
//! in the reference's notes; no component past 20,000 instances.

#[allow(dead_code)]
#[path = "support/course.rs"]
mod course;
#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::{SimInput, evaluate};
use sim_common::catalog;

/// Most instances any reference component may run (autoscaling's maximum
/// included): counts an engineer would draw and defend.
const MAX_INSTANCES: u32 = 20_000;

#[test]
fn every_reference_meets_each_checkable_target_or_shows_why_it_cannot() {
    let catalog = catalog::catalog();
    let regions = catalog::regions();
    let (mut met, mut out_of_reach, mut problems) = (0, Vec::new(), Vec::new());
    for p in course::load() {
        let Some(workload) = p.problem.workload.clone() else {
            met += 1; // nothing to check against
            continue;
        };
        let input = SimInput {
            topology: &p.topology,
            workload: &workload,
            targets: &p.problem.targets,
            tiers: &p.problem.tiers,
            constants: &p.problem.constants,
            catalog: &catalog,
            regions: &regions,
        };
        let e = evaluate(&input);
        let mut all = true;
        for t in e.targets.iter().filter(|t| t.passed == Some(false)) {
            all = false;
            match &t.out_of_reach {
                Some(why) => {
                    assert!(why.contains("out of reach"), "{}: {why}", p.number);
                    // The reference says so in its own words, with the figure.
                    let noted = p
                        .problem
                        .reference
                        .notes
                        .iter()
                        .any(|n| n.contains(&t.target) && n.contains("out of reach"));
                    assert!(
                        noted,
                        "{} {}: {} is out of reach but no note explains it",
                        p.number, p.problem.title, t.target
                    );
                    out_of_reach.push(format!("{} {}", p.number, t.target));
                }
                None => problems.push(format!(
                    "{:>2} {}: {} not met ({:?})",
                    p.number, p.problem.title, t.target, t.value
                )),
            }
        }
        for t in e.tiers.iter().filter(|t| !t.passed) {
            problems.push(format!("{:>2}: tier {} not passed", p.number, t.id));
        }
        if all {
            met += 1;
        }
    }
    println!("meeting every checkable target: {met} of 35; out of reach: {out_of_reach:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Out of reach means physics or the catalog's service times, never
    // capacity: no more than the four latency targets known today.
    assert!(out_of_reach.len() <= 4, "{out_of_reach:?}");
}

#[test]
fn no_reference_component_runs_more_than_twenty_thousand_instances() {
    let mut largest = (0, String::new());
    for p in course::load() {
        for c in &p.topology.components {
            let n = c.autoscale.map_or(c.replicas, |a| a.max.max(c.replicas));
            assert!(
                n <= MAX_INSTANCES,
                "{} {}: {} runs {n} instances",
                p.number,
                p.problem.title,
                c.name
            );
            if n > largest.0 {
                largest = (n, format!("{} {}", p.number, c.name));
            }
        }
    }
    println!("largest component: {} ({})", largest.0, largest.1);
}
