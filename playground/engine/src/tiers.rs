//! Tier checkpoints: does a topology meet each tier's rules?

use serde::Serialize;

use crate::catalog::Catalog;
use crate::spec::{Rule, Tier, Topology};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierResult {
    pub id: String,
    pub title: String,
    /// True when every checked rule passes. Unchecked rules do not count.
    pub passed: bool,
    pub rules: Vec<RuleResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub text: String,
    pub status: RuleStatus,
    /// Why, in a sentence: "3 app instances, T0 needs 15".
    pub explanation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Pass,
    Fail,
    /// A rule Meridian cannot check automatically.
    Unchecked,
}

/// Instances of a type in a topology: replicas are counted, not components;
/// a type that `counts_as` it in the catalog counts too.
pub fn instances_of(topology: &Topology, component_type: &str, catalog: &Catalog) -> u64 {
    topology
        .components
        .iter()
        .filter(|c| catalog.satisfies(&c.component_type, component_type))
        .map(|c| u64::from(c.replicas))
        .sum()
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word} instance")
    } else {
        format!("{n} {word} instances")
    }
}

pub fn check_rule(
    tier_id: &str,
    rule: &Rule,
    topology: &Topology,
    catalog: &Catalog,
) -> RuleResult {
    let text = rule.source_text();
    match rule {
        Rule::MinCount {
            component_type,
            count,
        } => {
            let have = instances_of(topology, component_type, catalog);
            let passed = have >= u64::from(*count);
            RuleResult {
                text,
                status: if passed {
                    RuleStatus::Pass
                } else {
                    RuleStatus::Fail
                },
                explanation: format!("{}, {tier_id} needs {count}", plural(have, component_type)),
            }
        }
        Rule::MustInclude { component_type } => {
            let have = instances_of(topology, component_type, catalog);
            RuleResult {
                text,
                status: if have > 0 {
                    RuleStatus::Pass
                } else {
                    RuleStatus::Fail
                },
                explanation: if have > 0 {
                    format!("{} present", plural(have, component_type))
                } else {
                    format!("no {component_type} in the design; {tier_id} needs one")
                },
            }
        }
        Rule::Unchecked { .. } => RuleResult {
            text,
            status: RuleStatus::Unchecked,
            explanation: "not checked automatically".to_string(),
        },
    }
}

/// Evaluates every tier in order.
pub fn evaluate_tiers(tiers: &[Tier], topology: &Topology, catalog: &Catalog) -> Vec<TierResult> {
    tiers
        .iter()
        .map(|t| {
            let rules: Vec<RuleResult> = t
                .rules
                .iter()
                .map(|r| check_rule(&t.id, r, topology, catalog))
                .collect();
            TierResult {
                id: t.id.clone(),
                title: t.title.clone(),
                passed: rules.iter().all(|r| r.status != RuleStatus::Fail),
                rules,
            }
        })
        .collect()
}
