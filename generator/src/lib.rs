//! The `meridian` generator: loads and validates problem specs, imports seeds,
//! and builds the static course site. All domain logic lives in
//! `meridian-engine`; this crate does the I/O around it.
#![deny(clippy::print_stdout)]

#[macro_use]
pub mod stdout;

pub mod build;
pub mod bundle;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod import;
pub mod load;
pub mod new;
pub mod serve;
pub mod simulate;
pub mod site;
