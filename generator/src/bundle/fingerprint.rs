//! Whether the playground needs compiling at all, decided without running
//! cargo: a warm build would otherwise spawn cargo (about 130 ms) only to
//! learn that nothing changed. The fingerprint covers everything the wasm
//! build reads: the web and engine crates' manifests and sources, the
//! workspace manifest (profiles, pinned versions), the lock file, the
//! toolchain file, cargo's configuration files (the tree's and cargo's
//! home), how cargo is run (its arguments, `compile::CARGO_ARGS`, and the
//! paths it remaps, `compile::REMAP_SCHEME`), and the environment variables that
//! choose the compiler or its flags and profile for wasm32
//! (`CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS`, `CARGO_PROFILE_*`…).
//! Any change misses, and cargo decides as before.

use std::path::{Path, PathBuf};

use super::compile::{CARGO_ARGS, CLEARED_ENV, REMAP_SCHEME};
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

/// Environment variables that change what cargo builds or with what: the
/// tools, the flags for wasm32, cargo's build, profile and unstable
/// settings (`CARGO_<KEY>` sets any key of cargo's configuration). Cargo's
/// home counts as the folder it resolves to (its configuration file's
/// path), not as the variable rustup's proxy sets. Not the variables
/// `cargo run` or `cargo test` set only for the process they start
/// (`CARGO_PKG_NAME`, `CARGO_TARGET_TMPDIR`…), nor those the wasm build runs
/// without ([`CLEARED_ENV`]). `CARGO` and `RUSTUP_TOOLCHAIN` do count,
/// though `cargo run` sets them and a direct run does not: which cargo and
/// which toolchain build the wasm, so going from one way to the other costs
/// one cargo run (never a stale wasm). Not counted: `PATH` and
/// `RUSTUP_HOME`, which choose the toolchain only with nothing else naming
/// it (the tree pins one in `rust-toolchain.toml`, which counts).
const ENV_EXACT: &[&str] = &["CARGO", "CARGO_INCREMENTAL", "RUSTUP_TOOLCHAIN"];
const ENV_PREFIXES: &[&str] = &["RUSTC", "CARGO_BUILD_", "CARGO_PROFILE_", "CARGO_UNSTABLE_"];

fn changes_the_build(name: &str) -> bool {
    let target = format!("CARGO_TARGET_{}_", TARGET.to_uppercase().replace('-', "_"));
    !CLEARED_ENV.contains(&name)
        && (ENV_EXACT.contains(&name)
            || ENV_PREFIXES.iter().any(|p| name.starts_with(p))
            || name.starts_with(&target))
}

/// The fingerprint of the playground's inputs in `source_root`, or `None`
/// when one cannot be read (then cargo decides).
pub fn fingerprint(source_root: &Path) -> Option<String> {
    let env = std::env::vars_os()
        .map(|(k, v)| {
            let k = k.to_string_lossy().into_owned();
            (k, v.to_string_lossy().into_owned())
        })
        .collect();
    fingerprint_with(source_root, env)
}

/// [`fingerprint`] with this environment rather than the process's.
fn fingerprint_with(source_root: &Path, mut env: Vec<(String, String)>) -> Option<String> {
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
    all.extend_from_slice(format!("{}\0{REMAP_SCHEME}\0", CARGO_ARGS.join(" ")).as_bytes());
    let var = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let cargo_home = super::cargo_home(var("CARGO_HOME").as_deref(), var("HOME").as_deref());
    env.retain(|(name, _)| changes_the_build(name));
    env.sort();
    for (name, value) in &env {
        all.extend_from_slice(format!("{name}={value}\0").as_bytes());
    }
    all.push(0);
    let mut optional: Vec<PathBuf> = OPTIONAL.iter().map(|f| source_root.join(f)).collect();
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
    fn flags_set_in_the_environment_change_the_fingerprint() {
        let dir = tree();
        let none = fingerprint_with(dir.path(), Vec::new()).unwrap();
        // Each of these changes what cargo builds for wasm32: flags for
        // this target, the wasm profile (or release, which it inherits),
        // the standard library rebuilt, nightly features, a wrapper.
        for var in [
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "CARGO_PROFILE_WASM_OPT_LEVEL",
            "CARGO_PROFILE_RELEASE_LTO",
            "CARGO_UNSTABLE_BUILD_STD",
            "RUSTC_BOOTSTRAP",
            "RUSTC_WRAPPER",
        ] {
            let set = fingerprint_with(dir.path(), vec![(var.into(), "1".into())]).unwrap();
            assert_ne!(set, none, "{var}");
        }
        // What `cargo run` and `cargo test` set for the process they start
        // changes nothing in the wasm: a build run either way hits. Nor do
        // the host's flags, which the wasm build runs without.
        let cargo_run = vec![
            ("RUSTFLAGS".into(), "-Cinstrument-coverage".into()),
            (
                "CARGO_ENCODED_RUSTFLAGS".into(),
                "-Ctarget-cpu=native".into(),
            ),
            ("CARGO_PKG_NAME".into(), "meridian".into()),
            ("CARGO_MANIFEST_DIR".into(), "/m".into()),
            ("CARGO_TARGET_TMPDIR".into(), "/m/target/tmp".into()),
            ("RUST_BACKTRACE".into(), "1".into()),
        ];
        assert_eq!(fingerprint_with(dir.path(), cargo_run).unwrap(), none);
    }

    #[test]
    fn cargo_s_home_counts_as_the_folder_it_resolves_to() {
        let dir = tree();
        let env = |vars: &[(&str, &str)]| {
            let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string()));
            fingerprint_with(dir.path(), vars.collect()).unwrap()
        };
        // rustup's proxy sets CARGO_HOME to where cargo would look anyway.
        let implicit = env(&[("HOME", "/home/u")]);
        assert_eq!(
            env(&[("HOME", "/home/u"), ("CARGO_HOME", "/home/u/.cargo")]),
            implicit
        );
        assert_eq!(env(&[("HOME", "/home/u"), ("CARGO_HOME", "")]), implicit);
        assert_ne!(
            env(&[("HOME", "/home/u"), ("CARGO_HOME", "/opt/cargo")]),
            implicit
        );
        assert_ne!(env(&[("HOME", "/home/v")]), implicit);
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
