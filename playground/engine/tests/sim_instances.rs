//! Instances failing inside a group: the availability over a year counts
//! the states where enough of a component's instances are down for it to
//! shed, as closed forms on one app tier (see `sim::instances`).

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::evaluate;
use meridian_engine::sim::yearly::FailureMode;
use sim_common::*;

/// Users → App (k instances of 800 requests/s) at utilisation 0.6.
fn modes(k: u32) -> (Vec<FailureMode>, f64) {
    let t = topo(
        vec![
            comp("Users", "client", "us", 1),
            comp("App", "app", "us", k),
        ],
        &[("Users", "App")],
    );
    let case = Case::new(t, 0.6 * 800.0 * f64::from(k), 0.0);
    let a = case.catalog.types["app"].sim.availability;
    let e = evaluate(&case.input());
    (e.availability.modes, a)
}

fn instance_mode(modes: &[FailureMode]) -> Option<&FailureMode> {
    modes.iter().find(|m| m.scenario.contains("instances down"))
}

#[test]
fn two_instances_at_sixty_percent_shed_whenever_one_is_down() {
    let (modes, a) = modes(2);
    let q = 1.0 - a;
    let m = instance_mode(&modes).expect("an instance mode");
    assert_eq!(m.scenario, "App: 1 or more of 2 instances down");
    // P(exactly one of two down); both down is the component's own mode.
    assert!(
        (m.probability - 2.0 * q * a).abs() < 1e-12,
        "{}",
        m.probability
    );
    // One instance left at ρ = 1.2 sheds 1 − 1/1.2 of the requests.
    assert!(
        (m.mean_error - (1.0 - 1.0 / 1.2)).abs() < 1e-9,
        "{}",
        m.mean_error
    );
    let year = 365.25 * 24.0 * 3600.0;
    assert!((m.downtime_per_year_s - m.probability * m.mean_error * year).abs() < 1e-6);
}

#[test]
fn a_spare_instance_moves_the_mode_to_two_down() {
    let (modes, a) = modes(3);
    let q = 1.0 - a;
    let m = instance_mode(&modes).expect("an instance mode");
    assert_eq!(m.scenario, "App: 2 or more of 3 instances down");
    assert!(
        (m.probability - 3.0 * q * q * a).abs() < 1e-15,
        "{}",
        m.probability
    );
    // One instance left at ρ = 1.8.
    assert!(
        (m.mean_error - (1.0 - 1.0 / 1.8)).abs() < 1e-9,
        "{}",
        m.mean_error
    );
}

#[test]
fn a_group_with_room_for_its_failures_has_no_instance_mode() {
    // 40 instances at 60 %: shedding needs 17 down, with each down 0.5 %
    // of the time a chance far below anything a year can show.
    let (modes, _) = modes(40);
    assert!(instance_mode(&modes).is_none(), "{modes:?}");
}
