//! Failover: which surviving store takes over from each lost primary, how
//! long the promotion takes, and the design once it has.

use super::super::SimInput;
use super::super::graph::{DataKind, FailState, Graph, Role};
use crate::spec::{Connection, Topology};

/// Lost primaries (down under `fs`, up in `none`) paired with the surviving
/// store they replicate into that takes over: the nearest primary, else the
/// nearest replica.
pub(super) fn promotions(
    input: &SimInput,
    g: &Graph,
    fs: &FailState,
    none: &FailState,
) -> Vec<(usize, usize)> {
    let mut promos = Vec::new();
    if input.catalog.resolve("db_primary").is_none() {
        return promos;
    }
    for p in 0..g.nodes.len() {
        let lost = fs.down[p] && !none.down[p];
        if !lost || g.nodes[p].role != Role::Data(DataKind::Primary) {
            continue;
        }
        let alive = |k: DataKind| {
            g.async_out[p]
                .iter()
                .copied()
                .filter(move |&t| !fs.down[t] && g.nodes[t].role == Role::Data(k))
        };
        let region = g.nodes[p].region;
        let to = g
            .best(region, alive(DataKind::Primary))
            .or_else(|| g.best(region, alive(DataKind::Replica)));
        if let Some(t) = to {
            promos.push((p, t));
        }
    }
    promos
}

/// The catalog's promotion time, the longest over `promos`: in-region
/// (Multi-AZ) or, when the successor is in another region, cross-region.
/// None when nothing fails over. A problem's `failover_time_seconds` is
/// its requirement; it does not change how long a promotion takes.
pub(super) fn failover_time(g: &Graph, promos: &[(usize, usize)]) -> Option<f64> {
    (!promos.is_empty()).then(|| {
        promos
            .iter()
            .filter_map(|&(p, t)| {
                let params = g.nodes[p].params;
                let same = g.nodes[p].region == g.nodes[t].region
                    && !g.nodes[p].global
                    && !g.nodes[t].global;
                if same {
                    params.failover_s
                } else {
                    params.cross_region_failover_s.or(params.failover_s)
                }
            })
            .filter(|x| x.is_finite() && *x >= 0.0)
            .fold(0.0, f64::max)
    })
}

/// The design after failover: each promoted replica becomes a db_primary
/// and every component calling the lost primary also calls its successor.
pub(super) fn promoted_topology(t: &Topology, g: &Graph, promos: &[(usize, usize)]) -> Topology {
    let mut topo = t.clone();
    for &(p, s) in promos {
        let (pn, sn) = (g.nodes[p].name, g.nodes[s].name);
        if g.nodes[s].role == Role::Data(DataKind::Replica)
            && let Some(c) = topo.components.iter_mut().find(|c| c.name == sn)
        {
            c.component_type = "db_primary".to_string();
        }
        let callers: Vec<String> = t
            .connections
            .iter()
            .filter(|c| c.to == pn)
            .filter(|c| {
                g.nodes
                    .iter()
                    .find(|n| n.name == c.from)
                    .is_some_and(|n| !n.is_data())
            })
            .map(|c| c.from.clone())
            .collect();
        for from in callers {
            if !topo
                .connections
                .iter()
                .any(|c| c.from == from && c.to == sn)
            {
                topo.connections.push(Connection {
                    from,
                    to: sn.to_string(),
                    sync: false,
                    share: None,
                    rate: None,
                });
            }
        }
    }
    topo
}
