//! One problem file: schema (serde), semantics (engine) and naming rules.

use meridian_engine::validate::{Path, validate_problem};
use meridian_engine::{Catalog, Problem, Regions};

use super::yaml_error;
use super::yaml_index::YamlIndex;
use crate::diagnostics::LocatedError;

/// Parses and checks one problem file. `file` is its path relative to the book
/// root (`problems/<category>/NN-<id>.yaml`), used in errors and for naming rules.
pub fn check_problem_file(
    file: &str,
    text: &str,
    catalog: &Catalog,
    regions: &Regions,
) -> Result<Problem, Vec<LocatedError>> {
    let problem: Problem = serde_yaml::from_str(text).map_err(|e| vec![yaml_error(file, &e)])?;
    // Locations are only needed to report an error: a valid file (every
    // file of a good build) is parsed once, not twice.
    let index = Lazy::new(text);
    let mut errors: Vec<LocatedError> = validate_problem(&problem, catalog, regions)
        .into_iter()
        .map(|d| {
            let (line, column) = index.locate(&d.path);
            LocatedError::new(file, line, column, d.message)
        })
        .collect();
    errors.extend(naming_errors(file, &problem, &index));
    errors.sort_by_key(|e| (e.line, e.column));
    if errors.is_empty() {
        Ok(problem)
    } else {
        Err(errors)
    }
}

/// The file's [`YamlIndex`], built the first time a location is asked for.
struct Lazy<'a> {
    text: &'a str,
    index: std::cell::OnceCell<YamlIndex>,
}

impl<'a> Lazy<'a> {
    fn new(text: &'a str) -> Lazy<'a> {
        Lazy {
            text,
            index: std::cell::OnceCell::new(),
        }
    }

    fn locate(&self, path: &Path) -> (usize, usize) {
        self.index
            .get_or_init(|| YamlIndex::build(self.text))
            .locate(path)
    }
}

/// The file name must be `NN-<id>.yaml` and its folder the problem's category,
/// so that files sort in course order and authors find a problem by its id.
fn naming_errors(file: &str, p: &Problem, index: &Lazy<'_>) -> Vec<LocatedError> {
    let mut out = Vec::new();
    let mut parts = file.rsplit('/');
    let name = parts.next().unwrap_or(file);
    let folder = parts.next();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let expected = format!("{:02}-{}", p.number, p.id);
    if stem != expected {
        let (line, column) = index.locate(&Path::root().key("id"));
        out.push(LocatedError::new(
            file,
            line,
            column,
            format!("expected the file to be named `{expected}.yaml` after its number and id, found `{name}`"),
        ));
    }
    if let Some(folder) = folder
        && folder != p.category
    {
        let (line, column) = index.locate(&Path::root().key("category"));
        out.push(LocatedError::new(
            file,
            line,
            column,
            format!(
                "category `{}` does not match the folder `{folder}` the file is in",
                p.category
            ),
        ));
    }
    out
}
