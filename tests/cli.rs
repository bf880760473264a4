//! The `meridian` binary as users run it: exit codes, JSON output, and the
//! promise that a failed build leaves the previous output untouched.

mod support;

use std::path::Path;

use support::course::{course_copy, meridian, root};

#[test]
fn check_json_lists_35_problems_with_clean_diagrams() {
    let out = meridian(&["check", "--format", "json"], &root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let problems = doc["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 35);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0);
    for p in problems {
        for key in [
            "id",
            "number",
            "title",
            "file",
            "tiers",
            "reference",
            "diagram",
        ] {
            assert!(!p[key].is_null(), "{} lacks {key}", p["id"]);
        }
        let d = &p["diagram"];
        assert_eq!(d["overlaps"], 0, "{}", p["id"]);
        assert_eq!(d["edges_through_nodes"], 0, "{}", p["id"]);
        assert_eq!(
            d["nodes"].as_u64().unwrap() as usize,
            p["reference"]["components"].as_array().unwrap().len()
        );
        assert_eq!(
            d["edges"].as_u64().unwrap() as usize,
            p["reference"]["connections"].as_array().unwrap().len()
        );
        assert!(
            p["tiers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["rules"].as_array().is_some_and(|r| !r.is_empty()))
        );
        // A reference solution passes every tier of its own problem (a
        // design change that breaks one shows only in the browser test).
        for t in p["tiers"].as_array().unwrap() {
            assert_eq!(t["passed"], true, "{}: {t}", p["id"]);
        }
    }
    assert_eq!(
        problems[0]["file"],
        "problems/multiregion/01-basic-multi-region.yaml"
    );
}

#[test]
fn check_reports_every_error_of_every_file_and_fails() {
    let dir = course_copy();
    let p1 = dir
        .path()
        .join("problems/multiregion/01-basic-multi-region.yaml");
    let p2 = dir
        .path()
        .join("problems/multiregion/02-active-active-regions.yaml");
    let t1 = std::fs::read_to_string(&p1).unwrap().replace(
        "  - from: US DB\n    to: EU DB",
        "  - from: US DB\n    to: Nowhere",
    );
    std::fs::write(&p1, t1).unwrap();
    let t2 =
        std::fs::read_to_string(&p2)
            .unwrap()
            .replacen("    type: lb\n", "    type: balancer\n", 1);
    std::fs::write(&p2, t2).unwrap();

    let out = meridian(&["check"], dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("problems/multiregion/01-basic-multi-region.yaml:"),
        "{stderr}"
    );
    assert!(stderr.contains("connection to `Nowhere`"), "{stderr}");
    assert!(
        stderr.contains("problems/multiregion/02-active-active-regions.yaml:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown component type `balancer`"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");

    let out = meridian(&["check", "--format", "json"], dir.path());
    assert!(!out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    for e in errors {
        assert!(
            e["line"].as_u64().unwrap() > 0 && e["column"].as_u64().unwrap() > 0,
            "{e}"
        );
    }
}

#[test]
fn a_failed_build_leaves_the_last_good_output() {
    let dir = course_copy();
    let out = meridian(&["build", "--no-playground"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("total"),
        "build prints its timings: {stdout}"
    );
    let index = dir.path().join("site/index.html");
    let before = std::fs::read(&index).unwrap();
    let pages_before = count_files(&dir.path().join("site"));

    // A chapter listed in SUMMARY.md that does not exist fails the render step.
    let summary = dir.path().join("content/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap() + "- [Missing](missing-chapter.md)\n";
    std::fs::write(&summary, text).unwrap();
    let out = meridian(&["build", "--no-playground"], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing-chapter.md"));
    assert_eq!(std::fs::read(&index).unwrap(), before);
    assert_eq!(count_files(&dir.path().join("site")), pages_before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An invalid problem fails validation before anything is written.
    std::fs::write(
        &summary,
        std::fs::read_to_string(root().join("content/SUMMARY.md")).unwrap(),
    )
    .unwrap();
    let p = dir.path().join("problems/multiregion/03-global-cdn.yaml");
    std::fs::write(
        &p,
        std::fs::read_to_string(&p)
            .unwrap()
            .replacen("region: us", "region: moon", 1),
    )
    .unwrap();
    let out = meridian(&["build", "--no-playground"], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown region `moon`"));
    assert_eq!(std::fs::read(&index).unwrap(), before);
}

/// `build` compiles the playground into hash-named files that every problem
/// page loads; a second build with nothing changed reuses bindgen's output;
/// `--no-playground` leaves it out and the pages say nothing of it.
#[test]
fn build_ships_the_playground_and_caches_bindgen() {
    let dir = course_copy();
    let first = meridian(&["build"], dir.path());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = meridian(&["build"], dir.path());
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let report = String::from_utf8_lossy(&second.stdout);
    let line = report
        .lines()
        .find(|l| l.starts_with("Playground:"))
        .unwrap_or_else(|| panic!("no size report in {report}"));
    assert!(
        line.contains("KB gzipped") && line.contains("bindgen cached"),
        "{line}"
    );

    let files: Vec<String> = std::fs::read_dir(dir.path().join("site/playground"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let named = |ext: &str| {
        files
            .iter()
            .find(|f| {
                f.starts_with("meridian_web-")
                    && f.ends_with(ext)
                    && f.len() == "meridian_web-".len() + 12 + ext.len()
            })
            .unwrap_or_else(|| panic!("no hash-named {ext} in {files:?}"))
            .clone()
    };
    let (js, wasm) = (named(".js"), named(".wasm"));
    let glue = std::fs::read_to_string(dir.path().join("site/playground").join(&js)).unwrap();
    assert!(
        glue.contains(&wasm),
        "the glue's default URL names the hashed wasm"
    );
    let page =
        std::fs::read_to_string(dir.path().join("site/problems/basic-multi-region.html")).unwrap();
    assert!(page.contains(&format!("data-module=\"../playground/{js}\"")));
    assert!(page.contains("id=\"playground-data\""));
    assert!(!page.contains("<script>"), "no inline scripts (CSP)");

    let out = meridian(&["build", "--no-playground"], dir.path());
    assert!(out.status.success());
    assert!(!dir.path().join("site/playground").exists());
    let page =
        std::fs::read_to_string(dir.path().join("site/problems/basic-multi-region.html")).unwrap();
    assert!(!page.contains("id=\"playground\""));
    assert!(
        page.contains("id=\"simulation\""),
        "prerendered results stay"
    );
}

#[test]
fn build_dest_dir_flag() {
    let dir = course_copy();
    let dest = dir.path().join("elsewhere/out");
    let out = meridian(
        &["build", "--no-playground", "-d", dest.to_str().unwrap()],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dest.join("index.html").exists());
    assert!(!dir.path().join("site").exists());
}

#[test]
fn import_cli_refuses_to_overwrite() {
    let dir = course_copy();
    let seed = root().join("tests/fixtures/seed/multiregion.md");
    let out_dir = dir.path().join("problems/multiregion");
    let out = meridian(
        &[
            "import",
            seed.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let fresh = dir.path().join("problems/fresh");
    let out = meridian(
        &[
            "import",
            seed.to_str().unwrap(),
            "--out",
            fresh.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_dir(&fresh).unwrap().count(), 35);
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { count_files(&p) } else { 1 })
        .sum()
}

/// `meridian … | head -c 100`: the reader goes away before the command has
/// printed. Every printing command ends quietly with status 0, as Unix tools
/// do (it panicked with "failed printing to stdout: Broken pipe", status 101).
#[test]
fn a_closed_pipe_is_a_normal_end() {
    use std::process::{Command, Stdio};
    let simulate = root().join("problems/multiregion/01-basic-multi-region.yaml");
    let commands: [&[&str]; 4] = [
        &["check", "--format", "json"],
        &["check"],
        &["simulate", simulate.to_str().unwrap()],
        &["simulate", simulate.to_str().unwrap(), "--format", "json"],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meridian"))
            .args(args)
            .arg("--root")
            .arg(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the meridian binary runs");
        // Close the read end before the command prints anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Problem 1's design uses us and eu (and a global GeoDNS): `simulate` and
/// `check --format json` name no other region ("Region ap lost: RTO 0 s"
/// was listed before).
#[test]
fn only_the_designs_regions_are_listed() {
    let file = root().join("problems/multiregion/01-basic-multi-region.yaml");
    let out = meridian(&["simulate", file.to_str().unwrap()], &root());
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Region us lost"), "{text}");
    assert!(text.contains("Region eu lost"), "{text}");
    assert!(!text.contains("Region ap"), "{text}");
    let out = meridian(&["check", "--format", "json"], &root());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &doc["problems"][0];
    assert_eq!(first["number"], 1);
    let json = first.to_string();
    assert!(json.contains("Region eu lost"), "{json}");
    assert!(!json.contains("Region ap"), "{json}");
}
