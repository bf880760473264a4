//! Targets checked against a load state, availability and cost: latency
//! percentiles by scope, throughput, availability (counted over a year once
//! the scenarios are in, see `yearly`), replication lag and budget, plus the
//! problem's unchecked targets verbatim.

use super::{AvailabilityResult, CostResult, LoadResult, SimInput, TargetResult};
use crate::decimal::fixed;
use crate::spec::{LatencyScope, Percentile};

/// A target's figure as an author wrote it: whole numbers with thousands
/// separators, fractions to at most six decimals ("99.999", not the float
/// error of 0.99999 × 100).
pub(crate) fn fmt_num(x: f64) -> String {
    if x == libm::round(x) && x.abs() < 1e15 {
        crate::report::format::round(x)
    } else {
        let s = fixed(x, 6);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn pct_label(p: Percentile) -> &'static str {
    match p {
        Percentile::P50 => "P50",
        Percentile::P95 => "P95",
        Percentile::P99 => "P99",
    }
}

/// A latency percentile of `l` over the requests of `scope` (None when
/// there are none of that scope).
pub(crate) fn latency_value(l: &LoadResult, scope: LatencyScope, p: Percentile) -> Option<f64> {
    let pcts = match scope {
        LatencyScope::Overall => Some((l.p50_ms, l.p95_ms, l.p99_ms)),
        LatencyScope::SameRegion => l.same_region.map(|x| (x.p50_ms, x.p95_ms, x.p99_ms)),
        LatencyScope::CrossRegion => l.cross_region.map(|x| (x.p50_ms, x.p95_ms, x.p99_ms)),
    }?;
    Some(match p {
        Percentile::P50 => pcts.0,
        Percentile::P95 => pcts.1,
        Percentile::P99 => pcts.2,
    })
}

/// Every target checked against one load state, availability and cost (the
/// normal state in [`evaluate`]; a failure's settled state in [`scenarios`]).
pub(crate) fn check_targets(
    input: &SimInput,
    normal: &LoadResult,
    avail: &AvailabilityResult,
    cost: &CostResult,
) -> Vec<TargetResult> {
    let t = input.targets;
    let mut targets = Vec::new();
    for lt in &t.latency {
        let (scope_text, what) = match lt.scope {
            LatencyScope::Overall => ("", "requests"),
            LatencyScope::SameRegion => (" same-region", "same-region requests"),
            LatencyScope::CrossRegion => (" cross-region", "cross-region requests"),
        };
        let has_requests = lt.scope != LatencyScope::Overall || normal.offered_rps > 0.0;
        let value = latency_value(normal, lt.scope, lt.percentile).filter(|_| has_requests);
        targets.push(TargetResult {
            name: format!("latency {}{}", pct_label(lt.percentile), scope_text),
            target: format!(
                "{} ≤ {} ms{}",
                pct_label(lt.percentile),
                fmt_num(lt.max_ms),
                scope_text
            ),
            value,
            unit: "ms".into(),
            passed: value.map(|v| v <= lt.max_ms),
            note: if value.is_some() {
                String::new()
            } else {
                format!("no {what} at normal load")
            },
            out_of_reach: None,
        });
    }
    if let Some(x) = t.throughput_rps {
        targets.push(TargetResult {
            name: "throughput".into(),
            target: format!("≥ {} requests/s", fmt_num(x)),
            value: Some(normal.throughput_rps),
            unit: "rps".into(),
            passed: Some(normal.throughput_rps >= x * (1.0 - 1e-9)),
            note: "requests completed successfully at normal load".into(),
            out_of_reach: None,
        });
    }
    if let Some(x) = t.availability {
        // Over a year, with the failure scenarios (see `yearly`); until they
        // are counted the figure is not checked.
        let counted = avail.from_scenarios;
        targets.push(TargetResult {
            name: "availability".into(),
            target: format!("≥ {}%", fmt_num(x * 100.0)),
            value: counted.then_some(avail.fraction),
            unit: "fraction".into(),
            passed: counted.then_some(avail.fraction >= x),
            note: if counted {
                "over a year, each failure as its scenario shows it".into()
            } else {
                "counted with the failure scenarios".into()
            },
            out_of_reach: None,
        });
    }
    if let Some(x) = t.replication_lag_ms {
        let v = normal.replication_lag_ms;
        targets.push(TargetResult {
            name: "replication lag".into(),
            target: format!("≤ {} ms", fmt_num(x)),
            value: Some(v.unwrap_or(0.0)),
            unit: "ms".into(),
            passed: Some(v.unwrap_or(0.0) <= x),
            note: if v.is_none() {
                "no asynchronous replication in the design".into()
            } else {
                String::new()
            },
            out_of_reach: None,
        });
    }
    if let Some(x) = t.monthly_budget_usd {
        targets.push(TargetResult {
            name: "budget".into(),
            target: format!("≤ ${} / month", fmt_num(x)),
            value: Some(cost.per_month),
            unit: "USD/month".into(),
            passed: Some(cost.per_month <= x),
            note: String::new(),
            out_of_reach: None,
        });
    }
    for u in &t.unchecked {
        targets.push(TargetResult {
            name: "unchecked".into(),
            target: u.clone(),
            value: None,
            unit: String::new(),
            passed: None,
            note: "the model cannot check this".into(),
            out_of_reach: None,
        });
    }
    targets
}
