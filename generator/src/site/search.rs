//! The search index, written at build time as `search-index.js`: one entry
//! per problem and one per chapter section (a chapter split at its headings).
//!
//! The index is a script that assigns a global rather than a `.json` file
//! fetched by the client: browsers refuse `fetch` on `file://`, while a
//! `<script src>` of the same site loads there, under any subpath and under a
//! strict `script-src 'self'`. The client (`themes/default/js/search.js`)
//! inserts that script on the first focus of the search box, so pages that
//! are never searched never load it.
//!
//! Compactness: each entry carries its title, its site-relative URL, a short
//! excerpt shown in the results, and `w`, the distinct words of the rest of
//! its text (lowercased, without stop words and without the words already in
//! the title or excerpt). The client tokenizes title, excerpt and words the
//! same way as [`tokens`] does here.

use anyhow::{Context, Result};
use meridian_engine::spec::Problem;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::Site;
use super::links::chapter_output_path;
use super::markdown::{Slugs, slugify};
use super::nav::problem_path;

/// The index file, at the site root.
const INDEX_FILE: &str = "search-index.js";
/// The global the index script assigns.
const GLOBAL: &str = "meridianSearchIndex";
/// Characters of text shown under a result's title.
const EXCERPT_CHARS: usize = 180;

#[derive(Debug, Serialize)]
struct Index {
    /// Format version, so a cached old client can tell.
    v: u32,
    /// Catalog type id → label, for the types of problem entries.
    types: indexmap::IndexMap<String, String>,
    docs: Vec<Doc>,
}

#[derive(Debug, Serialize)]
struct Doc {
    /// Title: the problem's, or the section's heading.
    t: String,
    /// For a chapter section, the chapter's title (empty for problems).
    #[serde(skip_serializing_if = "String::is_empty")]
    p: String,
    /// Site-relative URL, with `#anchor` for a section below the chapter title.
    u: String,
    /// Short plain-text excerpt.
    x: String,
    /// The other words of the entry, space-separated.
    w: String,
    /// Problems only: difficulty (`easy`, …) and the component types of the
    /// reference solution (as on the landing page's cards).
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<String>,
}

/// Builds the index of the whole site and writes it to the output folder.
pub fn write_index(site: &Site<'_>) -> Result<()> {
    let index = build_index(site)?;
    let json = serde_json::to_string(&index).context("serializing the search index")?;
    let script = format!("window.{GLOBAL}={json};\n");
    site.write(INDEX_FILE, script.as_bytes())
}

fn build_index(site: &Site<'_>) -> Result<Index> {
    let catalog = &site.course.catalog;
    let mut docs: Vec<Doc> = site
        .problems
        .iter()
        .map(|lp| problem_doc(site, &lp.problem))
        .collect();
    let src = site.course.root.join(&site.course.config.book.src);
    for c in site.summary.chapters() {
        let Some(path) = c.path.as_deref() else {
            continue;
        };
        // A missing chapter is reported by the chapter pages, which render first.
        let source = std::fs::read_to_string(src.join(path))
            .with_context(|| format!("reading the chapter `{path}` for the search index"))?;
        docs.extend(chapter_docs(&c.title, &chapter_output_path(path), &source));
    }
    Ok(Index {
        v: 1,
        types: catalog
            .types
            .iter()
            .map(|(id, t)| (id.clone(), t.label.clone()))
            .collect(),
        docs,
    })
}

fn problem_doc(site: &Site<'_>, p: &Problem) -> Doc {
    let description = markdown_text(&p.description).prose;
    let mut rest = vec![
        p.summary.clone(),
        p.goal.clone(),
        p.difficulty.label().to_string(),
        p.category.clone(),
    ];
    rest.extend(p.functional_requirements.iter().cloned());
    rest.extend(
        p.non_functional_requirements
            .rows()
            .into_iter()
            .map(|(label, text)| format!("{label} {text}")),
    );
    rest.extend(p.hints.iter().cloned());
    let types = super::pages::types_used(
        &site.course.catalog,
        p.reference
            .components
            .iter()
            .map(|c| c.component_type.as_str()),
    );
    let available = super::pages::types_used(
        &site.course.catalog,
        p.available_components.iter().map(String::as_str),
    );
    for t in types.iter().chain(&available) {
        rest.push(format!("{} {}", t.label, t.id));
    }
    let excerpt = excerpt(&description);
    rest.push(description);
    let w = words(&[&p.title, &excerpt], &rest.join(" "));
    Doc {
        t: p.title.clone(),
        p: String::new(),
        u: problem_path(&p.id),
        x: excerpt,
        w,
        d: Some(p.difficulty.as_str()),
        c: types.into_iter().map(|t| t.id).collect(),
    }
}

/// One entry per section of a chapter: the text under the chapter's title
/// (its first heading, when it is of level 1 and nothing precedes it) links
/// to the page itself, every other heading to its anchor, computed as the
/// chapter page computes it.
fn chapter_docs(chapter_title: &str, page: &str, source: &str) -> Vec<Doc> {
    let mut slugs = Slugs::with_reserved(["content", "sidebar"]);
    let mut sections: Vec<Section> = vec![Section {
        title: chapter_title.to_string(),
        anchor: None,
        text: Text::default(),
    }];
    let mut parser = Parser::new_ext(source, markdown_options());
    let mut in_code = false;
    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let mut text = String::new();
                for e in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(&t),
                        _ => {}
                    }
                }
                let slug =
                    slugs.unique(&id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&text)));
                if level == pulldown_cmark::HeadingLevel::H1
                    && sections.len() == 1
                    && sections[0].text.is_empty()
                {
                    // The chapter's title: its section is the top of the page.
                    continue;
                }
                sections.push(Section {
                    title: text.trim().to_string(),
                    anchor: Some(slug),
                    text: Text::default(),
                });
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            other => {
                let s = sections.last_mut().expect("never empty");
                s.text.push(&other, in_code);
            }
        }
    }
    sections
        .into_iter()
        .filter(|s| !(s.anchor.is_none() && s.text.is_empty()))
        .map(|s| {
            let prose = s
                .text
                .prose
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let x = excerpt(&prose);
            let rest = format!("{prose} {}", s.text.code);
            let is_top = s.anchor.is_none();
            let w = words(&[&s.title, chapter_title, &x], &rest);
            Doc {
                u: match &s.anchor {
                    Some(a) => format!("{page}#{a}"),
                    None => page.to_string(),
                },
                // The top section is the chapter itself: no separate parent.
                p: if is_top {
                    String::new()
                } else {
                    chapter_title.to_string()
                },
                t: s.title,
                x,
                w,
                d: None,
                c: Vec::new(),
            }
        })
        .collect()
}

struct Section {
    title: String,
    /// `None` for the top of the page.
    anchor: Option<String>,
    text: Text,
}

/// The plain text of Markdown: prose, and code blocks apart (searchable,
/// never shown as an excerpt).
#[derive(Default)]
struct Text {
    prose: String,
    code: String,
}

impl Text {
    fn is_empty(&self) -> bool {
        self.prose.trim().is_empty() && self.code.trim().is_empty()
    }

    fn push(&mut self, event: &Event<'_>, in_code: bool) {
        let out = if in_code {
            &mut self.code
        } else {
            &mut self.prose
        };
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            // Inline markup continues the text; block ends separate the
            // words of neighbouring blocks and table cells.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) | Event::Start(Tag::Item) | Event::Rule => out.push(' '),
            _ => {}
        }
    }
}

fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn markdown_text(source: &str) -> Text {
    let mut text = Text::default();
    let mut in_code = false;
    for event in Parser::new_ext(source, markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            other => text.push(&other, in_code),
        }
    }
    text.prose = text.prose.split_whitespace().collect::<Vec<_>>().join(" ");
    text
}

/// The start of `text`, cut at a word boundary with an ellipsis.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > EXCERPT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')')
    )
}

/// Words that carry no meaning in a search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "do", "does", "each", "for", "from", "has", "have", "how", "if", "in",
    "into", "is", "it", "its", "may", "more", "most", "no", "not", "of", "on", "one", "only", "or",
    "other", "so", "such", "than", "that", "the", "their", "then", "there", "these", "they",
    "this", "to", "too", "up", "was", "we", "were", "what", "when", "which", "while", "who",
    "will", "with", "would", "you", "your",
];

/// Lowercase runs of letters and digits: the client splits text the same way
/// (`/[\p{L}\p{N}]+/gu` and `toLowerCase`).
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
}

/// The distinct searchable words of `body` that are not already among the
/// words of `shown` (which the client tokenizes itself), in order of first
/// appearance.
fn words(shown: &[&str], body: &str) -> String {
    let mut seen: std::collections::HashSet<String> =
        shown.iter().flat_map(|s| tokens(s)).collect();
    let mut out = Vec::new();
    for t in tokens(body) {
        if t.chars().count() < 2 || STOP_WORDS.contains(&t.as_str()) {
            continue;
        }
        if seen.insert(t.clone()) {
            out.push(t);
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_split_at_headings_with_page_anchors() {
        let docs = chapter_docs(
            "Replication",
            "replication.html",
            "# Replication\n\nIntro text.\n\n## Sync vs. async\n\nWaits for `ack`.\n\n```yaml\nlag_ms: 5\n```\n\n### Content\n\nReserved id.\n\n## Sync vs. async\n\nAgain.\n",
        );
        let urls: Vec<&str> = docs.iter().map(|d| d.u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "replication.html",
                "replication.html#sync-vs-async",
                "replication.html#content-1",
                "replication.html#sync-vs-async-1"
            ]
        );
        assert_eq!(docs[0].t, "Replication");
        assert_eq!(docs[0].p, "");
        assert_eq!(docs[0].x, "Intro text.");
        assert_eq!(docs[1].p, "Replication");
        assert_eq!(docs[1].x, "Waits for ack.");
        assert_eq!(docs[1].w, "lag_ms".replace('_', " "), "code is searchable");
    }

    #[test]
    fn text_before_the_title_and_explicit_ids() {
        let docs = chapter_docs("T", "t.html", "Preface.\n\n# T\n\n## Custom {#here}\n\nx\n");
        let urls: Vec<&str> = docs.iter().map(|d| d.u.as_str()).collect();
        assert_eq!(urls, ["t.html", "t.html#t", "t.html#here"]);
    }

    #[test]
    fn excerpts_cut_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(&long);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert_eq!(excerpt("short."), "short.");
    }

    #[test]
    fn words_skip_shown_and_stop_words() {
        assert_eq!(
            words(
                &["Async replication"],
                "The replication lag of an async-replica, lag again"
            ),
            "lag replica again"
        );
        assert_eq!(
            tokens("DB_Primary p95").collect::<Vec<_>>(),
            ["db", "primary", "p95"]
        );
    }
}
