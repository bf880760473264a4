//! `meridian new <category>/<id>` on a copy of the real course: the scaffold
//! passes `check`, builds into a page the navigation links to, and refuses
//! bad names and overwrites.

mod support;

use std::process::Output;

use support::course::{course_copy, meridian, root};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// The highest problem number in the real course.
fn max_number() -> u32 {
    let dir = root().join("problems");
    let mut max = 0;
    for cat in std::fs::read_dir(&dir).unwrap().flatten() {
        if !cat.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(cat.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if let Some(n) = name.split('-').next().and_then(|n| n.parse::<u32>().ok()) {
                max = max.max(n);
            }
        }
    }
    max
}

#[test]
fn new_scaffolds_a_problem_that_checks_and_builds() {
    let dir = course_copy();
    let out = meridian(
        &[
            "new",
            "multiregion/my-new-problem",
            "--title",
            "My new problem",
        ],
        dir.path(),
    );
    assert_ok(&out);
    let number = max_number() + 1;
    let rel = format!("problems/multiregion/{number:02}-my-new-problem.yaml");
    let path = dir.path().join(&rel);
    assert!(path.is_file(), "{rel} is written");
    let text = std::fs::read_to_string(&path).unwrap();
    let said = stdout(&out);
    assert!(said.contains(&rel), "prints the path: {said}");
    assert!(said.contains("meridian check"), "prints next steps: {said}");

    // Every field, with comments; types and regions listed from the data files.
    for field in [
        "id: my-new-problem",
        &format!("number: {number}"),
        "title: My new problem",
        "category: multiregion",
        "difficulty: easy",
        "summary:",
        "goal:",
        "description:",
        "functional_requirements:",
        "non_functional_requirements:",
        "constants:",
        "available_components:",
        "hints:",
        "tiers:",
        "workload:",
        "targets:",
        "reference:",
        "  explanation:",
        "  components:",
        "  connections:",
        "  notes:",
        "# analysis:",
    ] {
        assert!(text.contains(field), "{field} in\n{text}");
    }
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 40
    );
    for listed in [
        "#   db_replica",
        "#   object_store",
        "Asia Pacific (Tokyo)",
        "easy, foundation, intermediate, advanced",
        "min_count",
        "must_include",
        "unchecked",
    ] {
        assert!(text.contains(listed), "{listed} in the comments");
    }

    let check = meridian(&["check"], dir.path());
    assert_ok(&check);
    let json = meridian(&["check", "--format", "json"], dir.path());
    assert_ok(&json);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0);
    let problems = doc["problems"].as_array().unwrap();
    let p = problems
        .iter()
        .find(|p| p["id"] == "my-new-problem")
        .expect("check lists the new problem");
    assert_eq!(p["file"], rel.as_str());
    assert_eq!(p["number"], number);
    let tiers = p["tiers"].as_array().unwrap();
    assert!(tiers.len() >= 2);
    assert!(tiers.iter().all(|t| t["passed"] == true), "{tiers:?}");
    let targets = p["targets"].as_array().unwrap();
    assert!(!targets.is_empty());
    assert!(targets.iter().all(|t| t["passed"] != false), "{targets:?}");

    let build = meridian(&["build", "--no-playground"], dir.path());
    assert_ok(&build);
    let site = dir.path().join("site");
    let page = std::fs::read_to_string(site.join("problems/my-new-problem.html")).unwrap();
    assert!(page.contains("My new problem"));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("href=\"problems/my-new-problem.html\""));
    let other = std::fs::read_to_string(site.join("problems/basic-multi-region.html")).unwrap();
    assert!(
        other.contains("my-new-problem.html"),
        "the sidebar of every page lists it"
    );
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let dir = course_copy();
    let args = ["new", "multiregion/my-new-problem"];
    assert_ok(&meridian(&args, dir.path()));
    let rel = format!(
        "problems/multiregion/{:02}-my-new-problem.yaml",
        max_number() + 1
    );
    let path = dir.path().join(&rel);
    std::fs::write(&path, "edited by an author\n").unwrap();

    let again = meridian(&args, dir.path());
    assert!(!again.status.success());
    let err = stderr(&again);
    assert!(err.contains(&rel) && err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "edited by an author\n",
        "left untouched"
    );

    let forced = meridian(
        &[
            "new",
            "multiregion/my-new-problem",
            "--force",
            "--difficulty",
            "advanced",
        ],
        dir.path(),
    );
    assert_ok(&forced);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("difficulty: advanced"),
        "overwritten, same number"
    );
    assert_ok(&meridian(&["check"], dir.path()));

    // Ids are unique across the course: another category cannot reuse it, even with --force.
    let elsewhere = meridian(&["new", "storage/my-new-problem", "--force"], dir.path());
    assert!(!elsewhere.status.success());
    assert!(
        stderr(&elsewhere).contains("already used by"),
        "{}",
        stderr(&elsewhere)
    );
}

#[test]
fn new_rejects_bad_names_with_a_clear_message() {
    let dir = course_copy();
    for (target, says) in [
        ("Bad Id", "expected `<category>/<id>`"),
        ("multiregion/Bad Id", "expected an id of lowercase letters"),
        ("../x", "expected a category"),
        ("multiregion/../x", "with one `/`"),
        ("Multi/x", "expected a category"),
    ] {
        let out = meridian(&["new", target], dir.path());
        assert!(!out.status.success(), "{target} is refused");
        assert!(stderr(&out).contains(says), "{target}: {}", stderr(&out));
    }
    let out = meridian(
        &["new", "multiregion/x", "--difficulty", "hard"],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("easy, foundation, intermediate, advanced"));
    // Nothing was written.
    assert_ok(&meridian(&["check"], dir.path()));
    assert!(!dir.path().join("problems/x").exists());
}

#[test]
fn new_creates_a_category_folder() {
    let dir = course_copy();
    let out = meridian(
        &[
            "new",
            "storage/blob-replication",
            "--difficulty",
            "intermediate",
        ],
        dir.path(),
    );
    assert_ok(&out);
    let rel = format!(
        "problems/storage/{:02}-blob-replication.yaml",
        max_number() + 1
    );
    let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
    assert!(text.contains("category: storage"));
    assert!(
        text.contains("title: Blob replication"),
        "title from the id"
    );
    let json = meridian(&["check", "--format", "json"], dir.path());
    assert_ok(&json);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        doc["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == rel.as_str())
    );

    // Numbers keep counting across categories.
    assert_ok(&meridian(&["new", "multiregion/next-one"], dir.path()));
    let next = format!("problems/multiregion/{:02}-next-one.yaml", max_number() + 2);
    assert!(dir.path().join(&next).is_file(), "{next}");
    assert_ok(&meridian(&["check"], dir.path()));
}
