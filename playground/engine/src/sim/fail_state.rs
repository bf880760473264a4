//! Failures resolved against the graph: which nodes are down, which
//! regions are cut off from each other, how many servers each node has
//! left, and where global nodes serve a lost region's users.

use super::Failures;
use super::graph::{Graph, Node, Role};

/// Failures resolved against the graph.
///
/// A global component (other than a client or an edge router, see
/// [`Node::is_edge`]) is spread evenly over the design's regions (`Graph::design_region`): losing m of those K regions leaves it ⌈servers × (K − m)/K⌉
/// servers (its share in each lost region is gone, the survivors take the
/// load), and it is down only when all K are lost.
pub(crate) struct FailState {
    /// Node down: named in the failures, in a failed region (clients excepted:
    /// users do not go down with a data centre), global with every region of
    /// the design failed, or with 0 replicas.
    pub down: Vec<bool>,
    pub partitions: Vec<(usize, usize)>,
    /// Concrete regions failed (by region index).
    pub region_down: Vec<bool>,
    /// Servers each node has left (replicas × concurrency, less a global
    /// node's share in failed regions).
    pub servers: Vec<u64>,
    /// The design's regions, and how many of them are live: a global node
    /// keeps `live / design` of its servers.
    pub design_regions: u64,
    pub live_regions: u64,
    /// Where global nodes serve requests from each origin region: the origin
    /// itself, or when it is failed the live region of the design with the
    /// smallest round trip from it (ties to regions.yaml order).
    pub at: Vec<usize>,
    /// How spilling routers split users with no local target (see
    /// `spill`); empty until `steady::flowed` works them out.
    pub spill: Vec<super::spill::SpillRule>,
}

/// A global component other than a client, spread over the design's
/// `design` regions (none when the design has no region).
fn spread(n: &Node, design: u64) -> bool {
    n.is_spread() && design > 0
}

/// ⌈servers × live / design⌉ for a global node spread over the design's
/// regions, else all its servers.
fn share_of(n: &Node, replicas: u32, live: u64, design: u64) -> u64 {
    let s = u64::from(replicas) * u64::from(n.concurrency);
    if spread(n, design) && live < design {
        let part = u128::from(s) * u128::from(live);
        part.div_ceil(u128::from(design)) as u64
    } else {
        s
    }
}

impl FailState {
    pub fn new(g: &Graph, f: &Failures, messages: &mut Vec<String>) -> FailState {
        let nr = g.region_ids.len();
        let mut region_down = vec![false; nr];
        for r in &f.regions {
            match g.region_index(r) {
                Some(i) if !g.region_global[i] => region_down[i] = true,
                Some(_) => messages.push(format!(
                    "failure of region {r}: global services are not failed by region"
                )),
                None => messages.push(format!("failure of unknown region {r} ignored")),
            }
        }
        let concrete = (0..nr).filter(|&i| g.design_region[i]).count() as u64;
        let live = (0..nr)
            .filter(|&i| g.design_region[i] && !region_down[i])
            .count() as u64;
        let mut down: Vec<bool> = g
            .nodes
            .iter()
            .map(|n| {
                n.replicas == 0
                    || (!n.global && n.role != Role::Client && region_down[n.region])
                    || (spread(n, concrete) && live == 0)
            })
            .collect();
        let servers: Vec<u64> = g
            .nodes
            .iter()
            .map(|n| share_of(n, n.replicas, live, concrete))
            .collect();
        let at: Vec<usize> = (0..nr)
            .map(|o| {
                if g.region_global[o] || !region_down[o] {
                    return o;
                }
                let mut best: Option<usize> = None;
                for r in (0..nr).filter(|&r| g.design_region[r] && !region_down[r]) {
                    if best.is_none_or(|b| g.rtt[o][r] < g.rtt[o][b]) {
                        best = Some(r);
                    }
                }
                best.unwrap_or(o)
            })
            .collect();
        for c in &f.components {
            match g.nodes.iter().position(|n| n.name == c) {
                Some(i) => down[i] = true,
                None => messages.push(format!("failure of unknown component {c} ignored")),
            }
        }
        let mut partitions = Vec::new();
        for (a, b) in &f.partitions {
            match (g.region_index(a), g.region_index(b)) {
                (Some(x), Some(y)) => partitions.push((x, y)),
                _ => messages.push(format!("partition {a} / {b}: unknown region, ignored")),
            }
        }
        FailState {
            down,
            partitions,
            region_down,
            servers,
            design_regions: concrete,
            live_regions: live,
            at,
            spill: Vec::new(),
        }
    }

    /// Servers node `i` has left when it runs `replicas` instances (as
    /// autoscaling sets them): a global node keeps its live regions' share.
    pub fn servers_with(&self, g: &Graph, i: usize, replicas: u32) -> u64 {
        share_of(
            &g.nodes[i],
            replicas,
            self.live_regions,
            self.design_regions,
        )
    }

    pub fn partitioned(&self, a: usize, b: usize) -> bool {
        a != b
            && self
                .partitions
                .iter()
                .any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
    }
}
