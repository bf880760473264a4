//! Where the playground's bytes go: builds the bundle as `meridian build`
//! does, then reads the compiled module (before bindgen strips its names)
//! and prints the shipped sizes, raw and gzipped, the code by crate and by
//! engine or web module, the generic functions by the code of all their
//! instantiations, and the largest functions.
//!
//! Then the first visit of each problem page: the course built with the
//! playground, and the gzipped sizes of a page and of everything it loads
//! before the reader does anything (stylesheets, scripts, the playground's
//! module and wasm; not the search index, loaded when the search box is
//! first used).
//!
//! `cargo bench --bench wasm_size`. Not a test: it only measures. Sizes by
//! crate are of function bodies in the compiled module, which bindgen then
//! trims a little; the totals printed first are the shipped files'.

use std::collections::BTreeMap;

use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

fn main() {
    let root = meridian::bundle::source_root();
    let bundle = meridian::bundle::build(&root).expect("the playground builds");
    println!(
        "shipped: {} {:.1} KB ({:.1} KB gzipped), {} {:.1} KB ({:.1} KB gzipped)",
        bundle.wasm_name,
        kb(bundle.wasm.len()),
        kb(bundle.wasm_gzip),
        bundle.js_name,
        kb(bundle.js.len()),
        kb(bundle.js_gzip)
    );
    first_visit(&root, &bundle);
    let compiled = root.join("target/wasm/wasm32-unknown-unknown/wasm/meridian_web.wasm");
    let bytes = std::fs::read(&compiled).expect("the compiled module");
    let (bodies, data) = function_sizes(&bytes);
    let code: usize = bodies.iter().map(|b| b.1).sum();
    println!(
        "compiled module: {} functions, code {:.1} KB, data {:.1} KB",
        bodies.len(),
        kb(code),
        kb(data)
    );
    let mut by_crate: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_module: BTreeMap<String, usize> = BTreeMap::new();
    for (name, size) in &bodies {
        let path = path_of(name);
        let krate = path.first().cloned().unwrap_or_else(|| "?".into());
        *by_crate.entry(krate.clone()).or_default() += size;
        if krate.starts_with("meridian") && path.len() > 2 {
            *by_module.entry(path[..2].join("::")).or_default() += size;
        }
    }
    print_top("code by crate", &by_crate, 20);
    print_top(
        "code by module of the engine and the web crate",
        &by_module,
        20,
    );
    // Generic code is paid once per type it is used with: the same function
    // with its type arguments erased, summed over its instantiations.
    let mut generic: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (name, size) in &bodies {
        let entry = generic.entry(erase_generics(name)).or_default();
        entry.0 += 1;
        entry.1 += size;
    }
    let mut rows: Vec<_> = generic.into_iter().filter(|r| r.1.0 > 1).collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.1));
    println!("generic functions by the code of all their instantiations:");
    for (name, (count, size)) in rows.iter().take(25) {
        println!(
            "  {:>8.1} KB  {count:>4}×  {}",
            kb(*size),
            truncate(name, 100)
        );
    }
    let mut largest = bodies.clone();
    largest.sort_by_key(|b| std::cmp::Reverse(b.1));
    println!("largest functions:");
    for (name, size) in largest.iter().take(20) {
        let shown = format!("{:#}", rustc_demangle::demangle(name));
        println!("  {:>8.1} KB  {}", kb(*size), truncate(&shown, 110));
    }
    // Every function, for a closer look (`WASM_SIZE_ALL=<file>`): size in
    // bytes, a tab, the demangled name.
    if let Ok(path) = std::env::var("WASM_SIZE_ALL") {
        let all: String = largest
            .iter()
            .map(|(name, size)| format!("{size}\t{:#}\n", rustc_demangle::demangle(name)))
            .collect();
        std::fs::write(&path, all).expect("the list of functions is written");
        println!("every function: {path}");
    }
}

/// (name, body size in bytes) of every function defined in the module, and
/// the size of its data section.
fn function_sizes(bytes: &[u8]) -> (Vec<(String, usize)>, usize) {
    let mut imported = 0u32;
    let mut sizes = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut data = 0;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.expect("a valid module") {
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import.expect("an import").ty, TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => sizes.push(body.range().len()),
            Payload::DataSection(reader) => data = reader.range().len(),
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(names_reader) = reader.as_known() {
                    for entry in names_reader.into_iter().flatten() {
                        if let Name::Function(map) = entry {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let bodies = sizes
        .into_iter()
        .enumerate()
        .map(|(i, size)| {
            let index = imported + i as u32;
            let name = names
                .get(&index)
                .cloned()
                .unwrap_or_else(|| format!("#{index}"));
            (name, size)
        })
        .collect();
    (bodies, data)
}

/// The demangled path of a symbol, without generic arguments or the hash:
/// `<alloc::vec::Vec<T> as Clone>::clone` counts for `alloc`.
fn path_of(symbol: &str) -> Vec<String> {
    let demangled = format!("{:#}", rustc_demangle::demangle(symbol));
    let trimmed = demangled.trim_start_matches('<').trim_start_matches('&');
    let mut depth = 0;
    let mut end = trimmed.len();
    for (i, ch) in trimmed.char_indices() {
        match ch {
            '<' => depth += 1,
            '>' => depth -= 1,
            ' ' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    trimmed[..end]
        .split("::")
        .map(|part| part.split('<').next().unwrap_or(part).to_string())
        .collect()
}

/// The demangled symbol with its generic argument lists emptied (a `<`
/// right after a name opens one; `<impl …>` and `<T as Trait>` stay), so
/// each instantiation of a generic function reads the same.
fn erase_generics(symbol: &str) -> String {
    let demangled = format!("{:#}", rustc_demangle::demangle(symbol));
    let mut out = String::with_capacity(demangled.len());
    let mut skipping = 0;
    let mut prev = ' ';
    for ch in demangled.chars() {
        if skipping > 0 {
            match ch {
                '<' => skipping += 1,
                '>' => skipping -= 1,
                _ => {}
            }
            if skipping == 0 {
                out.push('>');
            }
        } else if ch == '<' && (prev.is_alphanumeric() || prev == '_') {
            out.push('<');
            skipping = 1;
        } else {
            out.push(ch);
        }
        prev = ch;
    }
    out
}

fn print_top(title: &str, sizes: &BTreeMap<String, usize>, n: usize) {
    let mut rows: Vec<(&String, &usize)> = sizes.iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(*r.1));
    println!("{title}:");
    for (name, size) in rows.into_iter().take(n) {
        println!("  {:>8.1} KB  {name}", kb(*size));
    }
}

/// Builds the course with `bundle` and prints what a first visit of a
/// problem page downloads, gzipped: the median and the largest page.
fn first_visit(root: &std::path::Path, bundle: &meridian::bundle::Bundle) {
    let course = meridian::load::load_course(root).expect("the course loads");
    let out = std::env::temp_dir().join(format!("meridian-first-visit-{}", std::process::id()));
    let site = out.join("site");
    meridian::build::build_site_cached(&course, &site, Some(bundle), meridian::cache::Cache::off())
        .expect("the course builds");
    let playground = meridian::site::weight::playground_gzipped(&site).expect("the playground");
    let pages = meridian::site::weight::first_visits(&site).expect("the problem pages");
    std::fs::remove_dir_all(&out).ok();
    let (median, largest) = (&pages[pages.len() / 2], &pages[pages.len() - 1]);
    println!(
        "first visit of a problem page (gzipped, of which the playground {:.1} KB): median {:.1} KB, largest {:.1} KB ({})",
        kb(playground),
        kb(median.gzipped),
        kb(largest.gzipped),
        largest.page
    );
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}
