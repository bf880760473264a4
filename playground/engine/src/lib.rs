//! Meridian's engine: problem spec types, validation, tier checks, diagram
//! layout and SVG rendering.
//!
//! Invariants: no I/O, no clock, no global state, no DOM. Everything here is a
//! pure function of its inputs so that the generator (natively) and the
//! playground (in WebAssembly) compute identical results.

pub mod catalog;
pub mod chart;
pub mod decimal;
pub mod json;
mod json_read;
pub mod layout;
pub mod limits;
pub mod playground_data;
pub mod report;
pub mod sim;
pub mod sort;
pub mod spec;
pub mod svg;
pub mod tiers;
pub mod validate;
pub mod vec_map;
pub mod within;

pub use catalog::{Catalog, ComponentType, Layer, Region, Regions, SimRole};
pub use spec::{
    Autoscale, Component, Connection, Constant, Difficulty, Problem, Rule, Tier, Topology,
};
