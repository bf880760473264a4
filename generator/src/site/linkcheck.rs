//! Internal links, checked before any page is written.
//!
//! Every link of the course's Markdown — the chapters listed in `SUMMARY.md`
//! and the Markdown fields of each problem (`description`,
//! `reference.explanation`) — is resolved against the pages the build is
//! about to write: a chapter (`latency.md`, or its page `latency.html`), a
//! problem page (`problems/<id>.html`, or by id: `problem:<id>`), the landing
//! page, the catalog or a theme asset. A `#fragment` must name an anchor of
//! the target: a heading of its Markdown (computed exactly as the renderer
//! computes it, see [`links_and_anchors`]) or a fixed section id of its
//! template. External links (any URL with a scheme) are not checked: the
//! build never touches the network.
//!
//! Every broken link of the course is reported at once, each with its file,
//! line and column; a problem's fields are located in its YAML file.

use std::collections::{BTreeMap, BTreeSet};

use meridian_engine::Difficulty;
use meridian_engine::validate::{Path as DocPath, Seg};

use super::Site;
use super::links::{chapter_output_path, is_external, problem_link};
use super::markdown::{Slugs, SourceLink, links_and_anchors};
use super::nav::{difficulty_anchor, problem_path};
use super::pages::problem::SECTION_IDS;
use crate::diagnostics::{Errors, LocatedError, display_path, line_col};
use crate::load::yaml_index::YamlIndex;

/// Ids of a chapter page's template, reserved before its headings.
pub(crate) const CHAPTER_IDS: &[&str] = &["content", "sidebar"];

/// Template ids valid as link targets but not worth listing in an error.
const UNLISTED_IDS: &[&str] = &["content", "sidebar", "playground-title", "playground-data"];

/// Fixed ids of the landing page's template (besides the difficulty groups).
const INDEX_IDS: &[&str] = &[
    "about",
    "start-here",
    "problems",
    "filter-difficulty",
    "filter-type",
];

/// A page links may point to, and its anchors.
struct Target {
    /// How errors name it: `replication.md`, problem `global-cdn`.
    name: String,
    /// "heading" for chapters, "section or heading" for problem pages, …
    kind: &'static str,
    /// Listed in errors, in page order.
    anchors: Vec<String>,
    /// Valid too, not listed.
    unlisted: BTreeSet<String>,
}

impl Target {
    fn has(&self, anchor: &str) -> bool {
        self.anchors.iter().any(|a| a == anchor) || self.unlisted.contains(anchor)
    }
}

/// Where a Markdown text comes from, to turn its byte offsets into the
/// file's line and column.
enum Origin {
    /// A Markdown file: offsets are the file's.
    File,
    /// The scalar at `path` of a YAML file (read again only to locate an
    /// error: most builds have none).
    Yaml(DocPath),
}

/// One Markdown text to check.
struct Source<'t> {
    /// The file, as errors name it.
    file: String,
    /// The page it renders into, site-relative.
    page: String,
    text: &'t str,
    origin: Origin,
    links: Vec<SourceLink>,
}

/// Checks every internal link of the course; all broken links at once.
pub(crate) fn check(site: &Site<'_>) -> Result<(), Errors> {
    let course = site.course;
    let content = course.config.book.src.clone();
    let mut targets: BTreeMap<String, Target> = BTreeMap::new();

    // Chapters. One that cannot be read is the chapter renderer's error (with
    // the line of `SUMMARY.md` naming it); links are checked once every
    // chapter is there, since links to the missing one would only repeat it.
    let mut chapter_texts: Vec<(String, String, String)> = Vec::new();
    for chapter in site.summary.chapters() {
        let Some(path) = chapter.path.as_ref() else {
            continue;
        };
        let full = course.root.join(&content).join(path);
        let Ok(text) = std::fs::read_to_string(&full) else {
            return Ok(());
        };
        chapter_texts.push((path.clone(), display_path(&full, &course.root), text));
    }
    let mut chapter_links = Vec::new();
    for (path, file, text) in &chapter_texts {
        let mut slugs = Slugs::with_reserved(CHAPTER_IDS.iter().copied());
        let (links, anchors) = links_and_anchors(text, &mut slugs);
        let page = chapter_output_path(path);
        targets.insert(
            page.clone(),
            Target {
                name: path.clone(),
                kind: "heading",
                anchors,
                unlisted: CHAPTER_IDS.iter().map(|s| s.to_string()).collect(),
            },
        );
        chapter_links.push(Source {
            file: file.clone(),
            page,
            text,
            origin: Origin::File,
            links,
        });
    }

    // Problems: both Markdown fields share the page's slugs, description first.
    let mut problem_links = Vec::new();
    for loaded in &site.problems {
        let p = &loaded.problem;
        let page = problem_path(&p.id);
        let mut slugs = Slugs::with_reserved(SECTION_IDS.iter().copied());
        let mut anchors: Vec<String> = SECTION_IDS
            .iter()
            .filter(|id| !UNLISTED_IDS.contains(id))
            .map(|s| s.to_string())
            .collect();
        anchors.extend(p.tiers.iter().map(|t| format!("tier-{}", t.id)));
        for (text, path) in [
            (&p.description, &["description"][..]),
            (&p.reference.explanation, &["reference", "explanation"][..]),
        ] {
            let (links, headings) = links_and_anchors(text, &mut slugs);
            anchors.extend(headings);
            problem_links.push(Source {
                file: loaded.file.clone(),
                page: page.clone(),
                text,
                origin: Origin::Yaml(DocPath(
                    path.iter().map(|k| Seg::Key(k.to_string())).collect(),
                )),
                links,
            });
        }
        targets.insert(
            page,
            Target {
                name: format!("problem `{}`", p.id),
                kind: "section or heading",
                anchors,
                unlisted: UNLISTED_IDS.iter().map(|s| s.to_string()).collect(),
            },
        );
    }

    // The listings, with the ids of the built-in templates.
    let mut index_anchors: Vec<String> = INDEX_IDS.iter().map(|s| s.to_string()).collect();
    index_anchors.extend(
        Difficulty::ALL
            .iter()
            .filter(|&&d| site.problems.iter().any(|p| p.problem.difficulty == d))
            .map(|&d| difficulty_anchor(d)),
    );
    targets.insert(
        "index.html".into(),
        Target {
            name: "index.html".into(),
            kind: "section",
            anchors: index_anchors,
            unlisted: CHAPTER_IDS.iter().map(|s| s.to_string()).collect(),
        },
    );
    let mut catalog_anchors = vec!["network".to_string()];
    catalog_anchors.extend(course.catalog.types.keys().map(|id| format!("type-{id}")));
    targets.insert(
        "catalog.html".into(),
        Target {
            name: "catalog.html".into(),
            kind: "section",
            anchors: catalog_anchors,
            unlisted: CHAPTER_IDS.iter().map(|s| s.to_string()).collect(),
        },
    );

    // Files without anchors.
    let mut files: BTreeSet<String> = site
        .theme
        .assets
        .iter()
        .map(|(rel, _)| format!("assets/{rel}"))
        .collect();
    for f in [
        "404.html",
        "search-index.js",
        "assets/css/highlight.css",
        "assets/css/figures.css",
        "assets/icons/components.svg",
        "sitemap.xml",
        "robots.txt",
    ] {
        files.insert(f.to_string());
    }

    let ids: Vec<&str> = site
        .problems
        .iter()
        .map(|p| p.problem.id.as_str())
        .collect();
    let resolver = Resolver {
        targets: &targets,
        files: &files,
        problem_ids: &ids,
        content_dir: &display_path(&course.root.join(&content), &course.root),
        content_root: &course.root.join(&content),
        summary_name: &site.summary_name,
    };
    let mut errors = Vec::new();
    let mut yaml_files: BTreeMap<String, (String, YamlIndex)> = BTreeMap::new();
    for source in chapter_links.iter().chain(&problem_links) {
        for link in &source.links {
            if let Err(message) = resolver.resolve(&source.page, &link.url) {
                let (line, column) = match &source.origin {
                    Origin::File => line_col(source.text, link.offset),
                    Origin::Yaml(path) => {
                        let (file_text, index) =
                            yaml_files.entry(source.file.clone()).or_insert_with(|| {
                                let text = std::fs::read_to_string(course.root.join(&source.file))
                                    .unwrap_or_default();
                                let index = YamlIndex::build(&text);
                                (text, index)
                            });
                        locate_in_yaml(
                            file_text,
                            index.locate(path),
                            source.text,
                            link.offset,
                            &link.url,
                        )
                    }
                };
                errors.push(LocatedError::new(
                    source.file.clone(),
                    line,
                    column,
                    format!("link to `{}` — {message}", link.url),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

struct Resolver<'a> {
    targets: &'a BTreeMap<String, Target>,
    files: &'a BTreeSet<String>,
    problem_ids: &'a [&'a str],
    /// The content folder as errors name it (`content`).
    content_dir: &'a str,
    content_root: &'a std::path::Path,
    summary_name: &'a str,
}

impl Resolver<'_> {
    /// `Ok` when `url`, written on `page`, reaches an existing page and anchor;
    /// otherwise what is wrong.
    fn resolve(&self, page: &str, url: &str) -> Result<(), String> {
        if let Some((id, tail)) = problem_link(url) {
            if !self.problem_ids.contains(&id) {
                return Err(self.unknown_problem(id));
            }
            return self.fragment(&problem_path(id), tail.strip_prefix('#'));
        }
        if is_external(url) {
            return Ok(());
        }
        if url.starts_with('/') {
            return Err("an absolute path breaks under a subpath and from disk; \
                        link relatively, as from this file"
                .to_string());
        }
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if path.is_empty() {
            return self.fragment(page, fragment);
        }
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let Some(target) = normalize(dir, path) else {
            return Err("it leaves the site".to_string());
        };
        if let Some(stem) = target.strip_suffix(".md") {
            let html = format!("{stem}.html");
            if !self.targets.contains_key(&html) {
                let listed = if self.content_root.join(&target).is_file() {
                    format!(
                        "{}/{target} exists but is not listed in it",
                        self.content_dir
                    )
                } else {
                    format!("there is no {}/{target}", self.content_dir)
                };
                return Err(format!(
                    "`{target}` is not a chapter of {} ({listed})",
                    self.summary_name
                ));
            }
            return self.fragment(&html, fragment);
        }
        if self.targets.contains_key(&target) {
            return self.fragment(&target, fragment);
        }
        if self.files.contains(&target) {
            return Ok(());
        }
        if let Some(id) = target
            .strip_prefix("problems/")
            .and_then(|f| f.strip_suffix(".html"))
        {
            return Err(self.unknown_problem(id));
        }
        Err(format!("no page `{target}` in the site"))
    }

    fn fragment(&self, page: &str, fragment: Option<&str>) -> Result<(), String> {
        let Some(anchor) = fragment.filter(|f| !f.is_empty()) else {
            return Ok(());
        };
        let Some(target) = self.targets.get(page) else {
            return Ok(());
        };
        if target.has(anchor) {
            return Ok(());
        }
        let there = if target.anchors.is_empty() {
            "it has none".to_string()
        } else {
            format!("anchors there: {}", target.anchors.join(", "))
        };
        Err(format!(
            "no {} with anchor `{anchor}` in {} ({there})",
            target.kind, target.name
        ))
    }

    fn unknown_problem(&self, id: &str) -> String {
        let hint = match closest(id, self.problem_ids) {
            Some(near) => format!(" (did you mean `{near}`?)"),
            None if self.problem_ids.len() <= 10 => {
                format!(" (problem ids: {})", self.problem_ids.join(", "))
            }
            None => " (ids are the `id:` of each problem file)".to_string(),
        };
        format!("no problem with id `{id}`{hint}")
    }
}

/// The known id nearest to `id` by edit distance, if near enough to be a typo.
fn closest<'a>(id: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(id, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 5))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Joins a relative URL path to a page's folder, resolving `.` and `..`;
/// `None` when it climbs above the site root.
fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Maps a byte offset of a YAML scalar's value (`md`) to the line and column
/// of the file: exactly for literal blocks (`|`) and one-line scalars, whose
/// text is the file's; otherwise (folded or multi-line scalars) at the first
/// matching occurrence of the URL after the value's start; at worst, the
/// value's start.
fn locate_in_yaml(
    file_text: &str,
    value: (usize, usize),
    md: &str,
    offset: usize,
    url: &str,
) -> (usize, usize) {
    let Some(value_at) = offset_of(file_text, value) else {
        return value;
    };
    let (md_line, md_col) = line_col(md, offset);
    let rest = &file_text[value_at..];
    let candidate = if rest.starts_with(['|', '>']) {
        let indent = rest
            .lines()
            .skip(1)
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
        Some((value.0 + md_line, indent + md_col))
    } else if md_line == 1 {
        let quoted = usize::from(rest.starts_with(['"', '\'']));
        Some((value.0, value.1 + quoted + md_col - 1))
    } else {
        None
    };
    // The candidate is right when the file holds the link's text there.
    let snippet = md[offset..].lines().next().unwrap_or("");
    if let Some(at) = candidate.and_then(|c| offset_of(file_text, c))
        && file_text[at..].starts_with(snippet)
    {
        return candidate.expect("checked above");
    }
    if url.is_empty() {
        return value;
    }
    let nth = md[..offset].matches(url).count();
    let Some((i, _)) = file_text[value_at..].match_indices(url).nth(nth) else {
        return value;
    };
    let at = value_at + i;
    // Back to the link's start when its text sits on the same line: `[a](`.
    let prefix = md[offset..]
        .find(url)
        .map_or("", |end| &md[offset..offset + end]);
    match file_text[..at].strip_suffix(prefix) {
        Some(before) if !prefix.is_empty() && !prefix.contains('\n') => {
            line_col(file_text, before.len())
        }
        _ => line_col(file_text, at),
    }
}

/// The byte offset of a 1-based (line, column in characters).
fn offset_of(text: &str, (line, column): (usize, usize)) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = &text[start..];
    let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
    match line_text.char_indices().nth(column.checked_sub(1)?) {
        Some((i, _)) => Some(start + i),
        None if column - 1 == line_text.chars().count() => Some(start + line_text.len()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_locate(file: &str, key: &[&str], url: &str) -> (usize, usize) {
        let index = YamlIndex::build(file);
        let path = DocPath(key.iter().map(|k| Seg::Key(k.to_string())).collect());
        let doc: serde_yaml::Value = serde_yaml::from_str(file).unwrap();
        let mut v = &doc;
        for k in key {
            v = &v[*k];
        }
        let md = v.as_str().unwrap();
        let (links, _) = links_and_anchors(md, &mut Slugs::default());
        let link = links.iter().find(|l| l.url == url).unwrap();
        locate_in_yaml(file, index.locate(&path), md, link.offset, url)
    }

    #[test]
    fn links_in_literal_blocks_are_exact() {
        let file =
            "id: x\ndescription: |\n  First line.\n\n  See [a](a.md) and\n    [b](problem:y).\n";
        assert_eq!(yaml_locate(file, &["description"], "a.md"), (5, 7));
        assert_eq!(yaml_locate(file, &["description"], "problem:y"), (6, 5));
    }

    #[test]
    fn links_in_plain_and_quoted_scalars() {
        let file = "description: See [a](a.md).\nreference:\n  explanation: \"Or [b](b.md)\"\n";
        assert_eq!(yaml_locate(file, &["description"], "a.md"), (1, 18));
        assert_eq!(
            yaml_locate(file, &["reference", "explanation"], "b.md"),
            (3, 20)
        );
    }

    #[test]
    fn folded_scalars_fall_back_to_the_url() {
        let file = "description: >\n  One line\n  and [a](a.md)\n  more.\n";
        assert_eq!(yaml_locate(file, &["description"], "a.md"), (3, 7));
    }

    #[test]
    fn typos_suggest_the_nearest_id() {
        assert_eq!(
            closest("global-cnd", &["global-cdn", "geo-pinning"]),
            Some("global-cdn")
        );
        assert_eq!(closest("zzz", &["global-cdn"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn normalizing_paths() {
        assert_eq!(normalize("basics", "../a.md").as_deref(), Some("a.md"));
        assert_eq!(normalize("", "./b/c.html").as_deref(), Some("b/c.html"));
        assert_eq!(normalize("", "../x"), None);
    }
}
