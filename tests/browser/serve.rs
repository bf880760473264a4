//! `meridian serve` in the browser: a broken edit shows the error overlay in
//! the open page, the fix removes it and the page reloads with the change.

use super::Cx;
use super::support::FixtureSite;
use super::support::serve::Server;
use super::support::webdriver::wait_until;

pub fn overlay_appears_and_clears(cx: &Cx) {
    let book = FixtureSite::from_dir("mini");
    let server = Server::start(book.root());
    let b = &cx.browser;
    b.goto(&format!("http://127.0.0.1:{}/index.html", server.port));
    wait_until("the page and its live-reload script", || {
        b.eval_string("document.readyState") == "complete"
            && b.eval_string("String(!!document.querySelector('script[src*=\"live-reload\"]'))")
                == "true"
    });
    // No need to wait for the event stream: the server replays the current
    // error to pages that connect late, and the overlay proves the stream is
    // up before the fix is saved.
    let rel = "problems/multiregion/01-two-regions.yaml";
    let path = book.root().join(rel);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replacen("title: ", "title: [unclosed ", 1)).unwrap();
    wait_until("the error overlay", || {
        b.try_find("#meridian-build-error").is_some()
    });
    let text = b.find("#meridian-build-error").text();
    assert!(
        text.contains(&format!("{rel}:3:")),
        "overlay without the location: {text}"
    );

    std::fs::write(&path, good.replacen("title: ", "title: Fixed ", 1)).unwrap();
    wait_until("the overlay to clear and the page to show the fix", || {
        b.try_find("#meridian-build-error").is_none()
            && b.eval_string("document.body ? document.body.textContent : ''")
                .contains("Fixed ")
    });
    b.assert_no_console_errors("serve: overlay");
    // Leave while the server runs: the page would keep retrying its event
    // stream after the server stops, failing the next step's console check.
    b.goto("about:blank");
}

/// A stylesheet edit swaps the stylesheets in place: the new rule applies and
/// the page is not reloaded (its scroll and script state survive).
pub fn css_swaps_without_reload(cx: &Cx) {
    let book = FixtureSite::from_dir("mini");
    book.set_config("output.html", "theme = \"my-theme\"");
    let css = "my-theme/css/meridian.css";
    book.write(css, "body { margin-left: 11px; }");
    let server = Server::start(book.root());
    let b = &cx.browser;
    b.goto(&format!("http://127.0.0.1:{}/basics.html", server.port));
    wait_until("the page connected to meridian serve", || {
        b.eval_string("String(document.documentElement.hasAttribute('data-meridian-live'))")
            == "true"
    });
    let margin = || b.eval_string("getComputedStyle(document.body).marginLeft");
    assert_eq!(margin(), "11px");
    b.execute("window.__notReloaded = true;", vec![]);

    book.write(css, "body { margin-left: 23px; }");
    wait_until("the new stylesheet to apply", || margin() == "23px");
    assert_eq!(
        b.eval_string("String(window.__notReloaded === true)"),
        "true",
        "the page reloaded instead of swapping its stylesheets"
    );
    b.assert_no_console_errors("serve: css swap");
    // Leave while the server runs: the page would keep retrying its event
    // stream after the server stops, failing the next step's console check.
    b.goto("about:blank");
}
