//! The real course of this repository: its folder, a writable copy of its
//! data, the `meridian` binary run over a folder, and a build in memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use meridian::load::{Course, load_course};

use super::BuiltSite;

/// This repository: the real course's book root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `meridian` binary with `args` over the book at `root`.
pub fn meridian(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meridian"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("the meridian binary runs")
}

/// A copy of the real course's data (problems, chapters, `book.toml`) in a
/// temporary folder.
pub fn course_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    super::copy_dir(&root().join("problems"), &dir.path().join("problems"));
    super::copy_dir(&root().join("content"), &dir.path().join("content"));
    std::fs::copy(root().join("book.toml"), dir.path().join("book.toml")).unwrap();
    dir
}

/// The real course, loaded.
pub fn course() -> Course {
    load_course(&root()).unwrap_or_else(|e| panic!("{e}"))
}

/// `course` rendered without the playground into a temporary folder.
pub fn build(course: &Course) -> BuiltSite {
    let out = tempfile::tempdir().unwrap();
    let report =
        meridian::site::render_site(course, out.path()).unwrap_or_else(|e| panic!("{e:#}"));
    BuiltSite {
        out,
        report,
        site_url: course.config.output.html.site_url.clone(),
    }
}
