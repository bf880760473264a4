//! Derives a problem's `workload` and numeric `targets` from the source's
//! constants and non-functional text.
//!
//! The rules are over the source platform's format, not over particular
//! problems:
//!
//! * **Request rate.** The text is split into comma-separated clauses. A clause
//!   `<N>[k|M|B] <unit>/<sec|s|hr|min|day> [per region]` is a rate; one that says
//!   `during …` or `peak` is the peak, the others add up to normal load. A
//!   per-region rate is multiplied by the `regions`/`region_count` constant, else
//!   by the number of distinct non-global regions in the reference solution.
//!   `N concurrent X` (no time unit) is taken as N requests/s — one request per
//!   X per second — and, not being a rate, is not a throughput target.
//!   `N/A` means no foreground traffic (rps 0).
//! * **Write fraction.** Units naming writes (`writes`, `events` — ingested —,
//!   `deployed`) write; units naming reads (`queries`, `reads`) read; with both
//!   kinds the fraction is writes ÷ total; writes only gives 1.0; otherwise 0.1,
//!   said to be assumed.
//! * **Spikes.** The `spike_multiplier` constant, else peak ÷ normal from the
//!   text, else 10 (the source's "10x traffic spikes").
//! * **Latency.** `P50|P95|P99 < N ms|s` per clause; a clause starting `< N`
//!   inherits the previous clause's percentile. Scope: `cross-region`, else
//!   `same-region`/`local`, else overall. A clause about replication,
//!   propagation or convergence is a replication-lag bound. A clause about a
//!   condition (`during …`, `degraded`, `failover`) or an operation other than
//!   the requests (conflict detection/resolution, decisions, elections, …), one
//!   limited to reads or writes when the workload has both, one with another
//!   percentile (`P99.9`), or one without a percentile is unchecked.
//! * **Availability.** The clause saying `overall`, else the first percentage;
//!   every other clause (`RPO < 5min`, `GDPR compliant`, a second percentage) is
//!   unchecked.
//! * **Consistency.** `within N <unit>` is a replication-lag bound; anything else
//!   is unchecked. **Durability** is unchecked.
//! * **Budget.** The `budget_monthly` constant.
//!
//! Unchecked clauses are kept verbatim, except that an inherited percentile is
//! written out ("P95 < 300ms degraded" for the second clause of
//! "P95 < 150ms normal, < 300ms degraded").

use std::collections::BTreeSet;

use meridian_engine::Problem;
use meridian_engine::spec::{LatencyScope, LatencyTarget, Percentile, Targets, Workload};

/// The default share of writes when the source states no read/write mix.
pub const DEFAULT_WRITE_FRACTION: f64 = 0.1;
/// The source's "10x traffic spikes".
pub const DEFAULT_SPIKE: f64 = 10.0;

/// Workload and targets for one problem (whose reference regions are assigned).
pub fn derive(p: &Problem) -> (Workload, Targets) {
    let nf = &p.non_functional_requirements;
    let mut targets = Targets::default();
    let mut basis = Vec::new();

    // --- Request rate -----------------------------------------------------
    let rate = nf
        .request_rate
        .as_deref()
        .map(parse_request_rate)
        .unwrap_or(RequestRate::Missing);
    let (rps, write_fraction, text_peak) = match &rate {
        RequestRate::Rates { normal, peak } => {
            let mut total = 0.0;
            let mut writes = 0.0;
            let mut parts = Vec::new();
            for r in normal {
                let mut v = r.per_second;
                let mut part = format!("\"{}\"", r.text);
                if r.unit_per_second_divisor != 1.0 {
                    part += &format!(" = {} per second", fmt_num(round_to(v, 3)));
                }
                if r.per_region {
                    let (n, why) = region_count(p);
                    v *= n as f64;
                    part += &format!(" × {n} regions ({why})");
                }
                if r.concurrent {
                    part += " (taken as one request per second each: the seed states no request rate per stream)";
                }
                match r.kind {
                    Kind::Write => writes += v,
                    Kind::Read | Kind::Mixed => {}
                }
                total += v;
                parts.push(part);
            }
            let rps = round_to(total, 3);
            basis.push(format!("{} = {} rps.", parts.join(" + "), fmt_num(rps)));
            let wf = if writes > 0.0 && writes < total {
                let wf = round_to(writes / total, 4);
                basis.push(format!(
                    "Write fraction {} = {} writes/s ÷ {} requests/s.",
                    fmt_num(wf),
                    fmt_num(writes),
                    fmt_num(total)
                ));
                wf
            } else if writes > 0.0 {
                let what = if normal.iter().any(|r| r.unit.contains("event")) {
                    "the rate counts ingested events, all writes"
                } else {
                    "the rate counts writes only"
                };
                basis.push(format!("Write fraction 1: {what}."));
                1.0
            } else {
                basis.push(format!(
                    "{}% writes assumed: the seed states no read/write mix.",
                    fmt_num(DEFAULT_WRITE_FRACTION * 100.0)
                ));
                DEFAULT_WRITE_FRACTION
            };
            if !normal.iter().any(|r| r.concurrent) {
                targets.throughput_rps = Some(rps);
            } else if let Some(t) = &nf.request_rate {
                targets.unchecked.push(t.clone());
            }
            let text_peak = peak.as_ref().and_then(|pk| {
                let normal_raw: f64 = normal.iter().map(|r| r.quantity).sum();
                (normal_raw > 0.0).then(|| (round_to(pk.quantity / normal_raw, 3), pk.text.clone()))
            });
            (rps, wf, text_peak)
        }
        RequestRate::NotApplicable(t) => {
            basis.push(format!(
                "No foreground traffic: the seed's request rate is \"{t}\", so rps is 0."
            ));
            (0.0, DEFAULT_WRITE_FRACTION, None)
        }
        RequestRate::Unparsed(t) => {
            targets.unchecked.push(t.clone());
            basis.push(format!(
                "The request rate \"{t}\" is not a rate the importer reads; rps 0 until reviewed."
            ));
            (0.0, DEFAULT_WRITE_FRACTION, None)
        }
        RequestRate::Missing => {
            basis.push("The seed states no request rate; rps 0 until reviewed.".into());
            (0.0, DEFAULT_WRITE_FRACTION, None)
        }
    };

    // --- Spikes -----------------------------------------------------------
    let spike = if let Some(s) = const_f64(p, "spike_multiplier") {
        let mut b = format!("Spikes ×{}: the `spike_multiplier` constant", fmt_num(s));
        if let Some((t, text)) = &text_peak {
            if (t - s).abs() < 1e-9 {
                b += &format!(" (as \"{text}\")");
            } else {
                b += &format!(" (the text's \"{text}\" would be ×{})", fmt_num(*t));
            }
        }
        basis.push(b + ".");
        s
    } else if let Some((t, text)) = &text_peak {
        basis.push(format!("Spikes ×{}: \"{text}\".", fmt_num(*t)));
        *t
    } else {
        let said = p.analysis.as_ref().is_some_and(|a| {
            a.phases
                .iter()
                .any(|ph| ph.text.contains("10x traffic spikes"))
        });
        basis.push(if said {
            "Spikes ×10: the seed's peak-load analysis (\"10x traffic spikes\").".into()
        } else {
            "Spikes ×10: the course default (the source's \"10x traffic spikes\").".into()
        });
        DEFAULT_SPIKE
    };

    // --- Latency ----------------------------------------------------------
    // The consistency text's bound wins over a latency clause's; a lag clause
    // that is not used is kept as unchecked.
    targets.replication_lag_ms = nf.consistency.as_deref().and_then(within);
    if let Some(text) = &nf.latency {
        for c in parse_latency(text, write_fraction) {
            match c {
                LatencyClause::Target(t) => targets.latency.push(t),
                LatencyClause::Lag(ms, text) => {
                    if targets.replication_lag_ms.is_none() {
                        targets.replication_lag_ms = Some(ms);
                    } else {
                        targets.unchecked.push(text);
                    }
                }
                LatencyClause::Unchecked(t) => targets.unchecked.push(t),
            }
        }
    }

    // --- Availability -----------------------------------------------------
    if let Some(text) = &nf.availability {
        let (a, rest) = parse_availability(text);
        targets.availability = a;
        targets.unchecked.extend(rest);
    }

    // --- Consistency and durability ---------------------------------------
    if let Some(text) = &nf.consistency
        && within(text).is_none()
    {
        targets.unchecked.push(text.clone());
    }
    if let Some(text) = &nf.durability {
        targets.unchecked.push(text.clone());
    }

    targets.monthly_budget_usd = const_f64(p, "budget_monthly");

    let workload = Workload {
        rps,
        write_fraction,
        spike_multiplier: spike,
        client_regions: Default::default(),
        basis: basis.join(" "),
    };
    (workload, targets)
}

fn const_f64(p: &Problem, name: &str) -> Option<f64> {
    p.constants.get(name).and_then(|c| c.as_f64())
}

/// The number of regions a per-region figure is multiplied by, and why.
fn region_count(p: &Problem) -> (usize, String) {
    let used: BTreeSet<&str> = p
        .reference
        .components
        .iter()
        .map(|c| c.region.as_str())
        .filter(|r| *r != "global")
        .collect();
    let listed = used
        .iter()
        .map(|r| r.to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(", ");
    for name in ["regions", "region_count"] {
        if let Some(n) = const_f64(p, name) {
            return (
                n as usize,
                format!("the `{name}` constant; the reference uses {listed}"),
            );
        }
    }
    (used.len(), format!("the reference solution's: {listed}"))
}

// ---------------------------------------------------------------------------
// Numbers and units

/// A number at the start of `s` with an optional `k`/`M`/`B`/`T` suffix
/// ("10k", "1.5M", "10,000"), and the rest of `s`.
fn leading_quantity(s: &str) -> Option<(f64, &str)> {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit()
                || *c == '.' && s[i + 1..].starts_with(|d: char| d.is_ascii_digit())
                || *c == ',' && s[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        })
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let mut v: f64 = s[..end].replace(',', "").parse().ok()?;
    let mut rest = &s[end..];
    let mut chars = rest.chars();
    if let Some(c) = chars.next() {
        let mult = match c {
            'k' | 'K' => Some(1e3),
            'M' => Some(1e6),
            'B' => Some(1e9),
            'T' => Some(1e12),
            _ => None,
        };
        // A suffix only when it is a whole word: "10k" but not "10ms" or "5 Mbps".
        if let Some(m) = mult
            && !chars.next().is_some_and(|n| n.is_ascii_alphabetic())
        {
            v *= m;
            rest = &rest[1..];
        }
    }
    Some((v, rest))
}

/// A duration at the start of `s` in milliseconds ("100ms", "2s", "5min", "1hr").
fn leading_duration_ms(s: &str) -> Option<(f64, &str)> {
    let (v, rest) = leading_quantity(s)?;
    let rest = rest.trim_start();
    let word_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let scale = match rest[..word_end].to_ascii_lowercase().as_str() {
        "ms" | "millisecond" | "milliseconds" => 1.0,
        "s" | "sec" | "secs" | "second" | "seconds" => 1e3,
        "min" | "mins" | "minute" | "minutes" => 60e3,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600e3,
        _ => return None,
    };
    Some((v * scale, &rest[word_end..]))
}

/// Comma-separated clauses ("10,000" stays whole: a clause break is ", ").
fn clauses(text: &str) -> Vec<&str> {
    text.split(", ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// 20000 → "20,000"; 2.778 → "2.778".
fn fmt_num(v: f64) -> String {
    if v.fract() != 0.0 {
        return format!("{v}");
    }
    let digits = format!("{}", v.abs() as u128);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

// ---------------------------------------------------------------------------
// Request rate

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Write,
    Read,
    Mixed,
}

#[derive(Debug, Clone)]
struct Rate {
    text: String,
    /// The number as written ("10k" → 10,000), before the time unit.
    quantity: f64,
    per_second: f64,
    unit_per_second_divisor: f64,
    unit: String,
    kind: Kind,
    per_region: bool,
    concurrent: bool,
}

#[derive(Debug, Clone)]
enum RequestRate {
    Rates {
        normal: Vec<Rate>,
        peak: Option<Rate>,
    },
    NotApplicable(String),
    Unparsed(String),
    Missing,
}

fn parse_request_rate(text: &str) -> RequestRate {
    if text.trim().to_ascii_uppercase().starts_with("N/A") {
        return RequestRate::NotApplicable(text.trim().to_string());
    }
    let mut normal = Vec::new();
    let mut peak = None;
    for c in clauses(text) {
        let Some(r) = parse_rate(c) else {
            return RequestRate::Unparsed(text.trim().to_string());
        };
        let lower = c.to_ascii_lowercase();
        if lower.contains("during") || lower.contains("peak") {
            if peak.is_none() {
                peak = Some(r);
            }
        } else {
            normal.push(r);
        }
    }
    if normal.is_empty() {
        return RequestRate::Unparsed(text.trim().to_string());
    }
    RequestRate::Rates { normal, peak }
}

/// One rate clause: "10k requests/sec per region", "1M events/s write",
/// "10k containers deployed/hr", "500M concurrent streams".
fn parse_rate(clause: &str) -> Option<Rate> {
    let (quantity, rest) = leading_quantity(clause)?;
    let lower = rest.to_ascii_lowercase();
    let per = [
        ("/sec", 1.0),
        ("/s", 1.0),
        ("per second", 1.0),
        ("/min", 60.0),
        ("per minute", 60.0),
        ("/hr", 3600.0),
        ("/hour", 3600.0),
        ("per hour", 3600.0),
        ("/day", 86400.0),
        ("per day", 86400.0),
    ]
    .into_iter()
    .filter_map(|(pat, d)| lower.find(pat).map(|i| (i, pat, d)))
    .min_by_key(|(i, pat, _)| (*i, std::cmp::Reverse(pat.len())));
    let concurrent = lower.contains("concurrent");
    let (unit, divisor) = match per {
        Some((i, _, d)) => (lower[..i].trim().to_string(), d),
        None if concurrent => (lower.trim().to_string(), 1.0),
        // A peak clause may name no unit ("5B during viral events"): same unit.
        None if lower.contains("during") || lower.contains("peak") => (String::new(), 1.0),
        None => return None,
    };
    let has = |w: &str| lower.contains(w);
    let kind = if has("write") || has("event") || has("deployed") {
        Kind::Write
    } else if has("quer") || has("read") {
        Kind::Read
    } else {
        Kind::Mixed
    };
    Some(Rate {
        text: clause.trim().to_string(),
        quantity,
        per_second: quantity / divisor,
        unit_per_second_divisor: divisor,
        unit,
        kind,
        per_region: has("per region"),
        concurrent,
    })
}

// ---------------------------------------------------------------------------
// Latency

#[derive(Debug, Clone, PartialEq)]
enum LatencyClause {
    Target(LatencyTarget),
    /// A replication-lag bound in ms, and the clause.
    Lag(f64, String),
    Unchecked(String),
}

/// Words saying a clause is about a condition or an operation other than the
/// design's requests.
const NOT_REQUESTS: [&str; 11] = [
    "during",
    "degraded",
    "failover",
    "conflict",
    "detection",
    "decision",
    "election",
    "renewal",
    "uncertainty",
    "ingestion",
    "batch",
];
const LAG_WORDS: [&str; 3] = ["replication", "propagation", "convergence"];

fn parse_latency(text: &str, write_fraction: f64) -> Vec<LatencyClause> {
    let mut out = Vec::new();
    let mut inherited: Option<(Percentile, &str)> = None;
    for c in clauses(text) {
        let (pct, label, rest, written) = if let Some(r) = c.strip_prefix('<') {
            match inherited {
                Some((p, l)) => (Some(p), l, r, format!("{l} {c}")),
                None => (None, "", r, c.to_string()),
            }
        } else if let Some((label, r)) = c.split_once(" <")
            && let Some(p) = percentile(label)
        {
            (Some(p), label, r, c.to_string())
        } else {
            inherited = None;
            out.push(LatencyClause::Unchecked(c.to_string()));
            continue;
        };
        let Some(pct) = pct else {
            out.push(LatencyClause::Unchecked(written));
            continue;
        };
        inherited = Some((pct, label));
        let Some((ms, qualifier)) = leading_duration_ms(rest) else {
            out.push(LatencyClause::Unchecked(written));
            continue;
        };
        let q = qualifier.to_ascii_lowercase();
        let words: Vec<&str> = q
            .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '-')
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.iter().any(|x| x.starts_with(w));
        if LAG_WORDS.iter().any(|w| has(w)) {
            out.push(LatencyClause::Lag(ms, written));
            continue;
        }
        // "resolution" of a conflict is not a request, a DNS resolution is.
        let other_resolution = has("resolution") && !q.contains("dns resolution");
        let reads_only = has("read") && write_fraction > 0.0;
        let writes_only = has("write") && write_fraction < 1.0;
        if NOT_REQUESTS.iter().any(|w| has(w)) || other_resolution || reads_only || writes_only {
            out.push(LatencyClause::Unchecked(written));
            continue;
        }
        let scope = if has("cross-region") {
            LatencyScope::CrossRegion
        } else if has("same-region") || has("local") {
            LatencyScope::SameRegion
        } else {
            LatencyScope::Overall
        };
        out.push(LatencyClause::Target(LatencyTarget {
            percentile: pct,
            scope,
            max_ms: ms,
        }));
    }
    out
}

/// "P95" → P95; "P99.9" and anything else → None.
fn percentile(label: &str) -> Option<Percentile> {
    match label.trim().to_ascii_uppercase().as_str() {
        "P50" => Some(Percentile::P50),
        "P95" => Some(Percentile::P95),
        "P99" => Some(Percentile::P99),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Availability and consistency

/// The availability fraction and the clauses left unchecked.
fn parse_availability(text: &str) -> (Option<f64>, Vec<String>) {
    let cs = clauses(text);
    let pct = |c: &str| -> Option<f64> {
        let (v, rest) = leading_quantity(c)?;
        rest.starts_with('%').then_some(v)
    };
    let chosen = cs
        .iter()
        .position(|c| pct(c).is_some() && c.to_ascii_lowercase().contains("overall"))
        .or_else(|| cs.iter().position(|c| pct(c).is_some()));
    let value = chosen
        .and_then(|i| pct(cs[i]))
        .map(|v| round_to(v / 100.0, 8));
    let rest = cs
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != chosen)
        .map(|(_, c)| c.to_string())
        .collect();
    (value, rest)
}

/// "Eventually consistent within 1 second" → 1000.
fn within(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let i = lower.find("within ")?;
    leading_duration_ms(&text[i + "within ".len()..]).map(|(ms, _)| ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_engine::spec::{Component, Constant, NonFunctional};

    fn target(p: Percentile, scope: LatencyScope, max_ms: f64) -> LatencyClause {
        LatencyClause::Target(LatencyTarget {
            percentile: p,
            scope,
            max_ms,
        })
    }
    use LatencyScope::*;
    use Percentile::*;

    fn problem(nf: NonFunctional, constants: &[(&str, &str)], regions: &[&str]) -> Problem {
        let yaml = "id: x\nnumber: 1\ntitle: X\ncategory: multiregion\ndifficulty: easy\nsummary: s\n\
                    goal: g\ndescription: d\nfunctional_requirements: []\n\
                    non_functional_requirements: {}\navailable_components: []\ntiers: []\n\
                    reference:\n  explanation: e\n  components: []\n";
        let mut p: Problem = serde_yaml::from_str(yaml).unwrap();
        p.non_functional_requirements = nf;
        for (k, v) in constants {
            p.constants.insert(k.to_string(), Constant::parse(v));
        }
        for (i, r) in regions.iter().enumerate() {
            p.reference.components.push(Component {
                name: format!("c{i}"),
                component_type: "app".into(),
                region: r.to_string(),
                replicas: 1,
                hit_ratio: None,
                autoscale: None,
                service: None,
            });
        }
        p
    }

    fn rate(text: &str, constants: &[(&str, &str)], regions: &[&str]) -> (Workload, Targets) {
        derive(&problem(
            NonFunctional {
                request_rate: Some(text.into()),
                ..Default::default()
            },
            constants,
            regions,
        ))
    }

    #[test]
    fn quantities() {
        assert_eq!(leading_quantity("10k req").unwrap().0, 10_000.0);
        assert_eq!(leading_quantity("1.5M").unwrap().0, 1_500_000.0);
        assert_eq!(leading_quantity("10,000 x").unwrap().0, 10_000.0);
        assert_eq!(leading_quantity("5B during").unwrap().0, 5e9);
        assert_eq!(leading_quantity("99.95% up").unwrap(), (99.95, "% up"));
        // A unit that starts with a suffix letter is not a suffix.
        assert_eq!(leading_quantity("5 Mbps").unwrap().0, 5.0);
        assert_eq!(leading_duration_ms("10ms x").unwrap().0, 10.0);
        assert_eq!(leading_duration_ms("2s").unwrap().0, 2000.0);
        assert_eq!(leading_duration_ms("5min").unwrap().0, 300_000.0);
        assert_eq!(leading_duration_ms("1hr").unwrap().0, 3_600_000.0);
        assert_eq!(leading_duration_ms("5 seconds").unwrap().0, 5000.0);
        assert_eq!(fmt_num(20000.0), "20,000");
        assert_eq!(fmt_num(100_000_000.0), "100,000,000");
    }

    #[test]
    fn per_region_rate_uses_the_regions_constant() {
        let (w, t) = rate(
            "10k requests/sec per region",
            &[("regions", "2")],
            &["us", "eu", "global"],
        );
        assert_eq!(w.rps, 20_000.0);
        assert_eq!(w.write_fraction, 0.1);
        assert_eq!(t.throughput_rps, Some(20_000.0));
        assert!(
            w.basis
                .contains("× 2 regions (the `regions` constant; the reference uses EU, US)"),
            "{}",
            w.basis
        );
        assert!(w.basis.contains("10% writes assumed"), "{}", w.basis);
    }

    #[test]
    fn per_region_rate_without_a_constant_counts_reference_regions() {
        let (w, _) = rate(
            "5k writes/sec per region",
            &[],
            &["us", "eu", "us", "global"],
        );
        assert_eq!(w.rps, 10_000.0);
        assert_eq!(w.write_fraction, 1.0);
        assert!(
            w.basis.contains("the reference solution's: EU, US"),
            "{}",
            w.basis
        );
    }

    #[test]
    fn global_rates_and_units() {
        assert_eq!(rate("10M req/s", &[], &[]).0.rps, 1e7);
        assert_eq!(rate("500k req/s globally", &[], &[]).0.rps, 5e5);
        assert_eq!(rate("100k queries/s", &[], &[]).0.write_fraction, 0.1);
        assert_eq!(rate("10M ops/sec globally", &[], &[]).0.rps, 1e7);
        assert_eq!(rate("100k operations/s", &[], &[]).0.rps, 1e5);
        // Events are ingested: writes.
        assert_eq!(rate("10M events/s", &[], &[]).0.write_fraction, 1.0);
        let (w, t) = rate("10k containers deployed/hr", &[], &[]);
        assert_eq!(w.rps, 2.778);
        assert_eq!(w.write_fraction, 1.0);
        assert_eq!(t.throughput_rps, Some(2.778));
    }

    #[test]
    fn reads_and_writes_give_the_write_fraction() {
        let (w, _) = rate("1M events/s write, 10k queries/s", &[], &[]);
        assert_eq!(w.rps, 1_010_000.0);
        assert_eq!(w.write_fraction, 0.9901);
        assert!(w.basis.contains("Write fraction 0.9901"), "{}", w.basis);
    }

    #[test]
    fn peaks_give_the_spike_unless_a_constant_does() {
        let (w, t) = rate("10M writes/sec, 100M during Black Friday", &[], &[]);
        assert_eq!(
            (w.rps, w.write_fraction, w.spike_multiplier),
            (1e7, 1.0, 10.0)
        );
        assert_eq!(t.throughput_rps, Some(1e7));
        let (w, _) = rate("100M req/sec normal, 1B during viral events", &[], &[]);
        assert_eq!((w.rps, w.spike_multiplier), (1e8, 10.0));
        let (w, _) = rate("100M events/sec normal, 1B during peaks", &[], &[]);
        assert_eq!((w.rps, w.spike_multiplier), (1e8, 10.0));
        let (w, _) = rate(
            "100M req/s normal, 10B during DDoS attacks",
            &[("spike_multiplier", "100")],
            &[],
        );
        assert_eq!(w.spike_multiplier, 100.0);
        assert!(
            w.basis.contains("`spike_multiplier` constant"),
            "{}",
            w.basis
        );
        let (w, _) = rate("1M req/s", &[("spike_multiplier", "4")], &[]);
        assert_eq!(w.spike_multiplier, 4.0);
        // Default.
        assert_eq!(rate("1M req/s", &[], &[]).0.spike_multiplier, 10.0);
    }

    #[test]
    fn concurrent_and_missing_rates() {
        let (w, t) = rate("500M concurrent streams, 5B during viral events", &[], &[]);
        assert_eq!((w.rps, w.spike_multiplier), (5e8, 10.0));
        assert_eq!(t.throughput_rps, None);
        assert_eq!(
            t.unchecked,
            vec!["500M concurrent streams, 5B during viral events"]
        );
        let (w, t) = rate("N/A (background)", &[], &[]);
        assert_eq!(w.rps, 0.0);
        assert_eq!(t.throughput_rps, None);
        assert!(t.unchecked.is_empty());
        let (w, t) = rate("lots", &[], &[]);
        assert_eq!(w.rps, 0.0);
        assert_eq!(t.unchecked, vec!["lots"]);
    }

    #[test]
    fn latency_scopes_and_inherited_percentiles() {
        assert_eq!(
            parse_latency("P95 < 100ms same-region, < 300ms cross-region", 0.1),
            vec![
                target(P95, SameRegion, 100.0),
                target(P95, CrossRegion, 300.0)
            ]
        );
        assert_eq!(
            parse_latency("P95 < 50ms local, < 200ms cross-region", 0.1),
            vec![
                target(P95, SameRegion, 50.0),
                target(P95, CrossRegion, 200.0)
            ]
        );
        assert_eq!(
            parse_latency("P95 < 50ms globally", 0.1),
            vec![target(P95, Overall, 50.0)]
        );
        assert_eq!(
            parse_latency("P95 < 150ms", 0.1),
            vec![target(P95, Overall, 150.0)]
        );
        assert_eq!(
            parse_latency("P95 < 100ms optimized", 0.1),
            vec![target(P95, Overall, 100.0)]
        );
        assert_eq!(
            parse_latency("P95 < 50ms DNS resolution", 0.1),
            vec![target(P95, Overall, 50.0)]
        );
        assert_eq!(
            parse_latency("P95 < 100ms, P99 < 300ms", 0.1),
            vec![target(P95, Overall, 100.0), target(P99, Overall, 300.0)]
        );
        assert_eq!(
            parse_latency("P99 < 100ms same-region, < 200ms global messaging", 0.1),
            vec![target(P99, SameRegion, 100.0), target(P99, Overall, 200.0)]
        );
    }

    #[test]
    fn latency_about_reads_or_writes_needs_a_matching_workload() {
        assert_eq!(
            parse_latency("P95 < 50ms for local writes", 1.0),
            vec![target(P95, SameRegion, 50.0)]
        );
        assert_eq!(
            parse_latency("P95 < 20ms local reads, < 100ms global writes", 0.1),
            vec![
                LatencyClause::Unchecked("P95 < 20ms local reads".into()),
                LatencyClause::Unchecked("P95 < 100ms global writes".into())
            ]
        );
    }

    #[test]
    fn latency_of_lag_conditions_and_other_operations() {
        use LatencyClause::*;
        assert_eq!(
            parse_latency("P99 < 10ms local, < 100ms cross-region replication", 1.0),
            vec![
                target(P99, SameRegion, 10.0),
                Lag(100.0, "P99 < 100ms cross-region replication".into())
            ]
        );
        assert_eq!(
            parse_latency("P95 < 20ms local, < 500ms invalidation propagation", 0.1)[1],
            Lag(500.0, "P95 < 500ms invalidation propagation".into())
        );
        assert_eq!(
            parse_latency("P95 < 100ms local, < 500ms convergence", 0.1)[1],
            Lag(500.0, "P95 < 500ms convergence".into())
        );
        assert_eq!(
            parse_latency("P95 < 150ms normal, < 300ms degraded", 0.1),
            vec![
                target(P95, Overall, 150.0),
                Unchecked("P95 < 300ms degraded".into())
            ]
        );
        assert_eq!(
            parse_latency("P95 < 100ms normal, < 500ms during failover", 0.1)[1],
            Unchecked("P95 < 500ms during failover".into())
        );
        assert_eq!(
            parse_latency("P95 < 150ms during migration", 0.1),
            vec![Unchecked("P95 < 150ms during migration".into())]
        );
        assert_eq!(
            parse_latency("P99 < 100ms conflict detection, < 200ms resolution", 0.1),
            vec![
                Unchecked("P99 < 100ms conflict detection".into()),
                Unchecked("P99 < 200ms resolution".into())
            ]
        );
        assert_eq!(
            parse_latency("P99 < 1ms decision time, P99.9 < 5ms", 0.1),
            vec![
                Unchecked("P99 < 1ms decision time".into()),
                Unchecked("P99.9 < 5ms".into())
            ]
        );
        assert_eq!(
            parse_latency("P99 < 100ms to start, P99.9 < 200ms", 0.1),
            vec![
                target(P99, Overall, 100.0),
                Unchecked("P99.9 < 200ms".into())
            ]
        );
        // No percentile: not a request-latency target.
        for t in [
            "Backup lag < 5min, Recovery RTO < 1hr",
            "Flag check < 5ms",
            "Dashboard < 2s, Batch < 1hr",
            "Ingestion < 10s, Query < 5s",
            "Election < 10s, Lease renewal < 100ms",
            "Uncertainty < 7ms",
            "Deploy < 5min globally",
        ] {
            assert!(
                parse_latency(t, 0.1)
                    .iter()
                    .all(|c| matches!(c, Unchecked(_))),
                "{t}"
            );
            assert_eq!(parse_latency(t, 0.1).len(), clauses(t).len());
        }
    }

    #[test]
    fn availability() {
        assert_eq!(
            parse_availability("99.95% with regional failover"),
            (Some(0.9995), vec![])
        );
        assert_eq!(
            parse_availability("99.9% per region"),
            (Some(0.999), vec![])
        );
        assert_eq!(
            parse_availability("99.999% uptime"),
            (Some(0.99999), vec![])
        );
        assert_eq!(
            parse_availability("RPO < 5min, RTO < 1hr"),
            (None, vec!["RPO < 5min".into(), "RTO < 1hr".into()])
        );
        assert_eq!(
            parse_availability("99.95% uptime, GDPR compliant"),
            (Some(0.9995), vec!["GDPR compliant".into()])
        );
        assert_eq!(
            parse_availability("99.999% for messaging, 99.99% for feed"),
            (Some(0.99999), vec!["99.99% for feed".into()])
        );
        // An overall figure wins over one for a part.
        assert_eq!(
            parse_availability("99.999% for popular content, 99.99% overall"),
            (Some(0.9999), vec!["99.999% for popular content".into()])
        );
    }

    #[test]
    fn consistency_durability_and_budget() {
        let (_, t) = derive(&problem(
            NonFunctional {
                consistency: Some("Eventually consistent within 1 second".into()),
                durability: Some("Zero data loss with 3-way replication".into()),
                ..Default::default()
            },
            &[
                ("replication_lag_ms", "1000"),
                ("budget_monthly", "1000000"),
            ],
            &[],
        ));
        assert_eq!(t.replication_lag_ms, Some(1000.0));
        assert_eq!(t.monthly_budget_usd, Some(1e6));
        assert_eq!(t.unchecked, vec!["Zero data loss with 3-way replication"]);
        assert_eq!(
            within("Eventually consistent within 5 seconds"),
            Some(5000.0)
        );
        assert_eq!(within("External consistency (linearizability)"), None);
        // Constants are assumptions about the system, not requirements.
        let (_, t) = derive(&problem(
            NonFunctional::default(),
            &[
                ("replication_lag_ms", "1000"),
                ("convergence_time_ms", "5000"),
            ],
            &[],
        ));
        assert_eq!(t.replication_lag_ms, None);
        let (_, t) = derive(&problem(
            NonFunctional {
                consistency: Some("Strong consistency for payments, eventual for social".into()),
                ..Default::default()
            },
            &[],
            &[],
        ));
        assert_eq!(
            t.unchecked,
            vec!["Strong consistency for payments, eventual for social"]
        );
    }

    #[test]
    fn consistency_lag_wins_and_the_latency_clause_is_kept() {
        let (_, t) = derive(&problem(
            NonFunctional {
                latency: Some("P95 < 100ms local, < 500ms convergence".into()),
                consistency: Some("Eventually consistent within 1 second".into()),
                ..Default::default()
            },
            &[],
            &[],
        ));
        assert_eq!(t.replication_lag_ms, Some(1000.0));
        assert_eq!(t.unchecked, vec!["P95 < 500ms convergence"]);
    }

    #[test]
    fn lag_from_latency_text_when_consistency_is_silent() {
        let (_, t) = derive(&problem(
            NonFunctional {
                latency: Some("P95 < 100ms local, < 500ms convergence".into()),
                ..Default::default()
            },
            &[],
            &[],
        ));
        assert_eq!(t.replication_lag_ms, Some(500.0));
        assert_eq!(
            t.latency,
            vec![LatencyTarget {
                percentile: P95,
                scope: SameRegion,
                max_ms: 100.0
            }]
        );
    }
}
