//! The simulator: queueing, latency, availability, cost and failure
//! scenarios for a topology under a problem's workload.
//!
//! Everything is deterministic (seeded PRNG, `libm` for transcendental
//! functions) so native and WebAssembly builds agree bit for bit.

pub mod availability;
pub mod queueing;
pub mod rng;
