//! What the playground's browser steps share: opening a problem page
//! fresh, reading the diagram, the text view and the results, and acting as
//! a reader would (clicks scrolled into view, selects, share links).

use serde_json::{Value, json};

use super::support::webdriver::{keys, wait_for, wait_until};
use super::{Cx, open};

/// Problem 1: T0 asks for 2 app instances; clients US Users and EU Users.
pub(super) const BASIC: &str = "problems/basic-multi-region.html";

/// Opens `rel` with an empty localStorage and waits for the playground.
pub(super) fn open_fresh(cx: &Cx, rel: &str) {
    open(cx, rel);
    cx.browser.execute("localStorage.clear();", vec![]);
    open(cx, "index.html");
    open(cx, rel);
    wait_ready(cx);
}

pub(super) fn wait_ready(cx: &Cx) {
    wait_until("the playground to start", || {
        cx.browser.try_find("#pg-results .pg-tiers").is_some()
    });
}

pub(super) fn texts(cx: &Cx, css: &str) -> Vec<String> {
    let v = cx.browser.execute(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());",
        vec![json!(css)],
    );
    strings(&v)
}

pub(super) fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Rows of a table as cell texts.
pub(super) fn rows(cx: &Cx, table_css: &str) -> Vec<Vec<String>> {
    let v = cx.browser.execute(
        "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))
            .map(tr => Array.from(tr.children).map(c => c.textContent.trim().replace(/\\s+/g, ' ')));",
        vec![json!(table_css)],
    );
    v.as_array()
        .map(|a| a.iter().map(strings).collect())
        .unwrap_or_default()
}

pub(super) fn nodes(cx: &Cx) -> Vec<String> {
    strings(&cx.browser.execute(
        "return Array.from(document.querySelectorAll('#pg-diagram g.node')).map(n => n.getAttribute('data-id'));",
        vec![],
    ))
}

pub(super) fn text_view(cx: &Cx) -> String {
    cx.browser
        .eval_string("document.getElementById('pg-text').value")
}

/// Scrolls `css` to the middle of the window at once (the theme scrolls
/// smoothly, and the sticky top bar would take a click at the edge), then
/// clicks it as a user would.
pub(super) fn click(cx: &Cx, css: &str) {
    let el = cx.browser.find(css);
    cx.browser.execute(
        "arguments[0].scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});",
        vec![el.to_arg()],
    );
    el.click();
}

pub(super) fn add(cx: &Cx, type_id: &str) {
    click(cx, &format!(".pg-add[data-type=\"{type_id}\"]"));
}

/// Sets a select's value and fires `change`, as picking an option does.
pub(super) fn choose(cx: &Cx, css: &str, value: &str) {
    cx.browser.execute(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1];
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(css), json!(value)],
    );
}

pub(super) fn tier_passed(cx: &Cx, index: usize) -> bool {
    cx.browser
        .execute(
            "const li = document.querySelectorAll('#pg-results .pg-tiers > li')[arguments[0]];
             return !!li && li.classList.contains('tier-pass');",
            vec![json!(index)],
        )
        .as_bool()
        .unwrap_or(false)
}

pub(super) fn load_reference(cx: &Cx) {
    click(cx, "[data-action=\"load-reference\"]");
    wait_until("the reference to pass every tier", || {
        cx.browser.try_find(".pg-celebrate").is_some()
    });
    wait_scenarios(cx);
}

/// The failure scenarios are computed just after the steady results.
pub(super) fn wait_scenarios(cx: &Cx) {
    wait_until("the failure scenarios", || {
        cx.browser.try_find("#pg-scenario").is_some()
    });
}

/// The first text of `css` on the prerendered part of the page.
pub(super) fn prerendered(cx: &Cx, css: &str) -> String {
    cx.browser.find(css).text().trim().to_string()
}

/// Clicks "Share link" and reads the link from its field; the address bar
/// is left alone (a link pinned there would reopen the snapshot on reload).
pub(super) fn share_link(cx: &Cx) -> String {
    click(cx, "[data-action=\"share\"]");
    let url = wait_for("the share link in its field", || {
        let v = cx
            .browser
            .eval_string("document.getElementById('pg-share-link').value");
        v.contains("#design=").then_some(v)
    });
    assert!(
        !cx.browser.current_url().contains("#design="),
        "sharing pins the snapshot in the address bar"
    );
    url
}

/// Opens `url` as a new document (a fragment-only change would not reload).
pub(super) fn open_link(cx: &Cx, url: &str) {
    cx.browser.goto("about:blank");
    cx.browser.goto(url);
    wait_ready(cx);
}

pub(super) fn mode(cx: &Cx) -> String {
    prerendered(cx, ".pg-mode")
}

/// Presses Tab (or Shift+Tab when `css` comes before the focused element)
/// until `css` has focus, at most 60 times.
pub(super) fn tab_to(cx: &Cx, css: &str) {
    let backwards = cx
        .browser
        .execute(
            "const t = document.querySelector(arguments[0]);
             return !!t && !!(document.activeElement.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_PRECEDING);",
            vec![json!(css)],
        )
        .as_bool()
        .unwrap_or(false);
    for _ in 0..60 {
        if cx.browser.active_element().matches(css) {
            return;
        }
        if backwards {
            cx.browser.chord(&[keys::SHIFT, keys::TAB]);
        } else {
            cx.browser.press(keys::TAB);
        }
    }
    panic!("Tab never reached {css}");
}
