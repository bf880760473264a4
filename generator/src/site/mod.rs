//! Rendering a loaded course into a static site: chapters from `SUMMARY.md`,
//! one page per problem, the landing page, the catalog and a 404 page.
//!
//! Internal links are relative to each page (through `root`, its path to the
//! site root) so the output works at any subpath; only `404.html`, which a
//! server returns at arbitrary URLs, links absolutely through `site_url`.

mod diagram;
mod highlight;
mod linkcheck;
mod links;
mod markdown;
mod nav;
mod output;
mod pages;
mod search;
mod sitemap;
pub mod summary;
mod theme;
pub mod weight;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::bundle::Bundle;
use crate::cache::Cache;
use crate::load::{Course, LoadedProblem};

/// Where the playground's module and wasm go, relative to the site root.
pub const PLAYGROUND_DIR: &str = "playground";
use highlight::{Highlighter, escape_html};
use nav::{Nav, NavLink};
use summary::Summary;
use theme::Theme;

pub struct SiteReport {
    /// Every HTML page: `problems + chapters + listings`.
    pub pages: usize,
    pub problems: usize,
    pub chapters: usize,
    /// The pages listing problems: the landing page, the catalog, 404.
    pub listings: usize,
    /// Files that are not pages (stylesheets, scripts, icons, the playground).
    pub assets: usize,
    /// Problem pages whose evaluation, diagram and highlighted reference
    /// came from the last build (`cache.rs`).
    pub reused: usize,
    pub steps: Vec<(String, Duration)>,
}

/// Renders the whole site without the playground (pages stay complete: the
/// diagram and results are prerendered).
pub fn render_site(course: &Course, out_dir: &Path) -> Result<SiteReport> {
    render_site_with(course, out_dir, None)
}

/// Renders the whole site into `out_dir`, which exists and is empty (a
/// temporary folder the caller swaps in on success); with a playground bundle,
/// every problem page embeds the playground.
pub fn render_site_with(
    course: &Course,
    out_dir: &Path,
    playground: Option<&Bundle>,
) -> Result<SiteReport> {
    render_site_cached(course, out_dir, None, playground, Cache::open(&course.root))
}

/// [`render_site_with`] taking what it can from `cache` (or nothing, with
/// [`Cache::off`]), and from `previous`, the output this one will replace:
/// a file that comes out the same as there is linked to it, not written
/// again (see [`output::write_or_link`]).
pub fn render_site_cached(
    course: &Course,
    out_dir: &Path,
    previous: Option<&Path>,
    playground: Option<&Bundle>,
    cache: Cache,
) -> Result<SiteReport> {
    let mut timer = Steps {
        steps: Vec::new(),
        last: Instant::now(),
    };

    let theme = load_theme(course, None)?;
    timer.step("load templates");

    let highlighter = Highlighter::new()?;
    timer.step("highlight setup");

    let renderer = Renderer {
        theme,
        highlighter,
        builtin_dir: None,
        cache,
    };
    render_all_with(&renderer, course, out_dir, previous, playground, timer)
}

/// The whole site with an existing renderer; `timer` holds the steps so far.
fn render_all_with(
    renderer: &Renderer,
    course: &Course,
    out_dir: &Path,
    previous: Option<&Path>,
    playground: Option<&Bundle>,
    mut timer: Steps,
) -> Result<SiteReport> {
    let hits_before = renderer.cache.hits();
    let mut site = Site::new(renderer, course, out_dir, playground)?;
    site.previous = previous;
    // Before any page is written: every broken internal link at once.
    linkcheck::check(&site)?;
    timer.step("link check");

    let chapters = pages::chapter::render_all(&mut site)?;
    timer.step("chapters");
    pages::problem::render_all(&mut site)?;
    let diagram_time = site.diagram_time;
    timer.step("problems");
    timer.steps.push(("diagrams".to_string(), diagram_time));
    let before_listings = site.pages;
    pages::landing::render(&mut site)?;
    pages::catalog::render(&mut site)?;
    pages::landing::render_404(&mut site)?;
    let listings = site.pages - before_listings;
    timer.step("landing, catalog, 404");
    let assets = write_assets(&site)?;
    timer.step("assets");
    search::write_index(&site)?;
    timer.step("search index");
    sitemap::write(&site)?;
    // Every page was rendered: what this build did not use is stale.
    renderer.cache.sweep();

    Ok(SiteReport {
        pages: site.pages,
        problems: site.problems.len(),
        chapters,
        listings,
        assets,
        reused: renderer.cache.hits() - hits_before,
        steps: timer.steps,
    })
}

/// Every internal link of the course checked without rendering or writing
/// anything, for `meridian check`: the broken ones as located errors. A
/// table of contents that cannot be read is left to the build to report.
pub fn check_links(course: &Course) -> Result<Vec<crate::diagnostics::LocatedError>> {
    let renderer = Renderer::new(course)?;
    let Ok(site) = Site::new(&renderer, course, Path::new(""), None) else {
        return Ok(Vec::new());
    };
    Ok(match linkcheck::check(&site) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.0,
    })
}

/// The expensive, course-independent parts of rendering (templates, the
/// syntax highlighter), built once and kept across rebuilds by `meridian serve`.
pub struct Renderer {
    theme: Theme,
    highlighter: Highlighter,
    /// The built-in theme's source folder, read instead of the compiled-in
    /// copy (see [`Renderer::with_builtin_theme`]).
    builtin_dir: Option<PathBuf>,
    /// Problem pages' evaluations, diagrams and highlighted references from
    /// earlier builds (`cache.rs`).
    cache: Cache,
}

/// Pages to re-render into an existing output folder (see [`Renderer::render_pages`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageSet {
    /// Chapters by source path relative to the content folder, as `SUMMARY.md` names them.
    pub chapters: Vec<String>,
    /// Problems by id.
    pub problems: Vec<String>,
    /// The pages listing problems: `index.html`, `catalog.html`, `404.html`.
    pub listings: bool,
    /// The theme's assets, the highlighter's CSS and the playground's files.
    pub assets: bool,
}

impl Renderer {
    pub fn new(course: &Course) -> Result<Renderer> {
        Renderer::with_builtin_theme(course, None)
    }

    /// A renderer reading the built-in theme from its source folder
    /// (`themes/default`), for `meridian serve` in Meridian's own tree.
    pub fn with_builtin_theme(course: &Course, builtin_dir: Option<PathBuf>) -> Result<Renderer> {
        Ok(Renderer {
            theme: load_theme(course, builtin_dir.as_deref())?,
            highlighter: Highlighter::new()?,
            builtin_dir,
            cache: Cache::open(&course.root),
        })
    }

    /// Re-reads the templates (after a theme folder changed).
    pub fn reload_theme(&mut self, course: &Course) -> Result<()> {
        self.theme = load_theme(course, self.builtin_dir.as_deref())?;
        Ok(())
    }

    /// Renders the whole site into `out_dir` (empty, or overwritten page by
    /// page), linking what is unchanged from `previous` as
    /// [`render_site_cached`] does.
    pub fn render_all(
        &self,
        course: &Course,
        out_dir: &Path,
        previous: Option<&Path>,
        playground: Option<&Bundle>,
    ) -> Result<SiteReport> {
        let timer = Steps {
            steps: Vec::new(),
            last: Instant::now(),
        };
        render_all_with(self, course, out_dir, previous, playground, timer)
    }

    /// Re-renders only the pages in `set` into an existing output folder;
    /// returns how many pages were written.
    pub fn render_pages(
        &self,
        course: &Course,
        out_dir: &Path,
        playground: Option<&Bundle>,
        set: &PageSet,
    ) -> Result<usize> {
        let mut site = Site::new(self, course, out_dir, playground)?;
        // Pages are kept in memory until all of them rendered: a template
        // error part-way leaves the served site as it was.
        site.held = Some(std::sync::Mutex::new(Vec::new()));
        // The whole course's links, as a full build checks them: an edit can
        // break links into the changed page from elsewhere.
        linkcheck::check(&site)?;
        if !set.chapters.is_empty() {
            let full = site.summary.clone();
            site.summary = only_chapters(&full, &set.chapters);
            let rendered = pages::chapter::render_all(&mut site);
            site.summary = full;
            rendered?;
        }
        for p in site.problems.clone() {
            if set.problems.contains(&p.problem.id) {
                pages::problem::render(&mut site, p)?;
            }
        }
        if set.listings {
            pages::landing::render(&mut site)?;
            pages::catalog::render(&mut site)?;
            pages::landing::render_404(&mut site)?;
            sitemap::write(&site)?;
        }
        if set.assets {
            write_assets(&site)?;
        }
        if set.listings || !set.chapters.is_empty() || !set.problems.is_empty() {
            search::write_index(&site)?;
        }
        let held = site
            .held
            .take()
            .map(|h| {
                h.into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            })
            .unwrap_or_default();
        for (rel, bytes) in &held {
            output::replace_file(out_dir, rel, bytes)?;
        }
        Ok(site.pages)
    }
}

fn load_theme(course: &Course, builtin_dir: Option<&Path>) -> Result<Theme> {
    let override_dir = course
        .config
        .output
        .html
        .theme
        .as_ref()
        .map(|t| course.root.join(t));
    Theme::load_from(builtin_dir, override_dir.as_deref())
}

/// A summary holding only the chapters whose source is in `paths`, flat, for
/// rendering those pages alone (numbers and titles are kept).
fn only_chapters(full: &Summary, paths: &[String]) -> Summary {
    let prefix = full
        .chapters()
        .into_iter()
        .filter(|c| c.path.as_ref().is_some_and(|p| paths.contains(p)))
        .map(|c| summary::Chapter {
            children: Vec::new(),
            ..c.clone()
        })
        .collect();
    Summary {
        title: full.title.clone(),
        prefix,
        numbered: Vec::new(),
        suffix: Vec::new(),
    }
}

struct Steps {
    steps: Vec<(String, Duration)>,
    last: Instant,
}

impl Steps {
    /// Records the time since the previous step under `name`.
    fn step(&mut self, name: &str) {
        let now = Instant::now();
        self.steps.push((name.to_string(), now - self.last));
        self.last = now;
    }
}

/// State shared by every page of one build.
pub(crate) struct Site<'a> {
    course: &'a Course,
    theme: &'a Theme,
    highlighter: &'a Highlighter,
    cache: &'a Cache,
    /// A hash of the catalog and the regions: with a problem, all a problem
    /// page's cached parts depend on.
    shared_inputs: Option<String>,
    nav: Nav,
    summary: Summary,
    /// `content/SUMMARY.md`, for errors.
    summary_name: String,
    /// In course order.
    problems: Vec<&'a LoadedProblem>,
    /// Hidden `<symbol>`s of the catalog icons, inlined once per page.
    sprite: String,
    out: &'a Path,
    /// The output this build replaces, if any: unchanged files are linked
    /// from it.
    previous: Option<&'a Path>,
    /// The WebAssembly playground, when this build includes it.
    playground: Option<&'a Bundle>,
    pages: usize,
    diagram_time: Duration,
    /// Files waiting to be written (site-relative path, bytes), when set;
    /// otherwise each file is written as soon as it is rendered.
    held: Option<std::sync::Mutex<Vec<HeldFile>>>,
}

/// The content hash of the catalog and the regions, as parsed; None when
/// they cannot be serialised (then nothing is cached).
fn shared_inputs(course: &Course) -> Option<String> {
    let mut bytes = serde_json::to_vec(&course.catalog).ok()?;
    bytes.push(0);
    bytes.extend(serde_json::to_vec(&course.regions).ok()?);
    Some(crate::bundle::content_hash(&bytes))
}

/// A rendered file not written yet: site-relative path and bytes.
type HeldFile = (String, Vec<u8>);

/// What every template gets, besides the page's own data.
#[derive(Serialize)]
struct BaseContext<'a> {
    lang: &'a str,
    book_title: &'a str,
    book_description: &'a str,
    authors: &'a [String],
    page_title: &'a str,
    page_path: &'a str,
    /// `og:description` and the description meta tag; pages with a text of
    /// their own (a problem's summary, a chapter's first paragraph) replace it.
    page_description: &'a str,
    /// `og:type`: `website` for the landing page, `article` for the others.
    og_type: &'static str,
    /// The page's absolute URL (`<link rel="canonical">`, `og:url`), only when
    /// `site-url` is an absolute URL; a path cannot make one.
    canonical_url: Option<String>,
    /// Prefix for every internal link: `../` from `problems/x.html`, `site_url` on the 404 page.
    root: String,
    default_theme: &'static str,
    dark_theme: &'static str,
    /// The sidebar's markup ([`nav::Nav::sidebar_html`]).
    sidebar_html: String,
    prev: Option<NavLink>,
    next: Option<NavLink>,
    sprite: &'a str,
    edit_url: Option<String>,
    git_repository_url: Option<&'a str>,
}

impl<'a> Site<'a> {
    /// Reads `SUMMARY.md` and builds the navigation for one rendering pass.
    fn new(
        renderer: &'a Renderer,
        course: &'a Course,
        out: &'a Path,
        playground: Option<&'a Bundle>,
    ) -> Result<Site<'a>> {
        let summary_rel = course.config.book.src.join("SUMMARY.md");
        let summary_name =
            crate::diagnostics::display_path(&course.root.join(&summary_rel), &course.root);
        let summary_text = std::fs::read_to_string(course.root.join(&summary_rel))
            .with_context(|| format!("{summary_name}: cannot read the table of contents"))?;
        let summary = summary::parse_summary(&summary_text)
            .with_context(|| format!("{summary_name}: invalid table of contents"))?;
        let problems = nav::course_order(&course.problems);
        let nav = Nav::new(&summary, &problems);
        Ok(Site {
            course,
            theme: &renderer.theme,
            highlighter: &renderer.highlighter,
            cache: &renderer.cache,
            shared_inputs: shared_inputs(course),
            nav,
            summary,
            summary_name,
            problems,
            sprite: pages::icon_sprite(&course.catalog),
            out,
            playground,
            pages: 0,
            diagram_time: Duration::ZERO,
            held: None,
            previous: None,
        })
    }
}

impl Site<'_> {
    /// The shared context for `page` (site-relative output path).
    fn context(&self, page: &str, title: &str, source_file: Option<&str>) -> Result<tera::Context> {
        let html = &self.course.config.output.html;
        let root = if page == "404.html" {
            html.site_url.clone()
        } else {
            links::path_to_root(page)
        };
        let (prev, next) = self.nav.prev_next(page);
        let sidebar_html = self.nav.sidebar_html(&root, page);
        let base = BaseContext {
            lang: &self.course.config.book.language,
            book_title: &self.course.config.book.title,
            book_description: &self.course.config.book.description,
            authors: &self.course.config.book.authors,
            page_title: title,
            page_path: page,
            page_description: &self.course.config.book.description,
            og_type: if page == "index.html" {
                "website"
            } else {
                "article"
            },
            canonical_url: (page != "404.html" && links::is_absolute_site_url(&html.site_url))
                .then(|| links::absolute_url(&html.site_url, page)),
            root,
            default_theme: html.default_theme.as_str(),
            dark_theme: html.preferred_dark_theme.as_str(),
            sidebar_html,
            prev,
            next,
            sprite: &self.sprite,
            edit_url: source_file.and_then(|f| {
                html.edit_url_template
                    .as_ref()
                    .map(|t| t.replace("{path}", f))
            }),
            git_repository_url: html.git_repository_url.as_deref(),
        };
        tera::Context::from_serialize(base).context("building the page context")
    }

    fn write_page(&mut self, page: &str, template: &str, context: &tera::Context) -> Result<()> {
        let html = self.theme.render(template, context, page)?;
        self.write_rendered(page, &html)
    }

    /// Writes (or holds) a page rendered already, and counts it.
    fn write_rendered(&mut self, page: &str, html: &str) -> Result<()> {
        self.write(page, html.as_bytes())?;
        self.pages += 1;
        Ok(())
    }

    /// The catalog label of a type, or its id when unknown.
    fn type_label(&self, type_id: &str) -> String {
        self.course
            .catalog
            .get(type_id)
            .map_or_else(|| type_id.to_string(), |t| t.label.clone())
    }
}

impl Site<'_> {
    /// Writes `rel` (site-relative) now, or holds it for later.
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match &self.held {
            Some(held) => {
                held.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((rel.to_string(), bytes.to_vec()));
                Ok(())
            }
            None => output::write_or_link(self.out, rel, bytes, self.previous),
        }
    }
}

fn write_assets(site: &Site<'_>) -> Result<usize> {
    let mut n = 0;
    for (rel, bytes) in &site.theme.assets {
        site.write(&format!("assets/{rel}"), bytes.as_slice())?;
        n += 1;
    }
    if let Some(b) = site.playground {
        site.write(&format!("{PLAYGROUND_DIR}/{}", b.js_name), b.js.as_slice())?;
        site.write(
            &format!("{PLAYGROUND_DIR}/{}", b.wasm_name),
            b.wasm.as_slice(),
        )?;
        n += 2;
    }
    let css = site.highlighter.css()?;
    site.write("assets/css/highlight.css", css.as_bytes())?;
    n += 1;
    // The engine's figure styles: a file, so no page needs inline style.
    site.write(
        "assets/css/figures.css",
        meridian_engine::report::figures_css().as_bytes(),
    )?;
    n += 1;
    // The sprite as a file too, for authors' templates that prefer `<use href>`.
    let sprite = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>\n",
        pages::icon_symbols(&site.course.catalog)
    );
    site.write("assets/icons/components.svg", sprite.as_bytes())?;
    Ok(n + 1)
}

/// Escapes for attribute or text positions in hand-built HTML.
fn esc(s: &str) -> String {
    escape_html(s)
}
