//! A small HTTP/1.1 server for `meridian serve`: static files from the output
//! folder (at `/` and under the configured `site-url`), the live-reload script
//! and the event stream. One thread per connection; every response but the
//! event stream closes its connection. Only 127.0.0.1 is bound.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::events::{Hub, event};

/// The script every HTML response gets, from `themes/default/js/live-reload.js`.
pub const LIVE_RELOAD_JS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/js/live-reload.js"
));

/// Reserved paths, relative to `/` or to the site's base path.
pub const RESERVED: &str = "__meridian/";
const EVENTS: &str = "__meridian/events";
const SCRIPT: &str = "__meridian/live-reload.js";

/// What requests are served from; `base` may change when `book.toml` does.
pub struct Served {
    pub out: PathBuf,
    /// The path part of `site-url`, with leading and trailing `/`.
    pub base: RwLock<String>,
    pub hub: Arc<Hub>,
    /// Sent to every page on connect; a page that sees another value (the
    /// server restarted) reloads.
    pub instance: String,
}

/// The path of a `site-url` (which may be a full URL), as `/x/y/`.
pub fn base_path(site_url: &str) -> String {
    let path = match site_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => site_url,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// Accepts connections for ever, one thread each.
pub fn run(listener: TcpListener, served: Arc<Served>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let served = served.clone();
        let _ = std::thread::Builder::new()
            .name("meridian-http".into())
            .spawn(move || {
                let _ = handle(stream, &served);
            });
    }
}

struct Request {
    method: String,
    path: String,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, target) = (method.to_string(), target.to_string());
    // Headers are read and ignored (up to a limit).
    let mut total = 0;
    loop {
        let mut h = String::new();
        let n = reader.read_line(&mut h)?;
        total += n;
        if n == 0 || h == "\r\n" || h == "\n" || total > 64 * 1024 {
            break;
        }
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Ok(Some(Request {
        method,
        path: percent_decode(&path),
    }))
}

fn handle(mut stream: TcpStream, served: &Served) -> std::io::Result<()> {
    let Some(req) = read_request(&stream)? else {
        return Ok(());
    };
    if req.method != "GET" && req.method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n",
            false,
        );
    }
    let head = req.method == "HEAD";
    let base = served
        .base
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    // `/course/x.html` and `/x.html` both map to the output's `x.html`.
    let (prefix, rel) = match req.path.strip_prefix(base.as_str()) {
        Some(rest) if base != "/" => (base.clone(), rest.to_string()),
        _ => (
            "/".to_string(),
            req.path.trim_start_matches('/').to_string(),
        ),
    };
    if rel == EVENTS {
        return event_stream(stream, served);
    }
    if rel == SCRIPT {
        return respond(
            &mut stream,
            "200 OK",
            "text/javascript; charset=utf-8",
            LIVE_RELOAD_JS.as_bytes(),
            head,
        );
    }
    if rel.split('/').any(|s| s == ".." || s.contains('\\')) {
        return respond(
            &mut stream,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad path\n",
            head,
        );
    }
    let mut file = served.out.join(&rel);
    if rel.is_empty() || rel.ends_with('/') {
        file = file.join("index.html");
    } else if file.is_dir() {
        let location = format!("{}/", req.path);
        let header = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return stream.write_all(header.as_bytes());
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") {
                inject(&bytes, &prefix)
            } else {
                bytes
            };
            respond(&mut stream, "200 OK", kind, &body, head)
        }
        Err(_) => {
            let body = std::fs::read(served.out.join("404.html"))
                .map(|b| inject(&b, &prefix))
                .unwrap_or_else(|_| b"<!DOCTYPE html><title>Not found</title>Not found".to_vec());
            respond(
                &mut stream,
                "404 Not Found",
                "text/html; charset=utf-8",
                &body,
                head,
            )
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The live-reload script, before the last `</body>` (or at the end).
pub fn inject(html: &[u8], prefix: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{prefix}{SCRIPT}\" data-base=\"{prefix}\" data-meridian-live-reload></script>\n"
    );
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn event_stream(mut stream: TcpStream, served: &Served) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
    )?;
    let (rx, first) = served.hub.subscribe();
    let hello = event("hello", &serde_json::json!({ "instance": served.instance }));
    stream.write_all(hello.as_bytes())?;
    for m in first {
        stream.write_all(m.as_bytes())?;
    }
    stream.flush()?;
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => stream.write_all(m.as_bytes())?,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => stream.write_all(b": ping\n\n")?,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        stream.flush()?;
    }
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(hi * 16 + lo);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_takes_the_path_of_a_site_url() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path(""), "/");
        assert_eq!(base_path("/course"), "/course/");
        assert_eq!(base_path("/course/"), "/course/");
        assert_eq!(base_path("https://example.org/a/b/"), "/a/b/");
        assert_eq!(base_path("https://example.org"), "/");
    }

    #[test]
    fn script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(b"<body><p>x</p></body></html>", "/c/")).unwrap();
        assert!(
            out.starts_with("<body><p>x</p><script src=\"/c/__meridian/live-reload.js\""),
            "{out}"
        );
        assert!(out.ends_with("</body></html>"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b.html"), "/a b.html");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/%e2%86%92"), "/→");
    }

    #[test]
    fn wasm_has_its_type() {
        assert_eq!(content_type(Path::new("x/a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("a.JS")),
            "text/javascript; charset=utf-8"
        );
    }
}
