//! What a problem page hands its playground: the problem's simulation
//! inputs, the reference design, and the catalog and regions. The generator
//! serialises it into the page as JSON and the web crate reads it back, so
//! the browser evaluates with exactly the inputs the prerendered results used.

use crate::vec_map::VecMap;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Regions};
use crate::sim::scenarios::{ScenarioResult, custom_scenario};
use crate::sim::{Evaluation, Failures, SimInput, add_scenarios, evaluate, evaluate_steady};
use crate::spec::{Constant, Problem, Targets, Tier, Topology, Workload};

/// The catalog as the playground needs it: every figure, none of the notes
/// on where they come from (the generator checks those and the catalog
/// page shows them). They were three quarters of a page's data: 30.6 of
/// 42.0 KB of JSON.
fn without_sources(catalog: &Catalog) -> Catalog {
    let mut c = catalog.clone();
    c.simulation.sources = VecMap::new();
    for t in c.types.values_mut() {
        t.sim.sources = VecMap::new();
    }
    c
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaygroundData {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub tiers: Vec<Tier>,
    pub workload: Option<Workload>,
    #[serde(default)]
    pub targets: Targets,
    #[serde(default)]
    pub constants: VecMap<String, Constant>,
    /// Type ids the reader may add, in the problem's order.
    pub available_components: Vec<String>,
    pub reference: Topology,
    pub catalog: Catalog,
    pub regions: Regions,
}

impl PlaygroundData {
    pub fn new(problem: &Problem, catalog: &Catalog, regions: &Regions) -> PlaygroundData {
        PlaygroundData {
            id: problem.id.clone(),
            number: problem.number,
            title: problem.title.clone(),
            tiers: problem.tiers.clone(),
            workload: problem.workload.clone(),
            targets: problem.targets.clone(),
            constants: problem.constants.clone(),
            available_components: problem.available_components.clone(),
            reference: problem.reference.topology(),
            catalog: without_sources(catalog),
            regions: regions.clone(),
        }
    }

    /// Reads the data back from the JSON the generator wrote into the page
    /// (`json.rs`: not serde, whose readers are a sixth of the playground).
    pub fn from_json(text: &str) -> Result<PlaygroundData, String> {
        let json = crate::json::parse(text)?;
        <PlaygroundData as crate::json::FromJson>::from_json(&json)
    }

    /// The one way both sides evaluate a design; `None` when the problem
    /// states no workload to simulate.
    pub fn evaluate(&self, topology: &Topology) -> Option<Evaluation> {
        Some(evaluate(&self.input(topology)?))
    }

    /// [`PlaygroundData::evaluate`] in two steps, so the playground can show
    /// the steady results before the failure scenarios are computed:
    /// `evaluate_steady` then `add_scenarios` equals `evaluate`.
    pub fn evaluate_steady(&self, topology: &Topology) -> Option<Evaluation> {
        Some(evaluate_steady(&self.input(topology)?))
    }

    pub fn add_scenarios(&self, topology: &Topology, e: &mut Evaluation) {
        if let Some(input) = self.input(topology) {
            add_scenarios(&input, e);
        }
    }

    fn input<'a>(&'a self, topology: &'a Topology) -> Option<SimInput<'a>> {
        Some(SimInput {
            topology,
            workload: self.workload.as_ref()?,
            targets: &self.targets,
            tiers: &self.tiers,
            constants: &self.constants,
            catalog: &self.catalog,
            regions: &self.regions,
        })
    }

    /// A failure scenario of the reader's own: every component in
    /// `components` lost at once, measured against `evaluation` (this
    /// design's normal state) like the generated scenarios.
    pub fn custom_scenario(
        &self,
        topology: &Topology,
        evaluation: &Evaluation,
        name: &str,
        components: &[String],
    ) -> Option<ScenarioResult> {
        let input = self.input(topology)?;
        Some(custom_scenario(
            &input,
            &evaluation.normal,
            &evaluation.availability,
            &evaluation.cost,
            &evaluation.targets,
            name,
            Failures {
                components: components.to_vec(),
                ..Failures::default()
            },
        ))
    }

    /// Where a reader starts: the reference's clients, nothing else, so
    /// they build toward the tiers themselves.
    pub fn blank_design(&self) -> Topology {
        Topology {
            components: self
                .reference
                .components
                .iter()
                .filter(|c| {
                    self.catalog
                        .types
                        .get(&c.component_type)
                        .is_some_and(|t| t.layer == crate::catalog::Layer::Clients)
                })
                .cloned()
                .collect(),
            connections: Vec::new(),
        }
    }
}
