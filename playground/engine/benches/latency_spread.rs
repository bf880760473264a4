//! How far the Monte Carlo's latency figures move with the seed: for each
//! reference, the normal-load P95 under 20 seeds (its relative standard
//! deviation, and the largest distance from their median), at the
//! catalog's sample count. A figure a reader sees is one seed's; this says
//! how much of it is sampling. `cargo bench -p meridian-engine --bench
//! latency_spread` (a report, not a timing).

use meridian_engine::sim::{Failures, steady_state};

mod support;

const SEEDS: u64 = 20;

fn main() {
    let (catalog, regions, problems) = support::course();
    println!(
        "{:<34} {:>10} {:>8} {:>8}",
        "reference", "P95 ms", "rsd %", "max %"
    );
    let (mut rsds, mut maxes) = (Vec::new(), Vec::new());
    for p in &problems {
        if p.workload.is_none() {
            continue;
        }
        let topology = p.reference.topology();
        let mut p95s = Vec::new();
        for seed in 1..=SEEDS {
            let mut c = catalog.clone();
            c.simulation.seed = seed;
            let input = support::input(p, &topology, &c, &regions).expect("a workload");
            p95s.push(steady_state(&input, 1.0, &Failures::default()).p95_ms);
        }
        let n = p95s.len() as f64;
        if p95s.iter().all(|&x| x == 0.0) {
            // No client traffic (a batch-only reference): nothing sampled.
            println!("{:<34} {:>10}", format!("{:02}-{}", p.number, p.id), "none");
            continue;
        }
        let mean = p95s.iter().sum::<f64>() / n;
        let var = p95s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let mut sorted = p95s.clone();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let rsd = var.sqrt() / mean * 100.0;
        let max = p95s
            .iter()
            .map(|x| (x / median - 1.0).abs() * 100.0)
            .fold(0.0, f64::max);
        println!(
            "{:<34} {:>10.1} {:>8.2} {:>8.2}",
            format!("{:02}-{}", p.number, p.id),
            median,
            rsd,
            max
        );
        rsds.push(rsd);
        maxes.push(max);
    }
    rsds.sort_by(f64::total_cmp);
    maxes.sort_by(f64::total_cmp);
    println!(
        "relative standard deviation of P95 over {SEEDS} seeds: median {:.2} %, worst {:.2} %; \
         largest distance from the median {:.2} %",
        rsds[rsds.len() / 2],
        rsds[rsds.len() - 1],
        maxes[maxes.len() - 1]
    );
}
