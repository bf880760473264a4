//! wasm-bindgen's library (the CLI's `--target web`), then walrus to drop
//! every custom section, with the result cached by the input's hash.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use wasm_bindgen_cli_support::Bindgen;

use super::{Bundle, content_hash, gzip_size};

const STEM: &str = "meridian_web";

/// The cached output for the input wasm whose hash is `key`, if any.
pub fn cached(cache_root: &Path, key: &str) -> Option<Bundle> {
    read_cache(&entry(cache_root, key))
}

/// A cache entry's folder; the layout's version is in the name, so an entry
/// written by an older Meridian is never misread.
fn entry(cache_root: &Path, key: &str) -> std::path::PathBuf {
    cache_root.join(format!("v2-{key}"))
}

/// Runs bindgen unless the cache already holds the output for this input
/// (whose hash is `key`).
pub fn bindgen_cached(input: &[u8], key: &str, cache_root: &Path) -> Result<Bundle> {
    let cache = entry(cache_root, key);
    if let Some(bundle) = read_cache(&cache) {
        return Ok(bundle);
    }
    let (js, wasm) = bindgen(input)?;
    let bundle = name_by_content(js, wasm);
    write_cache(&cache, &bundle)
        .with_context(|| format!("cannot write the bundle cache {}", cache.display()))?;
    Ok(Bundle {
        fresh: true,
        ..bundle
    })
}

fn bindgen(input: &[u8]) -> Result<(String, Vec<u8>)> {
    let mut b = Bindgen::new();
    b.input_bytes(STEM, input.to_vec())
        .web(true)
        .map_err(|e| anyhow!(e))?
        // The library's default differs from the CLI's: without this, `init()`
        // has no default URL for the .wasm.
        .omit_default_module_path(false)
        .typescript(false)
        .debug(false)
        .keep_debug(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    let mut out = b.generate_output().map_err(|e| anyhow!(e))?;
    let module = out.wasm_mut();
    let customs: Vec<_> = module.customs.iter().map(|(id, _)| id).collect();
    for id in customs {
        module.customs.delete(id);
    }
    let wasm = module.emit_wasm();
    Ok((out.js().to_string(), wasm))
}

/// Hash-named files; the glue's default wasm URL is rewritten to the hashed name.
fn name_by_content(js: String, wasm: Vec<u8>) -> Bundle {
    let wasm_name = format!("{STEM}-{}.wasm", &content_hash(&wasm)[..12]);
    let js = js.replace(&format!("{STEM}_bg.wasm"), &wasm_name);
    let js_name = format!("{STEM}-{}.js", &content_hash(js.as_bytes())[..12]);
    Bundle {
        js_name,
        wasm_gzip: gzip_size(&wasm),
        js_gzip: gzip_size(js.as_bytes()),
        js: js.into_bytes(),
        wasm_name,
        wasm,
        fresh: false,
    }
}

fn read_cache(dir: &Path) -> Option<Bundle> {
    let names = std::fs::read_to_string(dir.join("names")).ok()?;
    let mut lines = names.lines();
    let (js_name, wasm_name) = (lines.next()?.to_string(), lines.next()?.to_string());
    let wasm_gzip = lines.next()?.parse().ok()?;
    let js_gzip = lines.next()?.parse().ok()?;
    Some(Bundle {
        wasm_gzip,
        js_gzip,
        js: std::fs::read(dir.join(&js_name)).ok()?,
        wasm: std::fs::read(dir.join(&wasm_name)).ok()?,
        js_name,
        wasm_name,
        fresh: false,
    })
}

/// Writes the entry into a private folder and renames it into place, so two
/// builds running at once never see each other's half-written files.
fn write_cache(dir: &Path, b: &Bundle) -> std::io::Result<()> {
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(".tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    std::fs::write(tmp.join(&b.js_name), &b.js)?;
    std::fs::write(tmp.join(&b.wasm_name), &b.wasm)?;
    std::fs::write(
        tmp.join("names"),
        format!(
            "{}\n{}\n{}\n{}\n",
            b.js_name, b.wasm_name, b.wasm_gzip, b.js_gzip
        ),
    )?;
    match std::fs::rename(&tmp, dir) {
        Ok(()) => Ok(()),
        // Another build cached the same input first: its entry is as good.
        Err(_) if dir.join("names").is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(())
        }
        Err(e) => Err(e),
    }
}
