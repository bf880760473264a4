//! The playground's fixed structure, built once; `render` fills the parts
//! that change. Controls carry `data-action` for the delegated handlers in
//! `events`, and stable ids so focus survives a redraw.

use web_sys::Element;

use super::dom::{add, attrs, button, el};
use meridian_engine::playground_data::PlaygroundData;

/// Handles on the parts `render` redraws.
pub struct Parts {
    pub root: Element,
    pub mode: Element,
    pub notice: Element,
    pub undo: Element,
    pub redo: Element,
    pub mine: Element,
    pub keep: Element,
    /// The list under "Restore an earlier version".
    pub versions: Element,
    /// The box showing a share link, and its text field.
    pub share_box: Element,
    pub share_link: Element,
    pub diagram: Element,
    pub inspector: Element,
    pub text: Element,
    pub text_errors: Element,
    pub results: Element,
    pub export: Element,
}

pub const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The catalog icon of a type, from the page's sprite.
pub fn icon(type_id: &str) -> Element {
    let doc = super::dom::document();
    let svg = doc
        .create_element_ns(Some(SVG_NS), "svg")
        .expect("svg element");
    attrs(
        &svg,
        &[
            ("class", "icon"),
            ("aria-hidden", "true"),
            ("focusable", "false"),
            ("viewBox", "0 0 24 24"),
        ],
    );
    let used = doc
        .create_element_ns(Some(SVG_NS), "use")
        .expect("use element");
    attrs(&used, &[("href", &format!("#icon-{type_id}"))]);
    add(&svg, &used);
    svg
}

pub fn build(section: &Element, data: &PlaygroundData) -> Parts {
    let root = attrs(&el("div", "pg", ""), &[("id", "pg")]);

    let toolbar = attrs(
        &el("div", "pg-toolbar", ""),
        &[("role", "toolbar"), ("aria-label", "Playground actions")],
    );
    add(&toolbar, &button("Blank design", "reset", ""));
    add(
        &toolbar,
        &button("Load the reference solution", "load-reference", ""),
    );
    let mine = button("Back to my design", "mine", "");
    add(&toolbar, &mine);
    let keep = button("Keep this design", "keep", "");
    add(&toolbar, &keep);
    let undo = attrs(
        &button("Undo", "undo", ""),
        &[("aria-keyshortcuts", "Control+Z Meta+Z")],
    );
    let redo = attrs(
        &button("Redo", "redo", ""),
        &[(
            "aria-keyshortcuts",
            "Control+Shift+Z Meta+Shift+Z Control+Y",
        )],
    );
    add(&toolbar, &undo);
    add(&toolbar, &redo);
    add(&toolbar, &button("Share link", "share", ""));
    add(&toolbar, &button("Export YAML", "export", ""));
    add(&root, &toolbar);

    let mode = el("p", "pg-mode", "");
    add(&root, &mode);
    let share_box = attrs(
        &el("div", "pg-share", ""),
        &[("id", "pg-share"), ("hidden", "")],
    );
    let share_label = attrs(
        &el("label", "", "Link to this design"),
        &[("for", "pg-share-link")],
    );
    add(&share_box, &share_label);
    let share_link = attrs(
        &el("input", "pg-share-link", ""),
        &[("id", "pg-share-link"), ("type", "text"), ("readonly", "")],
    );
    add(&share_box, &share_link);
    add(&root, &share_box);
    let notice = attrs(
        &el("p", "pg-notice", ""),
        &[("role", "alert"), ("id", "pg-notice")],
    );
    add(&root, &notice);

    add(&root, &palette(data));

    let workspace = el("div", "pg-workspace", "");
    let diagram = attrs(
        &el("div", "pg-diagram", ""),
        &[
            ("id", "pg-diagram"),
            ("role", "group"),
            (
                "aria-label",
                "Your design: Tab to a component, Enter to select it",
            ),
        ],
    );
    add(&workspace, &diagram);
    let side = el("div", "pg-side", "");
    let inspector = attrs(
        &el("section", "pg-inspector", ""),
        &[
            ("id", "pg-inspector"),
            ("aria-label", "Inspector"),
            ("tabindex", "-1"),
        ],
    );
    add(&side, &inspector);
    let (text_box, text, text_errors) = text_view();
    add(&side, &text_box);
    add(&workspace, &side);
    add(&root, &workspace);

    let export = attrs(
        &el("div", "pg-export", ""),
        &[("id", "pg-export"), ("hidden", "")],
    );
    add(&root, &export);

    // Earlier versions of the reader's design: nothing replaced is lost.
    let restore = attrs(&el("details", "pg-restore", ""), &[("id", "pg-restore")]);
    add(
        &restore,
        &el("summary", "", "Restore an earlier version of your design"),
    );
    let versions = attrs(&el("ol", "pg-versions", ""), &[("id", "pg-versions")]);
    add(&restore, &versions);
    add(&root, &restore);

    let results = attrs(
        &el("section", "pg-results", ""),
        &[
            ("id", "pg-results"),
            ("aria-live", "polite"),
            ("aria-label", "Results of your design"),
        ],
    );
    add(&root, &results);

    add(section, &root);
    Parts {
        root,
        mode,
        notice,
        undo,
        redo,
        mine,
        keep,
        versions,
        share_box,
        share_link,
        diagram,
        inspector,
        text,
        text_errors,
        results,
        export,
    }
}

fn palette(data: &PlaygroundData) -> Element {
    let wrap = attrs(
        &el("div", "pg-palette", ""),
        &[("role", "group"), ("aria-labelledby", "pg-palette-title")],
    );
    add(
        &wrap,
        &attrs(
            &el("h3", "", "Add a component"),
            &[("id", "pg-palette-title")],
        ),
    );
    let label = attrs(
        &el("label", "pg-region-pick", "Region "),
        &[("for", "pg-add-region")],
    );
    let select = attrs(&el("select", "", ""), &[("id", "pg-add-region")]);
    for (id, r) in &data.regions.regions {
        let o = attrs(&el("option", "", &r.name), &[("value", id)]);
        add(&select, &o);
    }
    add(&label, &select);
    add(&wrap, &label);
    let list = el("div", "pg-types", "");
    for type_id in &data.available_components {
        let Some(t) = data.catalog.get(type_id) else {
            continue;
        };
        let b = button("", "add", "pg-add");
        attrs(
            &b,
            &[
                ("data-type", type_id),
                ("title", &t.description),
                ("aria-label", &format!("Add {}", t.label)),
            ],
        );
        add(&b, &icon(type_id));
        add(&b, &el("span", "", &t.label));
        add(&list, &b);
    }
    add(&wrap, &list);
    wrap
}

fn text_view() -> (Element, Element, Element) {
    let wrap = el("section", "pg-textview", "");
    add(
        &wrap,
        &attrs(&el("h3", "", "Text view"), &[("id", "pg-text-title")]),
    );
    let help = attrs(
        &el(
            "p",
            "pg-help",
            "One component per line (US App: app @us x8), then connections (US LB → US App; -> works too). Edits here and in the diagram stay in sync.",
        ),
        &[("id", "pg-text-help")],
    );
    add(&wrap, &help);
    let text = attrs(
        &el("textarea", "pg-text", ""),
        &[
            ("id", "pg-text"),
            ("rows", "12"),
            ("spellcheck", "false"),
            ("autocapitalize", "off"),
            ("aria-labelledby", "pg-text-title"),
            ("aria-describedby", "pg-text-help pg-text-errors"),
        ],
    );
    add(&wrap, &text);
    let errors = attrs(&el("ul", "pg-text-errors", ""), &[("id", "pg-text-errors")]);
    add(&wrap, &errors);
    (wrap, text, errors)
}
