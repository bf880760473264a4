//! The design's diagram: the engine's SVG, coloured by utilisation, with
//! each component made a keyboard-reachable button.

use meridian_engine::report::{diagram_svg, heat};
use meridian_engine::sim::Evaluation;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::dom::add;
use crate::session::Session;

pub fn render(container: &Element, s: &Session, evaluation: Option<&Evaluation>) {
    let design = s.design();
    if design.components.is_empty() {
        container.set_text_content(None);
        add(
            container,
            &super::dom::el(
                "p",
                "pg-empty",
                "Your design is empty. Add a component from the list above.",
            ),
        );
        return;
    }
    let svg = diagram_svg(
        design,
        &s.data.catalog,
        &s.data.regions,
        "Your design",
        "the text view beside it gives the same information as text.",
        "pg-diagram",
        evaluation.map_or_else(Vec::new, heat),
    );
    // The engine's SVG escapes every name it prints, so it is safe as HTML.
    container.set_inner_html(&svg);
    // Its components are buttons here: an image's content is presentational
    // and may hold no controls (axe: nested-interactive), so the picture
    // becomes a group of them.
    if let Ok(Some(root)) = container.query_selector("svg") {
        let _ = root.set_attribute("role", "group");
    }
    let nodes = container
        .query_selector_all("g.node")
        .expect("a valid selector");
    for i in 0..nodes.length() {
        let Some(node) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let name = node.get_attribute("data-id").unwrap_or_default();
        let selected = s.selected.as_deref() == Some(name.as_str());
        let failed = s.failed.contains(&name);
        // The button's name is what the box shows (its text, so the name
        // matches the label a sighted reader sees: WCAG 2.5.3); the rest of
        // what it stands for is its description, a <desc> inside it.
        let mut about = node_summary(s, &name);
        if failed {
            about.push_str(", marked failed");
        }
        // The static diagram's tooltip <title> would name the button instead
        // of its visible text: its words move to the description.
        if let Ok(Some(title)) = node.query_selector("title") {
            if let Some(t) = title.text_content() {
                about = format!("{t}; {about}");
            }
            title.remove();
        }
        let doc = super::dom::document();
        if let Ok(desc) = doc.create_element_ns(Some(super::skeleton::SVG_NS), "desc") {
            let id = format!("pg-node-desc-{i}");
            let _ = desc.set_attribute("id", &id);
            desc.set_text_content(Some(&about));
            let _ = node.append_child(&desc);
            let _ = node.set_attribute("aria-describedby", &id);
        }
        let _ = node.set_attribute("tabindex", "0");
        let _ = node.set_attribute("role", "button");
        let _ = node.set_attribute("aria-pressed", if selected { "true" } else { "false" });
        let _ = node.set_attribute("data-action", "select");
        if selected {
            let _ = node.class_list().add_1("selected");
        }
        if failed {
            let _ = node.class_list().add_1("failed");
        }
        if s.connecting_from.as_deref() == Some(name.as_str()) {
            let _ = node.class_list().add_1("connecting");
        }
    }
}

fn node_summary(s: &Session, name: &str) -> String {
    let Some(c) = s.design().components.iter().find(|c| c.name == name) else {
        return String::new();
    };
    let ty = s
        .data
        .catalog
        .get(&c.component_type)
        .map_or(c.component_type.as_str(), |t| t.label.as_str());
    let region = s
        .data
        .regions
        .get(&c.region)
        .map_or(c.region.as_str(), |r| r.short.as_str());
    format!(
        "{ty} in {region}, {} replica{}",
        c.replicas,
        if c.replicas == 1 { "" } else { "s" }
    )
}

/// Focuses the selected component's node after a redraw, when focus was in
/// the diagram before it.
pub fn refocus(container: &Element, name: &str) {
    let nodes = container
        .query_selector_all("g.node")
        .expect("a valid selector");
    for i in 0..nodes.length() {
        if let Some(node) = nodes
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::SvgElement>().ok())
            && node.get_attribute("data-id").as_deref() == Some(name)
        {
            let _ = node.focus();
            return;
        }
    }
}
