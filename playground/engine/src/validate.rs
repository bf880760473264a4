//! Semantic checks on top of the strict schema: the things serde cannot see.
//!
//! Each diagnostic carries a [`Path`] into the spec document (for example
//! `reference.connections[2].to`); the loader turns paths into file, line and
//! column. The engine itself never sees files.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::catalog::{Catalog, Regions};
use crate::decimal::shortest;
use crate::spec::{Problem, Rule, Topology};
use crate::vec_map::VecMap;

/// One step into a YAML/JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A location inside a spec document, as a sequence of keys and indices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Path {
        Path(Vec::new())
    }

    pub fn key(&self, k: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A semantic error in a spec, located by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: Path,
    pub message: String,
}

impl Diagnostic {
    fn new(path: Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks one problem against the catalog and region data.
pub fn validate_problem(p: &Problem, catalog: &Catalog, regions: &Regions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let root = Path::root();

    if !is_slug(&p.id) {
        out.push(Diagnostic::new(
            root.key("id"),
            format!(
                "expected an id of lowercase letters, digits and dashes, found `{}`",
                p.id
            ),
        ));
    }
    if p.number == 0 {
        out.push(Diagnostic::new(
            root.key("number"),
            "expected a problem number of 1 or more",
        ));
    }
    if p.title.trim().is_empty() {
        out.push(Diagnostic::new(
            root.key("title"),
            "expected a non-empty title",
        ));
    }

    let mut seen = HashSet::new();
    for (i, t) in p.available_components.iter().enumerate() {
        let path = root.key("available_components").index(i);
        if !catalog.contains(t) {
            out.push(unknown_type(path, t, catalog));
        } else if !seen.insert(t.as_str()) {
            out.push(Diagnostic::new(
                path,
                format!("component type `{t}` is listed twice"),
            ));
        }
    }

    let mut tier_ids = HashSet::new();
    for (ti, tier) in p.tiers.iter().enumerate() {
        let tpath = root.key("tiers").index(ti);
        if !tier_ids.insert(tier.id.as_str()) {
            out.push(Diagnostic::new(
                tpath.key("id"),
                format!("tier id `{}` is used twice in this problem", tier.id),
            ));
        }
        if tier.rules.is_empty() {
            out.push(Diagnostic::new(
                tpath.key("rules"),
                "expected at least one rule",
            ));
        }
        for (ri, rule) in tier.rules.iter().enumerate() {
            let rpath = tpath.key("rules").index(ri);
            match rule {
                Rule::MinCount {
                    component_type,
                    count,
                } => {
                    if !catalog.contains(component_type) {
                        out.push(unknown_type(rpath.key("type"), component_type, catalog));
                    }
                    if *count == 0 {
                        out.push(Diagnostic::new(
                            rpath.key("count"),
                            "expected a minimum count of 1 or more",
                        ));
                    }
                }
                Rule::MustInclude { component_type } => {
                    if !catalog.contains(component_type) {
                        out.push(unknown_type(rpath.key("type"), component_type, catalog));
                    }
                }
                Rule::Unchecked { text } => {
                    if text.trim().is_empty() {
                        out.push(Diagnostic::new(
                            rpath.key("text"),
                            "expected the rule's text",
                        ));
                    }
                }
            }
        }
    }

    let reference = root.key("reference");
    out.extend(validate_topology_at(
        &p.reference.topology(),
        catalog,
        regions,
        &reference,
    ));
    // Every figure a reader sees has a source: a reference's own service
    // figures say where they come from.
    for (i, c) in p.reference.components.iter().enumerate() {
        if let Some(o) = &c.service
            && o.source.trim().is_empty()
        {
            out.push(Diagnostic::new(
                reference.key("components").index(i).key("service"),
                format!(
                    "`{}` overrides its type's service figures: expected a `source` saying where they come from",
                    c.name
                ),
            ));
        }
    }
    out
}

/// Checks a topology (a reference solution or a reader's design).
pub fn validate_topology(t: &Topology, catalog: &Catalog, regions: &Regions) -> Vec<Diagnostic> {
    validate_topology_at(t, catalog, regions, &Path::root())
}

/// The catalog's type ids for which `has` holds, comma-separated, for
/// messages that say which types a field applies to.
fn types_with(catalog: &Catalog, has: impl Fn(&crate::catalog::ComponentType) -> bool) -> String {
    catalog
        .types
        .iter()
        .filter(|(_, t)| has(t))
        .map(|(id, _)| id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn validate_topology_at(
    t: &Topology,
    catalog: &Catalog,
    regions: &Regions,
    base: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    use crate::limits::{MAX_COMPONENTS, MAX_CONNECTIONS, MAX_REPLICAS};
    if t.components.len() > MAX_COMPONENTS {
        out.push(Diagnostic::new(
            base.key("components"),
            format!(
                "a design has at most {MAX_COMPONENTS} components, found {}",
                t.components.len()
            ),
        ));
    }
    if t.connections.len() > MAX_CONNECTIONS {
        out.push(Diagnostic::new(
            base.key("connections"),
            format!(
                "a design has at most {MAX_CONNECTIONS} connections, found {}",
                t.connections.len()
            ),
        ));
    }
    // Names and edges in lists, not hash maps: a design has at most 40
    // components and 120 connections, and the playground's wasm then
    // carries no hash table code for them (the graph indexes names in a
    // `VecMap` too).
    let mut names: VecMap<&str, usize> = VecMap::new();
    for (i, c) in t.components.iter().enumerate() {
        let path = base.key("components").index(i);
        if c.replicas > MAX_REPLICAS {
            out.push(Diagnostic::new(
                path.key("replicas"),
                format!(
                    "a component runs at most {MAX_REPLICAS} instances, found {}",
                    c.replicas
                ),
            ));
        }
        if let Some(a) = c.autoscale
            && a.max > MAX_REPLICAS
        {
            out.push(Diagnostic::new(
                path.key("autoscale").key("max"),
                format!(
                    "a component autoscales to at most {MAX_REPLICAS} instances, found {}",
                    a.max
                ),
            ));
        }
        if c.name.trim().is_empty() {
            out.push(Diagnostic::new(
                path.key("name"),
                "expected a non-empty component name",
            ));
        } else if let Some(&first) = names.get(c.name.as_str()) {
            out.push(Diagnostic::new(
                path.key("name"),
                format!(
                    "component name `{}` is already used by component {}",
                    c.name,
                    first + 1
                ),
            ));
        } else {
            names.insert(c.name.as_str(), i);
        }
        if !catalog.contains(&c.component_type) {
            out.push(unknown_type(path.key("type"), &c.component_type, catalog));
        }
        if !regions.contains(&c.region) {
            out.push(Diagnostic::new(
                path.key("region"),
                format!(
                    "unknown region `{}`; expected one of: {}",
                    c.region,
                    regions.known_list()
                ),
            ));
        }
        if c.replicas == 0 {
            out.push(Diagnostic::new(
                path.key("replicas"),
                "expected replicas of 1 or more, found 0",
            ));
        }
        let ty = catalog
            .resolve(&c.component_type)
            .map(|id| &catalog.types[id]);
        if let Some(a) = c.autoscale {
            if ty.is_some_and(|t| !t.sim.can_autoscale()) {
                out.push(Diagnostic::new(
                    path.key("autoscale"),
                    format!(
                        "autoscaling only applies to types with scale-out figures in the catalog ({}); `{}` has none",
                        types_with(catalog, |t| t.sim.can_autoscale()),
                        c.component_type
                    ),
                ));
            }
            if a.max < c.replicas {
                out.push(Diagnostic::new(
                    path.key("autoscale").key("max"),
                    format!(
                        "expected an autoscaling maximum of at least the replicas ({}), found {}",
                        c.replicas, a.max
                    ),
                ));
            }
        }
        if let Some(o) = &c.service {
            if o.concurrency == Some(0) {
                out.push(Diagnostic::new(
                    path.key("service").key("concurrency"),
                    "expected a concurrency of 1 or more, found 0",
                ));
            }
            if let Some(ms) = o.service_ms
                && !(ms.is_finite() && ms > 0.0)
            {
                out.push(Diagnostic::new(
                    path.key("service").key("service_ms"),
                    format!(
                        "expected a positive service time in ms, found {}",
                        shortest(ms)
                    ),
                ));
            }
            if o.concurrency.is_none() && o.service_ms.is_none() {
                out.push(Diagnostic::new(
                    path.key("service"),
                    "expected `concurrency`, `service_ms` or both in a service override",
                ));
            }
        }
        if let Some(h) = c.hit_ratio {
            if !(0.0..=1.0).contains(&h) {
                out.push(Diagnostic::new(
                    path.key("hit_ratio"),
                    format!(
                        "expected a hit ratio between 0 and 1, found {}",
                        shortest(h)
                    ),
                ));
            }
            if ty.is_some_and(|t| t.sim.hit_ratio.is_none()) {
                out.push(Diagnostic::new(
                    path.key("hit_ratio"),
                    format!(
                        "a hit ratio only applies to types that answer reads themselves ({}); `{}` has none in the catalog",
                        types_with(catalog, |t| t.sim.hit_ratio.is_some()),
                        c.component_type
                    ),
                ));
            }
        }
    }
    let mut edges: Vec<(&str, &str)> = Vec::new();
    for (i, e) in t.connections.iter().enumerate() {
        let path = base.key("connections").index(i);
        let mut ok = true;
        for (field, end) in [("from", &e.from), ("to", &e.to)] {
            if !names.contains_key(end.as_str()) {
                ok = false;
                out.push(Diagnostic::new(
                    path.key(field),
                    format!(
                        "connection {field} `{end}`, which is not a component of this topology"
                    ),
                ));
            }
        }
        if let Some(share) = e.share {
            if !(share > 0.0 && share <= 1.0) {
                out.push(Diagnostic::new(
                    path.key("share"),
                    format!(
                        "expected a share of the traffic above 0 and at most 1, found {}",
                        shortest(share)
                    ),
                ));
            } else if ok {
                let ty = |n: &str| t.components[names[n]].component_type.as_str();
                if !crate::sim::share_applies(catalog, ty(&e.from), ty(&e.to)) {
                    out.push(Diagnostic::new(
                        path.key("share"),
                        format!(
                            "a share applies to a connection from a client or router, an app or worker calling another app, worker or router, or an asynchronous one (a stream or queue, replication, a store feeding a worker); `{}` → `{}` is a call every request through `{}` makes",
                            e.from, e.to, e.from
                        ),
                    ));
                }
            }
        }
        if let Some(rate) = e.rate {
            if !(rate.is_finite() && rate > 0.0) {
                out.push(Diagnostic::new(
                    path.key("rate"),
                    format!(
                        "expected a rate in requests per second above 0, found {}",
                        shortest(rate)
                    ),
                ));
            } else if e.share.is_some() {
                out.push(Diagnostic::new(
                    path.key("rate"),
                    "expected either a share or a fixed rate, not both: a fixed rate does not depend on the traffic",
                ));
            } else if ok
                && catalog.resolve(&t.components[names[e.from.as_str()]].component_type)
                    == Some("client")
            {
                out.push(Diagnostic::new(
                    path.key("rate"),
                    format!(
                        "a fixed rate is background work a component does on its own; `{}` is a client, whose requests are the workload",
                        e.from
                    ),
                ));
            }
        }
        if ok && e.from == e.to {
            out.push(Diagnostic::new(
                path.clone(),
                format!(
                    "connection from `{}` to itself; self-loops are not allowed",
                    e.from
                ),
            ));
        } else if ok && edges.contains(&(e.from.as_str(), e.to.as_str())) {
            out.push(Diagnostic::new(
                path.clone(),
                format!("duplicate connection `{}` → `{}`", e.from, e.to),
            ));
        } else if ok {
            edges.push((e.from.as_str(), e.to.as_str()));
        }
    }
    out
}

fn unknown_type(path: Path, t: &str, catalog: &Catalog) -> Diagnostic {
    Diagnostic::new(
        path,
        format!(
            "unknown component type `{t}`; expected one of: {}",
            catalog.known_list()
        ),
    )
}

/// Lowercase ASCII letters, digits and single dashes, not at either end.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A problem as seen by course-wide checks: the document it came from and its key facts.
pub struct CourseEntry<'a> {
    pub file: &'a str,
    pub problem: &'a Problem,
}

/// A course-wide error: which file, which path, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseDiagnostic {
    pub file: String,
    pub diagnostic: Diagnostic,
}

/// Checks that ids and numbers are unique across the course.
pub fn validate_course(entries: &[CourseEntry<'_>]) -> Vec<CourseDiagnostic> {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, &str> = HashMap::new();
    let mut numbers: HashMap<(&str, u32), &str> = HashMap::new();
    for e in entries {
        if let Some(first) = ids.insert(&e.problem.id, e.file) {
            ids.insert(&e.problem.id, first);
            out.push(CourseDiagnostic {
                file: e.file.to_string(),
                diagnostic: Diagnostic::new(
                    Path::root().key("id"),
                    format!("problem id `{}` is already used by {first}", e.problem.id),
                ),
            });
        }
        let key = (e.problem.category.as_str(), e.problem.number);
        if let Some(first) = numbers.insert(key, e.file) {
            numbers.insert(key, first);
            out.push(CourseDiagnostic {
                file: e.file.to_string(),
                diagnostic: Diagnostic::new(
                    Path::root().key("number"),
                    format!(
                        "problem number {} in category `{}` is already used by {first}",
                        e.problem.number, e.problem.category
                    ),
                ),
            });
        }
    }
    out
}
