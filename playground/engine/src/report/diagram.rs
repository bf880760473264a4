//! A design's diagram, laid out and drawn by the engine, coloured by the
//! simulated utilisation: one function for the page and the playground so
//! both show the same picture.

use crate::catalog::{Catalog, Regions};
use crate::layout::layout;
use crate::sim::Evaluation;
use crate::spec::Topology;
use crate::svg::{NodeHeat, SvgOptions, render_svg};

/// Each component's utilisation at normal load, the bottleneck marked.
pub fn heat(e: &Evaluation) -> Vec<NodeHeat> {
    e.normal
        .nodes
        .iter()
        .map(|n| NodeHeat {
            name: n.name.to_string(),
            utilisation: n.utilisation,
            bottleneck: e.normal.bottleneck.as_deref() == Some(&*n.name),
        })
        .collect()
}

/// `text_alternative` says where the same information is given as text.
pub fn diagram_svg(
    topology: &Topology,
    catalog: &Catalog,
    regions: &Regions,
    title: &str,
    text_alternative: &str,
    id_prefix: &str,
    heat: Vec<NodeHeat>,
) -> String {
    let laid_out = layout(topology, catalog, regions);
    let n = topology.components.len();
    let c = topology.connections.len();
    let options = SvgOptions {
        title: title.to_string(),
        description: format!(
            "{n} component{} and {c} connection{}; {text_alternative}",
            if n == 1 { "" } else { "s" },
            if c == 1 { "" } else { "s" },
        ),
        id_prefix: id_prefix.to_string(),
        heat,
    };
    render_svg(&laid_out, catalog, regions, &options)
}
