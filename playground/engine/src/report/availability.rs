//! Availability over a year as a reader reads it: the headline figure and
//! where the downtime comes from, failure mode by failure mode.

use serde::Serialize;

use super::format::duration;
use crate::decimal::fixed;
use crate::sim::AvailabilityResult;

/// Rows shown at most; the rest are summed into one.
const MAX_ROWS: usize = 8;

#[derive(Serialize)]
pub struct AvailabilityView {
    pub percent: String,
    pub nines: String,
    pub downtime: String,
    /// False while only connectivity is counted (the playground, before the
    /// failure scenarios have run).
    pub from_scenarios: bool,
    /// Where the downtime comes from, largest first.
    pub modes: Vec<ModeRow>,
}

#[derive(Serialize)]
pub struct ModeRow {
    pub cause: String,
    /// "about once a year", "every 3.2 years".
    pub how_often: String,
    pub outage: String,
    /// Mean share of requests failing during one outage.
    pub failing: String,
    /// Its part of the downtime a year.
    pub downtime: String,
}

/// Seconds with a decimal below 10 s, so sub-second shares do not read "0 s".
fn downtime(secs: f64) -> String {
    if secs < 10.0 {
        format!("{} s", fixed(secs, 1))
    } else {
        duration(secs)
    }
}

fn how_often(per_year: Option<f64>) -> String {
    match per_year {
        None => "—".to_string(),
        Some(n) if n >= 1.5 => format!("{} times a year", fixed(n, 0)),
        Some(n) if n >= 0.75 => "about once a year".to_string(),
        Some(n) if n > 0.0 => {
            let years = 1.0 / n;
            if years >= 1e6 {
                "less than once in a million years".to_string()
            } else {
                format!("once in {} years", super::format::round(years))
            }
        }
        Some(_) => "never".to_string(),
    }
}

pub fn availability_view(a: &AvailabilityResult) -> AvailabilityView {
    let mut modes: Vec<ModeRow> = Vec::new();
    let shown: Vec<_> = a
        .modes
        .iter()
        .filter(|m| m.downtime_per_year_s >= 0.05)
        .collect();
    for m in shown.iter().take(MAX_ROWS) {
        modes.push(ModeRow {
            cause: m.scenario.clone(),
            how_often: how_often(m.per_year),
            outage: m
                .outage_s
                .map_or_else(|| "until restored".to_string(), duration),
            failing: format!("{}%", fixed(m.mean_error * 100.0, 2)),
            downtime: downtime(m.downtime_per_year_s),
        });
    }
    let rest: f64 = shown
        .iter()
        .skip(MAX_ROWS)
        .map(|m| m.downtime_per_year_s)
        .sum::<f64>()
        + a.modes
            .iter()
            .filter(|m| m.downtime_per_year_s < 0.05)
            .map(|m| m.downtime_per_year_s)
            .sum::<f64>();
    let others = a.modes.len() - shown.len().min(MAX_ROWS);
    if others > 0 && rest >= 0.05 {
        modes.push(ModeRow {
            cause: format!("{others} other failures, each alone"),
            how_often: "—".to_string(),
            outage: "—".to_string(),
            failing: "—".to_string(),
            downtime: downtime(rest),
        });
    }
    for (secs, cause) in [
        (a.several_at_once_per_year_s, "Several failures at once"),
        (
            a.normal_error_per_year_s,
            "Failing with nothing failed (no route or shed)",
        ),
    ] {
        if secs >= 0.05 {
            modes.push(ModeRow {
                cause: cause.to_string(),
                how_often: "—".to_string(),
                outage: "—".to_string(),
                failing: "—".to_string(),
                downtime: downtime(secs),
            });
        }
    }
    AvailabilityView {
        percent: format!("{}%", fixed(a.fraction * 100.0, 4)),
        nines: fixed(a.nines, 1),
        downtime: duration(a.downtime_per_year_s),
        from_scenarios: a.from_scenarios,
        modes,
    }
}
