//! Full evaluation of each reference solution (tiers, normal load, peak,
//! availability, cost, every failure scenario): the work behind one problem
//! page and one playground edit. `cargo bench -p meridian-engine --bench evaluate`.

use criterion::{Criterion, criterion_group, criterion_main};
use meridian_engine::sim::evaluate;

mod support;

fn bench(c: &mut Criterion) {
    let (catalog, regions, problems) = support::course();
    let mut group = c.benchmark_group("evaluate_reference");
    group.sample_size(20);
    for p in &problems {
        let topology = p.reference.topology();
        let Some(input) = support::input(p, &topology, &catalog, &regions) else {
            continue;
        };
        group.bench_function(format!("{:02}-{}", p.number, p.id), |b| {
            b.iter(|| evaluate(&input))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
