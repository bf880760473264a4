use meridian_engine::sim::{SimInput, evaluate, queueing};
use meridian_engine::{Catalog, Problem, Regions};
fn main() {
    let dir = std::path::PathBuf::from("/work/main/problems");
    let rd = |p: std::path::PathBuf| std::fs::read_to_string(p).unwrap();
    let catalog: Catalog = serde_yaml::from_str(&rd(dir.join("catalog.yaml"))).unwrap();
    let regions: Regions = serde_yaml::from_str(&rd(dir.join("regions.yaml"))).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("multiregion")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut times = vec![];
    for f in files {
        let p: Problem = serde_yaml::from_str(&rd(f)).unwrap();
        let Some(w) = p.workload.as_ref() else { continue };
        let t = p.reference.topology();
        let input = SimInput { topology: &t, workload: w, targets: &p.targets, tiers: &p.tiers, constants: &p.constants, catalog: &catalog, regions: &regions };
        let e = evaluate(&input);
        let n = 20;
        let t0 = std::time::Instant::now();
        for _ in 0..n { std::hint::black_box(evaluate(&input)); }
        let ms = t0.elapsed().as_secs_f64() * 1000.0 / n as f64;
        times.push(ms);
        println!("{:02} {:7.3} ms  scen {:3} nodes {}", p.number, ms, e.scenarios.len(), e.normal.nodes.len());
    }
    times.sort_by(f64::total_cmp);
    println!("min {:.3} median {:.3} max {:.3}", times[0], times[times.len()/2], times[times.len()-1]);
    let _ = queueing::SATURATED_RHO;
}
