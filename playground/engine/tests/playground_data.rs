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

/// The page's data as the generator writes it (serde_json, `<` escaped so
/// the page's script element cannot end early).
fn page_json(data: &PlaygroundData) -> String {
    serde_json::to_string(data).unwrap().replace('<', "\\u003c")
}

/// The playground reads its data with `json.rs`, not serde: every problem's
/// data reads back equal to what serde wrote, and so does one that sets
/// every optional field (each rule kind, every constant kind, autoscaling,
/// service overrides, the catalog's source notes).
#[test]
fn the_playground_reads_back_what_the_generator_writes() {
    let catalog: meridian_engine::Catalog = read_yaml("catalog.yaml");
    let regions: meridian_engine::Regions = read_yaml("regions.yaml");
    let mut read = 0;
    for p in course::load() {
        let data = PlaygroundData::new(&p.problem, &catalog, &regions);
        assert_eq!(
            PlaygroundData::from_json(&page_json(&data)).as_ref(),
            Ok(&data),
            "{}",
            p.title
        );
        read += 1;
    }
    assert_eq!(read, 35);

    let problem: meridian_engine::Problem = read_yaml("multiregion/07-global-dns.yaml");
    let mut data = PlaygroundData::new(&problem, &catalog, &regions);
    data.catalog = catalog.clone();
    data.constants = [
        ("on", meridian_engine::Constant::Bool(true)),
        ("users", meridian_engine::Constant::Int(-12)),
        ("ratio", meridian_engine::Constant::Float(0.1 + 0.2)),
        ("whole", meridian_engine::Constant::Float(2.0)),
        ("name", meridian_engine::Constant::Text("<b>é\"\\\n".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    data.tiers[0].rules.extend([
        meridian_engine::Rule::MustInclude {
            component_type: "cache".into(),
        },
        meridian_engine::Rule::Unchecked {
            text: "Keep it simple".into(),
        },
    ]);
    let workload = data.workload.as_mut().unwrap();
    workload.basis = "quoted".into();
    workload.client_regions.insert("us-east-1".into(), 0.75);
    data.targets
        .latency
        .push(meridian_engine::spec::LatencyTarget {
            percentile: meridian_engine::spec::Percentile::P99,
            scope: meridian_engine::spec::LatencyScope::CrossRegion,
            max_ms: 250.5,
        });
    data.targets.unchecked.push("Strong consistency".into());
    let c = &mut data.reference.components[1];
    c.replicas = 3;
    c.hit_ratio = Some(0.9);
    c.autoscale = Some(meridian_engine::Autoscale { max: 12 });
    c.service = Some(meridian_engine::spec::ServiceOverride {
        concurrency: Some(8),
        service_ms: Some(0.25),
        source: "measured".into(),
    });
    data.reference.connections[0].sync = true;
    data.reference.connections[0].share = Some(0.5);
    data.reference.connections[1].rate = Some(3.0);
    let back = PlaygroundData::from_json(&page_json(&data)).unwrap();
    assert_eq!(back, data);
    assert_eq!(
        back.constants["whole"],
        meridian_engine::Constant::Float(2.0)
    );
}

/// A damaged page says where its data stops making sense.
#[test]
fn damaged_page_data_is_an_error_that_names_the_field() {
    let catalog: meridian_engine::Catalog = read_yaml("catalog.yaml");
    let regions: meridian_engine::Regions = read_yaml("regions.yaml");
    let problem: meridian_engine::Problem = read_yaml("multiregion/07-global-dns.yaml");
    let json = page_json(&PlaygroundData::new(&problem, &catalog, &regions));
    let err = |from: &str, to: &str| {
        assert!(json.contains(from), "{from}");
        PlaygroundData::from_json(&json.replacen(from, to, 1)).unwrap_err()
    };
    assert_eq!(
        err("\"service_ms\":", "\"service_time\":"),
        "catalog: types: client: sim: missing field `service_ms`"
    );
    assert_eq!(
        err("\"seed\":", "\"seed\":\"x\",\"was\":"),
        "catalog: simulation: seed: expected a whole number from 0 to 2^64 - 1, found text"
    );
    assert_eq!(
        err("\"region\":", "\"zone\":\"x\",\"region\":"),
        "reference: components: item 1: unknown field `zone`"
    );
    assert!(err("{", "[").starts_with("expected"));
}
