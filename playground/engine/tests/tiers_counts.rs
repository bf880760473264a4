//! Tier rules count instances of a type and of the types the catalog says
//! count as it (`counts_as`): a stream processor is a worker for "needs 3
//! workers", and nothing else stands in for a type.

#[path = "sim_common.rs"]
mod sim_common;

use meridian_engine::spec::Rule;
use meridian_engine::tiers::{RuleStatus, check_rule, instances_of};
use sim_common::{catalog, comp, topo};

#[test]
fn a_stream_processor_counts_as_a_worker() {
    let c = catalog::catalog();
    assert!(
        c.types["stream_processor"]
            .counts_as
            .contains(&"worker".to_string())
    );
    let t = topo(
        vec![
            comp("Consumers", "stream_processor", "us", 2),
            comp("Jobs", "worker", "us", 1),
            comp("Cache", "cache", "us", 5),
        ],
        &[],
    );
    assert_eq!(instances_of(&t, "worker", &c), 3);
    assert_eq!(instances_of(&t, "stream_processor", &c), 2);
    // A worker is not a stream processor: counts_as goes one way.
    let needs = |ty: &str, count: u32| Rule::MinCount {
        component_type: ty.into(),
        count,
    };
    assert_eq!(
        check_rule("T1", &needs("worker", 3), &t, &c).status,
        RuleStatus::Pass
    );
    assert_eq!(
        check_rule("T1", &needs("worker", 4), &t, &c).status,
        RuleStatus::Fail
    );
    assert_eq!(
        check_rule("T1", &needs("stream_processor", 3), &t, &c).status,
        RuleStatus::Fail
    );
    assert_eq!(instances_of(&t, "app", &c), 0);
}
