//! Watching the book: notify's recommended watcher, debounced here, and each
//! changed path turned into what it needs rebuilt (as Zola's `ChangeKind`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};

use super::State;

/// Quiet time after the last event before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(100);
/// A stream of saves never delays a rebuild by more than this.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// What one changed path needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `book.toml`: everything.
    Config,
    /// The catalog, the regions, or a problem file added, removed or renamed:
    /// reload every problem and render every page.
    Course,
    /// A file of the author's theme folder; `css` when it is a stylesheet.
    Theme { css: bool },
    /// The playground's sources: rebuild the WebAssembly bundle.
    Playground,
    /// `SUMMARY.md`, or a folder of chapters: every page (the sidebar changes).
    Summary,
    /// One chapter, by its path relative to the content folder.
    Chapter(String),
    /// One known problem file, relative to the book root.
    Problem(String),
}

/// The folders and files `serve` watches, absolute.
pub struct Watched {
    pub root: PathBuf,
    pub content: PathBuf,
    pub problems: PathBuf,
    pub theme: Option<PathBuf>,
    /// The built-in theme's source folder, when Meridian runs from its tree.
    pub builtin_theme: Option<PathBuf>,
    pub playground: Option<PathBuf>,
}

impl Watched {
    /// What `path` (changed, created or removed) needs; `None` to ignore it.
    /// `known_problem` says whether a root-relative path is a loaded problem
    /// file or a folder holding one.
    pub fn classify(&self, path: &Path, known_problem: &dyn Fn(&str) -> bool) -> Option<Change> {
        let name = path.file_name()?.to_string_lossy();
        if is_scratch_file(&name) {
            return None;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if path == self.root.join("book.toml") {
            return Some(Change::Config);
        }
        if let Some(theme) = [&self.theme, &self.builtin_theme]
            .into_iter()
            .flatten()
            .find(|t| path.starts_with(t))
        {
            let _ = theme;
            if path.is_dir() {
                return None;
            }
            return Some(Change::Theme {
                css: ext.as_deref() == Some("css") && path.is_file(),
            });
        }
        if let Some(pg) = &self.playground
            && let Ok(rel) = path.strip_prefix(pg)
        {
            let in_target = rel.components().any(|c| c.as_os_str() == "target");
            return (!in_target && !path.is_dir()).then_some(Change::Playground);
        }
        if let Ok(rel) = path.strip_prefix(&self.problems) {
            let rel = slashed(rel);
            if rel == "catalog.yaml" || rel == "regions.yaml" {
                return Some(Change::Course);
            }
            return match ext.as_deref() {
                Some("yaml" | "yml") => {
                    let file = crate::diagnostics::display_path(path, &self.root);
                    if path.is_file() && known_problem(&file) {
                        Some(Change::Problem(file))
                    } else {
                        Some(Change::Course)
                    }
                }
                // A category folder created, removed or renamed.
                None if path.is_dir()
                    || known_problem(&crate::diagnostics::display_path(path, &self.root)) =>
                {
                    Some(Change::Course)
                }
                _ => None,
            };
        }
        if let Ok(rel) = path.strip_prefix(&self.content) {
            let rel = slashed(rel);
            if rel == "SUMMARY.md" {
                return Some(Change::Summary);
            }
            return match ext.as_deref() {
                Some("md") => Some(Change::Chapter(rel)),
                _ => None,
            };
        }
        None
    }
}

/// Editors' swap, backup and temporary files, and hidden files (including
/// the build's own staging folders).
fn is_scratch_file(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".bak", ".crswap"]
            .iter()
            .any(|s| name.ends_with(s))
}

fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Watches the book for ever, rebuilding after each burst of changes.
/// Watches until the process ends; `ready` runs once every folder is being
/// watched (announcing the server earlier would let a quick first edit slip
/// by unseen).
pub fn run(state: &mut State, ready: impl FnOnce()) -> anyhow::Result<()> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })
    .context("cannot start watching files")?;
    let watched = state.watched();
    let mut targets: Vec<(PathBuf, RecursiveMode)> = vec![
        (watched.root.clone(), RecursiveMode::NonRecursive),
        (watched.content.clone(), RecursiveMode::Recursive),
        (watched.problems.clone(), RecursiveMode::Recursive),
    ];
    targets.extend(
        watched
            .theme
            .iter()
            .chain(watched.builtin_theme.iter())
            .map(|t| (t.clone(), RecursiveMode::Recursive)),
    );
    targets.extend(
        watched
            .playground
            .iter()
            .map(|p| (p.clone(), RecursiveMode::Recursive)),
    );
    for (path, mode) in &targets {
        if path.exists() {
            watcher
                .watch(path, *mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }
    ready();

    loop {
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        let mut paths = BTreeSet::new();
        collect(first, &mut paths);
        let burst = Instant::now();
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(ev) => collect(ev, &mut paths),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            if burst.elapsed() > MAX_DELAY {
                break;
            }
        }
        let watched = state.watched();
        let changes: Vec<(PathBuf, Change)> = paths
            .into_iter()
            .filter_map(|p| {
                let c = watched.classify(&p, &|f| state.knows_problem(f))?;
                Some((p, c))
            })
            .collect();
        if !changes.is_empty() {
            state.rebuild(&changes);
        }
    }
}

fn collect(event: notify::Result<notify::Event>, paths: &mut BTreeSet<PathBuf>) {
    match event {
        Ok(ev) => {
            if matches!(ev.kind, EventKind::Access(_)) {
                return;
            }
            paths.extend(ev.paths);
        }
        Err(e) => eprintln!("warning: watching files: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("content/basics")).unwrap();
        std::fs::create_dir_all(root.join("problems/multiregion")).unwrap();
        std::fs::write(root.join("content/basics/latency.md"), "x").unwrap();
        std::fs::write(root.join("problems/multiregion/01-a.yaml"), "x").unwrap();
        std::fs::write(root.join("problems/multiregion/02-b.yaml"), "x").unwrap();
        let w = Watched {
            content: root.join("content"),
            problems: root.join("problems"),
            theme: Some(root.join("theme")),
            builtin_theme: Some(root.join("meridian/themes/default")),
            playground: None,
            root: root.clone(),
        };
        let known = |f: &str| f == "problems/multiregion/01-a.yaml";
        let c = |p: &str| w.classify(&root.join(p), &known);
        assert_eq!(c("book.toml"), Some(Change::Config));
        assert_eq!(c("site"), None);
        assert_eq!(c(".site.building-1-0"), None);
        assert_eq!(c("content/SUMMARY.md"), Some(Change::Summary));
        assert_eq!(
            c("content/basics/latency.md"),
            Some(Change::Chapter("basics/latency.md".into()))
        );
        assert_eq!(c("content/basics/.latency.md.swp"), None);
        assert_eq!(c("content/basics/latency.md~"), None);
        assert_eq!(
            c("problems/multiregion/01-a.yaml"),
            Some(Change::Problem("problems/multiregion/01-a.yaml".into()))
        );
        // Added, or removed: the set of problems changed.
        assert_eq!(c("problems/multiregion/02-b.yaml"), Some(Change::Course));
        assert_eq!(c("problems/multiregion/09-gone.yaml"), Some(Change::Course));
        assert_eq!(c("problems/catalog.yaml"), Some(Change::Course));
        assert_eq!(c("problems/multiregion/sedX1y2z3"), None);
        assert_eq!(c("problems/newcategory"), None);
        assert_eq!(c("theme/x.css"), Some(Change::Theme { css: false }));
        assert_eq!(c("theme/chapter.html"), Some(Change::Theme { css: false }));
        assert_eq!(
            c("meridian/themes/default/problem.html"),
            Some(Change::Theme { css: false })
        );
    }
}
