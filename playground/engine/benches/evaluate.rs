//! Full evaluation of each reference solution (tiers, normal load, peak,
//! availability, cost, every failure scenario): the work behind one problem
//! page and one playground edit. `cargo bench -p meridian-engine --bench evaluate`.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use meridian_engine::sim::{SimInput, evaluate};
use meridian_engine::{Catalog, Problem, Regions};

fn problems_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../problems")
}

fn read<T: serde::de::DeserializeOwned>(path: PathBuf) -> T {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bench(c: &mut Criterion) {
    let catalog: Catalog = read(problems_dir().join("catalog.yaml"));
    let regions: Regions = read(problems_dir().join("regions.yaml"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(problems_dir().join("multiregion"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let problems: Vec<Problem> = files.into_iter().map(read).collect();
    let mut group = c.benchmark_group("evaluate_reference");
    group.sample_size(20);
    for p in &problems {
        let Some(workload) = p.workload.as_ref() else {
            continue;
        };
        let topology = p.reference.topology();
        let input = SimInput {
            topology: &topology,
            workload,
            targets: &p.targets,
            tiers: &p.tiers,
            constants: &p.constants,
            catalog: &catalog,
            regions: &regions,
        };
        group.bench_function(format!("{:02}-{}", p.number, p.id), |b| {
            b.iter(|| evaluate(&input))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
