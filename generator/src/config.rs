//! `book.toml`: the course's configuration, in the spirit of mdBook.
//!
//! Unknown keys are errors with their location, so a typo never silently
//! falls back to a default.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{LocatedError, line_col};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookConfig {
    #[serde(default)]
    pub book: BookSection,
    #[serde(default)]
    pub build: BuildSection,
    #[serde(default, rename = "output")]
    pub output: OutputSection,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Folder of Markdown chapters with their `SUMMARY.md`.
    #[serde(default = "default_content")]
    pub src: PathBuf,
    /// Folder holding `catalog.yaml`, `regions.yaml` and one folder of problems per category.
    #[serde(default = "default_problems")]
    pub problems: PathBuf,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            title: default_title(),
            authors: Vec::new(),
            description: String::new(),
            language: default_language(),
            src: default_content(),
            problems: default_problems(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildSection {
    /// Where `meridian build` writes the site, relative to the book root.
    #[serde(default = "default_build_dir")]
    pub build_dir: PathBuf,
}

impl Default for BuildSection {
    fn default() -> Self {
        BuildSection {
            build_dir: default_build_dir(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSection {
    #[serde(default)]
    pub html: HtmlOutput,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlOutput {
    /// The path the site is served under: `/` at a domain's root, `/course/` on GitHub Pages.
    #[serde(default = "default_site_url")]
    pub site_url: String,
    /// Folder of templates and assets overriding the built-in theme, file by file.
    #[serde(default)]
    pub theme: Option<PathBuf>,
    /// `light` or `dark`: the theme used when the reader's OS states no preference.
    #[serde(default = "default_theme")]
    pub default_theme: ThemeName,
    /// The theme used when the reader's OS prefers dark.
    #[serde(default = "default_dark_theme")]
    pub preferred_dark_theme: ThemeName,
    #[serde(default)]
    pub git_repository_url: Option<String>,
    /// `{path}` is replaced by the source file's path relative to the book root.
    #[serde(default)]
    pub edit_url_template: Option<String>,
}

impl Default for HtmlOutput {
    fn default() -> Self {
        HtmlOutput {
            site_url: default_site_url(),
            theme: None,
            default_theme: default_theme(),
            preferred_dark_theme: default_dark_theme(),
            git_repository_url: None,
            edit_url_template: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    Light,
    Dark,
}

impl ThemeName {
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Light => "light",
            ThemeName::Dark => "dark",
        }
    }
}

fn default_title() -> String {
    "Meridian".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_content() -> PathBuf {
    PathBuf::from("content")
}
fn default_problems() -> PathBuf {
    PathBuf::from("problems")
}
fn default_build_dir() -> PathBuf {
    PathBuf::from("site")
}
fn default_site_url() -> String {
    "/".to_string()
}
fn default_theme() -> ThemeName {
    ThemeName::Light
}
fn default_dark_theme() -> ThemeName {
    ThemeName::Dark
}

impl BookConfig {
    /// Parses `book.toml` text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<BookConfig, LocatedError> {
        let mut config: BookConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            LocatedError::new(file, line, column, e.message().trim().to_string())
        })?;
        config.output.html.site_url = normalize_site_url(&config.output.html.site_url);
        Ok(config)
    }

    /// Reads `<root>/book.toml`; a missing file means all defaults.
    pub fn load(root: &Path) -> Result<BookConfig, LocatedError> {
        let path = root.join("book.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => BookConfig::parse(&text, "book.toml"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BookConfig::default()),
            Err(e) => Err(LocatedError::whole_file(
                "book.toml",
                format!("cannot read: {e}"),
            )),
        }
    }
}

/// `/course` and `course/` both mean `/course/`; the site root is `/`. An
/// absolute URL (`https://example.org/course`) keeps its scheme and host and
/// gets a trailing slash.
pub fn normalize_site_url(s: &str) -> String {
    let s = s.trim();
    if s.starts_with("https://") || s.starts_with("http://") {
        return format!("{}/", s.trim_end_matches('/'));
    }
    let trimmed = s.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let c = BookConfig::parse("", "book.toml").unwrap();
        assert_eq!(c.build.build_dir, PathBuf::from("site"));
        assert_eq!(c.output.html.site_url, "/");
        assert_eq!(c.book.src, PathBuf::from("content"));
    }

    #[test]
    fn unknown_key_is_located() {
        let e =
            BookConfig::parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n", "book.toml").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
    }

    #[test]
    fn site_url_is_normalized() {
        assert_eq!(normalize_site_url("course"), "/course/");
        assert_eq!(normalize_site_url("/a/b"), "/a/b/");
        assert_eq!(normalize_site_url(""), "/");
        assert_eq!(
            normalize_site_url("https://x.org/course"),
            "https://x.org/course/"
        );
        assert_eq!(normalize_site_url("https://x.org"), "https://x.org/");
    }
}
