//! The corpus of bad inputs: each case must fail with exactly the errors (file,
//! line, column, message) recorded beside it.
//!
//! Layout: `tests/bad_inputs/<kind>/<case>` with `<case>.expect` holding one
//! `LINE:COL: message` (or `FILE:LINE:COL: message` for whole-course cases)
//! per line. Run with `BLESS=1` to rewrite the expectations after a deliberate
//! change to a message, then review the diff.

mod support;

use std::path::{Path, PathBuf};

use meridian::config::BookConfig;
use meridian::diagnostics::LocatedError;
use meridian::import::import_seed;
use meridian::load::{check_problem_file, load_course};
use meridian_engine::{Catalog, Regions};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

fn real_data<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("problems")
        .join(name);
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn cases(kind: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus().join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            if ext.is_empty() {
                p.is_dir()
            } else {
                p.extension().is_some_and(|x| x == ext)
            }
        })
        .collect();
    v.sort();
    v
}

fn check_all(kind: &str, ext: &str, min: usize, run: impl Fn(&Path) -> Vec<String>) {
    let cases = cases(kind, ext);
    assert!(
        cases.len() >= min,
        "expected at least {min} {kind} cases, found {}",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let actual = run(case);
            assert!(
                !actual.is_empty(),
                "{} produced no error at all",
                case.display()
            );
            support::compare_with_expect(case, &actual)
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn short(e: &LocatedError) -> String {
    format!("{}:{}: {}", e.line, e.column, e.message)
}

#[test]
fn bad_problem_files() {
    let catalog: Catalog = real_data("catalog.yaml");
    let regions: Regions = real_data("regions.yaml");
    check_all("problem", "yaml", 25, |case| {
        let text = std::fs::read_to_string(case).unwrap();
        // Cases are checked as if they were the course's first problem, `x`.
        match check_problem_file("problems/multiregion/01-x.yaml", &text, &catalog, &regions) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(short).collect(),
        }
    });
}

#[test]
fn bad_book_toml() {
    check_all("book", "toml", 5, |case| {
        let text = std::fs::read_to_string(case).unwrap();
        match BookConfig::parse(&text, "book.toml") {
            Ok(_) => Vec::new(),
            Err(e) => vec![short(&e)],
        }
    });
}

#[test]
fn bad_seeds() {
    let catalog: Catalog = real_data("catalog.yaml");
    let regions: Regions = real_data("regions.yaml");
    check_all("seed", "md", 10, |case| {
        let text = std::fs::read_to_string(case).unwrap();
        match import_seed(&text, "seed.md", &catalog, &regions) {
            // A seed that imports is only a case if it warns.
            Ok(imported) => imported
                .warnings
                .iter()
                .map(|w| format!("warning: {}", short(w)))
                .collect(),
            Err(errors) => errors.iter().map(short).collect(),
        }
    });
}

#[test]
fn bad_courses() {
    check_all("course", "", 4, |case| {
        let dir = tempfile::tempdir().unwrap();
        let problems = dir.path().join("problems");
        std::fs::create_dir_all(&problems).unwrap();
        for data in ["catalog.yaml", "regions.yaml"] {
            let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("problems")
                .join(data);
            std::fs::copy(src, problems.join(data)).unwrap();
        }
        support::copy_dir(case, dir.path());
        match load_course(dir.path()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.0.iter().map(|e| e.to_string()).collect(),
        }
    });
}

#[test]
fn the_base_case_is_valid() {
    // Every case is the base plus one defect, so the base itself must pass.
    let catalog: Catalog = real_data("catalog.yaml");
    let regions: Regions = real_data("regions.yaml");
    let text = std::fs::read_to_string(corpus().join("base.yaml")).unwrap();
    check_problem_file("problems/multiregion/01-x.yaml", &text, &catalog, &regions).unwrap();
    let seed = std::fs::read_to_string(corpus().join("seed-base.md")).unwrap();
    let imported = import_seed(&seed, "seed.md", &catalog, &regions).unwrap();
    assert_eq!(imported.problems.len(), 1);
    assert!(imported.warnings.is_empty());
}
