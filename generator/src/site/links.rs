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
    fn chapter_paths() {
        assert_eq!(chapter_output_path("intro.md"), "intro.html");
        assert_eq!(chapter_output_path("part/a.md"), "part/a.html");
    }
}
