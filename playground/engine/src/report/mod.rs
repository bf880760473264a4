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
