//! One page per problem: `problems/<id>.html`.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use meridian_engine::Problem;
use meridian_engine::playground_data::PlaygroundData;
use meridian_engine::report::{TierView, tier_views};
use meridian_engine::spec::{Analysis, Reference};
use meridian_engine::tiers::evaluate_tiers;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::super::Site;
use super::super::diagram::reference_diagram;
use super::super::links::path_to_root;
use super::super::markdown::{Slugs, render as render_markdown};
use super::super::nav::{difficulty_anchor, problem_path};
use super::{TypeRef, types_used};
use crate::cache::Cache;
use crate::load::LoadedProblem;

/// Section ids the template uses; Markdown headings must not take them.
pub(crate) const SECTION_IDS: &[&str] = &[
    "content",
    "sidebar",
    "overview",
    "description",
    "functional-requirements",
    "non-functional-requirements",
    "constants",
    "available-components",
    "hints",
    "tiers",
    "reference",
    "reference-diagram",
    "reference-components",
    "reference-connections",
    "reference-yaml",
    "reference-notes",
    "simulation",
    "simulation-workload",
    "simulation-targets",
    "simulation-metrics",
    "simulation-availability",
    "simulation-cost",
    "simulation-scenarios",
    "simulation-worst",
    "analysis",
    "playground",
    "playground-title",
    "playground-data",
];

#[derive(Serialize)]
struct ProblemView {
    id: String,
    number: u32,
    title: String,
    difficulty: &'static str,
    difficulty_label: &'static str,
    summary: String,
    goal: String,
    description_html: String,
    functional: Vec<String>,
    non_functional: Vec<Row>,
    constants: Vec<ConstantRow>,
    available: Vec<TypeRef>,
    hints: Vec<String>,
    tiers: Vec<TierView>,
    reference: ReferenceView,
    /// The engine's evaluation of the reference (a
    /// `meridian_engine::report::SimulationView`, serialised: it may come
    /// from the cache); absent without a workload.
    simulation: Option<serde_json::Value>,
    analysis: Option<Analysis>,
    playground: Option<PlaygroundView>,
}

/// The playground's module (site-relative) and the problem data it reads.
#[derive(Serialize)]
struct PlaygroundView {
    module: String,
    /// JSON safe inside `<script type="application/json">`.
    data_json: String,
}

#[derive(Serialize)]
struct Row {
    label: String,
    text: String,
}

#[derive(Serialize)]
struct ConstantRow {
    name: String,
    value: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct ReferenceView {
    diagram_svg: String,
    explanation_html: String,
    components: Vec<ComponentRow>,
    connections: Vec<NavConn>,
    yaml_html: String,
    /// Changes Meridian made to the source's reference solution, and why.
    notes: Vec<String>,
}

#[derive(Serialize)]
struct ComponentRow {
    name: String,
    type_id: String,
    type_label: String,
    region: String,
    region_name: String,
    replicas: u32,
}

#[derive(Serialize)]
struct NavConn {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    /// Site-relative; empty for the current page.
    href: String,
}

/// Every problem page, rendered in parallel (each is independent, and
/// evaluating its reference is most of a build's work), then written in
/// course order. The first error, in course order, is returned.
pub fn render_all(site: &mut Site<'_>) -> Result<()> {
    let shared: &Site<'_> = site;
    let rendered: Vec<Result<Rendered>> = shared
        .problems
        .par_iter()
        .map(|p| render_html(shared, p))
        .collect();
    for page in rendered {
        finish(site, page?)?;
    }
    Ok(())
}

/// One problem page (for `serve`'s partial rebuilds).
pub fn render(site: &mut Site<'_>, loaded: &LoadedProblem) -> Result<()> {
    let page = render_html(site, loaded)?;
    finish(site, page)
}

/// A problem page rendered, not yet written.
struct Rendered {
    page: String,
    html: String,
    diagram_time: Duration,
}

fn finish(site: &mut Site<'_>, r: Rendered) -> Result<()> {
    site.diagram_time += r.diagram_time;
    site.write_rendered(&r.page, &r.html)
}

fn render_html(site: &Site<'_>, loaded: &LoadedProblem) -> Result<Rendered> {
    let p = &loaded.problem;
    let page = problem_path(&p.id);
    let course = site.course;
    let mut slugs = Slugs::with_reserved(SECTION_IDS.iter().copied());
    let root = path_to_root(&page);

    let reference = computed_parts(site, p)?;
    let tiers = tier_views(&evaluate_tiers(
        &p.tiers,
        &p.reference.topology(),
        &course.catalog,
    ));

    let view = ProblemView {
        id: p.id.clone(),
        number: p.number,
        title: p.title.clone(),
        difficulty: p.difficulty.as_str(),
        difficulty_label: p.difficulty.label(),
        summary: p.summary.clone(),
        goal: p.goal.clone(),
        description_html: render_markdown(&p.description, site.highlighter, &mut slugs, &root).html,
        functional: p.functional_requirements.clone(),
        non_functional: p
            .non_functional_requirements
            .rows()
            .into_iter()
            .map(|(label, text)| Row {
                label: label.to_string(),
                text: text.to_string(),
            })
            .collect(),
        constants: p
            .constants
            .iter()
            .map(|(name, c)| ConstantRow {
                name: name.clone(),
                value: c.to_string(),
                kind: c.kind(),
            })
            .collect(),
        available: types_used(
            &course.catalog,
            p.available_components.iter().map(String::as_str),
        ),
        hints: p.hints.clone(),
        tiers,
        reference: ReferenceView {
            diagram_svg: reference.diagram_svg,
            explanation_html: render_markdown(
                &p.reference.explanation,
                site.highlighter,
                &mut slugs,
                &root,
            )
            .html,
            components: p
                .reference
                .components
                .iter()
                .map(|c| ComponentRow {
                    name: c.name.clone(),
                    type_id: c.component_type.clone(),
                    type_label: site.type_label(&c.component_type),
                    region: c.region.clone(),
                    region_name: course
                        .regions
                        .get(&c.region)
                        .map_or_else(|| c.region.clone(), |r| r.name.clone()),
                    replicas: c.replicas,
                })
                .collect(),
            connections: p
                .reference
                .connections
                .iter()
                .map(|c| NavConn {
                    from: c.from.clone(),
                    to: c.to.clone(),
                })
                .collect(),
            yaml_html: reference.yaml_html,
            notes: p.reference.notes.clone(),
        },
        simulation: reference.simulation,
        analysis: p.analysis.clone(),
        playground: match site.playground {
            Some(b) => Some(PlaygroundView {
                module: format!("{}/{}", super::super::PLAYGROUND_DIR, b.js_name),
                data_json: playground_json(&PlaygroundData::new(
                    p,
                    &course.catalog,
                    &course.regions,
                ))?,
            }),
            None => None,
        },
    };

    let crumbs = vec![
        Crumb {
            title: course.config.book.title.clone(),
            href: "index.html".into(),
        },
        Crumb {
            title: p.difficulty.label().to_string(),
            href: format!("index.html#{}", difficulty_anchor(p.difficulty)),
        },
        Crumb {
            title: p.title.clone(),
            href: String::new(),
        },
    ];

    // The page links the simulator chapter only when the book has one.
    let simulator_chapter = site.summary.chapters().into_iter().find_map(|c| {
        c.path
            .as_deref()
            .filter(|p| *p == "simulator.md")
            .map(|p| p.replace(".md", ".html"))
    });
    let mut ctx = site.context(&page, &p.title, Some(&loaded.file))?;
    ctx.insert("page_description", &p.summary);
    ctx.insert("problem", &view);
    ctx.insert("simulator_chapter", &simulator_chapter);
    ctx.insert("breadcrumbs", &crumbs);
    let html = site
        .theme
        .render("problem.html", &ctx, &page)
        .with_context(|| format!("problem `{}`", loaded.file))?;
    Ok(Rendered {
        page,
        html,
        diagram_time: reference.diagram_time,
    })
}

/// What a problem page shows of its reference that is costly to compute
/// and depends on nothing but the problem, the catalog and the regions:
/// kept between builds (`cache.rs`), since evaluating the design is most
/// of a build's work.
#[derive(Serialize, Deserialize)]
struct Computed {
    /// The simulator's results (a `SimulationView`, as the template reads it).
    simulation: Option<serde_json::Value>,
    diagram_svg: String,
    yaml_html: String,
    /// Time spent drawing the diagram (zero when taken from the cache).
    #[serde(skip)]
    diagram_time: Duration,
}

fn computed_parts(site: &Site<'_>, p: &Problem) -> Result<Computed> {
    let compute = || -> Result<Computed> {
        let course = site.course;
        let evaluation = crate::simulate::evaluate_reference(p, &course.catalog, &course.regions);
        let heat = evaluation
            .as_ref()
            .map_or_else(Vec::new, meridian_engine::report::heat);
        let started = Instant::now();
        let diagram_svg = reference_diagram(p, &course.catalog, &course.regions, heat);
        let diagram_time = started.elapsed();
        let simulation = match (&evaluation, &p.workload) {
            (Some(e), Some(w)) => Some(
                serde_json::to_value(meridian_engine::report::view(
                    e,
                    w,
                    &format!("sim-{}", p.id),
                    |t| site.type_label(t),
                ))
                .context("serializing the simulation's results")?,
            ),
            _ => None,
        };
        Ok(Computed {
            simulation,
            diagram_svg,
            yaml_html: site
                .highlighter
                .highlight(&reference_yaml(&p.reference)?, "yaml"),
            diagram_time,
        })
    };
    let (Some(shared), Ok(problem)) = (&site.shared_inputs, serde_json::to_vec(p)) else {
        return compute();
    };
    let key = Cache::key("problem", &[shared.as_bytes(), &problem]);
    site.cache.get_or_try(&key, compute)
}

/// JSON for a script element: `<` escaped so no name can close the element
/// (`</script>`) or open a comment.
fn playground_json(data: &PlaygroundData) -> Result<String> {
    let json = serde_json::to_string(data).context("serializing the playground data")?;
    Ok(json.replace('<', "\\u003c"))
}

/// The reference as an author would write it in the problem file.
fn reference_yaml(reference: &Reference) -> Result<String> {
    #[derive(Serialize)]
    struct Shown<'a> {
        components: &'a [meridian_engine::Component],
        connections: &'a [meridian_engine::Connection],
    }
    serde_yaml::to_string(&Shown {
        components: &reference.components,
        connections: &reference.connections,
    })
    .context("serializing the reference solution as YAML")
}
