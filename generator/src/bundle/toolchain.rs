//! The toolchain that builds the playground: is the wasm32 target
//! installed? Checked first so a missing target gives one clear
//! instruction instead of a page of cargo errors. `rustc_stdout` is the one
//! way the bundle asks rustc anything (here, and `remap.rs`).

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

pub const TARGET: &str = "wasm32-unknown-unknown";

/// What `rustc <args>` prints (`$RUSTC`, else `rustc`), run in
/// `source_root` so that the toolchain its `rust-toolchain.toml` pins is
/// the one asked, as for the cargo build that follows; `None` when it
/// cannot run or fails.
pub fn rustc_stdout(source_root: &Path, args: &[&str]) -> Option<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let out = Command::new(&rustc)
        .current_dir(source_root)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn require_wasm_target(source_root: &Path) -> Result<()> {
    let installed = rustc_stdout(
        source_root,
        &["--print", "target-libdir", "--target", TARGET],
    )
    .is_some_and(|dir| has_core(Path::new(dir.trim())));
    if !installed {
        bail!(
            "the Rust target {TARGET} is not installed, so the playground cannot be built.\n\
             Install it with:  rustup target add {TARGET}\n\
             or build the site without the playground:  cargo run -- build --no-playground"
        );
    }
    Ok(())
}

/// rustc prints a libdir even for a target that is not installed; the
/// target's `libcore` is what proves it is there.
fn has_core(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libcore-"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_counts_as_installed_only_with_its_libcore() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_core(dir.path()), "an empty libdir");
        assert!(!has_core(&dir.path().join("missing")), "no libdir at all");
        std::fs::write(dir.path().join("libstd-0123abcd.rlib"), b"").unwrap();
        assert!(!has_core(dir.path()));
        std::fs::write(dir.path().join("libcore-0123abcd.rlib"), b"").unwrap();
        assert!(has_core(dir.path()));
    }

    #[test]
    fn the_installed_target_is_found() {
        // rust-toolchain.toml pins the wasm target and CI adds it.
        require_wasm_target(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    }
}
