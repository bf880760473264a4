//! Shared test fixtures: the catalog and regions mirrored from `problems/`,
//! and the 35 published problems.
#![allow(dead_code)]

pub mod catalog;
pub mod course;
pub mod geometry;
