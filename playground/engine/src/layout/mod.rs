//! Layered diagram layout for topologies: rows by catalog layer, columns by
//! region lane, orthogonal edge routing through the gaps between them.
//!
//! The pipeline is `rank` (rows and lanes) → `order` (crossing minimisation)
//! → `coords` (x positions) → `route` (ports, tracks, y positions, polylines)
//! → `quality` (measured on the final geometry, not on the model).
//! Everything is deterministic: inputs are walked in input order and ties are
//! broken by index, never by hash order.

mod coords;
mod order;
mod quality;
mod rank;
mod route;

use serde::Serialize;

use crate::catalog::{Catalog, Layer, Regions};
use crate::spec::Topology;

pub use quality::Quality;
pub use rank::badge_width;

/// Box height of every node; widths vary with the name.
pub const NODE_H: f64 = 56.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    pub lanes: Vec<Lane>,
}

/// A component's box; `x`, `y` are its top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeBox {
    pub id: String,
    pub component_type: String,
    pub region: String,
    pub replicas: u32,
    pub layer: Layer,
    /// The name as drawn: truncated with an ellipsis when too long for a box.
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Request,
    /// Both ends are data stores: drawn dashed.
    Replication,
}

/// One connection, as a polyline from the source box boundary to the target
/// box boundary (the arrow goes at the last point).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgePath {
    pub from: String,
    pub to: String,
    pub points: Vec<(f64, f64)>,
    pub kind: EdgeKind,
    /// True when the edge runs against the top-to-bottom flow (its target's
    /// row is above its source's), i.e. it was reversed to break a cycle or
    /// because its target's layer comes first.
    pub reversed: bool,
}

/// A region lane: a column for regional lanes, a full-width band for global rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    pub region: String,
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Lays out a topology. Connections naming unknown components are skipped
/// (validation reports them); unknown types and regions still get drawn.
pub fn layout(topology: &Topology, catalog: &Catalog, regions: &Regions) -> Layout {
    let (graph, ordering) = ordered(topology, catalog, regions);
    let placed = coords::place(&graph, &ordering);
    let routed = route::route(&graph, &ordering, &placed);

    let nodes: Vec<NodeBox> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| NodeBox {
            id: n.name.clone(),
            component_type: n.ctype.clone(),
            region: n.region.clone(),
            replicas: n.replicas,
            layer: n.layer,
            label: n.label.clone(),
            x: placed.x[ordering.node_elem[i]] - n.w / 2.0,
            y: routed.row_y[n.row],
            w: n.w,
            h: NODE_H,
        })
        .collect();
    let edges: Vec<EdgePath> = graph
        .edges
        .iter()
        .zip(routed.points)
        .map(|(e, points)| EdgePath {
            from: graph.nodes[e.from].name.clone(),
            to: graph.nodes[e.to].name.clone(),
            points,
            kind: e.kind,
            reversed: graph.nodes[e.from].row > graph.nodes[e.to].row,
        })
        .collect();

    let mut lanes: Vec<Lane> = graph
        .lanes
        .iter()
        .zip(&placed.lane_x)
        .map(|(l, &(x, w))| Lane {
            region: l.region.clone(),
            label: l.label.clone(),
            x,
            y: 0.0,
            w,
            h: routed.height,
        })
        .collect();
    for (r, row) in graph.rows.iter().enumerate() {
        if let Some(g) = &row.global {
            lanes.push(Lane {
                region: g.region.clone(),
                label: g.label.clone(),
                x: 0.0,
                y: routed.row_y[r] - route::BAND_PAD_TOP + 2.0,
                w: placed.width,
                h: NODE_H + route::BAND_PAD_TOP + route::BAND_PAD_BOTTOM - 4.0,
            });
        }
    }

    Layout {
        width: placed.width,
        height: routed.height,
        nodes,
        edges,
        lanes,
    }
}

/// How much of the crossing search's work budget laying out `topology`
/// uses, and the budget: a design within it gets the full search, so its
/// picture does not depend on the budget (the tests hold every reference
/// there).
pub fn search_work(topology: &Topology, catalog: &Catalog, regions: &Regions) -> (u64, u64) {
    let (_, ordering) = ordered(topology, catalog, regions);
    (ordering.work(), order::BUDGET)
}

/// Rows and lanes, then the crossing search: the part of [`layout`] that
/// [`search_work`] measures.
fn ordered(
    topology: &Topology,
    catalog: &Catalog,
    regions: &Regions,
) -> (rank::Graph, order::Ordering) {
    let graph = rank::build(topology, catalog, regions);
    let mut ordering = order::Ordering::new(&graph);
    ordering.minimise();
    (graph, ordering)
}

impl Layout {
    /// Crossings, overlaps and edges through boxes, measured on the drawn
    /// geometry. On demand: it tests every pair of edges, which costs more
    /// than the layout itself at the size limits, and only tests and
    /// `meridian check` need it, never a page or the playground.
    pub fn quality(&self) -> Quality {
        // Every drawn edge joins two drawn boxes; an index past the end
        // would only mean no box is exempt from its checks.
        let index = |name: &str| {
            self.nodes
                .iter()
                .position(|n| n.id == name)
                .unwrap_or(usize::MAX)
        };
        let ends: Vec<(usize, usize)> = self
            .edges
            .iter()
            .map(|e| (index(&e.from), index(&e.to)))
            .collect();
        quality::measure(&self.nodes, &self.edges, &ends)
    }
}
