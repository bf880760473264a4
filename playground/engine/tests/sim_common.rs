//! Shared fixtures for the simulator tests (included by `#[path]`; as a test
//! crate of its own it has no tests).
#![allow(dead_code)]

use meridian_engine::sim::SimInput;
use meridian_engine::spec::{Targets, Workload};
use meridian_engine::vec_map::VecMap;
use meridian_engine::{Catalog, Component, Connection, Constant, Regions, Topology};

#[path = "support/catalog.rs"]
pub mod catalog;

/// Owns everything a `SimInput` borrows.
pub struct Case {
    pub topology: Topology,
    pub workload: Workload,
    pub targets: Targets,
    pub constants: VecMap<String, Constant>,
    pub catalog: Catalog,
    pub regions: Regions,
}

impl Case {
    pub fn new(topology: Topology, rps: f64, write_fraction: f64) -> Case {
        Case {
            topology,
            workload: workload(rps, write_fraction),
            targets: Targets::default(),
            constants: VecMap::new(),
            catalog: catalog::catalog(),
            regions: catalog::regions(),
        }
    }

    pub fn input(&self) -> SimInput<'_> {
        SimInput {
            topology: &self.topology,
            workload: &self.workload,
            targets: &self.targets,
            tiers: &[],
            constants: &self.constants,
            catalog: &self.catalog,
            regions: &self.regions,
        }
    }
}

pub fn workload(rps: f64, write_fraction: f64) -> Workload {
    Workload {
        rps,
        write_fraction,
        spike_multiplier: 10.0,
        client_regions: VecMap::new(),
        basis: String::new(),
    }
}

pub fn comp(name: &str, ty: &str, region: &str, replicas: u32) -> Component {
    Component {
        name: name.into(),
        component_type: ty.into(),
        region: region.into(),
        replicas,
        hit_ratio: None,
        autoscale: None,
        service: None,
    }
}

pub fn conn(from: &str, to: &str) -> Connection {
    Connection {
        from: from.into(),
        to: to.into(),
        sync: false,
        share: None,
        rate: None,
    }
}

pub fn topo(components: Vec<Component>, connections: &[(&str, &str)]) -> Topology {
    Topology {
        components,
        connections: connections.iter().map(|(a, b)| conn(a, b)).collect(),
    }
}

/// Regions with no network delay and regions that never fail.
pub fn ideal_regions() -> Regions {
    let mut r = catalog::regions();
    r.network.same_region_rtt_ms = 0.0;
    r.network.edge_rtt_ms = 0.0;
    r.network.region_availability = 1.0;
    r
}

/// Component types random designs draw from (clients and apps twice, so
/// designs usually carry traffic).
pub const RANDOM_TYPES: &[&str] = &[
    "client",
    "client",
    "cdn",
    "lb",
    "app",
    "app",
    "worker",
    "cache",
    "stream",
    "queue",
    "db_primary",
    "db_replica",
    "object_store",
    "search",
];
pub const RANDOM_REGIONS: &[&str] = &["us", "eu", "ap", "global"];

/// A random design as indices, so proptest can shrink it.
#[derive(Debug, Clone)]
pub struct Design {
    /// (type index, region index, replicas).
    pub comps: Vec<(usize, usize, u32)>,
    /// (from, to, sync).
    pub edges: Vec<(usize, usize, bool)>,
    pub rps: f64,
    pub wf: f64,
    /// Traffic shares of us, eu, ap (as many as given).
    pub shares: Vec<f64>,
}

/// The simulator input of a random design, sampling `latency_samples` requests.
pub fn case_of(d: &Design, latency_samples: u32) -> Case {
    let components = d
        .comps
        .iter()
        .enumerate()
        .map(|(i, &(t, r, k))| comp(&format!("N{i}"), RANDOM_TYPES[t], RANDOM_REGIONS[r], k))
        .collect();
    let mut t = topo(components, &[]);
    for &(a, b, sync) in &d.edges {
        let mut c = conn(&format!("N{a}"), &format!("N{b}"));
        c.sync = sync;
        t.connections.push(c);
    }
    let mut case = Case::new(t, d.rps, d.wf);
    for (r, s) in ["us", "eu", "ap"].iter().zip(&d.shares) {
        case.workload.client_regions.insert(r.to_string(), *s);
    }
    case.catalog.simulation.latency_samples = latency_samples;
    case
}
