//! Benchmark: build the whole course (load, validate, render, write) into a
//! temporary folder, several times, and report the time of each step.
//!
//! `cargo bench --bench build_course` (release profile). Not a test: nothing
//! here asserts a time, it only measures.

use std::path::Path;
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
        let report = meridian::build::build_site(&course, &out.join("site"), None)
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
