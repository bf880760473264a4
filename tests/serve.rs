//! `meridian serve` over a copy of the mini fixture: pages are served with the
//! live-reload script, an edit sends a reload event and the new page, a broken
//! edit sends an error with its location while the old page stays, and the
//! fix clears it.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use support::FixtureSite;

const TIMEOUT: Duration = Duration::from_secs(20);

/// The running server; killed when dropped, whatever the test's outcome.
struct Server {
    child: Child,
    port: u16,
    /// Lines the server printed (stdout and stderr), for failure messages.
    output: Receiver<String>,
    log: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meridian"))
            .args(["serve", "--no-playground", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("meridian serve starts");
        let (tx, output) = channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let mut server = Server {
            child,
            port: 0,
            output,
            log: Vec::new(),
        };
        let line = server.wait_for_line("Serving ");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.port = port;
        server
    }

    fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?} from meridian serve; it printed:\n{}",
                    self.log.join("\n")
                ),
            }
        }
    }

    /// (status, body) of a GET.
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).expect("a response");
        let (head, body) = text.split_once("\r\n\r\n").expect("headers");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap();
        (status, body.to_string())
    }

    fn head_of(&self, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(s, "HEAD {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    }

    fn events(&self, path: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(s);
            let mut name = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                let l = line.trim_end().to_string();
                line.clear();
                if let Some(n) = l.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = l.strip_prefix("data: ")
                    && tx.send((name.clone(), d.to_string())).is_err()
                {
                    break;
                }
            }
        });
        let mut events = Events { rx };
        events.next_named("hello");
        events
    }
}

struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    /// The data of the next event called `name` (others are skipped).
    fn next_named(&mut self, name: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no `{name}` event in {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the event stream closed"),
            }
        }
    }

    /// The next event of any name.
    fn next(&mut self) -> (String, String) {
        self.rx.recv_timeout(TIMEOUT).expect("an event")
    }
}

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
