//! A small W3C WebDriver client for the browser tests: plain HTTP/1.1 over
//! `std::net::TcpStream` (one connection per request, `Connection: close`)
//! and `serde_json`. It speaks to chromedriver; `browser.rs` starts that.
//!
//! Methods panic with the failing command and WebDriver's message, which is
//! what a test wants; `command` returns a `Result` for anything not covered.
//! Browser console messages come from chromedriver's `POST /session/{id}/se/log`
//! (`{"type": "browser"}`; the session asks for `goog:loggingPrefs`
//! `{browser: ALL}`): it sees everything from the first byte of a page,
//! including failed resource loads, and each read drains the buffer.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long `wait_for` and friends poll before giving up.
pub const WAIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Socket read/write timeout of one WebDriver request. Longer than the
/// session's script timeout (20 s), so a hung script reports as a script error.
pub const SOCKET_TIMEOUT: Duration = Duration::from_secs(45);
/// The key of an element reference in W3C JSON.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// W3C key codes for `press`, `press_keys`, `chord`, `Element::send_keys`.
pub mod keys {
    pub const BACKSPACE: &str = "\u{E003}";
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SHIFT: &str = "\u{E008}";
    pub const CONTROL: &str = "\u{E009}";
    pub const ALT: &str = "\u{E00A}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const SPACE: &str = "\u{E00D}";
    pub const PAGE_UP: &str = "\u{E00E}";
    pub const PAGE_DOWN: &str = "\u{E00F}";
    pub const END: &str = "\u{E010}";
    pub const HOME: &str = "\u{E011}";
    pub const LEFT: &str = "\u{E012}";
    pub const UP: &str = "\u{E013}";
    pub const RIGHT: &str = "\u{E014}";
    pub const DOWN: &str = "\u{E015}";
    pub const INSERT: &str = "\u{E016}";
    pub const DELETE: &str = "\u{E017}";
    pub const META: &str = "\u{E03D}";
}

/// An error from WebDriver (`error` is the W3C code, e.g. `no such element`)
/// or from the transport (`error` is `transport`).
#[derive(Debug, Clone)]
pub struct WdError {
    pub error: String,
    pub message: String,
}

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl WdError {
    fn transport(message: impl Into<String>) -> WdError {
        WdError {
            error: "transport".into(),
            message: message.into(),
        }
    }
}

/// One HTTP request to `addr`; returns the status and the parsed JSON body.
pub fn http_json(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<(u16, Value), WdError> {
    let io =
        |what: &str, e: std::io::Error| WdError::transport(format!("{method} {path}: {what}: {e}"));
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| io("connect", e))?;
    stream.set_read_timeout(Some(SOCKET_TIMEOUT)).ok();
    stream.set_write_timeout(Some(SOCKET_TIMEOUT)).ok();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| io("write", e))?;

    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .map_err(|e| io("read status", e))?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            WdError::transport(format!("{method} {path}: bad status line {status_line:?}"))
        })?;
    let mut length: Option<usize> = None;
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| io("read headers", e))?;
        let line = line.trim_end();
        if n == 0 || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim();
            if name == "content-length" {
                length = value.parse().ok();
            } else if name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked") {
                return Err(WdError::transport(format!(
                    "{method} {path}: chunked responses are not supported"
                )));
            }
        }
    }
    let mut bytes = Vec::new();
    match length {
        Some(n) => {
            bytes.resize(n, 0);
            reader
                .read_exact(&mut bytes)
                .map_err(|e| io("read body", e))?;
        }
        None => {
            reader
                .read_to_end(&mut bytes)
                .map_err(|e| io("read body", e))?;
        }
    }
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).map_err(|e| {
            WdError::transport(format!(
                "{method} {path}: HTTP {status}, body is not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            ))
        })?
    };
    Ok((status, value))
}

/// W3C: the payload is under `value`; an error has `value.error`.
fn unwrap_response(status: u16, body: Value) -> Result<Value, WdError> {
    let value = match body {
        Value::Object(mut m) => m.remove("value").unwrap_or(Value::Null),
        other => other,
    };
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        return Err(WdError {
            error: error.to_string(),
            message: value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        });
    }
    if status >= 400 {
        return Err(WdError {
            error: format!("HTTP {status}"),
            message: value.to_string(),
        });
    }
    Ok(value)
}

/// Polls `f` until it returns `Some`, for up to `WAIT_TIMEOUT` (10 s); panics
/// with "timed out after 10s waiting for {what}" otherwise.
pub fn wait_for<T>(what: &str, f: impl FnMut() -> Option<T>) -> T {
    wait_for_timeout(what, WAIT_TIMEOUT, f)
}

/// `wait_for` for a condition.
pub fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    wait_for(what, || f().then_some(()))
}

pub fn wait_for_timeout<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        if start.elapsed() >= timeout {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// One entry of the browser's console log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// `SEVERE` (console.error, uncaught exceptions, failed loads), `WARNING`, `INFO`, `DEBUG`.
    pub level: String,
    /// e.g. `console-api`, `javascript`, `network`.
    pub source: String,
    pub message: String,
}

impl std::fmt::Display for LogEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{} {}] {}", self.level, self.source, self.message)
    }
}

/// A WebDriver session. Dropping it deletes the session (closing the browser).
pub struct WebDriver {
    addr: SocketAddr,
    session: String,
    /// Chromium's process id, from `goog:processID`: killed if deleting the session fails.
    browser_pid: Option<u64>,
}

/// The capabilities for headless Chromium with a fresh profile in `user_data_dir`.
pub fn chrome_capabilities(chromium: &Path, user_data_dir: &Path) -> Value {
    json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                format!("--user-data-dir={}", user_data_dir.display()),
                "--window-size=1280,900",
            ],
        },
        "goog:loggingPrefs": { "browser": "ALL" },
        "timeouts": { "script": 20000, "pageLoad": 30000, "implicit": 0 },
    })
}

impl WebDriver {
    /// `POST /session` on the driver at `addr` with `alwaysMatch` capabilities.
    pub fn new_session(addr: SocketAddr, capabilities: Value) -> Result<WebDriver, WdError> {
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let (status, resp) = http_json(addr, "POST", "/session", Some(&body))?;
        let value = unwrap_response(status, resp)?;
        let session = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| WdError::transport(format!("no sessionId in {value}")))?
            .to_string();
        let browser_pid = value["capabilities"]["goog:processID"].as_u64();
        Ok(WebDriver {
            addr,
            session,
            browser_pid,
        })
    }

    pub fn session_id(&self) -> &str {
        &self.session
    }

    /// Any command of the session: `path` is relative to `/session/{id}`
    /// (e.g. `/url`); returns the `value` of the response.
    pub fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, WdError> {
        let full = format!("/session/{}{path}", self.session);
        // W3C wants a JSON body on every POST, `{}` when there is nothing to say.
        let body = match (method, body) {
            ("POST", None) => Some(json!({})),
            (_, b) => b,
        };
        let (status, resp) = http_json(self.addr, method, &full, body.as_ref())?;
        unwrap_response(status, resp)
    }

    /// `command`, panicking with `what` and the error.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>, what: &str) -> Value {
        self.command(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {what} failed: {e}"))
    }

    // --- navigation ---------------------------------------------------------

    /// Navigates and waits for the load event (WebDriver's `normal` strategy).
    pub fn goto(&self, url: &str) {
        self.cmd(
            "POST",
            "/url",
            Some(json!({ "url": url })),
            &format!("goto {url}"),
        );
    }

    pub fn current_url(&self) -> String {
        self.cmd("GET", "/url", None, "current_url")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn title(&self) -> String {
        self.cmd("GET", "/title", None, "title")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn refresh(&self) {
        self.cmd("POST", "/refresh", None, "refresh");
    }

    pub fn back(&self) {
        self.cmd("POST", "/back", None, "back");
    }

    /// The page's source as the browser serialises it now.
    pub fn source(&self) -> String {
        self.cmd("GET", "/source", None, "source")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    // --- elements -----------------------------------------------------------

    /// The first element matching `css`; panics if there is none.
    pub fn find(&self, css: &str) -> Element<'_> {
        self.try_find(css)
            .unwrap_or_else(|| panic!("no element matches `{css}` on {}", self.current_url()))
    }

    /// The first element matching `css`, if any.
    pub fn try_find(&self, css: &str) -> Option<Element<'_>> {
        find_in(self, "", css)
    }

    /// Every element matching `css`, in document order.
    pub fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        find_all_in(self, "", css)
    }

    /// Polls until an element matches `css` (up to 10 s).
    pub fn wait_find(&self, css: &str) -> Element<'_> {
        wait_for(&format!("an element matching `{css}`"), || {
            self.try_find(css)
        })
    }

    /// The focused element (`document.activeElement`).
    pub fn active_element(&self) -> Element<'_> {
        let v = self.cmd("GET", "/element/active", None, "active_element");
        self.element_from(&v)
            .unwrap_or_else(|| panic!("active_element: not an element: {v}"))
    }

    /// An element reference returned by a script, if `value` is one.
    pub fn element_from(&self, value: &Value) -> Option<Element<'_>> {
        value
            .get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|id| Element {
                driver: self,
                id: id.to_string(),
            })
    }

    // --- scripts ------------------------------------------------------------

    /// Runs `script` as a function body (`arguments[i]` are `args`; pass
    /// `Element::to_arg()` for elements) and returns what it returns.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.try_execute(script, args)
            .unwrap_or_else(|e| panic!("WebDriver execute failed: {e}\nscript: {script}"))
    }

    pub fn try_execute(&self, script: &str, args: Vec<Value>) -> Result<Value, WdError> {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an asynchronous script: it gets a callback as its last argument,
    /// `arguments[arguments.length - 1]`, and the call returns what is passed
    /// to it (script timeout: 20 s).
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
            &format!("execute_async\nscript: {script}\n"),
        )
    }

    /// `execute` returning a string (`""` for anything else).
    pub fn eval_string(&self, expr: &str) -> String {
        self.execute(&format!("return String({expr});"), vec![])
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    // --- keyboard -----------------------------------------------------------

    fn key_actions(&self, actions: Vec<Value>, what: &str) {
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.cmd("POST", "/actions", Some(body), what);
        self.cmd("DELETE", "/actions", None, "release actions");
    }

    /// Presses and releases each key in turn, to the focused element:
    /// `press_keys(&[keys::TAB, keys::TAB, keys::ENTER])`.
    pub fn press_keys(&self, keys: &[&str]) {
        let actions = keys
            .iter()
            .flat_map(|k| {
                [
                    json!({ "type": "keyDown", "value": k }),
                    json!({ "type": "keyUp", "value": k }),
                ]
            })
            .collect();
        self.key_actions(actions, &format!("press_keys {keys:?}"));
    }

    /// One key: `press(keys::ESCAPE)`.
    pub fn press(&self, key: &str) {
        self.press_keys(&[key]);
    }

    /// Holds the keys down in order, then releases them in reverse:
    /// `chord(&[keys::CONTROL, "z"])` is Ctrl+Z.
    pub fn chord(&self, keys: &[&str]) {
        let down = keys
            .iter()
            .map(|k| json!({ "type": "keyDown", "value": k }));
        let up = keys
            .iter()
            .rev()
            .map(|k| json!({ "type": "keyUp", "value": k }));
        self.key_actions(down.chain(up).collect(), &format!("chord {keys:?}"));
    }

    /// Types `text` into the focused element, one key per character.
    pub fn type_text(&self, text: &str) {
        let chars: Vec<String> = text.chars().map(String::from).collect();
        let refs: Vec<&str> = chars.iter().map(String::as_str).collect();
        self.press_keys(&refs);
    }

    // --- logs and misc ------------------------------------------------------

    /// The browser console messages since the last call (reading drains them).
    pub fn browser_logs(&self) -> Vec<LogEntry> {
        self.try_browser_logs()
            .unwrap_or_else(|e| panic!("WebDriver browser_logs failed: {e}"))
    }

    /// `browser_logs`, for failure paths that must not panic again.
    pub fn try_browser_logs(&self) -> Result<Vec<LogEntry>, WdError> {
        let v = self.command("POST", "/se/log", Some(json!({ "type": "browser" })))?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| LogEntry {
                        level: e["level"].as_str().unwrap_or_default().to_string(),
                        source: e["source"].as_str().unwrap_or_default().to_string(),
                        message: e["message"].as_str().unwrap_or_default().to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Console errors (level `SEVERE`) since the last read of the logs.
    pub fn console_errors(&self) -> Vec<LogEntry> {
        self.browser_logs()
            .into_iter()
            .filter(|e| e.level == "SEVERE")
            .collect()
    }

    /// Panics listing the console errors since the last read of the logs, if any.
    pub fn assert_no_console_errors(&self, context: &str) {
        let errors = self.console_errors();
        assert!(
            errors.is_empty(),
            "{context}: console errors on {}:\n{}",
            self.current_url(),
            errors
                .iter()
                .map(|e| format!("  {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    pub fn set_window_size(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
            "set_window_size",
        );
    }

    /// A PNG screenshot of the viewport, written to `path` (for debugging).
    pub fn screenshot(&self, path: &Path) {
        let v = self.cmd("GET", "/screenshot", None, "screenshot");
        use base64::Engine;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("WebDriver sends a screenshot as standard base64");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        // Deleting the session quits Chromium; if that fails, kill it, or it
        // outlives chromedriver.
        if self.command("DELETE", "", None).is_err()
            && let Some(pid) = self.browser_pid
        {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

fn find_in<'a>(driver: &'a WebDriver, scope: &str, css: &str) -> Option<Element<'a>> {
    let body = json!({ "using": "css selector", "value": css });
    match driver.command("POST", &format!("{scope}/element"), Some(body)) {
        Ok(v) => driver.element_from(&v),
        Err(e) if e.error == "no such element" => None,
        Err(e) => panic!("WebDriver find `{css}` failed: {e}"),
    }
}

fn find_all_in<'a>(driver: &'a WebDriver, scope: &str, css: &str) -> Vec<Element<'a>> {
    let body = json!({ "using": "css selector", "value": css });
    let v = driver.cmd(
        "POST",
        &format!("{scope}/elements"),
        Some(body),
        &format!("find_all `{css}`"),
    );
    v.as_array()
        .map(|a| a.iter().filter_map(|e| driver.element_from(e)).collect())
        .unwrap_or_default()
}

/// An element of the current page. Stale after the page changes.
#[derive(Clone)]
pub struct Element<'a> {
    driver: &'a WebDriver,
    id: String,
}

impl std::fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Element({})", self.id)
    }
}

impl<'a> Element<'a> {
    fn path(&self, rest: &str) -> String {
        format!("/element/{}{rest}", self.id)
    }

    /// The JSON reference to pass this element to `execute`.
    pub fn to_arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }

    /// Scrolls the element into view and clicks its centre.
    pub fn click(&self) {
        self.driver
            .cmd("POST", &self.path("/click"), None, "element click");
    }

    /// Focuses the element and types `text` (W3C `{"text": …}`; may contain `keys::*`).
    pub fn send_keys(&self, text: &str) {
        self.driver.cmd(
            "POST",
            &self.path("/value"),
            Some(json!({ "text": text })),
            "element send_keys",
        );
    }

    pub fn clear(&self) {
        self.driver
            .cmd("POST", &self.path("/clear"), None, "element clear");
    }

    /// The rendered text (`innerText`-like, visible text only).
    pub fn text(&self) -> String {
        self.driver
            .cmd("GET", &self.path("/text"), None, "element text")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The attribute as written in the markup, `None` if absent.
    pub fn attribute(&self, name: &str) -> Option<String> {
        self.driver
            .cmd(
                "GET",
                &self.path(&format!("/attribute/{name}")),
                None,
                "element attribute",
            )
            .as_str()
            .map(str::to_string)
    }

    /// A DOM property (`href` is absolute here, `value` is the live value).
    pub fn property(&self, name: &str) -> Value {
        self.driver.cmd(
            "GET",
            &self.path(&format!("/property/{name}")),
            None,
            "element property",
        )
    }

    pub fn tag_name(&self) -> String {
        self.driver
            .cmd("GET", &self.path("/name"), None, "element tag name")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn is_displayed(&self) -> bool {
        self.driver
            .cmd("GET", &self.path("/displayed"), None, "element displayed")
            .as_bool()
            .unwrap_or(false)
    }

    pub fn is_enabled(&self) -> bool {
        self.driver
            .cmd("GET", &self.path("/enabled"), None, "element enabled")
            .as_bool()
            .unwrap_or(false)
    }

    /// Whether the element matches `css` (`Element.matches`).
    pub fn matches(&self, css: &str) -> bool {
        self.driver
            .execute(
                "return arguments[0].matches(arguments[1]);",
                vec![self.to_arg(), json!(css)],
            )
            .as_bool()
            .unwrap_or(false)
    }

    pub fn find(&self, css: &str) -> Element<'a> {
        find_in(self.driver, &self.path(""), css)
            .unwrap_or_else(|| panic!("no element matches `{css}` inside {self:?}"))
    }

    pub fn try_find(&self, css: &str) -> Option<Element<'a>> {
        find_in(self.driver, &self.path(""), css)
    }

    pub fn find_all(&self, css: &str) -> Vec<Element<'a>> {
        find_all_in(self.driver, &self.path(""), css)
    }
}
