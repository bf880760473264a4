//! Where requests start: the workload's rate and read/write mix, and its
//! split over the design's clients (or entry points) and origin regions
//! (see the `sim` docs, "Sources").

use super::SimInput;
use super::graph::{Graph, Role};
use crate::decimal::shortest;
use crate::spec::Workload;
use crate::within::Within;

#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub client: usize,
    pub origin: usize,
    /// Fraction of workload.rps (all sources sum to 1).
    pub share: f64,
}

/// The workload's request rate at `load_factor` and its write fraction, made
/// safe for any input an editor can produce: a negative, NaN or infinite rate
/// is no traffic; the write fraction is clamped to [0, 1] (NaN: no writes).
pub(crate) fn request_rates(workload: &Workload, load_factor: f64) -> (f64, f64) {
    let rps = workload.rps * load_factor;
    let rps = if rps.is_finite() && rps > 0.0 {
        rps
    } else {
        0.0
    };
    let wf = workload.write_fraction;
    let wf = if wf.is_finite() {
        wf.within(0.0, 1.0)
    } else {
        0.0
    };
    (rps, wf)
}

/// Splits the workload over the clients (see `sim` docs, "Sources"); a
/// design without a client sends it from its entry points instead (see
/// "Entry points" in the `graph` module docs), each treated like a client.
pub(crate) fn sources(g: &Graph, input: &SimInput, messages: &mut Vec<String>) -> Vec<Source> {
    let mut clients: Vec<usize> = (0..g.nodes.len())
        .filter(|&i| g.nodes[i].role == Role::Client)
        .collect();
    if clients.is_empty() {
        clients = g.entry_points();
        if clients.is_empty() {
            messages.push("no client in the design: nothing sends requests".to_string());
            return Vec::new();
        }
        let names: Vec<&str> = clients.iter().map(|&i| g.nodes[i].name).collect();
        messages.push(format!(
            "no client in the design: requests enter at {}",
            names.join(", ")
        ));
    }
    let global: Vec<usize> = clients
        .iter()
        .copied()
        .filter(|&c| g.nodes[c].global)
        .collect();
    let mut out = Vec::new();
    let mut shares: Vec<(usize, f64)> = Vec::new();
    for (r, s) in &input.workload.client_regions {
        match g.region_index(r) {
            Some(i) if !g.region_global[i] && s.is_finite() && *s > 0.0 => shares.push((i, *s)),
            Some(_) if s.is_finite() && *s == 0.0 => {}
            _ => messages.push(format!(
                "client region {r} (share {}) ignored",
                shortest(*s)
            )),
        }
    }
    if !shares.is_empty() {
        let all_global = global.len() == clients.len();
        for &(r, s) in &shares {
            let local: Vec<usize> = clients
                .iter()
                .copied()
                .filter(|&c| !g.nodes[c].global && g.nodes[c].region == r)
                .collect();
            let takers = if !all_global && !local.is_empty() {
                local
            } else if !global.is_empty() {
                global.clone()
            } else {
                messages.push(format!(
                    "traffic from {} has no client there; the other regions' clients carry it",
                    g.region_ids[r]
                ));
                continue;
            };
            let each = s / takers.len() as f64;
            for c in takers {
                out.push(Source {
                    client: c,
                    origin: r,
                    share: each,
                });
            }
        }
        if out.is_empty() {
            messages.push("no client sits in a region of the workload's client_regions; clients share the traffic evenly".to_string());
        }
    }
    if out.is_empty() {
        let used: Vec<usize> = (0..g.region_ids.len())
            .filter(|&i| g.design_region[i])
            .collect();
        let each = 1.0 / clients.len() as f64;
        for &c in &clients {
            let n = &g.nodes[c];
            if !n.global || used.is_empty() {
                out.push(Source {
                    client: c,
                    origin: n.region,
                    share: each,
                });
            } else {
                for &r in &used {
                    out.push(Source {
                        client: c,
                        origin: r,
                        share: each / used.len() as f64,
                    });
                }
            }
        }
    }
    let total: f64 = out.iter().map(|s| s.share).sum();
    if total > 0.0 {
        for s in &mut out {
            s.share /= total;
        }
    }
    out
}
