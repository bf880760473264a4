//! `cargo build` of the web crate for wasm32, as a child process.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::WEB_CRATE;
use super::toolchain::TARGET;

/// The Cargo profile for the wasm build (see the root Cargo.toml).
const PROFILE: &str = "wasm";

/// Builds the web crate with [`PROFILE`] and returns the path of its `.wasm`.
pub fn build_web_crate(source_root: &Path, target_dir: &Path) -> Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(&cargo)
        .current_dir(source_root)
        .args([
            "build",
            "-p",
            WEB_CRATE,
            "--lib",
            "--profile",
            PROFILE,
            "--target",
            TARGET,
        ])
        .arg("--target-dir")
        .arg(target_dir)
        // Flags meant for the host build (coverage, native CPU, …) would break
        // or bloat the wasm build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .with_context(|| format!("cannot run `{cargo}`"))?;
    if !status.success() {
        bail!(
            "`{cargo} build -p {WEB_CRATE} --target {TARGET}` failed ({status}); its errors are above"
        );
    }
    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{}.wasm", WEB_CRATE.replace('-', "_")));
    if !wasm.is_file() {
        bail!("cargo succeeded but {} is missing", wasm.display());
    }
    Ok(wasm)
}
