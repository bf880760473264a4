//! How large a design may be: one constant each, shared by validation
//! (`validate_topology`), the playground's edits, its text view and its
//! share links, so a design that passes one passes all and the playground
//! answers every edit within a frame or two. Every reference fits well
//! inside them (at most 12 components, 16 connections, 20,000 instances);
//! a larger design is refused with a message before anything evaluates it.

/// Components in one design.
pub const MAX_COMPONENTS: usize = 40;

/// Connections in one design.
pub const MAX_CONNECTIONS: usize = 120;

/// Instances of one component (its replicas, and its autoscaling maximum).
pub const MAX_REPLICAS: u32 = 20_000;
