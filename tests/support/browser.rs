//! Browser test harness: finds Chromium and chromedriver, starts chromedriver
//! on a free port of 127.0.0.1 and opens a headless session (`Browser`), and
//! serves a folder over HTTP on 127.0.0.1, optionally under a subpath
//! (`StaticServer`).
//!
//! `Browser::launch_or_skip()` returns `None` after printing a loud SKIPPED
//! message when either program is missing, unless `MERIDIAN_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), in which case it panics. `$CHROMIUM` and
//! `$CHROMEDRIVER` override the programs' paths.
//!
//! Dropping a `Browser` deletes the session (Chromium quits), stops
//! chromedriver and removes the temporary profile. Statics are never dropped,
//! so keep the `Browser` in a local of the test (one `#[test]` running several
//! steps), not in a `static`.
#![allow(dead_code)]

use std::fs::File;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::webdriver::{WebDriver, chrome_capabilities, http_json};

pub const INSTALL_HINT: &str =
    "browser tests need chromium and chromedriver: apt-get install -y chromium chromium-driver";

/// `$VAR` if set (even if it names nothing), else the first existing default or `name` on `PATH`.
fn find_program(var: &str, defaults: &[&str], name: &str) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(var) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("${var} = {} does not exist", p.display()))
        };
    }
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    defaults
        .iter()
        .map(PathBuf::from)
        .chain(on_path)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!(
                "no {name} (looked at ${var}, {}, PATH)",
                defaults.join(", ")
            )
        })
}

/// Whether `MERIDIAN_REQUIRE_BROWSER` asks for a failure instead of a skip.
pub fn browser_required() -> bool {
    std::env::var("MERIDIAN_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The paths of chromedriver and Chromium, or why they cannot be used.
pub fn find_programs() -> Result<(PathBuf, PathBuf), String> {
    let chromedriver = find_program("CHROMEDRIVER", &["/usr/bin/chromedriver"], "chromedriver")?;
    let chromium = find_program("CHROMIUM", &["/usr/bin/chromium"], "chromium")?;
    Ok((chromedriver, chromium))
}

/// `find_programs`, or `None` after a loud SKIPPED message on stderr; panics
/// instead when `MERIDIAN_REQUIRE_BROWSER` is set.
pub fn programs_or_skip() -> Option<(PathBuf, PathBuf)> {
    match find_programs() {
        Ok(found) => Some(found),
        Err(why) => {
            let message = format!("SKIPPED: {INSTALL_HINT} ({why})");
            if browser_required() {
                panic!("{message}; MERIDIAN_REQUIRE_BROWSER is set, so this is a failure");
            }
            // Straight to stderr, past the test harness's capture of `eprintln!`,
            // so the skip shows even when the test passes.
            let rule = "=".repeat(78);
            let _ = writeln!(std::io::stderr(), "\n{rule}\n{message}\n{rule}\n");
            None
        }
    }
}

/// A running chromedriver; killed on drop.
struct ChromeDriver {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl ChromeDriver {
    fn start(program: &Path, log: &Path) -> Result<ChromeDriver, String> {
        let mut last_error = String::new();
        // The port is free when we look and taken a moment later only by bad luck: retry.
        for _ in 0..3 {
            let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .and_then(|l| l.local_addr())
                .map_err(|e| format!("no free port: {e}"))?
                .port();
            let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
            let err = out.try_clone().map_err(|e| e.to_string())?;
            let child = Command::new(program)
                .arg(format!("--port={port}"))
                // Verbose: the log shows how Chromium was launched and why it failed.
                .arg("--verbose")
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(err)
                .spawn()
                .map_err(|e| format!("starting {}: {e}", program.display()))?;
            let mut driver = ChromeDriver {
                child,
                addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
                log: log.to_path_buf(),
            };
            match driver.wait_ready() {
                Ok(()) => return Ok(driver),
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "chromedriver exited with {status}\n{}",
                    self.log_text()
                ));
            }
            if let Ok((200, v)) = http_json(self.addr, "GET", "/status", None)
                && v["value"]["ready"] == true
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!(
            "chromedriver not ready after 10 s on {}\n{}",
            self.addr,
            self.log_text()
        ))
    }

    /// The end of chromedriver's log (its last 16 kB), for failure messages.
    fn log_text(&self) -> String {
        const TAIL: usize = 16 * 1024;
        let bytes = std::fs::read(&self.log).unwrap_or_default();
        let cut = bytes.len().saturating_sub(TAIL);
        let text = String::from_utf8_lossy(&bytes[cut..]);
        let note = if cut > 0 { ", last 16 kB" } else { "" };
        format!(
            "--- chromedriver log ({}{note}) ---\n{text}\n--- end of chromedriver log ---",
            self.log.display()
        )
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session. Derefs to `WebDriver` for the commands.
pub struct Browser {
    // Fields drop in order: the session first (Chromium quits), then
    // chromedriver, then the profile folder.
    driver: WebDriver,
    chromedriver: ChromeDriver,
    tmp: tempfile::TempDir,
}

impl Deref for Browser {
    type Target = WebDriver;
    fn deref(&self) -> &WebDriver {
        &self.driver
    }
}

impl Browser {
    /// Launches the browser; `None` (with a loud message on stderr) when
    /// Chromium or chromedriver is missing and `MERIDIAN_REQUIRE_BROWSER` is
    /// not set. Panics if they are present but fail to start.
    pub fn launch_or_skip() -> Option<Browser> {
        programs_or_skip().map(|(chromedriver, chromium)| Browser::launch(&chromedriver, &chromium))
    }

    /// Starts `chromedriver` and a session of `chromium`; panics on failure,
    /// with chromedriver's log.
    pub fn launch(chromedriver: &Path, chromium: &Path) -> Browser {
        let tmp = tempfile::tempdir().expect("temp dir");
        let profile = tmp.path().join("profile");
        std::fs::create_dir_all(&profile).unwrap();
        let log = tmp.path().join("chromedriver.log");
        let driver_process = ChromeDriver::start(chromedriver, &log)
            .unwrap_or_else(|e| panic!("chromedriver failed to start: {e}"));
        let driver =
            WebDriver::new_session(driver_process.addr, chrome_capabilities(chromium, &profile))
                .unwrap_or_else(|e| {
                    panic!(
                        "could not open a Chromium session ({}): {e}\n{}",
                        chromium.display(),
                        driver_process.log_text()
                    )
                });
        Browser {
            driver,
            chromedriver: driver_process,
            tmp,
        }
    }

    pub fn driver(&self) -> &WebDriver {
        &self.driver
    }

    /// chromedriver's output so far, for failure messages.
    pub fn chromedriver_log(&self) -> String {
        self.chromedriver.log_text()
    }

    /// A scratch folder that lives as long as the browser.
    pub fn temp_dir(&self) -> &Path {
        self.tmp.path()
    }
}

// --- static file server ------------------------------------------------------

/// One request the server answered.
#[derive(Debug, Clone)]
pub struct Served {
    pub method: String,
    pub path: String,
    pub status: u16,
}

/// Serves a folder on 127.0.0.1 under a prefix (`/` or e.g. `/course/`) with
/// tiny_http, one thread per request, resolving paths with the same
/// resolver as `meridian serve` ([`meridian::serve::paths`]). A missing file
/// is a 404 with the folder's `404.html` as body when there is one (as static
/// hosts do). Stops on drop.
pub struct StaticServer {
    addr: SocketAddr,
    prefix: String,
    log: Arc<Mutex<Vec<Served>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `dir` at `http://127.0.0.1:PORT{prefix}`; `prefix` starts and ends with `/`.
    pub fn serve(dir: &Path, prefix: &str) -> StaticServer {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix `{prefix}` must start and end with `/`"
        );
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let server =
            Arc::new(tiny_http::Server::from_listener(listener, None).expect("an HTTP server"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let root = dir.to_path_buf();
        let thread = {
            let (log, prefix, server) = (log.clone(), prefix.to_string(), server.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let (root, prefix, log) = (root.clone(), prefix.clone(), log.clone());
                    std::thread::spawn(move || {
                        let served = handle(request, &root, &prefix);
                        log.lock().unwrap().push(served);
                    });
                }
            })
        };
        StaticServer {
            addr,
            prefix: prefix.to_string(),
            log,
            server,
            thread: Some(thread),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The absolute URL of `rel` (relative to the served folder): `url("problems/x.html")`.
    pub fn url(&self, rel: &str) -> String {
        format!(
            "http://{}{}{}",
            self.addr,
            self.prefix,
            rel.trim_start_matches('/')
        )
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<Served> {
        self.log.lock().unwrap().clone()
    }

    /// Requests answered with a status of 400 or more, as `STATUS path`.
    pub fn failures(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.status >= 400)
            .map(|r| format!("{} {}", r.status, r.path))
            .collect()
    }

    /// Forgets the requests so far (call before a step to check only its own).
    pub fn clear_log(&self) {
        self.log.lock().unwrap().clear();
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(request: tiny_http::Request, root: &Path, prefix: &str) -> Served {
    use meridian::serve::paths;
    let method = request.method().to_string();
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII")
    };
    let (status, ctype, body, extra): (u16, &str, Vec<u8>, Option<(&str, String)>) = if method
        != "GET"
        && method != "HEAD"
    {
        (
            405,
            "text/plain",
            b"method not allowed\n".to_vec(),
            Some(("Allow", "GET, HEAD".into())),
        )
    } else if format!("{path}/") == prefix {
        // `/course` → `/course/`, as static hosts do.
        (
            301,
            "text/plain",
            Vec::new(),
            Some(("Location", prefix.into())),
        )
    } else {
        // Outside the prefix is simply not found, as on a static host.
        let file = path.strip_prefix(prefix).map(|rel| {
            paths::resolve(root, rel).map(|f| if f.is_dir() { f.join("index.html") } else { f })
        });
        let not_found = || match std::fs::read(root.join("404.html")) {
            Ok(b) => (404, "text/html; charset=utf-8", b, None),
            Err(_) => (404, "text/plain", b"404 not found\n".to_vec(), None),
        };
        match file {
            None => not_found(),
            Some(Err(paths::BadPath(why))) => (400, "text/plain", why.as_bytes().to_vec(), None),
            Some(Ok(file)) => match std::fs::read(&file) {
                Ok(b) => (200, paths::content_type(&file), b, None),
                Err(_) => not_found(),
            },
        }
    };
    // Every page is served under the strict policy the playground promises
    // to work with: no inline script, wasm compiled only from our own files.
    let mut response = tiny_http::Response::from_data(body)
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header(
            "Content-Security-Policy",
            "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'",
        ));
    if let Some((name, value)) = extra {
        response = response.with_header(header(name, &value));
    }
    let _ = request.respond(response);
    Served {
        method,
        path,
        status,
    }
}
