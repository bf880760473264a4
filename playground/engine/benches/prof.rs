use meridian_engine::sim::{add_scenarios, evaluate_steady};
mod support;
fn main() {
    let which = std::env::var("WHICH").unwrap_or_default();
    let (catalog, regions, problems) = support::course();
    let iters: usize = std::env::var("ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    for _ in 0..iters {
        for p in &problems {
            let topology = p.reference.topology();
            let Some(input) = support::input(p, &topology, &catalog, &regions) else {
                continue;
            };
            let mut e = evaluate_steady(&input);
            if which == "scen" {
                add_scenarios(&input, &mut e);
            }
            std::hint::black_box(&e);
        }
    }
}
