//! The chapters' worked examples agree with the problem data they describe.
//!
//! Two kinds of check. A YAML example in a chapter names its source on its
//! first line, `# from problem: <id>` (or `# an illustration` for one made
//! up): every component, connection and constant it shows must then be in
//! that problem's file with the same values. And the figures the chapters'
//! prose quotes from a problem (replica counts, constants, tier rules, the
//! simulator's results) are listed below with the data they must match, so
//! changing a problem without its chapter fails here.

mod support;

use meridian::load::{Course, LoadedProblem};
use meridian::simulate::evaluate_reference;
use meridian_engine::report::format::duration;
use meridian_engine::sim::Evaluation;
use meridian_engine::sim::scenarios::ScenarioResult;
use serde_yaml::Value;
use support::course::{course, root};

/// Every ```yaml block of `text`: (line of its first content line, content).
fn yaml_blocks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        match &mut open {
            None if t == "```yaml" => open = Some((i + 2, String::new())),
            Some(_) if t == "```" => out.push(open.take().expect("an open block")),
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
            None => {}
        }
    }
    out
}

fn chapters() -> Vec<(String, String)> {
    let dir = root().join("content");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = format!("content/{}", p.file_name().unwrap().to_string_lossy());
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The problem's file as written (not as loaded: the check is against what
/// an author sees).
fn raw(course: &Course, id: &str) -> Option<Value> {
    let lp = course.problems.iter().find(|p| p.problem.id == id)?;
    let text = std::fs::read_to_string(course.root.join(&lp.file)).unwrap();
    Some(serde_yaml::from_str(&text).unwrap())
}

fn problem<'a>(course: &'a Course, id: &str) -> &'a LoadedProblem {
    course
        .problems
        .iter()
        .find(|p| p.problem.id == id)
        .unwrap_or_else(|| panic!("no problem {id}"))
}

fn key<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    v.as_mapping()?.get(Value::String(k.to_string()))
}

/// What `example` (a `reference:` or constants block) gets wrong about
/// `data`, the problem's file.
fn disagreements(example: &Value, data: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = example.as_mapping() else {
        return vec!["the example is not a mapping".into()];
    };
    for (k, v) in map {
        let k = k.as_str().unwrap_or_default();
        if k == "reference" {
            out.extend(reference_disagreements(v, key(data, "reference").unwrap()));
            continue;
        }
        match key(data, "constants").and_then(|c| key(c, k)) {
            Some(want) if want == v => {}
            Some(want) => out.push(format!("constant {k}: {v:?}, the problem has {want:?}")),
            None => out.push(format!("{k} is not one of the problem's constants")),
        }
    }
    out
}

fn reference_disagreements(example: &Value, data: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let empty = Vec::new();
    let list = |v: &Value, k: &str| {
        key(v, k)
            .and_then(Value::as_sequence)
            .unwrap_or(&empty)
            .clone()
    };
    let components = list(data, "components");
    for c in list(example, "components") {
        let name = key(&c, "name").and_then(Value::as_str).unwrap_or_default();
        let Some(real) = components
            .iter()
            .find(|x| key(x, "name").and_then(Value::as_str) == Some(name))
        else {
            out.push(format!("no component named {name:?}"));
            continue;
        };
        for (k, v) in c.as_mapping().unwrap() {
            if key(real, k.as_str().unwrap()) != Some(v) {
                out.push(format!(
                    "{name}: {} is {v:?} here, {:?} in the problem",
                    k.as_str().unwrap(),
                    key(real, k.as_str().unwrap())
                ));
            }
        }
        // Replicas default to one: leaving them out says "one".
        if key(&c, "replicas").is_none()
            && key(real, "replicas").is_some_and(|r| r.as_u64() != Some(1))
        {
            out.push(format!(
                "{name}: no replicas here (one), {:?} in the problem",
                key(real, "replicas")
            ));
        }
    }
    let connections = list(data, "connections");
    for c in list(example, "connections") {
        let same = |x: &&Value| {
            c.as_mapping()
                .unwrap()
                .iter()
                .all(|(k, v)| key(x, k.as_str().unwrap()) == Some(v))
        };
        if !connections.iter().any(|x| same(&x)) {
            out.push(format!("no connection like {c:?}"));
        }
    }
    out
}

#[test]
fn yaml_examples_match_the_problem_they_quote() {
    let course = course();
    let mut errors = Vec::new();
    let mut checked = 0;
    for (file, text) in chapters() {
        for (line, block) in yaml_blocks(&text) {
            let first = block.lines().next().unwrap_or_default().trim();
            let from = first.strip_prefix("# from problem:").map(str::trim);
            if from.is_none() && first != "# an illustration" {
                errors.push(format!(
                    "{file}:{line}: a YAML example starts with `# from problem: <id>` or `# an illustration`"
                ));
                continue;
            }
            let Some(id) = from else { continue };
            let Some(data) = raw(&course, id) else {
                errors.push(format!("{file}:{line}: no problem {id}"));
                continue;
            };
            let example: Value = serde_yaml::from_str(&block)
                .unwrap_or_else(|e| panic!("{file}:{line}: not YAML: {e}"));
            for d in disagreements(&example, &data) {
                errors.push(format!("{file}:{line}: {d} (problem {id})"));
            }
            checked += 1;
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(checked >= 2, "the examples in how-to-use.md are checked");
}

/// The checker finds what the issue found: the old example's EU DB as a
/// replica and US App ×3.
#[test]
fn a_wrong_example_is_caught() {
    let course = course();
    let data = raw(&course, "basic-multi-region").unwrap();
    let old: Value = serde_yaml::from_str(
        "reference:\n  components:\n    - name: US App\n      type: app\n      region: us\n      replicas: 3\n    - name: EU DB\n      type: db_replica\n      region: eu\n  connections:\n    - from: EU DB\n      to: US DB\nregions: 3\n",
    )
    .unwrap();
    let found = disagreements(&old, &data);
    assert_eq!(found.len(), 5, "{found:#?}");
    assert!(
        found[0].contains("US App: replicas is Number(3)"),
        "{found:#?}"
    );
}

/// A quoted phrase in a chapter and what the data must say for it to be true.
struct Claim {
    file: &'static str,
    phrase: &'static str,
    holds: fn(&Course) -> bool,
}

fn constant(course: &Course, id: &str, name: &str) -> Option<f64> {
    let data = raw(course, id)?;
    key(key(&data, "constants")?, name)?.as_f64()
}

fn component_replicas(course: &Course, id: &str, name: &str) -> Option<u32> {
    let p = &problem(course, id).problem;
    let t = p.reference.topology();
    t.components
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.replicas)
}

/// The simulator's evaluation of the problem's reference.
fn evaluation(course: &Course, id: &str) -> Evaluation {
    let p = &problem(course, id).problem;
    evaluate_reference(p, &course.catalog, &course.regions).unwrap()
}

/// The simulator's scenario `name` for the problem's reference.
fn scenario(course: &Course, id: &str, name: &str) -> ScenarioResult {
    evaluation(course, id)
        .scenarios
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("{id} has no scenario {name:?}"))
}

/// The rules of the problem's tiers (of the tier titled `title` only, when
/// given), as written.
fn tier_rules(course: &Course, id: &str, title: &str) -> Vec<Value> {
    let data = raw(course, id).unwrap();
    key(&data, "tiers")
        .and_then(Value::as_sequence)
        .unwrap()
        .iter()
        .filter(|t| title.is_empty() || key(t, "title").and_then(Value::as_str) == Some(title))
        .flat_map(|t| {
            key(t, "rules")
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn has_rule(
    course: &Course,
    id: &str,
    title: Option<&str>,
    rule: &str,
    ty: &str,
    count: Option<u64>,
) -> bool {
    tier_rules(course, id, title.unwrap_or_default())
        .iter()
        .any(|r| {
            key(r, "rule").and_then(Value::as_str) == Some(rule)
                && key(r, "type").and_then(Value::as_str) == Some(ty)
                && key(r, "count").and_then(Value::as_u64) == count
        })
}

const CLAIMS: &[Claim] = &[
    Claim {
        file: "how-to-use.md",
        phrase: "\"US App ×30\" is one component with thirty instances",
        holds: |c| component_replicas(c, "basic-multi-region", "US App") == Some(30),
    },
    Claim {
        file: "how-to-use.md",
        phrase: "30 app instances and 8 database instances per region",
        holds: |c| {
            ["US App", "EU App"]
                .iter()
                .all(|n| component_replicas(c, "basic-multi-region", n) == Some(30))
                && ["US DB", "EU DB"]
                    .iter()
                    .all(|n| component_replicas(c, "basic-multi-region", n) == Some(8))
        },
    },
    Claim {
        file: "how-to-use.md",
        phrase: "has a tier \"Minimum 150 of type: app\"",
        holds: |c| {
            has_rule(
                c,
                "partial-region-failure",
                None,
                "min_count",
                "app",
                Some(150),
            )
        },
    },
    Claim {
        file: "how-to-use.md",
        phrase: "asks for at least 7 `db_primary` and at least 21 `db_replica`. With the problem's 7 regions",
        holds: |c| {
            let id = "planet-scale-database";
            has_rule(c, id, None, "min_count", "db_primary", Some(7))
                && has_rule(c, id, None, "min_count", "db_replica", Some(21))
                && constant(c, id, "regions") == Some(7.0)
        },
    },
    Claim {
        file: "rto-rpo.md",
        phrase: "(1,000 writes in the example above) may not have reached the EU; the simulator's \"Region us lost\" scenario on the problem page shows the same 1,000 writes",
        holds: |c| {
            let lost = |name| scenario(c, "basic-multi-region", name).data_lost_writes;
            lost("Region us lost") == Some(1000.0) && lost("Region eu lost").is_none()
        },
    },
    Claim {
        file: "failover.md",
        phrase: "The \"Region us lost\" scenario recovers (its error rate back within one percentage point of normal) 149 s after the loss, shown on the page as 2 min",
        holds: |c| {
            let rto = scenario(c, "basic-multi-region", "Region us lost").rto_s;
            rto.is_some_and(|r| r.round() == 149.0 && duration(r) == "2 min")
                && constant(c, "basic-multi-region", "failover_time_seconds") == Some(30.0)
        },
    },
    Claim {
        file: "failover.md",
        phrase: "the catalog's 120 s for a cross-region successor, and that scenario recovers at 120 s",
        holds: |c| {
            c.catalog.types["db_primary"].sim.cross_region_failover_s == Some(120.0)
                && scenario(c, "basic-multi-region", "US DB lost").rto_s == Some(120.0)
        },
    },
    Claim {
        file: "rto-rpo.md",
        phrase: "250,000 × 0.1 × 1 s = 25,000 writes, far inside `rpo_seconds: 300`. It recovers in 450 s (shown as 8 min), inside `rto_seconds: 600`",
        holds: |c| {
            let id = "cross-region-failover";
            let s = scenario(c, id, "Region us lost");
            let w = problem(c, id).problem.workload.clone().unwrap();
            w.rps == 500_000.0
                && w.write_fraction == 0.1
                && s.data_lost_writes == Some(25_000.0)
                && s.rto_s == Some(450.0)
                && duration(450.0) == "8 min"
                && constant(c, id, "rpo_seconds") == Some(300.0)
                && constant(c, id, "rto_seconds") == Some(600.0)
        },
    },
    Claim {
        file: "availability.md",
        phrase: "| **Total** | | | | | **268 s** |",
        holds: |c| {
            let e = evaluation(c, "basic-multi-region");
            let per_mode = |name: &str| {
                e.availability
                    .modes
                    .iter()
                    .find(|m| m.scenario == name)
                    .map(|m| m.downtime_per_year_s.round())
            };
            e.availability.downtime_per_year_s.round() == 268.0
                && per_mode("Region us lost") == Some(60.0)
                && per_mode("US LB lost") == Some(53.0)
                && per_mode("GeoDNS lost") == Some(32.0)
        },
    },
    Claim {
        file: "availability.md",
        phrase: "so A ≈ 99.9991% (5.0 nines), the figure its notes quote",
        holds: |c| {
            let e = evaluation(c, "cross-region-failover");
            format!("{:.4}", e.availability.fraction * 100.0) == "99.9991"
                && format!("{:.1}", e.availability.nines) == "5.0"
        },
    },
    Claim {
        file: "static-stability.md",
        phrase: "the reference's $251.42 an hour",
        holds: |c| {
            format!(
                "{:.2}",
                evaluation(c, "cross-region-failover").cost.per_hour
            ) == "251.42"
        },
    },
    Claim {
        file: "multi-writer.md",
        phrase: "it is 3,333,333 writes per lost region",
        holds: |c| {
            let lost: Vec<Option<f64>> = evaluation(c, "conflict-resolution")
                .scenarios
                .iter()
                .filter(|s| s.name.starts_with("Region"))
                .map(|s| s.data_lost_writes.map(f64::round))
                .collect();
            lost.len() == 3 && lost.iter().all(|&w| w == Some(3_333_333.0))
        },
    },
    Claim {
        file: "replication.md",
        phrase: "Its constants have 50 regions and a `sync_interval_ms` of 100; its reference explanation syncs counters by gossip every 10 s",
        holds: |c| {
            constant(c, "global-rate-limiting", "regions") == Some(50.0)
                && constant(c, "global-rate-limiting", "sync_interval_ms") == Some(100.0)
                && problem(c, "global-rate-limiting")
                    .problem
                    .reference
                    .explanation
                    .contains("Gossip syncs counters every 10s")
        },
    },
    Claim {
        file: "replication.md",
        phrase: "5 regions, 5,000,000 operations per second over 1,000,000 customers",
        holds: |c| {
            constant(c, "regional-quota-enforcement", "region_count") == Some(5.0)
                && constant(c, "regional-quota-enforcement", "ops_per_second") == Some(5e6)
                && constant(c, "regional-quota-enforcement", "customer_count") == Some(1e6)
        },
    },
    Claim {
        file: "routing.md",
        phrase: "the tier titled \"Origin Shield\" only requires some `app` component",
        holds: |c| {
            has_rule(
                c,
                "global-content-delivery",
                Some("Origin Shield"),
                "must_include",
                "app",
                None,
            ) && tier_rules(c, "global-content-delivery", "Origin Shield").len() == 1
        },
    },
];

#[test]
fn quoted_figures_match_the_data() {
    let course = course();
    let mut errors = Vec::new();
    for claim in CLAIMS {
        let text = std::fs::read_to_string(root().join("content").join(claim.file)).unwrap();
        // Chapters wrap lines; compare with runs of whitespace as one space.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !flat.contains(claim.phrase) {
            errors.push(format!(
                "content/{}: no longer says {:?} (update this check with the chapter)",
                claim.file, claim.phrase
            ));
        } else if !(claim.holds)(&course) {
            errors.push(format!(
                "content/{}: says {:?}, which the problem data no longer supports",
                claim.file, claim.phrase
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
