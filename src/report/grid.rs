//! The scenario grid of the cyber report and the one set of metrics computed over it.
//!
//! **Grid.** Every cyber item of the catalogue × every destination of the universe × every end
//! user × every end use, exported (transaction `export`) from each of the 42 jurisdictions.
//!
//! **Destination universe.** Sovereign states, plus the places the law of some regime treats
//! apart from their sovereign: Hong Kong, Macao, Kosovo and the occupied regions of Ukraine
//! (Crimea, Donetsk, Luhansk). Each place appears once. Dependent territories (Anguilla,
//! Bermuda, American Samoa, …) are left out: they carry little of the trade in these items and
//! would weigh small islands as heavily as large markets (a modelling choice, stated in the
//! report's Method section).
//!
//! **Metrics** (jurisdiction J against the US, or any pair):
//! - *applicable*: scenarios where neither outcome is `not-applicable` (a transfer inside the
//!   exporting state, US territories included for the US);
//! - *established*: applicable scenarios where both outcomes are definite (neither is
//!   `indeterminate`); *coverage* = established / applicable;
//! - *agreement*, *stricter*, *looser*: shares of the established scenarios in which J's
//!   outcome is the same as, stricter than or looser than the other's, in the order
//!   `not-listed < no-licence-required < authorised < licence-required < prohibited`; the
//!   three sum to 1. Undefined (no established scenario) is "n/a", never 0.
//! - A jurisdiction is *ranked* only when its coverage is at least [`RANK_COVERAGE`].

use crate::analysis::compare::Comparison;
use crate::data::catalogue::ItemId;
use crate::data::places::PlaceId;
use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser, Outcome, Transaction};
use crate::report::model::{self, Column, RowGroups};

/// Coverage below which a jurisdiction is described but not ranked.
pub(crate) const RANK_COVERAGE: f64 = 0.5;

/// Counts of one comparison over the grid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Scenarios where neither side is `not-applicable`.
    pub applicable: u64,
    /// Same outcome.
    pub same: u64,
    /// The first side stricter.
    pub stricter: u64,
    /// The first side looser.
    pub looser: u64,
}

impl Tally {
    fn add(&mut self, c: Comparison) {
        match c {
            Comparison::NotApplicable => return,
            Comparison::Same => self.same += 1,
            Comparison::Stricter => self.stricter += 1,
            Comparison::Looser => self.looser += 1,
            Comparison::Indeterminate => {}
        }
        self.applicable += 1;
    }

    /// Scenarios where both outcomes are definite.
    pub fn established(&self) -> u64 {
        self.same + self.stricter + self.looser
    }

    /// Established / applicable.
    pub fn coverage(&self) -> Option<f64> {
        ratio(self.established(), self.applicable)
    }

    /// Same / established.
    pub fn agreement(&self) -> Option<f64> {
        ratio(self.same, self.established())
    }

    /// Stricter / established.
    pub fn stricter_share(&self) -> Option<f64> {
        ratio(self.stricter, self.established())
    }

    /// Looser / established.
    pub fn looser_share(&self) -> Option<f64> {
        ratio(self.looser, self.established())
    }

    /// Whether the coverage is high enough to rank.
    pub fn ranked(&self) -> bool {
        self.coverage().is_some_and(|c| c >= RANK_COVERAGE)
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// A share as a whole percentage, or "n/a".
pub(crate) fn pct(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.0} %", v * 100.0),
        None => "n/a".into(),
    }
}

/// The grid, its compiled tables and the chart columns.
pub(crate) struct Grid<'w> {
    /// The compiled law.
    pub world: &'w World,
    /// Bulk tables for the cyber items.
    pub bulk: Bulk<'w>,
    /// Catalogue ids of the cyber items.
    pub items: Vec<ItemId>,
    /// The destination universe, grouped by US Country Group tier.
    pub rows: RowGroups,
    /// Jurisdiction index of the US.
    pub us: usize,
    /// Chart columns: jurisdictions, EU members with identical outcomes folded.
    pub columns: Vec<Column>,
}

impl<'w> Grid<'w> {
    /// Compiles the grid for `world`.
    pub fn new(world: &'w World) -> Result<Grid<'w>> {
        let items = crate::analysis::dims::Dimensions::cyber().items(world)?;
        let us = world
            .jurisdiction("US")
            .ok_or_else(|| Error::Usage("the cyber report needs the US jurisdiction".into()))?;
        let bulk = Bulk::new(world, &items, Transaction::Export);
        let rows = model::destination_groups(world);
        let juris: Vec<usize> = (0..world.jurisdictions.len()).collect();
        let mut grid = Grid {
            world,
            bulk,
            items,
            rows,
            us,
            columns: Vec::new(),
        };
        let vectors: Vec<Vec<u32>> = juris.iter().map(|&j| grid.vector(j)).collect();
        // Transfers inside the exporting state (outcome `not-applicable`) agree with anything.
        let na = (Outcome::NotApplicable as u32) << 8;
        grid.columns = model::fold_columns(world, &juris, &vectors, |v| v & !0xff == na);
        Ok(grid)
    }

    /// Determination id of one cell.
    pub fn det(&self, j: usize, item: usize, dest: PlaceId, user: EndUser, usage: EndUse) -> u32 {
        self.bulk.get(j, item, dest, user as usize, usage as usize)
    }

    /// Outcome of one cell.
    pub fn outcome(
        &self,
        j: usize,
        item: usize,
        dest: PlaceId,
        user: EndUser,
        usage: EndUse,
    ) -> Outcome {
        self.bulk.outcome(self.det(j, item, dest, user, usage))
    }

    /// Outcome of a chart column: its first member for which the transfer is an export.
    pub fn column_outcome(
        &self,
        col: &Column,
        item: usize,
        dest: PlaceId,
        user: EndUser,
        usage: EndUse,
    ) -> Outcome {
        col.members
            .iter()
            .map(|&j| self.outcome(j, item, dest, user, usage))
            .find(|o| *o != Outcome::NotApplicable)
            .unwrap_or(Outcome::NotApplicable)
    }

    /// Number of scenarios per jurisdiction.
    pub fn scenarios(&self) -> u64 {
        (self.items.len() * self.rows.rows.len() * EndUser::VALUES.len() * EndUse::VALUES.len())
            as u64
    }

    /// Every cell of jurisdiction `j`, as (outcome, confidence) codes, in grid order.
    fn vector(&self, j: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.scenarios() as usize);
        self.each(|i, p, u, e| {
            let d = &self.bulk.dets[self.det(j, i, p, u, e) as usize];
            out.push(((d.outcome as u32) << 8) | d.confidence as u32);
        });
        out
    }

    /// Calls `f` for every cell of the grid, in grid order.
    pub fn each(&self, mut f: impl FnMut(usize, PlaceId, EndUser, EndUse)) {
        for i in 0..self.items.len() {
            for &p in &self.rows.rows {
                for &u in EndUser::VALUES {
                    for &e in EndUse::VALUES {
                        f(i, p, u, e);
                    }
                }
            }
        }
    }

    /// Jurisdiction `a` compared with jurisdiction `b` over the whole grid.
    pub fn tally(&self, a: usize, b: usize) -> Tally {
        let mut t = Tally::default();
        self.each(|i, p, u, e| {
            t.add(Comparison::of(
                self.outcome(a, i, p, u, e),
                self.outcome(b, i, p, u, e),
            ));
        });
        t
    }

    /// Position of an item code among the grid's items.
    pub fn item(&self, code: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|&i| self.world.catalogue().get(i).code == code)
    }

    /// The column folding the EU member states, if any.
    pub fn eu_column(&self) -> Option<&Column> {
        self.columns.iter().find(|c| c.members.len() > 1)
    }

    /// Code of an item of the grid.
    pub fn code(&self, item: usize) -> &str {
        &self.world.catalogue().get(self.items[item]).code
    }
}
