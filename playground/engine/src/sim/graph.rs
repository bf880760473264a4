//! The design as the simulator sees it: known components with their catalog
//! figures and role, edges split into synchronous (request path) and
//! asynchronous (load only), and the network between regions.
//!
//! Components with an unknown type or region, duplicate names and connections
//! to unknown components are skipped with a message, so a half-drawn design
//! still gets a result.
//!
//! # Entry points
//!
//! Requests come from `client` components. A design without one (a
//! background pipeline that starts at its streams, a service drawn from its
//! apps inward) gets its requests at its *entry points* instead
//! ([`Graph::entry_points`]): the components no connection leads into
//! (synchronous or asynchronous, so a worker fed by a stream, or a replica
//! fed by its primary, is not one), leaving out isolated components with no
//! connection at all. When every connected component has an incoming
//! connection (a pure cycle), the first of them in design order is the
//! entry point. Self-connections, repeated connections and connections to
//! skipped components do not count. Entry points take the workload exactly
//! as clients would (see `sim` docs, "Sources"): a regional one in its own
//! region, a global one for the origin regions a global client would take.
//! Unlike a client, an entry point is a component of the design: it
//! processes the requests by its own role (a stream accepts the message, an
//! app computes and calls on), fails with its region and counts towards
//! availability like any other component. A design with a client has no
//! entry points: its clients alone send requests.

use std::cell::OnceCell;
use std::rc::Rc;

use crate::vec_map::VecMap;

use super::SimInput;
use crate::catalog::{Catalog, Layer, SimParams, SimRole};
use crate::within::Within;

/// What a node does with a request (see the module docs of `sim`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Client,
    /// lb, cdn: split evenly over the live successors nearest the request's
    /// origin (see `routing`, "Routing"); a cdn also absorbs reads.
    Router {
        cdn: bool,
    },
    /// app, worker.
    Compute {
        worker: bool,
    },
    Cache,
    /// stream, queue: only ever reached asynchronously (or directly by a client).
    Log,
    Data(DataKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DataKind {
    Primary,
    Replica,
    Object,
    Search,
}

#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub name: &'a str,
    pub type_id: &'a str,
    /// Index into `Graph::region_ids`.
    pub region: usize,
    pub global: bool,
    pub replicas: u32,
    /// The most instances autoscaling may run (`replicas` when the component
    /// does not autoscale or its type cannot).
    pub max_replicas: u32,
    pub role: Role,
    pub params: &'a SimParams,
    /// Servers per instance and mean service time: the component's
    /// `service` override where it sets one, else its type's.
    pub concurrency: u32,
    pub service_ms: f64,
    /// The type is drawn in the edge layer (CDN, DNS, load balancers, edge
    /// functions): global, it is an edge service ([`Node::is_edge`]).
    pub edge_layer: bool,
    /// Fraction of reads answered here (caches and CDNs), else 0: the
    /// component's own `hit_ratio`, else the problem constant
    /// `cache_hit_target`, else the catalog's (0 for a CDN-type component
    /// that only routes, such as GeoDNS).
    pub hit: f64,
}

impl Node<'_> {
    pub fn is_data(&self) -> bool {
        matches!(self.role, Role::Data(_))
    }

    /// A global component of an edge type (CDN, DNS, anycast, a global load
    /// balancer, edge functions): an edge service answering from points of
    /// presence near every user, run apart from the cloud regions, so a
    /// region's loss does not touch it (it fails on its own: its
    /// availability and repair time).
    pub fn is_edge(&self) -> bool {
        self.global && self.edge_layer && self.role != Role::Client
    }

    /// A global component spread evenly over the design's regions (see
    /// [`FailState`]): any global one but a client or an edge service.
    pub fn is_spread(&self) -> bool {
        self.global && self.role != Role::Client && !self.is_edge()
    }
}

pub(crate) struct Graph<'a> {
    pub nodes: Vec<Node<'a>>,
    /// Synchronous successors, in connection order (ties go to the first).
    pub sync_out: Vec<Vec<usize>>,
    /// Asynchronous successors: replication, CDC, producers into logs.
    pub async_out: Vec<Vec<usize>>,
    /// Every successor, for the spread of asynchronous copies.
    pub all_out: Vec<Vec<usize>>,
    /// The connection's `share`, aligned with `all_out` (None: all of it).
    pub all_share: Vec<Vec<Option<f64>>>,
    /// Data-store targets of `sync: true` connections.
    pub sync_repl_out: Vec<Vec<usize>>,
    /// Primaries replicating into this store (incoming data → data edges).
    pub repl_in: Vec<Vec<usize>>,
    /// Connections with a fixed `rate` (from, to, requests/s): background
    /// load only, kept out of routing and of the copies' spread.
    pub fixed: Vec<(usize, usize, f64)>,
    /// All regions known to `regions.yaml`, in file order.
    pub region_ids: Vec<&'a str>,
    pub region_global: Vec<bool>,
    /// The design's regions ([`design_regions`]): concrete regions hosting
    /// a regional component a client reaches (clients included) or named
    /// with a share in the workload's `client_regions`; every concrete region
    /// when none is (a design made only of global services). Global
    /// components are spread over these, and only these can be lost: a
    /// design in us and eu has no "Region ap lost".
    pub design_region: Vec<bool>,
    /// Round trip between regions (symmetric), ms.
    pub rtt: Vec<Vec<f64>>,
    pub edge_rtt: f64,
    pub messages: Vec<String>,
    /// Each node's (name, type, region) as results carry them, made on
    /// first use and shared by every steady state run on this graph.
    labels: OnceCell<Vec<[Rc<str>; 3]>>,
}

/// The design's regions (see [`Graph::design_region`]): the concrete
/// regions of the components reachable from a client (clients included;
/// from the entry points when the design has no client) and of the workload's
/// `client_regions`. A component nothing reaches (an idle worker in a third
/// region) adds no region: it receives no traffic and spreads no global
/// component over its region.
fn design_regions(g: &Graph, input: &SimInput) -> Vec<bool> {
    let nr = g.region_ids.len();
    let n = g.nodes.len();
    let mut reached: Vec<bool> = g.nodes.iter().map(|x| x.role == Role::Client).collect();
    if !reached.contains(&true) {
        // No client: requests enter at the entry points (isolated
        // components are none).
        for i in g.entry_points() {
            reached[i] = true;
        }
    }
    let mut stack: Vec<usize> = (0..n).filter(|&i| reached[i]).collect();
    while let Some(i) = stack.pop() {
        let fixed = g.fixed.iter().filter(|f| f.0 == i).map(|f| f.1);
        for j in g.all_out[i].iter().copied().chain(fixed) {
            if !reached[j] {
                reached[j] = true;
                stack.push(j);
            }
        }
    }
    let mut design = vec![false; nr];
    for (i, x) in g.nodes.iter().enumerate() {
        if reached[i] && !x.global {
            design[x.region] = true;
        }
    }
    for (r, share) in &input.workload.client_regions {
        if let Some(i) = input.regions.index(r)
            && !g.region_global[i]
            && share.is_finite()
            && *share > 0.0
        {
            design[i] = true;
        }
    }
    if !design.contains(&true) {
        design = g.region_global.iter().map(|global| !global).collect();
    }
    design
}

/// Round trips closer than this (ms) count as a tie when choosing.
pub(crate) const RTT_TIE_MS: f64 = 1e-9;

pub(crate) fn constant(input: &SimInput, key: &str) -> Option<f64> {
    input
        .constants
        .get(key)
        .and_then(|c| c.as_f64())
        .filter(|x| x.is_finite())
}

fn role_of(type_id: &str, layer: Layer, params: &SimParams) -> Role {
    if let Some(role) = params.role {
        return match role {
            SimRole::Client => Role::Client,
            SimRole::Router => Role::Router { cdn: false },
            SimRole::Cdn => Role::Router { cdn: true },
            SimRole::App => Role::Compute { worker: false },
            SimRole::Worker => Role::Compute { worker: true },
            SimRole::Cache => Role::Cache,
            SimRole::Log => Role::Log,
            SimRole::Primary => Role::Data(DataKind::Primary),
            SimRole::Replica => Role::Data(DataKind::Replica),
            SimRole::ObjectStore => Role::Data(DataKind::Object),
            SimRole::Search => Role::Data(DataKind::Search),
        };
    }
    match type_id {
        "client" => Role::Client,
        "cdn" => Role::Router { cdn: true },
        "lb" => Role::Router { cdn: false },
        "app" => Role::Compute { worker: false },
        "worker" => Role::Compute { worker: true },
        "cache" => Role::Cache,
        "stream" | "queue" => Role::Log,
        "db_primary" => Role::Data(DataKind::Primary),
        "db_replica" => Role::Data(DataKind::Replica),
        "object_store" => Role::Data(DataKind::Object),
        "search" => Role::Data(DataKind::Search),
        // A type added to the catalog later: its layer decides.
        _ => match layer {
            Layer::Clients => Role::Client,
            Layer::Edge => Role::Router {
                cdn: params.hit_ratio.is_some(),
            },
            Layer::Compute => Role::Compute { worker: false },
            Layer::CachesAndLogs if params.hit_ratio.is_some() => Role::Cache,
            Layer::CachesAndLogs => Role::Log,
            Layer::Data => Role::Data(DataKind::Object),
        },
    }
}

/// Is `from → to` asynchronous (load only, off the latency path)?
/// A client's connections are always synchronous: its requests must go somewhere.
pub(crate) fn is_async(from: &Node, to: &Node) -> bool {
    roles_async(from.role, to.role)
}

fn roles_async(from: Role, to: Role) -> bool {
    let data = |r: Role| matches!(r, Role::Data(_));
    if from == Role::Client {
        return false;
    }
    from == Role::Log
        || to == Role::Log
        || (data(from) && data(to))
        || (data(from) && to == (Role::Compute { worker: true }))
}

/// Can a connection between these catalog types carry a `share` of the
/// traffic: one from a client or router (a weighted split), an app or
/// worker calling another app, worker or router (a call only some requests
/// make: clock sync, a lookup), or an asynchronous one (a share of the
/// copies). A compute's read or write to a cache or store, and a store's
/// or cache's own calls, are made by every request that takes them.
/// Unknown types: true (validation reports the type itself).
pub fn share_applies(catalog: &Catalog, from_type: &str, to_type: &str) -> bool {
    let role = |t: &str| {
        catalog.resolve(t).map(|id| {
            let ty = &catalog.types[id];
            role_of(id, ty.layer, &ty.sim)
        })
    };
    match (role(from_type), role(to_type)) {
        (Some(f), Some(t)) => {
            matches!(f, Role::Client | Role::Router { .. })
                || roles_async(f, t)
                || (matches!(f, Role::Compute { .. })
                    && matches!(t, Role::Compute { .. } | Role::Router { .. }))
        }
        _ => true,
    }
}

impl<'a> Graph<'a> {
    /// Node `i`'s (name, type, region) for results (see `labels`).
    pub(crate) fn labels(&self, i: usize) -> &[Rc<str>; 3] {
        &self.labels.get_or_init(|| {
            self.nodes
                .iter()
                .map(|n| {
                    [
                        n.name.into(),
                        n.type_id.into(),
                        self.region_ids[n.region].into(),
                    ]
                })
                .collect()
        })[i]
    }

    pub fn build(input: &SimInput<'a>) -> Graph<'a> {
        let regions = input.regions;
        let region_ids: Vec<&str> = regions.regions.keys().map(String::as_str).collect();
        let region_global: Vec<bool> = regions.regions.values().map(|r| r.spans_regions).collect();
        let mut messages = Vec::new();
        // RTT matrix; a pair missing from regions.yaml takes the largest listed
        // round trip (pessimistic, and said once).
        let net = &regions.network;
        let worst = net
            .rtt_ms
            .iter()
            .map(|p| p.ms)
            .filter(|x| x.is_finite())
            .fold(net.same_region_rtt_ms, f64::max);
        let nr = region_ids.len();
        let mut rtt = vec![vec![0.0; nr]; nr];
        let mut missing = false;
        for i in 0..nr {
            for j in 0..nr {
                rtt[i][j] = match regions.rtt_ms(region_ids[i], region_ids[j]) {
                    Some(x) if x.is_finite() && x >= 0.0 => x,
                    _ => {
                        if !region_global[i] && !region_global[j] {
                            missing = true;
                        }
                        worst
                    }
                };
            }
        }
        if missing {
            messages.push(format!(
                "some region pairs have no round trip in regions.yaml; they take the largest listed ({} ms)",
                crate::decimal::shortest(worst)
            ));
        }
        let hit_override = constant(input, "cache_hit_target").map(|h| h.within(0.0, 1.0));

        let mut nodes: Vec<Node> = Vec::new();
        let mut index: VecMap<&str, usize> = VecMap::new();
        for c in &input.topology.components {
            let Some(type_id) = input.catalog.resolve(&c.component_type) else {
                messages.push(format!(
                    "{}: unknown type {:?}, left out of the simulation",
                    c.name, c.component_type
                ));
                continue;
            };
            let Some(region) = regions.index(&c.region) else {
                messages.push(format!(
                    "{}: unknown region {:?}, left out of the simulation",
                    c.name, c.region
                ));
                continue;
            };
            if index.contains_key(c.name.as_str()) {
                messages.push(format!(
                    "{}: a second component with this name, left out",
                    c.name
                ));
                continue;
            }
            let ty = &input.catalog.types[type_id];
            let role = role_of(type_id, ty.layer, &ty.sim);
            let hit = match role {
                // The component's own figure, else the problem's, else the catalog's.
                Role::Cache | Role::Router { cdn: true } => c
                    .hit_ratio
                    .filter(|h| h.is_finite())
                    .or(hit_override)
                    .or(ty.sim.hit_ratio)
                    .unwrap_or(0.0)
                    .within(0.0, 1.0),
                _ => 0.0,
            };
            if c.replicas == 0 {
                messages.push(format!("{}: 0 replicas, so it serves nothing", c.name));
            }
            index.insert(c.name.as_str(), nodes.len());
            nodes.push(Node {
                name: &c.name,
                type_id,
                region,
                global: region_global[region],
                replicas: c.replicas,
                max_replicas: match c.autoscale {
                    Some(a) if ty.sim.can_autoscale() => a.max.max(c.replicas),
                    _ => c.replicas,
                },
                role,
                params: &ty.sim,
                edge_layer: ty.layer == Layer::Edge,
                concurrency: c
                    .service
                    .as_ref()
                    .and_then(|o| o.concurrency)
                    .unwrap_or(ty.sim.concurrency),
                service_ms: c
                    .service
                    .as_ref()
                    .and_then(|o| o.service_ms)
                    .unwrap_or(ty.sim.service_ms),
                hit,
            });
        }
        let n = nodes.len();
        let mut g = Graph {
            sync_out: vec![Vec::new(); n],
            async_out: vec![Vec::new(); n],
            all_out: vec![Vec::new(); n],
            all_share: vec![Vec::new(); n],
            sync_repl_out: vec![Vec::new(); n],
            repl_in: vec![Vec::new(); n],
            fixed: Vec::new(),
            nodes,
            region_ids,
            region_global,
            design_region: Vec::new(),
            rtt,
            edge_rtt: finite_or(net.edge_rtt_ms, 0.0),
            messages,
            labels: OnceCell::new(),
        };
        for e in &input.topology.connections {
            let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            else {
                g.messages.push(format!(
                    "connection {} → {}: an end is not in the simulation, left out",
                    e.from, e.to
                ));
                continue;
            };
            if a == b || g.all_out[a].contains(&b) || g.fixed.iter().any(|f| f.0 == a && f.1 == b) {
                continue;
            }
            if g.nodes[b].role == Role::Client {
                // Users only send. Traffic into a client (requests passed
                // on, copies) would make its load depend on what saturates
                // upstream instead of on its own share of the workload.
                g.messages.push(format!(
                    "connection {} → {}: a client only sends requests, left out of the simulation",
                    e.from, e.to
                ));
                continue;
            }
            if let Some(rate) = e.rate.filter(|r| r.is_finite() && *r > 0.0) {
                g.fixed.push((a, b, rate));
                continue;
            }
            g.all_out[a].push(b);
            // Validation rejects a share outside (0, 1]; one that got here
            // anyway (the playground's text view) counts as all of it.
            g.all_share[a].push(e.share.filter(|s| *s > 0.0 && *s <= 1.0));
            let (na, nb) = (&g.nodes[a], &g.nodes[b]);
            if is_async(na, nb) {
                g.async_out[a].push(b);
            } else {
                g.sync_out[a].push(b);
            }
            if na.is_data() && nb.is_data() {
                if e.sync {
                    g.sync_repl_out[a].push(b);
                }
                if na.role == Role::Data(DataKind::Primary) {
                    g.repl_in[b].push(a);
                }
            }
        }
        g.design_region = design_regions(&g, input);
        g
    }
}

fn finite_or(x: f64, d: f64) -> f64 {
    if x.is_finite() && x >= 0.0 { x } else { d }
}

pub(crate) use super::choice::ComputeTargets;
pub(crate) use super::fail_state::FailState;
