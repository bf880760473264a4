//! `sitemap.xml` and `robots.txt`, written only when `site-url` is an
//! absolute URL (`https://example.org/course/`).
//!
//! The sitemap protocol requires absolute URLs (`<loc>` is "the URL of the
//! page", with its scheme and host), and so does robots.txt's `Sitemap:`
//! line. A `site-url` that is a path (`/`, `/course/`) says where the site
//! sits on its server but not which server, so neither file can be written
//! correctly: rather than guess a host, the build writes none.
//!
//! Crawlers read `robots.txt` only at a host's root: under a subpath the file
//! is still written (a host serving several courses can merge it), but it is
//! the sitemap that matters there.

use anyhow::Result;

use super::links::{absolute_url, chapter_output_path, is_absolute_site_url};
use super::nav::problem_path;
use super::{Site, esc};

/// Every page a reader can land on, site-relative, in reading order: the
/// landing page, the chapters, the problems, the catalog (not `404.html`).
pub(crate) fn pages(site: &Site<'_>) -> Vec<String> {
    let mut out = vec!["index.html".to_string()];
    out.extend(
        site.summary
            .chapters()
            .into_iter()
            .filter_map(|c| c.path.as_deref().map(chapter_output_path)),
    );
    out.extend(site.problems.iter().map(|p| problem_path(&p.problem.id)));
    out.push("catalog.html".to_string());
    out
}

/// Writes both files when `site-url` is absolute; returns how many were written.
pub(crate) fn write(site: &Site<'_>) -> Result<usize> {
    let site_url = &site.course.config.output.html.site_url;
    if !is_absolute_site_url(site_url) {
        return Ok(0);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages(site) {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            esc(&absolute_url(site_url, &page))
        ));
    }
    xml.push_str("</urlset>\n");
    site.write("sitemap.xml", xml.as_bytes())?;
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute_url(site_url, "sitemap.xml")
    );
    site.write("robots.txt", robots.as_bytes())?;
    Ok(2)
}
