//! The importer on the real seed: all 35 problems, losslessly, and a round trip
//! through YAML and the strict loader gives the same data.

use std::path::{Path, PathBuf};

use meridian::import::{file_name, import_seed, to_yaml};
use meridian::load::check_problem_file;
use meridian_engine::{Catalog, Regions, Rule};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed_path() -> PathBuf {
    root().join("../shared/seed/multiregion.md")
}

fn data<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let text = std::fs::read_to_string(root().join("problems").join(name)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn imports_all_35_problems() {
    let text =
        std::fs::read_to_string(seed_path()).expect("the seed is at ../shared/seed/multiregion.md");
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

/// The committed specs are the importer's output plus the hand review of
/// regions: any other difference means someone edited the seed's content (or
/// the importer changed) without re-running the import.
#[test]
fn committed_specs_are_the_import_plus_region_review() {
    let text = std::fs::read_to_string(seed_path()).unwrap();
    let catalog: Catalog = data("catalog.yaml");
    let regions: Regions = data("regions.yaml");
    let imported = import_seed(&text, "multiregion.md", &catalog, &regions)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let mut region_changes = 0;
    for p in &imported.problems {
        let file = format!("problems/multiregion/{}", file_name(p));
        let committed_text =
            std::fs::read_to_string(root().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut committed = check_problem_file(&file, &committed_text, &catalog, &regions)
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!(
            committed.reference.components.len(),
            p.reference.components.len(),
            "{file}"
        );
        for (c, i) in committed
            .reference
            .components
            .iter_mut()
            .zip(&p.reference.components)
        {
            if c.region != i.region {
                region_changes += 1;
                c.region = i.region.clone();
            }
        }
        assert_eq!(
            &committed, p,
            "{file} differs from the import in more than regions"
        );
    }
    // The review changed some inferred regions; if this drops to 0 the review was lost.
    assert!(region_changes > 0);
}

#[test]
fn import_refuses_to_overwrite_without_force() {
    let text = std::fs::read_to_string(seed_path()).unwrap();
    let catalog: Catalog = data("catalog.yaml");
    let regions: Regions = data("regions.yaml");
    let imported = import_seed(&text, "multiregion.md", &catalog, &regions)
        .map_err(|e| format!("{e:?}"))
        .unwrap();
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
