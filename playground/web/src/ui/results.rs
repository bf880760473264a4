//! The results of the design on screen, written from the engine's
//! evaluation through the same formatting as the prerendered page
//! (`meridian_engine::report`), so identical designs show identical numbers.

use meridian_engine::report::{SimulationView, scenario_detail, scenario_row, tier_views, view};
use meridian_engine::sim::Evaluation;
use meridian_engine::sim::scenarios::{ScenarioResult, worst_scenario};
use meridian_engine::tiers::evaluate_tiers;
use web_sys::Element;

use super::dom::{add, attrs, el, table};
use crate::session::Session;

/// The steady results; the failure scenarios go into `#pg-scenarios`, filled
/// by [`render_scenarios`] once they are computed.
pub fn render(container: &Element, s: &Session, evaluation: Option<&Evaluation>) {
    container.set_text_content(None);
    add(
        container,
        &attrs(&el("h3", "", "Results"), &[("id", "pg-results-title")]),
    );
    let problems = s.problems();
    if !problems.is_empty() {
        let ul = el("ul", "pg-problems", "");
        for p in &problems {
            add(&ul, &el("li", "", p));
        }
        add(container, &ul);
    }
    tiers(container, s, evaluation);
    let Some(e) = evaluation else {
        add(
            container,
            &el(
                "p",
                "",
                "This problem states no workload, so only the tiers are checked.",
            ),
        );
        return;
    };
    let Some(workload) = s.data.workload.as_ref() else {
        return;
    };
    let v = view(e, workload, "pg", |t| {
        s.data
            .catalog
            .get(t)
            .map_or_else(|| t.to_string(), |ty| ty.label.clone())
    });
    summary(container, &v);
    targets(container, &v);
    metrics(container, &v);
    downtime(container, &v);
    let section = attrs(&el("div", "pg-scenarios", ""), &[("id", "pg-scenarios")]);
    add(&section, &el("h4", "", "Failure scenarios"));
    add(
        &section,
        &el("p", "pg-help", "Working out the failure scenarios…"),
    );
    add(container, &section);
    if !v.messages.is_empty() {
        let ul = el("ul", "sim-messages", "");
        for m in &v.messages {
            add(&ul, &el("li", "", m));
        }
        add(container, &ul);
    }
}

fn tiers(container: &Element, s: &Session, evaluation: Option<&Evaluation>) {
    let results = evaluation.map_or_else(
        || evaluate_tiers(&s.data.tiers, s.design(), &s.data.catalog),
        |e| e.tiers.clone(),
    );
    let views = tier_views(&results);
    let all = !views.is_empty() && views.iter().all(|t| t.passed);
    if all {
        add(
            container,
            &el(
                "p",
                "pg-celebrate",
                "★ Every tier passes. Now try the failure scenarios below.",
            ),
        );
    }
    let ol = attrs(&el("ol", "pg-tiers", ""), &[("aria-label", "Tiers")]);
    for t in &views {
        let li = el("li", if t.passed { "tier-pass" } else { "tier-fail" }, "");
        let head = el("p", "pg-tier-head", "");
        let status = el(
            "span",
            if t.passed {
                "status status-pass"
            } else {
                "status status-fail"
            },
            "",
        );
        add(
            &status,
            &attrs(
                &el("span", "", if t.passed { "✓" } else { "✗" }),
                &[("aria-hidden", "true")],
            ),
        );
        super::dom::add_text(&status, if t.passed { " Passed" } else { " Not yet" });
        add(&head, &status);
        super::dom::add_text(&head, &format!(" {} {}", t.id, t.title));
        add(&li, &head);
        let rules = el("ul", "pg-rules", "");
        for r in &t.rules {
            let item = el("li", &format!("rule-{}", r.status), "");
            add(
                &item,
                &attrs(&el("span", "", r.symbol), &[("aria-hidden", "true")]),
            );
            super::dom::add_text(&item, &format!(" {}: {}", r.status_label, r.explanation));
            add(&rules, &item);
        }
        add(&li, &rules);
        add(&ol, &li);
    }
    add(container, &ol);
}

fn summary(container: &Element, v: &SimulationView) {
    let p = el("p", "pg-summary", "");
    let availability = if v.availability.from_scenarios {
        format!(
            "Availability {} ({} nines)",
            v.availability.percent, v.availability.nines
        )
    } else {
        "Availability: counted once the failure scenarios are worked out".to_string()
    };
    p.set_text_content(Some(&format!(
        "{availability}; cost {} an hour, {} a month{}.",
        v.cost.per_hour,
        v.cost.per_month,
        match (&v.cost.budget, v.cost.within_budget) {
            (Some(b), Some(true)) => format!(", within the {b} budget"),
            (Some(b), Some(false)) => format!(", over the {b} budget"),
            _ => String::new(),
        }
    )));
    add(container, &p);
}

fn targets(container: &Element, v: &SimulationView) {
    if v.targets.is_empty() {
        return;
    }
    add(container, &el("h4", "", "Targets at normal load"));
    let rows: Vec<Vec<String>> = v
        .targets
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.target.clone(),
                t.value.clone(),
                format!("{} {}", t.symbol, t.status_label),
            ]
        })
        .collect();
    let t = table(
        "targets pg-targets",
        "",
        &["Target", "Required", "Simulated", "Result"],
        &rows,
    );
    // Row classes colour the result cell; the symbol and label carry it too.
    if let Ok(trs) = t.query_selector_all("tbody tr") {
        for (i, row) in v.targets.iter().enumerate() {
            if let Some(tr) = trs
                .item(i as u32)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<Element>(n).ok())
            {
                tr.set_class_name(&format!("status-{}", row.status));
            }
        }
    }
    add(container, &t);
}

fn metrics(container: &Element, v: &SimulationView) {
    add(container, &el("h4", "", "Normal load and peak"));
    let rows: Vec<Vec<String>> = v
        .metrics
        .iter()
        .map(|m| vec![m.label.to_string(), m.normal.clone(), m.peak.clone()])
        .collect();
    add(
        container,
        &table(
            "metrics pg-metrics",
            "",
            &["Measure", "Normal load", "Peak (no autoscaling)"],
            &rows,
        ),
    );
}

/// Where the downtime a year comes from (once the scenarios are counted).
fn downtime(container: &Element, v: &SimulationView) {
    if v.availability.modes.is_empty() {
        return;
    }
    add(container, &el("h4", "", "Where the downtime comes from"));
    let rows: Vec<Vec<String>> = v
        .availability
        .modes
        .iter()
        .map(|m| {
            vec![
                m.cause.clone(),
                m.how_often.clone(),
                m.outage.clone(),
                m.failing.clone(),
                m.downtime.clone(),
            ]
        })
        .collect();
    add(
        container,
        &table(
            "availability pg-availability",
            "",
            &[
                "Cause",
                "How often",
                "One outage lasts",
                "Requests failing meanwhile",
                "Downtime a year",
            ],
            &rows,
        ),
    );
}

/// The scenario picker and the picked scenario, into `#pg-scenarios`:
/// `scenarios` are the evaluation's plus the reader's own, if any; `pick` is
/// the name of the scenario to show (the worst when none or unknown).
pub fn render_scenarios(results: &Element, scenarios: &[ScenarioResult], pick: Option<&str>) {
    let Ok(Some(container)) = results.query_selector("#pg-scenarios") else {
        return;
    };
    container.set_text_content(None);
    scenario_section(&container, scenarios, pick);
}

fn scenario_section(container: &Element, scenarios: &[ScenarioResult], pick: Option<&str>) {
    add(container, &el("h4", "", "Failure scenarios"));
    if scenarios.is_empty() {
        add(
            container,
            &el(
                "p",
                "",
                "No failure scenarios: the design has no components to lose yet.",
            ),
        );
        return;
    }
    let chosen = pick
        .and_then(|n| scenarios.iter().position(|s| s.name == n))
        .or_else(|| worst_scenario(scenarios))
        .unwrap_or(0);
    let row = el("div", "pg-field", "");
    add(
        &row,
        &attrs(&el("label", "", "Scenario"), &[("for", "pg-scenario")]),
    );
    let select = attrs(
        &el("select", "", ""),
        &[("id", "pg-scenario"), ("data-action", "pick-scenario")],
    );
    for (i, s) in scenarios.iter().enumerate() {
        let o = attrs(&el("option", "", &s.name), &[("value", &s.name)]);
        if i == chosen {
            let _ = o.set_attribute("selected", "");
        }
        add(&select, &o);
    }
    add(&row, &select);
    add(container, &row);

    let s = &scenarios[chosen];
    let r = scenario_row(s);
    let dl = el("dl", "pg-scenario-facts", "");
    for (k, v) in [
        ("Detected after", r.detection.as_str()),
        ("RTO", r.rto.as_str()),
        ("Data lost", r.data_lost.as_str()),
        ("Peak errors", r.peak_error_rate.as_str()),
        ("Errors after", r.error_rate_after.as_str()),
        ("Targets broken", r.targets_broken.as_str()),
    ] {
        add(&dl, &el("dt", "", k));
        add(
            &dl,
            &attrs(
                &el("dd", "", v),
                &[("data-fact", &k.to_ascii_lowercase().replace(' ', "-"))],
            ),
        );
    }
    add(container, &dl);
    let detail = scenario_detail(s, &format!("Timeline: {}", s.name), "pg-timeline");
    let figure = el("figure", "chart-figure", "");
    // The engine's chart escapes every label it prints.
    let chart = el("div", "", "");
    chart.set_inner_html(&detail.chart_svg);
    add(&figure, &chart);
    let mut caption = detail.data_loss.clone();
    if !detail.events.is_empty() {
        caption.push_str(&format!(" Events: {}.", detail.events.join("; ")));
    }
    add(&figure, &el("figcaption", "", &caption));
    add(container, &figure);
    let details = el("details", "timeline-data", "");
    add(&details, &el("summary", "", "The timeline as a table"));
    let rows: Vec<Vec<String>> = detail
        .rows
        .iter()
        .map(|r| vec![r.t.clone(), r.error_rate.clone(), r.p95.clone()])
        .collect();
    add(
        &details,
        &table("", "", &["Time", "Error rate", "P95"], &rows),
    );
    add(container, &details);
}
