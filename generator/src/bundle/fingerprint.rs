//! Whether the playground needs compiling at all, decided without running
//! cargo: a warm build would otherwise spawn cargo (about 130 ms) only to
//! learn that nothing changed. The fingerprint covers everything the wasm
//! build reads: the web and engine crates' manifests and sources, the
//! workspace manifest (profiles, pinned versions), the lock file, the
//! toolchain file, cargo's configuration files (the tree's and cargo's
//! home), the profile and target, and the environment variables that
//! choose the compiler. Any change misses, and cargo decides as before.

use std::path::{Path, PathBuf};

use super::compile::PROFILE;
use super::content_hash;
use super::toolchain::TARGET;

/// Files and folders, relative to the source tree, that the wasm build
/// reads. Folders are walked whole (tests and benches included: they are
/// small, and a stale bundle would cost more than a needless cargo run).
const INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    "playground/web/Cargo.toml",
    "playground/web/src",
    "playground/engine/Cargo.toml",
    "playground/engine/src",
];

/// Cargo configuration files that may set build flags, relative to the
/// source tree; counted when present (their absence is part of the
/// fingerprint too). Cargo's home configuration is added in [`fingerprint`].
const OPTIONAL: &[&str] = &[".cargo/config.toml", ".cargo/config"];

/// Environment variables that change what cargo builds or with what.
const ENV: &[&str] = &[
    "CARGO",
    "CARGO_HOME",
    "RUSTC",
    "RUSTC_WRAPPER",
    "RUSTUP_TOOLCHAIN",
];

/// The fingerprint of the playground's inputs in `source_root`, or `None`
/// when one cannot be read (then cargo decides).
pub fn fingerprint(source_root: &Path) -> Option<String> {
    let mut files = Vec::new();
    for input in INPUTS {
        let path = source_root.join(input);
        if path.is_dir() {
            walk(&path, &mut files).ok()?;
        } else {
            files.push(path);
        }
    }
    files.sort();
    let mut all = Vec::new();
    all.extend_from_slice(format!("{PROFILE}\0{TARGET}\0").as_bytes());
    for var in ENV {
        let value = std::env::var_os(var).unwrap_or_default();
        all.extend_from_slice(format!("{var}={}\0", value.to_string_lossy()).as_bytes());
    }
    let mut optional: Vec<PathBuf> = OPTIONAL.iter().map(|f| source_root.join(f)).collect();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        optional.push(home.join("config.toml"));
        optional.push(home.join("config"));
    }
    for file in optional {
        // Present or not, and what it says, both count.
        all.extend_from_slice(file.to_string_lossy().as_bytes());
        all.push(0);
        if let Ok(bytes) = std::fs::read(&file) {
            all.push(1);
            all.extend_from_slice(&bytes);
        }
        all.push(0);
    }
    for file in files {
        let rel = file.strip_prefix(source_root).unwrap_or(&file);
        all.extend_from_slice(rel.to_string_lossy().as_bytes());
        all.push(0);
        all.extend_from_slice(&std::fs::read(&file).ok()?);
        all.push(0);
    }
    Some(content_hash(&all))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The bundle cache key (the compiled wasm's hash) recorded for this
/// fingerprint by an earlier build.
pub fn recorded(cache_root: &Path, fingerprint: &str) -> Option<String> {
    let key = std::fs::read_to_string(cache_root.join("inputs").join(fingerprint)).ok()?;
    let key = key.trim();
    (!key.is_empty()).then(|| key.to_string())
}

/// Records that these inputs compile to the wasm with cache key `key`.
pub fn record(cache_root: &Path, fingerprint: &str, key: &str) -> std::io::Result<()> {
    let dir = cache_root.join("inputs");
    std::fs::create_dir_all(&dir)?;
    // Written aside and renamed, so a concurrent build never reads half.
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    std::fs::write(&tmp, key)?;
    std::fs::rename(&tmp, dir.join(fingerprint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for input in INPUTS {
            let path = dir.path().join(input);
            if input.ends_with("src") {
                std::fs::create_dir_all(&path).unwrap();
                std::fs::write(path.join("lib.rs"), "pub fn f() {}").unwrap();
            } else {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, "[package]").unwrap();
            }
        }
        dir
    }

    #[test]
    fn any_input_changing_changes_the_fingerprint() {
        let dir = tree();
        let before = fingerprint(dir.path()).unwrap();
        assert_eq!(fingerprint(dir.path()).unwrap(), before, "stable");
        let nested = dir.path().join("playground/engine/src/sim");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("a.rs"), "x").unwrap();
        let added = fingerprint(dir.path()).unwrap();
        assert_ne!(added, before, "a new source file");
        std::fs::write(nested.join("a.rs"), "y").unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), added, "an edited source");
        std::fs::write(dir.path().join("rust-toolchain.toml"), "1.96").unwrap();
        let toolchain = fingerprint(dir.path()).unwrap();
        std::fs::write(dir.path().join("Cargo.lock"), "other").unwrap();
        let lock = fingerprint(dir.path()).unwrap();
        assert_ne!(lock, toolchain, "the lock file");
        std::fs::create_dir_all(dir.path().join(".cargo")).unwrap();
        std::fs::write(dir.path().join(".cargo/config.toml"), "[build]").unwrap();
        assert_ne!(
            fingerprint(dir.path()).unwrap(),
            lock,
            "a cargo config file"
        );
        // Moving content between files is a change too.
        std::fs::write(nested.join("a.rs"), "").unwrap();
        std::fs::write(nested.join("b.rs"), "y").unwrap();
        assert_ne!(fingerprint(dir.path()).unwrap(), added);
    }

    #[test]
    fn an_unreadable_input_means_no_fingerprint() {
        let dir = tree();
        std::fs::remove_file(dir.path().join("Cargo.lock")).unwrap();
        assert_eq!(fingerprint(dir.path()), None);
    }

    #[test]
    fn recorded_keys_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(recorded(dir.path(), "abc"), None);
        record(dir.path(), "abc", "0123456789abcdef").unwrap();
        assert_eq!(
            recorded(dir.path(), "abc").as_deref(),
            Some("0123456789abcdef")
        );
    }
}
