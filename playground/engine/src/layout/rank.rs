//! Rows and lanes: which row and which region column each component sits in.
//!
//! A component's row comes from its catalog layer. Edges between two
//! components of the same layer would otherwise run horizontally through the
//! boxes between them, so such layers are split into sub-rows by longest path
//! over the layer's own edges (after reversing DFS back edges). Global
//! components get their own full-width band rows.

use std::collections::BTreeMap;

use super::EdgeKind;
use crate::catalog::{Catalog, Layer, Regions};
use crate::spec::Topology;

/// Names longer than this are truncated with an ellipsis.
const MAX_LABEL_CHARS: usize = 28;
const CHAR_W: f64 = 7.0;
/// Icon, paddings and breathing room around the name text.
const BOX_CHROME: f64 = 58.0;
const MIN_BOX_W: f64 = 150.0;

pub(crate) struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub rows: Vec<Row>,
    pub lanes: Vec<LaneDef>,
}

pub(crate) struct Node {
    pub name: String,
    pub label: String,
    pub ctype: String,
    pub region: String,
    pub replicas: u32,
    pub layer: Layer,
    /// Regional lane index; `None` for global components.
    pub lane: Option<usize>,
    pub row: usize,
    pub w: f64,
}

pub(crate) struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

pub(crate) struct Row {
    /// Set for full-width global bands.
    pub global: Option<LaneDef>,
}

#[derive(Clone)]
pub(crate) struct LaneDef {
    pub region: String,
    pub label: String,
}

pub(crate) fn truncate_label(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

fn box_width(label: &str, replicas: u32) -> f64 {
    let text = label.chars().count() as f64 * CHAR_W;
    let badge = if replicas > 1 {
        badge_width(replicas) + 8.0
    } else {
        0.0
    };
    (text + BOX_CHROME + badge).max(MIN_BOX_W)
}

/// Width of the `×N` replica pill, shared with the SVG renderer.
pub fn badge_width(replicas: u32) -> f64 {
    14.0 + 6.5 * (replicas.to_string().len() + 1) as f64
}

fn lane_label(regions: &Regions, id: &str) -> String {
    match regions.get(id) {
        Some(r) if !r.short.is_empty() => r.short.clone(),
        _ if id.is_empty() => "?".to_string(),
        _ => id.to_string(),
    }
}

pub(crate) fn build(topology: &Topology, catalog: &Catalog, regions: &Regions) -> Graph {
    let comps = &topology.components;
    let layer_of = |t: &str| -> Option<Layer> {
        catalog
            .resolve(t)
            .and_then(|id| catalog.get(id))
            .map(|ct| ct.layer)
    };

    // Lanes: known regions in file order, then unknown ones in order of appearance.
    let mut lanes: Vec<LaneDef> = Vec::new();
    for (id, r) in &regions.regions {
        if !r.spans_regions && comps.iter().any(|c| &c.region == id) {
            lanes.push(LaneDef {
                region: id.clone(),
                label: lane_label(regions, id),
            });
        }
    }
    for c in comps {
        if !regions.contains(&c.region) && !lanes.iter().any(|l| l.region == c.region) {
            lanes.push(LaneDef {
                region: c.region.clone(),
                label: lane_label(regions, &c.region),
            });
        }
    }

    let mut nodes: Vec<Node> = comps
        .iter()
        .map(|c| {
            let label = truncate_label(&c.name);
            let global = regions.is_global(&c.region);
            Node {
                w: box_width(&label, c.replicas),
                name: c.name.clone(),
                label,
                ctype: c.component_type.clone(),
                region: c.region.clone(),
                replicas: c.replicas,
                layer: layer_of(&c.component_type).unwrap_or(Layer::Compute),
                lane: if global {
                    None
                } else {
                    lanes.iter().position(|l| l.region == c.region)
                },
                row: 0,
            }
        })
        .collect();

    // First occurrence wins for duplicate names, so a bad design still draws.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in comps.iter().enumerate() {
        index.entry(c.name.as_str()).or_insert(i);
    }
    let edges: Vec<Edge> = topology
        .connections
        .iter()
        .filter_map(|cn| {
            let from = *index.get(cn.from.as_str())?;
            let to = *index.get(cn.to.as_str())?;
            let data = |i: usize| layer_of(&comps[i].component_type) == Some(Layer::Data);
            let kind = if data(from) && data(to) {
                EdgeKind::Replication
            } else {
                EdgeKind::Request
            };
            Some(Edge { from, to, kind })
        })
        .collect();

    let sub = sub_rows(&nodes, &edges);
    let mut keys: Vec<(Layer, usize, bool)> = nodes
        .iter()
        .zip(&sub)
        .map(|(n, &s)| (n.layer, s, n.lane.is_some()))
        .collect();
    let row_of_key = {
        let mut k = keys.clone();
        crate::sort::sort_by(&mut k, Ord::cmp);
        k.dedup();
        k
    };
    let mut rows: Vec<Row> = row_of_key.iter().map(|_| Row { global: None }).collect();
    for (n, key) in nodes.iter_mut().zip(keys.drain(..)) {
        let r = row_of_key.binary_search(&key).unwrap_or(0);
        n.row = r;
        if n.lane.is_none() && rows[r].global.is_none() {
            rows[r].global = Some(LaneDef {
                region: n.region.clone(),
                label: lane_label(regions, &n.region),
            });
        }
    }
    Graph {
        nodes,
        edges,
        rows,
        lanes,
    }
}

/// Sub-row of each node inside its layer: longest path over same-layer edges,
/// with DFS back edges reversed so cycles (db ↔ db replication) still rank.
fn sub_rows(nodes: &[Node], edges: &[Edge]) -> Vec<usize> {
    let n = nodes.len();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        if e.from != e.to && nodes[e.from].layer == nodes[e.to].layer {
            adj[e.from].push(e.to);
        }
    }
    // Iterative DFS; `order` is reverse post-order, a topological order of the
    // graph without its back edges.
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut post: Vec<usize> = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let u = top.0;
            if top.1 < adj[u].len() {
                let v = adj[u][top.1];
                top.1 += 1;
                match state[v] {
                    0 => {
                        forward[u].push(v);
                        state[v] = 1;
                        stack.push((v, 0));
                    }
                    1 => forward[v].push(u), // back edge: reversed
                    _ => forward[u].push(v),
                }
            } else {
                state[u] = 2;
                post.push(u);
                stack.pop();
            }
        }
    }
    let mut sub = vec![0usize; n];
    for &u in post.iter().rev() {
        for &v in &forward[u] {
            sub[v] = sub[v].max(sub[u] + 1);
        }
    }
    sub
}
