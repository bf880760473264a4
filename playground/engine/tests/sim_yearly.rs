//! Availability over a year agrees with the failure scenarios: for every
//! reference, the reported unavailability is recomputed here from the
//! scenarios' timelines (as a reader would, from the charts), the data
//! files' rates and the instance-failure states (binomial chances, steady
//! states with fewer instances), independently of the engine's own
//! integration.
//!
//! `cargo test -p meridian-engine --test sim_yearly -- --nocapture` prints
//! the table of reported vs scenario-implied figures. The two agree within
//! 1 % of the unavailability, plus what one-second chart points cannot
//! resolve (half a second of error per event on the chart).

#[path = "support/mod.rs"]
mod support;

use meridian_engine::sim::scenarios::{ScenarioKind, ScenarioResult};
use meridian_engine::sim::{Evaluation, Failures, SimInput, evaluate, steady_state};
use support::{catalog, course};

const YEAR_S: f64 = 365.25 * 24.0 * 3600.0;

/// ∫₀ᵈ error dt from the chart's one-second points (trapezoids), then the
/// settled rate for the rest of the outage.
fn timeline_error_seconds(s: &ScenarioResult, d: f64) -> f64 {
    let pts: Vec<_> = s.timeline.iter().filter(|p| p.t_s >= 0.0).collect();
    let mut sum = 0.0;
    let mut end = 0.0;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.t_s >= d {
            break;
        }
        let t1 = b.t_s.min(d);
        let e1 = a.error_rate + (b.error_rate - a.error_rate) * (t1 - a.t_s) / (b.t_s - a.t_s);
        sum += 0.5 * (a.error_rate + e1) * (t1 - a.t_s);
        end = t1;
    }
    if d > end {
        sum += s.error_rate_after * (d - end);
    }
    sum
}

/// Instances failing inside each group, recomputed: for every component of
/// k ≥ 2 instances, each count d of them down (not all) that overloads the
/// rest (utilisation past 1, the only way a group sheds) is weighted by its
/// binomial chance, built term by term, and counted at the error rate the
/// steady state shows with k − d instances, every state evaluated.
fn instance_failures(input: &SimInput, e: &Evaluation) -> f64 {
    let mut u = 0.0;
    for n in &e.normal.nodes {
        let Some(c) = input
            .topology
            .components
            .iter()
            .find(|c| *c.name == *n.name)
        else {
            continue;
        };
        let id = input.catalog.resolve(&c.component_type).expect("a type");
        if id == "client" || n.replicas < 2 || n.utilisation <= 0.0 {
            continue;
        }
        let k = n.replicas;
        let a = input.catalog.types[id].sim.availability;
        let q = 1.0 - a;
        // P(D = d), from P(D = 0) = a^k up.
        let mut pd = a.powi(k as i32);
        for d in 1..k {
            pd *= f64::from(k - d + 1) / f64::from(d) * q / a;
            if f64::from(d) > f64::from(k) * q && pd < 1e-20 {
                break;
            }
            if n.utilisation * f64::from(k) / f64::from(k - d) <= 1.0 || pd < 1e-20 {
                continue;
            }
            let mut t = input.topology.clone();
            let x = t
                .components
                .iter_mut()
                .find(|x| *x.name == *n.name)
                .unwrap();
            x.replicas = k - d;
            x.autoscale = None;
            let with = SimInput {
                topology: &t,
                ..*input
            };
            let err = steady_state(&with, 1.0, &Failures::default()).error_rate;
            u += pd * (err - e.normal.error_rate);
        }
    }
    u
}

#[test]
fn availability_equals_what_the_scenarios_imply() {
    let catalog = catalog::catalog();
    let regions = catalog::regions();
    let p_region = 1.0 - regions.network.region_availability;
    let d_region = regions.network.region_outage_h.expect("region_outage_h") * 3600.0;
    let mut failures = Vec::new();
    println!(
        "{:>3} {:>12} {:>12} {:>12} {:>9} {:>7}",
        "#", "reported U", "scenarios U", "several U", "diff %", "nines"
    );
    for p in course::load() {
        let Some(workload) = p.problem.workload.clone() else {
            continue;
        };
        let input = SimInput {
            topology: &p.topology,
            workload: &workload,
            targets: &p.problem.targets,
            tiers: &[],
            constants: &p.problem.constants,
            catalog: &catalog,
            regions: &regions,
        };
        let e = evaluate(&input);
        assert!(e.availability.from_scenarios, "{}", p.number);
        if e.normal.offered_rps == 0.0 {
            // Background only (problem 6): no scenario fails a request that
            // is never sent, so the figure is connectivity's.
            assert!(e.availability.modes.is_empty(), "{}", p.number);
            continue;
        }
        let mut u = e.normal.error_rate;
        let mut pairs = Vec::new();
        // The chart has one point a second: a jump between two points (a
        // detection at 10.5 s) is off by at most half a second of it.
        let mut resolution = 0.0;
        for s in &e.scenarios {
            let (prob, d) = match s.kind {
                ScenarioKind::RegionLoss => (p_region, d_region),
                ScenarioKind::ComponentLoss => {
                    let c = p
                        .topology
                        .components
                        .iter()
                        .find(|c| c.name == s.failures.components[0])
                        .expect("a component");
                    let t = &catalog.types[catalog.resolve(&c.component_type).expect("a type")];
                    let k = c.replicas.max(1);
                    let q = (1.0 - t.sim.availability).powi(k as i32);
                    let repair = t.sim.repair_s.expect("every course type has repair_s");
                    (q, repair / f64::from(k))
                }
                ScenarioKind::Partition => continue,
            };
            pairs.push(prob);
            resolution += prob * 0.5 * s.events.len() as f64 / d;
            u += prob * (timeline_error_seconds(s, d) / d - e.normal.error_rate);
        }
        u += instance_failures(&input, &e);
        let reported = 1.0 - e.availability.fraction;
        let several = e.availability.several_at_once_per_year_s / YEAR_S;
        // Two failures at once: at most the sum over pairs of both probabilities.
        let bound: f64 = (0..pairs.len())
            .flat_map(|i| (i + 1..pairs.len()).map(move |j| (i, j)))
            .map(|(i, j)| pairs[i] * pairs[j])
            .sum();
        let diff = (reported - several - u) / reported.max(1e-300);
        println!(
            "{:>3} {:>12.3e} {:>12.3e} {:>12.3e} {:>9.3} {:>7.2}",
            p.number,
            reported,
            u,
            several,
            diff * 100.0,
            e.availability.nines
        );
        if (reported - several - u).abs() > 0.01 * reported + resolution {
            failures.push(format!(
                "{}: reported {reported:.4e} (of which several at once {several:.3e}), scenarios {u:.4e}",
                p.number
            ));
        }
        if several > bound * 1.000_001 + 1e-15 {
            failures.push(format!(
                "{}: several failures at once {several:.3e} above the pairs' bound {bound:.3e}",
                p.number
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
