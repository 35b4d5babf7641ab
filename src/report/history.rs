//! The implementation lag as evaluation: for each jurisdiction and year, the share of
//! destinations for which an item needs an individual licence (or is prohibited), computed by
//! compiling the datasets as in force on that day. Before a jurisdiction's earliest modelled
//! version the datasets answer `indeterminate`, and the year is shown as not established.

use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::error::Result;
use crate::model::{Date, EndUse, EndUser, Outcome, Transaction};
use crate::report::grid::Grid;
use crate::report::model::{Column, fold_columns};

/// First year of the series (the Wassenaar decision on the cyber entries, December 2013).
pub(crate) const FIRST_YEAR: u32 = 2013;

/// The items followed year by year.
pub(crate) const ITEMS: [&str; 2] = ["4A005", "5A001.j"];

/// One cell: destinations of the universe (transfers inside the state left out).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Share {
    /// Destinations where the outcome is decided or indeterminate.
    pub applicable: u32,
    /// Of those, `licence-required` or `prohibited`.
    pub licence: u32,
    /// Of those, `indeterminate`.
    pub indeterminate: u32,
}

impl Share {
    /// Licence / applicable, when at least half the destinations are established.
    pub fn value(&self) -> Option<f64> {
        let established = self.applicable - self.indeterminate;
        (self.applicable > 0 && established * 2 >= self.applicable)
            .then(|| f64::from(self.licence) / f64::from(self.applicable))
    }
}

/// The series.
pub(crate) struct History {
    /// Sampling days: 31 December of each year, then the datasets' date.
    pub days: Vec<Date>,
    /// Lanes (jurisdictions; EU members with identical series folded).
    pub lanes: Vec<Column>,
    /// `cells[item][lane][day]`, for the first member of each lane.
    pub cells: Vec<Vec<Vec<Share>>>,
}

/// Computes the series for the grid's universe, commercial end user, no stated end use.
pub(crate) fn compute(grid: &Grid<'_>) -> Result<History> {
    let world = grid.world;
    let last = world.as_of;
    let mut days: Vec<Date> = (FIRST_YEAR..last.year())
        .filter_map(|y| Date::new(y, 12, 31))
        .collect();
    days.push(last);
    let jn = world.jurisdictions.len();
    // per[item][jurisdiction][day]
    let mut per = vec![vec![vec![Share::default(); days.len()]; jn]; ITEMS.len()];
    for (k, &day) in days.iter().enumerate() {
        let w: World = world.at(day)?;
        let items: Vec<u32> = ITEMS
            .iter()
            .filter_map(|c| w.catalogue().lookup(c))
            .collect();
        let bulk = Bulk::new(&w, &items, Transaction::Export);
        for (i, _) in items.iter().enumerate() {
            for (j, jur) in w.jurisdictions.iter().enumerate() {
                let Some(at) = world.jurisdiction(&jur.code) else {
                    continue;
                };
                let mut s = Share::default();
                for &p in &grid.rows.rows {
                    let o = bulk.outcome(bulk.get(
                        j,
                        i,
                        p,
                        EndUser::Commercial as usize,
                        EndUse::Unspecified as usize,
                    ));
                    match o {
                        Outcome::NotApplicable => continue,
                        Outcome::LicenceRequired | Outcome::Prohibited => s.licence += 1,
                        Outcome::Indeterminate => s.indeterminate += 1,
                        _ => {}
                    }
                    s.applicable += 1;
                }
                per[i][at][k] = s;
            }
        }
    }
    let juris: Vec<usize> = (0..jn).collect();
    let vectors: Vec<Vec<Share>> = juris
        .iter()
        .map(|&j| per.iter().flat_map(|it| it[j].iter().copied()).collect())
        .collect();
    let lanes = fold_columns(world, &juris, &vectors, |_| false);
    let cells = per
        .iter()
        .map(|it| lanes.iter().map(|l| it[l.members[0]].clone()).collect())
        .collect();
    Ok(History { days, lanes, cells })
}
