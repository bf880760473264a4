//! Delegated event handlers on the playground's root: one listener per
//! event kind, reading `data-action` from the element the event came from,
//! so redrawn parts need no listeners of their own.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{
    Element, Event, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, KeyboardEvent,
};

use super::{App, Extra, dispatch, with_app};
use crate::design::Edit;
use crate::session::Command;

pub fn attach(root: &Element) {
    listen(root, "click", on_click);
    listen(root, "change", on_change);
    listen(root, "input", on_input);
    listen(root, "keydown", on_keydown);
    listen(root, "focusout", on_focusout);
}

fn listen(root: &Element, kind: &str, f: fn(Event)) {
    let closure = Closure::<dyn FnMut(Event)>::new(f);
    root.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
        .expect("adding an event listener");
    // The playground lives as long as the page.
    closure.forget();
}

/// The element carrying `data-action` that the event started in.
fn action_target(e: &Event) -> Option<(Element, String)> {
    let target: Element = e.target()?.dyn_into().ok()?;
    let el = target.closest("[data-action]").ok()??;
    let action = el.get_attribute("data-action")?;
    Some((el, action))
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

fn value_of(id: &str) -> String {
    let Some(el) = super::dom::by_id(id) else {
        return String::new();
    };
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(s) = el.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

fn selected() -> Option<String> {
    with_app(|app: &mut App| app.session.selected.clone()).flatten()
}

fn replicas_of(name: &str) -> u32 {
    with_app(|app: &mut App| {
        app.session
            .design()
            .components
            .iter()
            .find(|c| c.name == name)
            .map_or(1, |c| c.replicas)
    })
    .unwrap_or(1)
}

fn on_click(e: Event) {
    super::flush_field();
    let Some((el, action)) = action_target(&e) else {
        return;
    };
    let command = match action.as_str() {
        "select" => Command::Select(Some(attr(&el, "data-id"))).into(),
        "add" => Command::Edit(Edit::Add {
            component_type: attr(&el, "data-type"),
            region: value_of("pg-add-region"),
        })
        .into(),
        "reset" => Command::Reset.into(),
        "load-reference" => Command::LoadReference.into(),
        "mine" => Command::BackToMine.into(),
        "keep" => Command::KeepShown.into(),
        "restore" => Extra::Restore(attr(&el, "data-index").parse().unwrap_or(usize::MAX)),
        "undo" => Command::Undo.into(),
        "redo" => Command::Redo.into(),
        "share" => Extra::Share,
        "export" => Extra::Export,
        "close-export" => Extra::CloseExport,
        "copy-export" => Extra::CopyExport,
        "connect-mode" => Command::StartConnect.into(),
        "delete" => match selected() {
            Some(name) => Command::Edit(Edit::Delete { name }).into(),
            None => return,
        },
        "replicas-dec" | "replicas-inc" => {
            let Some(name) = selected() else { return };
            let n = replicas_of(&name);
            let replicas = if action == "replicas-inc" {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1).max(1)
            };
            Command::Edit(Edit::SetReplicas { name, replicas }).into()
        }
        "disconnect" => Command::Edit(Edit::Disconnect {
            from: attr(&el, "data-from"),
            to: attr(&el, "data-to"),
        })
        .into(),
        "connect" => match selected() {
            Some(from) => Command::Edit(Edit::Connect {
                from,
                to: value_of("pg-connect-to"),
            })
            .into(),
            None => return,
        },
        _ => return,
    };
    dispatch(command);
}

fn on_change(e: Event) {
    super::flush_field();
    let Some((el, action)) = action_target(&e) else {
        return;
    };
    let value = || {
        el.dyn_ref::<HtmlInputElement>()
            .map(HtmlInputElement::value)
            .or_else(|| {
                el.dyn_ref::<HtmlSelectElement>()
                    .map(HtmlSelectElement::value)
            })
            .unwrap_or_default()
    };
    let checked = || {
        el.dyn_ref::<HtmlInputElement>()
            .is_some_and(HtmlInputElement::checked)
    };
    if action == "pick-scenario" {
        dispatch(Extra::PickScenario(value()));
        return;
    }
    if action == "set-sync" {
        dispatch(
            Command::Edit(Edit::SetSync {
                from: attr(&el, "data-from"),
                to: attr(&el, "data-to"),
                sync: checked(),
            })
            .into(),
        );
        return;
    }
    let Some(name) = selected() else { return };
    let command = match action.as_str() {
        "rename" => Command::Edit(Edit::Rename {
            name,
            new_name: value(),
        }),
        "set-type" => Command::Edit(Edit::SetType {
            name,
            component_type: value(),
        }),
        "set-region" => Command::Edit(Edit::SetRegion {
            name,
            region: value(),
        }),
        "set-replicas" => match value().trim().parse::<u32>() {
            Ok(replicas) => Command::Edit(Edit::SetReplicas { name, replicas }),
            Err(_) => {
                dispatch(Extra::Notice(
                    "Replicas must be a whole number of at least 1.".to_string(),
                ));
                return;
            }
        },
        "set-hit" => match optional::<f64>(&value()) {
            Ok(hit_ratio) => Command::Edit(Edit::SetHitRatio { name, hit_ratio }),
            Err(()) => {
                dispatch(Extra::Notice(
                    "A hit ratio is a number from 0 to 1.".to_string(),
                ));
                return;
            }
        },
        "set-autoscale" => match optional::<u32>(&value()) {
            Ok(max) => Command::Edit(Edit::SetAutoscale { name, max }),
            Err(()) => {
                dispatch(Extra::Notice(
                    "An autoscaling maximum is a whole number of instances; empty turns autoscaling off."
                        .to_string(),
                ));
                return;
            }
        },
        "toggle-failed" => Command::ToggleFailed(name),
        _ => return,
    };
    // Text fields commit as focus leaves them: after the click or Tab that
    // moved it has landed (see `defer_field`).
    if matches!(
        action.as_str(),
        "rename" | "set-replicas" | "set-hit" | "set-autoscale"
    ) {
        super::defer_field(command.into());
    } else {
        dispatch(command.into());
    }
}

fn on_input(e: Event) {
    let Some(t) = e
        .target()
        .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return;
    };
    if t.id() == "pg-text" {
        dispatch(Command::Text(t.value()).into());
    }
}

/// Leaving the text view ends its undo step; other fields are merged by
/// what they edit (see `design::merge_key`), not by focus, because redraws
/// move focus.
fn on_focusout(e: Event) {
    let from_text = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| t.id() == "pg-text");
    if from_text {
        dispatch(Command::BreakMerge.into());
    }
}

fn in_field(target: &Element) -> bool {
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
}

fn on_keydown(e: Event) {
    let Some(k) = e.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    // Not while typing in the field itself: its edit is held until it is done.
    if !e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| in_field(&t))
    {
        super::flush_field();
    }
    let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let key = k.key();
    if key == "Escape" {
        dispatch(Command::Escape.into());
        return;
    }
    if in_field(&target) {
        return;
    }
    if (key == "Enter" || key == " ")
        && target.get_attribute("data-action").as_deref() == Some("select")
    {
        e.prevent_default();
        dispatch(Command::Select(Some(attr(&target, "data-id"))).into());
        return;
    }
    let modifier = k.ctrl_key() || k.meta_key();
    let command = match key.as_str() {
        // Only where the reader is working on the design (a component in
        // the diagram, or the inspector itself after a deletion moved focus
        // there): Backspace on a toolbar button or a <summary> deletes nothing.
        "Delete" | "Backspace" if !modifier && deletes_here(&target) => match selected() {
            Some(name) => Command::Edit(Edit::Delete { name }),
            None => return,
        },
        "z" | "Z" if modifier && k.shift_key() => Command::Redo,
        "z" | "Z" if modifier => Command::Undo,
        "y" | "Y" if modifier => Command::Redo,
        _ => return,
    };
    e.prevent_default();
    dispatch(command.into());
}

/// Does Delete or Backspace pressed on `target` mean "delete the selected
/// component"?
fn deletes_here(target: &Element) -> bool {
    target.closest("#pg-diagram").ok().flatten().is_some() || target.id() == "pg-inspector"
}

/// An optional field's value: empty means none (the override removed),
/// anything else must parse.
fn optional<T: std::str::FromStr>(text: &str) -> Result<Option<T>, ()> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse().map(Some).map_err(|_| ())
    }
}
