//! The whole real course: 35 problems and every chapter build into a complete
//! site whose links all resolve, at the root and under a subpath.

mod support;

use std::path::Path;

use meridian::load::Course;
use support::course::course;
use support::{BuiltSite, attr_values, check_links};

/// The real course built; a copy kept in `MERIDIAN_KEEP_SITE` when set.
fn build(course: &Course) -> BuiltSite {
    let site = support::course::build(course);
    if let Ok(dir) = std::env::var("MERIDIAN_KEEP_SITE") {
        support::copy_dir(site.path(), Path::new(&dir));
    }
    site
}

#[test]
fn the_real_course_builds_completely() {
    let course = course();
    assert_eq!(course.problems.len(), 35);
    let site = build(&course);
    assert_eq!(site.report.problems, 35);
    for page in ["index.html", "404.html", "catalog.html"] {
        assert!(site.exists(page), "{page}");
    }
    // Every chapter listed in SUMMARY.md has a page.
    let summary = std::fs::read_to_string(course.root.join("content/SUMMARY.md")).unwrap();
    let chapters: Vec<&str> = summary
        .lines()
        .filter_map(|l| l.split_once("](").map(|(_, r)| r.trim_end_matches(')')))
        .collect();
    assert!(chapters.len() >= 10, "{chapters:?}");
    for ch in &chapters {
        let html = ch.replace(".md", ".html");
        assert!(site.exists(&html), "chapter {ch} has no page");
    }
    assert_eq!(site.report.chapters, chapters.len());

    let landing = site.read("index.html");
    for lp in &course.problems {
        let p = &lp.problem;
        let rel = format!("problems/{}.html", p.id);
        assert!(
            landing.contains(&format!("href=\"{rel}\"")),
            "landing page links {rel}"
        );
        let page = site.read(&rel);
        assert!(
            page.contains(&p.title.replace('&', "&amp;")),
            "{rel} shows its title"
        );
        assert_eq!(
            page.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\"")
                .count(),
            1,
            "{rel} has one diagram"
        );
        // The worst failure scenario's timeline, with its data as a table.
        assert!(
            page.contains("id=\"simulation-scenarios\""),
            "{rel} lists failure scenarios"
        );
        assert_eq!(
            page.matches("class=\"chart timeline\"").count(),
            1,
            "{rel} has one timeline chart"
        );
        assert_eq!(
            page.matches("role=\"img\"").count(),
            2,
            "{rel}: diagram and chart are images with text alternatives"
        );
        assert_eq!(
            page.matches("class=\"node type-").count(),
            p.reference.components.len(),
            "{rel}"
        );
        assert_eq!(
            page.matches("<path class=\"edge").count(),
            p.reference.connections.len(),
            "{rel}"
        );
        for tier in &p.tiers {
            assert!(
                page.contains(&tier.title.replace('&', "&amp;")),
                "{rel} shows tier {}",
                tier.id
            );
        }
        let quoted = page.contains("Quoted from the source platform");
        assert_eq!(
            quoted,
            p.analysis.is_some(),
            "{rel}: the analysis is labelled as a quote iff present"
        );
        // Every problem states a workload, so every page carries the engine's evaluation.
        assert!(p.workload.is_some(), "{rel} has a workload");
        assert!(
            page.contains("id=\"simulation\""),
            "{rel} shows the simulated behaviour"
        );
        assert!(
            page.contains("how the simulator works</a>"),
            "{rel} links the simulator chapter"
        );
        assert_eq!(
            page.matches("<rect class=\"heat heat-").count(),
            p.reference.components.len(),
            "{rel}: a utilisation bar per component"
        );
        for note in &p.reference.notes {
            assert!(page.contains(&escape(note)), "{rel} shows the note {note}");
        }
        for c in &p.reference.connections {
            let line = format!("{} → {}", c.from, c.to).replace('&', "&amp;");
            assert!(page.contains(&line), "{rel} lists the connection {line}");
        }
    }
}

#[test]
fn no_page_loads_anything_from_the_network() {
    let site = build(&course());
    for page in site.html_files() {
        let html = site.read(&page);
        for url in attr_values(&html, "src") {
            assert!(!url.contains("//"), "{page}: src={url}");
        }
        for tag in html
            .split('<')
            .filter(|t| t.starts_with("link ") || t.starts_with("script "))
        {
            assert!(
                !tag.contains("http://") && !tag.contains("https://") && !tag.contains("\"//"),
                "{page}: <{tag}"
            );
        }
        assert!(!html.contains("@import"), "{page}");
    }
    for css in support::files_under(site.path())
        .into_iter()
        .filter(|f| f.ends_with(".css"))
    {
        let text = site.read(&css);
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{css} refers to the network"
        );
    }
}

#[test]
fn links_resolve_at_the_root_and_under_a_subpath() {
    for site_url in ["/", "/course/"] {
        let mut course = course();
        course.config.output.html.site_url = site_url.to_string();
        let site = build(&course);
        let broken = check_links(&site);
        assert!(
            broken.is_empty(),
            "under {site_url}, broken links:\n{}",
            broken.join("\n")
        );
        if site_url == "/course/" {
            let not_found = site.read("404.html");
            assert!(
                not_found.contains("href=\"/course/index.html\"")
                    || not_found.contains("href=\"/course/\"")
            );
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
