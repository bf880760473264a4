//! Chapters listed in `SUMMARY.md`: `foo.md` becomes `foo.html`.

use anyhow::{Context, Result, anyhow};

use super::super::Site;
use super::super::linkcheck::CHAPTER_IDS;
use super::super::links::{chapter_output_path, path_to_root};
use super::super::markdown::{Slugs, first_paragraph_text, render as render_markdown};

/// Characters of a chapter's first paragraph kept for `og:description`.
const DESCRIPTION_CHARS: usize = 200;

/// Renders every chapter with a file; returns how many pages were written.
pub fn render_all(site: &mut Site<'_>) -> Result<usize> {
    let src = site.course.config.book.src.clone();
    let chapters: Vec<(String, String, String, usize)> = site
        .summary
        .chapters()
        .into_iter()
        .filter_map(|c| {
            c.path
                .clone()
                .map(|p| (c.title.clone(), c.number_label(), p, c.line))
        })
        .collect();
    let mut n = 0;
    for (title, number, path, line) in chapters {
        let file = src.join(&path);
        let shown =
            crate::diagnostics::display_path(&site.course.root.join(&file), &site.course.root);
        let source = std::fs::read_to_string(site.course.root.join(&file)).map_err(|e| {
            anyhow!(e).context(format!(
                "{}:{line}: the chapter `{path}` cannot be read (looked for `{shown}`)",
                site.summary_name
            ))
        })?;
        let page = chapter_output_path(&path);
        let mut slugs = Slugs::with_reserved(CHAPTER_IDS.iter().copied());
        let rendered = render_markdown(&source, site.highlighter, &mut slugs, &path_to_root(&page));
        let mut ctx = site.context(&page, &title, Some(&shown))?;
        if let Some(description) = first_paragraph_text(&source, DESCRIPTION_CHARS) {
            ctx.insert("page_description", &description);
        }
        ctx.insert("chapter_number", &number);
        ctx.insert("content_html", &rendered.html);
        site.write_page(&page, "chapter.html", &ctx)
            .with_context(|| format!("chapter `{shown}`"))?;
        n += 1;
    }
    Ok(n)
}
