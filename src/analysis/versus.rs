//! `compare`: one item under a baseline jurisdiction and others, destination by end user by
//! end use, with both outcomes and both rule chains, filtered by how they differ.

use serde::Serialize;

use crate::analysis::compare::Comparison;
use crate::analysis::matrix::MatrixSpec;
use crate::data::catalogue::ItemId;
use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::model::{EndUse, EndUser, Transaction};

/// Which rows to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// The other jurisdiction is looser than the baseline.
    Looser,
    /// The other jurisdiction is stricter.
    Stricter,
    /// Looser or stricter.
    Differs,
    /// Every row.
    All,
}

impl Filter {
    fn keeps(self, c: Comparison) -> bool {
        match self {
            Filter::Looser => c == Comparison::Looser,
            Filter::Stricter => c == Comparison::Stricter,
            Filter::Differs => matches!(c, Comparison::Looser | Comparison::Stricter),
            Filter::All => true,
        }
    }
}

/// One compared scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersusRow {
    /// Item.
    pub item: String,
    /// Destination.
    pub destination: String,
    /// End user.
    pub end_user: String,
    /// End use.
    pub end_use: String,
    /// Baseline jurisdiction.
    pub baseline: String,
    /// Its outcome.
    pub baseline_outcome: String,
    /// Its authorisation.
    pub baseline_authorisation: String,
    /// The other jurisdiction.
    pub against: String,
    /// Its outcome.
    pub against_outcome: String,
    /// Its authorisation.
    pub against_authorisation: String,
    /// `stricter`, `looser`, `same`, `indeterminate` (the other against the baseline).
    pub comparison: String,
    /// Baseline rule chain.
    pub baseline_reasons: String,
    /// Baseline citations.
    pub baseline_citations: String,
    /// Other rule chain.
    pub against_reasons: String,
    /// Other citations.
    pub against_citations: String,
}

/// Columns of `compare`, in order.
pub const COLUMNS: [&str; 15] = [
    "item",
    "destination",
    "end_user",
    "end_use",
    "baseline",
    "baseline_outcome",
    "baseline_authorisation",
    "against",
    "against_outcome",
    "against_authorisation",
    "comparison",
    "baseline_reasons",
    "baseline_citations",
    "against_reasons",
    "against_citations",
];

impl VersusRow {
    /// The cells in `COLUMNS` order.
    pub fn cells(&self) -> [&str; 15] {
        [
            &self.item,
            &self.destination,
            &self.end_user,
            &self.end_use,
            &self.baseline,
            &self.baseline_outcome,
            &self.baseline_authorisation,
            &self.against,
            &self.against_outcome,
            &self.against_authorisation,
            &self.comparison,
            &self.baseline_reasons,
            &self.baseline_citations,
            &self.against_reasons,
            &self.against_citations,
        ]
    }
}

/// Compares `items` under `baseline` and each of `spec.jurisdictions`.
pub fn compare(
    world: &World,
    items: &[ItemId],
    spec: &MatrixSpec,
    baseline: usize,
    filter: Filter,
    transaction: Transaction,
) -> Vec<VersusRow> {
    let bulk = Bulk::new(world, items, transaction);
    let mut out = Vec::new();
    for (i, &item) in items.iter().enumerate() {
        for &d in &spec.destinations {
            for &u in &spec.end_users {
                for &e in &spec.end_uses {
                    let bd = bulk.get(baseline, i, d, u, e);
                    let b = &bulk.dets[bd as usize];
                    let bp = world.render_parts(baseline, item, d, b);
                    for &j in &spec.jurisdictions {
                        if j == baseline {
                            continue;
                        }
                        let od = bulk.get(j, i, d, u, e);
                        let o = &bulk.dets[od as usize];
                        let c = Comparison::of(o.outcome, b.outcome);
                        if c == Comparison::NotApplicable || !filter.keeps(c) {
                            continue;
                        }
                        let op = world.render_parts(j, item, d, o);
                        out.push(VersusRow {
                            item: world.catalogue().get(item).code.clone(),
                            destination: world.places().code(d).to_string(),
                            end_user: EndUser::VALUES[u].as_str().to_string(),
                            end_use: EndUse::VALUES[e].as_str().to_string(),
                            baseline: world.jurisdictions[baseline].code.clone(),
                            baseline_outcome: b.outcome.as_str().to_string(),
                            baseline_authorisation: bp.authorisation.clone(),
                            against: world.jurisdictions[j].code.clone(),
                            against_outcome: o.outcome.as_str().to_string(),
                            against_authorisation: op.authorisation,
                            comparison: c.as_str().to_string(),
                            baseline_reasons: bp.reasons.clone(),
                            baseline_citations: bp.citations.clone(),
                            against_reasons: op.reasons,
                            against_citations: op.citations,
                        });
                    }
                }
            }
        }
    }
    out
}
