//! The playground's controls around the diagram: the toolbar and the line
//! saying which design is shown, the text view's errors, the "Restore"
//! list of earlier versions, and the share and export boxes.

use meridian_engine::Topology;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::{App, Extra, deflate, dispatch, dom, storage};
use crate::export::to_yaml;
use crate::session::Showing;
use crate::share;

impl App {
    pub(super) fn draw_text_errors(&self) {
        let ul = &self.parts.text_errors;
        dom::clear(ul);
        for e in &self.session.text_errors {
            dom::add(ul, &dom::el("li", "", &e.to_string()));
        }
        let invalid = if self.session.text_errors.is_empty() {
            "false"
        } else {
            "true"
        };
        let _ = self.parts.text.set_attribute("aria-invalid", invalid);
    }

    pub(super) fn draw_toolbar(&self) {
        set_disabled(&self.parts.undo, !self.session.can_undo());
        set_disabled(&self.parts.redo, !self.session.can_redo());
        let mine = self.session.showing == Showing::Mine;
        set_disabled(&self.parts.mine, mine);
        set_disabled(&self.parts.keep, mine);
        self.parts.mode.set_text_content(Some(match self.session.showing {
            Showing::Mine => "Showing your design. It is saved in this browser as you edit.",
            Showing::Reference => {
                "Showing the reference solution. Your own design is kept: “Back to my design” returns to it; editing the reference, or “Keep this design”, makes it yours (your previous design stays under “Restore”)."
            }
            Showing::Shared => {
                "Showing a shared design, from the link you opened. Your own design is kept and saved: “Back to my design” returns to it; editing this one, or “Keep this design”, makes it yours (your previous design stays under “Restore”)."
            }
        }));
    }

    /// Earlier saved versions other than the design the reader has now.
    pub(super) fn other_versions(&self) -> Vec<Topology> {
        let mine = self.session.mine();
        storage::versions(&self.session.data.id)
            .into_iter()
            .filter(|t| t != mine)
            .collect()
    }

    pub(super) fn draw_versions(&self) {
        let list = &self.parts.versions;
        dom::clear(list);
        let versions = self.other_versions();
        if versions.is_empty() {
            dom::add(list, &dom::el("li", "pg-help", "No earlier version yet."));
        }
        for (i, t) in versions.iter().enumerate() {
            let names: Vec<&str> = t
                .components
                .iter()
                .map(|c| c.name.as_str())
                .take(4)
                .collect();
            let more = t.components.len().saturating_sub(names.len());
            let what = format!(
                "{} component{}: {}{} ",
                t.components.len(),
                if t.components.len() == 1 { "" } else { "s" },
                names.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
            let li = dom::el("li", "", &what);
            let b = dom::attrs(
                &dom::button("Restore", "restore", ""),
                &[("data-index", &i.to_string())],
            );
            dom::add(&li, &b);
            dom::add(list, &li);
        }
    }

    /// Asks the browser to deflate the design's text; its link shows
    /// when it has (`show_link`).
    pub(super) fn share(&self) {
        let text = share::text(self.session.design());
        let asked = deflate::deflate(text.as_bytes(), |deflated| {
            dispatch(Extra::ShowLink(deflated));
        });
        if asked.is_err() {
            self.say("This browser cannot make design links (it has no CompressionStream, which browsers have had since 2023); use Export YAML instead.");
        }
    }

    pub(super) fn show_link(&self, deflated: Option<Vec<u8>>) {
        let Some(deflated) = deflated else {
            self.say(
                "The browser could not compress this design for a link; use Export YAML instead.",
            );
            return;
        };
        let Ok(fragment) = share::pack(&deflated) else {
            self.say("This design is too large for a link; use Export YAML instead.");
            return;
        };
        let url = storage::url_with(&fragment);
        let input: web_sys::HtmlInputElement = self.parts.share_link.clone().unchecked_into();
        input.set_value(&url);
        let _ = self.parts.share_box.remove_attribute("hidden");
        let _ = input.focus();
        input.select();
        let copying = storage::copy(&url, |ok| {
            dispatch(Extra::Notice(
                if ok {
                    "The link to this design is on your clipboard, and in the field above."
                } else {
                    "Your browser did not allow copying: the link is selected in the field above; copy it with Ctrl+C (⌘C)."
                }
                .to_string(),
            ));
        });
        if !copying {
            self.say("This page cannot use the clipboard (it is served neither over HTTPS nor from localhost): the link is selected in the field above; copy it with Ctrl+C (⌘C).");
        }
    }

    pub(super) fn export(&self) {
        let box_ = &self.parts.export;
        dom::clear(box_);
        dom::add(
            box_,
            &dom::attrs(
                &dom::el("h3", "", "Your design as YAML"),
                &[("id", "pg-export-title")],
            ),
        );
        dom::add(
            box_,
            &dom::el(
                "p",
                "pg-help",
                "Paste it under a problem's reference: (components and connections) to make it a reference solution.",
            ),
        );
        let area = dom::attrs(
            &dom::el("textarea", "pg-export-text", ""),
            &[
                ("id", "pg-export-text"),
                ("readonly", ""),
                ("rows", "12"),
                ("aria-labelledby", "pg-export-title"),
            ],
        );
        area.set_text_content(Some(&to_yaml(self.session.design())));
        dom::add(box_, &area);
        dom::add(box_, &dom::button("Copy", "copy-export", ""));
        dom::add(box_, &dom::button("Close", "close-export", ""));
        let _ = box_.remove_attribute("hidden");
        let _ = dom::html(&area).focus();
    }
}

fn set_disabled(el: &Element, disabled: bool) {
    if disabled {
        let _ = el.set_attribute("disabled", "");
    } else {
        let _ = el.remove_attribute("disabled");
    }
}
