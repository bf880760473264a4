//! Every page kind of a built site passes the W3C Nu HTML Checker with no
//! errors (issue 12, point 12). The checker is `vnu-jar` from npm
//! (`npm ci --prefix tests`, which .ci/run does) run on the system's JRE;
//! without them the test says so and passes, unless
//! MERIDIAN_REQUIRE_BROWSER is set (CI), when their absence fails it.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::FixtureSite;

fn vnu_jar() -> Option<PathBuf> {
    let jar = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java").arg("-version").output().is_ok();
    (jar.is_file() && java).then_some(jar)
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(jar) = vnu_jar() else {
        assert!(
            std::env::var_os("MERIDIAN_REQUIRE_BROWSER").is_none(),
            "vnu.jar or java missing: run `npm ci --prefix tests` and install a JRE"
        );
        eprintln!("skipped: vnu.jar or java missing (npm ci --prefix tests; a JRE)");
        return;
    };
    let site = FixtureSite::from_dir("mini")
        .build()
        .unwrap_or_else(|e| panic!("{e:#}"));
    let pages = site.html_files();
    // Every kind: landing, 404, catalog, chapters, problems.
    for kind in [
        "index.html",
        "404.html",
        "catalog.html",
        "problems/",
        "basics.html",
    ] {
        assert!(pages.iter().any(|p| p.contains(kind)), "no {kind} page");
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(pages.iter().map(|p| site.out.path().join(p)))
        .output()
        .expect("running vnu.jar");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !report.contains("error:"),
        "the Nu checker found errors in {} pages:\n{report}",
        pages.len()
    );
}
