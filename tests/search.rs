//! The search index of the real course (`search-index.js`): one entry per
//! problem and per chapter section, every URL resolving to a page and an
//! anchor of the built site, compact. The client that reads it is tested in
//! Chromium (`tests/browser/search.rs`), typo queries included.

mod support;

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use support::course::{build, course};
use support::{BuiltSite, FixtureSite, attr_values};

const INDEX: &str = "search-index.js";
const PREFIX: &str = "window.meridianSearchIndex=";

/// The index's JSON, from the script that assigns it.
fn index(site: &BuiltSite) -> Value {
    let text = site.read(INDEX);
    let json = text
        .strip_prefix(PREFIX)
        .and_then(|t| t.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("{INDEX} is not `{PREFIX}…;`"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{INDEX}: {e}"))
}

fn docs(index: &Value) -> &[Value] {
    index["docs"].as_array().expect("docs")
}

fn s<'a>(doc: &'a Value, key: &str) -> &'a str {
    doc[key].as_str().unwrap_or_default()
}

/// Lowercase words, split as the client splits them.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn all_words(doc: &Value) -> BTreeSet<String> {
    ["t", "p", "x", "w"]
        .iter()
        .flat_map(|k| words(s(doc, k)))
        .collect()
}

/// Heading anchors of a chapter page, as the renderer writes them.
fn heading_anchors(html: &str) -> Vec<String> {
    html.split("<a class=\"anchor\" href=\"#")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(a, _)| a.to_string()))
        .collect()
}

#[test]
fn every_problem_and_chapter_section_is_indexed_and_resolves() {
    let course = course();
    let site = build(&course);
    let index = index(&site);
    let docs = docs(&index);
    let by_url: HashMap<&str, &Value> = docs.iter().map(|d| (s(d, "u"), d)).collect();
    assert_eq!(by_url.len(), docs.len(), "URLs are unique");

    // Every problem, with its difficulty, reference types and searchable text.
    for lp in &course.problems {
        let p = &lp.problem;
        let url = format!("problems/{}.html", p.id);
        let doc = by_url
            .get(url.as_str())
            .unwrap_or_else(|| panic!("{url} is not indexed"));
        assert_eq!(s(doc, "t"), p.title);
        assert_eq!(s(doc, "d"), p.difficulty.as_str(), "{url}");
        let types: BTreeSet<&str> = doc["c"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let reference: BTreeSet<&str> = p
            .reference
            .components
            .iter()
            .map(|c| c.component_type.as_str())
            .collect();
        assert_eq!(types, reference, "{url}: component types");
        let have = all_words(doc);
        let fields = [p.summary.as_str(), p.description.as_str()]
            .into_iter()
            .chain(p.functional_requirements.iter().map(String::as_str))
            .chain(p.hints.iter().map(String::as_str));
        for field in fields {
            for w in words(field) {
                // Stop words (five letters at most) are left out on purpose.
                if w.chars().count() > 5 {
                    assert!(have.contains(&w), "{url}: `{w}` (from `{field}`) missing");
                }
            }
        }
        for t in &p.available_components {
            let label = &course.catalog.get(t).unwrap().label;
            for w in words(label) {
                assert!(have.contains(&w), "{url}: type label `{label}` missing");
            }
        }
    }
    let problems = docs.iter().filter(|d| d.get("d").is_some()).count();
    assert_eq!(problems, 35);

    // Every heading of every chapter page is an entry (the page's own title
    // is the entry without an anchor), and every entry's anchor exists.
    let chapter_pages: Vec<String> = site
        .html_files()
        .into_iter()
        .filter(|f| {
            !f.contains('/') && !["index.html", "404.html", "catalog.html"].contains(&f.as_str())
        })
        .collect();
    assert_eq!(chapter_pages.len(), site.report.chapters);
    let mut sections = 0;
    for page in &chapter_pages {
        let html = site.read(page);
        let anchors = heading_anchors(&html);
        assert!(!anchors.is_empty(), "{page} has headings");
        assert!(by_url.contains_key(page.as_str()), "{page} itself");
        for a in &anchors[1..] {
            let url = format!("{page}#{a}");
            assert!(by_url.contains_key(url.as_str()), "{url} is not indexed");
            sections += 1;
        }
    }
    assert!(sections >= 150, "only {sections} sections");
    for doc in docs {
        let url = s(doc, "u");
        let (path, anchor) = url.split_once('#').unwrap_or((url, ""));
        assert!(site.exists(path), "{url}: no page `{path}`");
        if !anchor.is_empty() {
            let ids = attr_values(&site.read(path), "id");
            assert!(ids.iter().any(|i| i == anchor), "{url}: no such anchor");
        }
        assert!(!s(doc, "t").is_empty(), "{url}: empty title");
        assert!(
            s(doc, "x").chars().count() <= 181,
            "{url}: excerpt too long"
        );
    }
    assert_eq!(docs.len(), 35 + chapter_pages.len() + sections);

    // The entries a reader looking for replication should find.
    let replication: Vec<&str> = docs
        .iter()
        .filter(|d| all_words(d).contains("replication"))
        .map(|d| s(d, "u"))
        .collect();
    assert!(
        replication.contains(&"replication.html#synchronous-replication"),
        "{replication:?}"
    );
    assert!(replication.contains(&"problems/basic-multi-region.html"));
}

#[test]
fn the_index_is_compact() {
    let site = build(&course());
    let bytes = std::fs::read(site.path().join(INDEX)).unwrap();
    let gz = meridian::bundle::gzip_size(&bytes);
    let n = docs(&index(&site)).len();
    eprintln!(
        "search index: {n} entries, {} bytes, {gz} bytes gzipped",
        bytes.len()
    );
    // The index grows with the course, so its budget is a share of the text
    // it indexes (the chapters and problem files): measured at 0.39 raw and
    // 0.13 gzipped with 18 chapters and 35 problems (221,658 and 73,201
    // bytes of 572,461), an index that repeats words or shown text grows past it.
    let text: usize = ["content", "problems/multiregion"]
        .iter()
        .flat_map(|d| std::fs::read_dir(support::course::root().join(d)).unwrap())
        .map(|e| std::fs::metadata(e.unwrap().path()).unwrap().len() as usize)
        .sum();
    assert!(
        bytes.len() * 100 < text * 42,
        "{} bytes for {text} of text",
        bytes.len()
    );
    assert!(
        gz * 100 < text * 14,
        "{gz} bytes gzipped for {text} of text"
    );
    // Words are lowercase and distinct, and not repeated from what is shown.
    for doc in docs(&index(&site)) {
        let w: Vec<&str> = s(doc, "w").split(' ').filter(|w| !w.is_empty()).collect();
        let distinct: BTreeSet<&str> = w.iter().copied().collect();
        assert_eq!(distinct.len(), w.len(), "{}", s(doc, "u"));
        let shown = words(&format!("{} {} {}", s(doc, "t"), s(doc, "p"), s(doc, "x")));
        for word in &w {
            assert_eq!(word.to_lowercase(), *word);
            assert!(!shown.contains(*word), "{}: `{word}` repeated", s(doc, "u"));
        }
    }
}

/// The index is a script at the site root that every page can reach through
/// its relative root, at any depth and under a subpath; no page links it
/// statically (search.js loads it on first use).
#[test]
fn every_page_can_reach_the_index_and_the_client() {
    let site = FixtureSite::from_dir("mini")
        .set_config("output.html", "site-url = \"/course/\"")
        .build()
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert!(site.exists(INDEX));
    assert!(site.exists("assets/js/search.js"));
    for page in site.html_files() {
        let html = site.read(&page);
        let root = if page == "404.html" {
            "/course/".to_string()
        } else {
            "../".repeat(page.matches('/').count())
        };
        assert!(
            html.contains(&format!(
                "<script src=\"{root}assets/js/search.js\" defer></script>"
            )),
            "{page}: search.js"
        );
        assert!(
            html.contains(&format!(
                "class=\"site-search\" role=\"search\" data-root=\"{root}\""
            )),
            "{page}: search box with its root"
        );
        assert!(!html.contains(INDEX), "{page} loads the index eagerly");
    }
    // The landing page: filters (hidden until search.js runs), one option per
    // difficulty shown and per component type of a card, cards tagged.
    let landing = site.read("index.html");
    assert!(
        landing
            .contains("<form class=\"problem-filters\" aria-label=\"Filter the problems\" hidden>")
    );
    assert!(landing.contains("data-difficulty=\"easy\""));
    assert!(landing.contains("<li class=\"problem-card\" data-types=\""));
}
