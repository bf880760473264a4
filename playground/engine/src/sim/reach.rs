//! Targets no amount of capacity can meet: a latency target below what the
//! design takes with no queueing at all (round trips and service times
//! alone), or an availability target above what the design's regions allow
//! even when no component ever fails. Such a target is "out of reach" for
//! the design, with the computation, rather than merely not met: adding
//! instances will not help; only a different design (a closer region, a
//! faster component, a second region) can.

use super::targets::latency_value;
use super::{Failures, SimInput, TargetResult, availability, steady_state};
use crate::spec::Topology;

/// Instances multiplied by this for the no-queueing run: every component
/// idles (utilisation a thousandth of normal), so waits vanish.
const IDLE_FACTOR: u32 = 1000;

/// The design with every component at [`IDLE_FACTOR`] times its instances.
fn idle(topology: &Topology) -> Topology {
    let mut idle = topology.clone();
    for c in &mut idle.components {
        c.replicas = c.replicas.saturating_mul(IDLE_FACTOR);
        c.autoscale = None;
    }
    idle
}

/// Marks a failing availability target that the design cannot meet at any
/// instance count: by connectivity alone, with components so replicated
/// that they never all fail, the design's regions still cap it below the
/// target (the scenarios can only lower it further).
pub(crate) fn mark_availability(input: &SimInput, targets: &mut [TargetResult]) {
    let Some(goal) = input.targets.availability else {
        return;
    };
    let Some(t) = targets
        .iter_mut()
        .find(|t| t.name == "availability" && t.passed == Some(false))
    else {
        return;
    };
    let idle = idle(input.topology);
    let ceiling = availability(&SimInput {
        topology: &idle,
        ..*input
    })
    .fraction;
    // At the cap exactly, the target needs components that never fail.
    if ceiling <= goal + 1e-12 {
        t.out_of_reach = Some(crate::report::scenario_text::availability_out_of_reach(
            IDLE_FACTOR,
            ceiling,
            input.regions.network.region_availability,
            goal,
        ));
    }
}

/// Marks the failing latency targets that the design cannot meet at any
/// instance count: `out_of_reach` says why, with the no-queueing figure.
pub(crate) fn mark(input: &SimInput, targets: &mut [TargetResult]) {
    let latency = &input.targets.latency;
    let failing: Vec<usize> = targets
        .iter()
        .enumerate()
        .filter(|(_, t)| t.name.starts_with("latency") && t.passed == Some(false))
        .map(|(i, _)| i)
        .collect();
    if failing.is_empty() {
        return;
    }
    let idle = idle(input.topology);
    let idle_input = SimInput {
        topology: &idle,
        ..*input
    };
    let floor = steady_state(&idle_input, 1.0, &Failures::default());
    // Latency targets come first in `check_targets`, in their order.
    for i in failing {
        let Some(lt) = latency.get(i) else { continue };
        let Some(min) = latency_value(&floor, lt.scope, lt.percentile) else {
            continue;
        };
        if min > lt.max_ms {
            targets[i].out_of_reach = Some(crate::report::scenario_text::latency_out_of_reach(
                IDLE_FACTOR,
                min,
                lt.max_ms,
            ));
        }
    }
}
