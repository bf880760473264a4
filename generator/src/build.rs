//! `meridian build`: render into a fresh folder, then swap it in.
//!
//! A failed build must never damage the last good output, so nothing is
//! written to the destination until the whole site has rendered.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::bundle::Bundle;
use crate::cache::Cache;
use crate::load::Course;
use crate::site::{SiteReport, render_site_cached};

/// Renders the site into a temporary sibling of `out`, then replaces `out` with it.
pub fn build_site(
    course: &Course,
    out: &Path,
    playground: Option<&Bundle>,
) -> anyhow::Result<SiteReport> {
    build_site_cached(course, out, playground, Cache::open(&course.root))
}

/// [`build_site`] taking what it can from `cache` (nothing with
/// [`Cache::off`]).
pub fn build_site_cached(
    course: &Course,
    out: &Path,
    playground: Option<&Bundle>,
    cache: Cache,
) -> anyhow::Result<SiteReport> {
    build_site_by(out, |staging, previous| {
        render_site_cached(course, staging, previous, playground, cache)
    })
}

/// Like [`build_site`], with `render` filling the staging folder (`meridian
/// serve` renders with the templates and highlighter it keeps); `render`
/// is also given the output it will replace, if there is one, to link
/// unchanged files from.
pub fn build_site_by(
    out: &Path,
    render: impl FnOnce(&Path, Option<&Path>) -> anyhow::Result<SiteReport>,
) -> anyhow::Result<SiteReport> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let staging = tempfile_dir(&parent, &format!(".{name}.building-"))?;
    // The output being replaced, to link unchanged files from: a real
    // folder (the swap would leave a symbolic link's target in place, its
    // files then shared with the new output), by its canonical path.
    let previous = std::fs::symlink_metadata(out)
        .is_ok_and(|m| m.is_dir())
        .then(|| std::fs::canonicalize(out).ok())
        .flatten();
    let report = match render(&staging, previous.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e.context("the build failed; the previous output was left untouched"));
        }
    };
    swap_in(&staging, out)?;
    Ok(report)
}

/// Creates a uniquely named empty folder in `parent`.
fn tempfile_dir(parent: &Path, prefix: &str) -> anyhow::Result<PathBuf> {
    for n in 0..1000u32 {
        let candidate = parent.join(format!("{prefix}{}-{n}", std::process::id()));
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot create {}", candidate.display()));
            }
        }
    }
    anyhow::bail!("cannot create a staging folder in {}", parent.display())
}

/// Moves the old output aside, the new one in, and only then deletes the old.
fn swap_in(staging: &Path, out: &Path) -> anyhow::Result<()> {
    let old = staging.with_extension("old");
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move {} aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        return Err(e).with_context(|| format!("cannot move the new site into {}", out.display()));
    }
    if had_old {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove {}", old.display()))?;
    }
    Ok(())
}
