//! One scenario over time: the routes of every request class, the failover,
//! the phases of steady states (rerouted, autoscaled, promoted), the error
//! rate and P95 at each second, the recovery time and the targets.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::capacity;
use super::super::graph::{DataKind, FailState, Graph, Role, constant};
use super::super::steady;
use super::super::{Failures, LoadResult, SimInput, check_targets};
use super::failover::{failover_time, promoted_topology, promotions};
use super::profile::ErrorProfile;
use super::routes::{Course, detector, fail_share, same_path, shed_fraction};
use super::{
    Ctx, Memo, RECOVERY_MARGIN, ScenarioKind, ScenarioResult, TIMELINE_MAX_S, TIMELINE_START_S,
    TIMELINE_TAIL_S, TimelinePoint, norm_parts,
};
use crate::report::scenario_text::{self as text, Event};
use crate::within::Within;

impl Ctx<'_, '_> {
    pub(super) fn run(
        &self,
        name: String,
        kind: ScenarioKind,
        f: Failures,
        memo: &mut Memo,
    ) -> ScenarioResult {
        let (input, g) = (self.input, self.g);
        let mut sink = Vec::new();
        let fs = FailState::new(g, &f, &mut sink);
        let timeout_ms = super::super::request_timeout_ms(input);
        let timeout_s = timeout_ms / 1000.0;
        // Failover: lost primaries → their surviving replication targets.
        let promos = if kind == ScenarioKind::Partition {
            Vec::new()
        } else {
            promotions(input, g, &fs, self.none)
        };
        let failover = failover_time(g, &promos);

        // Rerouted paths, and whether anything changes at all.
        let mut courses = Vec::with_capacity(self.classes.len());
        let mut detectors: Vec<(f64, f64, usize)> = Vec::new();
        let mut paths_same = true;
        for c in self.classes {
            let (p1, nr1) = if fs.down[c.client] {
                (Vec::new(), true)
            } else {
                steady::walk(g, &fs, c.client, c.origin, c.write)
            };
            paths_same &= nr1 == c.no_route && same_path(&c.path, &p1);
            let stale = fail_share(g, &fs, &c.path, c.no_route);
            let rerouted = fail_share(g, &fs, &p1, nr1);
            let det = if stale > 0.0 {
                detector(g, &c.path, &p1, timeout_s)
            } else {
                None
            };
            if let Some(d) = det
                && !detectors.contains(&d)
            {
                detectors.push(d);
            }
            courses.push(Course {
                rate: c.rate,
                stale,
                rerouted,
                promoted: rerouted,
                det: det.map(|(d, t, _)| (d, t)),
            });
        }
        // Failed regions count too: they cut global nodes' servers and move
        // where they serve lost origins from.
        let mut down = fs.down.clone();
        down.extend_from_slice(&fs.region_down);
        let parts = norm_parts(&fs);
        let global_intact = fs.servers == self.none.servers && fs.at == self.none.at;

        // The promoted design (failover applied), when anything fails over.
        let promoted = (!promos.is_empty()).then(|| promoted_topology(input.topology, g, &promos));
        let pin = promoted.as_ref().map(|topo| SimInput {
            topology: topo,
            ..*input
        });
        let g2 = pin.as_ref().map(Graph::build);
        if let Some(g2) = &g2 {
            let fs2 = FailState::new(g2, &f, &mut sink);
            // Same components in the same order, so node indices agree.
            if g2.nodes.len() == g.nodes.len() {
                for (c, course) in self.classes.iter().zip(courses.iter_mut()) {
                    let (p2, nr2) = if fs2.down[c.client] {
                        (Vec::new(), true)
                    } else {
                        steady::walk(g2, &fs2, c.client, c.origin, c.write)
                    };
                    course.promoted = fail_share(g2, &fs2, &p2, nr2);
                }
            }
        }

        let t_route = courses
            .iter()
            .filter_map(|c| c.det.map(|(d, t)| d + t))
            .fold(0.0, f64::max);
        // Phases from the rerouting on: a steady state from each start time.
        // The design runs what autoscaling gave it under normal load; a
        // scaling step decided on one phase's state lands `scale_out_s`
        // later (capacity::step); the failover swaps in the promoted design.
        let start: Vec<u32> = self.normal.nodes.iter().map(|n| n.replicas).collect();
        let reuse_normal = paths_same && promos.is_empty() && global_intact;
        // A phase's latency is sampled only where it is read: the settled
        // phase's always, an earlier phase's when the timeline shows its
        // P95 (below). Scaling and error rates read flows and queues only,
        // which are the same either way.
        let mut state_for = |replicas: &[u32],
                             promoted_now: bool,
                             sampled: bool,
                             sink: &mut Vec<String>|
         -> Rc<LoadResult> {
            let key_promos: &[(usize, usize)] = if promoted_now { &promos } else { &[] };
            if reuse_normal && replicas == start.as_slice() {
                return memo
                    .normal
                    .get_or_insert_with(|| Rc::new(self.normal.clone()))
                    .clone();
            }
            let (input, g) = match (promoted_now, &pin, &g2) {
                (true, Some(pin), Some(g2)) => (pin, g2),
                _ => (input, g),
            };
            let unsampled = steady::Sampling {
                requests: 0,
                ..self.sampling
            };
            if let Some(at) = memo.find(&down, &parts, key_promos, replicas) {
                let entry = &mut memo.entries[at];
                if sampled && let Some(flowed) = entry.2.take() {
                    entry.1 = Rc::new(flowed.finish(input, g, self.sampling));
                }
                return entry.1.clone();
            }
            let flowed = steady::flowed(input, g, 1.0, &f, replicas, sink);
            let s =
                Rc::new(flowed.finish(input, g, if sampled { self.sampling } else { unsampled }));
            memo.entries.push((
                (
                    down.clone(),
                    parts.clone(),
                    key_promos.to_vec(),
                    replicas.to_vec(),
                ),
                s.clone(),
                (!sampled).then_some(flowed),
            ));
            s
        };
        let mut phases: Vec<(f64, Rc<LoadResult>)> = Vec::new();
        // Each phase's instance counts and whether the failover is in.
        let mut phase_runs: Vec<(Vec<u32>, bool)> = Vec::new();
        let mut scaled: Vec<(f64, usize, u32)> = Vec::new();
        let mut replicas = start.clone();
        let mut t = t_route;
        let mut promoted_now = failover.is_some_and(|fo| fo <= t);
        let mut pending: Option<(f64, Vec<u32>)> = None;
        for _ in 0..=(2 * capacity::MAX_STEPS + 2) {
            let state = state_for(&replicas, promoted_now, false, &mut sink);
            if pending.is_none() {
                let graph = match (promoted_now, &g2) {
                    (true, Some(g2)) => g2,
                    _ => g,
                };
                pending = capacity::step(graph, &state, &replicas).map(|(next, d)| (t + d, next));
            }
            phases.push((t, state));
            phase_runs.push((replicas.clone(), promoted_now));
            let next_failover = failover.filter(|&fo| !promoted_now && fo > t);
            match (&pending, next_failover) {
                (Some((at, _)), Some(fo)) if fo < *at => {
                    t = fo;
                    promoted_now = true;
                }
                (None, Some(fo)) => {
                    t = fo;
                    promoted_now = true;
                }
                (Some(_), _) => {
                    let (at, next) = pending.take().expect("a pending step");
                    for (i, (&a, &b)) in replicas.iter().zip(&next).enumerate() {
                        if b > a {
                            scaled.push((at, i, b));
                        }
                    }
                    t = at;
                    replicas = next;
                    if failover.is_some_and(|fo| fo <= t) {
                        promoted_now = true;
                    }
                }
                (None, None) => break,
            }
        }
        let t_settle = phases.last().map_or(t_route, |p| p.0).max(t_route);
        let t_settle = t_settle.max(failover.unwrap_or(0.0));
        let (last_replicas, last_promoted) = phase_runs.last().expect("at least one phase");
        let settled = &*state_for(last_replicas, *last_promoted, true, &mut sink);
        let total: f64 = courses.iter().map(|c| c.rate).sum();
        let normal = self.normal;
        // The phase in force at t ≥ t_route (the last to start by then).
        let phase_at = |t: f64| phases.iter().rposition(|p| p.0 <= t);
        let state_at = |t: f64| -> &LoadResult {
            if t < t_route {
                return normal;
            }
            phase_at(t).map_or(normal, |j| &*phases[j].1)
        };
        // The error rate at 0 ≤ t < t_settle.
        let error_between = |t: f64| -> f64 {
            let er = if total > 0.0 {
                courses
                    .iter()
                    .map(|c| c.rate * c.at(t, failover))
                    .sum::<f64>()
                    / total
            } else {
                0.0
            };
            let d = shed_fraction(state_at(t));
            (er + (1.0 - er) * d).within(0.0, 1.0)
        };
        // It changes only where one of its terms does (a detection, a DNS
        // answer expiring, the failover, a phase starting) and along a DNS
        // TTL's decay. The timeline and the RTO search ask for it at every
        // second, so its value between two such times is computed once: the
        // same arithmetic on the same terms, so the same number.
        let mut cuts: Vec<f64> = vec![0.0, t_route, t_settle];
        cuts.extend(failover);
        cuts.extend(phases.iter().map(|p| p.0));
        let mut ramps: Vec<(f64, f64)> = Vec::new();
        for (d, ttl) in courses.iter().filter_map(|c| c.det) {
            cuts.push(d);
            if ttl > 0.0 {
                cuts.push(d + ttl);
                ramps.push((d, d + ttl));
            }
        }
        crate::sort::sort_by(&mut cuts, f64::total_cmp);
        cuts.dedup();
        let interval_error: RefCell<Vec<Option<f64>>> = RefCell::new(vec![None; cuts.len() + 1]);
        let error_at = |t: f64| -> f64 {
            if t < 0.0 {
                return normal.error_rate.within(0.0, 1.0);
            }
            if t >= t_settle {
                return settled.error_rate.within(0.0, 1.0);
            }
            if ramps.iter().any(|&(d, end)| t >= d && t < end) {
                return error_between(t);
            }
            let i = cuts.partition_point(|&c| c <= t);
            let known = interval_error.borrow()[i];
            known.unwrap_or_else(|| {
                let e = error_between(t);
                interval_error.borrow_mut()[i] = Some(e);
                e
            })
        };

        // RTO.
        let threshold = normal.error_rate + RECOVERY_MARGIN;
        let rto_s = if settled.error_rate >= threshold {
            None
        } else {
            let end = libm::ceil(t_settle) as i64;
            let mut last_bad: Option<f64> = None;
            for k in 0..=end.max(0) {
                let t = k as f64;
                if t < t_settle && error_at(t) >= threshold {
                    last_bad = Some(t);
                }
            }
            Some(match last_bad {
                None => 0.0,
                Some(lo) => {
                    let (mut lo, mut hi) = (lo, (lo + 1.0).min(t_settle.max(lo)));
                    if error_at(hi) >= threshold {
                        hi = t_settle;
                    }
                    for _ in 0..40 {
                        let mid = 0.5 * (lo + hi);
                        if error_at(mid) >= threshold {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    hi
                }
            })
        };

        // Events.
        let mut events: Vec<(f64, String)> = vec![(0.0, Event::Failure.text())];
        for &(d, ttl, node) in &detectors {
            let n = &g.nodes[node];
            let what = if matches!(n.role, Role::Router { .. })
                && n.params.health_check_interval_s.is_some()
                && n.params.health_check_threshold.is_some()
            {
                Event::Detected(n.name).text()
            } else {
                Event::TimedOut(n.name).text()
            };
            events.push((d, what));
            if ttl > 0.0 {
                events.push((d + ttl, Event::DnsExpired(n.name).text()));
            }
        }
        for &(at, i, to) in &scaled {
            events.push((at, Event::ScaledTo(g.nodes[i].name, to).text()));
        }
        if let Some(fo) = failover {
            for &(p, t) in &promos {
                let what = if g.nodes[t].role == Role::Data(DataKind::Replica) {
                    Event::Promoted(g.nodes[t].name).text()
                } else {
                    Event::WritesMoved(g.nodes[p].name, g.nodes[t].name).text()
                };
                events.push((fo, what));
            }
        }
        crate::sort::sort_by(&mut events, |a, b| a.0.total_cmp(&b.0));
        events.dedup();

        // Timeline.
        let last_event = events.iter().map(|e| e.0).fold(0.0, f64::max);
        let end = match rto_s {
            Some(r) => r.max(last_event) + TIMELINE_TAIL_S,
            None => t_settle.max(last_event) + TIMELINE_TAIL_S,
        };
        let end = libm::ceil(end.within(TIMELINE_TAIL_S, TIMELINE_MAX_S)) as i64;
        let start = TIMELINE_START_S as i64;
        let errors: Vec<(f64, f64)> = (start..=end)
            .map(|k| {
                let t = k as f64;
                (t, error_at(t))
            })
            .collect();
        // P95 at each point: the normal state's before the failure, the
        // request timeout while ≥ 5 % of requests fail, else the phase's (the
        // settled state's from t_settle). The phases shown are sampled now.
        let p95_from = |t: f64, e: f64| -> P95From {
            if t < 0.0 {
                P95From::Normal
            } else if e >= 0.05 {
                P95From::Timeout
            } else if t >= t_settle {
                P95From::Settled
            } else {
                match phase_at(t).filter(|_| t >= t_route) {
                    Some(j) => P95From::Phase(j),
                    None => P95From::Normal,
                }
            }
        };
        let mut phase_p95: Vec<Option<f64>> = vec![None; phases.len()];
        for &(t, e) in &errors {
            if let P95From::Phase(j) = p95_from(t, e)
                && phase_p95[j].is_none()
            {
                let (replicas, promoted_now) = &phase_runs[j];
                phase_p95[j] = Some(state_for(replicas, *promoted_now, true, &mut sink).p95_ms);
            }
        }
        let timeline: Vec<TimelinePoint> = errors
            .iter()
            .map(|&(t, e)| TimelinePoint {
                t_s: t,
                error_rate: e,
                p95_ms: match p95_from(t, e) {
                    P95From::Normal => normal.p95_ms,
                    P95From::Timeout => timeout_ms,
                    P95From::Settled => settled.p95_ms,
                    P95From::Phase(j) => phase_p95[j].expect("a shown phase is sampled"),
                },
            })
            .collect();
        let peak_error_rate = timeline
            .iter()
            .filter(|p| p.t_s >= 0.0)
            .map(|p| p.error_rate)
            .fold(error_at(0.0), f64::max);

        // The error rate exactly, for availability over a year: overall and
        // by the requests' origin region.
        let mut breaks: Vec<f64> = vec![t_route, t_settle];
        breaks.extend(failover);
        breaks.extend(phases.iter().map(|p| p.0));
        for c in &courses {
            if let Some((d, ttl)) = c.det {
                breaks.extend([d, d + ttl]);
            }
        }
        let profile = ErrorProfile::build(&breaks, t_settle, error_at(t_settle), error_at);
        let mut by_origin = Vec::new();
        for (r, id) in g.region_ids.iter().enumerate() {
            let mine: Vec<&Course> = self
                .classes
                .iter()
                .zip(&courses)
                .filter(|(c, _)| c.origin == r)
                .map(|(_, course)| course)
                .collect();
            let rate: f64 = mine.iter().map(|c| c.rate).sum();
            if rate <= 0.0 {
                continue;
            }
            let origin_error = |t: f64| -> f64 {
                let t = t.max(0.0);
                let er = mine.iter().map(|c| c.rate * c.at(t, failover)).sum::<f64>() / rate;
                let d = shed_fraction(if t >= t_settle { settled } else { state_at(t) });
                (er + (1.0 - er) * d).within(0.0, 1.0)
            };
            by_origin.push((
                id.to_string(),
                ErrorProfile::build(&breaks, t_settle, origin_error(t_settle), origin_error),
            ));
        }

        // Data loss.
        let (rpo_s, data_lost_writes, data_loss) = self.data_loss(&fs, kind, &f);

        let what = match kind {
            ScenarioKind::RegionLoss => f.regions[0].as_str(),
            ScenarioKind::ComponentLoss => f.components[0].as_str(),
            ScenarioKind::Partition => "",
        };
        let recovery = text::recovery(rto_s, kind, what, settled.error_rate);

        // Targets. Availability is a yearly figure that already counts this
        // scenario (see `yearly`), so it is not re-checked during it.
        let checked = check_targets(input, settled, self.normal_avail, self.cost);
        let mut targets_broken: Vec<String> = checked
            .iter()
            .zip(self.normal_targets)
            .filter(|(s, n)| n.passed == Some(true) && s.passed == Some(false))
            .map(|(s, _)| text::broken_target(&s.name, &s.target))
            .collect();
        if let Some(x) = constant(input, "rto_seconds")
            && rto_s.is_none_or(|r| r > x)
        {
            targets_broken.push(text::broken_rto(x));
        }
        if let Some(x) = constant(input, "rpo_seconds")
            && rpo_s.is_none_or(|r| r > x)
        {
            targets_broken.push(text::broken_rpo(x));
        }

        ScenarioResult {
            name,
            kind,
            failures: f,
            detection_s: t_route,
            failover_s: failover,
            rto_s,
            rpo_s,
            data_lost_writes,
            data_loss,
            recovery,
            peak_error_rate,
            error_rate_after: settled.error_rate.within(0.0, 1.0),
            p95_after_ms: settled.p95_ms,
            timeline,
            events,
            targets_broken,
            profile,
            profile_by_origin: by_origin,
        }
    }
}

/// Which state's P95 a timeline point shows.
enum P95From {
    Normal,
    /// Requests failing count at the request timeout.
    Timeout,
    Settled,
    /// The phase at this index (its latency sampled for it).
    Phase(usize),
}
