//! Writing the site's files: into a fresh staging folder during a full
//! build (linking what is unchanged from the output it replaces), or over
//! the served output file by file (`serve`'s partial rebuilds).

use std::path::Path;

use anyhow::{Context, Result};

/// Writes `path`, creating its folder as needed.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating `{}`", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing `{}`", path.display()))
}

/// Writes `out/rel`, unless `previous/rel` (the same file in the output
/// this build replaces; `previous` canonical) holds exactly `bytes`: then
/// `out/rel` becomes a hard link to it. A warm build's pages are mostly
/// unchanged, and writing a 175-page course's 20 MB took more time than
/// rendering it. The previous output is deleted once this one is in place,
/// so the file then has one name again.
///
/// Invariant: a file linked from the previous output is never written
/// into, so the previous output stays exactly as it was until the swap
/// (a failed build leaves it untouched). Hence: a second write to the same
/// path removes the name first rather than writing through it; only a
/// regular file with no other name is linked (not one also linked from a
/// backup elsewhere), and only one that really lies inside `previous` (not
/// reached through a symbolic link in it). Anything unusual (no such file,
/// a size or byte that differs, a file system without links) writes the
/// file. `serve` replaces files by renaming ([`replace_file`]), never
/// writing into one.
pub(super) fn write_or_link(
    out: &Path,
    rel: &str,
    bytes: &[u8],
    previous: Option<&Path>,
) -> Result<()> {
    let path = out.join(rel);
    if std::fs::symlink_metadata(&path).is_ok() {
        std::fs::remove_file(&path).with_context(|| format!("replacing `{}`", path.display()))?;
    }
    if let Some(old) = previous.and_then(|p| linkable(p, rel, bytes)) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating `{}`", parent.display()))?;
        }
        if std::fs::hard_link(&old, &path).is_ok() {
            return Ok(());
        }
    }
    write_file(&path, bytes)
}

/// `previous/rel`, if it may be linked in place of writing `bytes`.
fn linkable(previous: &Path, rel: &str, bytes: &[u8]) -> Option<std::path::PathBuf> {
    let old = previous.join(rel);
    let meta = std::fs::symlink_metadata(&old).ok()?;
    if !meta.is_file() || meta.len() != bytes.len() as u64 || !single_name(&meta) {
        return None;
    }
    if !std::fs::canonicalize(&old).ok()?.starts_with(previous) {
        return None;
    }
    std::fs::read(&old).ok().filter(|b| b == bytes).map(|_| old)
}

#[cfg(unix)]
fn single_name(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1
}

#[cfg(not(unix))]
fn single_name(_: &std::fs::Metadata) -> bool {
    true
}

/// Writes `rel` beside its final name, then renames it over the old file:
/// a page served meanwhile is the old one or the new one, never half of it.
pub(super) fn replace_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = out.join(rel);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.meridian-tmp"));
    write_file(&tmp, bytes)?;
    std::fs::rename(&tmp, &path).with_context(|| format!("replacing `{}`", path.display()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    /// (previous output, staging), both canonical, with `previous/a/page`.
    fn folders() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let (previous, staging) = (root.join("site"), root.join("staging"));
        std::fs::create_dir_all(previous.join("a")).unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(previous.join("a/page"), "same").unwrap();
        (dir, previous, staging)
    }

    fn ino(p: &Path) -> u64 {
        std::fs::metadata(p).unwrap().ino()
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let (_dir, previous, staging) = folders();
        write_or_link(&staging, "a/page", b"same", Some(&previous)).unwrap();
        assert_eq!(ino(&staging.join("a/page")), ino(&previous.join("a/page")));
        write_or_link(&staging, "b", b"new", Some(&previous)).unwrap();
        assert_eq!(std::fs::read(staging.join("b")).unwrap(), b"new");
    }

    #[test]
    fn a_second_write_never_writes_through_a_link() {
        let (_dir, previous, staging) = folders();
        write_or_link(&staging, "a/page", b"same", Some(&previous)).unwrap();
        write_or_link(&staging, "a/page", b"other", Some(&previous)).unwrap();
        assert_eq!(std::fs::read(previous.join("a/page")).unwrap(), b"same");
        assert_eq!(std::fs::read(staging.join("a/page")).unwrap(), b"other");
    }

    #[test]
    fn files_with_another_name_or_outside_are_written_not_linked() {
        let (dir, previous, staging) = folders();
        // Also linked from a backup: sharing it would keep it shared after
        // the swap.
        std::fs::hard_link(previous.join("a/page"), dir.path().join("backup")).unwrap();
        write_or_link(&staging, "a/page", b"same", Some(&previous)).unwrap();
        assert_ne!(ino(&staging.join("a/page")), ino(&previous.join("a/page")));
        // Reached through a symbolic link inside the previous output.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("page"), "same").unwrap();
        std::os::unix::fs::symlink(&elsewhere, previous.join("linked")).unwrap();
        write_or_link(&staging, "linked/page", b"same", Some(&previous)).unwrap();
        assert_ne!(
            ino(&staging.join("linked/page")),
            ino(&elsewhere.join("page"))
        );
    }
}
