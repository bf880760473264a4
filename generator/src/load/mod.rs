//! Loading a course from disk: `book.toml`, the catalog, regions and every
//! problem file, strictly. All errors of all files are collected in one pass.

mod problem_file;
pub mod yaml_index;

use std::path::{Path, PathBuf};

use meridian_engine::validate::{CourseEntry, validate_course};
use meridian_engine::{Catalog, Problem, Regions};
use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::config::BookConfig;
use crate::diagnostics::{Errors, LocatedError, display_path};
pub use problem_file::check_problem_file;
use yaml_index::YamlIndex;

/// Everything a build needs from the problems folder, validated.
#[derive(Debug, Clone)]
pub struct Course {
    pub root: PathBuf,
    pub config: BookConfig,
    pub catalog: Catalog,
    pub regions: Regions,
    /// Sorted by category folder, then number.
    pub problems: Vec<LoadedProblem>,
}

#[derive(Debug, Clone)]
pub struct LoadedProblem {
    /// Relative to the book root, with forward slashes: `problems/multiregion/01-basic-multi-region.yaml`.
    pub file: String,
    pub problem: Problem,
}

/// Reads `book.toml` and the problems under `root`.
pub fn load_course(root: &Path) -> Result<Course, Errors> {
    let config = BookConfig::load(root).map_err(|e| Errors(vec![e]))?;
    load_course_with(root, config)
}

/// Loads the problems with an already-read configuration.
pub fn load_course_with(root: &Path, config: BookConfig) -> Result<Course, Errors> {
    let mut errors = Vec::new();
    let problems_dir = root.join(&config.book.problems);
    let catalog_path = problems_dir.join("catalog.yaml");
    let catalog: Option<Catalog> = read_yaml(root, &catalog_path, &mut errors).map(|(c, text)| {
        check_catalog(&c, &display_path(&catalog_path, root), &text, &mut errors);
        c
    });
    let regions: Option<Regions> =
        read_yaml(root, &problems_dir.join("regions.yaml"), &mut errors).map(|(r, _)| r);

    let mut problems = Vec::new();
    let files = problem_files(root, &problems_dir, &mut errors);
    if let (Some(catalog), Some(regions)) = (&catalog, &regions) {
        // Each file is read and checked on its own, so on every core; the
        // results are gathered in file order, so errors come out the same
        // whatever the threads did.
        let read: Vec<(String, Result<Problem, Vec<LocatedError>>)> = files
            .par_iter()
            .map(|path| {
                let rel = display_path(path, root);
                let problem = read_problem(path, &rel, catalog, regions);
                (rel, problem)
            })
            .collect();
        for (rel, result) in read {
            match result {
                Ok(problem) => problems.push(LoadedProblem { file: rel, problem }),
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    errors.append(&mut course_errors(root, &problems));

    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    problems.sort_by(|a, b| {
        let dir = |p: &LoadedProblem| p.file.rsplit_once('/').map(|(d, _)| d.to_string());
        dir(a)
            .cmp(&dir(b))
            .then(a.problem.number.cmp(&b.problem.number))
    });
    Ok(Course {
        root: root.to_path_buf(),
        config,
        catalog: catalog.expect("no errors means the catalog loaded"),
        regions: regions.expect("no errors means the regions loaded"),
        problems,
    })
}

/// A whole YAML data file (the catalog, the regions) for commands that need
/// it alone; a syntax or schema error names the file, line and column.
pub(crate) fn read_data<T: DeserializeOwned>(path: &Path, root: &Path) -> anyhow::Result<T> {
    use anyhow::Context;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_yaml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}", yaml_error(&display_path(path, root), &e)))
}

/// Reads and checks one problem file; `rel` is how errors name it.
pub(crate) fn read_problem(
    path: &Path,
    rel: &str,
    catalog: &Catalog,
    regions: &Regions,
) -> Result<Problem, Vec<LocatedError>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![LocatedError::whole_file(
            rel.to_string(),
            format!("cannot read: {e}"),
        )]
    })?;
    check_problem_file(rel, &text, catalog, regions)
}

/// The rules across problems (unique ids and numbers), each error located
/// in its file.
pub(crate) fn course_errors(root: &Path, problems: &[LoadedProblem]) -> Vec<LocatedError> {
    let entries: Vec<CourseEntry<'_>> = problems
        .iter()
        .map(|p| CourseEntry {
            file: &p.file,
            problem: &p.problem,
        })
        .collect();
    validate_course(&entries)
        .into_iter()
        .map(|d| {
            let text = std::fs::read_to_string(root.join(&d.file)).unwrap_or_default();
            let (line, column) = YamlIndex::build(&text).locate(&d.diagnostic.path);
            LocatedError::new(d.file, line, column, d.diagnostic.message)
        })
        .collect()
}

/// Every `*.yaml` in each category folder under `problems/`, in name order.
pub(crate) fn problem_files(
    root: &Path,
    dir: &Path,
    errors: &mut Vec<LocatedError>,
) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(LocatedError::whole_file(
                display_path(dir, root),
                format!("cannot read the problems folder: {e}"),
            ));
            return out;
        }
    };
    let mut categories: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    categories.sort();
    for cat in categories {
        let Ok(files) = std::fs::read_dir(&cat) else {
            continue;
        };
        let mut files: Vec<PathBuf> = files
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// Reads and strictly deserializes a YAML data file, recording a located error on failure.
fn read_yaml<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    errors: &mut Vec<LocatedError>,
) -> Option<(T, String)> {
    let rel = display_path(path, root);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(LocatedError::whole_file(rel, format!("cannot read: {e}")));
            return None;
        }
    };
    match serde_yaml::from_str(&text) {
        Ok(v) => Some((v, text)),
        Err(e) => {
            errors.push(yaml_error(&rel, &e));
            None
        }
    }
}

/// A serde_yaml error as a located error, without the location repeated in the message.
pub fn yaml_error(file: &str, e: &serde_yaml::Error) -> LocatedError {
    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    LocatedError::new(file, line, column, msg)
}

/// Aliases must not shadow a type id or another type's alias.
fn check_catalog(catalog: &Catalog, file: &str, text: &str, errors: &mut Vec<LocatedError>) {
    use std::collections::HashMap;
    let idx = YamlIndex::build(text);
    let base = meridian_engine::validate::Path::root().key("types");
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (id, t) in &catalog.types {
        for (i, alias) in t.aliases.iter().enumerate() {
            let path = base.key(id).key("aliases").index(i);
            let clash = if catalog.contains(alias) {
                Some(alias.as_str())
            } else {
                seen.get(alias.as_str()).copied()
            };
            if let Some(other) = clash {
                let (line, column) = idx.locate(&path);
                errors.push(LocatedError::new(
                    file,
                    line,
                    column,
                    format!("alias `{alias}` of `{id}` is already a name of `{other}`"),
                ));
            }
            seen.insert(alias, id);
        }
        check_sim(id, &t.sim, &base.key(id).key("sim"), &idx, file, errors);
    }
}

/// Every simulator figure must be in range and carry a source note.
fn check_sim(
    id: &str,
    sim: &meridian_engine::catalog::SimParams,
    path: &meridian_engine::validate::Path,
    idx: &YamlIndex,
    file: &str,
    errors: &mut Vec<LocatedError>,
) {
    let mut err = |field: &str, msg: String| {
        let (line, column) = idx.locate(&path.key(field));
        errors.push(LocatedError::new(file, line, column, msg));
    };
    if sim.concurrency == 0 {
        err(
            "concurrency",
            format!("`{id}`: expected a concurrency of 1 or more"),
        );
    }
    if !(sim.service_ms > 0.0 && sim.service_ms.is_finite()) {
        err(
            "service_ms",
            format!("`{id}`: expected a positive service time in ms"),
        );
    }
    if !(sim.service_cv >= 0.0 && sim.service_cv.is_finite()) {
        err(
            "service_cv",
            format!("`{id}`: expected a coefficient of variation of 0 or more"),
        );
    }
    if !(sim.cost_per_hour >= 0.0 && sim.cost_per_hour.is_finite()) {
        err(
            "cost_per_hour",
            format!("`{id}`: expected a cost per hour of 0 or more"),
        );
    }
    if !(sim.availability > 0.0 && sim.availability <= 1.0) {
        err(
            "availability",
            format!(
                "`{id}`: expected an availability in (0, 1], found {}",
                sim.availability
            ),
        );
    }
    if let Some(r) = sim.repair_s
        && !(r >= 0.0 && r.is_finite())
    {
        err(
            "repair_s",
            format!("`{id}`: expected a repair time of 0 s or more, found {r}"),
        );
    }
    if let Some(h) = sim.hit_ratio
        && !(0.0..=1.0).contains(&h)
    {
        err(
            "hit_ratio",
            format!("`{id}`: expected a hit ratio in [0, 1], found {h}"),
        );
    }
    for figure in sim.figures() {
        if sim.sources.get(figure).is_none_or(|s| s.trim().is_empty()) {
            err(
                "sources",
                format!("`{id}`: the figure `{figure}` has no source note in `sim.sources`"),
            );
        }
    }
}
