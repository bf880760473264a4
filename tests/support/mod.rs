//! Shared helpers for site tests: build a fixture book into a temporary
//! folder (like mdBook's `BookTest`) and check every link of the output.
#![allow(dead_code)]

pub mod browser;
pub mod course;
pub mod serve;
pub mod webdriver;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use meridian::site::SiteReport;
use tempfile::TempDir;

/// A writable copy of a fixture book, so a test can change it freely.
pub struct FixtureSite {
    dir: TempDir,
}

pub struct BuiltSite {
    pub out: TempDir,
    pub report: SiteReport,
    pub site_url: String,
}

impl FixtureSite {
    /// Copies `tests/fixtures/<name>` into a temporary folder.
    pub fn from_dir(name: &str) -> FixtureSite {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&src, dir.path());
        FixtureSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &FixtureSite {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Appends a line to `book.toml` right after a `[section]` header, creating it if missing.
    pub fn set_config(&self, section: &str, line: &str) -> &FixtureSite {
        let path = self.dir.path().join("book.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let header = format!("[{section}]");
        let text = if text.contains(&header) {
            text.replacen(&header, &format!("{header}\n{line}"), 1)
        } else {
            format!("{text}\n{header}\n{line}\n")
        };
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn build(&self) -> anyhow::Result<BuiltSite> {
        let course =
            meridian::load::load_course(self.dir.path()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let out = tempfile::tempdir()?;
        let report = meridian::site::render_site(&course, out.path())?;
        Ok(BuiltSite {
            out,
            report,
            site_url: course.config.output.html.site_url.clone(),
        })
    }
}

impl BuiltSite {
    pub fn path(&self) -> &Path {
        self.out.path()
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.path().join(rel).is_file()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.path().join(rel))
            .unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Every `.html` file of the output, relative, with `/`.
    pub fn html_files(&self) -> Vec<String> {
        files_under(self.out.path())
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// Copies a folder tree, creating `dst` as needed.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("reading {}: {e}", src.display()))
    {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
}

pub fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// Values of `attr="…"` in `html`, entity-decoded (`&amp;` and friends).
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let start = i + needle.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push(decode_entities(&rest[start..start + len]));
        rest = &rest[start + len..];
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://")
        || url.starts_with("https://")
        || url.starts_with("mailto:")
        || url.starts_with("//")
}

/// Checks every `href`/`src` of every page: the file must exist in the output
/// and, when the link has a `#fragment`, the target page must have that id.
/// Links on `404.html` are absolute under `site_url`; that prefix is stripped.
/// Returns a description of each broken link.
pub fn check_links(site: &BuiltSite) -> Vec<String> {
    let root = site.path();
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    let mut ids_of = |page: &str| -> Vec<String> {
        ids.entry(page.to_string())
            .or_insert_with(|| {
                std::fs::read_to_string(root.join(page))
                    .map(|h| attr_values(&h, "id"))
                    .unwrap_or_default()
            })
            .clone()
    };
    let mut broken = Vec::new();
    for page in site.html_files() {
        let html = site.read(&page);
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let urls = attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"));
        for url in urls {
            if is_external(&url) {
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (url.clone(), None),
            };
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(abs) = path.strip_prefix('/') {
                if page != "404.html" {
                    broken.push(format!(
                        "{page}: absolute link `{url}` (only 404.html may use them)"
                    ));
                    continue;
                }
                let prefix = site.site_url.trim_start_matches('/');
                match abs.strip_prefix(prefix) {
                    Some(rel) => rel.to_string(),
                    None => {
                        broken.push(format!(
                            "{page}: `{url}` is outside the site url `{}`",
                            site.site_url
                        ));
                        continue;
                    }
                }
            } else {
                if page == "404.html" {
                    broken.push(format!(
                        "{page}: relative link `{url}` breaks when served at another URL"
                    ));
                    continue;
                }
                match normalize(dir, &path) {
                    Some(t) => t,
                    None => {
                        broken.push(format!("{page}: `{url}` leaves the site"));
                        continue;
                    }
                }
            };
            if !root.join(&target).is_file() {
                broken.push(format!("{page}: `{url}` → missing `{target}`"));
                continue;
            }
            if let Some(f) = fragment
                && target.ends_with(".html")
                && !ids_of(&target).contains(&f)
            {
                broken.push(format!("{page}: `{url}` → `{target}` has no id `{f}`"));
            }
        }
    }
    broken
}

/// Joins a relative URL to the page's folder, resolving `..`; `None` if it escapes the root.
fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Compares rendered errors with the case's `.expect` file (`BLESS=1` rewrites
/// it instead); returns a description of the mismatch, if any.
pub fn compare_with_expect(case: &Path, actual: &[String]) -> Option<String> {
    let expect_path = case.with_extension("expect");
    let actual_text = actual.join("\n") + "\n";
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expect_path, &actual_text).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&expect_path)
        .unwrap_or_else(|_| panic!("missing {}", expect_path.display()));
    (expected != actual_text).then(|| {
        format!(
            "{}\n--- expected\n{expected}--- actual\n{actual_text}",
            case.display()
        )
    })
}
