//! The theme: Tera templates and static assets. The built-in theme is
//! compiled into the binary; an author's `output.html.theme` folder overrides
//! it file by file (a template of the same name, or an asset of the same path).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tera::Tera;

use super::highlight::escape_html;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = builtin![
    "base.html",
    "index.html",
    "problem.html",
    "chapter.html",
    "catalog.html",
    "404.html",
    "partials/sidebar.html",
    "partials/prev_next.html",
    "partials/problem_card.html",
    "partials/icon.html",
];

/// Static files, copied under `assets/` with the same relative path.
const ASSETS: &[(&str, &str)] = builtin![
    "css/meridian.css",
    "js/theme.js",
    "js/playground.js",
    "js/search.js",
    "icons/favicon.svg",
];

pub struct Theme {
    pub tera: Tera,
    /// (path under `assets/`, bytes).
    pub assets: Vec<(String, Vec<u8>)>,
    /// The author's override folder, for error messages.
    pub override_dir: Option<PathBuf>,
}

impl Theme {
    /// The built-in theme overridden by `override_dir`; the built-in theme is
    /// read from `builtin_dir` (its source folder, `themes/default`) where a
    /// file exists there, so `meridian serve` shows edits to it without
    /// recompiling Meridian, else from the copy compiled in.
    pub fn load_from(builtin_dir: Option<&Path>, override_dir: Option<&Path>) -> Result<Theme> {
        let from_disk = |name: &str| builtin_dir.and_then(|d| std::fs::read(d.join(name)).ok());
        let mut templates: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, t)| {
                let text = from_disk(n)
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_else(|| t.to_string());
                (n.to_string(), text)
            })
            .collect();
        let mut assets: Vec<(String, Vec<u8>)> = ASSETS
            .iter()
            .map(|(n, t)| {
                (
                    n.to_string(),
                    from_disk(n).unwrap_or_else(|| t.as_bytes().to_vec()),
                )
            })
            .collect();

        if let Some(dir) = override_dir {
            if !dir.is_dir() {
                bail!(
                    "the theme folder `{}` (output.html.theme) does not exist",
                    dir.display()
                );
            }
            for (rel, path) in files_under(dir)
                .with_context(|| format!("reading the theme folder `{}`", dir.display()))?
            {
                if rel.ends_with(".html") {
                    let text = std::fs::read_to_string(&path).with_context(|| {
                        format!("reading the theme template `{}`", path.display())
                    })?;
                    replace_or_push(&mut templates, rel, text);
                } else {
                    let bytes = std::fs::read(&path)
                        .with_context(|| format!("reading `{}`", path.display()))?;
                    replace_or_push(&mut assets, rel, bytes);
                }
            }
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's default also escapes `/` as `&#x2F;`, which is legal but makes
        // every URL unreadable in the output; `/` needs no escaping in HTML.
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(templates)
            .with_context(|| match override_dir {
                Some(d) => format!(
                    "loading the theme templates (built-in theme overridden by `{}`)",
                    d.display()
                ),
                None => "loading the built-in theme templates".to_string(),
            })?;
        Ok(Theme {
            tera,
            assets,
            override_dir: override_dir.map(Path::to_path_buf),
        })
    }

    pub fn render(&self, template: &str, context: &tera::Context, page: &str) -> Result<String> {
        self.tera.render(template, context).with_context(|| {
            let origin = match &self.override_dir {
                Some(d) if d.join(template).is_file() => {
                    format!(" (from `{}`)", d.join(template).display())
                }
                _ => String::new(),
            };
            format!("rendering `{page}` with the template `{template}`{origin}")
        })
    }
}

fn replace_or_push<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name, value)),
    }
}

/// Every file under `dir` as (relative path with `/`, full path), sorted.
fn files_under(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_can_be_read_from_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("css")).unwrap();
        std::fs::write(dir.path().join("css/meridian.css"), "/* edited */").unwrap();
        let t = Theme::load_from(Some(dir.path()), None).unwrap();
        let css = &t
            .assets
            .iter()
            .find(|(n, _)| n == "css/meridian.css")
            .unwrap()
            .1;
        assert_eq!(css, b"/* edited */");
        // Files missing from the folder come from the compiled-in copy.
        assert!(t.tera.get_template_names().any(|n| n == "problem.html"));
    }

    #[test]
    fn builtin_theme_parses() {
        let t = Theme::load_from(None, None).unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "problem.html"));
        assert!(t.assets.iter().any(|(n, _)| n == "css/meridian.css"));
    }

    #[test]
    fn override_replaces_a_template_and_reports_bad_syntax() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("partials")).unwrap();
        std::fs::write(dir.path().join("partials/icon.html"), "X").unwrap();
        std::fs::write(dir.path().join("extra.css"), "a{}").unwrap();
        let t = Theme::load_from(None, Some(dir.path())).unwrap();
        assert!(t.assets.iter().any(|(n, _)| n == "extra.css"));

        std::fs::write(dir.path().join("chapter.html"), "{% block x %}").unwrap();
        let e = Theme::load_from(None, Some(dir.path())).err().unwrap();
        let chain = format!("{e:#}");
        assert!(chain.contains("chapter.html"), "{chain}");
    }
}
