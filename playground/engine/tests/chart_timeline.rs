//! The failure-timeline chart: accessible, one path per series, a marker
//! per event time, escaped text, nothing external, deterministic.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::Constant;
use meridian_engine::chart::{ChartOptions, timeline_svg, timeline_table};
use meridian_engine::sim::evaluate;
use meridian_engine::sim::scenarios::ScenarioResult;
use sim_common::*;

fn scenario(name: &str) -> ScenarioResult {
    let t = topo(
        vec![
            comp("Users", "client", "global", 1),
            comp("GeoDNS", "cdn", "global", 1),
            comp("US <LB>", "lb", "us", 2),
            comp("US App", "app", "us", 4),
            comp("US DB", "db_primary", "us", 1),
            comp("EU LB", "lb", "eu", 2),
            comp("EU App", "app", "eu", 4),
            comp("EU DB", "db_replica", "eu", 1),
        ],
        &[
            ("Users", "GeoDNS"),
            ("GeoDNS", "US <LB>"),
            ("US <LB>", "US App"),
            ("US App", "US DB"),
            ("GeoDNS", "EU LB"),
            ("EU LB", "EU App"),
            ("EU App", "EU DB"),
            ("US DB", "EU DB"),
        ],
    );
    let mut c = Case::new(t, 200.0, 0.2);
    c.constants
        .insert("failover_time_seconds".into(), Constant::Int(30));
    c.catalog.simulation.latency_samples = 500;
    let e = evaluate(&c.input());
    e.scenarios.into_iter().find(|s| s.name == name).unwrap()
}

fn opts() -> ChartOptions {
    ChartOptions {
        title: "Region us lost & <recovery>".into(),
        description: "Error rate \"and\" P95 over time".into(),
        id_prefix: "scn 1".into(),
    }
}

#[test]
fn accessible_and_complete() {
    let s = scenario("Region us lost");
    let svg = timeline_svg(&s, &opts());
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"aria-labelledby="scn-1-title scn-1-desc""#));
    assert!(
        svg.contains(r#"<title id="scn-1-title">Region us lost &amp; &lt;recovery&gt;</title>"#)
    );
    assert!(
        svg.contains(r#"<desc id="scn-1-desc">Error rate &quot;and&quot; P95 over time</desc>"#)
    );
    assert!(svg.contains("viewBox=\"0 0 "));
    // Its natural size as attributes, and no inline style (CSP).
    assert!(svg.contains(r#"width=""#) && svg.contains(r#"height=""#));
    assert!(!svg.contains("style"), "inline style in the chart");
    assert_eq!(svg.matches("class=\"series-error\"").count(), 1);
    assert_eq!(svg.matches("class=\"series-latency\"").count(), 1);
    // A marker per distinct event time, each labelled.
    let mut times: Vec<f64> = s.events.iter().map(|e| e.0).collect();
    times.dedup();
    assert!(times.len() >= 3, "{:?}", s.events);
    assert_eq!(svg.matches("<g class=\"marker\">").count(), times.len());
    for l in ["failure", "detection", "DNS TTL", "failover"] {
        assert!(svg.contains(&format!(">{l}</text>")), "{l}");
    }
    // Fallback colours and CSS variables, in the stylesheet served beside
    // the page (figures.css).
    let css = meridian_engine::report::figures_css();
    for v in [
        "var(--chart-error,#cf222e)",
        "var(--chart-latency,#0969da)",
        "var(--chart-axis,#57606a)",
        "var(--chart-grid,#d8dee4)",
    ] {
        assert!(css.contains(v), "{v}");
    }
    assert!(css.contains("stroke-dasharray"));
    assert!(svg.contains(">0%<") && svg.contains(">100%<"));
    // Nothing external, no unescaped component text.
    assert!(!svg.contains("href"));
    assert!(!svg.contains("url("));
    assert!(!svg.contains("http://") || svg.matches("http://").count() == 1);
    assert!(!svg.contains("<LB>"));
    assert!(svg.ends_with("</svg>"));
    // Balanced tags, roughly: as many <g as </g>.
    assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
}

#[test]
fn escapes_event_labels() {
    let s = scenario("US <LB> lost");
    let svg = timeline_svg(&s, &opts());
    assert!(svg.contains("US &lt;LB&gt;") || !s.events.iter().any(|e| e.1.contains('<')));
    assert!(!svg.contains("US <LB>"));
}

#[test]
fn deterministic() {
    let s = scenario("Region us lost");
    assert_eq!(timeline_svg(&s, &opts()), timeline_svg(&s, &opts()));
}

#[test]
fn table_keeps_changes() {
    let s = scenario("Region us lost");
    let t = timeline_table(&s);
    assert!(t.len() >= 3 && t.len() < s.timeline.len());
    assert_eq!(t[0].0, s.timeline[0].t_s);
    assert_eq!(t.last().unwrap().0, s.timeline.last().unwrap().t_s);
    assert!(t.windows(2).all(|w| w[0].0 < w[1].0));
    // Every change of value is a row.
    for w in s.timeline.windows(2) {
        if w[1].error_rate != w[0].error_rate || w[1].p95_ms != w[0].p95_ms {
            assert!(t.iter().any(|r| r.0 == w[1].t_s));
        }
    }
}

#[test]
fn empty_timeline_does_not_panic() {
    let mut s = scenario("Region us lost");
    s.timeline.clear();
    s.events.clear();
    let svg = timeline_svg(&s, &ChartOptions::default());
    assert!(svg.contains("role=\"img\""));
    assert!(timeline_table(&s).is_empty());
}
