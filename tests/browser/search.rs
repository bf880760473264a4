//! Browser steps for site search (`themes/default/js/search.js`) and the
//! landing page's problem filters. See `tests/browser.rs` for the harness.

use serde_json::{Value, json};

use super::support::webdriver::{keys, wait_for, wait_until};
use super::{Cx, open};

const INPUT: &str = "#site-search-input";

fn expanded(cx: &Cx) -> bool {
    cx.browser.find(INPUT).attribute("aria-expanded").as_deref() == Some("true")
}

/// (title text, href, marked words) of each result shown.
fn results(cx: &Cx) -> Vec<(String, String, Vec<String>)> {
    let v = cx.browser.execute(
        "return Array.from(document.querySelectorAll('#site-search-results [role=option]')).map(li => [
            li.querySelector('.search-result-title').textContent,
            li.querySelector('a').href,
            Array.from(li.querySelectorAll('mark')).map(m => m.textContent)]);",
        vec![],
    );
    v.as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|r| {
            let s = |i: usize| r[i].as_str().unwrap_or_default().to_string();
            let marks = r[2]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|m| m.as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default();
            (s(0), s(1), marks)
        })
        .collect()
}

/// From a problem page (one folder deep, so links go through `../`): `/`
/// focuses the box, "replcation" finds replication with the word marked, the
/// keyboard picks a chapter section and opens it at its anchor.
pub fn typo_query_by_keyboard(cx: &Cx) {
    let b = &cx.browser;
    open(cx, &cx.problem_page);
    assert!(b.find(".site-search").is_displayed(), "search box hidden");
    assert!(
        !cx.server
            .requests()
            .iter()
            .any(|r| r.path.ends_with("search-index.js")),
        "the index loads before it is needed"
    );
    // The playground restores focus after its start-up redraws (to its
    // inspector when the focused control is not inside it): let it settle.
    wait_until("the playground's failure scenarios", || {
        b.try_find("#pg-scenario").is_some()
    });
    // Nothing focused: `/` moves the focus to the box and is not typed.
    b.execute("document.activeElement.blur();", vec![]);
    b.press("/");
    assert!(
        b.active_element().matches(INPUT),
        "`/` did not focus the box"
    );
    b.type_text("replcation");
    let shown = wait_for("results for replcation", || {
        let r = results(cx);
        (!r.is_empty()).then_some(r)
    });
    assert_eq!(b.find(INPUT).property("value"), json!("replcation"));
    assert!(expanded(cx));
    for (title, href, marks) in &shown {
        assert!(
            marks
                .iter()
                .any(|m| m.to_lowercase().starts_with("replica")),
            "`{title}` ({href}) marks {marks:?}, not replication"
        );
    }
    assert!(
        shown[0].0.to_lowercase().contains("replica"),
        "a title match comes first: {shown:?}"
    );
    let target = shown
        .iter()
        .position(|(_, href, _)| href.contains("replication.html#"))
        .unwrap_or_else(|| panic!("no section of the replication chapter in {shown:?}"));
    for _ in 0..=target {
        b.press(keys::DOWN);
    }
    let active = b.find(INPUT).attribute("aria-activedescendant");
    assert_eq!(
        active.as_deref(),
        Some(format!("site-search-result-{target}").as_str())
    );
    assert_eq!(
        b.find(&format!("#site-search-result-{target}"))
            .attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    let expected = shown[target].1.clone();
    assert!(
        expected.starts_with(&cx.server.url("replication.html#")),
        "{expected} is not under the subpath"
    );
    b.press(keys::ENTER);
    wait_for(&format!("navigation to {expected}"), || {
        (b.current_url() == expected).then_some(())
    });
    super::wait_loaded(cx);
    let anchor = expected.split_once('#').unwrap().1;
    assert!(
        b.try_find(&format!("[id=\"{anchor}\"]")).is_some(),
        "no element #{anchor}"
    );
    assert_eq!(b.eval_string("location.hash"), format!("#{anchor}"));
    let index_requests: Vec<_> = cx
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("search-index.js"))
        .collect();
    assert_eq!(index_requests.len(), 1, "{index_requests:?}");
    assert_eq!(
        index_requests[0].path,
        format!("{}search-index.js", super::PREFIX)
    );
    super::assert_no_failed_requests(cx, "search");
    b.assert_no_console_errors("search");
}

/// `s` focuses the box too, but not while typing in a field; Escape closes
/// the list, then clears the box; ArrowUp wraps to the last result.
pub fn shortcuts_and_escape(cx: &Cx) {
    let b = &cx.browser;
    open(cx, "index.html");
    b.execute("document.activeElement.blur();", vec![]);
    b.press("s");
    assert!(
        b.active_element().matches(INPUT),
        "`s` did not focus the box"
    );
    assert_eq!(b.find(INPUT).property("value"), json!(""), "`s` was typed");
    b.type_text("latency");
    wait_until("results for latency", || !results(cx).is_empty());
    let n = results(cx).len();
    b.press(keys::UP);
    assert_eq!(
        b.find(INPUT).attribute("aria-activedescendant"),
        Some(format!("site-search-result-{}", n - 1))
    );
    b.press(keys::ESCAPE);
    assert!(!expanded(cx), "Escape leaves the list open");
    assert!(!b.find(".search-panel").is_displayed());
    assert_eq!(b.find(INPUT).property("value"), json!("latency"));
    b.press(keys::ESCAPE);
    assert_eq!(b.find(INPUT).property("value"), json!(""));
    // In a form field, `/` and `s` are text.
    b.execute(
        "const t = document.createElement('input'); t.id = 'other-field';
         document.querySelector('main').prepend(t); t.focus();",
        vec![],
    );
    b.type_text("s/");
    assert!(b.active_element().matches("#other-field"));
    assert_eq!(b.find("#other-field").property("value"), json!("s/"));
    b.execute("document.getElementById('other-field').remove();", vec![]);
    b.assert_no_console_errors("search shortcuts");
}

/// Typo-tolerant queries against the real index, through the client's own
/// search function: each expected page is among the first three results.
pub fn typo_queries(cx: &Cx) {
    let b = &cx.browser;
    open(cx, "index.html");
    b.find(INPUT).click();
    wait_until("the index to load", || {
        b.execute("return !!window.meridianSearchIndex;", vec![])
            .as_bool()
            .unwrap_or(false)
    });
    let cases: &[(&str, &str)] = &[
        ("replcation", "replication"),
        ("replicaton lag", "replication"),
        ("latncy", "latency"),
        ("failvoer", "failover"),
        ("consistnecy models", "consistency.html"),
        ("geodsn", "geodns"),
        ("crdt", "multiregion-crdt"),
        ("conflict-free replicated", "multiregion-crdt"),
        ("leader electon", "global-leader-election"),
        ("repl", "replication"),
        ("anycst", "anycast"),
        ("rto rpo", "rto-rpo"),
    ];
    let mut failures = Vec::new();
    for (query, expected) in cases {
        let top: Value = b.execute(
            "const ms = window.meridianSearch, data = window.meridianSearchIndex;
             const index = ms.buildIndex(data);
             return ms.search(index, arguments[0]).slice(0, 3).map(r => data.docs[r.doc].u);",
            vec![json!(query)],
        );
        let urls: Vec<&str> = top
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap())
            .collect();
        if !urls.iter().any(|u| u.to_lowercase().contains(expected)) {
            failures.push(format!("`{query}`: {urls:?} (expected {expected})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Short words are matched exactly or as prefixes, never fuzzily.
    let none = b.execute(
        "const ms = window.meridianSearch;
         return ms.search(ms.buildIndex(window.meridianSearchIndex), 'qzx').length;",
        vec![],
    );
    assert_eq!(none, json!(0));
    b.assert_no_console_errors("typo queries");
}

/// Index text never becomes markup: a title with `<b>` shows as text.
pub fn results_are_text(cx: &Cx) {
    let b = &cx.browser;
    open(cx, "index.html");
    b.execute(
        "window.meridianSearchIndex = {v: 1, types: {}, docs: [
           {t: '<img src=x onerror=alert(1)> Replication', u: 'x.html', x: '<b>bold</b> replication', w: ''}]};",
        vec![],
    );
    b.find(INPUT).click();
    b.type_text("replication");
    wait_until("a result", || !results(cx).is_empty());
    assert!(b.try_find("#site-search-results img").is_none());
    assert!(b.try_find("#site-search-results b").is_none());
    let (title, _, marks) = &results(cx)[0];
    assert!(title.starts_with("<img"), "{title}");
    assert_eq!(marks, &["Replication", "replication"]);
    b.assert_no_console_errors("results as text");
}

fn visible_cards(cx: &Cx) -> Vec<(String, String)> {
    let v = cx.browser.execute(
        "return Array.from(document.querySelectorAll('.problem-card'))
           .filter(c => c.offsetParent !== null)
           .map(c => [c.closest('.difficulty-group').dataset.difficulty, c.dataset.types]);",
        vec![],
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn choose(cx: &Cx, css: &str, value: &str) {
    // Sets the value and fires `change`, as picking an option does.
    cx.browser.execute(
        "const s = document.querySelector(arguments[0]); s.value = arguments[1];
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(css), json!(value)],
    );
}

/// Difficulty and component filters on the landing page: only matching cards
/// stay, empty groups disappear, the address keeps the filter, "Show all"
/// brings back the 35.
pub fn problem_filters(cx: &Cx) {
    let b = &cx.browser;
    open(cx, "index.html");
    assert!(b.find(".problem-filters").is_displayed());
    let all = visible_cards(cx);
    assert_eq!(all.len(), 35);
    assert_eq!(b.find(".filter-status").text(), "Showing all 35 problems.");

    choose(cx, "#filter-difficulty", "advanced");
    let advanced = visible_cards(cx);
    let expected = all.iter().filter(|(d, _)| d == "advanced").count();
    assert!(expected > 0);
    assert_eq!(advanced.len(), expected);
    assert_eq!(
        b.find(".filter-status").text(),
        format!("Showing {expected} of 35 problems.")
    );
    assert!(
        !b.find("#difficulty-easy").is_displayed(),
        "empty group shown"
    );

    choose(cx, "#filter-type", "cdn");
    let both = visible_cards(cx);
    let expected = all
        .iter()
        .filter(|(d, t)| d == "advanced" && t.split(' ').any(|x| x == "cdn"))
        .count();
    assert_eq!(both.len(), expected, "{both:?}");
    assert!(both.iter().all(|(_, t)| t.split(' ').any(|x| x == "cdn")));
    let url = b.current_url();
    assert!(
        url.ends_with("index.html?difficulty=advanced&type=cdn"),
        "{url}"
    );

    // The address restores the filters.
    b.refresh();
    super::wait_loaded(cx);
    assert_eq!(visible_cards(cx).len(), expected);
    assert_eq!(
        b.find("#filter-difficulty").property("value"),
        json!("advanced")
    );

    // Only a type: every difficulty that has one.
    choose(cx, "#filter-difficulty", "");
    let with_cdn = visible_cards(cx);
    assert_eq!(
        with_cdn.len(),
        all.iter()
            .filter(|(_, t)| t.split(' ').any(|x| x == "cdn"))
            .count()
    );

    let reset = b.find(".problem-filters button[type=reset]");
    b.execute(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        vec![reset.to_arg()],
    );
    reset.click();
    wait_until("all problems again", || visible_cards(cx).len() == 35);
    wait_until("the address without filters", || {
        b.current_url() == cx.server.url("index.html")
    });
    b.assert_no_console_errors("filters");
}

/// On a phone-sized window the box spans the top bar and results fit.
pub fn phone_layout(cx: &Cx) {
    let b = &cx.browser;
    b.set_window_size(390, 844);
    open(cx, "latency.html");
    b.find(INPUT).click();
    b.type_text("failover");
    wait_until("results", || !results(cx).is_empty());
    let fits = b.execute(
        "const p = document.querySelector('.search-panel').getBoundingClientRect();
         const i = document.querySelector('#site-search-input').getBoundingClientRect();
         return [p.left >= 0 && p.right <= window.innerWidth, i.width >= 250];",
        vec![],
    );
    b.set_window_size(1280, 900);
    assert_eq!(
        fits,
        json!([true, true]),
        "panel inside the window, box wide"
    );
}
