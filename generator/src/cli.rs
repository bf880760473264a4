//! What each subcommand does, kept out of `main.rs` so tests can call it.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::build::build_site_cached;
use crate::cache::Cache;
use crate::check::check_report;
use crate::diagnostics::{Errors, display_path};
use crate::import::{import_seed, write_problems};
use crate::load::load_course;

pub fn build(
    root: &Path,
    dest: Option<&Path>,
    playground: bool,
    cache: bool,
) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let course = match load_course(root) {
        Ok(c) => c,
        Err(errors) => return Ok(report_errors(&errors)),
    };
    let load_time = started.elapsed();
    let out = match dest {
        Some(d) => d.to_path_buf(),
        None => root.join(&course.config.build.build_dir),
    };
    let bundle = if playground {
        let started = Instant::now();
        let b = crate::bundle::build(&crate::bundle::source_root())?;
        outln!(
            "Playground: {} {} KB ({} KB gzipped), {} {} KB ({} KB gzipped){} in {:.1} s",
            b.wasm_name,
            kb(b.wasm.len()),
            kb(b.wasm_gzip),
            b.js_name,
            kb(b.js.len()),
            kb(b.js_gzip),
            if b.fresh { "" } else { ", bindgen cached" },
            started.elapsed().as_secs_f64()
        );
        Some(b)
    } else {
        None
    };
    let cache = if cache {
        Cache::open(root)
    } else {
        Cache::off()
    };
    let report = build_site_cached(&course, &out, bundle.as_ref(), cache)?;
    outln!(
        "Built {} pages ({} problems, {} chapters, {} listing pages) and {} assets into {}",
        report.pages,
        report.problems,
        report.chapters,
        report.listings,
        report.assets,
        out.display()
    );
    if report.reused > 0 {
        outln!(
            "  {} of {} problems' results reused from the last build (--no-cache evaluates them again)",
            report.reused,
            report.problems
        );
    }
    outln!(
        "  {:<24} {:>8.1} ms",
        "load and validate",
        load_time.as_secs_f64() * 1e3
    );
    for (step, d) in &report.steps {
        outln!("  {:<24} {:>8.1} ms", step, d.as_secs_f64() * 1e3);
    }
    outln!(
        "  {:<24} {:>8.1} ms",
        "total",
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

pub fn serve(
    root: &Path,
    port: u16,
    open: bool,
    playground: bool,
    dest: Option<std::path::PathBuf>,
) -> anyhow::Result<ExitCode> {
    let options = crate::serve::Options {
        port,
        open,
        playground,
        dest,
    };
    crate::serve::serve(root, &options)
}

fn kb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

pub fn check(root: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let report = check_report(root);
    let ok = report.errors.is_empty();
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else if ok {
        outln!("{} problems, 0 errors", report.problems.len());
    } else {
        eprintln!("{}", Errors(report.errors.clone()));
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub fn import(root: &Path, seed: &Path, out: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let course_config =
        crate::config::BookConfig::load(root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let problems_dir = root.join(&course_config.book.problems);
    let catalog = crate::load::read_data(&problems_dir.join("catalog.yaml"), root)?;
    let regions = crate::load::read_data(&problems_dir.join("regions.yaml"), root)?;
    let text =
        std::fs::read_to_string(seed).with_context(|| format!("cannot read {}", seed.display()))?;
    let file = seed.display().to_string();
    let imported = match import_seed(&text, &file, &catalog, &regions) {
        Ok(i) => i,
        Err(errors) => return Ok(report_errors(&Errors(errors))),
    };
    for w in &imported.warnings {
        eprintln!("warning: {w}");
    }
    let written = write_problems(out, &imported.problems, force)?;
    outln!("Imported {} problems into {}", written.len(), out.display());
    outln!("Review the `region:` of each reference component: they were inferred from names.");
    Ok(ExitCode::SUCCESS)
}

pub fn new(
    root: &Path,
    target: String,
    title: Option<String>,
    difficulty: meridian_engine::Difficulty,
    force: bool,
) -> anyhow::Result<ExitCode> {
    let options = crate::new::Options {
        target,
        title,
        difficulty,
        force,
    };
    crate::new::run(root, &options)?;
    Ok(ExitCode::SUCCESS)
}

pub fn simulate(
    root: &Path,
    problem_file: &Path,
    topology_file: Option<&Path>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use meridian_engine::validate::validate_topology;

    use crate::diagnostics::LocatedError;
    use crate::load::yaml_index::YamlIndex;
    use crate::load::{check_problem_file, yaml_error};

    let config = crate::config::BookConfig::load(root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let problems_dir = root.join(&config.book.problems);
    let catalog = crate::load::read_data(&problems_dir.join("catalog.yaml"), root)?;
    let regions = crate::load::read_data(&problems_dir.join("regions.yaml"), root)?;
    let label = display_path(problem_file, root);
    let text =
        std::fs::read_to_string(problem_file).with_context(|| format!("cannot read {label}"))?;
    let problem = match check_problem_file(&label, &text, &catalog, &regions) {
        Ok(p) => p,
        Err(errors) => return Ok(report_errors(&Errors(errors))),
    };
    let (topology, design) = match topology_file {
        None => (
            problem.reference.topology(),
            "reference solution".to_string(),
        ),
        Some(path) => {
            let tlabel = display_path(path, root);
            let ttext =
                std::fs::read_to_string(path).with_context(|| format!("cannot read {tlabel}"))?;
            let topology: meridian_engine::Topology = match serde_yaml::from_str(&ttext) {
                Ok(t) => t,
                Err(e) => return Ok(report_errors(&Errors(vec![yaml_error(&tlabel, &e)]))),
            };
            let index = YamlIndex::build(&ttext);
            let errors: Vec<LocatedError> = validate_topology(&topology, &catalog, &regions)
                .into_iter()
                .map(|d| {
                    let (line, column) = index.locate(&d.path);
                    LocatedError::new(&tlabel, line, column, d.message)
                })
                .collect();
            if !errors.is_empty() {
                return Ok(report_errors(&Errors(errors)));
            }
            (topology, tlabel)
        }
    };
    let Some(evaluation) =
        crate::simulate::evaluate_design(&problem, &topology, &catalog, &regions)
    else {
        anyhow::bail!("{label} states no `workload`, so there is nothing to simulate");
    };
    if json {
        let doc = serde_json::json!({ "problem": problem.id, "design": design, "evaluation": evaluation });
        outln!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        out!(
            "{}",
            crate::simulate::text_report(&problem, &design, &evaluation)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn report_errors(errors: &Errors) -> ExitCode {
    eprintln!("{errors}");
    ExitCode::FAILURE
}
