//! The build cache (`generator/src/cache.rs`) end to end on the real
//! course: a warm build writes exactly what a cold one does, and a changed
//! input is computed again, never served stale.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use meridian::cache::CACHE_DIR;
use support::course::course_copy;

/// Every output file, relative path → bytes.
fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let course = meridian::load::load_course(root).unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap();
    meridian::site::render_site(&course, out.path()).expect("the course builds");
    support::files_under(out.path())
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.path().join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn entries(root: &Path) -> usize {
    std::fs::read_dir(root.join(CACHE_DIR)).map_or(0, |d| d.flatten().count())
}

#[test]
fn warm_builds_match_cold_ones_and_changed_inputs_miss() {
    let book = course_copy();
    let root = book.path();
    let problems = std::fs::read_dir(root.join("problems/multiregion"))
        .unwrap()
        .count();

    let cold = build(root);
    assert_eq!(entries(root), problems, "one entry per problem page");
    let warm = build(root);
    assert!(
        cold == warm,
        "a warm build wrote something a cold one did not"
    );

    // A figure every evaluation reads: the app's mean service time.
    let catalog = root.join("problems/catalog.yaml");
    let text = std::fs::read_to_string(&catalog).unwrap();
    let app = text.find("\n  app:\n").expect("the catalog has an app");
    let at = app
        + text[app..]
            .find("service_ms: 10\n")
            .expect("app's service_ms");
    let changed = format!("{}service_ms: 12\n{}", &text[..at], &text[at + 15..]);
    std::fs::write(&catalog, changed).unwrap();

    let after = build(root);
    let page = "problems/basic-multi-region.html";
    assert!(after[page] != warm[page], "the changed catalog shows");
    assert_eq!(entries(root), problems, "the stale entries were swept");
    std::fs::remove_dir_all(root.join(CACHE_DIR)).unwrap();
    let recomputed = build(root);
    assert!(
        after == recomputed,
        "a build after the change is what a cold one writes"
    );
}

/// A rebuild links the files that come out the same as in the output it
/// replaces instead of writing them again, writes the others, and leaves
/// the same site a build from nothing makes, each file with one name.
#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_the_rest() {
    use std::os::unix::fs::MetadataExt;

    let book = course_copy();
    let root = book.path();
    let course = meridian::load::load_course(root).unwrap_or_else(|e| panic!("{e}"));
    let out = root.join("site-out");
    meridian::build::build_site(&course, &out, None).expect("the course builds");
    let inode = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    let (same, tampered) = (
        "problems/basic-multi-region.html",
        "problems/global-dns.html",
    );
    let before = inode(same);
    // A file of the previous output that no longer holds what the build
    // makes must be written, not linked.
    std::fs::write(out.join(tampered), "stale").unwrap();

    meridian::build::build_site(&course, &out, None).expect("the course builds again");
    assert_eq!(
        inode(same),
        before,
        "an unchanged page is linked, not written"
    );
    let files = support::files_under(&out);
    for f in &files {
        let meta = std::fs::metadata(out.join(f)).unwrap();
        assert_eq!(meta.nlink(), 1, "{f}: one name once the old output is gone");
    }
    let rebuilt: BTreeMap<String, Vec<u8>> = files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert!(
        rebuilt[tampered] != b"stale",
        "the tampered page was written again"
    );
    assert!(
        rebuilt == build(root),
        "the rebuilt site is what a build from nothing makes"
    );
}
