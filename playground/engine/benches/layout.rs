//! Drawing: the layout of each reference solution, and of a design at the
//! size limits (`limits.rs`), laid out and drawn as SVG, which every
//! playground edit of such a design pays for. `cargo bench -p meridian-engine --bench layout`.

use criterion::{Criterion, criterion_group, criterion_main};
use meridian_engine::Topology;
use meridian_engine::layout::layout;
use meridian_engine::report::diagram_svg;

mod support;

/// Designs near the size limits: `components` of 20,000 instances over
/// every region, up to `connections` links between pairs `gap` apart (and
/// from the client to all). (40, 120, 3) is the browser test's largest
/// design; the others were the slowest of a sweep over shapes.
fn dense(components: usize, connections: usize, gap: usize) -> Topology {
    let types = [
        "lb",
        "app",
        "cache",
        "db_primary",
        "db_replica",
        "stream",
        "app",
        "app",
    ];
    let regions = ["us", "eu", "ap", "global"];
    let name = |i: usize| {
        if i == 0 {
            "Users".to_string()
        } else {
            format!("N{i}")
        }
    };
    let mut yaml = String::from("components:\n  - {name: Users, type: client, region: global}\n");
    for i in 1..components {
        yaml.push_str(&format!(
            "  - {{name: {}, type: {}, region: {}, replicas: 20000}}\n",
            name(i),
            types[i % types.len()],
            regions[i % regions.len()]
        ));
    }
    yaml.push_str("connections:\n");
    let mut n = 0;
    'all: for a in 0..components {
        for b in (a + 1)..components {
            if n == connections {
                break 'all;
            }
            if (b - a) % gap == 1 || a == 0 {
                yaml.push_str(&format!("  - {{from: {}, to: {}}}\n", name(a), name(b)));
                n += 1;
            }
        }
    }
    serde_yaml::from_str(&yaml).expect("the design parses")
}

fn bench(c: &mut Criterion) {
    let (catalog, regions, problems) = support::course();
    let mut group = c.benchmark_group("layout");
    group.sample_size(20);
    for (components, connections, gap) in [(40, 120, 3), (35, 120, 7), (15, 33, 2)] {
        let design = dense(components, connections, gap);
        group.bench_function(format!("dense-{components}-{connections}-{gap}"), |b| {
            b.iter(|| layout(&design, &catalog, &regions))
        });
    }
    let limits = dense(40, 120, 3);
    group.bench_function("dense-40-120-3-svg", |b| {
        b.iter(|| diagram_svg(&limits, &catalog, &regions, "Design", "", "pg", Vec::new()))
    });
    for p in &problems {
        let topology = p.reference.topology();
        group.bench_function(format!("{:02}-{}", p.number, p.id), |b| {
            b.iter(|| layout(&topology, &catalog, &regions))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
