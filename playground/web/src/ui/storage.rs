//! Where a design lives outside the page: localStorage (per problem, with
//! the last [`MAX_VERSIONS`] earlier versions) and the URL fragment (share
//! links). Failures here (private mode, no clipboard) never affect the
//! design on screen; the clipboard's are reported to the reader.

use meridian_engine::Topology;
use wasm_bindgen::prelude::*;

use crate::notation;

/// Earlier versions kept per problem under "Restore".
pub const MAX_VERSIONS: usize = 10;

/// Separates versions in their one storage entry: a control character no
/// name can hold ([`crate::design::clean_name`]), so no design text has it.
const SEPARATOR: char = '\u{1e}';

/// The localStorage key of the reader's design for a problem.
pub fn key(problem_id: &str) -> String {
    format!("meridian:design:{problem_id}")
}

fn versions_key(problem_id: &str) -> String {
    format!("meridian:versions:{problem_id}")
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

/// Earlier versions of the reader's design, newest first (those that parse).
pub fn versions(problem_id: &str) -> Vec<Topology> {
    let Some(text) = storage().and_then(|s| s.get_item(&versions_key(problem_id)).ok()?) else {
        return Vec::new();
    };
    text.split(SEPARATOR)
        .filter_map(|t| notation::parse(t).ok())
        .collect()
}

/// Files `t` as the newest earlier version (once; the oldest beyond
/// [`MAX_VERSIONS`] drop off).
pub fn push_version(problem_id: &str, t: &Topology) {
    let Some(s) = storage() else { return };
    let text = notation::print(t);
    let old = s
        .get_item(&versions_key(problem_id))
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut all: Vec<&str> = vec![&text];
    all.extend(old.split(SEPARATOR).filter(|v| !v.is_empty() && *v != text));
    all.truncate(MAX_VERSIONS);
    let _ = s.set_item(&versions_key(problem_id), &all.join(&SEPARATOR.to_string()));
}

/// Removes a share link's `#design=…` from the address bar, so a reload
/// opens the reader's saved design rather than the snapshot.
pub fn clear_design_fragment() {
    if !fragment().starts_with("design=") {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let href = w.location().href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default().to_string();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&base));
    }
}

/// The page's fragment without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The page's address with `fragment`.
pub fn url_with(fragment: &str) -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Copies `text` to the clipboard where the browser offers one (it does
/// not on a plain-HTTP page other than localhost). Returns false when there
/// is none; otherwise `done(true)` or `done(false)` runs once the browser
/// has written it or refused.
pub fn copy(text: &str, done: fn(bool)) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let navigator = w.navigator();
    // `navigator.clipboard` is undefined outside secure contexts: calling
    // through web-sys would throw.
    let has = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    let ok = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| done(true));
    let refused = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| done(false));
    let _ = promise.then2(&ok, &refused);
    // One small pair per copy, kept for the promise to call.
    ok.forget();
    refused.forget();
    true
}
