//! `cargo build` of the web crate for wasm32, as a child process. rustc's
//! diagnostics are read as JSON: printed as cargo would print them, and
//! returned located (file, line, column) when the build fails, so `serve` can
//! show them in the open pages.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use super::WEB_CRATE;
use super::toolchain::TARGET;
use crate::diagnostics::{Errors, LocatedError, display_path};

/// The Cargo profile for the wasm build (see the root Cargo.toml).
pub(super) const PROFILE: &str = "wasm";

/// The arguments [`build_web_crate`] gives cargo (besides `--target-dir`
/// and the remapping), counted in the playground's fingerprint.
pub(super) const CARGO_ARGS: &[&str] = &[
    "build",
    "-p",
    WEB_CRATE,
    "--lib",
    "--profile",
    PROFILE,
    "--target",
    TARGET,
    "--message-format=json",
];

/// The paths [`super::remap`] maps, in the playground's fingerprint: a
/// build that maps others must not reuse a wasm built the old way, so
/// change this with that module.
pub(super) const REMAP_SCHEME: &str = "cargo home → /cargo; rust-src → /rustc/<commit>";

/// The playground's Rust code (or its manifest) does not build.
#[derive(Debug, Clone)]
pub struct RustErrors {
    /// rustc's errors, paths relative to Meridian's source tree.
    pub errors: Errors,
    /// The errors as rustc and cargo print them (code excerpts, hints).
    pub rendered: String,
}

impl fmt::Display for RustErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.0.as_slice() {
            [] => write!(f, "`cargo build -p {WEB_CRATE}` failed:\n{}", self.rendered),
            [first] => write!(f, "the playground's Rust code does not compile: {first}"),
            [first, rest @ ..] => write!(
                f,
                "the playground's Rust code does not compile: {first} (and {} more error{})",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for RustErrors {}

/// Variables the wasm build runs without: flags meant for the host build
/// (coverage, native CPU, …) would break or bloat it, and its target folder
/// is given.
pub const CLEARED_ENV: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_TARGET_DIR",
];

/// Builds the web crate with [`PROFILE`] and returns the path of its `.wasm`.
pub fn build_web_crate(source_root: &Path, target_dir: &Path) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(&cargo);
    for var in CLEARED_ENV {
        command.env_remove(var);
    }
    let mut child = command
        .current_dir(source_root)
        .arg("--config")
        .arg(super::remap::config_arg(source_root))
        .args(CARGO_ARGS)
        .arg("--target-dir")
        .arg(target_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run `{cargo}`"))?;
    // Cargo's own messages (progress, manifest errors) are passed on as they
    // come, and kept from the first error on.
    let stderr = child.stderr.take().expect("piped");
    let cargo_errors = std::thread::spawn(move || forward_stderr(stderr));
    let stdout = child.stdout.take().expect("piped");
    let mut messages = Messages::default();
    for line in BufReader::new(stdout).lines() {
        let line = line.context("reading cargo's output")?;
        if let Some(rendered) = messages.read(&line, source_root) {
            eprint!("{rendered}");
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    let cargo_errors = cargo_errors.join().unwrap_or_default();
    if !status.success() {
        let mut rendered = messages.rendered;
        rendered.push_str(&cargo_errors);
        return Err(RustErrors {
            errors: Errors(messages.errors),
            rendered,
        }
        .into());
    }
    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{}.wasm", WEB_CRATE.replace('-', "_")));
    if !wasm.is_file() {
        anyhow::bail!("cargo succeeded but {} is missing", wasm.display());
    }
    Ok(wasm)
}

/// Copies cargo's stderr to ours; returns its lines from the first `error`.
fn forward_stderr(stderr: impl Read) -> String {
    let mut kept = String::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        eprintln!("{line}");
        if !kept.is_empty() || line.starts_with("error") {
            kept.push_str(&line);
            kept.push('\n');
        }
    }
    kept
}

/// rustc's diagnostics gathered from cargo's JSON messages.
#[derive(Default)]
struct Messages {
    errors: Vec<LocatedError>,
    /// Every error, rendered.
    rendered: String,
}

impl Messages {
    /// Takes one line of cargo's JSON output; returns the rendered
    /// diagnostic to print, if it is one.
    fn read(&mut self, line: &str, source_root: &Path) -> Option<String> {
        let doc: serde_json::Value = serde_json::from_str(line).ok()?;
        if doc["reason"] != "compiler-message" {
            return None;
        }
        let message = &doc["message"];
        let rendered = message["rendered"].as_str()?.to_string();
        let text = message["message"].as_str().unwrap_or_default();
        let is_error = matches!(
            message["level"].as_str(),
            Some("error" | "error: internal compiler error")
        );
        // rustc's closing "aborting due to N previous errors" says nothing new.
        if is_error && !text.starts_with("aborting due to") {
            self.rendered.push_str(&rendered);
            self.errors.push(locate(message, text, source_root));
        }
        Some(rendered)
    }
}

/// The error at its primary span, the path shown relative to the source tree.
fn locate(message: &serde_json::Value, text: &str, source_root: &Path) -> LocatedError {
    let spans = message["spans"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let primary = spans
        .iter()
        .find(|s| s["is_primary"] == true)
        .or(spans.first());
    let Some(span) = primary else {
        return LocatedError::whole_file(format!("{WEB_CRATE} (crate)"), text);
    };
    let file = span["file_name"].as_str().unwrap_or_default();
    let path = source_root.join(file);
    let number = |key: &str| span[key].as_u64().unwrap_or(0) as usize;
    LocatedError::new(
        display_path(&path, source_root),
        number("line_start"),
        number("column_start"),
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines as cargo 1.95 prints them for a syntax error (trimmed).
    const OUTPUT: &str = r#"{"reason":"compiler-artifact","package_id":"path+file:///m/playground/engine#meridian-engine@0.1.0","target":{"name":"meridian_engine"},"filenames":[]}
{"reason":"compiler-message","package_id":"path+file:///m/playground/web#meridian-web@0.1.0","message":{"rendered":"warning: unused variable: `x`\n","$message_type":"diagnostic","children":[],"code":null,"level":"warning","message":"unused variable: `x`","spans":[{"file_name":"playground/web/src/a.rs","is_primary":true,"line_start":3,"column_start":9}]}}
{"reason":"compiler-message","package_id":"path+file:///m/playground/web#meridian-web@0.1.0","message":{"rendered":"error: expected one of `!` or `::`, found `(`\n --> playground/web/src/lib.rs:12:5\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"expected one of `!` or `::`, found `(`","spans":[{"file_name":"playground/web/src/other.rs","is_primary":false,"line_start":1,"column_start":1},{"file_name":"playground/web/src/lib.rs","is_primary":true,"line_start":12,"column_start":5}]}}
{"reason":"compiler-message","package_id":"path+file:///m/playground/web#meridian-web@0.1.0","message":{"rendered":"error: aborting due to 1 previous error\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"aborting due to 1 previous error","spans":[]}}
{"reason":"build-finished","success":false}
not json at all"#;

    #[test]
    fn errors_are_located_at_their_primary_span() {
        let mut m = Messages::default();
        let printed: Vec<String> = OUTPUT
            .lines()
            .filter_map(|l| m.read(l, Path::new("/m")))
            .collect();
        assert_eq!(printed.len(), 3, "warnings and errors are printed");
        assert_eq!(
            m.errors,
            vec![LocatedError::new(
                "playground/web/src/lib.rs",
                12,
                5,
                "expected one of `!` or `::`, found `(`"
            )]
        );
        assert!(m.rendered.starts_with("error: expected one of"));
        assert!(!m.rendered.contains("aborting"));
        assert!(!m.rendered.contains("warning"));
        let e = RustErrors {
            errors: Errors(m.errors),
            rendered: m.rendered,
        };
        assert_eq!(
            e.to_string(),
            "the playground's Rust code does not compile: playground/web/src/lib.rs:12:5: expected one of `!` or `::`, found `(`"
        );
    }

    #[test]
    fn a_failure_without_rustc_errors_shows_cargos_words() {
        let stderr = "   Compiling a v0.1.0\nerror: failed to parse manifest at `/m/Cargo.toml`\n\nCaused by:\n  expected `]`\n";
        let kept = forward_stderr(stderr.as_bytes());
        assert!(
            kept.starts_with("error: failed to parse manifest"),
            "{kept}"
        );
        assert!(kept.contains("expected `]`"));
        let e = RustErrors {
            errors: Errors::default(),
            rendered: kept,
        };
        assert!(e.to_string().contains("failed to parse manifest"), "{e}");
    }
}
