//! The reference solution's diagram, drawn by the engine's
//! [`meridian_engine::report::diagram_svg`] so the site and the playground
//! show the same picture.

use meridian_engine::report::diagram_svg;
use meridian_engine::svg::NodeHeat;
use meridian_engine::{Catalog, Problem, Regions};

/// `heat` is each component's utilisation at normal load, when simulated.
pub fn reference_diagram(
    problem: &Problem,
    catalog: &Catalog,
    regions: &Regions,
    heat: Vec<NodeHeat>,
) -> String {
    diagram_svg(
        &problem.reference.topology(),
        catalog,
        regions,
        &format!("Reference solution: {}", problem.title),
        "the components table and connection list below give the same information as text.",
        &format!("diagram-{}", problem.id),
        heat,
    )
}
