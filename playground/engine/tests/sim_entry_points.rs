//! Designs without a client: requests enter at the entry points (components
//! no connection leads into), treated like clients in their own region.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::{Failures, LoadResult, NodeLoad, availability, evaluate, steady_state};
use sim_common::*;

fn node<'a>(r: &'a LoadResult, name: &str) -> &'a NodeLoad {
    r.nodes.iter().find(|n| &*n.name == name).unwrap()
}

fn accounted(r: &LoadResult) {
    let total = r.throughput_rps + r.dropped_rps + r.error_rps;
    assert!(
        (total - r.offered_rps).abs() <= 1e-9 * r.offered_rps.max(1.0),
        "requests {} vs completed + dropped + errors {total}",
        r.offered_rps
    );
}

#[test]
fn a_pipeline_takes_its_traffic_at_the_stream() {
    let case = Case::new(
        topo(
            vec![
                comp("Events", "stream", "us", 4),
                comp("Consumer", "worker", "us", 20),
                comp("Store", "db_primary", "us", 4),
            ],
            &[("Events", "Consumer"), ("Consumer", "Store")],
        ),
        500.0,
        1.0,
    );
    let e = evaluate(&case.input());
    let r = &e.normal;
    assert!((r.offered_rps - 500.0).abs() < 1e-9, "{}", r.offered_rps);
    assert!(
        (r.throughput_rps - 500.0).abs() < 1e-6,
        "{}",
        r.throughput_rps
    );
    accounted(r);
    // The stream accepts every message; the worker (fed asynchronously, so
    // not an entry point itself) and the store get one copy each.
    let s = node(r, "Events");
    assert!((s.offered_rps - 500.0).abs() < 1e-9);
    assert!((s.served_rps - 500.0).abs() < 1e-9);
    assert!((node(r, "Consumer").offered_rps - 500.0).abs() < 1e-9);
    assert!(
        (node(r, "Store").offered_rps - 500.0).abs() < 1e-9,
        "{:?}",
        r.nodes
    );
    assert!(
        e.messages
            .iter()
            .any(|m| m == "no client in the design: requests enter at Events"),
        "{:?}",
        e.messages
    );
    assert!(r.p50_ms > 0.0 && r.p95_ms.is_finite());
    assert!(e.availability.fraction > 0.99 && e.availability.fraction < 1.0);
    // An entry point fails with its region: its requests become errors.
    let lost = steady_state(
        &case.input(),
        1.0,
        &Failures {
            regions: vec!["us".into()],
            ..Failures::default()
        },
    );
    assert!((lost.error_rps - 500.0).abs() < 1e-9);
    assert_eq!(lost.throughput_rps, 0.0);
    accounted(&lost);
}

#[test]
fn entry_points_share_like_clients() {
    // Two regional entry points (apps in US and EU) and an isolated
    // component, which takes nothing.
    let mut case = Case::new(
        topo(
            vec![
                comp("US App", "app", "us", 10),
                comp("EU App", "app", "eu", 10),
                comp("US DB", "db_primary", "us", 10),
                comp("EU DB", "db_primary", "eu", 10),
                comp("Spare", "cache", "ap", 1),
            ],
            &[("US App", "US DB"), ("EU App", "EU DB")],
        ),
        1000.0,
        0.2,
    );
    let r = steady_state(&case.input(), 1.0, &Failures::default());
    assert!((node(&r, "US App").offered_rps - 500.0).abs() < 1e-9);
    assert!((node(&r, "EU App").offered_rps - 500.0).abs() < 1e-9);
    assert_eq!(node(&r, "Spare").offered_rps, 0.0);
    assert!(
        r.cross_region.is_none(),
        "every request stays in its region"
    );
    // client_regions: each region's share goes to its own entry point.
    case.workload.client_regions.insert("us".into(), 0.7);
    case.workload.client_regions.insert("eu".into(), 0.3);
    let r = steady_state(&case.input(), 1.0, &Failures::default());
    assert!((node(&r, "US App").offered_rps - 700.0).abs() < 1e-9);
    assert!((node(&r, "EU App").offered_rps - 300.0).abs() < 1e-9);
    accounted(&r);
}

#[test]
fn a_global_entry_point_takes_the_origin_regions() {
    let mut case = Case::new(
        topo(
            vec![
                comp("Apps", "app", "global", 10),
                comp("US Worker", "worker", "us", 10),
                comp("EU Worker", "worker", "eu", 10),
            ],
            &[("Apps", "US Worker"), ("Apps", "EU Worker")],
        ),
        1000.0,
        0.0,
    );
    case.workload.client_regions.insert("us".into(), 0.5);
    case.workload.client_regions.insert("eu".into(), 0.5);
    let r = steady_state(&case.input(), 1.0, &Failures::default());
    assert!((node(&r, "Apps").offered_rps - 1000.0).abs() < 1e-9);
    // Each origin's requests go to the worker of their region.
    assert!((node(&r, "US Worker").offered_rps - 500.0).abs() < 1e-9);
    assert!((node(&r, "EU Worker").offered_rps - 500.0).abs() < 1e-9);
    let regions: Vec<&str> = r.per_region.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(regions, ["us", "eu"]);
}

#[test]
fn a_design_with_a_client_is_unchanged() {
    // The app has no incoming connection from another server, but the
    // client is the only source: the app is not an entry point.
    let case = Case::new(
        topo(
            vec![
                comp("Users", "client", "us", 1),
                comp("App", "app", "us", 10),
                comp("Batch", "worker", "us", 10),
                comp("DB", "db_primary", "us", 10),
            ],
            &[("Users", "App"), ("App", "DB"), ("Batch", "DB")],
        ),
        1000.0,
        0.1,
    );
    let e = evaluate(&case.input());
    let r = &e.normal;
    assert!((node(r, "Users").offered_rps - 1000.0).abs() < 1e-9);
    assert!((node(r, "App").offered_rps - 1000.0).abs() < 1e-9);
    assert_eq!(node(r, "Batch").offered_rps, 0.0);
    assert!((node(r, "DB").offered_rps - 1000.0).abs() < 1e-9);
    assert!(!e.messages.iter().any(|m| m.contains("no client")));
    accounted(r);
}

#[test]
fn a_pure_cycle_enters_at_its_first_component() {
    let case = Case::new(
        topo(
            vec![
                comp("A", "app", "us", 10),
                comp("B", "app", "eu", 10),
                comp("C", "worker", "us", 10),
            ],
            &[("A", "B"), ("B", "C"), ("C", "A")],
        ),
        1000.0,
        0.1,
    );
    let e = evaluate(&case.input());
    let r = &e.normal;
    assert!((node(r, "A").offered_rps - 1000.0).abs() < 1e-9);
    assert!(r.throughput_rps > 0.0);
    accounted(r);
    assert!(
        e.messages
            .iter()
            .any(|m| m == "no client in the design: requests enter at A"),
        "{:?}",
        e.messages
    );
    assert!(availability(&case.input()).fraction.is_finite());
    assert!(e.peak.p99_ms.is_finite());
}

#[test]
fn no_connections_no_traffic() {
    let case = Case::new(
        topo(
            vec![comp("A", "app", "us", 1), comp("B", "db_primary", "us", 1)],
            &[],
        ),
        1000.0,
        0.1,
    );
    let e = evaluate(&case.input());
    assert_eq!(e.normal.offered_rps, 0.0);
    assert!(
        e.messages
            .iter()
            .any(|m| m == "no client in the design: nothing sends requests")
    );
}

/// A type the engine does not know by id takes the role its catalog entry
/// names: `stream_processor` (role `worker`) behind a database receives
/// the copies of its writes (change data capture), like a `worker`.
#[test]
fn a_catalog_role_decides_how_a_new_type_behaves() {
    let t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "us", 4),
            comp("DB", "db_primary", "us", 2),
            comp("CDC", "stream_processor", "us", 1),
        ],
        &[("Users", "App"), ("App", "DB"), ("DB", "CDC")],
    );
    let c = Case::new(t, 1000.0, 0.2);
    assert_eq!(
        c.catalog.types["stream_processor"].sim.role,
        Some(meridian_engine::SimRole::Worker)
    );
    let r = meridian_engine::sim::steady_state(
        &c.input(),
        1.0,
        &meridian_engine::sim::Failures::default(),
    );
    let cdc = r.nodes.iter().find(|n| &*n.name == "CDC").unwrap();
    assert!(
        (cdc.offered_rps - 200.0).abs() < 1e-9,
        "{}",
        cdc.offered_rps
    );
    assert_eq!(r.error_rate, 0.0);
}
