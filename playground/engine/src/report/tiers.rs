//! Tier results as readers see them: a status, a symbol and the engine's
//! explanation per rule.

use serde::Serialize;

use crate::tiers::{RuleStatus, TierResult};

#[derive(Debug, Clone, Serialize)]
pub struct TierView {
    pub id: String,
    pub title: String,
    pub passed: bool,
    pub rules: Vec<RuleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub text: String,
    /// `pass`, `fail` or `unchecked`: a CSS class.
    pub status: &'static str,
    pub symbol: &'static str,
    pub status_label: &'static str,
    pub explanation: String,
}

pub fn tier_views(tiers: &[TierResult]) -> Vec<TierView> {
    tiers
        .iter()
        .map(|t| TierView {
            id: t.id.clone(),
            title: t.title.clone(),
            passed: t.passed,
            rules: t
                .rules
                .iter()
                .map(|r| {
                    let (status, symbol, status_label) = match r.status {
                        RuleStatus::Pass => ("pass", "✓", "Pass"),
                        RuleStatus::Fail => ("fail", "✗", "Fail"),
                        RuleStatus::Unchecked => ("unchecked", "?", "Not checked"),
                    };
                    RuleView {
                        text: r.text.clone(),
                        status,
                        symbol,
                        status_label,
                        explanation: r.explanation.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}
