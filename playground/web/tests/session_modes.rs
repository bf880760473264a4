//! The reader's design is never silently replaced: a shared design or the
//! reference is shown apart and labelled, editing it makes it the reader's
//! (the design it replaces is retired to "Restore", not dropped), and undo
//! never crosses from one design to another. Host tests of `Session`.

use meridian_engine::playground_data::PlaygroundData;
use meridian_engine::{Catalog, Problem, Regions, Topology};
use meridian_web::design::Edit;
use meridian_web::session::{Command, Session, Showing};

fn read_yaml<T: serde::de::DeserializeOwned>(rel: &str) -> T {
    let path = format!("{}/../../problems/{rel}", env!("CARGO_MANIFEST_DIR"));
    serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Problem 1's page data.
fn data() -> PlaygroundData {
    let catalog: Catalog = read_yaml("catalog.yaml");
    let regions: Regions = read_yaml("regions.yaml");
    let problem: Problem = read_yaml("multiregion/01-basic-multi-region.yaml");
    PlaygroundData::new(&problem, &catalog, &regions)
}

fn add_app(s: &mut Session) {
    s.run(Command::Edit(Edit::Add {
        component_type: "app".into(),
        region: "us".into(),
    }));
}

/// The reader's own design: the blank one plus an app.
fn mine() -> Topology {
    let mut s = Session::new(data(), data().blank_design());
    add_app(&mut s);
    s.design().clone()
}

/// A shared design: the reference.
fn shared() -> Topology {
    data().reference.clone()
}

#[test]
fn a_shared_design_is_shown_apart_and_the_readers_is_kept() {
    let mut s = Session::new_shared(data(), mine(), shared());
    assert_eq!(s.showing, Showing::Shared);
    assert_eq!(*s.design(), shared());
    assert_eq!(*s.mine(), mine(), "the saved design is what would be saved");
    s.run(Command::BackToMine);
    assert_eq!(s.showing, Showing::Mine);
    assert_eq!(*s.design(), mine());
    assert!(s.retired.is_empty(), "nothing was replaced");
}

#[test]
fn keeping_a_shared_design_retires_the_readers_previous_one() {
    let mut s = Session::new_shared(data(), mine(), shared());
    let c = s.run(Command::KeepShown);
    assert!(c.design, "the kept design is saved");
    assert_eq!(s.showing, Showing::Mine);
    assert_eq!(*s.mine(), shared());
    assert_eq!(s.retired, vec![mine()]);
    assert!(s.notice.as_deref().unwrap().contains("Restore"));
}

#[test]
fn editing_the_reference_makes_it_the_readers_design() {
    let mut s = Session::new(data(), mine());
    s.run(Command::LoadReference);
    assert_eq!(s.showing, Showing::Reference);
    add_app(&mut s);
    assert_eq!(s.showing, Showing::Mine, "an edit forks the reference");
    assert_eq!(s.design().components.len(), shared().components.len() + 1);
    assert_eq!(s.retired, vec![mine()], "the previous design is kept");
    // The text view forks too.
    let mut s = Session::new_shared(data(), mine(), shared());
    let text = meridian_web::notation::print(s.design()) + "Extra: app @eu\n";
    s.run(Command::Text(text));
    assert_eq!(s.showing, Showing::Mine);
    assert_eq!(s.retired, vec![mine()]);
}

#[test]
fn undo_never_crosses_from_one_design_to_another() {
    let mut s = Session::new(data(), data().blank_design());
    add_app(&mut s);
    assert!(s.can_undo());
    s.run(Command::LoadReference);
    assert!(
        !s.can_undo(),
        "undo would show the reader's design as the reference"
    );
    s.run(Command::BackToMine);
    assert!(
        !s.can_undo(),
        "undo would put the reference over the reader's design"
    );
    assert_eq!(*s.design(), mine());
}

#[test]
fn another_tabs_version_replaces_this_one_and_retires_it() {
    let mut s = Session::new(data(), mine());
    let c = s.run(Command::External(shared()));
    assert!(c.design);
    assert_eq!(*s.design(), shared());
    assert_eq!(s.retired, vec![mine()]);
    assert!(s.notice.as_deref().unwrap().contains("another tab"));
    // While the reference is shown, it becomes what "Back to my design" returns to.
    let mut s = Session::new(data(), mine());
    s.run(Command::LoadReference);
    let c = s.run(Command::External(data().blank_design()));
    assert!(!c.design);
    s.run(Command::BackToMine);
    assert_eq!(*s.design(), data().blank_design());
}

#[test]
fn restoring_a_version_retires_the_current_one() {
    let mut s = Session::new(data(), mine());
    s.run(Command::Restore(shared()));
    assert_eq!(*s.design(), shared());
    assert_eq!(s.retired, vec![mine()]);
    // The blank design is not worth keeping.
    let mut s = Session::new(data(), data().blank_design());
    s.run(Command::Restore(shared()));
    assert!(s.retired.is_empty());
}

#[test]
fn a_link_pasted_into_the_open_page_is_shown_apart() {
    let mut s = Session::new(data(), mine());
    s.run(Command::OpenShared(shared()));
    assert_eq!(s.showing, Showing::Shared);
    assert_eq!(*s.mine(), mine());
    s.run(Command::BackToMine);
    assert_eq!(*s.design(), mine());
    assert!(s.retired.is_empty());
}
