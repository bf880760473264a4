//! The playground: a reader edits a topology in the page and the engine
//! evaluates it in the browser. Editor logic lives in plain modules tested on
//! the host (`design`, `history`, `notation`, `share`, `export`, `session`);
//! only `ui` touches the DOM.

pub mod design;
pub mod export;
pub mod history;
pub mod notation;
pub mod session;
pub mod share;
mod ui;

use wasm_bindgen::prelude::*;

/// Talc instead of the standard library's dlmalloc: less code in the
/// module (sizes in ARCHITECTURE.md), and an evaluation's thousands of
/// small allocations are its common case.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Starts the playground inside the page's `#playground` section.
#[wasm_bindgen]
pub fn start(section: web_sys::Element) -> Result<JsValue, JsValue> {
    ui::start(&section, None)
}

/// Starts a fresh instance after the previous one failed with `why` (see
/// `ui/failure.rs`): the reader is told, and their saved design opens.
#[wasm_bindgen]
pub fn start_after_failure(section: web_sys::Element, why: String) -> Result<JsValue, JsValue> {
    ui::start(&section, Some(why))
}

/// Why this instance has failed and must be replaced, or nothing when it
/// is sound. Asked by `playground.js` after an uncaught error.
#[wasm_bindgen]
pub fn failure() -> Option<String> {
    ui::failed()
}

/// Stops this instance answering events, before a fresh one replaces it.
#[wasm_bindgen]
pub fn stop() {
    ui::failure::stop();
}

/// Test hook: the next action fails, as a Rust panic (`"panic"`) or a
/// JavaScript exception thrown through it (`"exception"`), to check that
/// the playground recovers. Anything else is refused.
#[wasm_bindgen]
pub fn inject_failure(kind: &str) -> Result<(), JsValue> {
    let kind = match kind {
        "panic" => ui::failure::Injected::Panic,
        "exception" => ui::failure::Injected::Exception,
        other => return Err(JsValue::from_str(&format!("no failure kind {other:?}"))),
    };
    ui::failure::inject(kind);
    Ok(())
}

/// Debug hook: milliseconds of the last edit, as `[evaluate_ms, render_ms,
/// scenarios_ms, diagram_ms]`: the steady evaluation, the redraw, then the
/// failure scenarios computed and drawn just after, and a large design's
/// diagram, drawn just after its results (0 when drawn with them).
#[wasm_bindgen]
pub fn last_edit_timings() -> Vec<f64> {
    ui::with_app(|app| {
        vec![
            app.timings.evaluate_ms,
            app.timings.render_ms,
            app.timings.scenarios_ms,
            app.timings.diagram_ms,
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

/// Debug hook: mean milliseconds to lay out and draw the design on screen
/// as SVG, over `iterations` runs.
#[wasm_bindgen]
pub fn time_drawing(iterations: u32) -> f64 {
    ui::time_drawing(iterations).unwrap_or(f64::NAN)
}
