//! The data-loss ledger: a lost store loses only the writes that existed
//! nowhere else, its own writes within the replication lag; copies through
//! any path count (a backup agent writing to an object store that is copied
//! to another region).

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::sim::evaluate;
use meridian_engine::sim::scenarios::ScenarioResult;
use sim_common::*;

fn scenario<'a>(s: &'a [ScenarioResult], name: &str) -> &'a ScenarioResult {
    s.iter()
        .find(|x| x.name == name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

/// Three primaries in a replication ring (us → eu → ap → us), each taking
/// the writes of its own region's users (1,000 a second each). Losing us
/// loses US DB's own writes of the last second (the catalog's 1 s lag), not
/// the 3,000 a second it stores: the copies it received live at their
/// origins.
#[test]
fn a_ring_loses_only_the_lost_stores_own_writes() {
    let mut comps = vec![comp("Users", "client", "global", 1)];
    let mut conns: Vec<(&str, &str)> = Vec::new();
    for (r, app, db) in [
        ("us", "US App", "US DB"),
        ("eu", "EU App", "EU DB"),
        ("ap", "AP App", "AP DB"),
    ] {
        comps.push(comp(app, "app", r, 10));
        comps.push(comp(db, "db_primary", r, 10));
        conns.push(("Users", app));
        conns.push((app, db));
    }
    conns.extend([("US DB", "EU DB"), ("EU DB", "AP DB"), ("AP DB", "US DB")]);
    let c = Case::new(topo(comps, &conns), 3_000.0, 1.0);
    let e = evaluate(&c.input());
    let s = scenario(&e.scenarios, "Region us lost");
    let lost = s.data_lost_writes.expect("a number of writes");
    assert!((lost - 1_000.0).abs() < 1e-6, "{lost}: {}", s.data_loss);
    assert_eq!(s.rpo_s, Some(1.0));
}

/// DB → Backup Agent (a worker) → S3 → EU S3: the database's data reaches
/// another region through the agent and object-store replication, so
/// losing US East loses the last lag's writes, not everything.
#[test]
fn a_backup_through_a_worker_is_a_copy() {
    let comps = vec![
        comp("Users", "client", "us", 1),
        comp("App", "app", "us", 10),
        comp("DB", "db_primary", "us", 10),
        comp("Backup Agent", "worker", "us", 10),
        comp("S3", "object_store", "us", 1),
        comp("EU S3", "object_store", "eu", 1),
    ];
    let conns = [
        ("Users", "App"),
        ("App", "DB"),
        ("DB", "Backup Agent"),
        ("Backup Agent", "S3"),
        ("S3", "EU S3"),
    ];
    let c = Case::new(topo(comps, &conns), 100.0, 0.5);
    let e = evaluate(&c.input());
    let s = scenario(&e.scenarios, "Region us lost");
    assert!(
        s.data_lost_writes.is_some(),
        "a copy reaches EU S3: {}",
        s.data_loss
    );
    assert!(s.data_loss.contains("EU S3"), "{}", s.data_loss);
    // Losing the database alone: its copies live on in S3 (same region).
    let s = scenario(&e.scenarios, "DB lost");
    assert!(s.data_lost_writes.is_some(), "{}", s.data_loss);
}

/// A backup copy in another region holds only copies: losing it loses
/// nothing of its own (the originals are alive), unlike a store nobody
/// writes or copies to, whose data exists only there.
#[test]
fn losing_a_store_of_copies_loses_nothing_of_its_own() {
    let comps = vec![
        comp("Users", "client", "us", 1),
        comp("App", "app", "us", 10),
        comp("DB", "db_primary", "us", 10),
        comp("EU Backup", "object_store", "eu", 1),
        comp("Assets", "object_store", "eu", 1),
    ];
    let conns = [("Users", "App"), ("App", "DB"), ("DB", "EU Backup")];
    let c = Case::new(topo(comps, &conns), 100.0, 0.5);
    let e = evaluate(&c.input());
    let s = scenario(&e.scenarios, "EU Backup lost");
    assert_eq!(s.data_lost_writes, Some(0.0), "{}", s.data_loss);
    let s = scenario(&e.scenarios, "Assets lost");
    assert_eq!(s.data_lost_writes, None, "{}", s.data_loss);
}
