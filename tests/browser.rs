//! The real course in headless Chromium, served under a subpath (`/course/`).
//!
//! One browser for the whole binary: `the_course_in_chromium` builds the site,
//! launches Chromium through chromedriver and runs the `STEPS` in order, each
//! isolated (a failed step is reported and the others still run). To add a
//! check, write `fn my_step(cx: &Cx)` and list it in `STEPS`.
//! `MERIDIAN_BROWSER_STEP=<part of a name>` runs only the matching steps.
//!
//! Without Chromium or chromedriver the test prints SKIPPED and passes, unless
//! `MERIDIAN_REQUIRE_BROWSER=1` (CI), when it fails. See `support/browser.rs`.

#[path = "browser/keeping_work.rs"]
mod keeping_work;
#[path = "browser/playground.rs"]
mod playground;
#[path = "browser/playground_helpers.rs"]
mod playground_helpers;
#[path = "browser/search.rs"]
mod search;
#[path = "browser/serve.rs"]
mod serve;
mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};
use support::BuiltSite;
use support::browser::{Browser, StaticServer, programs_or_skip};
use support::webdriver::{keys, wait_for, wait_until};

/// Where the site is served, and its `site-url` (so `404.html` works there).
const PREFIX: &str = "/course/";

/// What every step gets: the browser, the server and the built site.
pub struct Cx {
    pub browser: Browser,
    pub server: StaticServer,
    pub site: BuiltSite,
    /// `problems/<id>.html` of the first problem.
    problem_page: String,
}

type Step = (&'static str, fn(&Cx));

const STEPS: &[Step] = &[
    ("pages load without console errors", pages_load_cleanly),
    (
        "theme toggle works by keyboard and persists",
        theme_toggle_by_keyboard,
    ),
    ("sidebar links open", sidebar_links_open),
    ("404 page works under the subpath", not_found_page),
    (
        "keyboard and script helpers reach the page",
        keyboard_and_scripts,
    ),
    (
        "playground: the reference's numbers equal the prerendered ones",
        playground::reference_matches_prerendered,
    ),
    (
        "playground: build toward T0 until it turns green",
        playground::build_until_t0_passes,
    ),
    (
        "playground: a region-loss scenario shows RTO and data lost",
        playground::region_loss_scenario,
    ),
    (
        "playground: the reader's own failures",
        playground::own_failures,
    ),
    ("playground: undo and redo", playground::undo_redo),
    (
        "playground: text view round trip",
        playground::text_view_round_trip,
    ),
    (
        "playground: share link in a fresh page",
        playground::share_link_round_trip,
    ),
    (
        "playground: malformed links fall back",
        playground::malformed_fragments,
    ),
    ("playground: names stay text", playground::names_stay_text),
    (
        "playground: saved per problem, reference and back",
        playground::saved_and_restored,
    ),
    (
        "playground: keyboard only, add and connect",
        playground::keyboard_add_and_connect,
    ),
    (
        "playground: links never replace the saved design (issue 12, 1–2)",
        keeping_work::links_never_replace_the_saved_design,
    ),
    (
        "playground: reference edits are saved (issue 12, 3)",
        keeping_work::reference_edits_are_saved,
    ),
    (
        "playground: no clipboard, no freeze (issue 12, 4)",
        keeping_work::no_clipboard_no_freeze,
    ),
    (
        "playground: tabs stay in sync (issue 12, 5)",
        keeping_work::tabs_stay_in_sync,
    ),
    (
        "playground: a pasted link opens (issue 12, 8)",
        keeping_work::pasted_link_opens,
    ),
    (
        "playground: opened from a file, says how to serve (issue 12, 8)",
        keeping_work::opened_from_a_file,
    ),
    (
        "playground: oversized designs are refused (issue 12, 6)",
        keeping_work::oversized_designs_are_refused,
    ),
    (
        "playground: the largest allowed design stays fast (issue 12, 6)",
        keeping_work::the_largest_allowed_design_stays_fast,
    ),
    (
        "playground: the click after typing counts (issue 12, 7)",
        keeping_work::the_click_after_typing_counts,
    ),
    (
        "playground: Backspace deletes only in the diagram (issue 12, 7)",
        keeping_work::backspace_deletes_only_in_the_diagram,
    ),
    (
        "playground: phone charts and header (issue 12, 10)",
        keeping_work::phone_charts_and_header,
    ),
    (
        "playground: a failed action is survived (issue 12, nothing can kill the app)",
        keeping_work::a_failed_action_is_survived,
    ),
    ("playground: timings", playground::timings),
    (
        "serve: the error overlay appears and clears",
        serve::overlay_appears_and_clears,
    ),
    (
        "serve: a stylesheet edit swaps without reloading",
        serve::css_swaps_without_reload,
    ),
    (
        "search: a typo query, followed by keyboard",
        search::typo_query_by_keyboard,
    ),
    ("search: shortcuts and Escape", search::shortcuts_and_escape),
    ("search: typo-tolerant queries", search::typo_queries),
    ("search: results are text", search::results_are_text),
    ("search: problem filters", search::problem_filters),
    ("search: phone layout", search::phone_layout),
    (
        "axe-core: every page kind, light and dark (issue 12, 12)",
        axe_every_page_kind,
    ),
];

#[test]
fn the_course_in_chromium() {
    let start = Instant::now();
    let Some((chromedriver, chromium)) = programs_or_skip() else {
        return;
    };
    // Chromium starts while the site builds.
    let (browser, site) = std::thread::scope(|s| {
        let browser = s.spawn(|| {
            let browser = Browser::launch(&chromedriver, &chromium);
            eprintln!("browser launched in {:?}", start.elapsed());
            browser
        });
        let site = build_course(PREFIX);
        eprintln!("site built in {:?}", start.elapsed());
        let browser = browser
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (browser, site)
    });
    let server = StaticServer::serve(site.path(), PREFIX);
    let problem_page = site
        .html_files()
        .into_iter()
        .find(|f| f.starts_with("problems/"))
        .expect("a problem page");
    let cx = Cx {
        browser,
        server,
        site,
        problem_page,
    };
    eprintln!("serving the site at {}", cx.server.url(""));

    let only = std::env::var("MERIDIAN_BROWSER_STEP").unwrap_or_default();
    let mut failed = Vec::new();
    for (name, step) in STEPS.iter().filter(|(n, _)| n.contains(only.as_str())) {
        // Each step sees only its own console messages and requests.
        cx.browser.browser_logs();
        cx.server.clear_log();
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| step(&cx)));
        eprintln!(
            "step `{name}`: {} in {:?}",
            if result.is_ok() { "ok" } else { "FAILED" },
            t.elapsed()
        );
        if result.is_err() {
            let url = cx
                .browser
                .command("GET", "/url", None)
                .unwrap_or(Value::Null);
            let logs = cx.browser.try_browser_logs().unwrap_or_default();
            eprintln!(
                "  at {url}\n  failed requests: {:?}\n  console since the step began:\n{}",
                cx.server.failures(),
                logs.iter()
                    .map(|l| format!("    {l}\n"))
                    .collect::<String>()
            );
            failed.push(*name);
        }
    }
    eprintln!("browser test total: {:?}", start.elapsed());
    assert!(
        failed.is_empty(),
        "browser steps failed (their messages are above): {failed:?}"
    );
}

/// The real course, rendered into a temporary folder with `site-url` set.
fn build_course(site_url: &str) -> BuiltSite {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut course = meridian::load::load_course(root).unwrap_or_else(|e| panic!("{e}"));
    course.config.output.html.site_url = site_url.to_string();
    let out = tempfile::tempdir().unwrap();
    // The real pipeline: the web crate compiled to wasm, bindgen, stripped.
    let bundle = meridian::bundle::build(&meridian::bundle::source_root())
        .unwrap_or_else(|e| panic!("{e:#}"));
    eprintln!(
        "playground: wasm {} bytes ({} gzipped), js {} bytes ({} gzipped)",
        bundle.wasm.len(),
        bundle.wasm_gzip,
        bundle.js.len(),
        bundle.js_gzip
    );
    let report = meridian::site::render_site_with(&course, out.path(), Some(&bundle))
        .unwrap_or_else(|e| panic!("{e:#}"));
    BuiltSite {
        out,
        report,
        site_url: site_url.to_string(),
    }
}

// --- helpers -----------------------------------------------------------------

/// Navigates to `rel` (relative to the site) and waits until the page is complete.
pub fn open(cx: &Cx, rel: &str) {
    cx.browser.goto(&cx.server.url(rel));
    wait_loaded(cx);
}

fn wait_loaded(cx: &Cx) {
    wait_until("document.readyState == complete", || {
        cx.browser.eval_string("document.readyState") == "complete"
    });
}

fn html_attr(cx: &Cx, name: &str) -> String {
    cx.browser.eval_string(&format!(
        "document.documentElement.getAttribute({})",
        json!(name)
    ))
}

fn assert_no_failed_requests(cx: &Cx, context: &str) {
    let failures = cx.server.failures();
    assert!(
        failures.is_empty(),
        "{context}: failed requests {failures:?}"
    );
}

// --- steps -------------------------------------------------------------------

/// The index, a problem page, the catalog and a chapter: no console errors,
/// every asset loads, and `theme.js` ran.
/// The first chapter page of the built site.
fn chapter_page(cx: &Cx) -> String {
    cx.site
        .html_files()
        .into_iter()
        .find(|f| {
            !f.contains('/') && !["index.html", "404.html", "catalog.html"].contains(&f.as_str())
        })
        .expect("a chapter page")
}

fn pages_load_cleanly(cx: &Cx) {
    let chapter = chapter_page(cx);
    for page in ["index.html", &cx.problem_page, "catalog.html", &chapter] {
        open(cx, page);
        cx.browser.assert_no_console_errors(page);
        assert_no_failed_requests(cx, page);
        assert_eq!(
            html_attr(cx, "class").split(' ').find(|c| *c == "js"),
            Some("js"),
            "{page}: theme.js did not run"
        );
        let sheets = cx
            .browser
            .execute("return document.styleSheets.length;", vec![]);
        assert!(sheets.as_u64() >= Some(2), "{page}: stylesheets {sheets}");
    }
    // A problem page shows its diagram.
    open(cx, &cx.problem_page);
    assert!(cx.browser.find("svg.diagram").is_displayed());
}

/// Tab to the theme button, Enter: the theme flips, the page's colours change,
/// and the choice survives a reload and a move to another page.
fn theme_toggle_by_keyboard(cx: &Cx) {
    let b = &cx.browser;
    open(cx, &cx.problem_page);
    b.execute("localStorage.removeItem('meridian-theme');", vec![]);
    b.refresh();
    wait_loaded(cx);
    let initial = html_attr(cx, "data-theme");
    let other = if initial == "dark" { "light" } else { "dark" };
    let background = || b.eval_string("getComputedStyle(document.documentElement).backgroundColor");
    let initial_bg = background();

    let toggle = b.find(".theme-toggle");
    assert!(toggle.is_displayed(), "theme toggle is hidden");
    assert_eq!(toggle.text(), "Dark theme");
    // Tab from the top of the page until the toggle has focus.
    let mut tabs = 0;
    while !b.active_element().matches(".theme-toggle") {
        tabs += 1;
        assert!(tabs <= 10, "theme toggle not reached after 10 Tabs");
        b.press(keys::TAB);
    }
    b.press(keys::ENTER);
    wait_until(&format!("data-theme = {other}"), || {
        html_attr(cx, "data-theme") == other
    });
    let pressed = (other == "dark").to_string();
    assert_eq!(
        toggle.attribute("aria-pressed").as_deref(),
        Some(pressed.as_str())
    );
    assert_ne!(background(), initial_bg, "background colour did not change");
    assert_eq!(
        b.eval_string("localStorage.getItem('meridian-theme')"),
        other
    );

    b.refresh();
    wait_loaded(cx);
    assert_eq!(html_attr(cx, "data-theme"), other, "after reload");
    assert_eq!(
        b.find(".theme-toggle").attribute("aria-pressed").as_deref(),
        Some(pressed.as_str()),
        "after reload"
    );
    open(cx, "index.html");
    assert_eq!(html_attr(cx, "data-theme"), other, "on another page");

    // And back, with Space this time (it is a real button).
    let toggle = b.find(".theme-toggle");
    let mut tabs = 0;
    while !b.active_element().matches(".theme-toggle") {
        tabs += 1;
        assert!(tabs <= 10, "theme toggle not reached after 10 Tabs");
        b.press(keys::TAB);
    }
    b.press(keys::SPACE);
    wait_until(&format!("data-theme = {initial}"), || {
        html_attr(cx, "data-theme") == initial
    });
    assert_eq!(background(), initial_bg);
    toggle.click();
    wait_until("a click toggles too", || {
        html_attr(cx, "data-theme") == other
    });
    b.execute("localStorage.removeItem('meridian-theme');", vec![]);
    b.assert_no_console_errors("theme toggle");
}

/// Every sidebar link answers 200 (fetched from the page), and a handful,
/// clicked one after the other, open their page marked as current.
fn sidebar_links_open(cx: &Cx) {
    let b = &cx.browser;
    open(cx, &cx.problem_page);
    let hrefs: Vec<String> = b
        .find_all("#sidebar a[href]")
        .iter()
        .map(|a| a.property("href").as_str().unwrap_or_default().to_string())
        .collect();
    assert!(hrefs.len() >= 40, "only {} sidebar links", hrefs.len());
    for h in &hrefs {
        assert!(h.starts_with(&cx.server.url("")), "{h} leaves the site");
    }

    let bad = b.execute_async(
        "const [urls, done] = arguments;
         Promise.all(urls.map(u => fetch(u).then(r => r.ok ? null : r.status + ' ' + u,
                                                 e => String(e) + ' ' + u)))
           .then(rs => done(rs.filter(r => r)));",
        vec![json!(hrefs)],
    );
    assert_eq!(bad, json!([]), "sidebar links that do not load");

    let n = hrefs.len();
    for k in 0..6 {
        let i = k * (n - 1) / 5;
        let link = &b.find_all("#sidebar a[href]")[i];
        let expected = &hrefs[i];
        link.click();
        wait_for(&format!("navigation to {expected}"), || {
            (b.current_url() == *expected).then_some(())
        });
        wait_loaded(cx);
        let current = b.find("#sidebar a[aria-current=\"page\"]");
        assert_eq!(
            current.property("href").as_str(),
            Some(expected.as_str()),
            "the sidebar marks the page it opened"
        );
        assert!(
            !b.title().starts_with("Page not found"),
            "{expected}: title {}",
            b.title()
        );
    }
    assert_no_failed_requests(cx, "sidebar");
    b.assert_no_console_errors("sidebar pages");
}

/// A missing page gets `404.html`, whose absolute links and assets work under
/// the subpath, even from a nested address.
fn not_found_page(cx: &Cx) {
    let b = &cx.browser;
    open(cx, "problems/no-such-problem.html");
    assert_eq!(b.find("h1").text(), "Page not found");
    assert_eq!(
        cx.server.failures(),
        vec![format!("404 {PREFIX}problems/no-such-problem.html")],
        "only the page itself is missing"
    );
    // The stylesheet applied: the layout is a grid.
    assert_eq!(
        b.eval_string("getComputedStyle(document.querySelector('.layout')).display"),
        "grid"
    );
    let errors = b.console_errors();
    assert!(
        errors.iter().all(|e| e.message.contains("404")),
        "console errors besides the 404 itself: {errors:?}"
    );
    b.find(".book-title").click();
    wait_until("home page", || {
        b.current_url() == cx.server.url("index.html")
    });
    wait_loaded(cx);
    b.assert_no_console_errors("home page from the 404 page");
}

/// The harness itself, for the tests to come: typing, chords, undo and async
/// scripts on a text area added to a page.
fn keyboard_and_scripts(cx: &Cx) {
    let b = &cx.browser;
    open(cx, "index.html");
    let area = b.execute(
        "const t = document.createElement('textarea'); t.id = 'kbd';
         document.querySelector('main').prepend(t); return t;",
        vec![],
    );
    let area = b
        .element_from(&area)
        .expect("the script returns the element");
    area.click();
    assert!(b.active_element().matches("#kbd"));
    b.type_text("abc");
    b.press(keys::BACKSPACE);
    assert_eq!(area.property("value"), json!("ab"));
    area.send_keys("cd");
    assert_eq!(area.property("value"), json!("abcd"));
    b.chord(&[keys::CONTROL, "a"]);
    b.press(keys::DELETE);
    assert_eq!(area.property("value"), json!(""));
    b.chord(&[keys::CONTROL, "z"]);
    wait_until("Ctrl+Z restores the text", || {
        area.property("value") == json!("abcd")
    });
    let sum = b.execute_async(
        "const [a, bb, done] = arguments; setTimeout(() => done(a + bb), 10);",
        vec![json!(2), json!(3)],
    );
    assert_eq!(sum, json!(5));
    b.execute("arguments[0].remove();", vec![area.to_arg()]);
    assert!(b.try_find("#kbd").is_none());
    b.assert_no_console_errors("keyboard");
}

/// The static server alone (no browser needed): prefix, index, types, 404s.
#[test]
fn static_server_serves_a_folder_under_a_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("index.html", "home");
    write("404.html", "not here");
    write("pkg/app_bg.wasm", "\0asm");
    write("a b.js", "js");
    let server = StaticServer::serve(dir.path(), PREFIX);
    let get = |path: &str| -> (u16, String, String) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(server.addr()).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let ctype = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Type: "))
            .unwrap_or_default()
            .to_string();
        (status, ctype, body.to_string())
    };
    assert_eq!(
        get("/course/"),
        (200, "text/html; charset=utf-8".into(), "home".into())
    );
    assert_eq!(get("/course/index.html?x=1").2, "home");
    assert_eq!(get("/course").0, 301);
    assert_eq!(get("/course/pkg/app_bg.wasm").1, "application/wasm");
    assert_eq!(get("/course/a%20b.js").1, "text/javascript; charset=utf-8");
    assert_eq!(
        get("/course/missing.html"),
        (404, "text/html; charset=utf-8".into(), "not here".into())
    );
    assert_eq!(get("/index.html").0, 404, "outside the prefix");
    assert_eq!(
        get("/course/../course/index.html").0,
        400,
        "no way out of the folder (tests/serve_paths.rs tries every form)"
    );
    // The server logs a request after answering it, so the log may lag.
    wait_until("three failed requests logged", || {
        server.failures().len() == 3
    });
    assert_eq!(
        server.url("pkg/x.js"),
        format!("http://{}/course/pkg/x.js", server.addr())
    );
}

/// axe-core from npm (`npm ci --prefix tests`), or None when missing (a
/// failure under MERIDIAN_REQUIRE_BROWSER, as in CI).
fn axe_source() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            assert!(
                std::env::var_os("MERIDIAN_REQUIRE_BROWSER").is_none(),
                "{}: {e}; run `npm ci --prefix tests`",
                path.display()
            );
            eprintln!("axe-core missing ({e}): step skipped");
            None
        }
    }
}

/// Issue 12, point 12: axe-core finds no violation on any page kind
/// (landing, chapter, problem with its playground running, catalog, 404)
/// in the light theme or the dark one.
fn axe_every_page_kind(cx: &Cx) {
    let Some(axe) = axe_source() else { return };
    let chapter = chapter_page(cx);
    let mut found = Vec::new();
    for page in [
        "index.html",
        &chapter,
        &cx.problem_page,
        "catalog.html",
        "404.html",
    ] {
        open(cx, page);
        if page.starts_with("problems/") {
            wait_until("the playground to start", || {
                cx.browser.try_find("#pg-results .pg-tiers").is_some()
            });
        }
        cx.browser.execute(&axe, vec![]);
        for theme in ["light", "dark"] {
            cx.browser.execute(
                "document.documentElement.setAttribute('data-theme', arguments[0]);",
                vec![serde_json::json!(theme)],
            );
            let v = cx.browser.execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']})
                   .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' +
                       v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            );
            for line in v.as_array().into_iter().flatten() {
                found.push(format!(
                    "{page} [{theme}] {}",
                    line.as_str().unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "axe-core violations:\n{}",
        found.join("\n")
    );
}
