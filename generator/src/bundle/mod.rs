//! The playground bundle: the web crate compiled to WebAssembly, its
//! JavaScript glue from wasm-bindgen, custom sections stripped, files named by
//! content hash so pages can be cached for ever.
//!
//! Steps: if the playground's inputs are unchanged since a build that is
//! still cached ([`fingerprint`]), that build's files, with no process run;
//! otherwise check the wasm32 target ([`toolchain`]), `cargo build` the web
//! crate ([`compile`]), then bindgen + strip, cached by the input wasm's
//! hash ([`bindgen`]) so a rebuild that changes nothing in the wasm skips it.

mod bindgen;
mod compile;
mod fingerprint;
mod hash;
mod remap;
mod toolchain;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use compile::RustErrors;
pub use hash::content_hash;

/// The web crate's package name.
pub const WEB_CRATE: &str = "meridian-web";

/// What the site ships: two files and their sizes.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// `meridian_web-<hash>.js`, the ES module to import.
    pub js_name: String,
    pub js: Vec<u8>,
    /// `meridian_web-<hash>.wasm`.
    pub wasm_name: String,
    pub wasm: Vec<u8>,
    /// Their sizes as `gzip -9` would send them: what a reader downloads.
    /// Computed once with the files and cached with them (compressing the
    /// wasm at level 9 costs more than the rest of a warm build's bundle step).
    pub wasm_gzip: usize,
    pub js_gzip: usize,
    /// Whether bindgen ran (false: served from the cache).
    pub fresh: bool,
}

/// Size as `gzip -9` would send it: deflate at level 9 plus gzip's 18-byte
/// header and trailer.
pub fn gzip_size(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len() + 18
}

/// Cargo's home as cargo finds it from these variables: `CARGO_HOME`
/// unless empty, else `.cargo` in `HOME`.
fn cargo_home(cargo_home: Option<&str>, home: Option<&str>) -> Option<PathBuf> {
    match cargo_home {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => home.map(|h| PathBuf::from(h).join(".cargo")),
    }
}

/// Names another copy of Meridian's source tree to build the playground
/// from (and, for `serve`, to read the built-in theme from).
pub const SOURCE_DIR_VAR: &str = "MERIDIAN_SOURCE_DIR";

/// Meridian's own source tree, the workspace holding the web crate: where
/// this binary was compiled from, unless [`SOURCE_DIR_VAR`] says otherwise.
pub fn source_root() -> PathBuf {
    match std::env::var_os(SOURCE_DIR_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    }
}

/// Compiles the playground and returns the files to ship.
pub fn build(source_root: &Path) -> Result<Bundle> {
    let target_dir = source_root.join("target").join("wasm");
    let cache_root = target_dir.join("bundle-cache");
    let before = fingerprint::fingerprint(source_root);
    if let Some(bundle) = before
        .as_deref()
        .and_then(|f| fingerprint::recorded(&cache_root, f))
        .and_then(|key| bindgen::cached(&cache_root, &key))
    {
        return Ok(bundle);
    }
    toolchain::require_wasm_target(source_root)?;
    let wasm_path = compile::build_web_crate(source_root, &target_dir)
        .context("cannot compile the playground to WebAssembly")?;
    let input = std::fs::read(&wasm_path)
        .with_context(|| format!("cannot read {}", wasm_path.display()))?;
    let key = content_hash(&input);
    let bundle = bindgen::bindgen_cached(&input, &key, &cache_root)
        .context("cannot generate the playground's JavaScript glue (wasm-bindgen)")?;
    // Recorded only when no input changed while cargo ran: the wasm is then
    // known to be these inputs' build.
    if let Some(f) = before
        && fingerprint::fingerprint(source_root).as_deref() == Some(f.as_str())
    {
        // A cache that cannot be written only costs the next build a cargo run.
        let _ = fingerprint::record(&cache_root, &f, &key);
    }
    Ok(bundle)
}
