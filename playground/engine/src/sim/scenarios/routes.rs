//! A request class's routes under a failure: which share of it fails on
//! the normal (stale) route, who notices and when, and how that share
//! changes over time (see the module docs, "Request classes" and
//! "Detection").

use super::super::LoadResult;
use super::super::graph::{FailState, Graph, Role};
use super::super::steady::Visit;
use crate::within::Within;

/// Share of a class's requests that fail on `visits`: those reaching the
/// first blocked node (down, or across a partition), else those reaching
/// the end of a path with no route.
pub(super) fn fail_share(g: &Graph, fs: &FailState, visits: &[Visit], no_route: bool) -> f64 {
    if visits.is_empty() {
        return 1.0;
    }
    let mut reach = 1.0;
    for (i, v) in visits.iter().enumerate() {
        let blocked = fs.down[v.node] || (i > 0 && !g.reachable(fs, visits[i - 1].node, v.node));
        if blocked {
            return reach;
        }
        reach *= 1.0 - v.hit;
    }
    if no_route { reach } else { 0.0 }
}

pub(super) fn same_path(a: &[Visit], b: &[Visit]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.node == y.node)
}

/// Who has to notice, and when: (detection s, DNS TTL s, node).
pub(super) fn detector(
    g: &Graph,
    stale: &[Visit],
    rerouted: &[Visit],
    timeout_s: f64,
) -> Option<(f64, f64, usize)> {
    let i = stale
        .iter()
        .zip(rerouted)
        .position(|(a, b)| a.node != b.node)
        .unwrap_or(stale.len().min(rerouted.len()));
    if i == 0 || i >= rerouted.len() {
        return None; // no alternative: the rerouted path is the stale one cut short
    }
    let d = rerouted[i - 1].node;
    let p = g.nodes[d].params;
    let hc = match (p.health_check_interval_s, p.health_check_threshold) {
        (Some(iv), Some(th))
            if matches!(g.nodes[d].role, Role::Router { .. }) && iv.is_finite() && iv >= 0.0 =>
        {
            Some(iv * f64::from(th))
        }
        _ => None,
    };
    match hc {
        Some(det) => {
            let ttl = p
                .dns_ttl_s
                .filter(|x| x.is_finite() && *x > 0.0)
                .unwrap_or(0.0);
            Some((det, ttl, d))
        }
        None => Some((timeout_s, 0.0, d)),
    }
}

/// One class's course over time.
pub(super) struct Course {
    pub(super) rate: f64,
    pub(super) stale: f64,
    pub(super) rerouted: f64,
    pub(super) promoted: f64,
    /// (detection, ttl) of the rerouting; None: nothing reroutes.
    pub(super) det: Option<(f64, f64)>,
}

impl Course {
    pub(super) fn at(&self, t: f64, failover: Option<f64>) -> f64 {
        let w = match self.det {
            None => 0.0,
            Some((d, _)) if t < d => 1.0,
            Some((d, ttl)) if ttl > 0.0 && t < d + ttl => 1.0 - (t - d) / ttl,
            Some(_) => 0.0,
        };
        let after = match failover {
            Some(fo) if t >= fo => self.promoted,
            _ => self.rerouted,
        };
        w * self.stale + (1.0 - w) * after
    }
}

pub(crate) fn shed_fraction(s: &LoadResult) -> f64 {
    let routed = s.offered_rps - s.error_rps;
    if routed > 0.0 && s.dropped_rps.is_finite() {
        (s.dropped_rps / routed).within(0.0, 1.0)
    } else {
        0.0
    }
}
