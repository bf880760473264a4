//! Timeline charts of failure scenarios ([`crate::sim::scenarios`]) as
//! standalone, accessible SVG: two stacked panels sharing the time axis,
//! error rate (0–100 %) above and P95 latency below, with dashed markers
//! for the failure, detections and failover.
//!
//! Colours come from CSS variables with inline fallbacks (as in
//! [`crate::svg`]); nothing is fetched: generic fonts only, no links.

use std::fmt::Write;

use crate::sim::scenarios::ScenarioResult;
use crate::svg::{escape, id_safe, num, open_svg};
use crate::within::Within;

#[derive(Debug, Clone, Default)]
pub struct ChartOptions {
    pub title: String,
    pub description: String,
    /// Prefixes element ids (title, desc) so several charts can share a page.
    pub id_prefix: String,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 372.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
/// Top of the error-rate panel (room above for event labels).
const TOP1: f64 = 56.0;
const PANEL_H: f64 = 110.0;
/// Top of the latency panel.
const TOP2: f64 = TOP1 + PANEL_H + 44.0;

/// The charts' stylesheet, served as a file like [`crate::svg::DIAGRAM_CSS`].
pub const CHART_CSS: &str = "\
.chart{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:11px}\
.chart .axis{stroke:var(--chart-axis,#57606a);fill:none}\
.chart .tick-label,.chart .axis-label{fill:var(--chart-axis,#57606a)}\
.chart .axis-label{font-weight:600}\
.chart .grid{stroke:var(--chart-grid,#d8dee4);fill:none}\
.chart .series-error{stroke:var(--chart-error,#cf222e);fill:none;stroke-width:2}\
.chart .series-latency{stroke:var(--chart-latency,#0969da);fill:none;stroke-width:2}\
.chart .marker line{stroke:var(--chart-axis,#57606a);stroke-dasharray:4 3}\
.chart .marker text{fill:var(--chart-axis,#57606a);font-size:11px}";

/// 1, 2 or 5 × 10^k at or above x (x > 0).
fn nice_ceil(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let p = libm::pow(10.0, libm::floor(libm::log10(x)));
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= x * (1.0 - 1e-12) {
            return m * p;
        }
    }
    10.0 * p
}

fn time_step(span: f64) -> f64 {
    for s in [5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0] {
        if span / s <= 10.0 {
            return s;
        }
    }
    900.0
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", num(ms / 1000.0))
    } else {
        format!("{} ms", num(ms))
    }
}

/// The points where a value changes, as (t s, error rate, P95 ms): the
/// first point, every point whose error rate or P95 differs from the one
/// before, and the last point. For a text table beside the chart.
pub fn timeline_table(s: &ScenarioResult) -> Vec<(f64, f64, f64)> {
    let pts = &s.timeline;
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    for (i, p) in pts.iter().enumerate() {
        let changed = i == 0
            || i + 1 == pts.len()
            || p.error_rate != pts[i - 1].error_rate
            || p.p95_ms != pts[i - 1].p95_ms;
        if changed {
            out.push((p.t_s, p.error_rate, p.p95_ms));
        }
    }
    out
}

/// Keeps the ends of runs of equal values (the polyline is unchanged).
fn compact(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for (i, &p) in pts.iter().enumerate() {
        let keep = i == 0 || i + 1 == pts.len() || p.1 != pts[i - 1].1 || p.1 != pts[i + 1].1;
        if keep {
            out.push(p);
        }
    }
    out
}

/// The scenario's timeline as an accessible SVG (see module docs).
pub fn timeline_svg(s: &ScenarioResult, opts: &ChartOptions) -> String {
    let prefix = id_safe(&opts.id_prefix, "chart");
    let pts = &s.timeline;
    let t0 = pts.first().map_or(-10.0, |p| p.t_s);
    let mut t1 = pts.last().map_or(60.0, |p| p.t_s);
    if t1.partial_cmp(&t0) != Some(std::cmp::Ordering::Greater) {
        t1 = t0 + 1.0;
    }
    let plot_w = WIDTH - LEFT - RIGHT;
    let x = |t: f64| LEFT + (t.within(t0, t1) - t0) / (t1 - t0) * plot_w;
    let y_err = |e: f64| TOP1 + PANEL_H * (1.0 - e.within(0.0, 1.0));
    let max_ms = nice_ceil(
        pts.iter()
            .map(|p| p.p95_ms)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max),
    );
    let y_lat = |ms: f64| TOP2 + PANEL_H * (1.0 - (ms / max_ms).within(0.0, 1.0));

    let mut o = String::new();
    open_svg(
        &mut o,
        "chart timeline",
        WIDTH,
        HEIGHT,
        &prefix,
        &opts.title,
        &opts.description,
    );

    // Grid, axes and ticks.
    let step = time_step(t1 - t0);
    let mut ticks = Vec::new();
    let mut t = libm::ceil(t0 / step) * step;
    while t <= t1 + 1e-9 {
        ticks.push(t);
        t += step;
    }
    o.push_str(r#"<g class="axes">"#);
    for (top, label) in [(TOP1, "Error rate"), (TOP2, "P95 latency")] {
        for &tk in &ticks {
            let _ = write!(
                o,
                r##"<line class="grid" x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#d8dee4"/>"##,
                x = num(x(tk)),
                y1 = num(top),
                y2 = num(top + PANEL_H)
            );
        }
        let _ = write!(
            o,
            r##"<path class="axis" d="M{l} {t}V{b}H{r}" stroke="#57606a" fill="none"/>"##,
            l = num(LEFT),
            t = num(top),
            b = num(top + PANEL_H),
            r = num(WIDTH - RIGHT)
        );
        let _ = write!(
            o,
            r##"<text class="axis-label" x="{x}" y="{y}" text-anchor="end" fill="#57606a">{}</text>"##,
            escape(label),
            x = num(WIDTH - RIGHT),
            y = num(top - 6.0)
        );
        for &tk in &ticks {
            let _ = write!(
                o,
                r##"<text class="tick-label" x="{x}" y="{y}" text-anchor="middle" fill="#57606a">{}</text>"##,
                num(tk),
                x = num(x(tk)),
                y = num(top + PANEL_H + 14.0)
            );
        }
    }
    for k in 0..=4 {
        let e = f64::from(k) / 4.0;
        let ms = max_ms * f64::from(k) / 4.0;
        for (yy, label) in [(y_err(e), format!("{}%", k * 25)), (y_lat(ms), fmt_ms(ms))] {
            let _ = write!(
                o,
                r##"<line class="grid" x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="#d8dee4"/><text class="tick-label" x="{lx}" y="{ty}" text-anchor="end" fill="#57606a">{}</text>"##,
                escape(&label),
                l = num(LEFT),
                r = num(WIDTH - RIGHT),
                y = num(yy),
                lx = num(LEFT - 6.0),
                ty = num(yy + 4.0)
            );
        }
    }
    let _ = write!(
        o,
        r##"<text class="axis-label" x="{x}" y="{y}" text-anchor="middle" fill="#57606a">time since failure (s)</text>"##,
        x = num(LEFT + plot_w / 2.0),
        y = num(HEIGHT - 6.0)
    );
    o.push_str("</g>");

    // Series.
    let line = |vals: Vec<(f64, f64)>| -> String {
        let mut d = String::new();
        for (i, (px, py)) in compact(&vals).into_iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                num(px),
                num(py)
            );
        }
        d
    };
    if !pts.is_empty() {
        let d = line(
            pts.iter()
                .map(|p| (x(p.t_s), y_err(p.error_rate)))
                .collect(),
        );
        let _ = write!(
            o,
            r##"<path class="series-error" d="{d}" stroke="#cf222e" fill="none" stroke-width="2"><title>Error rate</title></path>"##
        );
        let d = line(
            pts.iter()
                .map(|p| {
                    (
                        x(p.t_s),
                        y_lat(if p.p95_ms.is_finite() {
                            p.p95_ms
                        } else {
                            max_ms
                        }),
                    )
                })
                .collect(),
        );
        let _ = write!(
            o,
            r##"<path class="series-latency" d="{d}" stroke="#0969da" fill="none" stroke-width="2"><title>P95 latency</title></path>"##
        );
    }

    // Event markers: events at the same time share one marker.
    let mut marks: Vec<(f64, Vec<&str>)> = Vec::new();
    for (t, label) in &s.events {
        if !t.is_finite() || *t < t0 || *t > t1 {
            continue;
        }
        match marks.iter_mut().find(|m| m.0 == *t) {
            Some(m) => m.1.push(label),
            None => marks.push((*t, vec![label])),
        }
    }
    o.push_str(r#"<g class="markers">"#);
    for (i, (t, labels)) in marks.iter().enumerate() {
        let short = short_label(labels[0]);
        let full = labels.join("; ");
        let row = (i % 3) as f64;
        let _ = write!(
            o,
            r##"<g class="marker"><title>{full} at {ts} s</title><line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#57606a" stroke-dasharray="4 3"/><text x="{tx}" y="{ty}" fill="#57606a">{short}</text></g>"##,
            full = escape(&full),
            ts = num(*t),
            short = escape(&short),
            x = num(x(*t)),
            y1 = num(18.0 + 12.0 * row),
            y2 = num(TOP2 + PANEL_H),
            tx = num(x(*t) + 3.0),
            ty = num(14.0 + 12.0 * row),
        );
    }
    o.push_str("</g></svg>");
    o
}

/// "failure", "detection", "DNS TTL", "failover" from an event's label.
fn short_label(l: &str) -> String {
    if l == "failure" {
        "failure".into()
    } else if l.ends_with("cached DNS answers expire") {
        "DNS TTL".into()
    } else if l.starts_with("failover") {
        "failover".into()
    } else if l.contains("detect") || l.contains("time out") {
        "detection".into()
    } else {
        l.chars().take(24).collect()
    }
}
