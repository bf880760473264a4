//! Site navigation: the sidebar, prev/next in reading order, breadcrumbs.
//!
//! Hrefs here are relative to the site root (`problems/x.html`); templates
//! prefix them with the page's `root` so they work from any depth.

use meridian_engine::Difficulty;
use serde::Serialize;

use super::highlight::escape_html;
use super::links::chapter_output_path;
use super::summary::{Chapter, Entry, Summary};
use crate::load::LoadedProblem;

#[derive(Debug, Clone)]
pub struct NavItem {
    pub title: String,
    /// `"2.1."` for numbered chapters, the problem number for problems.
    pub number: String,
    /// Site-relative; empty for a draft chapter.
    pub href: String,
    pub children: Vec<NavItem>,
}

#[derive(Debug, Clone)]
pub enum NavEntry {
    Chapter { item: NavItem },
    Separator,
    Part { title: String },
}

#[derive(Debug, Clone)]
pub struct ProblemGroup {
    pub difficulty: &'static str,
    pub label: &'static str,
    pub problems: Vec<NavItem>,
}

#[derive(Debug, Clone)]
pub struct Sidebar {
    pub prefix: Vec<NavItem>,
    pub numbered: Vec<NavEntry>,
    pub suffix: Vec<NavItem>,
    pub groups: Vec<ProblemGroup>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NavLink {
    pub title: String,
    pub href: String,
}

impl Sidebar {
    /// The sidebar's markup for the page at `page` (site-relative; its link
    /// is marked current) whose links start with `root`.
    /// Built here rather than by a template: every page carries the whole
    /// course's table of contents, and looping over it in Tera cost a
    /// course of 175 problems about 100 ms a build (mdBook's table of
    /// contents is Rust code too). Themes place it with `{{ sidebar_html |
    /// safe }}`.
    fn html(&self, root: &str, page: &str) -> String {
        let mut o = String::with_capacity(4096 + 256 * self.len());
        o.push_str("<h2 class=\"sidebar-heading\">Chapters</h2>\n<ol class=\"chapters\">");
        for i in &self.prefix {
            chapter_item(&mut o, i, root, page);
        }
        for e in &self.numbered {
            match e {
                NavEntry::Chapter { item } => chapter_item(&mut o, item, root, page),
                NavEntry::Separator => {
                    o.push_str("<li class=\"spacer\" role=\"separator\"></li>");
                }
                NavEntry::Part { title } => {
                    o.push_str("<li class=\"part-title\">");
                    o.push_str(&escape_html(title));
                    o.push_str("</li>");
                }
            }
        }
        for i in &self.suffix {
            chapter_item(&mut o, i, root, page);
        }
        o.push_str("\n</ol>\n<h2 class=\"sidebar-heading\">Problems</h2>");
        for g in &self.groups {
            o.push_str("\n<h3 class=\"sidebar-group difficulty-");
            o.push_str(&escape_html(g.difficulty));
            o.push_str("\">");
            o.push_str(&escape_html(g.label));
            o.push_str("</h3>\n<ol class=\"problems\">");
            for i in &g.problems {
                o.push_str("\n<li><a href=\"");
                push_href(&mut o, root, &i.href, page);
                o.push_str("><span class=\"number\">");
                o.push_str(&escape_html(&i.number));
                o.push_str(".</span> ");
                o.push_str(&escape_html(&i.title));
                o.push_str("</a></li>");
            }
            o.push_str("\n</ol>");
        }
        o.push_str("\n<p class=\"sidebar-catalog\"><a href=\"");
        push_href(&mut o, root, "catalog.html", page);
        o.push_str(">Component catalog</a></p>");
        o
    }

    /// How many links it holds, for sizing its markup.
    fn len(&self) -> usize {
        fn count(items: &[NavItem]) -> usize {
            items.iter().map(|i| 1 + count(&i.children)).sum()
        }
        let chapters: usize = self
            .numbered
            .iter()
            .map(|e| match e {
                NavEntry::Chapter { item } => count(std::slice::from_ref(item)),
                _ => 1,
            })
            .sum();
        count(&self.prefix)
            + chapters
            + count(&self.suffix)
            + self.groups.iter().map(|g| g.problems.len()).sum::<usize>()
    }
}

/// `root` + `href`, escaped, the closing quote, and the current-page mark
/// when `href` is `page`.
fn push_href(o: &mut String, root: &str, href: &str, page: &str) {
    o.push_str(&escape_html(root));
    o.push_str(&escape_html(href));
    o.push('"');
    if href == page {
        o.push_str(" aria-current=\"page\"");
    }
}

/// A chapter with its sections, each a list item.
fn chapter_item(o: &mut String, i: &NavItem, root: &str, page: &str) {
    fn link(o: &mut String, i: &NavItem, root: &str, page: &str) {
        let number = |o: &mut String| {
            if !i.number.is_empty() {
                o.push_str("<strong class=\"number\">");
                o.push_str(&escape_html(&i.number));
                o.push_str("</strong> ");
            }
        };
        if i.href.is_empty() {
            o.push_str("<span class=\"draft\">");
            number(o);
            o.push_str(&escape_html(&i.title));
            o.push_str("</span>");
        } else {
            o.push_str("<a href=\"");
            push_href(o, root, &i.href, page);
            o.push('>');
            number(o);
            o.push_str(&escape_html(&i.title));
            o.push_str("</a>");
        }
    }
    fn sections(o: &mut String, items: &[NavItem], root: &str, page: &str) {
        if items.is_empty() {
            return;
        }
        o.push_str("\n<ol class=\"section\">");
        for c in items {
            o.push_str("\n<li class=\"chapter-item\">");
            link(o, c, root, page);
            sections(o, &c.children, root, page);
            o.push_str("</li>");
        }
        o.push_str("\n</ol>");
    }
    o.push_str("<li class=\"chapter-item\">");
    link(o, i, root, page);
    sections(o, &i.children, root, page);
    o.push_str("</li>\n");
}

/// Built once per build.
pub struct Nav {
    sidebar: Sidebar,
    /// Every page in reading order: chapters, then problems in course order.
    order: Vec<NavLink>,
}

pub fn problem_path(id: &str) -> String {
    format!("problems/{id}.html")
}

pub fn difficulty_anchor(d: Difficulty) -> String {
    format!("difficulty-{}", d.as_str())
}

/// Course order: grouped by difficulty (easy first), by number within a group.
pub fn course_order(problems: &[LoadedProblem]) -> Vec<&LoadedProblem> {
    let mut out: Vec<&LoadedProblem> = problems.iter().collect();
    out.sort_by_key(|p| (p.problem.difficulty, p.problem.number));
    out
}

impl Nav {
    pub fn new(summary: &Summary, problems: &[&LoadedProblem]) -> Nav {
        fn item(c: &Chapter) -> NavItem {
            NavItem {
                title: c.title.clone(),
                number: c.number_label(),
                href: c
                    .path
                    .as_deref()
                    .map(chapter_output_path)
                    .unwrap_or_default(),
                children: c.children.iter().map(item).collect(),
            }
        }
        let sidebar = Sidebar {
            prefix: summary.prefix.iter().map(item).collect(),
            numbered: summary
                .numbered
                .iter()
                .map(|e| match e {
                    Entry::Chapter(c) => NavEntry::Chapter { item: item(c) },
                    Entry::Separator => NavEntry::Separator,
                    Entry::Part(t) => NavEntry::Part { title: t.clone() },
                })
                .collect(),
            suffix: summary.suffix.iter().map(item).collect(),
            groups: Difficulty::ALL
                .iter()
                .map(|&d| ProblemGroup {
                    difficulty: d.as_str(),
                    label: d.label(),
                    problems: problems
                        .iter()
                        .filter(|p| p.problem.difficulty == d)
                        .map(|p| NavItem {
                            title: p.problem.title.clone(),
                            number: p.problem.number.to_string(),
                            href: problem_path(&p.problem.id),
                            children: Vec::new(),
                        })
                        .collect(),
                })
                .filter(|g| !g.problems.is_empty())
                .collect(),
        };
        let mut order: Vec<NavLink> = summary
            .chapters()
            .into_iter()
            .filter_map(|c| {
                c.path.as_deref().map(|p| NavLink {
                    title: c.title.clone(),
                    href: chapter_output_path(p),
                })
            })
            .collect();
        order.extend(problems.iter().map(|p| NavLink {
            title: p.problem.title.clone(),
            href: problem_path(&p.problem.id),
        }));
        Nav { sidebar, order }
    }

    /// The sidebar's markup for the page at `page` (site-relative), its
    /// links starting with `root` ([`Sidebar::html`]).
    pub fn sidebar_html(&self, root: &str, page: &str) -> String {
        self.sidebar.html(root, page)
    }

    /// (previous, next) of `page` in reading order.
    pub fn prev_next(&self, page: &str) -> (Option<NavLink>, Option<NavLink>) {
        let Some(i) = self.order.iter().position(|l| l.href == page) else {
            return (None, None);
        };
        let prev = i.checked_sub(1).map(|j| self.order[j].clone());
        (prev, self.order.get(i + 1).cloned())
    }

    /// The first page a reader should open after the landing page.
    pub fn first(&self) -> Option<&NavLink> {
        self.order.first()
    }
}

#[cfg(test)]
mod tests {
    use super::super::summary::parse_summary;
    use super::*;

    #[test]
    fn order_and_current_marking() {
        let s = parse_summary("[Intro](intro.md)\n- [A](a.md)\n  - [B](sub/b.md)\n- [Draft]()\n")
            .unwrap();
        let nav = Nav::new(&s, &[]);
        assert_eq!(
            nav.prev_next("intro.html"),
            (
                None,
                Some(NavLink {
                    title: "A".into(),
                    href: "a.html".into()
                })
            )
        );
        let (prev, next) = nav.prev_next("sub/b.html");
        assert_eq!(prev.unwrap().href, "a.html");
        assert_eq!(next, None, "drafts have no page");
        let html = nav.sidebar_html("", "sub/b.html");
        assert!(html.contains("<a href=\"a.html\">"), "{html}");
        assert!(
            html.contains("<a href=\"sub/b.html\" aria-current=\"page\">"),
            "{html}"
        );
        let NavEntry::Chapter { item } = &nav.sidebar.numbered[0] else {
            panic!()
        };
        assert_eq!(item.children[0].number, "1.1.");
    }

    #[test]
    fn sidebar_markup_marks_the_current_page_and_escapes() {
        let s = parse_summary(
            "[Intro](intro.md)\n- [A & B](a.md)\n  - [C](sub/c.md)\n    - [D](sub/d.md)\n- [Draft]()\n",
        )
        .unwrap();
        let nav = Nav::new(&s, &[]);
        let html = nav.sidebar_html("../", "sub/c.html");
        assert!(html.starts_with("<h2 class=\"sidebar-heading\">Chapters</h2>"));
        assert!(html.contains("<a href=\"../intro.html\">Intro</a></li>\n"));
        assert!(html.contains("<strong class=\"number\">1.</strong> A &amp; B</a>"));
        assert!(html.contains(
            "<a href=\"../sub/c.html\" aria-current=\"page\"><strong class=\"number\">1.1.</strong> C</a>"
        ));
        // Sections nest to any depth.
        assert!(html.contains(
            "\n<ol class=\"section\">\n<li class=\"chapter-item\"><a href=\"../sub/d.html\">"
        ));
        assert!(
            html.contains(
                "<span class=\"draft\"><strong class=\"number\">2.</strong> Draft</span>"
            )
        );
        assert_eq!(html.matches("aria-current").count(), 1);
        assert!(html.ends_with("<a href=\"../catalog.html\">Component catalog</a></p>"));
        let catalog = nav.sidebar_html("", "catalog.html");
        assert!(
            catalog.ends_with(
                "<a href=\"catalog.html\" aria-current=\"page\">Component catalog</a></p>"
            )
        );
    }
}
