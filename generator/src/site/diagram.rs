//! The reference solution's diagram, laid out and drawn by the engine so the
//! site and the playground show the same picture.

use meridian_engine::layout::layout;
use meridian_engine::svg::{NodeHeat, SvgOptions, render_svg};
use meridian_engine::{Catalog, Problem, Regions};

/// `heat` is each component's utilisation at normal load, when simulated.
pub fn reference_diagram(
    problem: &Problem,
    catalog: &Catalog,
    regions: &Regions,
    heat: Vec<NodeHeat>,
) -> String {
    let topology = problem.reference.topology();
    let laid_out = layout(&topology, catalog, regions);
    let n = topology.components.len();
    let options = SvgOptions {
        title: format!("Reference solution: {}", problem.title),
        description: format!(
            "{n} component{} and {} connection{}; the components table and connection list below give the same information as text.",
            if n == 1 { "" } else { "s" },
            topology.connections.len(),
            if topology.connections.len() == 1 {
                ""
            } else {
                "s"
            },
        ),
        id_prefix: format!("diagram-{}", problem.id),
        heat,
    };
    render_svg(&laid_out, catalog, regions, &options)
}
