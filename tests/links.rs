//! Internal links checked at build time (broken chapter links, anchors and
//! `problem:` ids fail the build with their file, line and column, all at
//! once, leaving the previous output alone), `problem:` links rendered
//! relatively, and what an absolute `site-url` adds: `sitemap.xml`,
//! `robots.txt`, canonical links and `og:url`.

mod support;

use std::path::PathBuf;
use std::process::Command;

use meridian::diagnostics::Errors;
use support::{BuiltSite, FixtureSite, check_links, copy_dir};

/// A fixture book whose glossary has one broken link of each kind, and whose
/// first problem has one in its description (a literal block) and one in its
/// reference explanation (a plain scalar).
fn broken_fixture() -> FixtureSite {
    let fixture = FixtureSite::from_dir("mini");
    fixture.write(
        "content/glossary.md",
        "# Glossary\n\
         \n\
         ## Terms\n\
         \n\
         - **RPO**: see [the basics](basics.md#why-regions) and [gone](gone.md).\n\
         - **RTO**: see [latency](basics/latency.md#round-trip).\n\
         - **CDN**: [a problem](problem:two-region), [a good one](problem:read-replicas#tiers).\n",
    );
    let file = "problems/multiregion/01-two-regions.yaml";
    let text = std::fs::read_to_string(fixture.root().join(file)).unwrap();
    let text = text
        .replace(
            "  Users go to the nearest region.\n",
            "  Users go to the nearest region ([routing](../glossary.md#routing)).\n",
        )
        .replace(
            "  explanation: GeoDNS sends",
            "  explanation: See [tiers](problem:two-regions#tier-T9). GeoDNS sends",
        );
    fixture.write(file, &text);
    fixture
}

const BROKEN: &[&str] = &[
    "content/glossary.md:5:56: link to `gone.md` — `gone.md` is not a chapter of content/SUMMARY.md (there is no content/gone.md)",
    "content/glossary.md:6:16: link to `basics/latency.md#round-trip` — no heading with anchor `round-trip` in basics/latency.md (anchors there: latency, round-trips)",
    "content/glossary.md:7:12: link to `problem:two-region` — no problem with id `two-region` (did you mean `two-regions`?)",
    "problems/multiregion/01-two-regions.yaml:12:35: link to `../glossary.md#routing` — no heading with anchor `routing` in glossary.md (anchors there: glossary, terms)",
];

fn errors_of(e: &anyhow::Error) -> Vec<String> {
    e.downcast_ref::<Errors>()
        .unwrap_or_else(|| panic!("not located errors: {e:#}"))
        .0
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn broken_links_are_all_reported_with_their_locations() {
    let fixture = broken_fixture();
    let err = fixture.build().err().expect("broken links fail the build");
    let mut expected: Vec<String> = BROKEN.iter().map(|s| s.to_string()).collect();
    expected.push(
        "problems/multiregion/01-two-regions.yaml:49:20: link to `problem:two-regions#tier-T9` — \
         no section or heading with anchor `tier-T9` in problem `two-regions` (anchors there: \
         overview, description, functional-requirements, non-functional-requirements, constants, \
         available-components, hints, tiers, reference, reference-diagram, reference-components, \
         reference-connections, reference-yaml, reference-notes, simulation, simulation-workload, \
         simulation-targets, simulation-metrics, simulation-availability, simulation-cost, \
         simulation-scenarios, simulation-worst, analysis, playground, tier-T0, tier-T1, traffic)"
            .to_string(),
    );
    assert_eq!(errors_of(&err), expected);
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let fixture = FixtureSite::from_dir("mini");
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let course = meridian::load::load_course(fixture.root()).unwrap();
    meridian::build::build_site(&course, &dest, None).unwrap();
    let before = std::fs::read_to_string(dest.join("glossary.html")).unwrap();
    let files_before = support::files_under(&dest);

    let broken = broken_fixture();
    let course = meridian::load::load_course(broken.root()).unwrap();
    let err = meridian::build::build_site(&course, &dest, None)
        .err()
        .expect("broken links");
    assert_eq!(errors_of(&err).len(), 5, "{err:#}");
    assert_eq!(
        std::fs::read_to_string(dest.join("glossary.html")).unwrap(),
        before
    );
    assert_eq!(support::files_under(&dest), files_before);
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["site"], "no staging folder is left behind");
}

#[test]
fn the_binary_exits_non_zero_and_prints_every_broken_link() {
    let fixture = broken_fixture();
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("index.html"), "previous").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_meridian"))
        .args(["build", "--no-playground", "-d"])
        .arg(&dest)
        .arg("--root")
        .arg(fixture.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    for line in BROKEN {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
    assert!(
        stderr.contains("previous output was left untouched"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dest.join("index.html")).unwrap(),
        "previous"
    );
}

/// `meridian check` finds the same broken links without building.
#[test]
fn check_reports_broken_links_too() {
    let fixture = broken_fixture();
    let run = Command::new(env!("CARGO_BIN_EXE_meridian"))
        .args(["check", "--root"])
        .arg(fixture.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    for line in BROKEN {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
}

/// A fixture whose Markdown links to problems by id, from the root, from a
/// chapter in a folder and from a problem page.
fn problem_link_fixture() -> FixtureSite {
    let fixture = FixtureSite::from_dir("mini");
    fixture.write(
        "content/glossary.md",
        "# Glossary\n\nSee [two regions](problem:two-regions) and [its tiers](problem:two-regions#tiers).\n",
    );
    fixture.write(
        "content/basics/latency.md",
        "# Latency\n\n## Round trips\n\nTry [replicas](problem:read-replicas#traffic-x) or [the cache](problem:global-cache).\n",
    );
    let file = "problems/multiregion/02-read-replicas.yaml";
    let text = std::fs::read_to_string(fixture.root().join(file)).unwrap();
    fixture.write(
        file,
        &text
            .replace(
                "Reads stay local; writes cross the ocean.",
                "Reads stay local; writes cross the ocean.\n\n  ## Traffic x\n\n  Compare [two regions](problem:two-regions#traffic).",
            )
            .replace("description: Keep", "description: |\n  Keep"),
    );
    fixture
}

fn assert_problem_links(site: &BuiltSite) {
    let content = |page: &str| {
        let html = site.read(page);
        let start = html.find("<main").unwrap();
        html[start..].to_string()
    };
    let glossary = content("glossary.html");
    assert!(
        glossary.contains("<a href=\"problems/two-regions.html\">two regions</a>"),
        "{glossary}"
    );
    assert!(
        glossary.contains("<a href=\"problems/two-regions.html#tiers\">its tiers</a>"),
        "{glossary}"
    );
    let latency = content("basics/latency.html");
    assert!(
        latency.contains("<a href=\"../problems/read-replicas.html#traffic-x\">replicas</a>"),
        "{latency}"
    );
    assert!(
        latency.contains("<a href=\"../problems/global-cache.html\">the cache</a>"),
        "{latency}"
    );
    let replicas = content("problems/read-replicas.html");
    assert!(
        replicas.contains("<a href=\"../problems/two-regions.html#traffic\">two regions</a>"),
        "{replicas}"
    );
    assert_eq!(check_links(site), Vec::<String>::new());
}

#[test]
fn problem_links_resolve_at_the_root() {
    let site = problem_link_fixture()
        .build()
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_problem_links(&site);
}

#[test]
fn problem_links_resolve_under_a_subpath() {
    let fixture = problem_link_fixture();
    fixture.set_config("output.html", "site-url = \"/course/\"");
    let site = fixture.build().unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(site.site_url, "/course/");
    assert_problem_links(&site);
}

/// `(page, canonical URL)` of every page but `404.html`.
fn expected_urls(site: &BuiltSite, base: &str) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = site
        .html_files()
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| {
            let url = if p == "index.html" {
                base.to_string()
            } else {
                format!("{base}{p}")
            };
            (p, url)
        })
        .collect();
    pages.sort();
    pages
}

fn meta(html: &str, property: &str) -> Option<String> {
    let marker = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&marker)? + marker.len();
    let len = html[start..].find('"')?;
    Some(html[start..start + len].replace("&amp;", "&"))
}

fn canonical(html: &str) -> Option<String> {
    let marker = "<link rel=\"canonical\" href=\"";
    let start = html.find(marker)? + marker.len();
    let len = html[start..].find('"')?;
    Some(html[start..start + len].to_string())
}

#[test]
fn an_absolute_site_url_adds_a_sitemap_robots_and_canonical_links() {
    let fixture = FixtureSite::from_dir("mini");
    fixture.set_config("output.html", "site-url = \"https://example.org/course\"");
    let site = fixture.build().unwrap_or_else(|e| panic!("{e:#}"));
    let base = "https://example.org/course/";
    let expected = expected_urls(&site, base);
    assert_eq!(expected.len(), 9, "{expected:?}");

    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"), "{sitemap}");
    let mut listed: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_string())
        .collect();
    listed.sort();
    let mut want: Vec<String> = expected.iter().map(|(_, u)| u.clone()).collect();
    want.sort();
    assert_eq!(listed, want, "every page but 404.html, once");
    assert!(!sitemap.contains("404"), "{sitemap}");

    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/course/sitemap.xml\n"
    );

    for (page, url) in &expected {
        let html = site.read(page);
        assert_eq!(canonical(&html).as_deref(), Some(url.as_str()), "{page}");
        assert_eq!(
            meta(&html, "og:url").as_deref(),
            Some(url.as_str()),
            "{page}"
        );
    }
    let not_found = site.read("404.html");
    assert_eq!(canonical(&not_found), None);
    assert_eq!(meta(&not_found, "og:url"), None);
}

#[test]
fn a_path_site_url_writes_no_sitemap_and_no_canonical_links() {
    for site_url in [None, Some("/course/")] {
        let fixture = FixtureSite::from_dir("mini");
        if let Some(u) = site_url {
            fixture.set_config("output.html", &format!("site-url = \"{u}\""));
        }
        let site = fixture.build().unwrap_or_else(|e| panic!("{e:#}"));
        assert!(!site.exists("sitemap.xml"), "{site_url:?}");
        assert!(!site.exists("robots.txt"), "{site_url:?}");
        for page in site.html_files() {
            let html = site.read(&page);
            assert_eq!(canonical(&html), None, "{page}");
            assert_eq!(meta(&html, "og:url"), None, "{page}");
            assert!(meta(&html, "og:title").is_some(), "{page}");
        }
    }
}

#[test]
fn open_graph_tags_describe_each_page() {
    let site = FixtureSite::from_dir("mini")
        .build()
        .unwrap_or_else(|e| panic!("{e:#}"));
    let book = "A three-problem course used by Meridian&#39;s site tests.";
    let cases = [
        ("index.html", "Mini Meridian", book, "website"),
        (
            "basics.html",
            "Basics",
            "A region is a geographic location with its own data centres.",
            "article",
        ),
        (
            "problems/two-regions.html",
            "Two Regions",
            "Run one app in two regions",
            "article",
        ),
        ("catalog.html", "Component catalog", book, "article"),
    ];
    for (page, title, description, kind) in cases {
        let html = site.read(page);
        let head = &html[..html.find("</head>").unwrap()];
        let raw = |p: &str| {
            let marker = format!("<meta property=\"{p}\" content=\"");
            let start = head.find(&marker).map(|i| i + marker.len());
            start.map(|s| head[s..s + head[s..].find('"').unwrap()].to_string())
        };
        assert_eq!(raw("og:title").as_deref(), Some(title), "{page}");
        assert_eq!(
            raw("og:description").as_deref(),
            Some(description),
            "{page}"
        );
        assert_eq!(raw("og:type").as_deref(), Some(kind), "{page}");
        assert_eq!(
            raw("og:site_name").as_deref(),
            Some("Mini Meridian"),
            "{page}"
        );
        assert!(
            head.contains(&format!(
                "<meta name=\"description\" content=\"{description}\">"
            )),
            "{page}: {head}"
        );
    }
}

/// The corpus of broken links: `tests/bad_inputs/links/<case>/` holds files
/// written over the `mini` fixture, `<case>.expect` the exact errors
/// (`BLESS=1` rewrites them; review the diff).
#[test]
fn bad_link_corpus() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs/links");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let fixture = FixtureSite::from_dir("mini");
        copy_dir(case, fixture.root());
        let actual = match fixture.build() {
            Ok(_) => Vec::new(),
            Err(e) => errors_of(&e),
        };
        assert!(!actual.is_empty(), "{} builds", case.display());
        if let Some(f) = support::compare_with_expect(case, &actual) {
            failures.push(f);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
