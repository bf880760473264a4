//! Availability over a year, from the same model as the failure scenarios
//! (see the simulator chapter, "Availability").
//!
//! Each failure mode m (a region lost, a component lost) takes a fraction
//! p_m of the year and, while it lasts, fails a mean fraction ē_m of
//! requests: the scenario's error rate averaged over one outage of length
//! D_m (detection, DNS expiry, failover and autoscaling included, then the
//! settled rate). The connectivity model of [`super::reliability`] counts
//! every combination of failures, but with the error a failure *settles*
//! at, by routes alone; its single-failure states are replaced by the
//! scenarios:
//!
//! U = S(U_conn) + Σ_m p_m (ē_m − S(e_m^conn)),  A = 1 − U
//!
//! with e₀ the share of routed requests shed at normal load, S(e) = e + (1 − e) e₀
//! (in any state, shedding fails e₀ of the requests that have a route) and
//! e_m^conn the share of requests with no route while m alone is down.
//! Equivalently, U is e₀ (1 − Σp) + Σ p_m ē_m (each failure alone, as its
//! scenario shows it) plus (1 − e₀) times the connectivity model's
//! remainder, several failures at once.
//!
//! * region r: p = 1 − `region_availability`, D = `region_outage_h`;
//! * component c with k instances of availability a: p = (1 − a)^k (all
//!   down), D = `repair_s` / k (k independent repairs: the first to finish
//!   ends the outage). A type without `repair_s` is counted at its settled
//!   error rate (an outage that never ends early).
//!
//! * instances failing inside a group, short of the whole component: the
//!   modes of [`super::instances`], each counted at its mean error against
//!   the all-up connectivity, lasting the type's `repair_s` / d_min.
//!
//! Partitions are not counted: the data files give no rate for them.

use serde::Serialize;

use super::availability::{SECONDS_PER_YEAR, downtime_per_year_s, nines, replicated};
use super::connectivity::{Connectivity, Random};
use super::scenarios::{ScenarioKind, ScenarioResult};
use super::{AvailabilityResult, LoadResult, RegionAvailability, SimInput};
use crate::within::Within;

/// One failure mode's part of the unavailability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureMode {
    /// The scenario's name ("Region us lost", "US DB lost").
    pub scenario: String,
    /// Fraction of the year the failure lasts.
    pub probability: f64,
    /// Length of one outage, seconds (None: until restored, unbounded).
    pub outage_s: Option<f64>,
    /// Outages a year: probability × year / outage.
    pub per_year: Option<f64>,
    /// Mean fraction of requests failing over one outage (the scenario).
    pub mean_error: f64,
    /// Requests failing per year, as seconds of total outage: p × ē × year.
    pub downtime_per_year_s: f64,
}

/// Fraction of time `s` is down and how long one outage lasts.
fn exposure(input: &SimInput, s: &ScenarioResult) -> Option<(f64, f64)> {
    match s.kind {
        ScenarioKind::RegionLoss => {
            let ra = input.regions.network.region_availability;
            let p = if ra.is_finite() {
                (1.0 - ra).within(0.0, 1.0)
            } else {
                0.0
            };
            let d = input
                .regions
                .network
                .region_outage_h
                .filter(|h| h.is_finite() && *h > 0.0)
                .map_or(f64::INFINITY, |h| h * 3600.0);
            Some((p, d))
        }
        ScenarioKind::ComponentLoss => {
            let [name] = s.failures.components.as_slice() else {
                return None;
            };
            let c = input.topology.components.iter().find(|c| &c.name == name)?;
            let id = input.catalog.resolve(&c.component_type)?;
            let sim = &input.catalog.types[id].sim;
            let a = if sim.availability.is_finite() {
                sim.availability.within(0.0, 1.0)
            } else {
                0.0
            };
            let k = c.replicas.max(1);
            let p = 1.0 - replicated(a, k);
            let d = sim
                .repair_s
                .filter(|r| r.is_finite() && *r > 0.0)
                .map_or(f64::INFINITY, |r| r / f64::from(k));
            Some((p, d))
        }
        ScenarioKind::Partition => None,
    }
}

/// Availability over a year from the connectivity model `conn`, the state
/// at normal load and the scenarios (see module docs).
pub fn availability(
    input: &SimInput,
    conn: &AvailabilityResult,
    normal: &LoadResult,
    scenarios: &[ScenarioResult],
) -> AvailabilityResult {
    // e₀: the share of routed requests shed at normal load (requests with
    // no route are connectivity's, already in U_conn).
    let e0 = super::scenarios::shed_fraction(normal);
    // Everything up: the requests failing at normal load (no route or shed).
    let base = normal.error_rate.within(0.0, 1.0);
    // In any state, shedding fails e₀ of the requests that have a route.
    let with_shedding = |conn_u: f64| conn_u + e0 * (1.0 - conn_u);
    let mut u = with_shedding(1.0 - conn.fraction);
    let mut by_region: Vec<(String, f64)> = conn
        .per_region
        .iter()
        .map(|r| (r.region.clone(), with_shedding(1.0 - r.fraction)))
        .collect();
    // What each failure set alone leaves reachable, nothing else failing.
    let sure = Connectivity::new(input);
    let mut modes = Vec::new();
    let mut single = base;
    for s in scenarios {
        let Some((p, d)) = exposure(input, s) else {
            continue;
        };
        if p.is_nan() || p <= 0.0 {
            continue;
        }
        let e_bar = s.profile.mean_error(d);
        let a = sure.with(&s.failures, Random::Nothing);
        u += p * (e_bar - with_shedding(1.0 - a.fraction));
        single += p * (e_bar - base);
        for (region, ur) in &mut by_region {
            let Some((_, prof)) = s.profile_by_origin.iter().find(|(r, _)| r == region) else {
                continue;
            };
            let conn_r = a
                .per_region
                .iter()
                .find(|x| &x.region == region)
                .map_or(0.0, |x| 1.0 - x.fraction);
            *ur += p * (prof.mean_error(d) - with_shedding(conn_r));
        }
        let finite = d.is_finite();
        modes.push(FailureMode {
            scenario: s.name.clone(),
            probability: p,
            outage_s: finite.then_some(d),
            per_year: finite.then(|| p * SECONDS_PER_YEAR / d),
            mean_error: e_bar,
            downtime_per_year_s: p * e_bar * SECONDS_PER_YEAR,
        });
    }
    // Instances failing inside a group (see `instances`): everything stays
    // connected, so each mode counts against the all-up connectivity.
    let all_up = sure.with(&super::Failures::default(), Random::Nothing);
    for m in super::instances::modes(input, normal) {
        let p = m.probability;
        u += p * (m.mean_error - with_shedding(1.0 - all_up.fraction));
        single += p * (m.mean_error - base);
        let home = normal
            .nodes
            .iter()
            .find(|n| *n.name == *m.component)
            .map(|n| n.region.clone());
        for (region, ur) in &mut by_region {
            // A regional group's shedding is counted against its own
            // region's users; a global group's against every region's.
            if home
                .as_deref()
                .is_some_and(|h| h != "global" && h != region)
            {
                continue;
            }
            let conn_r = all_up
                .per_region
                .iter()
                .find(|x| &x.region == region)
                .map_or(0.0, |x| 1.0 - x.fraction);
            *ur += p * (m.mean_error - with_shedding(conn_r));
        }
        let repair = input
            .topology
            .components
            .iter()
            .find(|c| c.name == m.component)
            .and_then(|c| input.catalog.resolve(&c.component_type))
            .and_then(|id| input.catalog.types[id].sim.repair_s)
            .filter(|r| r.is_finite() && *r > 0.0);
        // The mode ends when the first of its down instances is replaced.
        let d = repair.map(|r| r / f64::from(m.shed_from));
        modes.push(FailureMode {
            scenario: crate::report::scenario_text::instances_down(
                &m.component,
                m.shed_from,
                m.instances,
            ),
            probability: p,
            outage_s: d,
            per_year: d.map(|d| p * SECONDS_PER_YEAR / d),
            mean_error: m.mean_error,
            downtime_per_year_s: p * m.mean_error * SECONDS_PER_YEAR,
        });
    }
    // Largest share first; ties keep scenario order.
    crate::sort::sort_by(&mut modes, |a, b| {
        b.downtime_per_year_s.total_cmp(&a.downtime_per_year_s)
    });
    let fraction = (1.0 - u).within(0.0, 1.0);
    let several = (u - single).max(0.0);
    AvailabilityResult {
        fraction,
        nines: nines(fraction).min(99.0) + 0.0,
        downtime_per_year_s: downtime_per_year_s(fraction),
        per_region: by_region
            .into_iter()
            .map(|(region, ur)| RegionAvailability {
                region,
                fraction: (1.0 - ur).within(0.0, 1.0),
            })
            .collect(),
        modes,
        normal_error_per_year_s: base * SECONDS_PER_YEAR,
        several_at_once_per_year_s: several * SECONDS_PER_YEAR,
        from_scenarios: true,
    }
}
