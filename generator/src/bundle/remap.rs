//! The build machine's paths kept out of the wasm. Panic locations carry
//! source file names into the module: a dependency's as
//! `$CARGO_HOME/registry/src/…`, and the standard library's as
//! `/rustc/<commit>/library/…` unless the `rust-src` component is
//! installed, when rustc names them by their local path instead. Either way
//! two machines with the same toolchain built different bytes (and a
//! different content-hashed file name). Each such prefix is mapped to a name
//! that is the same everywhere: cargo's home to `/cargo`, the local standard
//! library sources back to `/rustc/<commit>`.
//!
//! The flags go in as `target.wasm32-unknown-unknown.rustflags` on cargo's
//! command line, which cargo merges with the same key from configuration
//! files and `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS`. Cargo then
//! ignores `build.rustflags`, which is for every target, as the wasm build
//! already ignores the host's `RUSTFLAGS` (`compile::CLEARED_ENV`): flags
//! for the playground are set for wasm32.

use std::path::{Path, PathBuf};

use super::toolchain::{TARGET, rustc_stdout};

/// The `--config` value that adds the remappings to the wasm build's
/// rustflags (an empty list when neither path is known, so that which
/// configuration applies never depends on the machine).
pub fn config_arg(source_root: &Path) -> String {
    let home = super::cargo_home(
        std::env::var("CARGO_HOME").ok().as_deref(),
        std::env::var("HOME").ok().as_deref(),
    );
    let flags = flags(home.as_deref(), rust_sources(source_root));
    let array = toml::Value::Array(flags.into_iter().map(toml::Value::String).collect());
    format!("target.{TARGET}.rustflags={array}")
}

/// `--remap-path-prefix` flags for cargo's home and for the standard
/// library's local sources (`(local folder, rustc's commit hash)`).
fn flags(cargo_home: Option<&Path>, rust_sources: Option<(PathBuf, String)>) -> Vec<String> {
    let mut flags = Vec::new();
    if let Some(home) = cargo_home {
        flags.push(format!("--remap-path-prefix={}=/cargo", home.display()));
    }
    if let Some((local, commit)) = rust_sources {
        flags.push(format!(
            "--remap-path-prefix={}=/rustc/{commit}",
            local.display()
        ));
    }
    flags
}

/// Where the `rust-src` component puts the standard library's sources for
/// the toolchain that builds `source_root`, and that toolchain's commit
/// hash (`rustc -vV`); `None` when rustc does not say.
fn rust_sources(source_root: &Path) -> Option<(PathBuf, String)> {
    let sysroot = rustc_stdout(source_root, &["--print", "sysroot"])?;
    let version = rustc_stdout(source_root, &["-vV"])?;
    let commit = commit_hash(&version)?;
    let local = Path::new(sysroot.trim()).join("lib/rustlib/src/rust");
    Some((local, commit))
}

/// The `commit-hash:` line of `rustc -vV`.
fn commit_hash(version: &str) -> Option<String> {
    let hash = version
        .lines()
        .find_map(|l| l.strip_prefix("commit-hash: "))?;
    let hash = hash.trim();
    (!hash.is_empty() && hash != "unknown").then(|| hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_home_and_the_local_std_sources_map_to_fixed_names() {
        let flags = flags(
            Some(Path::new("/home/u/.cargo")),
            Some((
                PathBuf::from("/home/u/.rustup/toolchains/1.95/lib/rustlib/src/rust"),
                "59807616e1fa".into(),
            )),
        );
        assert_eq!(
            flags,
            [
                "--remap-path-prefix=/home/u/.cargo=/cargo",
                "--remap-path-prefix=/home/u/.rustup/toolchains/1.95/lib/rustlib/src/rust=/rustc/59807616e1fa",
            ]
        );
        assert!(super::flags(None, None).is_empty());
    }

    #[test]
    fn the_commit_hash_is_read_from_rustc_s_version() {
        let version = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\ncommit-hash: 59807616e1fa2540724bfbac14d7976d7e4a3860\ncommit-date: 2026-04-14\n";
        assert_eq!(
            commit_hash(version).as_deref(),
            Some("59807616e1fa2540724bfbac14d7976d7e4a3860")
        );
        assert_eq!(commit_hash("commit-hash: unknown\n"), None);
        assert_eq!(commit_hash("rustc 1.95.0\n"), None);
    }

    #[test]
    fn the_config_argument_is_a_toml_array_cargo_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let arg = config_arg(root);
        let (key, value) = arg.split_once('=').unwrap();
        assert_eq!(key, format!("target.{TARGET}.rustflags"));
        let parsed: toml::Value = toml::from_str(&format!("v = {value}")).unwrap();
        let flags = parsed["v"].as_array().unwrap();
        assert!(!flags.is_empty(), "this machine has a cargo home");
        assert!(
            flags
                .iter()
                .all(|f| f.as_str().unwrap().starts_with("--remap-path-prefix="))
        );
    }
}
