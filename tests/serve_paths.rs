//! No request reads outside the output folder: `meridian serve` and the test
//! suite's static server (one resolver, `meridian::serve::paths`) refuse
//! every traversal form, literal or percent-encoded, with and without a
//! `site-url` prefix. Before the shared resolver, `/course//etc/hostname`
//! returned the machine's `/etc/hostname` (stripping the prefix left an
//! absolute path, which `Path::join` takes as is).

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;

use support::FixtureSite;
use support::browser::StaticServer;
use support::serve::{Server, TIMEOUT};

/// A file beside the output folder whose bytes must never come back.
const SECRET: &str = "meridian-secret-0f3c9a";

/// The raw request path forms, for a secret at `<output>/../secret.txt` and
/// `abs` its absolute path (which starts with `/`).
fn attacks(abs: &str) -> Vec<String> {
    let abs_enc = abs.replace('/', "%2f");
    let abs_enc_upper = abs.replace('/', "%2F");
    vec![
        "../secret.txt".into(),
        "./../secret.txt".into(),
        "problems/../../secret.txt".into(),
        "%2e%2e/secret.txt".into(),
        "%2E%2E/secret.txt".into(),
        ".%2e/secret.txt".into(),
        "%2e./secret.txt".into(),
        "..%2fsecret.txt".into(),
        "..%2Fsecret.txt".into(),
        "%2e%2e%2fsecret.txt".into(),
        "..%5csecret.txt".into(),
        "..%5Csecret.txt".into(),
        "..\\secret.txt".into(),
        "problems\\..\\..\\secret.txt".into(),
        "..%00/secret.txt".into(),
        "%2e%2e%00/secret.txt".into(),
        "../secret.txt%00.html".into(),
        // Absolute paths: an empty segment, then the file's own path.
        format!("/{}", abs.trim_start_matches('/')),
        format!("{abs_enc}"),
        format!("{abs_enc_upper}"),
        "/etc/hostname".into(),
        "%2fetc%2fhostname".into(),
        "%5cetc%5chostname".into(),
    ]
}

/// Sends `GET path` as is and returns the whole response, as text.
fn raw_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn status(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn hostname() -> Option<String> {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| h.len() >= 4)
}

/// Every form under every prefix: refused (400) or not found (404), and
/// neither the secret nor `/etc/hostname` ever in the response.
fn assert_refused(port: u16, prefixes: &[&str], abs: &str) -> usize {
    let host = hostname();
    let mut sent = 0;
    for prefix in prefixes {
        for attack in attacks(abs) {
            let path = format!("{prefix}{attack}");
            let response = raw_get(port, &path);
            assert!(
                !response.contains(SECRET),
                "{path}: the secret came back:\n{response}"
            );
            if let Some(h) = &host {
                let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
                assert!(body.trim() != h.as_str(), "{path}: /etc/hostname came back");
            }
            let code = status(&response);
            assert!(
                code == 400 || code == 404,
                "{path}: status {code}, expected 400 or 404:\n{response}"
            );
            sent += 1;
        }
    }
    sent
}

fn plant_secret(book_root: &Path) -> String {
    let secret = book_root.join("secret.txt");
    std::fs::write(&secret, SECRET).unwrap();
    secret.to_string_lossy().into_owned()
}

#[test]
fn serve_refuses_every_traversal_form_with_and_without_a_site_url() {
    for site_url in [None, Some("/course/")] {
        let book = FixtureSite::from_dir("mini");
        if let Some(url) = site_url {
            book.set_config("output.html", &format!("site-url = \"{url}\""));
        }
        let abs = plant_secret(book.root());
        let server = Server::start(book.root());
        // The ordinary page is served, so refusals are not a dead server.
        let (code, _) = server.get(&format!("{}index.html", site_url.unwrap_or("/")));
        assert_eq!(code, 200);
        let prefixes: &[&str] = match site_url {
            Some(url) => &["/", url],
            None => &["/"],
        };
        let sent = assert_refused(server.port, prefixes, &abs);
        assert!(sent >= 23, "{sent}");
    }
}

#[test]
fn the_test_static_server_refuses_them_too() {
    let book = FixtureSite::from_dir("mini");
    let abs = plant_secret(book.root());
    let out = book.root().join("site");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("index.html"), "<!DOCTYPE html><title>x</title>").unwrap();
    for prefix in ["/", "/course/"] {
        let server = StaticServer::serve(&out, prefix);
        assert!(raw_get(server.addr().port(), prefix).starts_with("HTTP/1.1 200"));
        assert_refused(server.addr().port(), &[prefix], &abs);
    }
}
