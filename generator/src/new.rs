//! `meridian new <category>/<id>`: scaffolds a problem file with every field
//! filled with a placeholder that passes `meridian check`, and comments saying
//! what each field is and which values it allows.
//!
//! The component types and regions listed in the comments are read from
//! `problems/catalog.yaml` and `problems/regions.yaml` at run time. Navigation
//! (sidebar, landing page, search) is generated from the problem files, so
//! writing the file is all it takes to list the problem.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use meridian_engine::validate::is_slug;
use meridian_engine::{Catalog, Difficulty, Regions};

use crate::config::BookConfig;
use crate::diagnostics::{Errors, display_path};
use crate::load::check_problem_file;

/// What `meridian new` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// `<category>/<id>`, e.g. `multiregion/my-problem`.
    pub target: String,
    /// Defaults to the id in words: `my-problem` → "My problem".
    pub title: Option<String>,
    pub difficulty: Difficulty,
    /// Overwrite the problem's existing file.
    pub force: bool,
}

/// The file written.
#[derive(Debug, Clone)]
pub struct Created {
    pub path: PathBuf,
    /// `path` relative to the book root, with forward slashes.
    pub file: String,
    pub number: u32,
    pub category: String,
    pub id: String,
    /// True when an existing file was replaced (`--force`).
    pub overwrote: bool,
}

/// The type ids the template's reference solution uses, in request order.
const TEMPLATE_TYPES: [&str; 4] = ["client", "lb", "app", "db_primary"];

/// Parses a difficulty for the command line (`easy`, `foundation`, …).
pub fn parse_difficulty(s: &str) -> Result<Difficulty, String> {
    Difficulty::from_label(s).ok_or_else(|| {
        let names: Vec<&str> = Difficulty::ALL.iter().map(|d| d.as_str()).collect();
        format!("expected one of: {}, found `{s}`", names.join(", "))
    })
}

/// Splits and checks `<category>/<id>`.
pub fn parse_target(target: &str) -> anyhow::Result<(String, String)> {
    let Some((category, id)) = target.split_once('/') else {
        bail!(
            "expected `<category>/<id>`, e.g. `multiregion/my-problem`, found `{target}`: \
             the category is the folder under problems/, the id names the page"
        );
    };
    if !is_slug(category) {
        bail!(
            "expected a category (a folder name under problems/) of lowercase letters, digits \
             and single dashes, e.g. `multiregion`, found `{category}`"
        );
    }
    if id.contains('/') {
        bail!(
            "expected `<category>/<id>` with one `/`, found `{target}`: a category is one folder"
        );
    }
    if !is_slug(id) {
        bail!(
            "expected an id of lowercase letters, digits and single dashes, e.g. \
             `my-problem`, found `{id}`"
        );
    }
    Ok((category.to_string(), id.to_string()))
}

/// `my-new-problem` → "My new problem".
pub fn title_from_id(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A problem file already in the course, as far as `new` needs to know it.
struct Existing {
    path: PathBuf,
    category: String,
    id: Option<String>,
    number: Option<u32>,
}

/// Writes the new problem file under `root` and prints what to do next.
pub fn run(root: &Path, options: &Options) -> anyhow::Result<Created> {
    let created = create(root, options)?;
    outln!(
        "{} {} (problem {}, category `{}`, page problems/{}.html)",
        if created.overwrote {
            "Overwrote"
        } else {
            "Wrote"
        },
        created.file,
        created.number,
        created.category,
        created.id
    );
    outln!(
        "The sidebar, the landing page and search list it from the file itself: no other list to edit."
    );
    outln!("Next steps:");
    outln!("  1. Edit it: replace every placeholder; the comments say what each field allows.");
    outln!("  2. Run `meridian check` (`cargo run -- check`): errors name file, line and column.");
    outln!("  3. Run `meridian serve` or `meridian build` to see the page.");
    Ok(created)
}

/// Writes the new problem file without printing anything.
pub fn create(root: &Path, options: &Options) -> anyhow::Result<Created> {
    let (category, id) = parse_target(&options.target)?;
    let title = options.title.clone().unwrap_or_else(|| title_from_id(&id));
    if title.trim().is_empty() {
        bail!("expected a non-empty --title");
    }
    let config = BookConfig::load(root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let problems_dir = root.join(&config.book.problems);
    let catalog: Catalog = crate::load::read_data(&problems_dir.join("catalog.yaml"), root)?;
    let regions: Regions = crate::load::read_data(&problems_dir.join("regions.yaml"), root)?;

    let existing = existing_problems(&problems_dir)?;
    let same_id: Vec<&Existing> = existing
        .iter()
        .filter(|e| e.id.as_deref() == Some(id.as_str()))
        .collect();
    let mut replaced: Option<&Existing> = None;
    match same_id.as_slice() {
        [] => {}
        [e] if e.category == category => {
            if !options.force {
                bail!(
                    "{} already defines problem `{id}` and was left untouched (use --force to overwrite it)",
                    display_path(&e.path, root)
                );
            }
            replaced = Some(e);
        }
        many => {
            let files: Vec<String> = many.iter().map(|e| display_path(&e.path, root)).collect();
            bail!(
                "problem id `{id}` is already used by {}; ids are unique across the course \
                 (the page is problems/{id}.html), so choose another id",
                files.join(", ")
            );
        }
    }
    let number = match replaced.and_then(|e| e.number) {
        Some(n) if n > 0 => n,
        _ => {
            existing
                .iter()
                .filter(|e| replaced.is_none_or(|r| r.path != e.path))
                .filter_map(|e| e.number)
                .max()
                .unwrap_or(0)
                + 1
        }
    };

    let dir = problems_dir.join(&category);
    let path = dir.join(format!("{number:02}-{id}.yaml"));
    let file = display_path(&path, root);
    let text = render(
        &Template {
            category: &category,
            id: &id,
            number,
            title: title.trim(),
            difficulty: options.difficulty,
            target: &options.target,
        },
        &catalog,
        &regions,
    )?;
    // The template must pass its own check before anything is written.
    if let Err(errors) = check_problem_file(&file, &text, &catalog, &regions) {
        bail!(
            "the generated file would not pass `meridian check`:\n{}",
            Errors(errors)
        );
    }

    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, &text).with_context(|| format!("cannot write {file}"))?;
    if let Some(old) = replaced
        && old.path != path
    {
        std::fs::remove_file(&old.path)
            .with_context(|| format!("cannot remove {}", display_path(&old.path, root)))?;
    }
    Ok(Created {
        path,
        file,
        number,
        category,
        id,
        overwrote: replaced.is_some(),
    })
}

/// Every problem file (as `load` lists them), with its category, id and number read from the
/// file (leniently: a file that does not parse still counts by its name).
fn existing_problems(problems_dir: &Path) -> anyhow::Result<Vec<Existing>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let files = crate::load::problem_files(problems_dir, problems_dir, &mut errors);
    if !errors.is_empty() {
        anyhow::bail!("{}", crate::diagnostics::Errors(errors));
    }
    for path in files {
        let category = path
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (name_number, name_id) = match stem.split_once('-') {
            Some((n, rest)) => (n.parse::<u32>().ok(), Some(rest.to_string())),
            None => (None, None),
        };
        let doc: Option<serde_yaml::Value> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_yaml::from_str(&t).ok());
        let field = |k: &str| doc.as_ref().and_then(|d| d.get(k)).cloned();
        let number = field("number")
            .and_then(|v| v.as_u64())
            .and_then(|n| u32::try_from(n).ok())
            .into_iter()
            .chain(name_number)
            .max();
        let id = field("id")
            .and_then(|v| v.as_str().map(str::to_string))
            .or(name_id);
        out.push(Existing {
            path,
            category,
            id,
            number,
        });
    }
    Ok(out)
}

/// The facts a template is filled with.
pub struct Template<'a> {
    pub category: &'a str,
    pub id: &'a str,
    pub number: u32,
    pub title: &'a str,
    pub difficulty: Difficulty,
    /// As typed on the command line, for the header comment.
    pub target: &'a str,
}

/// A YAML scalar for `s`, quoted only when it needs to be.
fn scalar(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// The problem file, comments included. Fails when the catalog lacks a type the
/// reference solution uses, or regions.yaml has no concrete region.
pub fn render(t: &Template<'_>, catalog: &Catalog, regions: &Regions) -> anyhow::Result<String> {
    let missing: Vec<&str> = TEMPLATE_TYPES
        .iter()
        .copied()
        .filter(|ty| !catalog.contains(ty))
        .collect();
    if !missing.is_empty() {
        bail!(
            "the template's reference solution uses the component types {}, but the catalog lacks {}",
            TEMPLATE_TYPES.join(", "),
            missing.join(", ")
        );
    }
    let Some((region_id, region)) = regions.regions.iter().find(|(_, r)| !r.spans_regions) else {
        bail!("regions.yaml lists no region that is not `spans_regions`; the template needs one");
    };
    let short = &region.short;
    let name = |what: &str| scalar(&format!("{short} {what}"));
    let (users, lb, app, db) = (name("Users"), name("LB"), name("App"), name("DB"));
    let difficulties: Vec<&str> = Difficulty::ALL.iter().map(|d| d.as_str()).collect();
    let type_width = catalog.types.keys().map(String::len).max().unwrap_or(0);
    let region_width = regions.regions.keys().map(String::len).max().unwrap_or(0);

    let mut o = String::new();
    let w = &mut o;
    // `write!` into a String cannot fail.
    macro_rules! line {
        ($($arg:tt)*) => { let _ = writeln!(w, $($arg)*); };
    }

    line!("# Scaffolded by `meridian new {}`.", t.target);
    line!("# Every field holds a placeholder that passes `meridian check`: replace each");
    line!("# one (the comments say what it allows), then run `meridian check`; every");
    line!("# error names its file, line and column. The page is problems/<id>.html; the");
    line!("# sidebar, the landing page and search list it from this file, by difficulty");
    line!("# and number, so no other list needs editing.");
    line!();
    line!("# Lowercase letters, digits and single dashes; unique across the course.");
    line!("# The file is named NN-<id>.yaml after `number` and `id`: rename it with them.");
    line!("id: {}", t.id);
    line!("# 1 or more, the NN of the file name. Problems are listed by number within a");
    line!("# difficulty; `meridian new` picks the next number free across the course.");
    line!("number: {}", t.number);
    line!("# Shown in the sidebar, on the landing page, in search and as the heading.");
    line!("title: {}", scalar(t.title));
    line!("# Must be the name of the folder the file is in: problems/<category>/.");
    line!("category: {}", t.category);
    line!("# One of: {}.", difficulties.join(", "));
    line!("# Groups the problem in the sidebar and on the landing page.");
    line!("difficulty: {}", t.difficulty.as_str());
    line!("# One line: what the reader builds. Shown in problem lists and search results.");
    line!("summary: Serve a web application from one region with a load balancer and a database");
    line!("# One sentence: what the reader learns.");
    line!("goal: Learn the request path every later problem builds on.");
    line!("# Markdown, as many paragraphs as needed: the scenario, who the users are,");
    line!("# where they are, and what must keep working when something fails.");
    line!("description: |");
    line!(
        "  Describe the system to design here. Users in {}",
        region.name
    );
    line!("  send requests to a web application that keeps its data in a database.");
    line!();
    line!("  This text is **Markdown**: paragraphs, lists, `code` and links all work.");
    line!("# What the system must do: short sentences, one per item.");
    line!("functional_requirements:");
    line!("- {}", scalar(&format!("Serve users in {}", region.name)));
    line!("- Store every write in a database");
    line!("# As readers see them, in words; every field is optional: latency,");
    line!("# request_rate, dataset_size, availability, consistency, durability, and");
    line!("# `other` (a list of label/text pairs) for anything else. The numbers the");
    line!("# simulator checks go in `targets` below.");
    line!("non_functional_requirements:");
    line!("  latency: P95 < 100ms");
    line!("  request_rate: 400 requests/sec, spikes to 3x");
    line!("  dataset_size: 10 GB");
    line!("  availability: 99%");
    line!("  consistency: Strong (a single primary)");
    line!("  durability: No acknowledged write is lost");
    line!("  other:");
    line!("  - label: Cost");
    line!("    text: Under $1,000 per month");
    line!("# Named values shown on the page: booleans, integers, numbers or text.");
    line!("# Some names also drive the simulator: replication_lag_ms, cache_hit_target,");
    line!("# failover_time_seconds, rto_seconds, rpo_seconds. Optional.");
    line!("constants:");
    line!("  qps: 400");
    line!("  spike_multiplier: 3");
    line!("  single_region: true");
    line!("# The component types a reader may use in the playground, each once, by id");
    line!("# from problems/catalog.yaml. The catalog's types (id, label, diagram layer):");
    for (id, ty) in &catalog.types {
        line!(
            "#   {id:<type_width$}  {} ({}): {}",
            ty.label,
            ty.layer.label(),
            ty.description
        );
    }
    line!("available_components:");
    for ty in TEMPLATE_TYPES {
        line!("- {ty}");
    }
    line!("# Hints, in the order readers should see them. Optional.");
    line!("hints:");
    line!("- Start from the request path - client, load balancer, app, database");
    line!("- One app instance serves about 800 requests/s; add replicas for the peak");
    line!("# Checkpoints the reader's design (and the reference) is checked against.");
    line!("# Each tier has an id (T0, T1, ..., unique in the problem), a title and one");
    line!("# or more rules; a tier passes when all its rules pass. Rules:");
    line!(
        "#   - {{ rule: min_count, type: <type id>, count: N }}  N instances or more (replicas: 3 counts 3)"
    );
    line!(
        "#   - {{ rule: must_include, type: <type id> }}        at least one component of the type"
    );
    line!(
        "#   - {{ rule: unchecked, text: <text> }}              shown, marked \"not checked automatically\""
    );
    line!("tiers:");
    line!("- id: T0");
    line!("  title: Serve requests");
    line!("  rules:");
    line!("  - rule: must_include");
    line!("    type: lb");
    line!("  - rule: min_count");
    line!("    type: app");
    line!("    count: 2");
    line!("- id: T1");
    line!("  title: Keep the data");
    line!("  rules:");
    line!("  - rule: must_include");
    line!("    type: db_primary");
    line!("  - rule: unchecked");
    line!("    text: Back up the database every day");
    line!("# The traffic the simulator sends through a design. Optional, but without it");
    line!("# nothing is simulated and `targets` are not checked.");
    line!("#   rps               requests per second at normal load, over all clients");
    line!("#   write_fraction    the share of requests that write, 0 to 1");
    line!("#   spike_multiplier  the peak is rps x spike_multiplier (default 10)");
    line!("#   client_regions    the share of traffic starting in each region, summing");
    line!("#                     to 1; omit it to spread traffic evenly over the regions");
    line!("#                     of the design's clients");
    line!("#   basis             how these figures follow from the text, for readers");
    line!("workload:");
    line!("  rps: 400");
    line!("  write_fraction: 0.1");
    line!("  spike_multiplier: 3");
    line!("  client_regions:");
    line!("    {region_id}: 1.0");
    line!(
        "  basis: {}",
        scalar(&format!(
            "\"400 requests/sec\" from the request rate, all from {}; 10% writes assumed; spikes x3.",
            region.name
        ))
    );
    line!("# What the simulator checks at normal load; every field is optional:");
    line!("#   latency             a list of {{ percentile: p50 | p95 | p99,");
    line!("#                       scope: overall | same_region | cross_region, max_ms }}");
    line!("#   throughput_rps      requests/s completed successfully");
    line!("#   availability        a fraction: 0.999 is 99.9%");
    line!("#   replication_lag_ms  upper bound on asynchronous replication lag");
    line!("#   monthly_budget_usd  upper bound on the design's cost");
    line!("#   unchecked           targets the model cannot check, as text");
    line!("targets:");
    line!("  latency:");
    line!("  - percentile: p95");
    line!("    scope: overall");
    line!("    max_ms: 100.0");
    line!("  throughput_rps: 400.0");
    line!("  availability: 0.99");
    line!("  replication_lag_ms: 1000.0");
    line!("  monthly_budget_usd: 1000.0");
    line!("  unchecked:");
    line!("  - Backups restore within one hour");
    line!("# The reference solution: drawn region by region on the page, checked");
    line!("# against the tiers and simulated under the workload. It should pass every");
    line!("# tier and target (`meridian check --format json` shows its results).");
    line!("reference:");
    line!("  # Markdown: why this design meets the requirements.");
    line!("  explanation: |");
    line!(
        "    Users in {} reach a load balancer that spreads",
        region.name
    );
    line!("    requests over three app servers, which read and write a single database");
    line!("    primary.");
    line!("  # Each component has:");
    line!("  #   name       unique in the design; connections refer to it");
    line!("  #   type       a type id from the catalog list above");
    line!(
        "  #   region     where it runs, from problems/regions.yaml (diagram lanes, left to right):"
    );
    for (id, r) in &regions.regions {
        line!(
            "  #                {id:<region_width$}  {}{}",
            r.name,
            if r.spans_regions {
                " - for GeoDNS, anycast, CDNs"
            } else {
                ""
            }
        );
    }
    line!("  #   replicas   instances, 1 or more (default 1); tier rules count instances");
    line!("  #   hit_ratio  optional, for types that answer reads themselves (cache, cdn):");
    line!("  #              the fraction of reads answered, 0 to 1; 0 for a cdn that only routes");
    line!("  components:");
    for (n, ty, replicas) in [
        (&users, "client", 1),
        (&lb, "lb", 1),
        (&app, "app", 3),
        (&db, "db_primary", 1),
    ] {
        line!("  - name: {n}");
        line!("    type: {ty}");
        line!("    region: {region_id}");
        if replicas != 1 {
            line!("    replicas: {replicas}");
        }
    }
    line!("  # Directed, from -> to, by component name. Replication between data stores");
    line!("  # is asynchronous unless the connection has `sync: true`.");
    line!("  connections:");
    for (from, to) in [(&users, &lb), (&lb, &app), (&app, &db)] {
        line!("  - from: {from}");
        line!("    to: {to}");
    }
    line!("  # Every change made to a source's reference solution, or sizing decision,");
    line!("  # and why. Optional; shown on the page.");
    line!("  notes:");
    line!(
        "  - {}",
        scalar(&format!(
            "{short} App runs 3 replicas, so the 1,200 requests/s peak keeps them about 50% busy (800 requests/s per instance)."
        ))
    );
    line!("# Optional: a source platform's own analysis, quoted on the page. Uncomment");
    line!("# and fill it only when quoting one; every part of it is optional.");
    line!("# analysis:");
    line!("#   overview: Global distribution architecture for moderate traffic.");
    line!("#   phases:");
    line!("#   - name: Normal Operation");
    line!("#     text: During normal operations the system serves 400 QPS.");
    line!("#     metrics:");
    line!("#     - label: Latency");
    line!("#       text: 'P50: 10ms, P95: 30ms'");
    line!("#   trade_offs:");
    line!("#   - title: Current Architecture");
    line!("#     pros:");
    line!("#     - Simple to operate");
    line!("#     cons:");
    line!("#     - One region is a single point of failure");
    line!("#     notes:");
    line!("#     - label: Best for");
    line!("#       text: Small applications");
    line!("#   cost:");
    line!("#     totals:");
    line!("#     - label: Monthly Total");
    line!("#       text: $600");
    line!("#     breakdown:");
    line!("#     - label: Compute");
    line!("#       text: $210 (3 x $70/month per instance)");
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course_data() -> (Catalog, Regions) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("problems");
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        (
            serde_yaml::from_str(&read("catalog.yaml")).unwrap(),
            serde_yaml::from_str(&read("regions.yaml")).unwrap(),
        )
    }

    fn template(title: &str) -> Template<'_> {
        Template {
            category: "multiregion",
            id: "my-problem",
            number: 36,
            title,
            difficulty: Difficulty::Foundation,
            target: "multiregion/my-problem",
        }
    }

    #[test]
    fn targets_are_parsed_and_checked() {
        assert_eq!(
            parse_target("multiregion/my-problem").unwrap(),
            ("multiregion".into(), "my-problem".into())
        );
        for (bad, says) in [
            ("my-problem", "expected `<category>/<id>`"),
            ("multiregion/Bad Id", "expected an id of lowercase"),
            ("../x", "expected a category"),
            (
                "multiregion/../x",
                "expected `<category>/<id>` with one `/`",
            ),
            ("multi_region/x", "expected a category"),
            ("multiregion/", "found ``"),
        ] {
            let e = parse_target(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn difficulties_and_titles() {
        assert_eq!(parse_difficulty("advanced"), Ok(Difficulty::Advanced));
        assert!(
            parse_difficulty("hard")
                .unwrap_err()
                .contains("easy, foundation, intermediate, advanced")
        );
        assert_eq!(title_from_id("my-new-problem"), "My new problem");
    }

    #[test]
    fn the_template_passes_its_own_check_tiers_and_targets() {
        let (catalog, regions) = course_data();
        let text = render(&template("A: title # with symbols"), &catalog, &regions).unwrap();
        let p = check_problem_file(
            "problems/multiregion/36-my-problem.yaml",
            &text,
            &catalog,
            &regions,
        )
        .unwrap_or_else(|e| panic!("{}\n{text}", Errors(e)));
        assert_eq!(p.title, "A: title # with symbols");
        assert_eq!(p.difficulty, Difficulty::Foundation);
        assert!(p.workload.is_some() && !p.targets.is_empty() && !p.constants.is_empty());
        assert!(p.non_functional_requirements.rows().len() == 7);
        let e = crate::simulate::evaluate_reference(&p, &catalog, &regions).unwrap();
        assert!(e.tiers.iter().all(|t| t.passed), "{:?}", e.tiers);
        for t in &e.targets {
            assert_ne!(t.passed, Some(false), "{t:?}");
        }
        // Every catalog type and region is named in the comments.
        for id in catalog.types.keys().chain(regions.regions.keys()) {
            assert!(
                text.contains(&format!("#   {id} "))
                    || text.contains(&format!("#                {id} ")),
                "{id}"
            );
        }
    }

    #[test]
    fn the_commented_analysis_is_valid_once_uncommented() {
        let (catalog, regions) = course_data();
        let text = render(&template("T"), &catalog, &regions).unwrap();
        let start = text.find("# analysis:").unwrap();
        let uncommented: String = text[..start].to_string()
            + &text[start..]
                .lines()
                .map(|l| l.strip_prefix("# ").unwrap_or(l).to_string() + "\n")
                .collect::<String>();
        let p = check_problem_file(
            "problems/multiregion/36-my-problem.yaml",
            &uncommented,
            &catalog,
            &regions,
        )
        .unwrap_or_else(|e| panic!("{}", Errors(e)));
        let a = p.analysis.unwrap();
        assert!(a.overview.is_some() && a.cost.is_some());
        assert_eq!((a.phases.len(), a.trade_offs.len()), (1, 1));
    }
}
