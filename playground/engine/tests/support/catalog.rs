//! The catalog and regions, mirrored by hand from `problems/catalog.yaml` and
//! `problems/regions.yaml` (the engine has no YAML parser).

use indexmap::IndexMap;
use meridian_engine::{Catalog, ComponentType, Layer, Region, Regions};

const TYPES: &[(&str, &str, Layer, &str)] = &[
    (
        "client",
        "Client",
        Layer::Clients,
        "M3 4h18v12H3z M8 20h8 M12 16v4",
    ),
    (
        "cdn",
        "CDN / edge",
        Layer::Edge,
        "M12 3a9 9 0 1 0 0.01 0z M3 12h18 M12 3c3.5 3.5 3.5 14.5 0 18 M12 3c-3.5 3.5-3.5 14.5 0 18",
    ),
    (
        "lb",
        "Load balancer",
        Layer::Edge,
        "M3 12h5 M8 12l5-6h7 M8 12l5 6h7 M8 12h12 M17 3l3 3-3 3 M17 15l3 3-3 3",
    ),
    (
        "app",
        "App server",
        Layer::Compute,
        "M4 4h16v6H4z M4 14h16v6H4z M7.5 7h2 M7.5 17h2",
    ),
    (
        "worker",
        "Worker",
        Layer::Compute,
        "M12 8a4 4 0 1 0 0.01 0z M12 2v3 M12 19v3 M2 12h3 M19 12h3 M4.9 4.9l2.1 2.1 M17 17l2.1 2.1 M4.9 19.1l2.1-2.1 M17 7l2.1-2.1",
    ),
    (
        "cache",
        "Cache",
        Layer::CachesAndLogs,
        "M13 2L4 14h7l-1 8 9-12h-7z",
    ),
    (
        "stream",
        "Stream",
        Layer::CachesAndLogs,
        "M3 6h15 M3 12h18 M3 18h15 M15 3l3 3-3 3 M15 15l3 3-3 3",
    ),
    (
        "queue",
        "Queue",
        Layer::CachesAndLogs,
        "M2 8h5v8H2z M9.5 8h5v8h-5z M17 8h5v8h-5z",
    ),
    (
        "db_primary",
        "Database primary",
        Layer::Data,
        "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6 M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
    ),
    (
        "db_replica",
        "Database replica",
        Layer::Data,
        "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6 M9 14l3 3 3-3",
    ),
    (
        "object_store",
        "Object store",
        Layer::Data,
        "M3 6h18l-2 14H5z M3 6c0-1.1 4-2 9-2s9 .9 9 2 M9 11h6",
    ),
    (
        "search",
        "Search index",
        Layer::Data,
        "M10 4a6 6 0 1 0 0.01 0z M14.5 14.5L20 20",
    ),
];

pub fn catalog() -> Catalog {
    let mut types = IndexMap::new();
    for &(id, label, layer, icon) in TYPES {
        let aliases = if id == "client" {
            vec!["redirect_client".to_string()]
        } else {
            Vec::new()
        };
        types.insert(
            id.to_string(),
            ComponentType {
                label: label.to_string(),
                description: format!("{label}."),
                icon: icon.to_string(),
                layer,
                aliases,
            },
        );
    }
    Catalog { types }
}

pub fn type_ids() -> Vec<&'static str> {
    TYPES.iter().map(|t| t.0).collect()
}

pub fn regions() -> Regions {
    let mut regions = IndexMap::new();
    for (id, name, short, spans) in [
        ("us", "US East (N. Virginia)", "US", false),
        ("eu", "EU West (Ireland)", "EU", false),
        ("ap", "Asia Pacific (Tokyo)", "AP", false),
        ("global", "Global (spans regions)", "Global", true),
    ] {
        regions.insert(
            id.to_string(),
            Region {
                name: name.to_string(),
                short: short.to_string(),
                spans_regions: spans,
            },
        );
    }
    Regions { regions }
}
