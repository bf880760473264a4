//! The 35 published reference topologies under a hand-made workload
//! (1,000 rps, 10 % writes): every evaluation completes with finite
//! numbers. Prints a table with the time of one `evaluate` per problem
//! (`cargo test --release --test sim_reference -- --nocapture`).

#[allow(dead_code)]
#[path = "support/course.rs"]
mod course;
#[path = "sim_common.rs"]
mod sim_common;

use std::time::Instant;

use meridian_engine::sim::{SimInput, evaluate};
use meridian_engine::spec::Targets;
use meridian_engine::vec_map::VecMap;
use sim_common::catalog;

#[test]
fn reference_topologies_evaluate() {
    let problems = course::load();
    assert_eq!(problems.len(), 35);
    let catalog = catalog::catalog();
    let regions = catalog::regions();
    let workload = sim_common::workload(1000.0, 0.1);
    let targets = Targets::default();
    let constants = VecMap::new();
    println!(
        "{:>3} {:<40} {:>5} {:>9} {:>8} {:>8} {:>8} {:>7} {:>9} {:>7} {:>9} {:<22} {:>8}",
        "#",
        "title",
        "nodes",
        "thru rps",
        "P50 ms",
        "P95 ms",
        "P99 ms",
        "err %",
        "peak err%",
        "nines",
        "$/month",
        "bottleneck",
        "eval ms"
    );
    let mut total = 0.0;
    for p in &problems {
        let input = SimInput {
            topology: &p.topology,
            workload: &workload,
            targets: &targets,
            tiers: &[],
            constants: &constants,
            catalog: &catalog,
            regions: &regions,
        };
        let t0 = Instant::now();
        let e = evaluate(&input);
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        total += ms;
        for r in [&e.normal, &e.peak] {
            let xs = [
                r.offered_rps,
                r.throughput_rps,
                r.error_rate,
                r.mean_ms,
                r.p50_ms,
                r.p95_ms,
                r.p99_ms,
            ];
            assert!(xs.iter().all(|x| x.is_finite()), "{}: {xs:?}", p.number);
            for n in &r.nodes {
                assert!(
                    n.offered_rps.is_finite()
                        && n.utilisation.is_finite()
                        && n.mean_wait_ms.is_finite(),
                    "{}: {}",
                    p.number,
                    n.name
                );
                let out = n.served_rps
                    + n.absorbed_rps
                    + n.dropped_rps
                    + n.forwarded_rps
                    + n.no_route_rps;
                assert!(
                    (out - n.offered_rps).abs() <= 1e-9 * n.offered_rps.max(1.0),
                    "{}: {}",
                    p.number,
                    n.name
                );
            }
            let acc = r.throughput_rps + r.dropped_rps + r.error_rps;
            assert!(
                (acc - r.offered_rps).abs() <= 1e-9 * r.offered_rps.max(1.0),
                "{}",
                p.number
            );
        }
        assert!(e.availability.fraction.is_finite() && e.availability.nines.is_finite());
        assert!(e.cost.per_month.is_finite());
        // Every reference carries traffic; a design without a client (a background pipeline) takes it at its entry points and
        // says so.
        let has_client = p
            .topology
            .components
            .iter()
            .any(|c| c.component_type == "client");
        assert!(e.normal.offered_rps > 0.0, "{}: {:?}", p.number, e.messages);
        if !has_client {
            assert!(
                e.messages
                    .iter()
                    .any(|m| m.contains("no client in the design: requests enter at")),
                "{}: {:?}",
                p.number,
                e.messages
            );
        }
        let title: String = p.title.chars().take(40).collect();
        println!(
            "{:>3} {:<40} {:>5} {:>9.1} {:>8.1} {:>8.1} {:>8.1} {:>7.3} {:>9.3} {:>7.2} {:>9.0} {:<22} {:>8.2}",
            p.number,
            title,
            e.normal.nodes.len(),
            e.normal.throughput_rps,
            e.normal.p50_ms,
            e.normal.p95_ms,
            e.normal.p99_ms,
            e.normal.error_rate * 100.0,
            e.peak.error_rate * 100.0,
            e.availability.nines,
            e.cost.per_month,
            e.normal
                .bottleneck
                .clone()
                .unwrap_or_default()
                .chars()
                .take(22)
                .collect::<String>(),
            ms
        );
        for m in &e.messages {
            println!("      note: {m}");
        }
    }
    println!(
        "total evaluate time over 35 problems: {total:.1} ms ({:.2} ms each)",
        total / 35.0
    );
}
