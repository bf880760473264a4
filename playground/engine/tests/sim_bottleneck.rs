//! The bottleneck a reader is shown is a component that does work: never
//! the users (issue 12: "a client at 0 % is marked the bottleneck").

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::{Failures, steady_state};
use sim_common::*;

#[test]
fn users_are_never_the_bottleneck() {
    // Only clients: nothing is a bottleneck.
    let only = Case::new(
        topo(
            vec![
                comp("US Users", "client", "us", 1),
                comp("EU Users", "client", "eu", 1),
            ],
            &[],
        ),
        1000.0,
        0.1,
    );
    assert_eq!(
        steady_state(&only.input(), 1.0, &Failures::default()).bottleneck,
        None
    );
    // An app far below its capacity is still the one to watch, not the users.
    let app = Case::new(
        topo(
            vec![
                comp("Users", "client", "us", 1),
                comp("App", "app", "us", 1000),
            ],
            &[("Users", "App")],
        ),
        1.0,
        0.0,
    );
    let r = steady_state(&app.input(), 1.0, &Failures::default());
    assert_eq!(r.bottleneck.as_deref(), Some("App"));
}
