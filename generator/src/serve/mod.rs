//! `meridian serve`: build, serve the output on 127.0.0.1, watch the book and
//! rebuild what each change needs, and tell open pages to reload (or show the
//! error) over Server-Sent Events.
//!
//! - [`http`]: the static server (tiny_http), the live-reload script
//!   (injected into HTML responses only, so `build` output stays clean) and
//!   the event stream.
//! - [`paths`]: URL path → file inside the output folder, refusing every way
//!   out of it; shared with the test suite's static server.
//! - [`events`]: the broadcast to open pages, remembering the current error.
//! - [`watch`]: notify, debouncing, and what each changed path needs.
//!
//! The course, the templates and the highlighter are kept between rebuilds:
//! a chapter edit renders that chapter; a problem edit reloads that file and
//! renders its page and the pages listing problems (everything when its
//! title, number or difficulty, shown in the sidebar, changed); `SUMMARY.md`,
//! the catalog or `book.toml` render everything. A failed rebuild changes
//! nothing on disk (full rebuilds are staged in a folder swapped in at the
//! end, partial ones held in memory until every page rendered), and the next
//! one redoes everything.

pub mod events;
pub mod http;
pub mod paths;
pub mod watch;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use anyhow::Context;

use crate::bundle::{Bundle, RustErrors};
use crate::config::BookConfig;
use crate::diagnostics::{Errors, LocatedError};
use crate::load::{Course, course_errors, load_course, read_problem};
use crate::site::{PageSet, Renderer};
use events::{Hub, event};
use http::Served;
use watch::{Change, Watched};

pub struct Options {
    pub port: u16,
    pub open: bool,
    pub playground: bool,
    pub dest: Option<PathBuf>,
}

/// Builds, serves and rebuilds until interrupted.
pub fn serve(root: &Path, options: &Options) -> anyhow::Result<ExitCode> {
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot find the book root {}", root.display()))?;
    let config = BookConfig::load(&root).ok();
    let out = match &options.dest {
        Some(d) => d.clone(),
        None => root.join(
            config
                .as_ref()
                .map_or_else(|| PathBuf::from("site"), |c| c.build.build_dir.clone()),
        ),
    };
    let hub = Arc::new(Hub::default());
    let mut state = State {
        root: root.clone(),
        out: out.clone(),
        playground: options.playground,
        hub: hub.clone(),
        config,
        course: None,
        renderer: None,
        bundle: None,
        broken: true,
        bundle_broken: options.playground,
        served: None,
    };
    state.rebuild(&[]);

    let listener = TcpListener::bind(("127.0.0.1", options.port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", options.port))?;
    let port = listener.local_addr()?.port();
    let base = state.base();
    let served = Arc::new(Served {
        out: out.clone(),
        base: RwLock::new(base.clone()),
        hub,
        instance: format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis())
        ),
    });
    state.served = Some(served.clone());
    std::thread::Builder::new()
        .name("meridian-accept".into())
        .spawn(move || http::run(listener, served))?;
    let url = format!("http://127.0.0.1:{port}{base}");
    watch::run(&mut state, || {
        outln!("Serving {} at {url}", out.display());
        outln!("Watching for changes; press Ctrl+C to stop.");
        if options.open {
            open_browser(&url);
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = cmd.arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

/// What `serve` keeps between rebuilds.
pub struct State {
    root: PathBuf,
    out: PathBuf,
    playground: bool,
    hub: Arc<Hub>,
    /// The last `book.toml` read successfully.
    config: Option<BookConfig>,
    course: Option<Course>,
    renderer: Option<Renderer>,
    bundle: Option<Bundle>,
    /// The last rebuild failed (or none ran yet): the next one redoes everything.
    broken: bool,
    /// The playground failed to build (or was never built).
    bundle_broken: bool,
    served: Option<Arc<Served>>,
}

/// Why a rebuild failed.
enum Failure {
    Located(Errors),
    /// rustc's errors in the playground: located, and as rustc renders them.
    Rust(RustErrors),
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        // The playground's compile errors keep their locations.
        if let Some(rust) = e.chain().find_map(|c| c.downcast_ref::<RustErrors>()) {
            return Failure::Rust(rust.clone());
        }
        Failure::Other(e)
    }
}

impl From<Errors> for Failure {
    fn from(e: Errors) -> Self {
        Failure::Located(e)
    }
}

impl Failure {
    fn text(&self) -> String {
        match self {
            Failure::Located(errors) => errors.to_string(),
            Failure::Rust(rust) => {
                format!(
                    "the playground does not compile:\n\n{}",
                    rust.rendered.trim_end()
                )
            }
            Failure::Other(e) => {
                let mut s = format!("error: {e}");
                for cause in e.chain().skip(1) {
                    s.push_str(&format!("\n  caused by: {cause}"));
                }
                s
            }
        }
    }

    fn errors(&self) -> &[LocatedError] {
        match self {
            Failure::Located(errors) | Failure::Rust(RustErrors { errors, .. }) => &errors.0,
            Failure::Other(_) => &[],
        }
    }
}

/// What a burst of changes needs, merged.
#[derive(Default)]
struct Plan {
    config: bool,
    course: bool,
    theme: bool,
    /// Only stylesheets of the theme changed.
    css_only: bool,
    playground: bool,
    summary: bool,
    chapters: BTreeSet<String>,
    problems: BTreeSet<String>,
}

impl Plan {
    fn new(changes: &[(PathBuf, Change)]) -> Plan {
        let mut plan = Plan {
            css_only: true,
            ..Plan::default()
        };
        for (_, c) in changes {
            if !matches!(c, Change::Theme { css: true }) {
                plan.css_only = false;
            }
            match c {
                Change::Config => plan.config = true,
                Change::Course => plan.course = true,
                Change::Theme { .. } => plan.theme = true,
                Change::Playground => plan.playground = true,
                Change::Summary => plan.summary = true,
                Change::Chapter(c) => {
                    plan.chapters.insert(c.clone());
                }
                Change::Problem(p) => {
                    plan.problems.insert(p.clone());
                }
            }
        }
        plan.css_only &= !changes.is_empty();
        plan
    }
}

/// A successful rebuild.
struct Done {
    pages: usize,
    /// Only stylesheets changed: pages can swap them without reloading.
    css_only: bool,
}

impl State {
    pub fn watched(&self) -> Watched {
        let config = self.config.clone().unwrap_or_default();
        Watched {
            root: self.root.clone(),
            content: self.root.join(&config.book.src),
            problems: self.root.join(&config.book.problems),
            theme: config.output.html.theme.as_ref().map(|t| self.root.join(t)),
            builtin_theme: builtin_theme_dir(),
            playground: self
                .playground
                .then(|| crate::bundle::source_root().join("playground")),
        }
    }

    pub fn knows_problem(&self, file: &str) -> bool {
        self.course.as_ref().is_some_and(|c| {
            c.problems.iter().any(|p| {
                p.file == file
                    || p.file
                        .strip_prefix(file)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        })
    }

    fn base(&self) -> String {
        http::base_path(
            self.config
                .as_ref()
                .map_or("/", |c| c.output.html.site_url.as_str()),
        )
    }

    /// Rebuilds for `changes` (everything when empty or after a failure),
    /// then tells the pages: reload, swap the stylesheets, or show the error.
    pub fn rebuild(&mut self, changes: &[(PathBuf, Change)]) {
        let started = Instant::now();
        let plan = Plan::new(changes);
        let result = self.run(&plan);
        let elapsed = started.elapsed();
        let ms = elapsed.as_secs_f64() * 1e3;
        let what = describe(&self.root, changes);
        match result {
            Ok(done) => {
                self.broken = false;
                let had_error = self.hub.clear_error();
                let name = if done.css_only { "css" } else { "reload" };
                let pages = self.hub.broadcast(event(
                    name,
                    &serde_json::json!({ "changed": what, "pages": done.pages, "ms": ms }),
                ));
                // The time from the end of the debounce to the reload message.
                let to_message = started.elapsed().as_secs_f64() * 1e3;
                outln!(
                    "{} {what} ({} page{}) in {ms:.1} ms{}{}",
                    if changes.is_empty() {
                        "built"
                    } else {
                        "rebuilt"
                    },
                    done.pages,
                    if done.pages == 1 { "" } else { "s" },
                    if pages > 0 {
                        format!(", {name} sent to {pages} page(s) at {to_message:.1} ms")
                    } else {
                        String::new()
                    },
                    if had_error { ", error cleared" } else { "" },
                );
            }
            Err(failure) => {
                self.broken = true;
                let text = failure.text();
                match &failure {
                    // rustc's words were printed as the compile went.
                    Failure::Rust(rust) if !rust.errors.0.is_empty() => {
                        eprintln!("{}", rust.errors)
                    }
                    _ => eprintln!("{text}"),
                }
                eprintln!(
                    "after {what}: the last good site is still served; fix the error to rebuild"
                );
                self.hub.set_error(event(
                    "build-error",
                    &serde_json::json!({
                        "message": text,
                        "errors": failure.errors(),
                        "changed": what,
                    }),
                ));
            }
        }
    }

    fn run(&mut self, plan: &Plan) -> Result<Done, Failure> {
        let everything = self.broken || plan.config;
        let mut full = everything || plan.course || plan.summary || plan.playground;
        if plan.theme && !plan.css_only {
            full = true;
        }

        // The course.
        if everything || self.course.is_none() {
            let course = load_course(&self.root)?;
            self.config = Some(course.config.clone());
            if let Some(s) = &self.served {
                *s.base.write().unwrap_or_else(|e| e.into_inner()) = self.base();
            }
            self.course = Some(course);
        } else if plan.course {
            let config = self.course.as_ref().map(|c| c.config.clone());
            self.course = Some(crate::load::load_course_with(
                &self.root,
                config.unwrap_or_default(),
            )?);
        } else if !plan.problems.is_empty() && self.reload_problems(&plan.problems)? {
            full = true;
        }
        let course = self.course.as_ref().expect("loaded above");

        // The templates and highlighter.
        match &mut self.renderer {
            None => {
                self.renderer = Some(Renderer::with_builtin_theme(course, builtin_theme_dir())?)
            }
            Some(r) if everything || plan.theme => r.reload_theme(course)?,
            Some(_) => {}
        }
        let renderer = self.renderer.as_ref().expect("created above");

        // The playground.
        if self.playground && (plan.playground || self.bundle_broken) {
            let started = Instant::now();
            self.bundle_broken = true;
            let b = crate::bundle::build(&crate::bundle::source_root())?;
            outln!(
                "playground: {} and {} in {:.1} s",
                b.wasm_name,
                b.js_name,
                started.elapsed().as_secs_f64()
            );
            self.bundle = Some(b);
            self.bundle_broken = false;
            full = true;
        }
        let bundle = self.bundle.as_ref();

        if full {
            let report = crate::build::build_site_by(&self.out, |staging, previous| {
                renderer.render_all(course, staging, previous, bundle)
            })?;
            return Ok(Done {
                pages: report.pages,
                css_only: false,
            });
        }
        let ids: Vec<String> = plan
            .problems
            .iter()
            .filter_map(|f| course.problems.iter().find(|p| p.file == *f))
            .map(|p| p.problem.id.clone())
            .collect();
        let set = PageSet {
            chapters: plan.chapters.iter().cloned().collect(),
            listings: !ids.is_empty(),
            problems: ids,
            assets: plan.theme,
        };
        let pages = renderer.render_pages(course, &self.out, bundle, &set)?;
        Ok(Done {
            pages,
            css_only: plan.css_only && plan.theme,
        })
    }

    /// Re-reads changed problem files into the course, checking them alone
    /// and then across the course; returns whether the navigation changed
    /// (a title, number, difficulty or id), which needs every page.
    fn reload_problems(&mut self, files: &BTreeSet<String>) -> Result<bool, Failure> {
        let course = self.course.as_ref().expect("a course to update");
        let mut problems = course.problems.clone();
        let mut errors = Vec::new();
        let mut nav_changed = false;
        for file in files {
            match read_problem(
                &self.root.join(file),
                file,
                &course.catalog,
                &course.regions,
            ) {
                Ok(problem) => {
                    if let Some(slot) = problems.iter_mut().find(|p| p.file == *file) {
                        let key = |p: &meridian_engine::Problem| {
                            (p.id.clone(), p.number, p.title.clone(), p.difficulty)
                        };
                        nav_changed |= key(&slot.problem) != key(&problem);
                        slot.problem = problem;
                    }
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            errors = course_errors(&self.root, &problems);
        }
        if !errors.is_empty() {
            return Err(Errors(errors).into());
        }
        self.course.as_mut().expect("checked above").problems = problems;
        Ok(nav_changed)
    }
}

/// The changed files for the terminal: `content/a.md`, or `a.md and 3 more`.
fn describe(root: &Path, changes: &[(PathBuf, Change)]) -> String {
    let mut names: Vec<String> = changes
        .iter()
        .map(|(p, _)| crate::diagnostics::display_path(p, root))
        .collect();
    names.dedup();
    match names.len() {
        0 => "the site".to_string(),
        1..=3 => names.join(", "),
        n => format!("{} and {} more", names[..2].join(", "), n - 2),
    }
}

/// The built-in theme's source folder when Meridian runs from its own tree
/// (`cargo run -- serve`): edits to it show without recompiling.
fn builtin_theme_dir() -> Option<PathBuf> {
    let dir = crate::bundle::source_root().join("themes").join("default");
    dir.join("base.html").is_file().then_some(dir)
}
