//! `meridian import`: converts the source platform's markdown into problem YAML.

pub mod derive;
mod lines;
pub mod regions;
pub mod routing;
pub mod seed;

use std::path::{Path, PathBuf};

use meridian_engine::{Catalog, Problem, Regions};

use crate::diagnostics::LocatedError;

/// Problems parsed from a seed, with regions inferred, and the warnings met.
pub struct Imported {
    pub problems: Vec<Problem>,
    pub warnings: Vec<LocatedError>,
}

/// Parses a seed, infers the regions of reference components, marks the
/// `cdn` components that only route (GeoDNS, anycast, routers: `hit_ratio: 0`,
/// see [`routing`]) and derives each problem's workload and targets.
pub fn import_seed(
    text: &str,
    file: &str,
    catalog: &Catalog,
    regions: &Regions,
) -> Result<Imported, Vec<LocatedError>> {
    let parsed = seed::parse_seed(text, file, catalog)?;
    // Regions are inferred as us/eu/ap/global; the fallback is the course's first regional lane.
    let fallback = regions
        .regions
        .iter()
        .find(|(_, r)| !r.spans_regions)
        .map(|(id, _)| id.as_str())
        .unwrap_or("us");
    let fallback: &'static str = match fallback {
        "eu" => "eu",
        "ap" => "ap",
        _ => "us",
    };
    let mut problems = parsed.problems;
    for p in &mut problems {
        let conns = p.reference.connections.clone();
        regions::assign_regions(&mut p.reference.components, &conns, fallback);
        routing::mark_routers(&mut p.reference.components);
        let (workload, targets) = derive::derive(p);
        p.workload = Some(workload);
        p.targets = targets;
    }
    Ok(Imported {
        problems,
        warnings: parsed.warnings,
    })
}

/// The file a problem is written to: `NN-<id>.yaml`.
pub fn file_name(p: &Problem) -> String {
    format!("{:02}-{}.yaml", p.number, p.id)
}

/// The YAML text of a problem, as committed.
pub fn to_yaml(p: &Problem) -> String {
    let body = serde_yaml::to_string(p).expect("problem specs always serialize");
    format!(
        "# Imported from the source platform's markdown by `meridian import`;\n\
         # regions, workload and targets reviewed by hand; changes to the\n\
         # reference solution are explained in `reference.notes`.\n{body}"
    )
}

/// Writes each problem into `out`. Refuses, writing nothing, if any target file
/// exists and `force` is false: authors edit these files after import.
pub fn write_problems(
    out: &Path,
    problems: &[Problem],
    force: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context;
    let targets: Vec<PathBuf> = problems.iter().map(|p| out.join(file_name(p))).collect();
    if !force {
        let existing: Vec<String> = targets
            .iter()
            .filter(|t| t.exists())
            .map(|t| t.display().to_string())
            .collect();
        if !existing.is_empty() {
            anyhow::bail!(
                "{} file(s) already exist and were left untouched (use --force to overwrite):\n  {}",
                existing.len(),
                existing.join("\n  ")
            );
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (p, t) in problems.iter().zip(&targets) {
        std::fs::write(t, to_yaml(p)).with_context(|| format!("cannot write {}", t.display()))?;
    }
    Ok(targets)
}
