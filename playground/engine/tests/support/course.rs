//! The course's 35 published problems, `problems/multiregion/*.yaml`: engine
//! tests run on the data readers see (regions, replicas and notes as reviewed),
//! read with serde_yaml (the engine itself has no YAML parser; tests may).

use meridian_engine::{Problem, Topology};

pub struct CourseProblem {
    pub number: u32,
    pub title: String,
    pub topology: Topology,
    pub problem: Problem,
}

pub fn problems_dir() -> String {
    format!("{}/../../problems/multiregion", env!("CARGO_MANIFEST_DIR"))
}

/// Every problem in course order. Panics (failing the test) when a file is
/// missing or does not parse: never skip silently.
pub fn load() -> Vec<CourseProblem> {
    let dir = problems_dir();
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let problem: Problem =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            CourseProblem {
                number: problem.number,
                title: problem.title.clone(),
                topology: problem.reference.topology(),
                problem,
            }
        })
        .collect()
}
