//! Divergences from the US: one row per distinct pair of rule chains (US, other), listing every
//! destination it covers, for the intrusion and IP-surveillance items, commercial end user, no
//! stated end use.

use std::collections::BTreeMap;

use crate::analysis::compare::Comparison;
use crate::engine::Parts;
use crate::model::{Confidence, EndUse, EndUser, Outcome};
use crate::report::grid::Grid;

/// The items the table covers.
pub(crate) const ITEMS: [&str; 4] = ["4A005", "4D004", "4E001.c", "5A001.j"];

/// One side of a divergence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Side {
    /// Outcome.
    pub outcome: Outcome,
    /// Authorisation used.
    pub authorisation: String,
    /// Rule chain (`{dest}` kept where the texts name the destination).
    pub reasons: String,
    /// Citations.
    pub citations: String,
    /// Confidence.
    pub confidence: Confidence,
}

impl Side {
    fn of(parts: Parts, outcome: Outcome, confidence: Confidence) -> Side {
        Side {
            outcome,
            authorisation: parts.authorisation,
            reasons: parts.reasons,
            citations: parts.citations,
            confidence,
        }
    }

    /// `licence-required` or `authorised (ACE)`.
    pub fn words(&self) -> String {
        if self.authorisation.is_empty() {
            self.outcome.as_str().to_string()
        } else {
            format!("{} ({})", self.outcome.as_str(), self.authorisation)
        }
    }
}

/// One row.
pub(crate) struct Divergence {
    /// Item code.
    pub item: String,
    /// Chart column of the other jurisdiction.
    pub column: String,
    /// Its regime id (for links).
    pub regime: String,
    /// Stricter or looser than the US.
    pub direction: Comparison,
    /// The US side.
    pub us: Side,
    /// The other side.
    pub other: Side,
    /// Destinations covered.
    pub destinations: Vec<String>,
}

/// Every divergence row, by item, column and number of destinations.
pub(crate) fn divergences(grid: &Grid<'_>) -> Vec<Divergence> {
    let world = grid.world;
    let mut out = Vec::new();
    for code in ITEMS {
        let Some(i) = grid.item(code) else { continue };
        let item = grid.items[i];
        for col in &grid.columns {
            let j = col.members[0];
            if j == grid.us {
                continue;
            }
            let regime = &world.regimes[world.jurisdictions[j].regime];
            let mut rows: BTreeMap<(Comparison, Side, Side), Vec<String>> = BTreeMap::new();
            for &p in &grid.rows.rows {
                let du = grid.det(grid.us, i, p, EndUser::Commercial, EndUse::Unspecified);
                let dj = grid.det(j, i, p, EndUser::Commercial, EndUse::Unspecified);
                let (u, o) = (&grid.bulk.dets[du as usize], &grid.bulk.dets[dj as usize]);
                let cmp = Comparison::of(o.outcome, u.outcome);
                if !matches!(cmp, Comparison::Stricter | Comparison::Looser) {
                    continue;
                }
                let us = Side::of(
                    world.render_template(grid.us, item, u),
                    u.outcome,
                    u.confidence,
                );
                let other = Side::of(world.render_template(j, item, o), o.outcome, o.confidence);
                rows.entry((cmp, us, other))
                    .or_default()
                    .push(world.places().code(p).to_string());
            }
            let mut group: Vec<Divergence> = rows
                .into_iter()
                .map(|((direction, us, other), destinations)| Divergence {
                    item: code.to_string(),
                    column: col.label.clone(),
                    regime: regime
                        .meta
                        .extends
                        .clone()
                        .unwrap_or_else(|| regime.id.clone()),
                    direction,
                    us,
                    other,
                    destinations,
                })
                .collect();
            group.sort_by_key(|d| std::cmp::Reverse(d.destinations.len()));
            out.extend(group);
        }
    }
    out
}

/// `text` with `{dest}` written as "the destination".
pub(crate) fn untemplate(text: &str) -> String {
    text.replace("{dest}", "the destination")
}
