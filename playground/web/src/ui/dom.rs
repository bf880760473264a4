//! Small helpers over web-sys for building the playground's DOM. Text always
//! goes in as text nodes (`set_text_content`), so a reader's names can never
//! become markup; only the engine's own SVG is inserted as HTML.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the playground runs in a page")
}

/// `<tag class="...">text</tag>`; empty class or text are left out.
pub fn el(tag: &str, class: &str, text: &str) -> Element {
    let e = document()
        .create_element(tag)
        .expect("valid tag names only");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    e
}

/// Sets attributes; invalid attribute names are a programming error.
pub fn attrs(e: &Element, pairs: &[(&str, &str)]) -> Element {
    for (k, v) in pairs {
        e.set_attribute(k, v).expect("valid attribute names only");
    }
    e.clone()
}

pub fn add(parent: &Element, child: &Element) {
    parent.append_child(child).expect("appending to an element");
}

pub fn add_text(parent: &Element, text: &str) {
    parent
        .append_with_str_1(text)
        .expect("appending text to an element");
}

pub fn clear(e: &Element) {
    e.set_text_content(None);
}

/// A button that dispatches `action` through the playground's delegated
/// click handler.
pub fn button(label: &str, action: &str, class: &str) -> Element {
    let b = el("button", class, label);
    attrs(&b, &[("type", "button"), ("data-action", action)])
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

pub fn html(e: &Element) -> HtmlElement {
    e.clone().unchecked_into()
}

/// A table with a header row and text cells; the first cell of each row is
/// a row header.
pub fn table(class: &str, caption: &str, head: &[&str], rows: &[Vec<String>]) -> Element {
    // Focusable, so keyboard users can scroll a table wider than the screen
    // (axe: scrollable-region-focusable).
    let wrap = attrs(&el("div", "table-wrap", ""), &[("tabindex", "0")]);
    let t = el("table", class, "");
    if !caption.is_empty() {
        add(&t, &el("caption", "", caption));
    }
    let thead = el("thead", "", "");
    let tr = el("tr", "", "");
    for h in head {
        add(&tr, &attrs(&el("th", "", h), &[("scope", "col")]));
    }
    add(&thead, &tr);
    add(&t, &thead);
    let tbody = el("tbody", "", "");
    for row in rows {
        let tr = el("tr", "", "");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                add(&tr, &attrs(&el("th", "", cell), &[("scope", "row")]));
            } else {
                add(&tr, &el("td", "", cell));
            }
        }
        add(&tbody, &tr);
    }
    add(&t, &tbody);
    add(&wrap, &t);
    wrap
}
