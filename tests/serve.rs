//! `meridian serve` over a copy of the mini fixture: pages are served with the
//! live-reload script, an edit sends a reload event and the new page, a broken
//! edit sends an error with its location while the old page stays, and the
//! fix clears it.

mod support;

use std::path::Path;
use std::time::Instant;

use support::FixtureSite;
use support::serve::{Server, TIMEOUT};

fn edit(root: &Path, rel: &str, f: impl FnOnce(&str) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(&text)).unwrap();
}

/// Saves like editors that write a temporary file and rename it over.
fn save_by_rename(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

#[test]
fn serves_pages_with_the_reload_script_and_reloads_after_a_chapter_edit() {
    let book = FixtureSite::from_dir("mini");
    let mut server = Server::start(book.root());

    let (status, page) = server.get("/basics/latency.html");
    assert_eq!(status, 200);
    assert!(page.contains("__meridian/live-reload.js"), "{page}");
    // The built file itself stays clean.
    let built = std::fs::read_to_string(book.root().join("site/basics/latency.html")).unwrap();
    assert!(!built.contains("__meridian"));
    let (status, script) = server.get("/__meridian/live-reload.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));
    assert!(server.head_of("/index.html").contains("text/html"));
    let (status, _) = server.get("/no/such/page.html");
    assert_eq!(status, 404);

    let mut events = server.events("/__meridian/events");
    edit(book.root(), "content/basics/latency.md", |t| {
        format!("{t}\nA sentence added while serving.\n")
    });
    let data = events.next_named("reload");
    assert!(data.contains("content/basics/latency.md"), "{data}");
    let (_, page) = server.get("/basics/latency.html");
    assert!(page.contains("A sentence added while serving."));
    server.wait_for_line("rebuilt content/basics/latency.md (1 page)");

    // Editors saving through a temporary file and a rename, several times in a row.
    for n in 0..5 {
        let text = std::fs::read_to_string(book.root().join("content/glossary.md")).unwrap();
        save_by_rename(
            book.root(),
            "content/glossary.md",
            &format!("{text}\nSave number {n}.\n"),
        );
    }
    events.next_named("reload");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let (_, page) = server.get("/glossary.html");
        if page.contains("Save number 4.") {
            break;
        }
        assert!(Instant::now() < deadline, "the last save never showed");
        events.next_named("reload");
    }

    // A new problem file: the course is reloaded and its page appears.
    let first =
        std::fs::read_to_string(book.root().join("problems/multiregion/01-two-regions.yaml"))
            .unwrap();
    let added = first
        .replace("id: two-regions", "id: added-problem")
        .replacen("number: 1", "number: 9", 1);
    assert_ne!(added, first, "the fixture's id or number changed");
    book.write("problems/multiregion/09-added-problem.yaml", &added);
    let deadline = Instant::now() + TIMEOUT;
    while server.get("/problems/added-problem.html").0 != 200 {
        assert!(Instant::now() < deadline, "the new problem never appeared");
        events.next_named("reload");
    }
    std::fs::remove_file(
        book.root()
            .join("problems/multiregion/09-added-problem.yaml"),
    )
    .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    while server.get("/problems/added-problem.html").0 != 404 {
        assert!(
            Instant::now() < deadline,
            "the deleted problem's page stayed"
        );
        events.next_named("reload");
    }
}

#[test]
fn a_broken_problem_shows_its_location_and_keeps_the_last_good_page_until_fixed() {
    let book = FixtureSite::from_dir("mini");
    book.set_config("output.html", "site-url = \"/course/\"");
    let mut server = Server::start(book.root());
    let rel = "problems/multiregion/02-read-replicas.yaml";
    let good = std::fs::read_to_string(book.root().join(rel)).unwrap();
    let id_page = "/course/problems/read-replicas.html";

    // Served under the site-url too, with the script's paths under it.
    let (status, before) = server.get(id_page);
    assert_eq!(status, 200, "{before}");
    assert!(before.contains("src=\"/course/__meridian/live-reload.js\""));
    assert_eq!(server.get("/problems/read-replicas.html").0, 200);
    let mut events = server.events("/course/__meridian/events");

    std::fs::write(
        book.root().join(rel),
        good.replacen("title: ", "title: [unclosed ", 1),
    )
    .unwrap();
    let data = events.next_named("build-error");
    let doc: serde_json::Value = serde_json::from_str(&data).unwrap();
    let message = doc["message"].as_str().unwrap();
    let located = regex_like_location(message, rel);
    assert!(located, "no {rel}:line:column in {message}");
    let error = &doc["errors"][0];
    assert_eq!(error["file"], rel);
    assert!(error["line"].as_u64().unwrap() > 0);
    assert!(error["column"].as_u64().unwrap() > 0);
    server.wait_for_line(rel);

    // The last good page is still served, and a page opened now sees the error.
    let (status, still) = server.get(id_page);
    assert_eq!(status, 200);
    assert_eq!(still, before);
    let mut late = server.events("/__meridian/events");
    late.next_named("build-error");

    // A change elsewhere while broken keeps the error.
    edit(book.root(), "content/glossary.md", |t| {
        format!("{t}\nMore.\n")
    });
    assert_eq!(events.next().0, "build-error");

    // The fix clears it and reloads with the new content.
    std::fs::write(
        book.root().join(rel),
        good.replacen("title: ", "title: Fixed ", 1),
    )
    .unwrap();
    events.next_named("clear");
    events.next_named("reload");
    late.next_named("clear");
    let (_, after) = server.get(id_page);
    assert!(
        after.contains("Fixed "),
        "the fixed title is not on the page"
    );
}

/// Whether `message` names `file:LINE:COLUMN` with numbers.
fn regex_like_location(message: &str, file: &str) -> bool {
    message.match_indices(&format!("{file}:")).any(|(i, m)| {
        let rest = &message[i + m.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let column = parts.next().unwrap_or("");
        !line.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && !column.is_empty()
            && column.chars().all(|c| c.is_ascii_digit())
    })
}
