//! The playground: a reader edits a topology in the page and the engine
//! evaluates it in the browser. Editor logic lives in plain modules tested on
//! the host (`design`, `history`, `notation`, `share`, `export`, `session`);
//! only `ui` touches the DOM.

pub mod design;
pub mod export;
pub mod history;
pub mod json;
pub mod notation;
pub mod session;
pub mod share;
mod ui;

use wasm_bindgen::prelude::*;

/// Starts the playground inside the page's `#playground` section.
#[wasm_bindgen]
pub fn start(section: web_sys::Element) -> Result<(), JsValue> {
    ui::start(&section)
}

/// Debug hook: milliseconds of the last edit, as `[evaluate_ms, render_ms,
/// scenarios_ms]`: the steady evaluation, the redraw, then the failure
/// scenarios computed and drawn just after.
#[wasm_bindgen]
pub fn last_edit_timings() -> Vec<f64> {
    ui::with_app(|app| {
        vec![
            app.timings.evaluate_ms,
            app.timings.render_ms,
            app.timings.scenarios_ms,
        ]
    })
    .unwrap_or_default()
}

/// Debug hook: mean milliseconds to evaluate the problem's reference
/// solution, over `iterations` runs.
#[wasm_bindgen]
pub fn time_reference_evaluation(iterations: u32) -> f64 {
    ui::with_app(|app| app.session.data.reference.clone())
        .and_then(|t| ui::time_evaluation(&t, iterations))
        .unwrap_or(f64::NAN)
}
