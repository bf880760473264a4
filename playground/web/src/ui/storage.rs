//! Where a design lives outside the page: localStorage (per problem) and the
//! URL fragment (share links). Failures here (private mode, no clipboard)
//! degrade quietly: the design on screen is never affected.

use meridian_engine::Topology;

use crate::notation;

fn key(problem_id: &str) -> String {
    format!("meridian:design:{problem_id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The reader's saved design for this problem, if any parses.
pub fn load(problem_id: &str) -> Option<Topology> {
    let text = storage()?.get_item(&key(problem_id)).ok()??;
    notation::parse(&text).ok()
}

pub fn save(problem_id: &str, t: &Topology) {
    if let Some(s) = storage() {
        let _ = s.set_item(&key(problem_id), &notation::print(t));
    }
}

/// The page's fragment without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Puts `fragment` in the address bar without scrolling or a new history entry.
pub fn set_fragment(fragment: &str) {
    if let Some(w) = web_sys::window()
        && let Ok(h) = w.history()
    {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{fragment}")),
        );
    }
}

/// The page's address with `fragment`.
pub fn url_with(fragment: &str) -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Copies to the clipboard when the browser allows it; true if it was tried.
pub fn copy(text: &str) -> bool {
    match web_sys::window() {
        Some(w) => {
            let _ = w.navigator().clipboard().write_text(text);
            true
        }
        None => false,
    }
}
