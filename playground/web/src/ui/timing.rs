//! Timing hooks for the browser tests' reports: the engine's evaluation
//! and drawing, run in the page's wasm.

use meridian_engine::Topology;

use super::{now_ms, with_app};

/// Evaluates `t` with the session's problem `iterations` times; the mean in
/// milliseconds. For the browser tests' timing report.
pub fn time_evaluation(t: &Topology, iterations: u32) -> Option<f64> {
    with_app(|app| {
        let n = iterations.max(1);
        let t0 = now_ms();
        for _ in 0..n {
            let _ = app.session.data.evaluate(t);
        }
        (now_ms() - t0) / f64::from(n)
    })
}

/// Lays out and draws the design on screen `iterations` times; the mean in
/// milliseconds. For the browser tests' timing report.
pub fn time_drawing(iterations: u32) -> Option<f64> {
    with_app(|app| {
        let n = iterations.max(1);
        let t0 = now_ms();
        for _ in 0..n {
            let _ = meridian_engine::report::diagram_svg(
                app.session.design(),
                &app.session.data.catalog,
                &app.session.data.regions,
                "",
                "",
                "pg",
                Vec::new(),
            );
        }
        (now_ms() - t0) / f64::from(n)
    })
}
