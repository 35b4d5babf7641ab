//! Comparisons over bulk tables: each jurisdiction against a baseline, and every pair.
//! Pure Rust; `align` aggregates the per-cell comparison with polars.

use crate::analysis::matrix::MatrixSpec;
use crate::engine::bulk::Bulk;
use crate::model::Outcome;

/// How a jurisdiction's outcome compares with the baseline's for one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Comparison {
    /// Same outcome.
    Same = 0,
    /// Stricter than the baseline.
    Stricter = 1,
    /// Looser than the baseline.
    Looser = 2,
    /// Either side is indeterminate.
    Indeterminate = 3,
    /// Either side is not an export (excluded from alignment figures).
    NotApplicable = 4,
}

impl Comparison {
    /// How `outcome` compares with `baseline`.
    pub fn of(outcome: Outcome, baseline: Outcome) -> Comparison {
        if outcome == Outcome::NotApplicable || baseline == Outcome::NotApplicable {
            return Comparison::NotApplicable;
        }
        match (outcome.strictness(), baseline.strictness()) {
            (Some(a), Some(b)) if a == b => Comparison::Same,
            (Some(a), Some(b)) if a > b => Comparison::Stricter,
            (Some(_), Some(_)) => Comparison::Looser,
            _ => Comparison::Indeterminate,
        }
    }

    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Same => "same",
            Comparison::Stricter => "stricter",
            Comparison::Looser => "looser",
            Comparison::Indeterminate => "indeterminate",
            Comparison::NotApplicable => "not-applicable",
        }
    }
}

/// Outcomes of every scenario (item × destination × end user × end use) for one jurisdiction,
/// in matrix scenario order.
pub fn outcomes(bulk: &Bulk<'_>, spec: &MatrixSpec, j: usize) -> Vec<Outcome> {
    let mut out = Vec::new();
    for i in 0..bulk.items.len() {
        for &d in &spec.destinations {
            for &u in &spec.end_users {
                for &e in &spec.end_uses {
                    out.push(bulk.outcome(bulk.get(j, i, d, u, e)));
                }
            }
        }
    }
    out
}

/// Share of scenarios where two jurisdictions give the same outcome, among those where both
/// outcomes are established (neither `not-applicable` nor `indeterminate`); `None` when no
/// scenario is comparable.
pub fn pair_agreement(a: &[Outcome], b: &[Outcome]) -> Option<f64> {
    let mut same = 0u64;
    let mut n = 0u64;
    for (x, y) in a.iter().zip(b) {
        if x.strictness().is_none() || y.strictness().is_none() {
            continue;
        }
        n += 1;
        if x == y {
            same += 1;
        }
    }
    (n > 0).then(|| same as f64 / n as f64)
}
