//! Region inference for imported reference components.
//!
//! The seed has no model of regions; names carry them ("US App", "EU DB",
//! "Region B LB", "GeoDNS"). What the names don't say is inferred from
//! neighbours, and authors review the result by hand.

use std::collections::BTreeSet;

use meridian_engine::spec::{Component, Connection};

/// The region a component's name implies, if any.
pub fn region_from_name(name: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    let tokens: Vec<&str> = upper
        .split([' ', '-', '/', '_'])
        .filter(|t| !t.is_empty())
        .collect();
    let has = |t: &str| tokens.contains(&t);

    // "Region A/B/C": distinct regions in lane order.
    if let Some(i) = tokens.iter().position(|t| *t == "REGION")
        && let Some(next) = tokens.get(i + 1)
    {
        match *next {
            "A" | "1" => return Some("us"),
            "B" | "2" => return Some("eu"),
            "C" | "3" => return Some("ap"),
            _ => {}
        }
    }
    let us = has("US") || has("USA") || has("AMERICAS") || has("NA");
    let eu = has("EU") || has("EUROPE") || has("EMEA");
    let ap = has("AP") || has("APAC") || has("ASIA");
    match (us, eu, ap) {
        (true, false, false) => return Some("us"),
        (false, true, false) => return Some("eu"),
        (false, false, true) => return Some("ap"),
        (false, false, false) => {}
        // A name naming several regions ("EU/AP Time Servers") spans them.
        _ => return Some("global"),
    }
    let global_words = [
        "GLOBAL",
        "GEODNS",
        "ANYCAST",
        "CDN",
        "EDGE",
        "GEOIP",
        "FEDERATION",
    ];
    if global_words.iter().any(|w| has(w)) {
        return Some("global");
    }
    None
}

/// Assigns a region to every component: by name, then by neighbours until
/// nothing changes, then `fallback` (the course's first region).
pub fn infer_regions(
    names: &[&str],
    connections: &[Connection],
    fallback: &'static str,
) -> Vec<&'static str> {
    let mut regions: Vec<Option<&'static str>> =
        names.iter().map(|n| region_from_name(n)).collect();
    let index = |n: &str| names.iter().position(|m| *m == n);
    // Neighbours in regions decide first; a component whose neighbours are all
    // global (users in front of a GeoDNS, say) is global itself, but only once
    // no regional neighbour can decide.
    let mut allow_global = false;
    loop {
        let mut changed = false;
        for i in 0..names.len() {
            if regions[i].is_some() {
                continue;
            }
            let all: BTreeSet<&str> = connections
                .iter()
                .filter_map(|c| {
                    if c.from == names[i] {
                        index(&c.to)
                    } else if c.to == names[i] {
                        index(&c.from)
                    } else {
                        None
                    }
                })
                .filter_map(|j| regions[j])
                .collect();
            let neighbours: BTreeSet<&str> =
                all.iter().copied().filter(|r| *r != "global").collect();
            match neighbours.len() {
                0 if allow_global && !all.is_empty() => {
                    regions[i] = Some("global");
                    changed = true;
                }
                0 => {}
                1 => {
                    regions[i] = neighbours.into_iter().next();
                    changed = true;
                }
                _ => {
                    regions[i] = Some("global");
                    changed = true;
                }
            }
        }
        if !changed {
            if allow_global {
                break;
            }
            allow_global = true;
        }
    }
    regions.into_iter().map(|r| r.unwrap_or(fallback)).collect()
}

/// Applies [`infer_regions`] to components in place.
pub fn assign_regions(
    components: &mut [Component],
    connections: &[Connection],
    fallback: &'static str,
) {
    let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
    let inferred = infer_regions(&names, connections, fallback);
    for (c, r) in components.iter_mut().zip(inferred) {
        c.region = r.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_regions() {
        assert_eq!(region_from_name("US App"), Some("us"));
        assert_eq!(region_from_name("EU DB"), Some("eu"));
        assert_eq!(region_from_name("AP-South"), Some("ap"));
        assert_eq!(region_from_name("APAC Cache"), Some("ap"));
        assert_eq!(region_from_name("US-East"), Some("us"));
        assert_eq!(region_from_name("Region A LB"), Some("us"));
        assert_eq!(region_from_name("Region B Users"), Some("eu"));
        assert_eq!(region_from_name("GeoDNS"), Some("global"));
        assert_eq!(region_from_name("Global Kafka"), Some("global"));
        assert_eq!(region_from_name("Anycast IP"), Some("global"));
        assert_eq!(region_from_name("EU/AP Time Servers"), Some("global"));
        assert_eq!(region_from_name("Consensus-AP"), Some("ap"));
        assert_eq!(region_from_name("Primary DB"), None);
        // "Users" and "Cluster" contain no region token even though "US" is a prefix.
        assert_eq!(region_from_name("Users"), None);
    }

    #[test]
    fn neighbours_fill_gaps() {
        let c = |a: &str, b: &str| Connection {
            from: a.into(),
            to: b.into(),
            sync: false,
            share: None,
            rate: None,
        };
        let names = ["Users", "LB", "US App", "EU App", "Primary DB", "Cache"];
        let conns = [
            c("Users", "LB"),
            c("LB", "US App"),
            c("LB", "EU App"),
            c("US App", "Primary DB"),
            c("Primary DB", "Cache"),
        ];
        let r = infer_regions(&names, &conns, "us");
        assert_eq!(r, vec!["global", "global", "us", "eu", "us", "us"]);
    }
}
