//! Horizontal positions: lane widths from their widest cell, then each cell's
//! elements pulled towards their neighbours' x (so edges run straight) while
//! keeping order, spacing and lane bounds. The pull is a least-squares fit
//! solved exactly by isotonic regression (pool adjacent violators).

use super::order::{ElemKind, Ordering};
use super::rank::Graph;
use crate::within::Within;

const GAP_NODES: f64 = 40.0;
/// Wider than a self-loop's bulge (route::LOOP_OUT) so loops stay clear.
const GAP_NODE_DUMMY: f64 = 20.0;
const GAP_DUMMIES: f64 = 14.0;
pub(crate) const LANE_PAD: f64 = 20.0;
const LANE_GAP: f64 = 12.0;
const MIN_LANE_W: f64 = 190.0;
const SWEEPS: usize = 4;

pub(crate) struct Placed {
    /// Centre x of each element.
    pub x: Vec<f64>,
    /// (x, w) of each regional lane.
    pub lane_x: Vec<(f64, f64)>,
    pub width: f64,
}

fn sep(o: &Ordering, a: usize, b: usize) -> f64 {
    let (ea, eb) = (&o.elems[a], &o.elems[b]);
    let gap = match (ea.kind, eb.kind) {
        (ElemKind::Node(_), ElemKind::Node(_)) => GAP_NODES,
        (ElemKind::Dummy, ElemKind::Dummy) => GAP_DUMMIES,
        _ => GAP_NODE_DUMMY,
    };
    ea.w / 2.0 + gap + eb.w / 2.0
}

fn content_width(o: &Ordering, cell: &[usize]) -> f64 {
    match (cell.first(), cell.last()) {
        (Some(&f), Some(&l)) => {
            let inner: f64 = cell.windows(2).map(|p| sep(o, p[0], p[1])).sum();
            o.elems[f].w / 2.0 + inner + o.elems[l].w / 2.0
        }
        _ => 0.0,
    }
}

pub(crate) fn place(g: &Graph, o: &Ordering) -> Placed {
    let nl = g.lanes.len();
    let mut lane_w = vec![MIN_LANE_W; nl];
    let mut band_w: f64 = 0.0;
    for (r, row) in o.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let need = content_width(o, cell) + 2.0 * LANE_PAD;
            if g.rows[r].global.is_some() {
                band_w = band_w.max(need);
            } else if c < nl {
                lane_w[c] = lane_w[c].max(need);
            }
        }
    }
    let mut total = lane_w.iter().sum::<f64>() + LANE_GAP * nl.saturating_sub(1) as f64;
    if nl == 0 {
        total = band_w.max(MIN_LANE_W);
    } else if band_w > total {
        let extra = (band_w - total) / nl as f64;
        lane_w.iter_mut().for_each(|w| *w += extra);
        total = band_w;
    }
    let mut lane_x = Vec::with_capacity(nl);
    let mut x = 0.0;
    for w in &lane_w {
        lane_x.push((x, *w));
        x += w + LANE_GAP;
    }

    let bounds = |r: usize, c: usize| -> (f64, f64) {
        if g.rows[r].global.is_some() || nl == 0 {
            (LANE_PAD, total - LANE_PAD)
        } else {
            let (lx, lw) = lane_x[c.min(nl - 1)];
            (lx + LANE_PAD, lx + lw - LANE_PAD)
        }
    };

    let mut xs = vec![0.0; o.elems.len()];
    // Start centred in each cell, then pull towards neighbours.
    for (r, row) in o.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (lo, hi) = bounds(r, c);
            let wid = content_width(o, cell);
            let mut cx = (lo + hi - wid) / 2.0;
            for (i, &e) in cell.iter().enumerate() {
                if i > 0 {
                    cx += sep(o, cell[i - 1], e);
                } else {
                    cx += o.elems[e].w / 2.0;
                }
                xs[e] = cx;
            }
        }
    }
    let rows = o.cells.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); o.elems.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); o.elems.len()];
    for s in &o.segs {
        up[s.lower].push(s.upper);
        down[s.upper].push(s.lower);
    }
    for sweep in 0..SWEEPS * 2 {
        let from_above = sweep % 2 == 0;
        let order: Vec<usize> = if from_above {
            (1..rows).collect()
        } else {
            (0..rows.saturating_sub(1)).rev().collect()
        };
        for r in order {
            for (c, cell) in o.cells[r].iter().enumerate() {
                let desired: Vec<f64> = cell
                    .iter()
                    .map(|&e| {
                        let nb = if from_above { &up[e] } else { &down[e] };
                        if nb.is_empty() {
                            xs[e]
                        } else {
                            nb.iter().map(|&n| xs[n]).sum::<f64>() / nb.len() as f64
                        }
                    })
                    .collect();
                let (lo, hi) = bounds(r, c);
                fit_cell(o, cell, &desired, lo, hi, &mut xs);
            }
        }
    }
    Placed {
        x: xs,
        lane_x,
        width: total,
    }
}

/// Closest positions to `desired` (least squares) that keep the cell's order,
/// minimum separations and bounds.
fn fit_cell(o: &Ordering, cell: &[usize], desired: &[f64], lo: f64, hi: f64, xs: &mut [f64]) {
    if cell.is_empty() {
        return;
    }
    // With offsets c_i, x_i = y_i + c_i and the separations become y non-decreasing.
    let mut offs = vec![0.0; cell.len()];
    for i in 1..cell.len() {
        offs[i] = offs[i - 1] + sep(o, cell[i - 1], cell[i]);
    }
    let targets: Vec<f64> = desired.iter().zip(&offs).map(|(d, c)| d - c).collect();
    let ys = isotonic(&targets);
    let ylo = lo + o.elems[cell[0]].w / 2.0;
    let yhi = (hi - o.elems[cell[cell.len() - 1]].w / 2.0 - offs[cell.len() - 1]).max(ylo);
    for (i, &e) in cell.iter().enumerate() {
        xs[e] = ys[i].within(ylo, yhi) + offs[i];
    }
}

fn isotonic(t: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for &v in t {
        blocks.push((v, 1));
        while blocks.len() >= 2 {
            let (s2, n2) = blocks[blocks.len() - 1];
            let (s1, n1) = blocks[blocks.len() - 2];
            if s1 / n1 as f64 > s2 / n2 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, n1 + n2);
            } else {
                break;
            }
        }
    }
    blocks
        .iter()
        .flat_map(|&(s, n)| std::iter::repeat_n(s / n as f64, n))
        .collect()
}
