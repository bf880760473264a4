//! Capacity over time: autoscaling against closed forms. An app instance
//! serves 8 / 10 ms = 800 rps; the catalog's target utilisation is 0.7 and a
//! scaling step lands 300 s after it is decided.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::Autoscale;
use meridian_engine::Constant;
use meridian_engine::sim::scenarios::ScenarioResult;
use meridian_engine::sim::{Failures, evaluate, steady_state};
use sim_common::*;

fn scaling(c: &Case) -> (f64, f64) {
    let p = &c.catalog.types["app"].sim;
    (
        p.scale_out_s.expect("app scales out"),
        p.scale_target_utilisation.expect("app has a target"),
    )
}

/// Users → LB → App (`replicas`, autoscaling to `max`) → DB.
fn one_region(rps: f64, replicas: u32, max: Option<u32>) -> Case {
    let mut app = comp("App", "app", "us", replicas);
    app.autoscale = max.map(|max| Autoscale { max });
    let t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("LB", "lb", "us", 2),
            app,
            comp("DB", "db_primary", "us", 4),
        ],
        &[("Users", "LB"), ("LB", "App"), ("App", "DB")],
    );
    let mut c = Case::new(t, rps, 0.0);
    c.catalog.simulation.latency_samples = 500;
    c
}

fn app_node(r: &meridian_engine::sim::LoadResult) -> &meridian_engine::sim::NodeLoad {
    r.nodes.iter().find(|n| &*n.name == "App").unwrap()
}

#[test]
fn normal_and_peak_load_settle_at_the_target() {
    // 2,000 rps on 2 instances: ρ = 1.25 > 0.7, so ⌈2 × 1.25 / 0.7⌉ = 4
    // instances (ρ = 0.625) in one step.
    let c = one_region(2000.0, 2, Some(10));
    let (delay, target) = scaling(&c);
    let e = evaluate(&c.input());
    let app = app_node(&e.normal);
    assert_eq!(app.replicas, 4);
    assert!((app.utilisation - 2000.0 / (4.0 * 800.0)).abs() < 1e-12);
    assert!(app.utilisation <= target);
    assert_eq!(e.normal.error_rate, 0.0);
    assert_eq!(e.normal.scale_outs.len(), 1);
    let s = &e.normal.scale_outs[0];
    assert_eq!((s.name.as_str(), s.from, s.to), ("App", 2, 4));
    assert_eq!(s.after_s, delay);

    // The peak (×10, 20,000 rps) wants ⌈2 × 12.5 / 0.7⌉ = 36 but the group
    // stops at 10 (8,000 rps): it sheds 1 − 8,000 / 20,000 = 60 %.
    let app = app_node(&e.peak);
    assert_eq!(app.replicas, 10);
    assert!(
        (e.peak.error_rate - 0.6).abs() < 1e-9,
        "{}",
        e.peak.error_rate
    );

    // Without autoscaling the normal load is shed: 1 − 1,600 / 2,000.
    let fixed = evaluate(&one_region(2000.0, 2, None).input());
    assert_eq!(app_node(&fixed.normal).replicas, 2);
    assert!((fixed.normal.error_rate - 0.2).abs() < 1e-9);
    assert!(fixed.normal.scale_outs.is_empty());
}

#[test]
fn below_target_nothing_scales() {
    // 1,000 rps on 2 instances: ρ = 0.625 ≤ 0.7.
    let c = one_region(1000.0, 2, Some(10));
    let r = steady_state(&c.input(), 1.0, &Failures::default());
    assert_eq!(app_node(&r).replicas, 2);
    let e = evaluate(&c.input());
    assert!(e.normal.scale_outs.is_empty());
    assert_eq!(
        e.normal,
        evaluate(&one_region(1000.0, 2, None).input()).normal
    );
}

/// Users (global) → GeoDNS → {US LB → US App → US DB, EU LB → EU App →
/// EU DB}; each app 2 instances (1,600 rps), 1,000 rps each normally.
fn two_regions(max: Option<u32>) -> Case {
    let app = |name: &str, region: &str| {
        let mut a = comp(name, "app", region, 2);
        a.autoscale = max.map(|max| Autoscale { max });
        a
    };
    let t = topo(
        vec![
            comp("Users", "client", "global", 1),
            comp("GeoDNS", "cdn", "global", 2),
            comp("US LB", "lb", "us", 2),
            app("US App", "us"),
            comp("US DB", "db_primary", "us", 4),
            comp("EU LB", "lb", "eu", 2),
            app("EU App", "eu"),
            comp("EU DB", "db_primary", "eu", 4),
        ],
        &[
            ("Users", "GeoDNS"),
            ("GeoDNS", "US LB"),
            ("GeoDNS", "EU LB"),
            ("US LB", "US App"),
            ("EU LB", "EU App"),
            ("US App", "US DB"),
            ("EU App", "EU DB"),
        ],
    );
    let mut c = Case::new(t, 2000.0, 0.0);
    c.workload.client_regions.insert("us".into(), 0.5);
    c.workload.client_regions.insert("eu".into(), 0.5);
    c.constants
        .insert("cache_hit_target".into(), Constant::Int(0));
    c.catalog.simulation.latency_samples = 500;
    c
}

fn region_us(e: &meridian_engine::sim::Evaluation) -> &ScenarioResult {
    e.scenarios
        .iter()
        .find(|s| s.name == "Region us lost")
        .expect("a region-loss scenario")
}

#[test]
fn a_lost_region_recovers_when_the_survivor_scales_out() {
    let c = two_regions(Some(10));
    let (delay, _) = scaling(&c);
    let e = evaluate(&c.input());
    let s = region_us(&e);
    // Every US user moves to EU once GeoDNS has rerouted (detection + TTL):
    // 2,000 rps on 1,600 shed 20 % until ⌈2 × 1.25 / 0.7⌉ = 4 instances
    // serve, one scaling step later.
    let routed = s.detection_s;
    assert!(routed > 0.0);
    let at = |t: f64| {
        s.timeline
            .iter()
            .find(|p| p.t_s == t)
            .unwrap_or_else(|| panic!("no point at {t}: the chart must span the recovery"))
            .error_rate
    };
    let shed = at((routed + delay - 1.0).floor());
    assert!((shed - 0.2).abs() < 1e-9, "{shed}");
    assert_eq!(at((routed + delay + 1.0).ceil()), 0.0);
    let rto = s.rto_s.expect("recovers");
    assert!(
        (rto - (routed + delay)).abs() < 1e-6,
        "{rto} vs {}",
        routed + delay
    );
    assert!(
        s.events.iter().any(|(t, what)| *t == routed + delay
            && what.contains("EU App")
            && what.contains("4 instances")),
        "{:?}",
        s.events
    );
    assert_eq!(s.error_rate_after, 0.0);

    // The same design without autoscaling sheds 20 % until the region returns.
    let fixed = evaluate(&two_regions(None).input());
    let s = region_us(&fixed);
    assert_eq!(s.rto_s, None);
    assert!((s.error_rate_after - 0.2).abs() < 1e-9);
}
