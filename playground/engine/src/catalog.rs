//! The component catalog (`problems/catalog.yaml`) and region data
//! (`problems/regions.yaml`): data the engine reads, edited without Rust.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Known component types, keyed by type id, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub types: IndexMap<String, ComponentType>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentType {
    pub label: String,
    pub description: String,
    /// An icon drawn in a 24×24 box: SVG path data, stroked with the current colour.
    pub icon: String,
    /// The diagram layer this type is drawn in.
    pub layer: Layer,
    /// Other names the source platform uses for this type (`redirect_client` for `client`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// Diagram layers, top to bottom: the role of a component in a request's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Clients,
    Edge,
    Compute,
    CachesAndLogs,
    Data,
}

impl Layer {
    pub const ALL: [Layer; 5] = [
        Layer::Clients,
        Layer::Edge,
        Layer::Compute,
        Layer::CachesAndLogs,
        Layer::Data,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        match self {
            Layer::Clients => "Clients",
            Layer::Edge => "Edge and routing",
            Layer::Compute => "Compute",
            Layer::CachesAndLogs => "Caches and logs",
            Layer::Data => "Data",
        }
    }
}

impl Catalog {
    pub fn get(&self, type_id: &str) -> Option<&ComponentType> {
        self.types.get(type_id)
    }

    pub fn contains(&self, type_id: &str) -> bool {
        self.types.contains_key(type_id)
    }

    /// Resolves a type id or one of its aliases to the catalog's type id.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        if let Some((id, _)) = self.types.get_key_value(name) {
            return Some(id.as_str());
        }
        self.types
            .iter()
            .find(|(_, t)| t.aliases.iter().any(|a| a == name))
            .map(|(id, _)| id.as_str())
    }

    /// Type ids, comma-separated, for error messages.
    pub fn known_list(&self) -> String {
        self.types.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// The regions the course uses, in lane order (left to right in diagrams).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regions {
    pub regions: IndexMap<String, Region>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// "US East (N. Virginia)"
    pub name: String,
    /// Short label for diagram lanes: "US".
    pub short: String,
    /// True for `global`: services that span regions (GeoDNS, anycast, CDNs).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spans_regions: bool,
}

impl Regions {
    pub fn get(&self, id: &str) -> Option<&Region> {
        self.regions.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.regions.contains_key(id)
    }

    /// The lane index of a region (its position in the file), if known.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.regions.get_index_of(id)
    }

    pub fn is_global(&self, id: &str) -> bool {
        self.regions.get(id).is_some_and(|r| r.spans_regions)
    }

    pub fn known_list(&self) -> String {
        self.regions.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}
