use meridian_engine::sim::{add_scenarios, evaluate_steady};
use std::time::Instant;
mod support;
fn main() {
    let (catalog, regions, problems) = support::course();
    let mut rows = vec![];
    for p in &problems {
        let topology = p.reference.topology();
        let Some(input) = support::input(p, &topology, &catalog, &regions) else {
            continue;
        };
        let n = 30;
        let mut ts = vec![];
        let mut tc = vec![];
        for _ in 0..n {
            let t0 = Instant::now();
            let mut e = evaluate_steady(&input);
            let t1 = Instant::now();
            add_scenarios(&input, &mut e);
            let t2 = Instant::now();
            ts.push((t1 - t0).as_secs_f64() * 1e3);
            tc.push((t2 - t1).as_secs_f64() * 1e3);
            std::hint::black_box(&e);
        }
        ts.sort_by(|a, b| a.partial_cmp(b).unwrap());
        tc.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let e = evaluate_steady(&input);
        let mut e2 = e.clone();
        add_scenarios(&input, &mut e2);
        rows.push((
            p.number,
            ts[n / 2],
            tc[n / 2],
            e2.scenarios.len(),
            topology.components.len(),
        ));
    }
    let mut tot_s = 0.0;
    let mut tot_c = 0.0;
    for r in &rows {
        println!(
            "{:02} steady {:.3} scen {:.3} nscen {} ncomp {}",
            r.0, r.1, r.2, r.3, r.4
        );
        tot_s += r.1;
        tot_c += r.2;
    }
    println!(
        "mean steady {:.3} scen {:.3}",
        tot_s / rows.len() as f64,
        tot_c / rows.len() as f64
    );
}
