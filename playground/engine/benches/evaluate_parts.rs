//! Where a full evaluation's time goes, per reference solution: the steady
//! part (`evaluate_steady`: tiers, normal and peak load, availability by
//! connectivity, cost; what the playground shows first) and the failure
//! scenarios (`add_scenarios`), each the median of 30 runs, then their
//! means over the course. `cargo bench -p meridian-engine --bench
//! evaluate_parts`.
//!
//! A whole-process figure in a few seconds, to run two builds one after the
//! other in turns on a noisy machine; criterion's `evaluate` bench is the
//! reference figure for the full evaluation.

use std::hint::black_box;
use std::time::Instant;

use meridian_engine::sim::{add_scenarios, evaluate_steady};

mod support;

const RUNS: usize = 30;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let (catalog, regions, problems) = support::course();
    let (mut steady_sum, mut scenarios_sum, mut n) = (0.0, 0.0, 0.0);
    println!("reference: steady ms, scenarios ms (median of {RUNS})");
    for p in &problems {
        let topology = p.reference.topology();
        let Some(input) = support::input(p, &topology, &catalog, &regions) else {
            continue;
        };
        let (mut steady, mut scenarios) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let t0 = Instant::now();
            let mut e = evaluate_steady(&input);
            let t1 = Instant::now();
            add_scenarios(&input, &mut e);
            let t2 = Instant::now();
            black_box(&e);
            steady.push((t1 - t0).as_secs_f64() * 1e3);
            scenarios.push((t2 - t1).as_secs_f64() * 1e3);
        }
        let (s, c) = (median(steady), median(scenarios));
        println!("{:02}-{}: {s:.3} {c:.3}", p.number, p.id);
        steady_sum += s;
        scenarios_sum += c;
        n += 1.0;
    }
    println!(
        "mean over {n} references: steady {:.3} ms, scenarios {:.3} ms, full {:.3} ms",
        steady_sum / n,
        scenarios_sum / n,
        (steady_sum + scenarios_sum) / n
    );
}
