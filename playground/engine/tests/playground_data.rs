//! `PlaygroundData`, what a page hands its playground, on every reference
//! published reference topology: evaluating in two steps (steady, then scenarios)
//! equals one evaluation, and a reader's own failure scenario of one
//! component is exactly the generated scenario of losing that component.

#[allow(dead_code)]
#[path = "support/course.rs"]
mod course;
#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::playground_data::PlaygroundData;
use meridian_engine::sim::scenarios::ScenarioKind;
use meridian_engine::spec::Targets;
use meridian_engine::vec_map::VecMap;
use sim_common::catalog;

#[test]
fn a_custom_scenario_of_one_component_equals_the_generated_one() {
    let catalog = catalog::catalog();
    let regions = catalog::regions();
    let mut checked = 0;
    for p in course::load() {
        let data = PlaygroundData {
            id: "p".into(),
            number: 1,
            title: p.title.clone(),
            tiers: Vec::new(),
            workload: Some(sim_common::workload(2000.0, 0.2)),
            targets: Targets::default(),
            constants: VecMap::new(),
            available_components: Vec::new(),
            reference: p.topology.clone(),
            catalog: catalog.clone(),
            regions: regions.clone(),
        };
        let e = data.evaluate(&p.topology).expect("a workload");
        let mut two_steps = data.evaluate_steady(&p.topology).expect("a workload");
        assert!(two_steps.scenarios.is_empty());
        data.add_scenarios(&p.topology, &mut two_steps);
        assert_eq!(two_steps, e, "{}: steady + scenarios = evaluate", p.title);
        for s in e
            .scenarios
            .iter()
            .filter(|s| s.kind == ScenarioKind::ComponentLoss)
        {
            let own = data
                .custom_scenario(&p.topology, &e, &s.name, &s.failures.components)
                .expect("a workload");
            assert_eq!(&own, s, "{}: {}", p.title, s.name);
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

fn read_yaml<T: serde::de::DeserializeOwned>(rel: &str) -> T {
    let path = format!("{}/../../problems/{rel}", env!("CARGO_MANIFEST_DIR"));
    serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A page hands its playground every figure of the catalog but none of
/// their source notes (the catalog page shows those), and the playground
/// evaluates exactly as with the whole catalog.
#[test]
fn page_data_carries_the_figures_not_their_sources() {
    let catalog: meridian_engine::Catalog = read_yaml("catalog.yaml");
    let regions: meridian_engine::Regions = read_yaml("regions.yaml");
    let problem: meridian_engine::Problem = read_yaml("multiregion/07-global-dns.yaml");
    assert!(catalog.types.values().all(|t| !t.sim.sources.is_empty()));
    let data = PlaygroundData::new(&problem, &catalog, &regions);
    assert!(data.catalog.simulation.sources.is_empty());
    assert!(
        data.catalog
            .types
            .values()
            .all(|t| t.sim.sources.is_empty())
    );
    let mut figures = catalog.clone();
    figures.simulation.sources = VecMap::new();
    for t in figures.types.values_mut() {
        t.sim.sources = VecMap::new();
    }
    assert_eq!(data.catalog, figures);
    let whole = PlaygroundData {
        catalog,
        ..data.clone()
    };
    assert_eq!(
        data.evaluate(&data.reference),
        whole.evaluate(&data.reference)
    );
}
