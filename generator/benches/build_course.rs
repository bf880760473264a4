//! Benchmark: build the whole course (load, validate, render, write) into a
//! temporary folder, several times, and report the time of each step.
//!
//! `cargo bench --bench build_course` (release profile). Not a test: nothing
//! here asserts a time, it only measures. The steps are of cold builds
//! (nothing reused from an earlier build).
//!
//! When mdBook is installed (`mdbook` on the PATH, or its path in `MDBOOK`),
//! it then times whole processes side by side: a warm `meridian build` of
//! the course (playground included and unchanged, every problem's results
//! reused from the previous build) and a cold one (`--no-cache`: every
//! design evaluated again) against `mdbook build` of the same problems
//! written as Markdown chapters (with the course's chapters), for the 35
//! problems and for a course of 175 (each problem five times over), and
//! prints the medians and their ratio.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let iterations: usize = std::env::var("MERIDIAN_BENCH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let mut loads = Vec::new();
    let mut builds = Vec::new();
    let mut steps: Vec<(String, Vec<Duration>)> = Vec::new();
    for _ in 0..iterations {
        let out = tempfile_dir();
        let t = Instant::now();
        let course = meridian::load::load_course(root).expect("the course loads");
        loads.push(t.elapsed());
        let t = Instant::now();
        // Cold: every design evaluated, so the steps show the work.
        let report = meridian::build::build_site_cached(
            &course,
            &out.join("site"),
            None,
            meridian::cache::Cache::off(),
        )
        .expect("the course builds");
        builds.push(t.elapsed());
        for (name, d) in report.steps {
            match steps.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(d),
                None => steps.push((name, vec![d])),
            }
        }
        std::fs::remove_dir_all(&out).ok();
    }
    println!("build_course: {iterations} iterations (median, min)");
    row("load and validate", &loads);
    row("render and write", &builds);
    for (name, v) in &steps {
        row(&format!("  {name}"), v);
    }
    let total: Vec<Duration> = loads.iter().zip(&builds).map(|(a, b)| *a + *b).collect();
    row("total", &total);
    against_mdbook(root);
}

/// `meridian build` and `mdbook build` of the same problems, as processes.
fn against_mdbook(root: &Path) {
    let mdbook = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".to_string());
    let version = Command::new(&mdbook).arg("--version").output();
    let Some(version) = version.ok().filter(|o| o.status.success()) else {
        println!("mdBook comparison skipped: `{mdbook}` is not installed (set MDBOOK to its path)");
        return;
    };
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let meridian = env!("CARGO_BIN_EXE_meridian");
    let runs: usize = std::env::var("MERIDIAN_BENCH_PROCESS_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(11);
    println!("against {version}: whole processes, median of {runs} runs after one warm-up each");
    for copies in [1, 5] {
        let work = tempfile_dir();
        let book = course_copy(root, &work.join("meridian"), copies);
        let md = markdown_book(&book, &work.join("mdbook"));
        let theirs = || {
            let mut c = Command::new(&mdbook);
            c.arg("build").arg(&md);
            c
        };
        // Warm: the playground and every problem's results reused from the
        // previous build (`cache.rs`); cold: every design evaluated again.
        for (label, flags) in [("warm", &[][..]), ("cold", &["--no-cache"][..])] {
            let mut ours = Command::new(meridian);
            ours.arg("--root").arg(&book).arg("build").args(flags);
            let (a, b) = side_by_side(ours, theirs(), runs);
            println!(
                "  {:>3} problems, {label}: meridian build {a:>7.1} ms, mdbook build {b:>7.1} ms, ratio {:.2}",
                35 * copies,
                a / b
            );
        }
        std::fs::remove_dir_all(&work).ok();
    }
}

/// Medians of alternating runs (A B A B …, after one warm-up each), ms.
fn side_by_side(mut a: Command, mut b: Command, runs: usize) -> (f64, f64) {
    let time = |c: &mut Command| {
        let t = Instant::now();
        let out = c.output().expect("the command starts");
        assert!(
            out.status.success(),
            "{c:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t.elapsed().as_secs_f64() * 1e3
    };
    time(&mut a);
    time(&mut b);
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ta.push(time(&mut a));
        tb.push(time(&mut b));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut ta), median(&mut tb))
}

/// A copy of the course in `dir` with every problem `copies` times (ids and
/// numbers made unique); returns `dir`.
fn course_copy(root: &Path, dir: &Path, copies: u32) -> PathBuf {
    copy_tree(&root.join("content"), &dir.join("content"));
    std::fs::copy(root.join("book.toml"), dir.join("book.toml")).expect("book.toml");
    let problems = dir.join("problems");
    std::fs::create_dir_all(problems.join("multiregion")).unwrap();
    for f in ["catalog.yaml", "regions.yaml"] {
        std::fs::copy(root.join("problems").join(f), problems.join(f)).unwrap();
    }
    let course = meridian::load::load_course(root).expect("the course loads");
    let count = course.problems.len() as u32;
    for k in 0..copies {
        for lp in &course.problems {
            let p = &lp.problem;
            let text = std::fs::read_to_string(root.join(&lp.file)).unwrap();
            let (id, number) = if k == 0 {
                (p.id.clone(), p.number)
            } else {
                (format!("{}-{k}", p.id), p.number + k * count)
            };
            let text = text
                .replacen(&format!("\nid: {}\n", p.id), &format!("\nid: {id}\n"), 1)
                .replacen(
                    &format!("\nnumber: {}\n", p.number),
                    &format!("\nnumber: {number}\n"),
                    1,
                );
            std::fs::write(
                problems
                    .join("multiregion")
                    .join(format!("{number:02}-{id}.yaml")),
                text,
            )
            .unwrap();
        }
    }
    dir.to_path_buf()
}

/// The same problems as an mdBook: the course's chapters, and each problem
/// as a Markdown chapter with its text (description, requirements, hints,
/// the reference's explanation and notes).
fn markdown_book(book: &Path, dir: &Path) -> PathBuf {
    let course = meridian::load::load_course(book).expect("the copy loads");
    let src = dir.join("src");
    copy_tree(&book.join("content"), &src);
    std::fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Meridian\"\nsrc = \"src\"\n",
    )
    .unwrap();
    let mut summary = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    summary.push_str("\n# Problems\n\n");
    for lp in &course.problems {
        let p = &lp.problem;
        let mut md = format!(
            "# {}\n\n{}\n\n{}\n\n## Functional requirements\n\n",
            p.title, p.summary, p.description
        );
        for r in &p.functional_requirements {
            md.push_str(&format!("- {r}\n"));
        }
        md.push_str("\n## Non-functional requirements\n\n| | |\n|---|---|\n");
        for (label, text) in p.non_functional_requirements.rows() {
            md.push_str(&format!("| {label} | {text} |\n"));
        }
        md.push_str("\n## Hints\n\n");
        for h in &p.hints {
            md.push_str(&format!("- {h}\n"));
        }
        md.push_str(&format!(
            "\n## Reference solution\n\n{}\n\n",
            p.reference.explanation
        ));
        for n in &p.reference.notes {
            md.push_str(&format!("- {n}\n"));
        }
        let name = format!("{:02}-{}.md", p.number, p.id);
        std::fs::write(src.join(&name), md).unwrap();
        summary.push_str(&format!("- [{}]({name})\n", p.title));
    }
    std::fs::write(src.join("SUMMARY.md"), summary).unwrap();
    dir.to_path_buf()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn row(name: &str, v: &[Duration]) {
    let mut s: Vec<f64> = v.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    s.sort_by(f64::total_cmp);
    println!("  {name:<28} {:>9.2} ms {:>9.2} ms", s[s.len() / 2], s[0]);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "meridian-bench-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    let mut n = 0;
    loop {
        let d = dir.with_extension(n.to_string());
        if std::fs::create_dir(&d).is_ok() {
            return d;
        }
        n += 1;
    }
}
