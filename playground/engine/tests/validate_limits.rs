//! The size limits every design shares (`limits`): validation refuses a
//! design past them, naming the field, and every reference fits them.

#[path = "sim_common.rs"]
mod sim_common;

#[allow(dead_code)]
#[path = "support/course.rs"]
mod course;

use meridian_engine::Autoscale;
use meridian_engine::limits::{MAX_COMPONENTS, MAX_CONNECTIONS, MAX_REPLICAS};
use meridian_engine::validate::validate_topology;
use sim_common::*;

fn messages(t: &meridian_engine::Topology) -> Vec<String> {
    let c = catalog::catalog();
    let r = catalog::regions();
    validate_topology(t, &c, &r)
        .into_iter()
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect()
}

#[test]
fn validation_refuses_a_design_past_the_limits() {
    let comps: Vec<_> = (0..=MAX_COMPONENTS)
        .map(|i| comp(&format!("N{i}"), "app", "us", 1))
        .collect();
    let m = messages(&topo(comps, &[]));
    assert!(
        m.iter().any(|x| x.contains(&format!(
            "at most {MAX_COMPONENTS} components, found {}",
            MAX_COMPONENTS + 1
        ))),
        "{m:?}"
    );
    let comps: Vec<_> = (0..20)
        .map(|i| comp(&format!("N{i}"), "app", "us", 1))
        .collect();
    let mut t = topo(comps, &[]);
    'all: for a in 0..20 {
        for b in 0..20 {
            if a != b {
                t.connections.push(conn(&format!("N{a}"), &format!("N{b}")));
                if t.connections.len() > MAX_CONNECTIONS {
                    break 'all;
                }
            }
        }
    }
    let m = messages(&t);
    assert!(
        m.iter()
            .any(|x| x.contains(&format!("at most {MAX_CONNECTIONS} connections"))),
        "{m:?}"
    );
    let mut big = comp("Big", "app", "us", MAX_REPLICAS + 1);
    big.autoscale = Some(Autoscale {
        max: MAX_REPLICAS + 2,
    });
    let m = messages(&topo(vec![big], &[]));
    assert!(
        m.iter()
            .any(|x| x.contains("replicas")
                && x.contains(&format!("at most {MAX_REPLICAS} instances"))),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|x| x.contains("autoscale") && x.contains("autoscales to at most")),
        "{m:?}"
    );
}

#[test]
fn every_reference_fits_the_limits() {
    for p in course::load() {
        assert!(
            p.topology.components.len() <= MAX_COMPONENTS,
            "{}",
            p.number
        );
        assert!(
            p.topology.connections.len() <= MAX_CONNECTIONS,
            "{}",
            p.number
        );
        assert!(
            messages(&p.topology).is_empty(),
            "{}: {:?}",
            p.number,
            messages(&p.topology)
        );
    }
}
