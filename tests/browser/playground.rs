//! Browser steps for the WebAssembly playground on problem pages (see
//! `tests/browser.rs` for the harness). Each step starts from a fresh
//! localStorage so steps do not see each other's saved designs.

use serde_json::{Value, json};

use super::playground_helpers::*;
use super::support::webdriver::{keys, wait_until};
use super::{Cx, open};

fn compare_reference(cx: &Cx, page: &str) {
    open_fresh(cx, page);
    load_reference(cx);
    // Targets: name, required, simulated (the result column's words differ
    // in markup, not in meaning, so the simulated value is what counts).
    let page_targets: Vec<Vec<String>> = rows(cx, "#simulation table.targets")
        .into_iter()
        .map(|r| r[..3].to_vec())
        .collect();
    let pg_targets: Vec<Vec<String>> = rows(cx, "#pg-results table.pg-targets")
        .into_iter()
        .map(|r| r[..3].to_vec())
        .collect();
    assert!(!page_targets.is_empty(), "{page}: no prerendered targets");
    assert_eq!(pg_targets, page_targets, "{page}: targets differ");
    let page_metrics = rows(cx, "#simulation table.metrics");
    let pg_metrics = rows(cx, "#pg-results table.pg-metrics");
    assert!(page_metrics.len() >= 6, "{page}: metrics {page_metrics:?}");
    assert_eq!(
        pg_metrics, page_metrics,
        "{page}: normal/peak metrics differ"
    );
    // Availability and cost, as the prerendered sentences give them.
    let availability = prerendered(cx, "#simulation-availability + p");
    let percent = availability.split_whitespace().next().unwrap().to_string();
    let cost = prerendered(cx, "#simulation-cost + p");
    let per_hour = cost.split_whitespace().next().unwrap().to_string();
    let summary = texts(cx, "#pg-results .pg-summary").join(" ");
    assert!(
        summary.contains(&percent) && summary.contains(&per_hour),
        "{page}: playground summary `{summary}` lacks {percent} or {per_hour}"
    );
    // The scenario shown (the worst) has the prerendered row's figures.
    let shown = cx
        .browser
        .eval_string("document.getElementById('pg-scenario').value");
    let row = rows(cx, "#simulation table.scenarios")
        .into_iter()
        .find(|r| r[0] == shown)
        .unwrap_or_else(|| panic!("{page}: no prerendered row for `{shown}`"));
    let facts = texts(cx, "#pg-results .pg-scenario-facts dd");
    assert_eq!(
        facts,
        row[1..].to_vec(),
        "{page}: scenario `{shown}` differs"
    );
    cx.browser.assert_no_console_errors(page);
}

/// The same reference solution gives the same numbers in the page (native
/// engine, prerendered) and in the playground (wasm), on a small and the
/// largest designs.
pub fn reference_matches_prerendered(cx: &Cx) {
    for page in [
        BASIC,
        "problems/planet-scale-database.html",
        "problems/conflict-resolution.html",
        "problems/global-rate-limiting.html",
    ] {
        compare_reference(cx, page);
    }
}

/// From the blank design (the clients), add a load balancer and an app
/// server, connect them, step the app to 2 replicas: T0 turns green.
pub fn build_until_t0_passes(cx: &Cx) {
    open_fresh(cx, BASIC);
    assert_eq!(
        nodes(cx),
        ["US Users", "EU Users"],
        "the blank design holds the clients"
    );
    assert!(!tier_passed(cx, 0), "T0 passes on a blank design");
    add(cx, "lb");
    add(cx, "app");
    assert_eq!(nodes(cx).len(), 4);
    assert!(!tier_passed(cx, 0), "T0 passes with one app instance");
    // Connect US LB → US App from the inspector.
    click(cx, "#pg-diagram g.node[data-id=\"US LB\"]");
    choose(cx, "#pg-connect-to", "US App");
    click(cx, "[data-action=\"connect\"]");
    wait_until("an edge in the diagram", || {
        !cx.browser.find_all("#pg-diagram g.edges path").is_empty()
    });
    assert!(
        text_view(cx).contains("US LB → US App"),
        "{}",
        text_view(cx)
    );
    // Step the app's replicas up to 2.
    click(cx, "#pg-diagram g.node[data-id=\"US App\"]");
    click(cx, "[data-action=\"replicas-inc\"]");
    wait_until("T0 to pass", || tier_passed(cx, 0));
    let first = texts(cx, "#pg-results .pg-tiers > li");
    assert!(
        first[0].contains('✓') && first[0].contains("T0"),
        "{first:?}"
    );
    assert!(
        text_view(cx).contains("US App: app @us x2"),
        "{}",
        text_view(cx)
    );
    cx.browser.assert_no_console_errors("build to T0");
}

/// The reference, region us lost: RTO and data lost as the page's table says.
pub fn region_loss_scenario(cx: &Cx) {
    open_fresh(cx, BASIC);
    load_reference(cx);
    let options = strings(&cx.browser.execute(
        "return Array.from(document.querySelectorAll('#pg-scenario option')).map(o => o.value);",
        vec![],
    ));
    let region = options
        .iter()
        .find(|o| o.starts_with("Region") && o.ends_with("lost"))
        .unwrap_or_else(|| panic!("no region-loss scenario in {options:?}"))
        .clone();
    choose(cx, "#pg-scenario", &region);
    wait_until("the picked scenario", || {
        cx.browser
            .eval_string("document.getElementById('pg-scenario').value")
            == region
    });
    let fact = |name: &str| prerendered(cx, &format!("#pg-results dd[data-fact=\"{name}\"]"));
    let (rto, lost) = (fact("rto"), fact("data-lost"));
    assert!(!rto.is_empty() && !lost.is_empty());
    let row = rows(cx, "#simulation table.scenarios")
        .into_iter()
        .find(|r| r[0] == region)
        .expect("the prerendered row");
    assert_eq!(
        (rto.as_str(), lost.as_str()),
        (row[2].as_str(), row[3].as_str())
    );
    assert!(
        cx.browser
            .try_find("#pg-results .chart-figure svg.chart")
            .is_some(),
        "the timeline chart is drawn"
    );
    cx.browser.assert_no_console_errors("region loss");
}

/// Ctrl+Z takes an edit back, Ctrl+Shift+Z redoes it; the buttons too.
pub fn undo_redo(cx: &Cx) {
    open_fresh(cx, BASIC);
    add(cx, "app");
    assert_eq!(nodes(cx).len(), 3);
    // Focus is on the palette button, inside the playground.
    cx.browser.chord(&[keys::CONTROL, "z"]);
    wait_until("undo", || nodes(cx).len() == 2);
    cx.browser.chord(&[keys::CONTROL, keys::SHIFT, "z"]);
    wait_until("redo", || nodes(cx).len() == 3);
    click(cx, "[data-action=\"undo\"]");
    wait_until("undo by button", || nodes(cx).len() == 2);
    click(cx, "[data-action=\"redo\"]");
    wait_until("redo by button", || nodes(cx).len() == 3);
    // Stepping replicas three times is one undo step.
    click(cx, "#pg-diagram g.node[data-id=\"US App\"]");
    for _ in 0..3 {
        click(cx, "[data-action=\"replicas-inc\"]");
    }
    wait_until("4 replicas", || {
        text_view(cx).contains("US App: app @us x4")
    });
    click(cx, "[data-action=\"undo\"]");
    wait_until("the stepping undone at once", || {
        text_view(cx).contains("US App: app @us\n")
    });
    // The inspector turns autoscaling on (an app can autoscale) and off.
    // (WebDriver's clear fires `change`, which redraws the inspector: find
    // the field again after it.)
    cx.browser.find("#pg-autoscale").clear();
    cx.browser
        .find("#pg-autoscale")
        .send_keys(&format!("12{}", keys::ENTER));
    wait_until("autoscaling in the text view", || {
        text_view(cx).contains("US App: app @us max=12\n")
    });
    cx.browser.find("#pg-autoscale").clear();
    wait_until("autoscaling off again", || {
        text_view(cx).contains("US App: app @us\n")
    });
    cx.browser.assert_no_console_errors("undo/redo");
}

/// Typing in the text view redraws the diagram; editing the diagram rewrites
/// the text; a syntax error is shown at its line and the design stays.
pub fn text_view_round_trip(cx: &Cx) {
    open_fresh(cx, BASIC);
    let area = cx.browser.find("#pg-text");
    area.clear();
    area.send_keys("US LB: lb @us\nUS App: app @us x3\nUS LB -> US App\n");
    wait_until("the typed design in the diagram", || {
        let mut n = nodes(cx);
        n.sort();
        n == ["US App", "US LB"]
    });
    assert_eq!(cx.browser.find_all("#pg-diagram g.edges path").len(), 1);
    add(cx, "db_primary");
    wait_until("the text view to follow the diagram", || {
        text_view(cx).contains("US DB: db_primary @us")
    });
    assert!(
        text_view(cx).contains("US LB → US App"),
        "{}",
        text_view(cx)
    );
    let area = cx.browser.find("#pg-text");
    area.send_keys("\nthis line is broken");
    wait_until("a located error", || {
        texts(cx, "#pg-text-errors li")
            .iter()
            .any(|e| e.starts_with("line "))
    });
    assert_eq!(nodes(cx).len(), 3, "the last valid design stays on screen");
    cx.browser.assert_no_console_errors("text view");
}

/// Share puts the design in a link; the link opens it in a fresh page
/// (with nothing saved).
pub fn share_link_round_trip(cx: &Cx) {
    open_fresh(cx, BASIC);
    let area = cx.browser.find("#pg-text");
    area.clear();
    area.send_keys("US LB: lb @us\nUS App: app @us x3\nEU DB: db_primary @eu\nUS LB -> US App\nUS App -> EU DB\n");
    wait_until("the typed design", || nodes(cx).len() == 3);
    let mut before = nodes(cx);
    before.sort();
    let url = share_link(cx);
    cx.browser.execute("localStorage.clear();", vec![]);
    open_link(cx, &url);
    let mut after = nodes(cx);
    after.sort();
    assert_eq!(after, before, "the link opens the shared design");
    let text = text_view(cx);
    for line in [
        "US App: app @us x3",
        "EU DB: db_primary @eu",
        "US LB → US App",
        "US App → EU DB",
    ] {
        assert!(
            text.contains(line),
            "`{line}` missing from the shared design:\n{text}"
        );
    }
    cx.browser.assert_no_console_errors("share link");
    // A link as the playground made them while it deflated in its wasm
    // (miniz, level 9) opens in the browser's inflater.
    let old = format!(
        "{BASIC}#design={}",
        packed(b"Old LB: lb @us\nOld App: app @eu x2\nOld LB -> Old App\n")
    );
    cx.browser.execute("localStorage.clear();", vec![]);
    open_link(cx, &cx.server.url(&old));
    let mut opened = nodes(cx);
    opened.sort();
    assert_eq!(opened, ["Old App", "Old LB"], "an earlier link opens");
    cx.browser.assert_no_console_errors("earlier link");
}

/// A design link's value for `text` (version 1, raw deflate, base64url).
fn packed(text: &[u8]) -> String {
    use base64::Engine;
    let mut bytes = vec![1];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(text, 9));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Broken links show a message and fall back to the blank design.
pub fn malformed_fragments(cx: &Cx) {
    let future = {
        // Version byte 2, then anything: base64url of [2, 0, 1, 2].
        "AgABAg"
    };
    let oversized = "A".repeat(20_000);
    // 10 MiB of spaces: a short link that the browser inflates whole,
    // past what the page reads.
    let bomb = packed(&vec![b' '; 10 << 20]);
    for (fragment, why) in [
        ("design=", "empty"),
        ("design=%%%not-base64", "not base64url"),
        ("design=AQ", "truncated"),
        (&format!("design={future}") as &str, "a future version"),
        (&format!("design={oversized}") as &str, "oversized"),
        // Version 1, then a reserved deflate block type: the browser's
        // inflater fails.
        ("design=Af___w", "not deflate"),
        (&format!("design={bomb}") as &str, "inflates too far"),
    ] {
        open_fresh(cx, BASIC);
        cx.browser
            .goto(&cx.server.url(&format!("{BASIC}#{fragment}")));
        cx.browser.refresh();
        wait_ready(cx);
        let notice = prerendered(cx, "#pg-notice");
        assert!(
            notice.contains("could not be opened"),
            "{why}: notice `{notice}`"
        );
        assert_eq!(
            nodes(cx),
            ["US Users", "EU Users"],
            "{why}: falls back to blank"
        );
        cx.browser.assert_no_console_errors(why);
    }
}

/// A name that looks like markup is shown as text everywhere.
pub fn names_stay_text(cx: &Cx) {
    const XSS: &str = "<img src=x onerror=\"window.__xss=1\">";
    open_fresh(cx, BASIC);
    add(cx, "app");
    let input = cx.browser.find("#pg-name");
    input.clear();
    input.send_keys(&format!("{XSS}{}", keys::ENTER));
    wait_until("the rename", || nodes(cx).iter().any(|n| n == XSS));
    let images = cx.browser.execute(
        "return document.querySelectorAll('#pg img').length;",
        vec![],
    );
    assert_eq!(images, json!(0));
    assert!(text_view(cx).contains(XSS));
    assert!(texts(cx, "#pg-inspector h3")[0].contains(XSS));
    // Through a share link too.
    let url = share_link(cx);
    open_link(cx, &url);
    assert!(nodes(cx).iter().any(|n| n == XSS));
    let xss = cx
        .browser
        .execute("return window.__xss === undefined;", vec![]);
    assert_eq!(xss, json!(true), "the payload ran");
    cx.browser.assert_no_console_errors("names stay text");
}

/// Without the mouse: add a load balancer and an app server from the
/// palette, select the LB in the diagram, connect it to the app.
pub fn keyboard_add_and_connect(cx: &Cx) {
    open_fresh(cx, BASIC);
    // Start at the region picker, the palette's first control.
    cx.browser
        .execute("document.getElementById('pg-add-region').focus();", vec![]);
    tab_to(cx, ".pg-add[data-type=\"lb\"]");
    cx.browser.press(keys::ENTER);
    tab_to(cx, ".pg-add[data-type=\"app\"]");
    cx.browser.press(keys::ENTER);
    wait_until("two components added", || nodes(cx).len() == 4);
    tab_to(cx, "#pg-diagram g.node[data-id=\"US LB\"]");
    cx.browser.press(keys::ENTER);
    wait_until("US LB selected", || {
        texts(cx, "#pg-inspector h3")
            .first()
            .is_some_and(|h| h.contains("US LB"))
    });
    tab_to(cx, "#pg-connect-to");
    // US App was added last, so it is the last option.
    cx.browser.press(keys::END);
    tab_to(cx, "[data-action=\"connect\"]");
    cx.browser.press(keys::ENTER);
    wait_until("the connection", || {
        text_view(cx).contains("US LB → US App")
    });
    // Escape clears the selection; Delete removes a selected component.
    cx.browser.press(keys::ESCAPE);
    wait_until("no selection", || {
        texts(cx, "#pg-inspector h3")
            .first()
            .is_some_and(|h| h == "Inspector")
    });
    tab_to(cx, "#pg-diagram g.node[data-id=\"US App\"]");
    cx.browser.press(keys::ENTER);
    cx.browser.press(keys::DELETE);
    wait_until("US App deleted", || nodes(cx).len() == 3);
    cx.browser.assert_no_console_errors("keyboard");
}

/// Reports how long the wasm engine takes on every reference solution and
/// how long an edit takes to redraw (printed, not asserted: timings depend
/// on the machine).
pub fn timings(cx: &Cx) {
    let pages: Vec<String> = cx
        .site
        .html_files()
        .into_iter()
        .filter(|f| f.starts_with("problems/"))
        .collect();
    let mut evals = Vec::new();
    let mut edits = Vec::new();
    let mut scenario_times = Vec::new();
    for page in &pages {
        open_fresh(cx, page);
        load_reference(cx);
        let ms = cx
            .browser
            .execute(
                "return window.meridianPlayground.time_reference_evaluation(20);",
                vec![],
            )
            .as_f64()
            .unwrap_or(f64::NAN);
        let edit = cx.browser.execute(
            "return Array.from(window.meridianPlayground.last_edit_timings());",
            vec![],
        );
        let parts: Vec<f64> = edit
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        assert_eq!(parts.len(), 4, "{page}: timings {edit}");
        evals.push((ms, page.clone()));
        edits.push((parts[0] + parts[1], page.clone()));
        scenario_times.push((parts[2], page.clone()));
    }
    evals.sort_by(|a, b| a.0.total_cmp(&b.0));
    edits.sort_by(|a, b| a.0.total_cmp(&b.0));
    scenario_times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let median = |v: &[(f64, String)]| v[v.len() / 2].0;
    eprintln!(
        "wasm evaluation of the reference (mean of 20): median {:.2} ms, max {:.2} ms ({})",
        median(&evals),
        evals.last().unwrap().0,
        evals.last().unwrap().1
    );
    eprintln!(
        "loading the reference, steady evaluation + redraw: median {:.2} ms, max {:.2} ms ({})",
        median(&edits),
        edits.last().unwrap().0,
        edits.last().unwrap().1
    );
    eprintln!(
        "then the failure scenarios, computed + drawn: median {:.2} ms, max {:.2} ms ({})",
        median(&scenario_times),
        scenario_times.last().unwrap().0,
        scenario_times.last().unwrap().1
    );
}

/// The reader's design survives a reload (localStorage); loading the
/// reference keeps it aside, and "Back to my design" returns to it.
pub fn saved_and_restored(cx: &Cx) {
    open_fresh(cx, BASIC);
    add(cx, "app");
    add(cx, "lb");
    wait_until("two added", || nodes(cx).len() == 4);
    open(cx, BASIC);
    wait_ready(cx);
    let mut mine = nodes(cx);
    mine.sort();
    assert_eq!(
        mine,
        ["EU Users", "US App", "US LB", "US Users"],
        "saved across a reload"
    );
    load_reference(cx);
    assert_ne!(nodes(cx).len(), 4, "the reference is on screen");
    click(cx, "[data-action=\"mine\"]");
    wait_until("back to my design", || {
        let mut n = nodes(cx);
        n.sort();
        n == mine
    });
    click(cx, "[data-action=\"reset\"]");
    wait_until("the blank design", || nodes(cx) == ["US Users", "EU Users"]);
    cx.browser.assert_no_console_errors("saved and restored");
}

/// "Fail this component" adds the reader's own scenario, picked at once,
/// with its RTO and data lost; clearing the mark removes it.
pub fn own_failures(cx: &Cx) {
    open_fresh(cx, BASIC);
    load_reference(cx);
    let db = cx.browser.eval_string(
        "Array.from(document.querySelectorAll('#pg-diagram g.node')).find(n => n.getAttribute('data-type') === 'db_primary').getAttribute('data-id')",
    );
    click(cx, &format!("#pg-diagram g.node[data-id=\"{db}\"]"));
    click(cx, "#pg-failed");
    wait_until("the reader's scenario picked", || {
        cx.browser
            .eval_string("document.getElementById('pg-scenario').value")
            == "Your failures"
    });
    let rto = prerendered(cx, "#pg-results dd[data-fact=\"rto\"]");
    let lost = prerendered(cx, "#pg-results dd[data-fact=\"data-lost\"]");
    // The same loss as the generated "<db> lost" scenario of the page.
    let row = rows(cx, "#simulation table.scenarios")
        .into_iter()
        .find(|r| r[0] == format!("{db} lost"))
        .expect("the generated scenario");
    assert_eq!(
        (rto.as_str(), lost.as_str()),
        (row[2].as_str(), row[3].as_str())
    );
    assert!(
        cx.browser
            .try_find(&format!("#pg-diagram g.node.failed[data-id=\"{db}\"]"))
            .is_some()
    );
    click(cx, "#pg-failed");
    wait_until("the reader's scenario gone", || {
        !strings(&cx.browser.execute(
            "return Array.from(document.querySelectorAll('#pg-scenario option')).map(o => o.value);",
            vec![],
        ))
        .iter()
        .any(|o| o == "Your failures")
    });
    cx.browser.assert_no_console_errors("own failures");
}
