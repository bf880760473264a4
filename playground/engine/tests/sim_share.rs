//! Traffic that is not every request: a connection's `share` of its
//! caller's traffic, as closed forms on small designs, and where validation
//! refuses one.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::{Failures, steady_state};
use meridian_engine::validate::validate_topology;
use sim_common::*;

fn offered(case: &Case, name: &str) -> f64 {
    steady_state(&case.input(), 1.0, &Failures::default())
        .nodes
        .iter()
        .find(|n| &*n.name == name)
        .map(|n| n.offered_rps)
        .expect("a node")
}

/// Users → App → DB → Transcoder (a store feeding a worker: asynchronous);
/// only a quarter of the writes are uploads to transcode.
#[test]
fn an_asynchronous_share_carries_that_fraction_of_the_copies() {
    let mut t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "us", 10),
            comp("DB", "db_primary", "us", 10),
            comp("Transcoder", "worker", "us", 100),
        ],
        &[("Users", "App"), ("App", "DB"), ("DB", "Transcoder")],
    );
    let all = Case::new(t.clone(), 1000.0, 0.2);
    assert!((offered(&all, "Transcoder") - 200.0).abs() < 1e-9);
    t.connections[2].share = Some(0.25);
    let quarter = Case::new(t, 1000.0, 0.2);
    assert!((offered(&quarter, "Transcoder") - 50.0).abs() < 1e-9);
    // The request path is unchanged.
    assert_eq!(offered(&quarter, "DB"), offered(&all, "DB"));
    assert!(validate_topology(&quarter.topology, &quarter.catalog, &quarter.regions).is_empty());
}

/// Users send 1 % of their requests to a RUM collector, the rest to the
/// load balancer; with a second unshared connection the rest splits evenly.
#[test]
fn a_client_splits_by_its_connections_shares() {
    let mut t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("RUM", "worker", "us", 10),
            comp("LB", "lb", "us", 1),
            comp("App", "app", "us", 100),
        ],
        &[("Users", "RUM"), ("Users", "LB"), ("LB", "App")],
    );
    let even = Case::new(t.clone(), 10_000.0, 0.0);
    assert!((offered(&even, "RUM") - 5_000.0).abs() < 1e-6);
    t.connections[0].share = Some(0.01);
    let case = Case::new(t.clone(), 10_000.0, 0.0);
    assert!((offered(&case, "RUM") - 100.0).abs() < 1e-6);
    assert!((offered(&case, "LB") - 9_900.0).abs() < 1e-6);
    // Shares adding up past 1 are scaled to 1.
    t.connections[1].share = Some(0.99);
    t.connections[0].share = Some(0.03);
    let scaled = Case::new(t, 10_000.0, 0.0);
    assert!((offered(&scaled, "RUM") - 10_000.0 * 0.03 / 1.02).abs() < 1e-6);
}

#[test]
fn validation_refuses_a_share_out_of_range_or_on_a_call() {
    let mut t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "us", 1),
            comp("DB", "db_primary", "us", 1),
        ],
        &[("Users", "App"), ("App", "DB")],
    );
    let case = Case::new(t.clone(), 1.0, 0.0);
    t.connections[0].share = Some(1.5);
    t.connections[1].share = Some(0.5);
    let d = validate_topology(&t, &case.catalog, &case.regions);
    let text: Vec<String> = d
        .iter()
        .map(|x| format!("{}: {}", x.path, x.message))
        .collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(text[0].contains("connections[0].share") && text[0].contains("at most 1, found 1.5"));
    assert!(
        text[1].contains("connections[1].share")
            && text[1].contains("a call every request through `App` makes")
    );
}

/// A component's own service figures replace its type's: an app answering
/// in 1 ms with 16 threads serves 16,000 requests/s per instance.
#[test]
fn a_service_override_sets_that_components_capacity() {
    let mut t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("Limiter", "app", "us", 2),
        ],
        &[("Users", "Limiter")],
    );
    let generic = Case::new(t.clone(), 1_000.0, 0.0);
    let util = |case: &Case| {
        steady_state(&case.input(), 1.0, &Failures::default())
            .nodes
            .iter()
            .find(|n| &*n.name == "Limiter")
            .map(|n| n.utilisation)
            .expect("a node")
    };
    let app = &generic.catalog.types["app"].sim;
    let cap = f64::from(app.concurrency) / (app.service_ms / 1000.0);
    assert!((util(&generic) - 1_000.0 / (2.0 * cap)).abs() < 1e-12);
    t.components[1].service = Some(meridian_engine::spec::ServiceOverride {
        concurrency: Some(16),
        service_ms: Some(1.0),
        source: "a test".into(),
    });
    let fast = Case::new(t.clone(), 1_000.0, 0.0);
    assert!((util(&fast) - 1_000.0 / (2.0 * 16_000.0)).abs() < 1e-12);
    assert!(validate_topology(&t, &fast.catalog, &fast.regions).is_empty());
    t.components[1].service = Some(meridian_engine::spec::ServiceOverride {
        concurrency: Some(0),
        service_ms: Some(-1.0),
        source: String::new(),
    });
    let d = validate_topology(&t, &fast.catalog, &fast.regions);
    assert_eq!(d.len(), 2, "{d:?}");
}

/// An app that syncs its clock with a time server on one request in a
/// thousand: the time server sees a thousandth of the load, and the other
/// requests end at the app.
#[test]
fn a_shared_call_from_an_app_is_made_by_that_share_of_requests() {
    let mut t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "us", 10),
            comp("Clock", "worker", "us", 1),
        ],
        &[("Users", "App"), ("App", "Clock")],
    );
    let every = Case::new(t.clone(), 1_000.0, 0.0);
    assert!((offered(&every, "Clock") - 1_000.0).abs() < 1e-9);
    t.connections[1].share = Some(0.001);
    let case = Case::new(t, 1_000.0, 0.0);
    assert!((offered(&case, "Clock") - 1.0).abs() < 1e-9);
    let r = steady_state(&case.input(), 1.0, &Failures::default());
    let app = r.nodes.iter().find(|n| &*n.name == "App").expect("App");
    assert!((app.served_rps - 999.0).abs() < 1e-9, "{}", app.served_rps);
    assert!(validate_topology(&case.topology, &case.catalog, &case.regions).is_empty());
}

/// A global store keeps each write in a majority of the design's regions:
/// with us, eu and ap, a write taken in us waits for the nearest other
/// region (eu, 80 ms); reads stay local.
#[test]
fn a_global_store_pays_a_quorum_round_trip_on_writes() {
    let t = topo(
        vec![
            comp("Users", "client", "global", 1),
            comp("App", "app", "global", 300),
            comp("DB", "db_primary", "global", 300),
        ],
        &[("Users", "App"), ("App", "DB")],
    );
    let mut writes = Case::new(t.clone(), 100.0, 1.0);
    for r in ["us", "eu", "ap"] {
        writes.workload.client_regions.insert(r.into(), 1.0 / 3.0);
    }
    let mut reads = Case::new(t, 100.0, 0.0);
    reads.workload.client_regions = writes.workload.client_regions.clone();
    let w = steady_state(&writes.input(), 1.0, &Failures::default());
    let r = steady_state(&reads.input(), 1.0, &Failures::default());
    let p50 = |l: &meridian_engine::sim::LoadResult, id: &str| {
        l.per_region
            .iter()
            .find(|x| x.0 == id)
            .expect("a region")
            .1
            .p50_ms
    };
    // us and eu are 80 ms apart; ap's nearest is us, 145 ms away.
    assert!(
        p50(&w, "us") >= 80.0 && p50(&w, "us") < 120.0,
        "{:?}",
        w.per_region
    );
    assert!(p50(&w, "ap") >= 145.0, "{:?}", w.per_region);
    assert!(p50(&r, "us") < 40.0, "{:?}", r.per_region);
}

/// Users → App; App → Clock at a fixed 500 syncs a second (each host's
/// time daemon), whatever the traffic; Clock → Masters carries a tenth.
fn clock_design(rps: f64) -> Case {
    let mut t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "us", 100),
            comp("Clock", "worker", "us", 10),
            comp("Masters", "worker", "us", 3),
        ],
        &[("Users", "App"), ("App", "Clock"), ("Clock", "Masters")],
    );
    t.connections[1].rate = Some(500.0);
    t.connections[2].share = Some(0.1);
    Case::new(t, rps, 0.1)
}

#[test]
fn a_fixed_rate_is_background_load_whatever_the_traffic() {
    for rps in [1_000.0, 50_000.0] {
        let case = clock_design(rps);
        assert!((offered(&case, "Clock") - 500.0).abs() < 1e-9, "{rps}");
        assert!((offered(&case, "Masters") - 50.0).abs() < 1e-9, "{rps}");
        // Load only: the users' requests end at App, all served.
        let r = steady_state(&case.input(), 1.0, &Failures::default());
        assert!((r.throughput_rps - rps).abs() < 1e-6);
        assert!(validate_topology(&case.topology, &case.catalog, &case.regions).is_empty());
    }
    // It stops while its source is down.
    let case = clock_design(1_000.0);
    let f = Failures {
        components: vec!["App".into()],
        ..Failures::default()
    };
    let down = steady_state(&case.input(), 1.0, &f);
    let clock = down.nodes.iter().find(|n| &*n.name == "Clock").unwrap();
    assert_eq!(clock.offered_rps, 0.0);
}

#[test]
fn validation_refuses_a_bad_fixed_rate() {
    let message = |t: &meridian_engine::Topology| {
        let case = Case::new(t.clone(), 1.0, 0.0);
        validate_topology(&case.topology, &case.catalog, &case.regions)
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut t = clock_design(1.0).topology;
    t.connections[1].rate = Some(0.0);
    assert!(message(&t).contains("expected a rate in requests per second above 0, found 0"));
    t.connections[1].rate = Some(5.0);
    t.connections[1].share = Some(0.5);
    assert!(message(&t).contains("either a share or a fixed rate, not both"));
    let mut t = clock_design(1.0).topology;
    t.connections[0].rate = Some(5.0);
    assert!(message(&t).contains("`Users` is a client, whose requests are the workload"));
}
