//! `index.html` (what the course is, where to start, every problem) and
//! `404.html`.

use anyhow::Result;
use meridian_engine::Difficulty;
use serde::Serialize;

use super::super::Site;
use super::super::markdown::first_paragraph;
use super::super::nav::{difficulty_anchor, problem_path};
use super::{TypeRef, types_used};

const DEFAULT_INTRO: &str = "<p>A course on designing systems that run in more than one region: \
each problem asks for an architecture built from a small set of components, checked against tiers \
of requirements, with a reference solution to compare against.</p>";

#[derive(Serialize)]
pub struct Card {
    number: u32,
    title: String,
    href: String,
    summary: String,
    types: Vec<TypeRef>,
}

#[derive(Serialize)]
pub struct Group {
    difficulty: &'static str,
    label: &'static str,
    anchor: String,
    problems: Vec<Card>,
}

#[derive(Serialize)]
struct ChapterLink {
    number: String,
    title: String,
    href: String,
}

pub fn render(site: &mut Site<'_>) -> Result<()> {
    let page = "index.html";
    let intro_html = site
        .summary
        .chapters()
        .into_iter()
        .find_map(|c| c.path.as_ref())
        .and_then(|p| {
            std::fs::read_to_string(site.course.root.join(&site.course.config.book.src).join(p))
                .ok()
        })
        .and_then(|text| first_paragraph(&text, site.highlighter))
        .unwrap_or_else(|| DEFAULT_INTRO.to_string());

    let chapters: Vec<ChapterLink> = site
        .summary
        .chapters()
        .into_iter()
        .filter(|c| c.number.len() <= 1)
        .filter_map(|c| {
            c.path.as_deref().map(|p| ChapterLink {
                number: c.number_label(),
                title: c.title.clone(),
                href: super::super::links::chapter_output_path(p),
            })
        })
        .collect();

    let mut ctx = site.context(page, &site.course.config.book.title, None)?;
    ctx.insert("intro_html", &intro_html);
    ctx.insert("start", &site.nav.first());
    ctx.insert("chapters", &chapters);
    let groups = groups(site);
    ctx.insert("filter_types", &filter_types(site, &groups));
    ctx.insert("groups", &groups);
    ctx.insert("problem_count", &site.problems.len());
    site.write_page(page, "index.html", &ctx)
}

pub fn groups(site: &Site<'_>) -> Vec<Group> {
    Difficulty::ALL
        .iter()
        .map(|&d| Group {
            difficulty: d.as_str(),
            label: d.label(),
            anchor: difficulty_anchor(d),
            problems: site
                .problems
                .iter()
                .filter(|p| p.problem.difficulty == d)
                .map(|p| Card {
                    number: p.problem.number,
                    title: p.problem.title.clone(),
                    href: problem_path(&p.problem.id),
                    summary: p.problem.summary.clone(),
                    types: types_used(
                        &site.course.catalog,
                        p.problem
                            .reference
                            .components
                            .iter()
                            .map(|c| c.component_type.as_str()),
                    ),
                })
                .collect(),
        })
        .filter(|g| !g.problems.is_empty())
        .collect()
}

/// The component types of any card, in catalog order, for the type filter.
fn filter_types(site: &Site<'_>, groups: &[Group]) -> Vec<TypeRef> {
    types_used(
        &site.course.catalog,
        groups
            .iter()
            .flat_map(|g| &g.problems)
            .flat_map(|c| &c.types)
            .map(|t| t.id.as_str()),
    )
}

/// Served by the web server at any missing URL, so its links are absolute
/// (`root` is `site_url` here; see `Site::context`).
pub fn render_404(site: &mut Site<'_>) -> Result<()> {
    let page = "404.html";
    let mut ctx = site.context(page, "Page not found", None)?;
    ctx.insert("groups", &groups(site));
    site.write_page(page, "404.html", &ctx)
}
