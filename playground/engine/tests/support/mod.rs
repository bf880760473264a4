//! Shared test fixtures: the catalog and regions mirrored from `problems/`,
//! and the 35 reference topologies parsed from the seed.
#![allow(dead_code)]

pub mod catalog;
pub mod geometry;
pub mod seed;
