//! The playground's DOM layer: builds the UI inside the page's
//! `#playground` section, turns events into [`Command`]s for the
//! [`Session`], and redraws what changed. The only module that touches the
//! DOM; everything it shows comes from the session and the engine.

mod controls;
mod deflate;
mod diagram;
mod dom;
mod events;
pub mod failure;
mod focus;
mod inspector;
mod results;
mod skeleton;
mod storage;
mod timing;

use focus::{focus_in, focused_key};
pub use timing::{time_drawing, time_evaluation};

use std::cell::RefCell;

use meridian_engine::Topology;
use meridian_engine::playground_data::PlaygroundData;
use meridian_engine::sim::Evaluation;
use meridian_engine::sim::scenarios::ScenarioResult;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlTextAreaElement};

use crate::export::to_yaml;
use crate::session::{Changed, Command, Session, Showing};
use crate::share::ShareError;
use crate::{notation, share};
use skeleton::Parts;

pub struct App {
    pub session: Session,
    parts: Parts,
    evaluation: Option<Evaluation>,
    scenarios: Vec<ScenarioResult>,
    /// Whether `evaluation` holds its failure scenarios yet: they are
    /// computed just after the steady results are drawn, so an edit shows
    /// its tiers and metrics at once.
    scenarios_ready: bool,
    /// Counts design changes; a scenario job for an older design is dropped.
    generation: u64,
    /// The scenario the reader picked, by name.
    pick: Option<String>,
    pub timings: Timings,
}

/// Milliseconds spent on the last edit, for the debug hooks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// The steady evaluation (tiers, normal, peak, availability, cost).
    pub evaluate_ms: f64,
    /// Drawing the results, inspector and text, and the diagram unless it
    /// comes just after (a large design's).
    pub render_ms: f64,
    /// Drawing a large design's diagram, just after its results; 0 when
    /// the diagram was drawn with them.
    pub diagram_ms: f64,
    /// The failure scenarios, computed and drawn just after.
    pub scenarios_ms: f64,
}

/// UI actions that are not design changes.
pub enum Extra {
    Run(Command),
    Share,
    /// Show the link of a design whose text the browser has deflated
    /// (None: it could not).
    ShowLink(Option<Vec<u8>>),
    Export,
    CloseExport,
    CopyExport,
    PickScenario(String),
    Notice(String),
    /// Restore the earlier version at this index of the "Restore" list.
    Restore(usize),
    /// Compute the failure scenarios of design number `generation`.
    Scenarios(u64),
    /// Draw the diagram of design number `generation` (a large one's, just
    /// after its results: see [`draws_later`]).
    Diagram(u64),
}

impl From<Command> for Extra {
    fn from(c: Command) -> Extra {
        Extra::Run(c)
    }
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// Actions raised while another runs: moving focus during a redraw fires
    /// `focusout` synchronously, re-entering [`dispatch`].
    static PENDING: RefCell<Vec<Extra>> = const { RefCell::new(Vec::new()) };
    /// A text field's edit, made when focus left the field (see
    /// [`defer_field`]).
    static FIELD: RefCell<Option<Extra>> = const { RefCell::new(None) };
}

/// Holds a text field's edit (its `change`, which fires as focus leaves
/// it) until the browser has finished what took focus away: moving focus
/// on Tab, or the click on another control. Redrawing at once would replace
/// that control under the pointer (the click lost) or the element Tab moves
/// from (focus lost to the page). The edit runs at the next action, before
/// it, or on the next tick, whichever comes first.
pub fn defer_field(action: Extra) {
    FIELD.with(|f| *f.borrow_mut() = Some(action));
    let Some(w) = web_sys::window() else { return };
    let job = Closure::once_into_js(flush_field);
    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(job.unchecked_ref(), 0);
}

/// Runs a held field edit now (see [`defer_field`]): every handler calls
/// this first, so the action it builds reads the edited design.
pub fn flush_field() {
    if let Some(a) = FIELD.with(|f| f.borrow_mut().take()) {
        dispatch(a);
    }
}

/// Runs `f` on the app; `None` before it starts, while an action runs, or
/// once the instance has stopped after a failure.
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    if failure::stopped() {
        return None;
    }
    APP.with(|a| a.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Why this instance has failed, if it has (see [`failure`]).
pub fn failed() -> Option<String> {
    let borrowed = APP.with(|a| a.try_borrow_mut().is_err())
        || PENDING.with(|p| p.try_borrow_mut().is_err())
        || FIELD.with(|f| f.try_borrow_mut().is_err());
    failure::failure(borrowed)
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Builds the playground in `section` from the JSON the page embeds.
/// `restarted` is the failure that stopped the previous instance, if this
/// one replaces it: the reader is told, and the saved design opens. A
/// design link in the address opens once the browser has inflated it: the
/// value returned is then the promise of the playground (rejected if it
/// could not start), else undefined.
pub fn start(section: &Element, restarted: Option<String>) -> Result<JsValue, JsValue> {
    failure::install_hook();
    let data_el = section
        .query_selector("#playground-data")?
        .ok_or_else(|| JsValue::from_str("the page has no #playground-data"))?;
    let json = data_el.text_content().unwrap_or_default();
    // The engine's own reader, not serde (`json.rs` says why).
    let data = PlaygroundData::from_json(&json)
        .map_err(|e| JsValue::from_str(&format!("the playground data is invalid: {e}")))?;

    let notice = restarted.map(|why| {
        format!(
            "The playground met an internal error ({why}) and restarted from your saved design; the action that failed did nothing. Please report it, with the design's share link."
        )
    });
    let saved = storage::load(&data.id);
    if let Some(t) = &saved {
        // What the reader had when the page opened: a point to come back to.
        storage::push_version(&data.id, t);
    }
    let mine = saved.unwrap_or_else(|| data.blank_design());
    let fragment = if notice.is_some() {
        // A restart reopens what the reader saved, not a link again.
        String::new()
    } else {
        storage::fragment()
    };
    let section = section.clone();
    let open = move |shared| open(&section, data, mine, notice, shared);
    match share::from_fragment(&fragment) {
        Some(Ok(deflated)) => deflate::open_design(&deflated, move |shared| open(Some(shared))),
        Some(Err(e)) => open(Some(Err(e))).map(|()| JsValue::UNDEFINED),
        None => open(None).map(|()| JsValue::UNDEFINED),
    }
}

/// Builds the playground over the reader's design, `mine`, or over the
/// design a link holds (`shared`; the reason when it could not be opened).
fn open(
    section: &Element,
    data: PlaygroundData,
    mine: Topology,
    mut notice: Option<String>,
    shared: Option<Result<Topology, ShareError>>,
) -> Result<(), JsValue> {
    let problem = data.id.clone();
    let session = match shared {
        // A link opens as its own, labelled thing; the saved design is
        // untouched until the reader keeps the shared one.
        Some(Ok(shared)) => Session::new_shared(data, mine, shared),
        Some(Err(e)) => {
            notice = Some(format!(
                "The design in this link could not be opened: {e} Showing your saved design (or a blank one) instead."
            ));
            storage::clear_design_fragment();
            Session::new(data, mine)
        }
        None => Session::new(data, mine),
    };
    if let Some(status) = section.query_selector(".playground-status")? {
        status.remove();
    }
    let parts = skeleton::build(section, &session.data);
    events::attach(&parts.root);
    listen_to_other_tabs(problem);
    listen_to_pasted_links();
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            session,
            parts,
            evaluation: None,
            scenarios: Vec::new(),
            scenarios_ready: false,
            generation: 0,
            pick: None,
            timings: Timings::default(),
        })
    });
    with_app(|app| {
        app.session.notice = notice;
        app.refresh(Changed {
            design: true,
            selection: true,
            text: true,
            failed: true,
        });
    });
    Ok(())
}

/// Another tab of this problem saved the reader's design: show it here too
/// (the `storage` event fires in every other tab of the site).
fn listen_to_other_tabs(problem: String) {
    let Some(w) = web_sys::window() else { return };
    let key = storage::key(&problem);
    let closure =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
            if e.key().as_deref() != Some(key.as_str()) {
                return;
            }
            if let Some(t) = e.new_value().and_then(|v| notation::parse(&v).ok()) {
                dispatch(Extra::Run(Command::External(t)));
            }
        });
    let _ = w.add_event_listener_with_callback("storage", closure.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    closure.forget();
}

/// A design link pasted into the address bar of this page changes only the
/// fragment (no reload): open it as on arrival.
fn listen_to_pasted_links() {
    let Some(w) = web_sys::window() else { return };
    let opened = |shared: Result<Topology, ShareError>| match shared {
        Ok(t) => dispatch(Extra::Run(Command::OpenShared(t))),
        Err(e) => dispatch(Extra::Notice(format!(
            "The design in this link could not be opened: {e}"
        ))),
    };
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        match share::from_fragment(&storage::fragment()) {
            Some(Ok(deflated)) => {
                let _ = deflate::open_design(&deflated, move |shared| {
                    opened(shared);
                    Ok(())
                });
            }
            Some(Err(e)) => opened(Err(e)),
            None => {}
        }
    });
    let _ = w.add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Whether a design's diagram is drawn in the task after its results rather
/// than with them. Laying out and drawing a diagram grows faster than
/// evaluating it: at the size limits it alone takes longer in the browser
/// than the 50 ms the results are due in (see the `layout` bench and the
/// browser step `the_largest_allowed_design_stays_fast`). A design more than
/// twice the largest reference's size (12 components, 16 connections) shows
/// its numbers first and its picture a moment later; smaller ones draw both
/// at once, so an ordinary edit never shows a stale diagram.
fn draws_later(t: &Topology) -> bool {
    t.components.len() > 24 || t.connections.len() > 32
}

/// Runs `action` after the browser has painted what the current one drew:
/// the next animation frame comes just before a paint, and a task queued
/// from it runs just after. (A hidden tab paints nothing and runs it when
/// shown, which is all the work it needs.)
fn schedule(action: Extra) {
    let Some(w) = web_sys::window() else { return };
    let cell = RefCell::new(Some(action));
    let job = Closure::once_into_js(move || {
        if let Some(a) = cell.borrow_mut().take() {
            dispatch(a);
        }
    });
    let frame = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(job.unchecked_ref(), 0);
        }
    });
    let _ = w.request_animation_frame(frame.unchecked_ref());
}

/// Runs an action, or queues it if one is already running; queued actions
/// run right after, in order.
pub fn dispatch(action: Extra) {
    if failure::stopped() {
        return;
    }
    // A field's held edit comes first: the action may read what it changed.
    if let Some(held) = FIELD.with(|f| f.borrow_mut().take()) {
        dispatch(held);
    }
    let busy = APP.with(|a| a.try_borrow_mut().is_err());
    if busy {
        PENDING.with(|p| p.borrow_mut().push(action));
        return;
    }
    run(action);
    while let Some(next) = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        (!p.is_empty()).then(|| p.remove(0))
    }) {
        run(next);
    }
}

fn run(action: Extra) {
    with_app(|app| {
        failure::raise_injected();
        app.act(action);
    });
}

impl App {
    fn act(&mut self, action: Extra) {
        let app = self;
        match action {
            Extra::Run(command) => {
                let changed = app.session.run(command);
                app.refresh(changed);
            }
            Extra::Share => app.share(),
            Extra::ShowLink(deflated) => app.show_link(deflated),
            Extra::Export => app.export(),
            Extra::CloseExport => {
                let _ = app.parts.export.set_attribute("hidden", "");
            }
            Extra::CopyExport => {
                let copying = storage::copy(&to_yaml(app.session.design()), |ok| {
                    dispatch(Extra::Notice(
                    if ok {
                        "The YAML is on your clipboard."
                    } else {
                        "Your browser did not allow copying: select the YAML above and copy it (Ctrl+C, or ⌘C)."
                    }
                    .to_string(),
                ));
                });
                if !copying {
                    app.say("This page cannot use the clipboard (it is served neither over HTTPS nor from localhost): select the YAML above and copy it (Ctrl+C, or ⌘C).");
                }
            }
            Extra::Restore(index) => {
                let versions = app.other_versions();
                match versions.into_iter().nth(index) {
                    Some(t) => {
                        let changed = app.session.run(Command::Restore(t));
                        app.refresh(changed);
                    }
                    None => app.say("That version is no longer kept."),
                }
            }
            Extra::PickScenario(name) => {
                app.pick = Some(name);
                app.draw_scenarios();
                if let Some(s) = dom::by_id("pg-scenario") {
                    let _ = dom::html(&s).focus();
                }
            }
            Extra::Notice(text) => app.say(&text),
            Extra::Scenarios(generation) => app.complete_scenarios(generation),
            Extra::Diagram(generation) => app.complete_diagram(generation),
        }
    }

    fn say(&self, text: &str) {
        self.parts.notice.set_text_content(Some(text));
    }

    pub fn refresh(&mut self, changed: Changed) {
        let focused = focused_key();
        let in_diagram = focus_in(&self.parts.diagram);
        let later = changed.design && draws_later(self.session.design());
        if changed.design {
            let t0 = now_ms();
            self.evaluation = self.session.evaluate_steady();
            self.timings.evaluate_ms = now_ms() - t0;
            // The later parts' timings start over: 0 until they land.
            self.timings.diagram_ms = 0.0;
            self.timings.scenarios_ms = 0.0;
            self.generation += 1;
            self.scenarios_ready = false;
            if later {
                schedule(Extra::Diagram(self.generation));
            }
            schedule(Extra::Scenarios(self.generation));
            if self.session.showing == Showing::Mine {
                storage::save(&self.session.data.id, self.session.design());
                // The reader's design is what the page shows from now on:
                // a reload must not reopen a link's snapshot over it.
                storage::clear_design_fragment();
            }
        }
        for t in std::mem::take(&mut self.session.retired) {
            storage::push_version(&self.session.data.id, &t);
        }
        let t1 = now_ms();
        if changed.failed && !self.session.failed.is_empty() {
            self.pick = Some(crate::session::OWN_SCENARIO.to_string());
        }
        if changed.design || changed.selection || changed.failed {
            if !later {
                diagram::render(&self.parts.diagram, &self.session, self.evaluation.as_ref());
            }
            inspector::render(&self.parts.inspector, &self.session);
        }
        if changed.text {
            let area: HtmlTextAreaElement = self.parts.text.clone().unchecked_into();
            area.set_value(&notation::print(self.session.design()));
        }
        self.draw_text_errors();
        if changed.design {
            self.draw_results();
        } else if changed.failed && self.scenarios_ready {
            self.collect_scenarios();
            self.draw_scenarios();
        }
        self.draw_toolbar();
        self.draw_versions();
        if let Some(n) = &self.session.notice {
            self.say(n);
        } else if changed.design {
            self.say("");
        }
        self.timings.render_ms = now_ms() - t1;
        match (&self.session.selected, in_diagram) {
            (Some(name), true) if !later => diagram::refocus(&self.parts.diagram, name),
            _ => self.restore_focus(focused),
        }
    }

    /// A large design's diagram, drawn just after its results (see
    /// [`draws_later`]), unless the design changed again since.
    fn complete_diagram(&mut self, generation: u64) {
        if generation != self.generation {
            return;
        }
        let in_diagram = focus_in(&self.parts.diagram);
        let t0 = now_ms();
        diagram::render(&self.parts.diagram, &self.session, self.evaluation.as_ref());
        self.timings.diagram_ms = now_ms() - t0;
        if let (Some(name), true) = (&self.session.selected, in_diagram) {
            diagram::refocus(&self.parts.diagram, name);
        }
    }

    fn draw_results(&self) {
        results::render(&self.parts.results, &self.session, self.evaluation.as_ref());
    }

    fn draw_scenarios(&self) {
        results::render_scenarios(&self.parts.results, &self.scenarios, self.pick.as_deref());
    }

    /// The generated scenarios plus the reader's own.
    fn collect_scenarios(&mut self) {
        self.scenarios = self.evaluation.as_ref().map_or_else(Vec::new, |e| {
            let mut all = e.scenarios.clone();
            all.extend(self.session.own_scenario(e));
            all
        });
    }

    /// The second half of an edit: the failure scenarios of the design on
    /// screen, unless it changed again since.
    fn complete_scenarios(&mut self, generation: u64) {
        if generation != self.generation || self.scenarios_ready {
            return;
        }
        let focused = focused_key();
        let t0 = now_ms();
        if let Some(e) = self.evaluation.as_mut() {
            self.session.add_scenarios(e);
        }
        self.collect_scenarios();
        self.scenarios_ready = true;
        // Availability and its target count the scenarios: redraw them too.
        self.draw_results();
        self.draw_scenarios();
        self.timings.scenarios_ms = now_ms() - t0;
        self.restore_focus(focused);
    }
}
