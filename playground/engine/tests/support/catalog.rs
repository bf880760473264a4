//! The real catalog and regions from `problems/`, so engine tests run on the
//! data the course ships (the engine itself has no YAML parser; tests may).

use meridian_engine::{Catalog, Regions};

fn read<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/../../problems/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn catalog() -> Catalog {
    read("catalog.yaml")
}

pub fn regions() -> Regions {
    read("regions.yaml")
}

pub fn type_ids() -> Vec<&'static str> {
    let c = catalog();
    c.types
        .keys()
        .map(|k| &*Box::leak(k.clone().into_boxed_str()))
        .collect()
}
