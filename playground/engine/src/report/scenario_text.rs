//! The sentences a failure scenario and an out-of-reach target show
//! readers. The simulator works out what happened (`sim::scenarios`,
//! `sim::reach`) and hands the facts here, so every reader-facing word
//! about failures lives in `report/`.

use crate::decimal::fixed;
use crate::sim::scenarios::ScenarioKind;

/// A duration in seconds, to a tenth ("90 s", "1.5 s").
pub fn fmt_s(x: f64) -> String {
    let r = libm::round(x * 10.0) / 10.0;
    if r == libm::round(r) {
        format!("{} s", r as i64)
    } else {
        format!("{} s", fixed(r, 1))
    }
}

/// A count of writes: whole above 10, else to a tenth.
pub fn fmt_count(x: f64) -> String {
    if x >= 10.0 || x == libm::round(x) {
        format!("{}", libm::round(x) as i64)
    } else {
        fixed(x, 1)
    }
}

/// One moment of a scenario's timeline.
pub enum Event<'a> {
    Failure,
    /// A router's health checks take the target out.
    Detected(&'a str),
    /// A caller gives up on a timeout and tries elsewhere.
    TimedOut(&'a str),
    /// Resolvers' cached answers from this router expire.
    DnsExpired(&'a str),
    ScaledTo(&'a str, u32),
    /// A replica becomes the primary.
    Promoted(&'a str),
    /// Writes of the first store move to the second.
    WritesMoved(&'a str, &'a str),
}

impl Event<'_> {
    pub fn text(&self) -> String {
        match self {
            Event::Failure => "failure".to_string(),
            Event::Detected(n) => format!("{n}: health checks detect it"),
            Event::TimedOut(n) => format!("{n}: requests time out, tries elsewhere"),
            Event::DnsExpired(n) => format!("{n}: cached DNS answers expire"),
            Event::ScaledTo(n, k) => format!("{n}: autoscaling brings it to {k} instances"),
            Event::Promoted(n) => format!("failover: {n} promoted to primary"),
            Event::WritesMoved(a, b) => format!("failover: writes of {a} move to {b}"),
        }
    }
}

/// How requests recover: `rto_s` None when errors stay at `settled_error`
/// until the failure itself is repaired (`what`: the failed region, the
/// component, or none for a partition).
pub fn recovery(rto_s: Option<f64>, kind: ScenarioKind, what: &str, settled_error: f64) -> String {
    match rto_s {
        Some(0.0) => "requests are unaffected".to_string(),
        Some(r) => format!("requests succeed again after {}", fmt_s(r)),
        None => {
            let until = match kind {
                ScenarioKind::RegionLoss => format!("region {what} is restored"),
                ScenarioKind::ComponentLoss => format!("{what} is restored"),
                ScenarioKind::Partition => "the partition heals".to_string(),
            };
            format!(
                "{} % of requests keep failing until {until}",
                fixed(settled_error * 100.0, 1)
            )
        }
    }
}

/// An instance-failure mode's cause ("US Apps: 1 or more of 2 instances
/// down").
pub fn instances_down(component: &str, from: u32, of: u32) -> String {
    format!("{component}: {from} or more of {of} instances down")
}

/// A normal-load target the scenario breaks.
pub fn broken_target(name: &str, target: &str) -> String {
    format!("{name} ({target})")
}

pub fn broken_rto(max_s: f64) -> String {
    format!("RTO (≤ {})", fmt_s(max_s))
}

pub fn broken_rpo(max_s: f64) -> String {
    format!("RPO (≤ {})", fmt_s(max_s))
}

/// What one lost data store costs (see "Data lost" in the simulator chapter).
pub enum StoreLoss<'a> {
    /// It only held copies of other stores' writes.
    CopiesOnly(&'a str),
    /// Replicated synchronously to a live store.
    Synchronous { store: &'a str, to: &'a str },
    /// Writes within the replication lag to its nearest live copy.
    Lag {
        store: &'a str,
        writes: f64,
        lag_s: f64,
        to: &'a str,
    },
    /// Nothing replicates it.
    Everything(&'a str),
    /// A global store losing the failed regions' share only.
    GlobalShare { store: &'a str, regions: &'a str },
}

impl StoreLoss<'_> {
    fn text(&self) -> String {
        match self {
            StoreLoss::CopiesOnly(n) => {
                format!("{n}: nothing of its own lost (it holds copies of other stores' writes).")
            }
            StoreLoss::Synchronous { store, to } => {
                format!("{store}: nothing lost (replicated synchronously to {to}).")
            }
            StoreLoss::Lag {
                store,
                writes,
                lag_s,
                to,
            } => format!(
                "{store}: about {} writes lost (the last {} not yet replicated to {to}).",
                fmt_count(*writes),
                fmt_s(*lag_s)
            ),
            StoreLoss::Everything(n) => {
                format!("{n}: all data of {n} until restored from backup (nothing replicates it).")
            }
            StoreLoss::GlobalShare { store, regions } => format!(
                "{store}: global, so it loses only its {regions} share of replicas; its data lives on in the other regions."
            ),
        }
    }
}

/// The data-loss sentence of a region or component loss.
pub fn data_loss(stores: &[StoreLoss]) -> String {
    if stores.is_empty() {
        return "No data store is lost: no data is lost.".to_string();
    }
    stores
        .iter()
        .map(StoreLoss::text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The data-loss sentence of a partition: `paused` are the asynchronous
/// replication links ("A → B") it cuts.
pub fn partition_data_loss(paused: &[String]) -> String {
    let mut text = "No data is lost.".to_string();
    if !paused.is_empty() {
        text.push_str(&format!(
            " Asynchronous replication {} pauses: its lag grows by 1 s per second of partition.",
            paused.join(", ")
        ));
    }
    text
}

/// Why an availability target is out of reach for a design.
pub fn availability_out_of_reach(
    idle_factor: u32,
    ceiling: f64,
    region_availability: f64,
    goal: f64,
) -> String {
    format!(
        "out of reach for this design: even with every component at {} times its instances, so that none ever fails as a whole, the regions it depends on cap availability at {} % (each region up {} % of the time); only a design that survives a region's loss can reach {} %",
        super::format::round(f64::from(idle_factor)),
        fixed(ceiling * 100.0, 4),
        fixed(region_availability * 100.0, 2),
        crate::sim::fmt_num(goal * 100.0)
    )
}

/// Why a latency target is out of reach for a design: `floor_ms` is its
/// figure with nothing queueing.
pub fn latency_out_of_reach(idle_factor: u32, floor_ms: f64, max_ms: f64) -> String {
    format!(
        "out of reach for this design: with no queueing anywhere (every component at {} times its instances) it is still {} ms, from round trips and service times alone; only a different design can meet {} ms",
        super::format::round(f64::from(idle_factor)),
        super::format::round(floor_ms),
        super::format::round(max_ms)
    )
}
