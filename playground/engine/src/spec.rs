//! Problem specs: the typed form of `problems/<category>/NN-<id>.yaml`.
//!
//! Every struct denies unknown fields so that a typo in an author's YAML is an
//! error with a location instead of silently dropped data.

use crate::vec_map::VecMap;
use serde::{Deserialize, Serialize};

/// One course problem, as authored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub category: String,
    pub difficulty: Difficulty,
    pub summary: String,
    pub goal: String,
    /// Markdown.
    pub description: String,
    pub functional_requirements: Vec<String>,
    pub non_functional_requirements: NonFunctional,
    /// Named scalars quoted from the source, in source order.
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub constants: VecMap<String, Constant>,
    /// Catalog type ids a reader may use for this problem.
    pub available_components: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    pub tiers: Vec<Tier>,
    /// The traffic the design must carry (derived from the source's constants
    /// and non-functional text by the importer, then reviewed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    /// The non-functional requirements as numbers the simulator checks.
    #[serde(default, skip_serializing_if = "Targets::is_empty")]
    pub targets: Targets,
    pub reference: Reference,
    /// The source platform's own analysis, kept verbatim and shown as a quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
}

/// Course order: easy first, advanced last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Foundation,
    Intermediate,
    Advanced,
}

impl Difficulty {
    pub const ALL: [Difficulty; 4] = [
        Difficulty::Easy,
        Difficulty::Foundation,
        Difficulty::Intermediate,
        Difficulty::Advanced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Foundation => "foundation",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Advanced => "advanced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "Easy",
            Difficulty::Foundation => "Foundation",
            Difficulty::Intermediate => "Intermediate",
            Difficulty::Advanced => "Advanced",
        }
    }

    /// Parses the label used by the source platform ("Easy", "Foundation", …).
    pub fn from_label(s: &str) -> Option<Difficulty> {
        Difficulty::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// The source's non-functional requirements, kept as text. Later engine work
/// derives numeric targets from them; the text stays what readers see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonFunctional {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durability: Option<String>,
    /// Any other labelled requirement the source states, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<LabelledText>,
}

impl NonFunctional {
    /// The requirement rows as (label, text), known ones first in a fixed order.
    pub fn rows(&self) -> Vec<(&str, &str)> {
        let mut rows = Vec::new();
        for (label, value) in [
            ("Latency", &self.latency),
            ("Request rate", &self.request_rate),
            ("Dataset size", &self.dataset_size),
            ("Availability", &self.availability),
            ("Consistency", &self.consistency),
            ("Durability", &self.durability),
        ] {
            if let Some(v) = value {
                rows.push((label, v.as_str()));
            }
        }
        for o in &self.other {
            rows.push((o.label.as_str(), o.text.as_str()));
        }
        rows
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledText {
    pub label: String,
    pub text: String,
}

/// A typed scalar constant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Constant {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

// By hand rather than `untagged`, so a list or map gets a message that says
// what a constant may be instead of "did not match any variant".
impl<'de> Deserialize<'de> for Constant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Constant;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar constant: a boolean, an integer, a number or text")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Constant, E> {
                Ok(Constant::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Constant, E> {
                Ok(Constant::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Constant, E> {
                i64::try_from(v)
                    .map(Constant::Int)
                    .map_err(|_| E::custom("integer constant too large"))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Constant, E> {
                Ok(Constant::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Constant, E> {
                Ok(Constant::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Constant {
    /// Parses a constant as the source writes it: `true`, `10000`, `0.95`, else text.
    pub fn parse(s: &str) -> Constant {
        let t = s.trim();
        match t {
            "true" => return Constant::Bool(true),
            "false" => return Constant::Bool(false),
            _ => {}
        }
        if let Ok(i) = t.parse::<i64>() {
            return Constant::Int(i);
        }
        if t.contains(['.', 'e', 'E'])
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
            && let Ok(f) = t.parse::<f64>()
            && f.is_finite()
        {
            return Constant::Float(f);
        }
        Constant::Text(t.to_string())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Constant::Bool(_) => "boolean",
            Constant::Int(_) => "integer",
            Constant::Float(_) => "number",
            Constant::Text(_) => "text",
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Constant::Int(i) => Some(*i as f64),
            Constant::Float(f) => Some(*f),
            _ => None,
        }
    }
}

impl std::fmt::Display for Constant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Constant::Bool(b) => write!(f, "{b}"),
            Constant::Int(i) => write!(f, "{i}"),
            Constant::Float(x) => f.write_str(&crate::decimal::shortest(*x)),
            Constant::Text(s) => f.write_str(s),
        }
    }
}

/// The traffic a design must carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Requests per second at normal load, summed over all clients.
    pub rps: f64,
    /// Fraction of requests that write, 0 to 1.
    pub write_fraction: f64,
    /// The peak is `rps × spike_multiplier` (the source's "10x traffic spikes").
    #[serde(default = "ten")]
    pub spike_multiplier: f64,
    /// Share of traffic that starts in each region (summing to 1). Empty: the
    /// regions of the design's clients, evenly.
    #[serde(default, skip_serializing_if = "VecMap::is_empty")]
    pub client_regions: VecMap<String, f64>,
    /// How these figures follow from the source text, for readers.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub basis: String,
}

pub(crate) fn ten() -> f64 {
    10.0
}

/// Targets from the non-functional requirements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latency: Vec<LatencyTarget>,
    /// Requests per second the design must sustain at normal load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput_rps: Option<f64>,
    /// Fraction of time (or requests) served, e.g. 0.9995.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<f64>,
    /// Upper bound on replication lag or convergence time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_lag_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_budget_usd: Option<f64>,
    /// Targets the text states that the model cannot check, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<String>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self == &Targets::default()
    }
}

/// "P95 < 100 ms same-region".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyTarget {
    pub percentile: Percentile,
    #[serde(default)]
    pub scope: LatencyScope,
    pub max_ms: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Percentile {
    P50,
    P95,
    P99,
}

impl Percentile {
    pub fn fraction(self) -> f64 {
        match self {
            Percentile::P50 => 0.50,
            Percentile::P95 => 0.95,
            Percentile::P99 => 0.99,
        }
    }
}

/// Which requests a latency target is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LatencyScope {
    /// Every request.
    #[default]
    Overall,
    /// Requests served without leaving the client's region.
    SameRegion,
    /// Requests whose path crosses regions.
    CrossRegion,
}

/// A checkpoint: passed when every rule passes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// `T0`, `T1`, …
    pub id: String,
    pub title: String,
    pub rules: Vec<Rule>,
}

/// A tier rule. Counting is by instances: a component with `replicas: 3` counts 3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// `Minimum N of type: T`
    MinCount {
        #[serde(rename = "type")]
        component_type: String,
        count: u32,
    },
    /// `Must include: T`
    MustInclude {
        #[serde(rename = "type")]
        component_type: String,
    },
    /// A rule in a form Meridian does not know: shown, never checked.
    Unchecked { text: String },
}

impl Rule {
    /// The source platform's wording of the rule.
    pub fn source_text(&self) -> String {
        match self {
            Rule::MinCount {
                component_type,
                count,
            } => {
                format!("Minimum {count} of type: {component_type}")
            }
            Rule::MustInclude { component_type } => format!("Must include: {component_type}"),
            Rule::Unchecked { text } => text.clone(),
        }
    }

    pub fn component_type(&self) -> Option<&str> {
        match self {
            Rule::MinCount { component_type, .. } | Rule::MustInclude { component_type } => {
                Some(component_type)
            }
            Rule::Unchecked { .. } => None,
        }
    }
}

/// The reference solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Markdown.
    pub explanation: String,
    pub components: Vec<Component>,
    #[serde(default)]
    pub connections: Vec<Connection>,
    /// Every change made to the source's reference solution, and why
    /// ("T0 asks for 15 app instances; the seed lists two app tiers, so each runs 8 here").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Reference {
    pub fn topology(&self) -> Topology {
        Topology {
            components: self.components.clone(),
            connections: self.connections.clone(),
        }
    }
}

/// Components and connections: a reference solution or a reader's design.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topology {
    pub components: Vec<Component>,
    #[serde(default)]
    pub connections: Vec<Connection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Unique within a topology; connections refer to it.
    pub name: String,
    #[serde(rename = "type")]
    pub component_type: String,
    /// A region id from `problems/regions.yaml` (`global` for services spanning regions).
    pub region: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub replicas: u32,
    /// For caches and CDNs: the fraction of reads this component answers
    /// itself, overriding the catalog and the problem's `cache_hit_target`;
    /// 0 for a CDN-type component that only routes (GeoDNS, anycast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
    /// Autoscaling: `replicas` is the minimum, and capacity grows towards
    /// `max` when load passes the type's target utilisation, each step
    /// arriving after the type's `scale_out_s` (see the simulator chapter).
    /// Only for types whose catalog entry has scale-out figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale: Option<Autoscale>,
    /// This component's own service figures where they differ from its
    /// type's (a lighter or heavier kind of the same type: a sub-millisecond
    /// rate-limit check is still an app), with their source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceOverride>,
}

/// Service figures of one component that replace its type's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOverride {
    /// Requests one instance serves in parallel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// Mean service time of one request, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_ms: Option<f64>,
    /// Where the figures come from: required in the course's problem files
    /// (every figure a reader sees has a source); a reader's own design in
    /// the playground may leave it empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A component's autoscaling range above its `replicas`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Autoscale {
    /// The most instances the group may scale out to.
    pub max: u32,
}

pub(crate) fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// A directed connection `from → to`, by component name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub from: String,
    pub to: String,
    /// Replication between data stores is asynchronous unless this is set:
    /// synchronous replication loses nothing when the primary is lost, but
    /// each write waits for the round trip.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sync: bool,
    /// The fraction of `from`'s traffic this connection carries, in (0, 1]:
    /// of the requests a client or router sends on (the rest split over
    /// its other connections), or of the copies an asynchronous connection
    /// passes on (sampling, only uploads transcoded). Unset: all of it
    /// (see the simulator chapter, "Traffic that is not every request").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// A fixed rate, requests per second, whatever the traffic: background
    /// work `from` does on its own (clock sync, health pings, a control
    /// plane, batch jobs). Load only, like an asynchronous connection; it
    /// stops while `from` is down or cut off. Not with `share`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

/// The source platform's solution analysis, verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overview: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trade_offs: Vec<TradeOff>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostAnalysis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// "Normal Operation", "Peak Load", "Failure Scenarios", …
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<LabelledText>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeOff {
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pros: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cons: Vec<String>,
    /// Further labelled lines ("Best for", "Cost", …) in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<LabelledText>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostAnalysis {
    /// "Monthly Total", "Yearly Total", "Cost per Request", …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub totals: Vec<LabelledText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<LabelledText>,
}
