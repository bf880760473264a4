//! Expected load per node: every branch's rate along its path, with each
//! node's shed fraction removed before the next, and the asynchronous copies
//! writes send (see the `steady` docs for the fixed point around it).

use super::graph::{FailState, Graph, Role};
use super::routing::Path;

/// The spread of asynchronous copies from one node: every node reachable
/// through its asynchronous edges and then any edges, each once.
pub(super) struct Wave {
    /// (node, index of the entry it was copied from or None for a first
    /// hop, the share of the copies the connection into it carries).
    entries: Vec<(usize, Option<usize>, f64)>,
}

pub(super) fn wave(g: &Graph, fail: &FailState, src: usize) -> Wave {
    let mut seen = vec![false; g.nodes.len()];
    seen[src] = true;
    let mut entries: Vec<(usize, Option<usize>, f64)> = Vec::new();
    for &t in &g.async_out[src] {
        if !seen[t] && g.reachable(fail, src, t) {
            seen[t] = true;
            entries.push((t, None, g.share(src, t).unwrap_or(1.0)));
        }
    }
    spread_from_entries(g, fail, &mut seen, &mut entries);
    Wave { entries }
}

/// Extends `entries` breadth first with every node reachable from them
/// through any edge, each once, with the connection's share: the part of
/// a spread after its first hops, shared by copies and fixed rates.
fn spread_from_entries(
    g: &Graph,
    fail: &FailState,
    seen: &mut [bool],
    entries: &mut Vec<(usize, Option<usize>, f64)>,
) {
    let mut i = 0;
    while i < entries.len() {
        let from = entries[i].0;
        for &t in &g.all_out[from] {
            if !seen[t] && g.reachable(fail, from, t) {
                seen[t] = true;
                entries.push((t, Some(i), g.share(from, t).unwrap_or(1.0)));
            }
        }
        i += 1;
    }
}

/// The spread of a fixed-rate connection's background requests: `to`
/// itself, then everything reachable from it, as a [`Wave`]. None while
/// `from` is down or cut off from `to`.
pub(super) fn fixed_wave(g: &Graph, fail: &FailState, from: usize, to: usize) -> Option<Wave> {
    if fail.down[from] || !g.reachable(fail, from, to) {
        return None;
    }
    let mut seen = vec![false; g.nodes.len()];
    seen[from] = true;
    seen[to] = true;
    let mut entries: Vec<(usize, Option<usize>, f64)> = vec![(to, None, 1.0)];
    spread_from_entries(g, fail, &mut seen, &mut entries);
    Some(Wave { entries })
}

#[derive(Default, Clone)]
pub(super) struct Flows {
    pub(super) offered: Vec<f64>,
    pub(super) served: Vec<f64>,
    pub(super) absorbed: Vec<f64>,
    pub(super) dropped: Vec<f64>,
    pub(super) forwarded: Vec<f64>,
    pub(super) no_route: Vec<f64>,
    pub(super) writes: Vec<f64>,
    /// Writes from client requests only (not replication copies).
    pub(super) own_writes: Vec<f64>,
    pub(super) completed: f64,
    pub(super) lost: f64,
    pub(super) errors: f64,
}

pub(super) fn flows(
    g: &Graph,
    paths: &[Path],
    waves: &[Option<Wave>],
    fixed: &[(Wave, f64)],
    drop: &[f64],
) -> Flows {
    let n = g.nodes.len();
    let z = vec![0.0; n];
    let mut f = Flows {
        offered: z.clone(),
        served: z.clone(),
        absorbed: z.clone(),
        dropped: z.clone(),
        forwarded: z.clone(),
        no_route: z.clone(),
        writes: z.clone(),
        own_writes: z.clone(),
        ..Flows::default()
    };
    let mut copies = z;
    for p in paths {
        let mut a = p.rate;
        let k = p.visits.len();
        for (i, v) in p.visits.iter().enumerate() {
            let m = v.node;
            f.offered[m] += a;
            let dr = a * drop[m];
            f.dropped[m] += dr;
            f.lost += dr;
            let proc = a - dr;
            if v.copies && (p.write || g.nodes[m].role == Role::Log) {
                copies[m] += proc;
            }
            if p.write && g.nodes[m].is_data() {
                f.writes[m] += proc;
                f.own_writes[m] += proc;
            }
            let ab = proc * v.hit;
            f.absorbed[m] += ab;
            f.completed += ab;
            let cont = proc - ab;
            if i + 1 == k {
                if p.no_route {
                    f.no_route[m] += cont;
                    f.errors += cont;
                } else {
                    f.served[m] += cont;
                    f.completed += cont;
                }
            } else {
                f.forwarded[m] += cont;
            }
            a = cont;
        }
    }
    // Asynchronous copies and fixed-rate background requests: each node
    // reached serves its part (load only).
    let mut arrive: Vec<f64> = Vec::new();
    let spreads = waves
        .iter()
        .enumerate()
        .filter_map(|(src, w)| w.as_ref().map(|w| (w, copies[src])))
        .chain(fixed.iter().map(|(w, r)| (w, *r)));
    for (w, rate) in spreads {
        if rate <= 0.0 {
            continue;
        }
        arrive.clear();
        for &(m, parent, share) in &w.entries {
            let a = share
                * match parent {
                    None => rate,
                    Some(pi) => arrive[pi] * (1.0 - drop[w.entries[pi].0]),
                };
            arrive.push(a);
            f.offered[m] += a;
            f.dropped[m] += a * drop[m];
            f.served[m] += a * (1.0 - drop[m]);
            if g.nodes[m].is_data() {
                f.writes[m] += a * (1.0 - drop[m]);
            }
        }
    }
    f
}
