//! The inspector: every property of the selected component, its
//! connections, and the actions on it, as labelled form controls.

use meridian_engine::catalog::Layer;
use web_sys::Element;

use super::dom::{add, attrs, button, el};
use crate::session::Session;
use meridian_engine::decimal::shortest;

pub fn render(container: &Element, s: &Session) {
    container.set_text_content(None);
    let Some(name) = s.selected.clone() else {
        add(container, &el("h3", "", "Inspector"));
        add(
            container,
            &el(
                "p",
                "pg-help",
                "Select a component in the diagram (click it, or Tab to it and press Enter) to edit it. Delete removes it; Escape clears the selection.",
            ),
        );
        return;
    };
    let Some(c) = s
        .design()
        .components
        .iter()
        .find(|c| c.name == name)
        .cloned()
    else {
        return;
    };
    add(container, &el("h3", "", &format!("Component: {name}")));
    if let Some(from) = &s.connecting_from {
        add(
            container,
            &el(
                "p",
                "pg-connecting",
                &format!(
                    "Connecting from {from}: pick the target in the diagram, or press Escape."
                ),
            ),
        );
    }
    let form = el("div", "pg-fields", "");

    let name_input = attrs(
        &el("input", "", ""),
        &[
            ("id", "pg-name"),
            ("type", "text"),
            ("data-action", "rename"),
            ("autocomplete", "off"),
            ("value", &c.name),
        ],
    );
    field(&form, "Name", "pg-name", &name_input);

    let types = attrs(
        &el("select", "", ""),
        &[("id", "pg-type"), ("data-action", "set-type")],
    );
    let mut type_ids: Vec<&str> = s
        .data
        .available_components
        .iter()
        .map(String::as_str)
        .collect();
    if !type_ids.contains(&c.component_type.as_str()) {
        type_ids.push(&c.component_type);
    }
    for id in type_ids {
        let label = s.data.catalog.get(id).map_or(id, |t| t.label.as_str());
        add(&types, &option(id, label, id == c.component_type));
    }
    field(&form, "Type", "pg-type", &types);

    let regions = attrs(
        &el("select", "", ""),
        &[("id", "pg-region"), ("data-action", "set-region")],
    );
    for (id, r) in &s.data.regions.regions {
        add(&regions, &option(id, &r.name, *id == c.region));
    }
    if s.data.regions.get(&c.region).is_none() {
        add(&regions, &option(&c.region, &c.region, true));
    }
    field(&form, "Region", "pg-region", &regions);

    let stepper = el("div", "pg-stepper", "");
    add(
        &stepper,
        &attrs(
            &button("−", "replicas-dec", ""),
            &[("aria-label", "One replica fewer")],
        ),
    );
    let replicas = c.replicas.to_string();
    let most = crate::design::MAX_REPLICAS.to_string();
    add(
        &stepper,
        &attrs(
            &el("input", "", ""),
            &[
                ("id", "pg-replicas"),
                ("type", "number"),
                ("inputmode", "numeric"),
                ("min", "1"),
                ("max", &most),
                ("data-action", "set-replicas"),
                ("value", &replicas),
            ],
        ),
    );
    add(
        &stepper,
        &attrs(
            &button("+", "replicas-inc", ""),
            &[("aria-label", "One replica more")],
        ),
    );
    let row = el("div", "pg-field", "");
    add(
        &row,
        &attrs(&el("label", "", "Replicas"), &[("for", "pg-replicas")]),
    );
    add(&row, &stepper);
    add(&form, &row);

    if let Some(t) = s.data.catalog.get(&c.component_type)
        && t.sim.hit_ratio.is_some()
    {
        let value = c.hit_ratio.map(shortest).unwrap_or_default();
        let default = t.sim.hit_ratio.unwrap_or(0.0);
        let hit = attrs(
            &el("input", "", ""),
            &[
                ("id", "pg-hit"),
                ("type", "number"),
                ("min", "0"),
                ("max", "1"),
                ("step", "0.05"),
                ("data-action", "set-hit"),
                ("placeholder", &format!("catalog: {}", shortest(default))),
                ("value", &value),
            ],
        );
        field(&form, "Hit ratio (empty: the catalog's)", "pg-hit", &hit);
    }

    if let Some(t) = s.data.catalog.get(&c.component_type)
        && t.sim.can_autoscale()
    {
        let value = c.autoscale.map(|a| a.max.to_string()).unwrap_or_default();
        let min = c.replicas.to_string();
        let max = attrs(
            &el("input", "", ""),
            &[
                ("id", "pg-autoscale"),
                ("type", "number"),
                ("min", &min),
                ("step", "1"),
                ("data-action", "set-autoscale"),
                ("placeholder", "off"),
                ("value", &value),
            ],
        );
        field(
            &form,
            "Autoscale up to (instances; empty: off)",
            "pg-autoscale",
            &max,
        );
    }

    let fail = el("div", "pg-field pg-check", "");
    let check = attrs(
        &el("input", "", ""),
        &[
            ("id", "pg-failed"),
            ("type", "checkbox"),
            ("data-action", "toggle-failed"),
        ],
    );
    if s.failed.contains(&name) {
        let _ = check.set_attribute("checked", "");
    }
    add(&fail, &check);
    add(
        &fail,
        &attrs(
            &el(
                "label",
                "",
                "Fail this component (adds “Your failures” to the scenarios)",
            ),
            &[("for", "pg-failed")],
        ),
    );
    add(&form, &fail);
    add(container, &form);

    connections(container, s, &name);

    let actions = el("div", "pg-actions", "");
    add(&actions, &button("Delete component", "delete", "pg-danger"));
    add(container, &actions);
}

fn field(form: &Element, label: &str, id: &str, control: &Element) {
    let row = el("div", "pg-field", "");
    add(&row, &attrs(&el("label", "", label), &[("for", id)]));
    add(&row, control);
    add(form, &row);
}

fn option(value: &str, label: &str, selected: bool) -> Element {
    let o = attrs(&el("option", "", label), &[("value", value)]);
    if selected {
        let _ = o.set_attribute("selected", "");
    }
    o
}

fn is_data(s: &Session, name: &str) -> bool {
    s.design()
        .components
        .iter()
        .find(|c| c.name == name)
        .and_then(|c| s.data.catalog.get(&c.component_type))
        .is_some_and(|t| t.layer == Layer::Data)
}

fn connections(container: &Element, s: &Session, name: &str) {
    let box_ = el("div", "pg-connections", "");
    add(&box_, &el("h4", "", "Connections"));
    let list = el("ul", "", "");
    let mut any = false;
    for c in &s.design().connections {
        let (text, other_is_target) = if c.from == name {
            (format!("→ {}", c.to), true)
        } else if c.to == name {
            (format!("{} →", c.from), false)
        } else {
            continue;
        };
        any = true;
        let li = el("li", "", "");
        add(&li, &el("span", "", &text));
        if other_is_target && is_data(s, &c.from) && is_data(s, &c.to) {
            let id = format!("pg-sync-{}", list.child_element_count());
            let check = attrs(
                &el("input", "", ""),
                &[
                    ("id", &id),
                    ("type", "checkbox"),
                    ("data-action", "set-sync"),
                    ("data-from", &c.from),
                    ("data-to", &c.to),
                ],
            );
            if c.sync {
                let _ = check.set_attribute("checked", "");
            }
            add(&li, &check);
            add(
                &li,
                &attrs(&el("label", "", "synchronous"), &[("for", &id)]),
            );
        }
        let b = attrs(
            &button("Disconnect", "disconnect", "pg-small"),
            &[
                ("data-from", &c.from),
                ("data-to", &c.to),
                ("aria-label", &format!("Disconnect {} → {}", c.from, c.to)),
            ],
        );
        add(&li, &b);
        add(&list, &li);
    }
    if any {
        add(&box_, &list);
    } else {
        add(&box_, &el("p", "pg-help", "No connections yet."));
    }

    let others: Vec<&str> = s
        .design()
        .components
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| *n != name)
        .filter(|n| {
            !s.design()
                .connections
                .iter()
                .any(|c| c.from == name && c.to == *n)
        })
        .collect();
    if !others.is_empty() {
        let row = el("div", "pg-connect", "");
        add(
            &row,
            &attrs(&el("label", "", "Connect to"), &[("for", "pg-connect-to")]),
        );
        let select = attrs(&el("select", "", ""), &[("id", "pg-connect-to")]);
        for n in others {
            add(&select, &option(n, n, false));
        }
        add(&row, &select);
        add(&row, &button("Connect", "connect", ""));
        add(&row, &button("Pick in the diagram…", "connect-mode", ""));
        add(&box_, &row);
    }
    add(container, &box_);
}
