//! Relative URLs: every page links to others through its path to the site
//! root, so the site works at a domain's root and under any subpath.

/// `""` for `index.html`, `"../"` for `problems/x.html`.
pub fn path_to_root(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// `intro.md` → `intro.html`, keeping the folder.
pub fn chapter_output_path(source: &str) -> String {
    match source.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html"),
        None => source.to_string(),
    }
}

/// True for URLs with a scheme (`https:`, `mailto:`) or protocol-relative ones.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].find(':') {
        Some(i) => {
            i > 0
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The scheme of links to problems by id, written in Markdown as
/// `[see](problem:global-cdn)` or `problem:global-cdn#tiers`.
pub const PROBLEM_SCHEME: &str = "problem:";

/// `problem:<id>#x` → (`<id>`, `#x`); `None` for any other URL.
pub fn problem_link(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix(PROBLEM_SCHEME)?;
    let split = rest.find('#').unwrap_or(rest.len());
    Some(rest.split_at(split))
}

/// An absolute `http(s)://` site URL (as opposed to a path like `/course/`):
/// only then can the site have canonical links and a sitemap.
pub fn is_absolute_site_url(site_url: &str) -> bool {
    site_url.starts_with("https://") || site_url.starts_with("http://")
}

/// The absolute URL of `page` under an absolute `site_url`; `index.html`
/// is the folder itself.
pub fn absolute_url(site_url: &str, page: &str) -> String {
    let base = site_url.trim_end_matches('/');
    let page = match page.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => page,
    };
    format!("{base}/{page}")
}

/// Rewrites a relative link to a Markdown chapter into its HTML page,
/// keeping any `?query` or `#fragment`; other links are returned unchanged.
pub fn rewrite_md_link(url: &str) -> String {
    if is_external(url) || url.starts_with('#') {
        return url.to_string();
    }
    let split = url.find(['#', '?']).unwrap_or(url.len());
    let (path, tail) = url.split_at(split);
    match path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html{tail}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_paths() {
        assert_eq!(path_to_root("index.html"), "");
        assert_eq!(path_to_root("problems/basic.html"), "../");
        assert_eq!(path_to_root("a/b/c.html"), "../../");
    }

    #[test]
    fn md_links_become_html() {
        assert_eq!(rewrite_md_link("latency.md"), "latency.html");
        assert_eq!(
            rewrite_md_link("../x/latency.md#p95"),
            "../x/latency.html#p95"
        );
        assert_eq!(rewrite_md_link("a.md?x=1#y"), "a.html?x=1#y");
        assert_eq!(rewrite_md_link("problems/a.html"), "problems/a.html");
        assert_eq!(rewrite_md_link("#section"), "#section");
        assert_eq!(
            rewrite_md_link("https://example.com/readme.md"),
            "https://example.com/readme.md"
        );
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example"));
        assert!(!is_external("problems/a.html"));
        assert!(!is_external("a.html#b:c"));
        assert!(!is_external("/course/index.html"));
    }

    #[test]
    fn problem_links() {
        assert_eq!(problem_link("problem:a-b"), Some(("a-b", "")));
        assert_eq!(problem_link("problem:a#tiers"), Some(("a", "#tiers")));
        assert_eq!(problem_link("problems/a.html"), None);
    }

    #[test]
    fn absolute_urls() {
        assert!(is_absolute_site_url("https://x.org/course/"));
        assert!(!is_absolute_site_url("/course/"));
        assert_eq!(
            absolute_url("https://x.org/course/", "index.html"),
            "https://x.org/course/"
        );
        assert_eq!(
            absolute_url("https://x.org/", "problems/a.html"),
            "https://x.org/problems/a.html"
        );
        assert_eq!(
            absolute_url("https://x.org/c/", "part/index.html"),
            "https://x.org/c/part/"
        );
        assert_eq!(
            absolute_url("https://x.org/c/", "myindex.html"),
            "https://x.org/c/myindex.html"
        );
    }

    #[test]
    fn chapter_paths() {
        assert_eq!(chapter_output_path("intro.md"), "intro.html");
        assert_eq!(chapter_output_path("part/a.md"), "part/a.html");
    }
}
