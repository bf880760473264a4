//! A lost region's users spread over the survivors by the router's policy:
//! a load balancer fills the nearest survivor up to its spill utilisation
//! and sends the rest on (Google Cloud's waterfall by region); DNS latency
//! routing sends them all to the nearest. Closed forms on one design.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::{Failures, LoadResult, steady_state};
use sim_common::*;

/// Users (half in us, a quarter each in eu and ap) → a global router →
/// one app per region. App instances serve 800 requests/s (8 × 10 ms), so
/// at 64,000 requests/s: US App (80) carries 32,000 of 64,000; EU App (50)
/// 16,000 of 40,000; AP App (80) 16,000 of 64,000.
fn case(router: &str) -> Case {
    let t = topo(
        vec![
            comp("Users", "client", "global", 1),
            comp("Router", router, "global", 1),
            comp("US App", "app", "us", 80),
            comp("EU App", "app", "eu", 50),
            comp("AP App", "app", "ap", 80),
        ],
        &[
            ("Users", "Router"),
            ("Router", "US App"),
            ("Router", "EU App"),
            ("Router", "AP App"),
        ],
    );
    let mut c = Case::new(t, 64_000.0, 0.0);
    for (r, s) in [("us", 0.5), ("eu", 0.25), ("ap", 0.25)] {
        c.workload.client_regions.insert(r.into(), s);
    }
    c
}

fn offered(r: &LoadResult, name: &str) -> f64 {
    r.nodes
        .iter()
        .find(|n| &*n.name == name)
        .map(|n| n.offered_rps)
        .expect("a node")
}

fn lose_us(c: &Case) -> LoadResult {
    let f = Failures {
        regions: vec!["us".into()],
        ..Failures::default()
    };
    steady_state(&c.input(), 1.0, &f)
}

#[test]
fn a_load_balancer_fills_the_nearest_survivor_to_its_spill_utilisation_then_the_next() {
    let c = case("lb");
    let u = c.catalog.types["lb"]
        .sim
        .spill_utilisation
        .expect("the lb type spills by capacity");
    assert!((u - 0.8).abs() < 1e-12);
    // Normal state: every region's users stay home.
    let normal = steady_state(&c.input(), 1.0, &Failures::default());
    assert!((offered(&normal, "EU App") - 16_000.0).abs() < 1e-6);
    // US lost: eu is nearer to us (80 ms) than ap (145 ms). EU App takes US
    // users until it is at 0.8 × 40,000 = 32,000; the other 16,000 go to ap.
    let r = lose_us(&c);
    assert!(
        (offered(&r, "EU App") - 32_000.0).abs() < 1e-6,
        "{}",
        offered(&r, "EU App")
    );
    assert!(
        (offered(&r, "AP App") - 32_000.0).abs() < 1e-6,
        "{}",
        offered(&r, "AP App")
    );
    assert!(r.error_rate < 1e-9, "nobody is shed: {}", r.error_rate);
}

#[test]
fn dns_latency_routing_sends_a_lost_regions_users_to_the_nearest_survivor_only() {
    let c = case("dns");
    assert!(c.catalog.types["dns"].sim.spill_utilisation.is_none());
    let r = lose_us(&c);
    assert!((offered(&r, "EU App") - 48_000.0).abs() < 1e-6);
    assert!((offered(&r, "AP App") - 16_000.0).abs() < 1e-6);
    // EU App can serve 40,000 of its 48,000: a sixth is shed.
    assert!(
        (r.error_rate - 8_000.0 / 64_000.0).abs() < 1e-3,
        "{}",
        r.error_rate
    );
}

#[test]
fn when_every_survivor_is_at_its_ceiling_the_rest_goes_by_capacity() {
    let mut c = case("lb");
    // AP App at 20 instances (16,000 of 16,000: already full at 0.8 × 16,000
    // = 12,800); EU App has 16,000 of room to 0.8.
    c.topology.components[4].replicas = 20;
    let r = lose_us(&c);
    // EU takes its 16,000 of room; AP has none (it is past 0.8 already); the
    // remaining 16,000 split by capacity, 40,000 : 16,000.
    let rest = 16_000.0;
    let eu = 16_000.0 + 16_000.0 + rest * 40.0 / 56.0;
    let ap = 16_000.0 + rest * 16.0 / 56.0;
    assert!(
        (offered(&r, "EU App") - eu).abs() < 1e-6,
        "{}",
        offered(&r, "EU App")
    );
    assert!(
        (offered(&r, "AP App") - ap).abs() < 1e-6,
        "{}",
        offered(&r, "AP App")
    );
}
