//! The importer on the real seed: all 35 problems, losslessly, and a round trip
//! through YAML and the strict loader gives the same data.

use std::path::{Path, PathBuf};

use meridian::import::{Imported, file_name, import_seed, to_yaml};
use meridian::load::check_problem_file;
use meridian_engine::{Catalog, Problem, Regions, Rule};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed_path() -> PathBuf {
    root().join("tests/fixtures/seed/multiregion.md")
}

/// The real seed imported with the real catalog and regions.
fn import_real_seed() -> (Imported, Catalog, Regions) {
    let text = std::fs::read_to_string(seed_path()).unwrap();
    let catalog: Catalog = data("catalog.yaml");
    let regions: Regions = data("regions.yaml");
    let imported = import_seed(&text, "multiregion.md", &catalog, &regions)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    (imported, catalog, regions)
}

fn data<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let text = std::fs::read_to_string(root().join("problems").join(name)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn imports_all_35_problems() {
    let text = std::fs::read_to_string(seed_path())
        .expect("the seed fixture is at tests/fixtures/seed/multiregion.md");
    let catalog: Catalog = data("catalog.yaml");
    let regions: Regions = data("regions.yaml");
    let imported = import_seed(&text, "multiregion.md", &catalog, &regions).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(imported.problems.len(), 35);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let numbers: Vec<u32> = imported.problems.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=35).collect::<Vec<_>>());
    let without_analysis: Vec<u32> = imported
        .problems
        .iter()
        .filter(|p| p.analysis.is_none())
        .map(|p| p.number)
        .collect();
    assert_eq!(without_analysis, vec![27]);
    let rules: usize = imported
        .problems
        .iter()
        .flat_map(|p| &p.tiers)
        .map(|t| t.rules.len())
        .sum();
    assert_eq!(
        rules,
        38 + 37,
        "every `Minimum`/`Must include` line is a rule"
    );
    assert!(
        imported
            .problems
            .iter()
            .flat_map(|p| &p.tiers)
            .flat_map(|t| &t.rules)
            .all(|r| !matches!(r, Rule::Unchecked { .. }))
    );
    let components: usize = imported
        .problems
        .iter()
        .map(|p| p.reference.components.len())
        .sum();
    let component_lines = text
        .lines()
        .filter(|l| {
            l.strip_prefix("- ")
                .and_then(|l| l.strip_suffix(')'))
                .and_then(|l| l.rsplit_once(" ("))
                .is_some_and(|(_, t)| catalog.resolve(t).is_some())
        })
        .count();
    assert_eq!(components, component_lines);

    for p in &imported.problems {
        let yaml = to_yaml(p);
        let file = format!("problems/multiregion/{}", file_name(p));
        let back = check_problem_file(&file, &yaml, &catalog, &regions).unwrap_or_else(|e| {
            panic!(
                "{file}: {}",
                e.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert_eq!(&back, p, "round trip of {file}");
        assert_eq!(
            to_yaml(&back),
            yaml,
            "re-serializing {file} gives the same text"
        );
    }

    if std::env::var_os("MERIDIAN_WRITE_IMPORT").is_some() {
        let out = Path::new(&std::env::var("MERIDIAN_WRITE_IMPORT").unwrap()).to_path_buf();
        meridian::import::write_problems(&out, &imported.problems, true).unwrap();
    }
}

/// What a hand review changed in a committed spec, relative to the import.
#[derive(Debug, Default, PartialEq)]
struct Review {
    regions: usize,
    workload_or_targets: bool,
    /// Reference components whose replicas, type or autoscaling changed.
    resized: usize,
    /// Reference components and connections added or removed.
    redrawn: usize,
}

/// Compares a committed spec with the import. A review may change component
/// regions, `workload` and `targets`. It may change the reference's design —
/// a component's `replicas`, `type`, `autoscale` or `service`, a component or a
/// connection added, removed or given a `share` — only with a reference note naming the
/// component (for a connection, one of its ends). Anything else (a
/// description, a tier, a name, …) is an error.
fn review(committed: &Problem, imported: &Problem) -> Result<Review, String> {
    let mut c = committed.clone();
    let mut r = Review::default();
    let notes = &committed.reference.notes;
    let noted = |name: &str| notes.iter().any(|n| n.contains(name));
    let mut unnoted = Vec::new();
    let mut kept = Vec::new();
    for cc in &c.reference.components {
        match imported
            .reference
            .components
            .iter()
            .find(|ic| ic.name == cc.name)
        {
            None => {
                r.redrawn += 1;
                if !noted(&cc.name) {
                    unnoted.push(format!("{} (added)", cc.name));
                }
            }
            Some(ic) => {
                let mut cc = cc.clone();
                if cc.region != ic.region {
                    r.regions += 1;
                    cc.region = ic.region.clone();
                }
                if cc.replicas != ic.replicas
                    || cc.component_type != ic.component_type
                    || cc.autoscale != ic.autoscale
                    || cc.service != ic.service
                {
                    r.resized += 1;
                    if !noted(&cc.name) {
                        unnoted.push(cc.name.clone());
                    }
                    cc.replicas = ic.replicas;
                    cc.component_type = ic.component_type.clone();
                    cc.autoscale = ic.autoscale;
                    cc.service = ic.service.clone();
                }
                kept.push(cc);
            }
        }
    }
    for ic in &imported.reference.components {
        if !committed
            .reference
            .components
            .iter()
            .any(|cc| cc.name == ic.name)
        {
            r.redrawn += 1;
            if !noted(&ic.name) {
                unnoted.push(format!("{} (removed)", ic.name));
            }
        }
    }
    let mut connections = Vec::new();
    for e in &c.reference.connections {
        if imported.reference.connections.contains(e) {
            connections.push(e.clone());
        } else {
            r.redrawn += 1;
            if !noted(&e.from) && !noted(&e.to) {
                unnoted.push(format!("{} → {} (added)", e.from, e.to));
            }
        }
    }
    for e in &imported.reference.connections {
        if !c.reference.connections.contains(e) {
            r.redrawn += 1;
            if !noted(&e.from) && !noted(&e.to) {
                unnoted.push(format!("{} → {} (removed)", e.from, e.to));
            }
        }
    }
    if !unnoted.is_empty() {
        return Err(format!(
            "the reference design changed without a reference note naming the component: {}",
            unnoted.join(", ")
        ));
    }
    if r.resized + r.redrawn == 0 && !notes.is_empty() {
        return Err("reference notes without any change they explain".into());
    }
    // Compare the rest with the import's components and connections in
    // their order, the design changes set aside.
    let order = |name: &str| {
        imported
            .reference
            .components
            .iter()
            .position(|ic| ic.name == name)
    };
    kept.sort_by_key(|k| order(&k.name));
    c.reference.components = kept;
    c.reference.connections = imported
        .reference
        .connections
        .iter()
        .filter(|e| connections.contains(e))
        .cloned()
        .collect();
    let mut expected = imported.clone();
    expected.reference.components.retain(|ic| {
        committed
            .reference
            .components
            .iter()
            .any(|cc| cc.name == ic.name)
    });
    expected.reference.connections = c.reference.connections.clone();
    c.reference.notes = imported.reference.notes.clone();
    if c.workload != imported.workload || c.targets != imported.targets {
        r.workload_or_targets = true;
        c.workload = imported.workload.clone();
        c.targets = imported.targets.clone();
    }
    if c != expected {
        return Err("differs from the import in more than the reviewed fields \
                    (regions, workload, targets, noted design changes)"
            .into());
    }
    Ok(r)
}

/// The committed specs are the importer's output plus a hand review (see
/// [`review`]): any other difference means someone edited the seed's content
/// (or the importer changed) without re-running the import.
#[test]
fn committed_specs_are_the_import_plus_region_review() {
    let (imported, catalog, regions) = import_real_seed();
    let mut region_changes = 0;
    for p in &imported.problems {
        let file = format!("problems/multiregion/{}", file_name(p));
        let committed_text =
            std::fs::read_to_string(root().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let committed = check_problem_file(&file, &committed_text, &catalog, &regions)
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let r = review(&committed, p).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            to_yaml(&committed),
            committed_text,
            "{file} is not in the importer's canonical form"
        );
        region_changes += r.regions;
    }
    // The review changed some inferred regions; if this drops to 0 the review was lost.
    assert!(region_changes > 0);
}

#[test]
fn the_review_check_catches_edits_beyond_the_review() {
    let (imported, _, _) = import_real_seed();
    let p = &imported.problems[0];
    assert_eq!(review(p, p), Ok(Review::default()));

    let mut ok = p.clone();
    ok.reference.components[0].region = "ap".into();
    ok.workload.as_mut().unwrap().rps = 1.0;
    ok.targets.availability = Some(0.9);
    let name = ok.reference.components[5].name.clone();
    ok.reference.components[5].replicas = 3;
    ok.reference.notes.push(format!("{name} runs 3 instances."));
    assert_eq!(
        review(&ok, p),
        Ok(Review {
            regions: 1,
            workload_or_targets: true,
            resized: 1,
            redrawn: 0
        })
    );

    // A component added with its connections, one removed, autoscaling:
    // each named in a note.
    let mut redrawn = p.clone();
    let first = redrawn.reference.components[1].name.clone();
    let mut extra = redrawn.reference.components[5].clone();
    extra.name = "Spare App".into();
    redrawn.reference.components.push(extra);
    redrawn
        .reference
        .connections
        .push(meridian_engine::Connection {
            from: first.clone(),
            to: "Spare App".into(),
            sync: false,
            share: None,
            rate: None,
        });
    let gone = redrawn.reference.connections.remove(0);
    redrawn.reference.components[5].autoscale = Some(meridian_engine::Autoscale { max: 40 });
    let scaled = redrawn.reference.components[5].name.clone();
    redrawn.reference.notes.push("Spare App takes over.".into());
    redrawn.reference.notes.push(format!(
        "{scaled} autoscales; {} no longer calls it.",
        gone.from
    ));
    assert_eq!(
        review(&redrawn, p),
        Ok(Review {
            regions: 0,
            workload_or_targets: false,
            resized: 1,
            redrawn: 3
        })
    );
    let mut bad = redrawn.clone();
    bad.reference.notes.remove(0);
    assert!(
        review(&bad, p).is_err(),
        "an added component without a note"
    );

    let mut bad = p.clone();
    bad.description.push_str(" Edited.");
    assert!(review(&bad, p).is_err());
    let mut bad = p.clone();
    bad.tiers[0].title = "Edited".into();
    assert!(review(&bad, p).is_err());
    let mut bad = p.clone();
    bad.reference.components[5].replicas = 3;
    assert!(review(&bad, p).is_err(), "replicas without a note");
    let mut bad = p.clone();
    bad.reference.components[8].component_type = "db_primary".into();
    bad.reference
        .notes
        .push("Some other component changed.".into());
    assert!(
        review(&bad, p).is_err(),
        "a note that doesn't name the component"
    );
    let mut bad = p.clone();
    bad.reference
        .notes
        .push("A note explaining nothing.".into());
    assert!(review(&bad, p).is_err());
    let mut bad = p.clone();
    bad.reference.connections.pop();
    assert!(
        review(&bad, p).is_err(),
        "a connection removed without a note"
    );
}

/// (number, rps, write fraction, spike, latency targets, throughput,
/// availability, replication lag, unchecked entries)
type Derived = (
    u32,
    f64,
    f64,
    f64,
    usize,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    usize,
);

/// Every problem gets a workload and targets; every clause of the
/// non-functional text becomes a number or an `unchecked` entry; and the
/// derived figures stay what was reviewed (see `generator/src/import/derive.rs`).
#[test]
fn derived_workloads_and_targets() {
    let (imported, _, _) = import_real_seed();
    #[rustfmt::skip]
    let expected: [Derived; 35] = [
        (1, 20000.0, 0.1, 10.0, 2, Some(20000.0), Some(0.9995), Some(1000.0), 0),
        (2, 10000.0, 1.0, 10.0, 1, Some(10000.0), Some(0.999), Some(5000.0), 0),
        (3, 10000000.0, 0.1, 10.0, 1, Some(10000000.0), Some(0.9999), None, 0),
        (4, 5000000.0, 0.1, 10.0, 1, Some(5000000.0), Some(0.9999), None, 0),
        (5, 1000000.0, 0.1, 10.0, 2, Some(1000000.0), Some(0.9995), None, 0),
        (6, 0.0, 0.1, 10.0, 0, None, None, None, 4),
        (7, 100000.0, 0.1, 10.0, 1, Some(100000.0), Some(0.9999), None, 0),
        (8, 20000000.0, 0.1, 10.0, 1, Some(20000000.0), Some(0.9999), None, 0),
        (9, 10000000.0, 0.1, 10.0, 0, Some(10000000.0), Some(0.9995), None, 1),
        (10, 1000000.0, 0.1, 10.0, 1, Some(1000000.0), Some(0.9995), None, 1),
        (11, 100000000.0, 0.1, 10.0, 2, Some(100000000.0), Some(0.99999), None, 1),
        (12, 500000.0, 0.1, 10.0, 1, Some(500000.0), Some(0.9999), None, 1),
        (13, 200000.0, 0.1, 10.0, 1, Some(200000.0), Some(0.9995), None, 1),
        (14, 100000000.0, 1.0, 10.0, 1, Some(100000000.0), Some(0.99999), Some(100.0), 2),
        (15, 2000000.0, 0.1, 10.0, 1, Some(2000000.0), Some(0.9999), None, 0),
        (16, 500000.0, 0.1, 10.0, 1, Some(500000.0), Some(0.9999), None, 0),
        (17, 1010000.0, 0.9901, 10.0, 0, Some(1010000.0), Some(0.999), None, 2),
        (18, 5000000.0, 0.1, 10.0, 1, Some(5000000.0), Some(0.9995), Some(500.0), 0),
        (19, 500000000.0, 0.1, 10.0, 1, None, Some(0.9999), None, 3),
        (20, 50000000.0, 0.1, 10.0, 1, Some(50000000.0), Some(0.9999), None, 0),
        (21, 500000.0, 0.1, 10.0, 2, Some(500000.0), Some(0.9999), None, 0),
        (22, 800000.0, 0.1, 10.0, 2, Some(800000.0), Some(0.999), None, 0),
        (23, 10000000.0, 1.0, 10.0, 0, Some(10000000.0), Some(0.999), None, 2),
        (24, 5000000.0, 0.1, 10.0, 0, Some(5000000.0), Some(0.999), None, 1),
        (25, 100000.0, 0.1, 10.0, 0, Some(100000.0), Some(0.9999), None, 1),
        (26, 10000000.0, 0.1, 10.0, 0, Some(10000000.0), Some(0.99999), None, 3),
        (27, 10000000.0, 1.0, 10.0, 0, Some(10000000.0), Some(0.99999), None, 3),
        (28, 100000000.0, 0.1, 100.0, 0, Some(100000000.0), Some(0.99999), None, 2),
        (29, 1000000.0, 0.1, 10.0, 2, Some(1000000.0), Some(0.9999), None, 0),
        (30, 300000.0, 0.1, 10.0, 1, Some(300000.0), Some(0.9995), None, 0),
        (31, 500000.0, 0.1, 10.0, 0, Some(500000.0), Some(0.9999), None, 1),
        (32, 10000000.0, 0.1, 10.0, 0, Some(10000000.0), Some(0.99999), None, 1),
        (33, 100000.0, 0.1, 10.0, 0, Some(100000.0), Some(0.9999), None, 2),
        (34, 500000.0, 0.1, 10.0, 1, Some(500000.0), Some(0.9995), Some(500.0), 0),
        (35, 2.778, 1.0, 10.0, 0, Some(2.778), Some(0.999), None, 1),
    ];
    let clauses = |t: &Option<String>| t.as_deref().map_or(0, |t| t.split(", ").count());
    for (p, e) in imported.problems.iter().zip(expected) {
        let w = p.workload.as_ref().expect("every problem has a workload");
        let t = &p.targets;
        assert!(!w.basis.is_empty() && (0.0..=1.0).contains(&w.write_fraction));
        let got = (
            p.number,
            w.rps,
            w.write_fraction,
            w.spike_multiplier,
            t.latency.len(),
            t.throughput_rps,
            t.availability,
            t.replication_lag_ms,
            t.unchecked.len(),
        );
        assert_eq!(got, e, "problem {}: {w:?} {t:?}", p.number);

        let nf = &p.non_functional_requirements;
        let rate_stated = nf
            .request_rate
            .as_deref()
            .is_some_and(|r| !r.starts_with("N/A"));
        let stated = clauses(&nf.latency)
            + clauses(&nf.availability)
            + usize::from(nf.consistency.is_some())
            + usize::from(nf.durability.is_some())
            + usize::from(rate_stated);
        let accounted = t.latency.len()
            + t.unchecked.len()
            + usize::from(t.availability.is_some())
            + usize::from(t.replication_lag_ms.is_some())
            + usize::from(t.throughput_rps.is_some());
        assert_eq!(
            stated, accounted,
            "problem {}: a clause was lost: {t:?}",
            p.number
        );
    }
}

#[test]
fn import_refuses_to_overwrite_without_force() {
    let (imported, _, _) = import_real_seed();
    let dir = tempfile::tempdir().unwrap();
    let first = &imported.problems[..1];
    let target = dir.path().join(file_name(&first[0]));
    std::fs::write(&target, "# an author's edits\n").unwrap();
    let err = meridian::import::write_problems(dir.path(), &imported.problems, false).unwrap_err();
    assert!(err.to_string().contains("use --force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# an author's edits\n"
    );
    // Nothing else was written either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    meridian::import::write_problems(dir.path(), &imported.problems, true).unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 35);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("id: basic-multi-region")
    );
}

/// The hand-written edge cases beside the 35-problem sample: another
/// category, a name spanning regions, a region known only from neighbours,
/// an unknown rule form kept (with a warning), no analysis.
#[test]
fn imports_the_hand_written_edge_cases() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/seed/edge-cases.md")).unwrap();
    let catalog: Catalog = data("catalog.yaml");
    let regions: Regions = data("regions.yaml");
    let imported = import_seed(&text, "edge-cases.md", &catalog, &regions)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let numbers: Vec<u32> = imported.problems.iter().map(|p| p.number).collect();
    assert_eq!(numbers, [7, 8]);
    assert!(imported.problems.iter().all(|p| p.category == "edge"));
    assert!(imported.problems.iter().all(|p| p.analysis.is_none()));

    let time = &imported.problems[0];
    let region = |n: &str| {
        time.reference
            .components
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.region.as_str())
    };
    assert_eq!(region("EU/AP Time Servers"), Some("global"));
    assert_eq!(
        region("Sync Agent"),
        Some("us"),
        "from its neighbour US App"
    );
    assert_eq!(
        time.reference.components[0].component_type, "client",
        "redirect_client is the catalog's client"
    );
    assert_eq!(
        time.tiers[0].rules[1],
        Rule::Unchecked {
            text: "Clocks agree within 5 ms".into()
        }
    );
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    let w = imported.warnings[0].to_string();
    assert!(
        w.contains("edge-cases.md:") && w.contains("Clocks agree"),
        "{w}"
    );

    let b = &imported.problems[1];
    assert!(b.reference.components.iter().all(|c| c.region == "eu"));
}
