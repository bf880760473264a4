//! A profiling driver, not a measurement: evaluates every reference
//! solution in turn, `ITERS` times (default 40), so a profiler sees the
//! evaluation and little else. Build it with `cargo bench -p
//! meridian-engine --bench evaluate_loop --no-run`, then run the printed
//! executable under `perf record -g` (with `RUSTFLAGS="-C
//! force-frame-pointers=yes"`), `valgrind --tool=callgrind` (instructions,
//! steadier than time on a shared machine) or `valgrind --tool=dhat`
//! (allocations by call site). `STEADY=1` stops before the scenarios;
//! `ONLY=<number>` evaluates that problem's reference alone.
//! Run under `cargo bench` it does one pass and exits.

use std::hint::black_box;

use meridian_engine::sim::{add_scenarios, evaluate_steady};

mod support;

fn main() {
    // `cargo bench` passes `--bench`: one pass, so the suite stays quick.
    let under_cargo = std::env::args().any(|a| a == "--bench");
    let iters: usize = std::env::var("ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if under_cargo { 1 } else { 40 });
    let steady_only = std::env::var_os("STEADY").is_some();
    let only: Option<u32> = std::env::var("ONLY").ok().and_then(|s| s.parse().ok());
    let (catalog, regions, problems) = support::course();
    for _ in 0..iters {
        for p in problems
            .iter()
            .filter(|p| only.is_none_or(|n| p.number == n))
        {
            let topology = p.reference.topology();
            let Some(input) = support::input(p, &topology, &catalog, &regions) else {
                continue;
            };
            let mut e = evaluate_steady(&input);
            if !steady_only {
                add_scenarios(&input, &mut e);
            }
            black_box(&e);
        }
    }
}
