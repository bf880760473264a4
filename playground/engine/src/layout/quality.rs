//! Quality measured on the drawn geometry: what a reader would see, not what
//! the ordering model predicted.

use serde::Serialize;

use super::{EdgePath, NodeBox};

/// Boxes closer than this count as overlapping.
const OVERLAP_MARGIN: f64 = 2.0;
/// Boxes are shrunk by this before testing edges against them, so an edge
/// touching a box's outline does not count as passing through it.
const SHRINK: f64 = 1.0;
const EPS: f64 = 1e-6;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Quality {
    /// Pairs of edges whose polylines cross (away from a shared endpoint).
    pub crossings: usize,
    /// Pairs of node boxes that overlap.
    pub overlaps: usize,
    /// Edges passing through a box other than their own endpoints'.
    pub edges_through_nodes: usize,
}

type Pt = (f64, f64);

#[derive(Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn rect(n: &NodeBox, grow: f64) -> Rect {
    Rect {
        x0: n.x - grow,
        y0: n.y - grow,
        x1: n.x + n.w + grow,
        y1: n.y + n.h + grow,
    }
}

/// `ends[i]` are the node indices of edge i's source and target.
pub(crate) fn measure(nodes: &[NodeBox], edges: &[EdgePath], ends: &[(usize, usize)]) -> Quality {
    let mut q = Quality::default();
    for i in 0..nodes.len() {
        let a = rect(&nodes[i], OVERLAP_MARGIN / 2.0);
        for b in &nodes[i + 1..] {
            let b = rect(b, OVERLAP_MARGIN / 2.0);
            if a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 {
                q.overlaps += 1;
            }
        }
    }
    for (e, &(s, t)) in edges.iter().zip(ends) {
        let hit = nodes.iter().enumerate().any(|(k, n)| {
            k != s
                && k != t
                && e.points
                    .windows(2)
                    .any(|w| segment_hits_rect(w[0], w[1], rect(n, -SHRINK)))
        });
        if hit {
            q.edges_through_nodes += 1;
        }
    }
    let bounds: Vec<Rect> = edges.iter().map(|e| bbox(&e.points)).collect();
    for i in 0..edges.len() {
        for j in i + 1..edges.len() {
            let (a, b) = (bounds[i], bounds[j]);
            if a.x0 > b.x1 + EPS || b.x0 > a.x1 + EPS || a.y0 > b.y1 + EPS || b.y0 > a.y1 + EPS {
                continue;
            }
            let shared: Vec<Rect> = [ends[i].0, ends[i].1]
                .into_iter()
                .filter(|k| *k == ends[j].0 || *k == ends[j].1)
                .filter_map(|k| nodes.get(k).map(|n| rect(n, 2.0)))
                .collect();
            if polylines_cross(&edges[i].points, &edges[j].points, &shared) {
                q.crossings += 1;
            }
        }
    }
    q
}

fn bbox(pts: &[Pt]) -> Rect {
    let mut r = Rect {
        x0: f64::INFINITY,
        y0: f64::INFINITY,
        x1: f64::NEG_INFINITY,
        y1: f64::NEG_INFINITY,
    };
    for &(x, y) in pts {
        r.x0 = r.x0.min(x);
        r.y0 = r.y0.min(y);
        r.x1 = r.x1.max(x);
        r.y1 = r.y1.max(y);
    }
    r
}

fn inside(p: Pt, r: Rect) -> bool {
    p.0 >= r.x0 && p.0 <= r.x1 && p.1 >= r.y0 && p.1 <= r.y1
}

/// Liang–Barsky clip: does the segment reach the rectangle's interior?
fn segment_hits_rect(a: Pt, b: Pt, r: Rect) -> bool {
    if r.x0 >= r.x1 || r.y0 >= r.y1 {
        return false;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ] {
        if p.abs() < EPS {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t1 - t0 > EPS
}

fn polylines_cross(a: &[Pt], b: &[Pt], shared: &[Rect]) -> bool {
    for sa in a.windows(2) {
        for sb in b.windows(2) {
            if let Some((p, q)) = intersection(sa[0], sa[1], sb[0], sb[1]) {
                // Touching only next to a node both edges attach to is not a crossing.
                let near_shared = shared.iter().any(|r| inside(p, *r) && inside(q, *r));
                if !near_shared {
                    return true;
                }
            }
        }
    }
    false
}

fn orient(a: Pt, b: Pt, c: Pt) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// The common part of two segments (a point or a collinear overlap), if any.
fn intersection(a: Pt, b: Pt, c: Pt, d: Pt) -> Option<(Pt, Pt)> {
    let r = (b.0 - a.0, b.1 - a.1);
    let s = (d.0 - c.0, d.1 - c.1);
    let denom = r.0 * s.1 - r.1 * s.0;
    let len = (r.0.hypot(r.1) * s.0.hypot(s.1)).max(EPS);
    if denom.abs() > 1e-9 * len {
        let t = ((c.0 - a.0) * s.1 - (c.1 - a.1) * s.0) / denom;
        let u = ((c.0 - a.0) * r.1 - (c.1 - a.1) * r.0) / denom;
        let tol_t = EPS / r.0.hypot(r.1).max(EPS);
        let tol_u = EPS / s.0.hypot(s.1).max(EPS);
        if (-tol_t..=1.0 + tol_t).contains(&t) && (-tol_u..=1.0 + tol_u).contains(&u) {
            let p = (a.0 + t * r.0, a.1 + t * r.1);
            return Some((p, p));
        }
        return None;
    }
    // Parallel: only collinear overlaps count.
    if orient(a, b, c).abs() > 1e-6 * r.0.hypot(r.1).max(1.0) {
        return None;
    }
    let rr = r.0 * r.0 + r.1 * r.1;
    if rr < EPS {
        return None;
    }
    let proj = |p: Pt| ((p.0 - a.0) * r.0 + (p.1 - a.1) * r.1) / rr;
    let (tc, td) = (proj(c), proj(d));
    let (lo, hi) = (tc.min(td).max(0.0), tc.max(td).min(1.0));
    if lo > hi + EPS {
        return None;
    }
    let at = |t: f64| (a.0 + t * r.0, a.1 + t * r.1);
    Some((at(lo), at(hi)))
}
