//! Orthogonal edge routing. Every edge leaves its upper end from a port on the
//! box's bottom side, drops into the channel below the row, jogs horizontally
//! on its own track, and continues down at the next element's x (a dummy's
//! slot is kept free of boxes by `coords`), so no segment can enter a box.
//! Tracks in a channel are ordered so that a vertical leg never cuts another
//! edge's jog when that can be avoided.

use super::NODE_H;
use super::coords::Placed;
use super::order::{ElemKind, Ordering};
use super::rank::Graph;

const TOP: f64 = 44.0;
const BOTTOM: f64 = 20.0;
pub(crate) const BAND_PAD_TOP: f64 = 24.0;
pub(crate) const BAND_PAD_BOTTOM: f64 = 10.0;
const TRACK: f64 = 10.0;
const MIN_CHANNEL: f64 = 44.0;
/// How far a self-loop bulges out of its box's right side.
const LOOP_OUT: f64 = 14.0;

pub(crate) struct Routed {
    pub row_y: Vec<f64>,
    pub height: f64,
    pub points: Vec<Vec<(f64, f64)>>,
}

pub(crate) fn route(g: &Graph, o: &Ordering, p: &Placed) -> Routed {
    let (top_x, bot_x) = ports(g, o, p);

    // Tracks per channel (channel r lies below row r).
    let rows = o.cells.len();
    let mut by_channel: Vec<Vec<usize>> = vec![Vec::new(); rows];
    for (si, s) in o.segs.iter().enumerate() {
        if (top_x[si] - bot_x[si]).abs() > 1e-6 {
            by_channel[o.elems[s.upper].row].push(si);
        }
    }
    let mut track = vec![0usize; o.segs.len()];
    let mut tracks_in = vec![0usize; rows];
    let mut exact_left = EXACT_BUDGET;
    for (r, jogs) in by_channel.iter().enumerate() {
        for (t, &si) in order_tracks(jogs, &top_x, &bot_x, &mut exact_left)
            .iter()
            .enumerate()
        {
            track[si] = t;
        }
        tracks_in[r] = jogs.len();
    }

    let mut row_y = vec![0.0; rows];
    let mut ch = vec![(0.0, 0.0); rows]; // (top, height) of the track zone
    let mut y = TOP;
    for r in 0..rows {
        let band = g.rows[r].global.is_some();
        if band {
            y += BAND_PAD_TOP;
        }
        row_y[r] = y;
        y += NODE_H;
        if band {
            y += BAND_PAD_BOTTOM;
        }
        if r + 1 < rows {
            let h = MIN_CHANNEL.max(TRACK * (tracks_in[r] + 1) as f64);
            ch[r] = (y, h);
            y += h;
        }
    }
    let height = if rows == 0 { TOP + BOTTOM } else { y + BOTTOM };

    let mut points = Vec::with_capacity(g.edges.len());
    for (ei, e) in g.edges.iter().enumerate() {
        let chain = &o.chains[ei];
        let mut pts: Vec<(f64, f64)> = Vec::new();
        if chain.is_empty() {
            // Self-loop on the right side, inside the gap coords keeps there.
            let n = &g.nodes[e.from];
            let right = p.x[o.node_elem[e.from]] + n.w / 2.0;
            let (y1, y2) = (row_y[n.row] + NODE_H * 0.3, row_y[n.row] + NODE_H * 0.7);
            pts = vec![
                (right, y1),
                (right + LOOP_OUT, y1),
                (right + LOOP_OUT, y2),
                (right, y2),
            ];
        } else {
            let first = &o.segs[chain[0]];
            let last = &o.segs[chain[chain.len() - 1]];
            pts.push((top_x[chain[0]], row_y[o.elems[first.upper].row] + NODE_H));
            for &si in chain {
                if (top_x[si] - bot_x[si]).abs() > 1e-6 {
                    let r = o.elems[o.segs[si].upper].row;
                    let (ct, chh) = ch[r];
                    let ty = ct + (track[si] + 1) as f64 * chh / (tracks_in[r] + 1) as f64;
                    pts.push((top_x[si], ty));
                    pts.push((bot_x[si], ty));
                }
            }
            pts.push((
                bot_x[chain[chain.len() - 1]],
                row_y[o.elems[last.lower].row],
            ));
            if g.nodes[e.from].row > g.nodes[e.to].row {
                pts.reverse();
            }
        }
        points.push(simplify(pts));
    }
    Routed {
        row_y,
        height,
        points,
    }
}

/// x where each segment leaves its upper element and enters its lower one.
/// A node spreads its edges over its side, ordered by where they head, so
/// edges sharing a node fan out without crossing each other.
fn ports(g: &Graph, o: &Ordering, p: &Placed) -> (Vec<f64>, Vec<f64>) {
    let mut top_x: Vec<f64> = o.segs.iter().map(|s| p.x[s.upper]).collect();
    let mut bot_x: Vec<f64> = o.segs.iter().map(|s| p.x[s.lower]).collect();
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); o.elems.len()];
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); o.elems.len()];
    for (si, s) in o.segs.iter().enumerate() {
        below[s.upper].push(si);
        above[s.lower].push(si);
    }
    for (e, el) in o.elems.iter().enumerate() {
        let ElemKind::Node(n) = el.kind else { continue };
        let w = g.nodes[n].w;
        let left = p.x[e] - w / 2.0;
        for (side, far, out) in [
            (&below[e], true, &mut top_x),
            (&above[e], false, &mut bot_x),
        ] {
            let mut list: Vec<(f64, usize)> = side
                .iter()
                .map(|&si| {
                    let s = &o.segs[si];
                    (if far { p.x[s.lower] } else { p.x[s.upper] }, si)
                })
                .collect();
            crate::sort::sort_by(&mut list, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let k = list.len();
            for (i, &(_, si)) in list.iter().enumerate() {
                out[si] = left + w * (i + 1) as f64 / (k + 1) as f64;
            }
        }
    }
    (top_x, bot_x)
}

/// Is `x` strictly between `a` and `b` (a leg at `x` would cut a jog spanning them)?
fn inside(x: f64, a: f64, b: f64) -> bool {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    x > lo - 0.5 && x < hi + 0.5
}

/// Channels with at most this many jogs get an optimal track order (dynamic
/// programming over subsets); larger ones a greedy order.
const EXACT_TRACKS: usize = 12;
/// The exact order costs n·2ⁿ steps for n jogs; a layout spends at most this
/// many on exact orders (channels first come first served), the rest get the
/// greedy one, so drawing time stays bounded at the size limits. Two
/// channels of 12 jogs fit; every reference needs far less.
const EXACT_BUDGET: u64 = 2 * (12 << 12);

/// Orders a channel's jogs top to bottom, minimising the crossings between
/// them. With jog a above jog b, b's upper leg cuts a's jog when it lies
/// within a's span, and a's lower leg cuts b's jog when it lies within b's.
fn order_tracks(jogs: &[usize], top_x: &[f64], bot_x: &[f64], exact_left: &mut u64) -> Vec<usize> {
    let n = jogs.len();
    // cost[a * n + b]: crossings between jogs a and b when a is above b.
    let mut cost = vec![0u32; n * n];
    for a in 0..n {
        for b in 0..n {
            if a != b {
                let (sa, sb) = (jogs[a], jogs[b]);
                cost[a * n + b] = u32::from(inside(top_x[sb], top_x[sa], bot_x[sa]))
                    + u32::from(inside(bot_x[sa], top_x[sb], bot_x[sb]));
            }
        }
    }
    // Tie-break: left-most jogs first, as a stable deterministic default.
    let mut base: Vec<usize> = (0..n).collect();
    let left = |i: usize| top_x[jogs[i]].min(bot_x[jogs[i]]);
    crate::sort::sort_by(&mut base, |&i, &j| {
        left(i).total_cmp(&left(j)).then(i.cmp(&j))
    });
    let order = if n <= 1 {
        base
    } else if n <= EXACT_TRACKS && ((n as u64) << n) <= *exact_left {
        *exact_left -= (n as u64) << n;
        exact_order(n, &cost, &base)
    } else {
        greedy_order(n, &cost, &base)
    };
    order.into_iter().map(|i| jogs[i]).collect()
}

/// Minimum-cost linear order: dp[S] is the cheapest way to stack the set S on
/// top; the next jog placed pays its crossings with everything above it.
fn exact_order(n: usize, cost: &[u32], base: &[usize]) -> Vec<usize> {
    let full = (1usize << n) - 1;
    // into[j][S] = sum of cost[i][j] for i in S.
    let mut into = vec![0u32; n << n];
    for j in 0..n {
        let row = &mut into[j << n..(j + 1) << n];
        for s in 1..=full {
            let low = s.trailing_zeros() as usize;
            row[s] = row[s & (s - 1)] + cost[low * n + j];
        }
    }
    let mut dp = vec![u32::MAX; full + 1];
    let mut pick = vec![0u8; full + 1];
    dp[0] = 0;
    for s in 0..full {
        if dp[s] == u32::MAX {
            continue;
        }
        for &j in base {
            if s & (1 << j) != 0 {
                continue;
            }
            let t = s | (1 << j);
            let c = dp[s] + into[(j << n) + s];
            if c < dp[t] {
                dp[t] = c;
                pick[t] = j as u8;
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut s = full;
    while s != 0 {
        let j = pick[s] as usize;
        out.push(j);
        s &= !(1 << j);
    }
    out.reverse();
    out
}

/// Greedy: repeatedly take the jog that costs least placed above all the
/// rest, then improve by swapping neighbours.
fn greedy_order(n: usize, cost: &[u32], base: &[usize]) -> Vec<usize> {
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let pick = base
            .iter()
            .copied()
            .filter(|&i| !done[i])
            .min_by_key(|&i| {
                (0..n)
                    .filter(|&k| !done[k] && k != i)
                    .map(|k| i64::from(cost[i * n + k]) - i64::from(cost[k * n + i]))
                    .sum::<i64>()
            })
            .unwrap_or(0);
        done[pick] = true;
        out.push(pick);
    }
    for _ in 0..n {
        let mut improved = false;
        for k in 0..n - 1 {
            let (a, b) = (out[k], out[k + 1]);
            if cost[b * n + a] < cost[a * n + b] {
                out.swap(k, k + 1);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    out
}

/// Drops repeated points and the middle of collinear runs.
fn simplify(pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for pt in pts {
        if out
            .last()
            .is_some_and(|l| (l.0 - pt.0).abs() < 1e-9 && (l.1 - pt.1).abs() < 1e-9)
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let cross = (b.0 - a.0) * (pt.1 - a.1) - (b.1 - a.1) * (pt.0 - a.0);
            let forward = (b.0 - a.0) * (pt.0 - b.0) + (b.1 - a.1) * (pt.1 - b.1) >= 0.0;
            if cross.abs() < 1e-9 && forward {
                out.pop();
            }
        }
        out.push(pt);
    }
    out
}
