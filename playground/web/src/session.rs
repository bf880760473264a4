//! The playground's state and what each reader action does to it, as plain
//! Rust: the DOM layer (`ui`) turns events into [`Command`]s, runs them here
//! and redraws from the result. Tested on the host.

use meridian_engine::Topology;
use meridian_engine::playground_data::PlaygroundData;
use meridian_engine::sim::Evaluation;
use meridian_engine::validate::validate_topology;

use crate::design::{CatalogNames, Edit, Field, MergeKey, Selection, apply, merge_key};
use crate::history::History;
use crate::notation::{self, ParseError};

/// Which design is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// The reader's own design.
    Mine,
    /// The reference solution, loaded by the reader; their design is kept
    /// aside until they go back to it.
    Reference,
    /// A design opened from a share link; the reader's own is kept aside
    /// (and stays saved) until they keep this one or go back.
    Shared,
}

/// One reader action.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Edit(Edit),
    Select(Option<String>),
    /// Start connecting from the selected component: the next component
    /// picked becomes the target.
    StartConnect,
    /// The text view's new content.
    Text(String),
    Undo,
    Redo,
    LoadReference,
    BackToMine,
    /// Back to the blank design (the problem's clients only).
    Reset,
    /// Clear the selection and any pending connection.
    Escape,
    /// Focus left a field: the next edit starts a new undo step.
    BreakMerge,
    /// Mark a component failed (or restore it) for the reader's own scenario.
    ToggleFailed(String),
    /// Make the design on screen (the reference or a shared one) the
    /// reader's own; the one it replaces goes to [`Session::retired`].
    KeepShown,
    /// Bring back an earlier saved version as the reader's design.
    Restore(Topology),
    /// Another tab saved a new version of the reader's design.
    External(Topology),
    /// A share link pasted into the address bar of the open page: shown
    /// apart, as on opening it.
    OpenShared(Topology),
}

/// What a command changed, so the UI redraws only that.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changed {
    pub design: bool,
    pub selection: bool,
    /// The text view must be rewritten (false while the reader types in it).
    pub text: bool,
    pub failed: bool,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub data: PlaygroundData,
    history: History,
    pub showing: Showing,
    /// The reader's design while the reference is shown.
    mine_aside: Option<Topology>,
    pub selected: Option<String>,
    pub connecting_from: Option<String>,
    /// Components the reader marked failed, by name.
    pub failed: Vec<String>,
    /// Syntax errors of the text view's current content; the design on
    /// screen is the last one that parsed.
    pub text_errors: Vec<ParseError>,
    /// The last refused edit, as a sentence.
    pub notice: Option<String>,
    /// Designs of the reader's that something replaced (keeping a shared
    /// design, editing the reference, a restore, a reset): the UI files
    /// them under "Restore" and empties the list, so none is lost.
    pub retired: Vec<Topology>,
}

impl Session {
    pub fn new(data: PlaygroundData, design: Topology) -> Session {
        Session {
            data,
            history: History::new(design),
            showing: Showing::Mine,
            mine_aside: None,
            selected: None,
            connecting_from: None,
            failed: Vec::new(),
            text_errors: Vec::new(),
            notice: None,
            retired: Vec::new(),
        }
    }

    /// A session opened from a share link: `shared` on screen, labelled as
    /// such, the reader's own design `mine` kept aside and untouched.
    pub fn new_shared(data: PlaygroundData, mine: Topology, shared: Topology) -> Session {
        let mut s = Session::new(data, shared);
        s.showing = Showing::Shared;
        s.mine_aside = Some(mine);
        s
    }

    pub fn design(&self) -> &Topology {
        self.history.current()
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// The reader's own design: the one on screen, or the one set aside
    /// while the reference is shown. This is what is saved and shared.
    pub fn mine(&self) -> &Topology {
        match (&self.showing, &self.mine_aside) {
            (Showing::Reference | Showing::Shared, Some(t)) => t,
            _ => self.design(),
        }
    }

    /// The engine's evaluation of the design on screen, without the failure
    /// scenarios (see [`Session::add_scenarios`]).
    pub fn evaluate_steady(&self) -> Option<Evaluation> {
        self.data.evaluate_steady(self.design())
    }

    /// Completes an evaluation of the design on screen with its failure
    /// scenarios.
    pub fn add_scenarios(&self, e: &mut Evaluation) {
        self.data.add_scenarios(self.design(), e);
    }

    /// The engine validator's messages for the design on screen (unknown
    /// types or regions, connections to nowhere).
    pub fn problems(&self) -> Vec<String> {
        validate_topology(self.design(), &self.data.catalog, &self.data.regions)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    pub fn run(&mut self, command: Command) -> Changed {
        self.notice = None;
        match command {
            Command::Edit(edit) => self.edit(edit),
            Command::Select(name) => {
                self.history.break_merge();
                let pending = self.connecting_from.take();
                match (pending, name) {
                    (Some(from), Some(to)) if from != to => {
                        let mut c = self.edit(Edit::Connect {
                            from,
                            to: to.clone(),
                        });
                        self.selected = Some(to);
                        c.selection = true;
                        c
                    }
                    (_, name) => {
                        self.selected = name;
                        Changed {
                            selection: true,
                            ..Changed::default()
                        }
                    }
                }
            }
            Command::StartConnect => {
                self.connecting_from = self.selected.clone();
                Changed {
                    selection: true,
                    ..Changed::default()
                }
            }
            Command::Text(text) => self.text(&text),
            Command::Undo => self.step(History::undo),
            Command::Redo => self.step(History::redo),
            Command::LoadReference => {
                if self.showing == Showing::Mine {
                    self.mine_aside = Some(self.design().clone());
                }
                self.showing = Showing::Reference;
                let reference = self.data.reference.clone();
                self.start_over(reference)
            }
            Command::BackToMine => {
                let mine = self
                    .mine_aside
                    .take()
                    .unwrap_or_else(|| self.design().clone());
                self.showing = Showing::Mine;
                self.start_over(mine)
            }
            Command::Reset => {
                let mine = self.mine().clone();
                self.retire(mine);
                self.showing = Showing::Mine;
                self.mine_aside = None;
                let blank = self.data.blank_design();
                self.start_over(blank)
            }
            Command::KeepShown => {
                if self.showing == Showing::Mine {
                    return Changed::default();
                }
                self.adopt();
                Changed {
                    design: true,
                    ..Changed::default()
                }
            }
            Command::Restore(t) => {
                let mine = self.mine().clone();
                self.retire(mine);
                self.showing = Showing::Mine;
                self.mine_aside = None;
                self.start_over(t)
            }
            Command::OpenShared(t) => {
                if self.showing == Showing::Mine {
                    self.mine_aside = Some(self.design().clone());
                }
                self.showing = Showing::Shared;
                self.start_over(t)
            }
            Command::External(t) => {
                if self.showing == Showing::Mine {
                    if *self.design() == t {
                        return Changed::default();
                    }
                    let mine = self.design().clone();
                    self.retire(mine);
                    self.notice = Some(
                        "Your design was changed in another tab; this tab now shows that version (the one it replaced is under “Restore”)."
                            .to_string(),
                    );
                    self.start_over(t)
                } else {
                    self.mine_aside = Some(t);
                    Changed::default()
                }
            }
            Command::Escape => {
                let had = self.selected.is_some() || self.connecting_from.is_some();
                self.selected = None;
                self.connecting_from = None;
                Changed {
                    selection: had,
                    ..Changed::default()
                }
            }
            Command::BreakMerge => {
                self.history.break_merge();
                Changed::default()
            }
            Command::ToggleFailed(name) => {
                if let Some(i) = self.failed.iter().position(|n| *n == name) {
                    self.failed.remove(i);
                } else if self.design().components.iter().any(|c| c.name == name) {
                    self.failed.push(name);
                }
                Changed {
                    failed: true,
                    ..Changed::default()
                }
            }
        }
    }

    fn edit(&mut self, edit: Edit) -> Changed {
        let names = CatalogNames {
            catalog: &self.data.catalog,
            regions: &self.data.regions,
        };
        match apply(self.design(), &edit, &names) {
            Ok(applied) => {
                let renamed = match &edit {
                    Edit::Rename { name, .. } => Some(name.clone()),
                    _ => None,
                };
                self.fork();
                self.history.commit(applied.topology, merge_key(&edit));
                match applied.selection {
                    Selection::Keep => {}
                    Selection::Select(n) => self.selected = Some(n),
                    Selection::Clear => self.selected = None,
                }
                if let Some(old) = renamed {
                    self.follow_rename(&old);
                }
                self.settle();
                Changed {
                    design: true,
                    selection: true,
                    text: true,
                    failed: true,
                }
            }
            Err(e) => {
                self.notice = Some(e.to_string());
                Changed::default()
            }
        }
    }

    /// Files one of the reader's designs under "Restore" (unless it is the
    /// blank design, which needs no keeping).
    fn retire(&mut self, t: Topology) {
        if t != self.data.blank_design() && !self.retired.contains(&t) {
            self.retired.push(t);
        }
    }

    /// The design on screen becomes the reader's own; theirs until now is
    /// retired.
    fn adopt(&mut self) {
        let what = match self.showing {
            Showing::Mine => return,
            Showing::Reference => "the reference solution",
            Showing::Shared => "the shared design",
        };
        if let Some(m) = self.mine_aside.take() {
            self.retire(m);
        }
        self.showing = Showing::Mine;
        self.notice = Some(format!(
            "This is now your design, started from {what}; the one it replaced is under “Restore”."
        ));
    }

    /// An edit to the reference or a shared design makes it the reader's
    /// (a fork): editing is what readers do with their own design.
    fn fork(&mut self) {
        if self.showing != Showing::Mine {
            self.adopt();
        }
    }

    /// A renamed component keeps its "failed" mark.
    fn follow_rename(&mut self, old: &str) {
        if let (Some(i), Some(new)) = (
            self.failed.iter().position(|n| n == old),
            self.selected.clone(),
        ) {
            self.failed[i] = new;
        }
    }

    fn text(&mut self, text: &str) -> Changed {
        match notation::parse(text) {
            Ok(mut t) => {
                keep_sources(&mut t, self.design());
                self.text_errors.clear();
                self.fork();
                let key = MergeKey {
                    field: Field::Text,
                    before: String::new(),
                    after: String::new(),
                };
                self.history.commit(t, Some(key));
                self.settle();
                Changed {
                    design: true,
                    selection: true,
                    text: false,
                    failed: true,
                }
            }
            Err(errors) => {
                self.text_errors = errors;
                Changed::default()
            }
        }
    }

    /// Shows `t` with a history of its own: undo never crosses from one
    /// design to another (the reference, a shared design, the reader's).
    fn start_over(&mut self, t: Topology) -> Changed {
        self.history = History::new(t);
        self.selected = None;
        self.connecting_from = None;
        self.text_errors.clear();
        self.settle();
        Changed {
            design: true,
            selection: true,
            text: true,
            failed: true,
        }
    }

    fn step(&mut self, f: fn(&mut History) -> bool) -> Changed {
        if !f(&mut self.history) {
            return Changed::default();
        }
        self.text_errors.clear();
        self.settle();
        Changed {
            design: true,
            selection: true,
            text: true,
            failed: true,
        }
    }

    /// Drops selection and failure marks that point at components no longer
    /// in the design.
    fn settle(&mut self) {
        let names: Vec<&str> = self
            .history
            .current()
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        if self
            .selected
            .as_deref()
            .is_some_and(|s| !names.contains(&s))
        {
            self.selected = None;
        }
        if self
            .connecting_from
            .as_deref()
            .is_some_and(|s| !names.contains(&s))
        {
            self.connecting_from = None;
        }
        self.failed.retain(|f| names.contains(&f.as_str()));
    }
}

/// The name of the reader's own scenario (their "fail this component" marks).
pub const OWN_SCENARIO: &str = "Your failures";

impl Session {
    /// The reader's own failure scenario: every component they marked
    /// failed, lost at once.
    pub fn own_scenario(
        &self,
        e: &Evaluation,
    ) -> Option<meridian_engine::sim::scenarios::ScenarioResult> {
        if self.failed.is_empty() {
            return None;
        }
        self.data
            .custom_scenario(self.design(), e, OWN_SCENARIO, &self.failed)
    }
}

/// The text view carries service figures, not their sources: a component
/// whose figures did not change keeps the source it had.
fn keep_sources(t: &mut Topology, before: &Topology) {
    for c in &mut t.components {
        let Some(o) = c.service.as_mut() else {
            continue;
        };
        let same = before
            .components
            .iter()
            .find(|b| b.name == c.name)
            .and_then(|b| b.service.as_ref());
        if let Some(b) = same
            && b.concurrency == o.concurrency
            && b.service_ms == o.service_ms
        {
            o.source.clone_from(&b.source);
        }
    }
}
