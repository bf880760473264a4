//! From a request's URL path to a file inside the output folder, and the
//! file's media type. The one resolver `meridian serve` and the test suite's
//! static server share.
//!
//! Invariant: a resolved path is the output folder joined with plain names
//! only. The path is decoded one `/`-separated segment at a time and every
//! segment that could leave the folder or name another one is refused, in
//! its literal or percent-encoded form: `..`, an empty segment before the
//! end (`/course//etc/hostname` would otherwise join as the absolute
//! `/etc/hostname`), a decoded `/` or `\`, NUL, and bytes that are not
//! UTF-8. Refused paths are answered 400 and never touch the file system.

use std::path::{Component, Path, PathBuf};

/// Why a URL path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPath(pub &'static str);

/// The file `rel` names under `root`; `rel` is the URL path after the
/// served prefix (`/course/`), still percent-encoded, query and fragment
/// removed. An empty path or one ending in `/` names that folder's
/// `index.html`; whether the result exists is for the caller to see.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, BadPath> {
    let mut path = root.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len() - 1;
    for (i, raw) in segments.iter().enumerate() {
        if raw.is_empty() {
            if i == last {
                break;
            }
            return Err(BadPath("an empty segment (`//`) in the path"));
        }
        let name = decode_segment(raw)?;
        if name == "." {
            continue;
        }
        // What is left must be one plain file name, as the OS sees it too.
        let mut parts = Path::new(&name).components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(n)), None) if n == name.as_str() => path.push(n),
            _ => return Err(BadPath("a segment that is not a plain name")),
        }
    }
    if rel.is_empty() || rel.ends_with('/') {
        path.push("index.html");
    }
    Ok(path)
}

/// One path segment, percent-decoded; refuses what could change folders.
fn decode_segment(raw: &str) -> Result<String, BadPath> {
    let bytes = percent_decode(raw);
    if bytes.contains(&b'/') || bytes.contains(&b'\\') {
        return Err(BadPath("a slash or backslash inside a segment"));
    }
    if bytes.contains(&0) {
        return Err(BadPath("a NUL byte"));
    }
    if bytes == b".." {
        return Err(BadPath("`..`"));
    }
    String::from_utf8(bytes).map_err(|_| BadPath("bytes that are not UTF-8"))
}

/// `%XX` escapes decoded; a `%` not followed by two hex digits stays as is.
pub fn percent_decode(s: &str) -> Vec<u8> {
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
    out
}

/// The media type a static host would send for `path`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_resolve_inside_the_root() {
        let root = Path::new("/srv/site");
        assert_eq!(resolve(root, ""), Ok(root.join("index.html")));
        assert_eq!(resolve(root, "a/"), Ok(root.join("a/index.html")));
        assert_eq!(resolve(root, "a/b.html"), Ok(root.join("a/b.html")));
        assert_eq!(resolve(root, "./a%20b.html"), Ok(root.join("a b.html")));
        assert_eq!(resolve(root, "%e2%86%92.html"), Ok(root.join("→.html")));
    }

    #[test]
    fn every_escape_is_refused() {
        let root = Path::new("/srv/site");
        for bad in [
            "/etc/hostname",
            "a//b",
            "..",
            "../x",
            "a/../../x",
            "%2e%2e/x",
            "%2E%2E/x",
            ".%2e/x",
            "a%2f..%2f..%2fx",
            "a%2F..",
            "..%5cx",
            "a\\..\\x",
            "a%5c..",
            "x%00.html",
            "%ff.html",
        ] {
            assert!(resolve(root, bad).is_err(), "{bad} resolved");
        }
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("/a%20b.html"), b"/a b.html");
        assert_eq!(percent_decode("/a%2"), b"/a%2");
        assert_eq!(percent_decode("%"), b"%");
        assert_eq!(percent_decode("%4"), b"%4");
        assert_eq!(percent_decode("%41"), b"A");
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type(Path::new("x/a.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("a.JS")),
            "text/javascript; charset=utf-8"
        );
    }
}
