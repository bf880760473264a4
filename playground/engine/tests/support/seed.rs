//! Parses the 35 reference topologies out of the seed markdown, inferring each
//! component's region from its name (the seed has no region field).

use std::collections::BTreeSet;

use meridian_engine::{Component, Connection, Topology};

pub struct SeedProblem {
    pub number: u32,
    pub title: String,
    pub topology: Topology,
}

pub fn seed_path() -> String {
    format!(
        "{}/../../../shared/seed/multiregion.md",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Panics (failing the test) when the seed is missing: never skip silently.
pub fn load() -> Vec<SeedProblem> {
    let path = seed_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("seed {path}: {e}"));
    parse(&text)
}

#[derive(PartialEq)]
enum Section {
    None,
    Components,
    Connections,
}

pub fn parse(text: &str) -> Vec<SeedProblem> {
    let mut out: Vec<SeedProblem> = Vec::new();
    let mut section = Section::None;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(h) = line.strip_prefix("## ") {
            if let Some((num, title)) = h.split_once(". ")
                && let Ok(n) = num.trim().parse::<u32>()
            {
                out.push(SeedProblem {
                    number: n,
                    title: title.trim().to_string(),
                    topology: Topology::default(),
                });
            }
            section = Section::None;
            continue;
        }
        match line {
            "**Components:**" => section = Section::Components,
            "**Connections:**" => section = Section::Connections,
            _ if line.starts_with('#') || line.starts_with("**") || line.starts_with("---") => {
                section = Section::None
            }
            _ => {}
        }
        let Some(item) = line.strip_prefix("- ") else {
            continue;
        };
        let Some(p) = out.last_mut() else { continue };
        match section {
            Section::Components => {
                let (name, ty) = item
                    .rsplit_once(" (")
                    .map(|(n, t)| (n.trim(), t.trim_end_matches(')').trim()))
                    .unwrap_or_else(|| panic!("bad component line: {line}"));
                let ty = if ty == "redirect_client" {
                    "client"
                } else {
                    ty
                };
                p.topology.components.push(Component {
                    name: name.to_string(),
                    component_type: ty.to_string(),
                    region: String::new(),
                    replicas: 1,
                    hit_ratio: None,
                });
            }
            Section::Connections => {
                let (a, b) = item
                    .split_once('→')
                    .unwrap_or_else(|| panic!("bad connection line: {line}"));
                p.topology.connections.push(Connection {
                    from: a.trim().to_string(),
                    to: b.trim().to_string(),
                    sync: false,
                });
            }
            Section::None => {}
        }
    }
    for p in &mut out {
        infer_regions(&mut p.topology);
    }
    out
}

/// The region a name states, if any.
pub fn hint(name: &str) -> Option<&'static str> {
    let starts = |p: &str| {
        name == p
            || name.starts_with(&format!("{p} "))
            || name.starts_with(&format!("{p}-"))
            || name.starts_with(&format!("{p}/"))
    };
    if starts("Region A") {
        return Some("us");
    }
    if starts("Region B") {
        return Some("eu");
    }
    if starts("US") || name.ends_with("-US") {
        return Some("us");
    }
    if starts("EU") || name.ends_with("-EU") {
        return Some("eu");
    }
    if starts("AP") || starts("APAC") || name.ends_with("-AP") {
        return Some("ap");
    }
    if ["GeoDNS", "Global", "Anycast", "CDN", "Edge"]
        .iter()
        .any(|w| name.split([' ', '-']).any(|t| t == *w))
    {
        return Some("global");
    }
    None
}

/// Named regions first; then a name without a hint takes its neighbours'
/// region when they agree, `global` when they span several, else `us`.
fn infer_regions(t: &mut Topology) {
    let names: Vec<String> = t.components.iter().map(|c| c.name.clone()).collect();
    let mut region: Vec<Option<String>> =
        names.iter().map(|n| hint(n).map(str::to_string)).collect();
    loop {
        let mut changed = false;
        let snapshot = region.clone();
        for (i, name) in names.iter().enumerate() {
            if snapshot[i].is_some() {
                continue;
            }
            let seen: BTreeSet<&str> = t
                .connections
                .iter()
                .filter_map(|c| {
                    if &c.from == name {
                        Some(&c.to)
                    } else if &c.to == name {
                        Some(&c.from)
                    } else {
                        None
                    }
                })
                .filter_map(|n| names.iter().position(|m| m == n))
                .filter_map(|k| snapshot[k].as_deref())
                .collect();
            match seen.len() {
                0 => {}
                1 => region[i] = seen.iter().next().map(|s| s.to_string()),
                _ => region[i] = Some("global".to_string()),
            }
            changed |= region[i].is_some();
        }
        if !changed {
            break;
        }
    }
    for (c, r) in t.components.iter_mut().zip(region) {
        c.region = r.unwrap_or_else(|| "us".to_string());
    }
}
