//! Failover: the design once lost primaries' successors are promoted.

use super::super::graph::{DataKind, Graph, Role};
use crate::spec::{Connection, Topology};

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
                });
            }
        }
    }
    topo
}
