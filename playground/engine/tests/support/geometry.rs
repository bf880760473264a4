//! Independent geometry checks on a finished layout, so tests do not rely
//! only on the engine's own `Quality` numbers.

use meridian_engine::layout::{Layout, NodeBox};

const TOL: f64 = 0.01;

/// True when `p` lies on the outline of `n`.
pub fn on_boundary(n: &NodeBox, p: (f64, f64)) -> bool {
    let (x, y) = p;
    let in_x = x >= n.x - TOL && x <= n.x + n.w + TOL;
    let in_y = y >= n.y - TOL && y <= n.y + n.h + TOL;
    let on_v = (x - n.x).abs() < TOL || (x - n.x - n.w).abs() < TOL;
    let on_h = (y - n.y).abs() < TOL || (y - n.y - n.h).abs() < TOL;
    (in_x && on_h) || (in_y && on_v)
}

pub fn node<'a>(l: &'a Layout, id: &str) -> &'a NodeBox {
    l.nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

/// Pairs of boxes that overlap (touching excluded), counted independently.
pub fn overlapping_pairs(l: &Layout) -> usize {
    let mut c = 0;
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            if a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h {
                c += 1;
            }
        }
    }
    c
}

/// Everything finite and inside the drawing.
pub fn all_inside(l: &Layout) -> Result<(), String> {
    let ok = |x: f64, y: f64| {
        x.is_finite()
            && y.is_finite()
            && x >= -TOL
            && y >= -TOL
            && x <= l.width + TOL
            && y <= l.height + TOL
    };
    if !(l.width.is_finite() && l.height.is_finite() && l.width > 0.0 && l.height > 0.0) {
        return Err(format!("bad size {}x{}", l.width, l.height));
    }
    for n in &l.nodes {
        if !ok(n.x, n.y) || !ok(n.x + n.w, n.y + n.h) {
            return Err(format!("node {} outside: {:?}", n.id, (n.x, n.y, n.w, n.h)));
        }
    }
    for e in &l.edges {
        if e.points.len() < 2 {
            return Err(format!(
                "edge {}→{} has {} points",
                e.from,
                e.to,
                e.points.len()
            ));
        }
        if let Some(p) = e.points.iter().find(|p| !ok(p.0, p.1)) {
            return Err(format!("edge {}→{} point {p:?} outside", e.from, e.to));
        }
    }
    for lane in &l.lanes {
        if !ok(lane.x, lane.y) || !ok(lane.x + lane.w, lane.y + lane.h) {
            return Err(format!("lane {} outside", lane.region));
        }
    }
    Ok(())
}

/// Each edge starts on its source's outline and ends on its target's.
pub fn endpoints_on_boxes(l: &Layout) -> Result<(), String> {
    for e in &l.edges {
        let (s, t) = (node(l, &e.from), node(l, &e.to));
        let (first, last) = (e.points[0], e.points[e.points.len() - 1]);
        if !on_boundary(s, first) {
            return Err(format!(
                "{}→{} starts at {first:?}, not on {:?}",
                e.from,
                e.to,
                (s.x, s.y, s.w, s.h)
            ));
        }
        if !on_boundary(t, last) {
            return Err(format!(
                "{}→{} ends at {last:?}, not on {:?}",
                e.from,
                e.to,
                (t.x, t.y, t.w, t.h)
            ));
        }
    }
    Ok(())
}

/// Every segment axis-aligned (the router draws orthogonal polylines).
pub fn orthogonal(l: &Layout) -> bool {
    l.edges.iter().all(|e| {
        e.points
            .windows(2)
            .all(|w| (w[0].0 - w[1].0).abs() < TOL || (w[0].1 - w[1].1).abs() < TOL)
    })
}
