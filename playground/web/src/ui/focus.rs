//! Where keyboard focus goes across a redraw: the control that had it is
//! found again by its id or action, else the inspector takes it, so a
//! keyboard user never falls back to the page.

use web_sys::Element;

use super::{App, dom};

impl App {
    /// Puts focus back where it was before a redraw; when that control is
    /// gone (a deleted component's inspector), on the inspector, so keyboard
    /// users stay in the playground.
    pub(super) fn restore_focus(&self, key: Option<String>) {
        let Some(key) = key else { return };
        let active = dom::document().active_element();
        if active
            .as_ref()
            .is_some_and(|a| self.parts.root.contains(Some(a)))
        {
            return;
        }
        let target = self
            .parts
            .root
            .query_selector(&key)
            .ok()
            .flatten()
            .unwrap_or_else(|| self.parts.inspector.clone());
        let _ = dom::html(&target).focus();
    }
}

/// How to find the focused control again after a redraw replaced it: its
/// id, else its action (and the type or connection it acts on).
pub(super) fn focused_key() -> Option<String> {
    let el = dom::document().active_element()?;
    // Focus elsewhere on the page (the search box, a link) is not ours to move.
    if !dom::by_id("pg").is_some_and(|root| root.contains(Some(&el))) {
        return None;
    }
    let id = el.id();
    if !id.is_empty() {
        return Some(format!("#{id}"));
    }
    let action = el.get_attribute("data-action")?;
    let mut key = format!("[data-action=\"{action}\"]");
    for attr in ["data-type", "data-from", "data-to"] {
        if let Some(v) = el.get_attribute(attr) {
            key.push_str(&format!(
                "[{attr}=\"{}\"]",
                v.replace('\\', "\\\\").replace('"', "\\\"")
            ));
        }
    }
    Some(key)
}

pub(super) fn focus_in(container: &Element) -> bool {
    dom::document()
        .active_element()
        .is_some_and(|a| container.contains(Some(&a)))
}
