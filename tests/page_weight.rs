//! What a reader downloads, held to its budgets: the course built with the
//! real playground (the web crate compiled to wasm, as `meridian build`
//! does), then every problem page's first visit gzipped
//! (`meridian::site::weight`). `cargo bench --bench wasm_size` prints the
//! same figures with where the wasm's bytes go.

use meridian::site::weight;

/// The first visit of a problem page, gzipped: the budget of issue 13.
const FIRST_VISIT_BUDGET: usize = 300 * 1024;

/// The playground's wasm, gzipped: a ceiling against growth, a little
/// above today's 203.6 KB. Issue 13 asks for 150 KB, which is not met:
/// see ARCHITECTURE.md ("Benchmarks") for what was measured. A change that
/// needs more raises this figure on purpose, with the size report's
/// numbers in its commit.
const WASM_CEILING: usize = 208 * 1024;

#[test]
fn the_playground_and_every_problem_pages_first_visit_stay_within_budget() {
    let root = meridian::bundle::source_root();
    let bundle = meridian::bundle::build(&root).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(
        bundle.wasm_gzip <= WASM_CEILING,
        "the playground's wasm is {} bytes gzipped, over its ceiling of {WASM_CEILING}",
        bundle.wasm_gzip
    );
    let course = meridian::load::load_course(&root).unwrap_or_else(|e| panic!("{e:#}"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    meridian::build::build_site_cached(
        &course,
        &site,
        Some(&bundle),
        meridian::cache::Cache::off(),
    )
    .unwrap_or_else(|e| panic!("{e:#}"));
    let pages = weight::first_visits(&site).unwrap();
    assert_eq!(
        pages.len(),
        course.problems.len(),
        "one visit a problem page"
    );
    for page in &pages {
        assert!(
            page.gzipped <= FIRST_VISIT_BUDGET,
            "the first visit of {} downloads {} bytes gzipped, over the budget of {FIRST_VISIT_BUDGET}",
            page.page,
            page.gzipped
        );
    }
}
