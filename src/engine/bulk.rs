//! Dense tables for bulk evaluation (`matrix`, `align`, the report).
//!
//! For each regime, destinations, end users and end uses fall into equivalence classes: two
//! places are equivalent when every destination set the regime's rules use treats them alike.
//! Each (regime, item) is evaluated once per class triple with the full rule chain; the
//! determinations are interned, and a cell of the matrix is then two table lookups.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::data::catalogue::ItemId;
use crate::data::places::PlaceId;
use crate::engine::Determination;
use crate::engine::compile::{CCondition, Regime, World};
use crate::model::{EndUse, EndUser, Outcome, Scenario, Transaction, TriSet};

/// Jurisdiction index used in interned determinations (the cell says which jurisdiction).
pub const ANY_JURISDICTION: usize = usize::MAX;

/// A partition of `0..n` into classes with identical signatures.
#[derive(Debug, Clone)]
pub struct Classes {
    /// Class of each member.
    pub of: Vec<u16>,
    /// A representative of each class.
    pub reps: Vec<usize>,
}

fn classes(n: usize, signature: impl Fn(usize) -> Vec<u8>) -> Classes {
    let mut index: HashMap<Vec<u8>, u16> = HashMap::new();
    let mut of = Vec::with_capacity(n);
    let mut reps = Vec::new();
    for i in 0..n {
        let sig = signature(i);
        let next = reps.len() as u16;
        let c = *index.entry(sig).or_insert_with(|| {
            reps.push(i);
            next
        });
        of.push(c);
    }
    Classes { of, reps }
}

/// The classes of one regime.
#[derive(Debug, Clone)]
pub struct RegimeClasses {
    /// Destination classes.
    pub dest: Classes,
    /// End-user classes.
    pub user: Classes,
    /// End-use classes.
    pub usage: Classes,
}

fn conditions(r: &Regime) -> Vec<&CCondition> {
    let mut out = Vec::new();
    for a in &r.authorisations {
        for x in &a.restrictions {
            out.push(&x.when);
            out.extend(x.unless.iter());
        }
    }
    for c in &r.catch_alls {
        out.push(&c.when);
    }
    for o in &r.overlays {
        out.push(&o.when);
    }
    out
}

impl RegimeClasses {
    /// The classes of regime `r`: places, end users and end uses that every rule treats alike.
    pub fn new(world: &World, r: &Regime) -> RegimeClasses {
        let conds = conditions(r);
        let mut sets: Vec<TriSet> = Vec::new();
        sets.extend(r.requirements.iter().map(|x| x.destinations));
        sets.extend(r.frees.iter().map(|x| x.destinations));
        sets.extend(r.authorisations.iter().map(|x| x.destinations));
        sets.extend(r.overlays.iter().map(|x| x.destinations));
        sets.extend(conds.iter().filter_map(|c| c.destinations));
        // The reaching regime's rules decide `ear_applies` by destination too.
        if let Some(rj) = world.reach {
            let rr = &world.regimes[world.jurisdictions[rj].regime];
            sets.extend(rr.reach.iter().map(|x| x.destinations));
        }
        let dest = classes(world.places().len(), |p| {
            sets.iter().map(|s| s.get(p as PlaceId) as u8).collect()
        });
        let user_masks: Vec<u32> = conds.iter().filter_map(|c| c.end_users).collect();
        let user = classes(EndUser::VALUES.len(), |u| {
            let bit = EndUser::VALUES[u].bit();
            user_masks.iter().map(|m| u8::from(m & bit != 0)).collect()
        });
        let mut use_masks: Vec<u32> = conds.iter().filter_map(|c| c.end_uses).collect();
        use_masks.extend(r.entries.iter().map(|e| e.excluded_end_uses));
        let usage = classes(EndUse::VALUES.len(), |u| {
            let bit = EndUse::VALUES[u].bit();
            use_masks.iter().map(|m| u8::from(m & bit != 0)).collect()
        });
        RegimeClasses { dest, user, usage }
    }

    /// Number of class cells.
    pub fn cells(&self) -> usize {
        self.dest.reps.len() * self.user.reps.len() * self.usage.reps.len()
    }
}

/// The compiled tables for a set of items across every regime.
pub struct Bulk<'w> {
    /// The compiled world.
    pub world: &'w World,
    /// The items, by table position.
    pub items: Vec<ItemId>,
    /// Classes per regime.
    pub classes: Vec<RegimeClasses>,
    /// Interned determinations; `jurisdiction` is `ANY_JURISDICTION`.
    pub dets: Vec<Determination>,
    /// `[regime][item index]` → determination ids by class cell.
    cubes: Vec<Vec<Vec<u32>>>,
    /// Per regime: the determination for "destination is the exporting state".
    pub not_applicable: Vec<u32>,
    /// The transaction type of every cell.
    pub transaction: Transaction,
}

/// One (jurisdiction, item, destination) of the tables ([`Bulk::line`]).
#[derive(Debug, Clone, Copy)]
pub struct Line<'b> {
    fixed: Option<u32>,
    cells: &'b [u32],
    user: &'b [u16],
    usage: &'b [u16],
    uses: usize,
}

impl Line<'_> {
    /// The determination id for end user `user` and end use `usage` (`EndUser::VALUES` /
    /// `EndUse::VALUES` indices): the same as [`Bulk::get`].
    #[inline]
    pub fn get(&self, user: usize, usage: usize) -> u32 {
        match self.fixed {
            Some(d) => d,
            None => self.cells[self.user[user] as usize * self.uses + self.usage[usage] as usize],
        }
    }
}

impl<'w> Bulk<'w> {
    /// Evaluates every class cell of every (regime, item) once.
    pub fn new(world: &'w World, items: &[ItemId], transaction: Transaction) -> Bulk<'w> {
        let classes: Vec<RegimeClasses> = world
            .regimes
            .iter()
            .map(|r| RegimeClasses::new(world, r))
            .collect();
        // Evaluate every class triple of every (regime, item) in parallel.
        let work: Vec<(usize, usize)> = (0..world.regimes.len())
            .flat_map(|r| (0..items.len()).map(move |i| (r, i)))
            .collect();
        let computed: Vec<Vec<Determination>> = work
            .par_iter()
            .map(|&(r, i)| {
                let regime = &world.regimes[r];
                let c = &classes[r];
                let mut out = Vec::with_capacity(c.cells());
                for &d in &c.dest.reps {
                    for &u in &c.user.reps {
                        for &e in &c.usage.reps {
                            let mut s = Scenario::new(
                                items[i],
                                d as PlaceId,
                                EndUser::VALUES[u],
                                EndUse::VALUES[e],
                            );
                            s.transaction = transaction;
                            out.push(world.decide(ANY_JURISDICTION, regime, &s, None));
                        }
                    }
                }
                out
            })
            .collect();
        let mut dets: Vec<Determination> = Vec::new();
        let mut index: HashMap<Determination, u32> = HashMap::new();
        let mut intern = |d: Determination| -> u32 {
            if let Some(&id) = index.get(&d) {
                return id;
            }
            let id = dets.len() as u32;
            index.insert(d.clone(), id);
            dets.push(d);
            id
        };
        let mut cubes = vec![Vec::with_capacity(items.len()); world.regimes.len()];
        for ((r, _), ds) in work.iter().zip(computed) {
            cubes[*r].push(ds.into_iter().map(&mut intern).collect());
        }
        let not_applicable = (0..world.regimes.len())
            .map(|r| intern(world.not_applicable_determination(r)))
            .collect();
        Bulk {
            world,
            items: items.to_vec(),
            classes,
            dets,
            cubes,
            not_applicable,
            transaction,
        }
    }

    /// The determination id of one cell: jurisdiction `j`, `items[item]`, destination,
    /// end user and end use (`EndUser::VALUES` / `EndUse::VALUES` indices).
    #[inline]
    pub fn get(&self, j: usize, item: usize, dest: PlaceId, user: usize, usage: usize) -> u32 {
        let jur = &self.world.jurisdictions[j];
        if jur.home.contains(dest) {
            return self.not_applicable[jur.regime];
        }
        let c = &self.classes[jur.regime];
        let cell = (c.dest.of[dest as usize] as usize * c.user.reps.len()
            + c.user.of[user] as usize)
            * c.usage.reps.len()
            + c.usage.of[usage] as usize;
        self.cubes[jur.regime][item][cell]
    }

    /// The determinations of jurisdiction `j`, `items[item]` and one destination, by end user
    /// and end use: [`Bulk::get`] with what they share looked up once.
    pub fn line(&self, j: usize, item: usize, dest: PlaceId) -> Line<'_> {
        let jur = &self.world.jurisdictions[j];
        let c = &self.classes[jur.regime];
        if jur.home.contains(dest) {
            return Line {
                fixed: Some(self.not_applicable[jur.regime]),
                cells: &[],
                user: &c.user.of,
                usage: &c.usage.of,
                uses: 0,
            };
        }
        let uses = c.usage.reps.len();
        let width = c.user.reps.len() * uses;
        let from = c.dest.of[dest as usize] as usize * width;
        Line {
            fixed: None,
            cells: &self.cubes[jur.regime][item][from..from + width],
            user: &c.user.of,
            usage: &c.usage.of,
            uses,
        }
    }

    /// The outcome of determination `det`.
    pub fn outcome(&self, det: u32) -> Outcome {
        self.dets[det as usize].outcome
    }

    /// Number of distinct class cells evaluated with the full rule chain.
    pub fn evaluated_cells(&self) -> usize {
        self.cubes.iter().flatten().map(Vec::len).sum()
    }
}

impl World {
    /// The determination of regime `r` for an export to the exporting state itself.
    pub fn not_applicable_determination(&self, r: usize) -> Determination {
        let mut d = Determination {
            jurisdiction: ANY_JURISDICTION,
            outcome: Outcome::NotApplicable,
            authorisation: None,
            policy: Default::default(),
            confidence: crate::model::Confidence::Primary,
            entries: Vec::new(),
            reasons: Vec::new(),
            conditions: Vec::new(),
            screening: Vec::new(),
            reach: None,
            unmodelled: None,
        };
        if let Some(r) = self.regimes.get(r) {
            d.reasons.push(crate::engine::Step::new(
                r.facts.not_applicable,
                crate::engine::NO_ENTRY,
            ));
        }
        d
    }
}
