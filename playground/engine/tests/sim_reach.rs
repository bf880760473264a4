//! Targets out of reach: a latency target below the design's no-queueing
//! floor, and an availability target at or above what its regions allow,
//! are marked with the computation; a target that more instances would meet
//! is merely not met.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::evaluate;
use meridian_engine::spec::{LatencyScope, LatencyTarget, Percentile};
use sim_common::*;

/// Users in one region → an app in another, 80 ms away: no number of
/// instances brings P50 under the round trip.
fn far_app(max_ms: f64, replicas: u32) -> Case {
    let t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "eu", replicas),
        ],
        &[("Users", "App")],
    );
    let mut c = Case::new(t, 1_000.0, 0.0);
    c.targets.latency = vec![LatencyTarget {
        percentile: Percentile::P50,
        scope: LatencyScope::Overall,
        max_ms,
    }];
    c
}

#[test]
fn a_latency_target_under_the_round_trip_is_out_of_reach() {
    let e = evaluate(&far_app(50.0, 2).input());
    let t = &e.targets[0];
    assert_eq!(t.passed, Some(false));
    let why = t.out_of_reach.as_deref().expect("out of reach");
    assert!(
        why.contains("no queueing") && why.contains("50 ms"),
        "{why}"
    );
    // 1,000 rps on 2 apps (1,600 rps of capacity) queues: P50 above 100 ms
    // is not met, but more instances would meet it.
    let e = evaluate(&far_app(95.0, 2).input());
    let t = &e.targets[0];
    if t.passed == Some(false) {
        assert!(t.out_of_reach.is_none(), "{:?}", t.out_of_reach);
    }
}

#[test]
fn an_availability_target_above_the_region_is_out_of_reach() {
    let t = topo(
        vec![
            comp("Users", "client", "global", 1),
            comp("App", "app", "us", 4),
        ],
        &[("Users", "App")],
    );
    let mut c = Case::new(t, 100.0, 0.0);
    c.targets.availability = Some(0.9999);
    let e = evaluate(&c.input());
    let a = e
        .targets
        .iter()
        .find(|t| t.name == "availability")
        .expect("an availability target");
    assert_eq!(a.passed, Some(false));
    let why = a.out_of_reach.as_deref().expect("out of reach");
    assert!(why.contains("99.95"), "{why}");
    // 99.9 % is within the region's 99.95 %: more instances could reach it.
    c.targets.availability = Some(0.999);
    let e = evaluate(&c.input());
    let a = e.targets.iter().find(|t| t.name == "availability").unwrap();
    assert!(a.out_of_reach.is_none());
}
