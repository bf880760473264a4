//! Markdown to HTML: anchored headings, `.md` links rewritten to pages, code
//! highlighted at build time.

use std::collections::HashSet;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

use super::highlight::{Highlighter, escape_html};
use super::links::{problem_link, rewrite_md_link};
use super::nav::problem_path;

/// Heading ids already used on a page; shared between the Markdown fragments
/// of one page so that no two headings get the same anchor.
#[derive(Debug, Default)]
pub struct Slugs(HashSet<String>);

impl Slugs {
    /// Reserves ids the template itself uses (section ids).
    pub fn with_reserved<'a>(ids: impl IntoIterator<Item = &'a str>) -> Slugs {
        Slugs(ids.into_iter().map(str::to_string).collect())
    }

    /// `base`, or `base-1`, `base-2`, … if already taken.
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut candidate = base.to_string();
        let mut n = 1;
        while self.0.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

/// Lowercase, spaces to dashes, punctuation removed (as mdBook and GitHub do).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a rendered Markdown document yields besides its HTML.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// (level, id, plain text) of each heading, in order.
    pub headings: Vec<(u8, String, String)>,
}

/// Renders `source` for a page whose path to the site root is `root` (`""`,
/// `"../"`): `problem:<id>#x` links become `{root}problems/<id>.html#x`.
/// Links are checked beforehand (see `linkcheck.rs`), so an unknown id never
/// reaches this point in a build.
pub fn render(source: &str, highlighter: &Highlighter, slugs: &mut Slugs, root: &str) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut parser = Parser::new_ext(source, options());

    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                // Gather the heading's inline events to compute its slug from its text.
                let mut inner = Vec::new();
                let mut text = String::new();
                for e in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        // The heading becomes a self-link, and links cannot nest.
                        Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => continue,
                        Event::Text(ref t) | Event::Code(ref t) => {
                            text.push_str(t);
                            inner.push(e);
                        }
                        other => inner.push(other),
                    }
                }
                let slug =
                    slugs.unique(&id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&text)));
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                let n = heading_number(level);
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape_html(&classes.join(" ")))
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{slug}\"{class_attr}><a class=\"anchor\" href=\"#{slug}\">{inner_html}</a></h{n}>\n",
                    slug = escape_html(&slug)
                ))));
                out.headings.push((n, slug, text));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for e in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                events.push(Event::Html(CowStr::from(
                    highlighter.highlight(&code, &lang),
                )));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = CowStr::from(match problem_link(&dest_url) {
                    Some((id, tail)) => format!("{root}{}{tail}", problem_path(id)),
                    None => rewrite_md_link(&dest_url),
                });
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            other => events.push(other),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out
}

/// The first paragraph of a document (after its title), rendered: the
/// landing page quotes the introduction this way.
pub fn first_paragraph(source: &str, highlighter: &Highlighter) -> Option<String> {
    let block = source.split("\n\n").map(str::trim).find(|b| {
        !b.is_empty() && !b.starts_with('#') && !b.starts_with("```") && !b.starts_with('|')
    })?;
    let mut slugs = Slugs::default();
    Some(render(block, highlighter, &mut slugs, "").html)
}

/// The first paragraph of a document as plain text (for `og:description`),
/// whitespace collapsed and cut at a word boundary after `max` characters.
pub fn first_paragraph_text(source: &str, max: usize) -> Option<String> {
    let mut text = String::new();
    let mut depth = 0usize;
    let mut in_paragraph = false;
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if in_paragraph => {
                if !text.trim().is_empty() {
                    break;
                }
                in_paragraph = false;
            }
            Event::Start(_) if !in_paragraph => depth += 1,
            Event::End(_) if !in_paragraph => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut out = String::new();
    for w in words {
        if !out.is_empty() && out.chars().count() + 1 + w.chars().count() > max {
            out.push('…');
            return Some(out);
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    Some(out)
}

/// A link as written in a Markdown source (links and reference links alike;
/// images are not links).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    pub url: String,
    /// Byte offset of the link's start (`[`, or `<` of an autolink).
    pub offset: usize,
}

/// The links of `source` and the anchors its headings get, computed as
/// [`render`] computes them (with the same `slugs`, so several fragments of
/// one page can share them).
pub fn links_and_anchors(source: &str, slugs: &mut Slugs) -> (Vec<SourceLink>, Vec<String>) {
    let mut links = Vec::new();
    let mut anchors = Vec::new();
    // Inside a heading: its explicit id and its text so far.
    let mut heading: Option<(Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = heading.take() {
                    anchors.push(slugs.unique(&id.unwrap_or_else(|| slugify(&text))));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(SourceLink {
                url: dest_url.to_string(),
                offset: range.start,
            }),
            _ => {}
        }
    }
    (links, anchors)
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        let h = Highlighter::new().unwrap();
        render(s, &h, &mut Slugs::default(), "../").html
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("RTO and RPO"), "rto-and-rpo");
        assert_eq!(slugify("What's P95? (latency)"), "whats-p95-latency");
        assert_eq!(slugify("  Sync vs. async  "), "sync-vs-async");
        assert_eq!(slugify("db_primary"), "db_primary");
    }

    #[test]
    fn slugs_are_unique_per_page() {
        let mut s = Slugs::with_reserved(["tiers"]);
        assert_eq!(s.unique("tiers"), "tiers-1");
        assert_eq!(s.unique("x"), "x");
        assert_eq!(s.unique("x"), "x-1");
        assert_eq!(s.unique("x"), "x-2");
    }

    #[test]
    fn headings_get_anchors() {
        let html = md("## Sync vs. async\n\n## Sync vs. async\n");
        assert!(
            html.contains(
                "<h2 id=\"sync-vs-async\"><a class=\"anchor\" href=\"#sync-vs-async\">Sync vs. async</a></h2>"
            ),
            "{html}"
        );
        assert!(html.contains("id=\"sync-vs-async-1\""), "{html}");
    }

    #[test]
    fn explicit_heading_ids_win() {
        assert!(md("## Title {#custom}\n").contains("id=\"custom\""));
    }

    #[test]
    fn links_in_headings_are_flattened() {
        let html = md("## See [latency](latency.md)\n");
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
    }

    #[test]
    fn md_links_are_rewritten() {
        let html = md("[a](latency.md#p95) [b](https://x.org/a.md) [c](problems/x.html)");
        assert!(html.contains("href=\"latency.html#p95\""), "{html}");
        assert!(html.contains("href=\"https://x.org/a.md\""), "{html}");
        assert!(html.contains("href=\"problems/x.html\""), "{html}");
    }

    #[test]
    fn problem_links_go_through_the_root() {
        let html = md("[a](problem:global-cdn) [b](problem:x#tiers)");
        assert!(
            html.contains("href=\"../problems/global-cdn.html\""),
            "{html}"
        );
        assert!(html.contains("href=\"../problems/x.html#tiers\""), "{html}");
    }

    #[test]
    fn links_and_anchors_are_located() {
        let src = "# Title\n\nSee [a](a.md#x) and\n  [b][r].\n\n## Title {#t}\n\n## Title\n\n[r]: problem:p\n";
        let (links, anchors) = links_and_anchors(src, &mut Slugs::with_reserved(["content"]));
        assert_eq!(anchors, ["title", "t", "title-1"]);
        let urls: Vec<(&str, usize)> = links.iter().map(|l| (l.url.as_str(), l.offset)).collect();
        assert_eq!(urls, [("a.md#x", 13), ("problem:p", 31)]);
        assert_eq!(&src[31..34], "[b]");
    }

    #[test]
    fn anchors_match_the_rendered_ids() {
        let h = Highlighter::new().unwrap();
        let src = "## A `b` c\n\n## A `b` c\n\n### Sync vs. async {#custom}\n";
        let html = render(src, &h, &mut Slugs::default(), "").html;
        let (_, anchors) = links_and_anchors(src, &mut Slugs::default());
        for a in &anchors {
            assert!(html.contains(&format!("id=\"{a}\"")), "{a} in {html}");
        }
        assert_eq!(anchors.len(), 3);
    }

    #[test]
    fn first_paragraph_as_text() {
        let src = "# T\n\n- a list\n\nMeridian is a *course*\non `regions`.\n\nMore.";
        assert_eq!(
            first_paragraph_text(src, 200).as_deref(),
            Some("Meridian is a course on regions.")
        );
        assert_eq!(
            first_paragraph_text(src, 15).as_deref(),
            Some("Meridian is a…")
        );
        assert_eq!(first_paragraph_text("# Only a title\n", 10), None);
    }

    #[test]
    fn code_is_highlighted_and_extensions_work() {
        let html = md(
            "```yaml\na: 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nx[^n]\n\n[^n]: note\n",
        );
        assert!(html.contains("class=\"hl-code\""), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }

    #[test]
    fn first_paragraph_skips_the_title() {
        let h = Highlighter::new().unwrap();
        let p = first_paragraph("# Intro\n\nMeridian is a *course*.\n\nMore.", &h).unwrap();
        assert_eq!(p.trim(), "<p>Meridian is a <em>course</em>.</p>");
    }
}
