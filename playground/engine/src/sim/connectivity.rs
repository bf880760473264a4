//! Availability by connectivity (see [`reliability`](super::reliability)):
//! the share of requests that find a route when components and regions
//! fail at random, under one set of failures already in place. The design's
//! graph and sources do not depend on the failures, so they are built once
//! and reused for every set (`yearly.rs` asks for one per scenario).

use super::graph::{FailState, Graph};
use super::sources::{Source, request_rates, sources};
use super::{
    AvailabilityResult, Failures, RegionAvailability, SimInput, availability, reliability,
};
use crate::within::Within;

pub(crate) struct Connectivity<'a> {
    g: Graph<'a>,
    srcs: Vec<Source>,
    /// The share of requests that are writes.
    wf: f64,
    region_availability: f64,
}

/// What fails at random: components and regions at their catalog and
/// region-data availabilities, or nothing (`yearly.rs` asks what the
/// failures in place alone leave reachable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Random {
    Failures,
    Nothing,
}

impl<'a> Connectivity<'a> {
    pub(crate) fn new(input: &SimInput<'a>) -> Connectivity<'a> {
        let g = Graph::build(input);
        let srcs = sources(&g, input, &mut Vec::new());
        let (_, wf) = request_rates(input.workload, 1.0);
        Connectivity {
            g,
            srcs,
            wf,
            region_availability: input.regions.network.region_availability,
        }
    }

    /// Availability with `failures` in place (they count as down).
    pub(crate) fn with(&self, failures: &Failures, random: Random) -> AvailabilityResult {
        let (g, srcs) = (&self.g, &self.srcs[..]);
        let fail = FailState::new(g, failures, &mut Vec::new());
        let certain = random == Random::Nothing;
        let region_availability = if certain {
            1.0
        } else {
            self.region_availability
        };
        let per =
            reliability::source_availability(g, &fail, srcs, self.wf, region_availability, certain);
        let total: f64 = srcs.iter().map(|s| s.share).sum();
        let fraction = if total > 0.0 {
            srcs.iter().zip(&per).map(|(s, a)| s.share * a).sum::<f64>() / total
        } else {
            0.0
        };
        let mut per_region = Vec::new();
        for (ri, id) in g.region_ids.iter().enumerate() {
            let (mut w, mut a) = (0.0, 0.0);
            for (s, v) in srcs.iter().zip(&per) {
                if s.origin == ri {
                    w += s.share;
                    a += s.share * v;
                }
            }
            if w > 0.0 {
                per_region.push(RegionAvailability {
                    region: id.to_string(),
                    fraction: a / w,
                });
            }
        }
        let fraction = fraction.within(0.0, 1.0);
        AvailabilityResult {
            fraction,
            // Capped so it stays finite; `+ 0.0` turns −0 (A = 0) into 0.
            nines: availability::nines(fraction).min(99.0) + 0.0,
            downtime_per_year_s: availability::downtime_per_year_s(fraction),
            per_region,
            modes: Vec::new(),
            normal_error_per_year_s: 0.0,
            several_at_once_per_year_s: 0.0,
            from_scenarios: false,
        }
    }
}
