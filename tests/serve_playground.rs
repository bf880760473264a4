//! `meridian serve` rebuilds the WebAssembly playground when its Rust sources
//! change, and a compile error reaches the open pages with its location while
//! the last good site stays served.
//!
//! The playground is built from a copy of Meridian's workspace (named by
//! `MERIDIAN_SOURCE_DIR`), so the test can break it without touching the
//! real tree. The copy lives under Cargo's test scratch folder and keeps its
//! own `target/` between runs, so only the first run compiles dependencies.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::FixtureSite;
use support::serve::Server;

/// A cold wasm build compiles every dependency (about 35 s on two cores).
const BUILD_TIMEOUT: Duration = Duration::from_secs(300);

/// What the web crate's build reads: the workspace manifests, the lockfile,
/// the toolchain pin, and the sources of every workspace member.
const WORKSPACE: [&str; 5] = [
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    "generator",
    "playground",
];

fn workspace_copy() -> PathBuf {
    let real = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-playground");
    for entry in WORKSPACE {
        let to = copy.join(entry);
        if to.is_dir() {
            std::fs::remove_dir_all(&to).unwrap();
        }
        let from = real.join(entry);
        if from.is_dir() {
            support::copy_dir(&from, &to);
        } else {
            std::fs::create_dir_all(&copy).unwrap();
            std::fs::copy(&from, &to).unwrap();
        }
    }
    copy
}

fn module_of(page: &str) -> String {
    support::attr_values(page, "data-module")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no playground module on the page:\n{page}"))
}

#[test]
fn a_playground_edit_rebuilds_the_wasm_and_a_rust_error_shows_located() {
    let source = workspace_copy();
    let book = FixtureSite::from_dir("mini");
    let mut server = Server::start_with_playground(book.root(), &source, BUILD_TIMEOUT);
    let page_path = "/problems/two-regions.html";
    let (status, page) = server.get(page_path);
    assert_eq!(status, 200);
    let module = module_of(&page);
    assert!(
        module.starts_with("../playground/meridian_web-"),
        "{module}"
    );
    let mut events = server.events("/__meridian/events");

    // A change the reader sees: the wasm, and so its hashed names, change.
    let session = source.join("playground/web/src/session.rs");
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(
        text.contains("\"Your failures\""),
        "the scenario's label moved"
    );
    std::fs::write(
        &session,
        text.replace("\"Your failures\"", "\"Your own failures\""),
    )
    .unwrap();
    let data = events.next_named("reload");
    assert!(data.contains("playground/web/src/session.rs"), "{data}");
    server.wait_for_line("playground: meridian_web-");
    let (_, page) = server.get(page_path);
    let rebuilt = module_of(&page);
    assert_ne!(rebuilt, module, "the page still loads the old module");
    let js = rebuilt.trim_start_matches("../");
    assert_eq!(server.get(&format!("/{js}")).0, 200);

    // A syntax error: located in the overlay's event, the last good page kept.
    let lib = source.join("playground/web/src/lib.rs");
    let good = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{good}\nfn broken( {{}}\n")).unwrap();
    let data = events.next_named("build-error");
    let doc: serde_json::Value = serde_json::from_str(&data).unwrap();
    let error = &doc["errors"][0];
    assert_eq!(error["file"], "playground/web/src/lib.rs", "{data}");
    let last_line = good.lines().count() as u64 + 2;
    assert_eq!(error["line"].as_u64(), Some(last_line), "{data}");
    assert!(error["column"].as_u64().unwrap() > 0);
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("--> playground/web/src/lib.rs:{last_line}:")),
        "rustc's rendering, with the location, is shown: {message}"
    );
    server.wait_for_line(&format!("playground/web/src/lib.rs:{last_line}:"));
    assert_eq!(
        server.get(page_path).1,
        page,
        "the last good page is served"
    );

    // The fix clears the error and reloads.
    std::fs::write(&lib, &good).unwrap();
    events.next_named("clear");
    events.next_named("reload");
    assert_eq!(module_of(&server.get(page_path).1), rebuilt);
}
