//! Evaluations as reader-facing text (numbers, durations, tables).

mod availability;
mod diagram;
pub mod format;
pub mod scenario_text;
mod tiers;
mod view;

pub use availability::*;
pub use diagram::{diagram_svg, heat};
pub use tiers::*;
pub use view::*;

/// The stylesheet of every diagram and chart the engine draws, for the
/// generator to serve as `assets/css/figures.css`.
pub fn figures_css() -> String {
    format!(
        "/* Diagrams and charts, from the engine (svg.rs, chart.rs). */\n{}\n{}\n",
        crate::svg::DIAGRAM_CSS,
        crate::chart::CHART_CSS
    )
}
