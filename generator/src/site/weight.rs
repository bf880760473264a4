//! What the first visit of each problem page downloads, gzipped: the page,
//! the stylesheets, scripts and images it links, and the playground (its
//! JavaScript module and wasm, which the page's script loads at once). Not
//! the search index: it loads when the search box is first used. Read off a
//! built site, so it counts what a reader's browser fetches; the
//! `wasm_size` bench prints it and a test holds it to its budget.

use std::io;
use std::path::{Path, PathBuf};

use crate::bundle::gzip_size;

/// One problem page's first visit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageWeight {
    /// Gzipped bytes of everything the page downloads before the reader
    /// does anything.
    pub gzipped: usize,
    /// The page's file name under `problems/`.
    pub page: String,
}

/// The playground's share of every problem page's first visit, gzipped.
pub fn playground_gzipped(site: &Path) -> io::Result<usize> {
    let mut total = 0;
    for entry in std::fs::read_dir(site.join("playground"))? {
        total += gzip_size(&std::fs::read(entry?.path())?);
    }
    Ok(total)
}

/// The first visit of every problem page of the site built in `site`,
/// lightest first.
pub fn first_visits(site: &Path) -> io::Result<Vec<PageWeight>> {
    let playground = playground_gzipped(site)?;
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(site.join("problems"))? {
        let page = entry?.path();
        if page.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&page)?;
        let mut gzipped = gzip_size(html.as_bytes()) + playground;
        let folder = page.parent().unwrap_or(site);
        for asset in linked_assets(&html, folder) {
            gzipped += gzip_size(&std::fs::read(&asset)?);
        }
        let name = page.file_name().unwrap_or_default().to_string_lossy();
        pages.push(PageWeight {
            gzipped,
            page: name.into_owned(),
        });
    }
    pages.sort();
    Ok(pages)
}

/// The local files a page loads by itself (`href` and `src` of styles,
/// scripts, images and fonts), each once; not links to other pages. A
/// query or fragment after the name (`app.css?v=2`) is not part of it.
fn linked_assets(html: &str, folder: &Path) -> Vec<PathBuf> {
    const LOADED: [&str; 11] = [
        ".css", ".js", ".svg", ".ico", ".woff2", ".woff", ".png", ".jpg", ".jpeg", ".webp", ".avif",
    ];
    let mut assets: Vec<PathBuf> = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap_or_default();
            let file = url.split(['?', '#']).next().unwrap_or_default();
            let local = !url.contains(':') && !file.is_empty();
            if local && LOADED.iter().any(|ext| file.ends_with(ext)) {
                let path = folder.join(file);
                if !assets.contains(&path) {
                    assets.push(path);
                }
            }
        }
    }
    assets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_counts_its_assets_once_and_not_other_pages() {
        let html = r##"<link rel="stylesheet" href="../a.css"><script src="../p.js"></script>
            <link rel="icon" href="../a.css"><a href="other.html">x</a>
            <a href="https://e.org/x.js">y</a><a href="#top">z</a><img src="../i.svg">
            <link href="../a.css?v=2"><img src="../photo.webp#frag">"##;
        let folder = Path::new("/s/problems");
        let expected: Vec<PathBuf> = ["../a.css", "../p.js", "../i.svg", "../photo.webp"]
            .iter()
            .map(|f| folder.join(f))
            .collect();
        assert_eq!(linked_assets(html, folder), expected);
    }

    #[test]
    fn a_visit_is_the_page_its_assets_and_the_playground() {
        let site = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = site.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let page = r#"<link href="../s.css"><script src="../p.js"></script>"#;
        write("problems/a.html", page);
        write("problems/b.html", "<p>no assets</p>");
        write("problems/notes.txt", "not a page");
        write("s.css", "body { color: red }");
        write("p.js", "start()");
        write("playground/m.js", "export default 1");
        write("playground/m.wasm", "\0asm");
        let gz = |text: &str| gzip_size(text.as_bytes());
        let playground = gz("export default 1") + gz("\0asm");
        assert_eq!(playground_gzipped(site.path()).unwrap(), playground);
        let a = gz(page) + gz("body { color: red }") + gz("start()") + playground;
        let b = gz("<p>no assets</p>") + playground;
        let visits = first_visits(site.path()).unwrap();
        let got: Vec<(usize, &str)> = visits
            .iter()
            .map(|v| (v.gzipped, v.page.as_str()))
            .collect();
        assert_eq!(got, vec![(b, "b.html"), (a, "a.html")]);
    }
}
