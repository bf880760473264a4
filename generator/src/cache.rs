//! Work a build can take from the last one: results that are a pure
//! function of inputs the build can hash (a problem page's evaluation,
//! diagram and highlighted reference depend on the problem, the catalog
//! and the regions only), so a warm build of an unchanged course does not
//! evaluate every design again.
//!
//! Invariants:
//! * A key hashes every input of the result and the running executable
//!   (its path, size and modification time: a rebuilt generator or engine
//!   misses), so a hit is what computing would give. The build's tests
//!   compare a warm build with a cold one byte for byte.
//! * The cache only ever saves time: an entry that cannot be read, parsed
//!   or written is computed as if absent, and nothing here fails a build.
//! * Entries are written to a temporary name and renamed, so a reader sees
//!   a whole entry or none, whatever runs concurrently.
//! * A full build removes the entries it did not use ([`Cache::sweep`]), so
//!   the folder holds one build's worth, however long `serve` runs.
//!
//! It lives in `<book>/target/meridian-cache/` (cargo's `target/` in
//! Meridian's own tree, already ignored by git and emptied by `cargo clean`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::bundle::content_hash;

/// The cache folder, relative to the book root.
pub const CACHE_DIR: &str = "target/meridian-cache";

pub struct Cache {
    /// None: caching is off (nothing is read or written).
    dir: Option<PathBuf>,
    /// Entry names used since the cache was opened or last swept.
    used: Mutex<HashSet<String>>,
    /// Results read back rather than computed, since it was opened.
    hits: AtomicUsize,
}

impl Cache {
    /// The cache of the book at `root`.
    pub fn open(root: &Path) -> Cache {
        Cache {
            dir: Some(root.join(CACHE_DIR)),
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
        }
    }

    /// A cache that never hits and stores nothing.
    pub fn off() -> Cache {
        Cache {
            dir: None,
            used: Mutex::new(HashSet::new()),
            hits: AtomicUsize::new(0),
        }
    }

    /// The key of a result of `kind` from `inputs` (each hashed with its
    /// length, so no two lists of inputs run together).
    pub fn key(kind: &str, inputs: &[&[u8]]) -> String {
        let mut all = Vec::new();
        for part in std::iter::once(kind.as_bytes())
            .chain(std::iter::once(executable_identity().as_bytes()))
            .chain(inputs.iter().copied())
        {
            all.extend_from_slice(&(part.len() as u64).to_le_bytes());
            all.extend_from_slice(part);
        }
        format!("{kind}-{}", content_hash(&all))
    }

    /// The stored result under `key`, or `compute`'s: stored when it is
    /// `Ok` (an error is computed, and reported, again next time).
    pub fn get_or_try<T: Serialize + DeserializeOwned, E>(
        &self,
        key: &str,
        compute: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let Some(dir) = &self.dir else {
            return compute();
        };
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string());
        let path = dir.join(format!("{key}.json"));
        if let Some(value) = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(value);
        }
        let value = compute()?;
        if let Ok(bytes) = serde_json::to_vec(&value) {
            let _ = write_atomically(dir, &path, &bytes);
        }
        Ok(value)
    }

    /// How many results were read back rather than computed.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Removes every entry not used since the cache was opened or last
    /// swept; returns how many.
    pub fn sweep(&self) -> usize {
        let Some(dir) = &self.dir else {
            return 0;
        };
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut removed = 0;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let key = name.strip_suffix(".json").unwrap_or(&name);
                if !used.contains(key) && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        used.clear();
        removed
    }
}

/// Writes `bytes` to a unique temporary file in `dir`, then renames it to
/// `path`.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.{:?}",
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The running executable's path, size and modification time (with the
/// crate's version), read once: any rebuild of the generator changes it.
fn executable_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let exe = std::env::current_exe().ok();
        let meta = exe.as_ref().and_then(|e| std::fs::metadata(e).ok());
        let modified = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!(
            "{} {:?} {} {modified}",
            env!("CARGO_PKG_VERSION"),
            exe,
            meta.map_or(0, |m| m.len()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Cache {
        /// [`Cache::get_or_try`] for a computation that cannot fail.
        fn get_or_compute<T: Serialize + DeserializeOwned>(
            &self,
            key: &str,
            compute: impl FnOnce() -> T,
        ) -> T {
            match self.get_or_try(key, || Ok::<T, std::convert::Infallible>(compute())) {
                Ok(value) => value,
            }
        }
    }

    #[test]
    fn a_stored_result_is_read_back_and_a_new_key_computes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        let key = Cache::key("test", &[b"a", b"bc"]);
        assert_eq!(cache.get_or_compute(&key, || 7u32), 7);
        // A hit never calls compute.
        assert_eq!(
            cache.get_or_compute(&key, || -> u32 { panic!("computed") }),
            7
        );
        // The inputs' boundaries are part of the key.
        assert_ne!(key, Cache::key("test", &[b"ab", b"c"]));
        assert_ne!(key, Cache::key("other", &[b"a", b"bc"]));
    }

    #[test]
    fn errors_are_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        let key = Cache::key("test", &[b"e"]);
        assert_eq!(
            cache.get_or_try(&key, || Err::<u8, &str>("bad")),
            Err("bad")
        );
        assert_eq!(cache.get_or_try(&key, || Ok::<u8, &str>(4)), Ok(4));
        assert_eq!(cache.get_or_try(&key, || Err::<u8, &str>("bad")), Ok(4));
    }

    #[test]
    fn a_damaged_entry_is_computed_again() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        let key = Cache::key("test", &[b"x"]);
        std::fs::create_dir_all(dir.path().join(CACHE_DIR)).unwrap();
        std::fs::write(
            dir.path().join(CACHE_DIR).join(format!("{key}.json")),
            "{not json",
        )
        .unwrap();
        assert_eq!(cache.get_or_compute(&key, || 3u8), 3);
        assert_eq!(
            cache.get_or_compute(&key, || -> u8 { panic!("computed") }),
            3
        );
    }

    #[test]
    fn sweep_keeps_only_what_was_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path());
        let (a, b) = (Cache::key("t", &[b"a"]), Cache::key("t", &[b"b"]));
        cache.get_or_compute(&a, || 1u8);
        cache.get_or_compute(&b, || 2u8);
        assert_eq!(cache.sweep(), 0);
        // The next "build" uses only `a`.
        cache.get_or_compute(&a, || 1u8);
        assert_eq!(cache.sweep(), 1);
        let names: Vec<_> = std::fs::read_dir(dir.path().join(CACHE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec![format!("{a}.json")]);
    }

    #[test]
    fn an_unwritable_cache_still_computes() {
        let dir = tempfile::tempdir().unwrap();
        // The cache folder's place is taken by a file.
        std::fs::create_dir_all(dir.path().join("target")).unwrap();
        std::fs::write(dir.path().join(CACHE_DIR), "").unwrap();
        let cache = Cache::open(dir.path());
        let key = Cache::key("t", &[b"a"]);
        assert_eq!(cache.get_or_compute(&key, || 5u8), 5);
        assert_eq!(cache.get_or_compute(&key, || 6u8), 6);
    }
}
