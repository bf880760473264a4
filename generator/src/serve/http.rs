//! `meridian serve`'s HTTP side, on tiny_http: static files from the output
//! folder (at `/` and under the configured `site-url`, resolved by
//! [`paths::resolve`], so nothing outside the folder is ever read), the
//! live-reload script and the event stream. One thread per request. Only
//! 127.0.0.1 is bound.

use std::io::{Cursor, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::events::{Hub, event};
use super::paths::{self, BadPath};

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

/// Answers requests for ever, each on a thread of its own (an event stream
/// holds its thread for as long as the page is open).
pub fn run(listener: TcpListener, served: Arc<Served>) {
    let server = match tiny_http::Server::from_listener(listener, None) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: cannot serve: {e}");
            return;
        }
    };
    for request in server.incoming_requests() {
        let served = served.clone();
        let _ = std::thread::Builder::new()
            .name("meridian-http".into())
            .spawn(move || {
                let _ = handle(request, &served);
            });
    }
}

fn handle(request: Request, served: &Served) -> std::io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return request.respond(text(405, "only GET and HEAD\n"));
    }
    let base = served
        .base
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    // The path as sent, without query or fragment, still percent-encoded.
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    // `/course/x.html` and `/x.html` both map to the output's `x.html`.
    let (prefix, rel) = match raw.strip_prefix(base.as_str()) {
        Some(rest) if base != "/" => (base.clone(), rest.to_string()),
        _ => match raw.strip_prefix('/') {
            Some(rest) => ("/".to_string(), rest.to_string()),
            None => return request.respond(text(400, "bad path\n")),
        },
    };
    if rel == EVENTS {
        return event_stream(request, served);
    }
    if rel == SCRIPT {
        return request.respond(body(200, "text/javascript; charset=utf-8", LIVE_RELOAD_JS));
    }
    let file = match paths::resolve(&served.out, &rel) {
        Ok(file) => file,
        Err(BadPath(why)) => return request.respond(text(400, &format!("bad path: {why}\n"))),
    };
    if file.is_dir() {
        let location = format!("{raw}/");
        let response = Response::empty(301).with_header(header("Location", &location));
        return request.respond(response);
    }
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = paths::content_type(&file);
            let bytes = if kind.starts_with("text/html") {
                inject(&bytes, &prefix)
            } else {
                bytes
            };
            request.respond(body(200, kind, bytes))
        }
        Err(_) => {
            let page = std::fs::read(served.out.join("404.html"))
                .map(|b| inject(&b, &prefix))
                .unwrap_or_else(|_| b"<!DOCTYPE html><title>Not found</title>Not found".to_vec());
            request.respond(body(404, "text/html; charset=utf-8", page))
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

/// A response that is never cached (the served files change on every
/// rebuild), with its length: the whole body is in memory, so it is never
/// sent chunked (tiny_http chunks from 32 KiB unless told otherwise).
fn body(status: u16, content_type: &str, data: impl Into<Vec<u8>>) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(data.into())
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

fn text(status: u16, message: &str) -> Response<Cursor<Vec<u8>>> {
    body(status, "text/plain; charset=utf-8", message)
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

/// The live-reload events. tiny_http has no streaming response that flushes
/// per event (its chunked encoder buffers), so the stream is written raw on
/// the connection it hands over.
fn event_stream(request: Request, served: &Served) -> std::io::Result<()> {
    let mut stream = request.into_writer();
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n",
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
}
