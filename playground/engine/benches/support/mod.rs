//! What the engine's benches share: the course's catalog, regions and
//! problems, read from `problems/` with serde_yaml (the engine has no YAML
//! reader of its own; benches may use one).

use std::path::PathBuf;

use meridian_engine::sim::SimInput;
use meridian_engine::{Catalog, Problem, Regions, Topology};

fn problems_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../problems")
}

fn read<T: serde::de::DeserializeOwned>(path: PathBuf) -> T {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The catalog, the regions, and every problem in file (course) order.
pub fn course() -> (Catalog, Regions, Vec<Problem>) {
    let catalog: Catalog = read(problems_dir().join("catalog.yaml"));
    let regions: Regions = read(problems_dir().join("regions.yaml"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(problems_dir().join("multiregion"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    (catalog, regions, files.into_iter().map(read).collect())
}

/// The simulator's input for `topology` under problem `p`; None when the
/// problem has no workload (nothing to simulate).
// Each bench compiles this module on its own; the layout bench draws and
// never simulates.
#[allow(dead_code)]
pub fn input<'a>(
    p: &'a Problem,
    topology: &'a Topology,
    catalog: &'a Catalog,
    regions: &'a Regions,
) -> Option<SimInput<'a>> {
    Some(SimInput {
        topology,
        workload: p.workload.as_ref()?,
        targets: &p.targets,
        tiers: &p.tiers,
        constants: &p.constants,
        catalog,
        regions,
    })
}
