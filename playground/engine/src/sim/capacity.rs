//! Capacity over time: autoscaling.
//!
//! A component with `autoscale: {max}` runs its `replicas` at least. When a
//! steady state puts it above its type's `scale_target_utilisation` u*, a
//! target-tracking policy sets it to ⌈r × ρ / u*⌉ instances (at most
//! `max`): capacity proportional to load, as AWS's target tracking scales
//! out. The new instances serve `scale_out_s` later (the catalog's figure:
//! alarm, launch, warm-up). More capacity lets more load through to the
//! nodes behind, which may then scale in their turn: each further step is
//! decided on the state the previous one produced, so a chain of tiers
//! scales in as many steps as it needs (at most [`MAX_STEPS`]).
//!
//! Normal and peak load are reported after scaling has settled (the peak
//! is sustained longer than the steps take; the steps and their times are
//! in `LoadResult::scale_outs`). A failure scenario shows each step on its
//! timeline (see `scenarios`).

use serde::Serialize;

use super::graph::Graph;
use super::steady;
use super::{Failures, LoadResult, SimInput};

/// Scaling steps followed at most; a design needing more stops there.
pub const MAX_STEPS: usize = 8;

/// Utilisation above target by less than this does not scale (rounding).
const TOLERANCE: f64 = 1e-9;

/// One component scaled out: from how many instances to how many, and when
/// the new ones serve (seconds after the load arrived).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleOut {
    pub name: String,
    pub from: u32,
    pub to: u32,
    pub after_s: f64,
}

/// The design's own instance counts.
pub(crate) fn base(g: &Graph) -> Vec<u32> {
    g.nodes.iter().map(|n| n.replicas).collect()
}

/// The next scaling step from `state` (run with `current`): the new counts
/// and how long until they serve, or None when nothing is above target.
pub(crate) fn step(g: &Graph, state: &LoadResult, current: &[u32]) -> Option<(Vec<u32>, f64)> {
    let mut next = current.to_vec();
    let mut delay: Option<f64> = None;
    for (i, n) in g.nodes.iter().enumerate() {
        let p = n.params;
        let (Some(delay_s), Some(target)) = (p.scale_out_s, p.scale_target_utilisation) else {
            continue;
        };
        let Some(load) = state.nodes.get(i) else {
            continue;
        };
        let r = current[i];
        // `max_replicas` is above the replicas only for a type that can
        // autoscale (see `graph::Node`).
        if n.max_replicas <= r || load.servers == 0 {
            continue;
        }
        let rho = load.utilisation;
        if !rho.is_finite() || rho <= target * (1.0 + TOLERANCE) {
            continue;
        }
        let wanted = libm::ceil(f64::from(r) * rho / target - TOLERANCE);
        let wanted = if wanted >= f64::from(n.max_replicas) {
            n.max_replicas
        } else {
            wanted as u32
        };
        if wanted > r {
            next[i] = wanted;
            delay = Some(delay.map_or(delay_s, |d: f64| d.max(delay_s)));
        }
    }
    delay.map(|d| (next, d))
}

/// The steady state once autoscaling has settled, and the steps it took;
/// its latency from `samples` Monte Carlo requests (0: none).
pub(crate) fn settled(
    input: &SimInput,
    g: &Graph,
    load_factor: f64,
    failures: &Failures,
    samples: u32,
    messages: &mut Vec<String>,
) -> LoadResult {
    let mut replicas = base(g);
    // Scaling decisions read utilisations, never latencies: each state is
    // flowed first, and only the settled one samples requests (the same
    // numbers as sampling every state would give).
    let sampling = steady::Sampling {
        requests: samples,
        per_origin: true,
        by_locality: true,
    };
    // How each scaling step's state is finished: unsampled, unless the
    // design cannot scale (it settles at once: its first state is the one).
    let can_scale = g.nodes.iter().any(|n| n.max_replicas > n.replicas);
    let per_step = steady::Sampling {
        requests: if can_scale { 0 } else { samples },
        ..sampling
    };
    let mut flowed = steady::flowed(input, g, load_factor, failures, &replicas, messages);
    let mut state = flowed.finish(input, g, per_step);
    let mut outs: Vec<ScaleOut> = Vec::new();
    let mut t = 0.0;
    for _ in 0..MAX_STEPS {
        let Some((next, delay)) = step(g, &state, &replicas) else {
            break;
        };
        t += delay;
        for (i, (&a, &b)) in replicas.iter().zip(&next).enumerate() {
            if b > a {
                match outs.iter_mut().find(|o| o.name == g.nodes[i].name) {
                    Some(o) => {
                        o.to = b;
                        o.after_s = t;
                    }
                    None => outs.push(ScaleOut {
                        name: g.nodes[i].name.to_string(),
                        from: a,
                        to: b,
                        after_s: t,
                    }),
                }
            }
        }
        replicas = next;
        flowed = steady::flowed(input, g, load_factor, failures, &replicas, messages);
        state = flowed.finish(input, g, per_step);
    }
    if can_scale && samples > 0 {
        state = flowed.finish(input, g, sampling);
    }
    state.scale_outs = outs;
    state
}
