//! Running the engine's simulator on a problem: the reference solution for
//! the pages and `check`, or a reader's topology for `meridian simulate`.

use std::fmt::Write;

use meridian_engine::report::format::{duration, format_value, round};
use meridian_engine::sim::{Evaluation, SimInput, evaluate};
use meridian_engine::{Catalog, Problem, Regions, Topology};

/// Evaluates `topology` against `problem`; `None` when the problem states no workload.
pub fn evaluate_design(
    problem: &Problem,
    topology: &Topology,
    catalog: &Catalog,
    regions: &Regions,
) -> Option<Evaluation> {
    let workload = problem.workload.as_ref()?;
    let input = SimInput {
        topology,
        workload,
        targets: &problem.targets,
        tiers: &problem.tiers,
        constants: &problem.constants,
        catalog,
        regions,
    };
    Some(evaluate(&input))
}

/// The reference solution's evaluation.
pub fn evaluate_reference(
    problem: &Problem,
    catalog: &Catalog,
    regions: &Regions,
) -> Option<Evaluation> {
    evaluate_design(problem, &problem.reference.topology(), catalog, regions)
}

fn mark(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "·",
    }
}

/// A plain-text report for the terminal.
pub fn text_report(problem: &Problem, what: &str, e: &Evaluation) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}. {} — {what}", problem.number, problem.title);
    let _ = writeln!(s, "\nTiers");
    for t in &e.tiers {
        let _ = writeln!(s, "  {} {} {}", mark(Some(t.passed)), t.id, t.title);
        for r in &t.rules {
            let _ = writeln!(s, "      {} — {}", r.text, r.explanation);
        }
    }
    if !e.targets.is_empty() {
        let _ = writeln!(s, "\nTargets");
        for t in &e.targets {
            let value = t.value.map_or_else(
                || format!("not checked ({})", t.note),
                |v| format_value(v, &t.unit),
            );
            let _ = writeln!(s, "  {} {}: {value}", mark(t.passed), t.target);
            if let Some(why) = &t.out_of_reach {
                let _ = writeln!(s, "      {why}");
            }
        }
    }
    for (label, l) in [("Normal load", &e.normal), ("Peak", &e.peak)] {
        let _ = writeln!(s, "\n{label}: {} requests/s offered", round(l.offered_rps));
        let _ = writeln!(
            s,
            "  latency P50 {} ms, P95 {} ms, P99 {} ms",
            round(l.p50_ms),
            round(l.p95_ms),
            round(l.p99_ms)
        );
        let _ = writeln!(
            s,
            "  throughput {} requests/s, errors {:.2}%",
            round(l.throughput_rps),
            l.error_rate * 100.0
        );
        if let Some(b) = &l.bottleneck
            && let Some(n) = l.nodes.iter().find(|n| *n.name == **b)
        {
            let _ = writeln!(
                s,
                "  busiest: {b} at {:.0}% utilisation",
                n.utilisation * 100.0
            );
        }
    }
    let a = &e.availability;
    let _ = writeln!(
        s,
        "\nAvailability {:.4}% ({:.1} nines, {} of downtime a year)",
        a.fraction * 100.0,
        a.nines,
        duration(a.downtime_per_year_s)
    );
    // Where the downtime comes from, as the page shows it.
    for m in &meridian_engine::report::availability_view(a).modes {
        if m.failing == "—" {
            let _ = writeln!(s, "  {}: {} a year", m.cause, m.downtime);
        } else {
            let _ = writeln!(
                s,
                "  {}: {} a year ({}, {} failing while it lasts)",
                m.cause, m.downtime, m.how_often, m.failing
            );
        }
    }
    let _ = writeln!(
        s,
        "Cost ${:.2}/hour, ${}/month",
        e.cost.per_hour,
        round(e.cost.per_month)
    );
    if !e.scenarios.is_empty() {
        let _ = writeln!(s, "\nFailure scenarios (RTO, data lost, peak errors)");
        for sc in &e.scenarios {
            let rto = sc
                .rto_s
                .map_or_else(|| "not until restored".to_string(), duration);
            let lost = match sc.data_lost_writes {
                Some(w) => format!("{} writes", round(w)),
                None => "all data of the lost store".to_string(),
            };
            let _ = writeln!(
                s,
                "  {}: RTO {rto}, lost {lost}, peak errors {:.1}%",
                sc.name,
                sc.peak_error_rate * 100.0
            );
        }
    }
    for m in &e.messages {
        let _ = writeln!(s, "note: {m}");
    }
    s
}
