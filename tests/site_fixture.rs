//! Builds the `mini` fixture book and checks the generated site.

mod support;

use support::{BuiltSite, FixtureSite, attr_values, check_links};

const PROBLEMS: [&str; 3] = ["two-regions", "read-replicas", "global-cache"];
const CHAPTERS: [&str; 4] = [
    "introduction.html",
    "basics.html",
    "basics/latency.html",
    "glossary.html",
];
const ANALYSIS_LABEL: &str = "Quoted from the source platform — not computed by Meridian";

fn build() -> BuiltSite {
    FixtureSite::from_dir("mini")
        .build()
        .unwrap_or_else(|e| panic!("{e:#}"))
}

fn problem(site: &BuiltSite, id: &str) -> String {
    site.read(&format!("problems/{id}.html"))
}

#[test]
fn every_page_exists_and_is_counted() {
    let site = build();
    for page in ["index.html", "404.html", "catalog.html"]
        .iter()
        .chain(CHAPTERS.iter())
    {
        assert!(site.exists(page), "missing {page}");
    }
    for id in PROBLEMS {
        assert!(
            site.exists(&format!("problems/{id}.html")),
            "missing problem {id}"
        );
    }
    for asset in [
        "assets/css/meridian.css",
        "assets/css/highlight.css",
        "assets/js/theme.js",
        "assets/icons/favicon.svg",
    ] {
        assert!(site.exists(asset), "missing {asset}");
    }
    let r = &site.report;
    assert_eq!((r.problems, r.chapters), (3, 4));
    assert_eq!(r.listings, 3, "index, catalog, 404");
    assert_eq!(r.pages, r.problems + r.chapters + r.listings);
    let html = site.html_files().len();
    assert_eq!(r.pages, html, "every HTML file written is counted once");
    assert!(r.assets >= 4);
    let steps: Vec<&str> = r.steps.iter().map(|(n, _)| n.as_str()).collect();
    for s in [
        "load templates",
        "highlight setup",
        "chapters",
        "problems",
        "diagrams",
        "assets",
    ] {
        assert!(steps.contains(&s), "no step {s} in {steps:?}");
    }
}

#[test]
fn problem_pages_have_the_diagram() {
    let site = build();
    let expected = [
        (
            "two-regions",
            vec!["Users", "GeoDNS", "US App", "EU App", "US DB", "EU DB"],
        ),
        (
            "read-replicas",
            vec![
                "Users",
                "US LB",
                "US App",
                "EU App",
                "Primary",
                "EU Replica",
                "AP Replica",
            ],
        ),
    ];
    for (id, names) in expected {
        let html = problem(&site, id);
        let svg_start = html
            .find("<svg xmlns")
            .or_else(|| html.find("class=\"diagram\""))
            .expect("diagram svg");
        let svg = &html[svg_start..];
        assert!(
            svg[..svg.find('>').unwrap()].contains("role=\"img\""),
            "{id}: svg without role=img"
        );
        let node_ids: Vec<String> = html
            .split("<g class=\"node")
            .skip(1)
            .filter_map(|g| attr_values(&format!(" {g}"), "data-id").into_iter().next())
            .collect();
        assert_eq!(node_ids.len(), names.len(), "{id}: nodes {node_ids:?}");
        for n in names {
            assert!(
                node_ids.iter().any(|d| d == n),
                "{id}: no node with data-id {n}: {node_ids:?}"
            );
        }
    }
}

#[test]
fn quoted_analysis_only_where_present() {
    let site = build();
    for (id, has) in [
        ("two-regions", true),
        ("read-replicas", true),
        ("global-cache", false),
    ] {
        let html = problem(&site, id);
        assert_eq!(html.contains(ANALYSIS_LABEL), has, "{id}");
        assert_eq!(html.contains("<blockquote>"), has, "{id}");
    }
    let html = problem(&site, "two-regions");
    for text in [
        "Normal Operation",
        "P95: 30ms",
        "Failover is manual",
        "Best for",
        "Monthly Total",
        "$600",
    ] {
        assert!(html.contains(text), "analysis lacks {text}");
    }
}

#[test]
fn problem_page_sections() {
    let site = build();
    let html = problem(&site, "two-regions");
    // Hints folded, one <details> each.
    assert!(
        html.contains("<details class=\"hint\">\n    <summary>Hint 1</summary>\n    <p>Put GeoDNS in front</p>"),
        "{html}"
    );
    // Breadcrumbs: Course › Difficulty › Title.
    let crumbs = &html[html.find("class=\"breadcrumbs\"").unwrap()..];
    let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
    assert!(
        crumbs.contains("href=\"../index.html\">Mini Meridian</a>"),
        "{crumbs}"
    );
    assert!(
        crumbs.contains("href=\"../index.html#difficulty-easy\">Easy</a>"),
        "{crumbs}"
    );
    assert!(
        crumbs.contains("aria-current=\"page\">Two Regions</span>"),
        "{crumbs}"
    );
    // Header, requirements, constants.
    assert!(html.contains("<span class=\"badge difficulty-easy\">Easy</span>"));
    assert!(html.contains("<th scope=\"row\">Latency</th><td>P95 &lt; 100ms</td>"));
    assert!(html.contains("<th scope=\"row\">Budget</th><td>Small</td>"));
    assert!(
        html.contains(
            "<code>replication_factor</code></th><td class=\"num\">1.5</td><td>number</td>"
        )
    );
    assert!(html.contains("<code>sync</code></th><td class=\"num\">false</td><td>boolean</td>"));
    // Available components link to the catalog's anchors.
    assert!(html.contains("href=\"../catalog.html#type-db_replica\""));
    // The description's Markdown, with a heading anchor.
    assert!(html.contains("<strong>US</strong>"));
    assert!(
        html.contains("<h2 id=\"traffic\"><a class=\"anchor\" href=\"#traffic\">Traffic</a></h2>"),
        "{html}"
    );
    // Reference: components table, connections as text, YAML.
    assert!(html.contains("<tr><th scope=\"row\">EU DB</th><td><a href=\"../catalog.html#type-db_replica\">Database replica</a></td><td>EU West (Ireland)</td><td class=\"num\">1</td></tr>"), "{html}");
    assert!(html.contains("<li>US DB → EU DB</li>"));
    assert!(html.contains("<em>nearest</em>"));
    // Edit link from the template with `{path}`.
    assert!(
        html.contains(
            "href=\"https://example.com/edit/main/problems/multiregion/01-two-regions.yaml\""
        ),
        "no edit link"
    );
    // Title.
    assert!(html.contains("<title>Two Regions — Mini Meridian</title>"));
    assert!(html.contains("<html lang=\"en\""));
}

#[test]
fn tier_results_are_text_not_only_colour() {
    let site = build();
    let html = problem(&site, "global-cache");
    assert!(html.contains("<th scope=\"row\">Minimum 2 of type: cache</th>"));
    assert!(
        html.contains("<span aria-hidden=\"true\">✓</span> Pass"),
        "{html}"
    );
    // The reference of the fixture deliberately lacks `search`.
    assert!(html.contains("<th scope=\"row\">Must include: search</th>"));
    assert!(html.contains("<span aria-hidden=\"true\">✗</span> Fail</span> <span class=\"explanation\">no search in the design; T1 needs one</span>"), "{html}");
    assert!(html.contains("The reference solution passes this tier."));
    assert!(html.contains("The reference solution does not pass this tier."));
    let html = problem(&site, "read-replicas");
    assert!(html.contains("Writes must reach the primary"));
    assert!(html.contains("Not checked"));
}

#[test]
fn reference_yaml_is_highlighted_with_classes() {
    let site = build();
    let html = problem(&site, "read-replicas");
    let start = html
        .find("<details id=\"reference-yaml\"")
        .expect("yaml details");
    let block = &html[start..start + html[start..].find("</details>").unwrap()];
    assert!(
        block.contains("<pre class=\"hl-code\" tabindex=\"0\">"),
        "{block}"
    );
    assert!(block.contains("class=\"hl-"), "{block}");
    assert!(!block.contains("style="), "inline styles in {block}");
    assert!(
        block.contains("AP Replica") && block.contains("replicas"),
        "{block}"
    );
    assert!(
        site.read("assets/css/highlight.css")
            .contains("[data-theme=\"dark\"] .hl-")
    );
}

#[test]
fn prev_next_follow_the_reading_order() {
    let site = build();
    // Chapters in SUMMARY order, then problems by difficulty.
    let order = [
        "introduction.html",
        "basics.html",
        "basics/latency.html",
        "glossary.html",
        "problems/two-regions.html",
        "problems/read-replicas.html",
        "problems/global-cache.html",
    ];
    for (i, page) in order.iter().enumerate() {
        let html = site.read(page);
        let root = "../".repeat(page.matches('/').count());
        let prev = attr_after(&html, "rel=\"prev\" href=\"");
        let next = attr_after(&html, "rel=\"next\" href=\"");
        let want_prev = i.checked_sub(1).map(|j| format!("{root}{}", order[j]));
        let want_next = order.get(i + 1).map(|n| format!("{root}{n}"));
        assert_eq!(prev, want_prev, "prev of {page}");
        assert_eq!(next, want_next, "next of {page}");
    }
}

fn attr_after(html: &str, marker: &str) -> Option<String> {
    let i = html.find(marker)? + marker.len();
    Some(html[i..i + html[i..].find('"')?].to_string())
}

#[test]
fn sidebar_lists_everything_and_marks_the_current_page() {
    let site = build();
    for page in site.html_files() {
        let html = site.read(&page);
        let side = &html[html
            .find("<nav id=\"sidebar\"")
            .unwrap_or_else(|| panic!("{page}: no sidebar"))..];
        let side = &side[..side.find("</nav>").unwrap()];
        for title in [
            "Introduction",
            "Basics",
            "Latency",
            "Glossary",
            "Two Regions",
            "Read Replicas Abroad",
            "Global Cache",
            "Component catalog",
        ] {
            assert!(side.contains(title), "{page}: sidebar lacks {title}");
        }
        for label in [">Easy<", ">Foundation<", ">Intermediate<"] {
            assert!(side.contains(label), "{page}: sidebar lacks group {label}");
        }
        let current = side.matches("aria-current=\"page\"").count();
        let expect = usize::from(page != "index.html" && page != "404.html");
        assert_eq!(current, expect, "{page}: {current} current entries");
    }
    let html = site.read("basics/latency.html");
    assert!(html.contains("<a href=\"../basics/latency.html\" aria-current=\"page\"><strong class=\"number\">1.1.</strong> Latency</a>"), "{html}");
    assert!(html.contains("aria-controls=\"sidebar\""));
    assert!(html.contains("<a class=\"skip-link\" href=\"#content\">"));
    assert!(html.contains("<main id=\"content\""));
}

#[test]
fn chapters_are_rendered_with_anchors_links_and_highlighting() {
    let site = build();
    let html = site.read("basics.html");
    assert!(
        html.contains(
            "<h2 id=\"why-regions\"><a class=\"anchor\" href=\"#why-regions\">Why regions?</a></h2>"
        ),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"why-regions-1\">"), "{html}");
    assert!(
        html.contains("href=\"basics/latency.html\""),
        "md link not rewritten"
    );
    assert!(
        html.contains("<table>") && html.contains("type=\"checkbox\"") && html.contains("<del>")
    );
    assert!(html.contains("class=\"footnote-definition\""));
    assert!(
        html.contains(
            "<pre class=\"hl-code\" tabindex=\"0\"><code class=\"hl-block language-yaml\">"
        ),
        "{html}"
    );
    let latency = site.read("basics/latency.html");
    assert!(latency.contains("href=\"../basics.html\""));
    assert!(latency.contains("href=\"../glossary.html#terms\""));
    assert!(latency.contains("href=\"../assets/css/meridian.css\""));
    assert!(latency.contains("<title>Latency — Mini Meridian</title>"));
}

#[test]
fn landing_page_groups_problems_by_difficulty() {
    let site = build();
    let html = site.read("index.html");
    assert!(html.contains("A three-problem course used by Meridian"));
    assert!(
        html.contains("Mini Meridian is a tiny course about <strong>multi-region</strong> systems")
    );
    assert!(html.contains("href=\"introduction.html\">Start reading: Introduction</a>"));
    let easy = html.find("id=\"difficulty-easy\"").unwrap();
    let foundation = html.find("id=\"difficulty-foundation\"").unwrap();
    let intermediate = html.find("id=\"difficulty-intermediate\"").unwrap();
    assert!(easy < foundation && foundation < intermediate);
    assert!(
        !html.contains("id=\"difficulty-advanced\""),
        "empty groups are left out"
    );
    let main = &html[html.find("<main").unwrap()..];
    let card = &main[main.find("href=\"problems/global-cache.html\"").unwrap()..];
    let card = &card[..card
        .find("</li>\n</ol>")
        .or_else(|| card.find("</ol>"))
        .unwrap()];
    assert!(card.contains("Cache hot keys in every region"));
    for icon in [
        "#icon-client",
        "#icon-app",
        "#icon-cache",
        "#icon-stream",
        "#icon-db_primary",
    ] {
        assert!(card.contains(icon), "card lacks {icon}: {card}");
    }
    assert!(!card.contains("#icon-search"));
    assert!(html.contains("<symbol id=\"icon-cache\""));
}

#[test]
fn catalog_lists_types_and_their_problems() {
    let site = build();
    let html = site.read("catalog.html");
    let cache = &html[html.find("id=\"type-cache\"").unwrap()..];
    let cache = &cache[..cache.find("</section>").unwrap()];
    assert!(
        cache.contains("Cache") && cache.contains("Caches and logs"),
        "{cache}"
    );
    assert!(
        cache.contains("href=\"problems/global-cache.html\">3. Global Cache</a>"),
        "{cache}"
    );
    assert!(!cache.contains("two-regions"));
    let client = &html[html.find("id=\"type-client\"").unwrap()..];
    assert!(client[..client.find("</section>").unwrap()].contains("<code>redirect_client</code>"));
}

#[test]
fn no_network_assets() {
    let site = build();
    for page in site.html_files() {
        let html = site.read(&page);
        for url in attr_values(&html, "src") {
            assert!(!url.contains("://"), "{page}: src={url}");
        }
        for tag in html.split("<link").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            assert!(
                !tag.contains("http://") && !tag.contains("https://"),
                "{page}: <link{tag}>"
            );
        }
        assert!(!html.contains("<script src=\"http"), "{page}");
    }
}

/// Issue 12, point 11: every page carries a Content-Security-Policy that
/// allows only the site's own files (and the playground's WebAssembly), and
/// nothing on a page needs more: no inline script that runs, no inline
/// style (element or attribute), no inline event handler.
#[test]
fn every_page_has_a_strict_csp_and_nothing_inline() {
    let site = build();
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';";
    for page in site.html_files() {
        let html = site.read(&page);
        assert!(
            html.contains("<meta http-equiv=\"Content-Security-Policy\"") && html.contains(policy),
            "{page}: no strict CSP"
        );
        assert!(!html.contains("<style"), "{page}: inline <style>");
        assert!(
            !html.contains(" style=\""),
            "{page}: inline style attribute"
        );
        assert!(
            !html.contains(" onclick=") && !html.contains(" onload="),
            "{page}: inline handler"
        );
        for tag in html.split("<script").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            assert!(
                tag.contains(" src=") || tag.contains("type=\"application/json\""),
                "{page}: an inline script that runs: <script{tag}>"
            );
        }
    }
    assert!(
        site.read("assets/css/figures.css")
            .contains(".diagram .node rect")
    );
}

#[test]
fn all_links_resolve_at_root() {
    let site = build();
    assert_eq!(site.site_url, "/");
    let broken = check_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(site.read("404.html").contains("href=\"/index.html\""));
}

#[test]
fn all_links_resolve_under_a_subpath() {
    let fixture = FixtureSite::from_dir("mini");
    fixture.set_config("output.html", "site-url = \"course\"");
    let site = fixture.build().unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(site.site_url, "/course/");
    let broken = check_links(&site);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let not_found = site.read("404.html");
    assert!(not_found.contains("href=\"/course/index.html\""));
    assert!(not_found.contains("href=\"/course/assets/css/meridian.css\""));
    assert!(not_found.contains("href=\"/course/problems/two-regions.html\""));
    // Other pages stay relative.
    assert!(
        site.read("problems/two-regions.html")
            .contains("href=\"../assets/css/meridian.css\"")
    );
}

#[test]
fn link_checker_catches_a_broken_link() {
    // The build itself refuses broken links in Markdown (tests/links.rs), so
    // this checker of the output is tested on a page broken after the build.
    let site = build();
    std::fs::write(
        site.path().join("glossary.html"),
        "<p>See <a href=\"missing.html\">nowhere</a> and <a href=\"basics.html#nope\">no anchor</a>.</p>\n",
    )
    .unwrap();
    let broken = check_links(&site);
    assert!(
        broken.iter().any(|b| b.contains("missing.html")),
        "{broken:?}"
    );
    assert!(
        broken.iter().any(|b| b.contains("no id `nope`")),
        "{broken:?}"
    );
}

#[test]
fn theme_override_replaces_a_template_and_an_asset() {
    let fixture = FixtureSite::from_dir("mini");
    fixture.set_config("output.html", "theme = \"my-theme\"");
    fixture.write(
        "my-theme/problem.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">Custom {{ problem.title }}</p>{% endblock content %}",
    );
    fixture.write(
        "my-theme/partials/prev_next.html",
        "<p class=\"custom-prev-next\">nav</p>",
    );
    fixture.write("my-theme/css/meridian.css", "body { color: red; }");
    let site = fixture.build().unwrap_or_else(|e| panic!("{e:#}"));
    let html = problem(&site, "two-regions");
    assert!(
        html.contains("<p class=\"custom\">Custom Two Regions</p>"),
        "{html}"
    );
    assert!(!html.contains("Functional requirements"));
    assert!(html.contains("custom-prev-next"));
    assert!(
        site.read("basics.html").contains("custom-prev-next"),
        "partial overrides apply everywhere"
    );
    assert_eq!(site.read("assets/css/meridian.css"), "body { color: red; }");
    assert!(
        site.read("catalog.html").contains("Component catalog"),
        "other templates stay built-in"
    );
}

#[test]
fn theme_override_errors_name_the_file() {
    let fixture = FixtureSite::from_dir("mini");
    fixture.set_config("output.html", "theme = \"my-theme\"");
    fixture.write(
        "my-theme/chapter.html",
        "{% extends \"base.html\" %}{% block content %}{{ oops( }}{% endblock content %}",
    );
    let err = format!("{:#}", fixture.build().err().expect("a template error"));
    assert!(err.contains("chapter.html"), "{err}");
    assert!(err.contains("my-theme"), "{err}");
}

#[test]
fn summary_errors_are_located() {
    let fixture = FixtureSite::from_dir("mini");
    fixture.write(
        "content/SUMMARY.md",
        "# Summary\n\n- [Basics](basics.md)\n- [Gone](gone.md)\n",
    );
    let err = format!("{:#}", fixture.build().err().expect("missing chapter"));
    assert!(err.contains("content/SUMMARY.md:4"), "{err}");
    assert!(err.contains("gone.md"), "{err}");

    fixture.write(
        "content/SUMMARY.md",
        "# Summary\n\n- [Basics](basics.md)\nnot a link\n",
    );
    let err = format!("{:#}", fixture.build().err().expect("bad line"));
    assert!(
        err.contains("content/SUMMARY.md") && err.contains("line 4"),
        "{err}"
    );
}

#[test]
fn theme_defaults_come_from_the_config() {
    let fixture = FixtureSite::from_dir("mini");
    fixture.set_config("output.html", "default-theme = \"dark\"");
    let site = fixture.build().unwrap();
    let html = site.read("index.html");
    assert!(
        html.contains("data-theme=\"dark\" data-default-theme=\"dark\" data-dark-theme=\"dark\""),
        "{}",
        &html[..400]
    );
    let js = site.read("assets/js/theme.js");
    assert!(js.contains("prefers-color-scheme: dark") && js.contains("localStorage"));
}

/// `meridian serve` re-renders a few pages into the live site: when one of
/// them fails to render, none is written, so the site stays as it was.
#[test]
fn a_partial_rebuild_that_fails_writes_nothing() {
    use meridian::site::{PageSet, Renderer};
    let fixture = FixtureSite::from_dir("mini");
    let site = fixture.build().unwrap_or_else(|e| panic!("{e:#}"));
    let before = support::files_under(site.path());
    let latency = site.read("basics/latency.html");
    let problem_page = problem(&site, "two-regions");

    let chapter = fixture.root().join("content/basics/latency.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(&chapter, format!("{text}\nAn edited sentence.\n")).unwrap();
    fixture.set_config("output.html", "theme = \"my-theme\"");
    // Renders for chapters, fails for problems (no such variable).
    fixture.write(
        "my-theme/problem.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable }}{% endblock content %}",
    );
    let course = meridian::load::load_course(fixture.root()).unwrap();
    let renderer = Renderer::new(&course).unwrap();
    let set = PageSet {
        chapters: vec!["basics/latency.md".into()],
        problems: vec!["two-regions".into()],
        listings: true,
        assets: true,
    };
    let err = renderer
        .render_pages(&course, site.path(), None, &set)
        .expect_err("the problem template fails");
    assert!(format!("{err:#}").contains("problem.html"), "{err:#}");
    assert_eq!(
        site.read("basics/latency.html"),
        latency,
        "a page was written"
    );
    assert_eq!(problem(&site, "two-regions"), problem_page);
    assert_eq!(support::files_under(site.path()), before);

    // Without the failing template the same set is written, in place.
    std::fs::remove_file(fixture.root().join("my-theme/problem.html")).unwrap();
    let renderer = Renderer::new(&course).unwrap();
    let pages = renderer
        .render_pages(&course, site.path(), None, &set)
        .unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(
        pages,
        2 + 3,
        "the chapter, the problem and the three listings"
    );
    assert!(
        site.read("basics/latency.html")
            .contains("An edited sentence.")
    );
    assert_eq!(
        support::files_under(site.path()),
        before,
        "no temporary file left"
    );
}
