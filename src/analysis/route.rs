//! Routing: rank candidate shipping entities (exporting places) for one transaction by the
//! combined licensing burden of their own law and, where it follows the item (15 CFR 734.3,
//! 734.4), the EAR. Two individual licences weigh more than one.

use serde::Serialize;

use crate::engine::{Determination, World};
use crate::model::{Exporter, Outcome, Scenario};

/// One candidate entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteRow {
    /// Rank (ties share a rank).
    pub rank: usize,
    /// The entity's place (ISO code).
    pub jurisdiction: String,
    /// Its own law's outcome.
    pub outcome: String,
    /// Authorisation under its own law.
    pub authorisation: String,
    /// Whether the EAR follows the item.
    pub ear_applies: String,
    /// The US outcome where the EAR follows the item from a foreign entity.
    pub us_outcome: String,
    /// The US authorisation then.
    pub us_authorisation: String,
    /// Individual licences needed (own and US).
    pub licences: usize,
    /// The combined burden in words.
    pub burden: String,
    /// Own rule chain.
    pub reasons: String,
    /// US rule chain, with the de minimis share and level.
    pub us_reasons: String,
    /// Conditions to act on.
    pub conditions: String,
}

/// CSV columns of `route`.
pub const COLUMNS: [&str; 12] = [
    "rank",
    "jurisdiction",
    "outcome",
    "authorisation",
    "ear_applies",
    "us_outcome",
    "us_authorisation",
    "licences",
    "burden",
    "reasons",
    "us_reasons",
    "conditions",
];

/// The burden of one outcome: 0 clearance, 1 general authorisation, 2 individual licence,
/// 3 prohibited, 4 indeterminate.
pub fn severity(o: Outcome) -> u8 {
    match o {
        Outcome::NotApplicable | Outcome::NotListed | Outcome::NoLicenceRequired => 0,
        Outcome::Authorised => 1,
        Outcome::LicenceRequired => 2,
        Outcome::Prohibited => 3,
        Outcome::Indeterminate => 4,
    }
}

/// The combined burden of an entity: what its own law and (where it follows) the EAR need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Burden {
    /// Worst of prohibited (3) or indeterminate (4) on either side, else 0.
    pub blocker: u8,
    /// Number of individual licences needed.
    pub licences: u8,
    /// Number of general authorisations used.
    pub authorisations: u8,
}

impl Burden {
    /// The burden of an own outcome and, where the EAR follows, the US outcome.
    pub fn of(own: Outcome, us: Option<Outcome>) -> Burden {
        let mut b = Burden {
            blocker: 0,
            licences: 0,
            authorisations: 0,
        };
        for o in std::iter::once(own).chain(us) {
            match severity(o) {
                1 => b.authorisations += 1,
                2 => b.licences += 1,
                s @ (3 | 4) => b.blocker = b.blocker.max(s),
                _ => {}
            }
        }
        b
    }

    /// In words.
    pub fn words(&self) -> String {
        match (self.blocker, self.licences, self.authorisations) {
            (4, ..) => "indeterminate".to_string(),
            (3, ..) => "prohibited".to_string(),
            (_, 0, 0) => "no licence".to_string(),
            (_, 0, _) => "general authorisation".to_string(),
            (_, 1, _) => "1 individual licence".to_string(),
            (_, n, _) => format!("{n} individual licences"),
        }
    }
}

/// The determination of `s` for the entity at `place` (modelled or not), with the EAR answer.
pub fn determine(world: &World, place: u16, s: &Scenario) -> Determination {
    let code = world.places().code(place);
    let mut s = s.clone();
    let jurisdiction = world.jurisdiction(code);
    s.exporter = Some(Exporter {
        place,
        jurisdiction,
    });
    match jurisdiction {
        Some(j) => world.evaluate(j, &s),
        None => world.evaluate_unmodelled(place, &s),
    }
}

/// The US outcome that adds to the burden: where the EAR follows the item from a foreign
/// entity, or is not established.
pub fn us_side(d: &Determination) -> Option<Outcome> {
    let r = d.reach.as_ref()?;
    match (r.applies, &r.det) {
        (Some(true), Some(us)) => Some(us.outcome),
        (None, Some(us)) if us.outcome != Outcome::NotListed => Some(Outcome::Indeterminate),
        _ => None,
    }
}

/// Ranks the entities at `places` for scenario `s`.
pub fn route(world: &World, s: &Scenario, places: &[u16]) -> Vec<RouteRow> {
    let mut rows: Vec<(Burden, usize, RouteRow)> = Vec::new();
    for (order, &p) in places.iter().enumerate() {
        let d = determine(world, p, s);
        let r = world.render(s, &d);
        let b = Burden::of(d.outcome, us_side(&d));
        let mut conditions = r.conditions.clone();
        if let Some(us) = d.reach.as_ref().and_then(|x| x.det.as_ref())
            && d.reach.as_ref().is_some_and(|x| x.applies == Some(true))
            && let Some(rj) = world.reach
        {
            let up = world.render_parts(rj, s.item, s.destination, us);
            if !up.conditions.is_empty() {
                if !conditions.is_empty() {
                    conditions.push_str("; ");
                }
                conditions.push_str(&format!("US: {}", up.conditions));
            }
        }
        rows.push((
            b,
            order,
            RouteRow {
                rank: 0,
                jurisdiction: r.jurisdiction,
                outcome: r.outcome,
                authorisation: r.authorisation,
                ear_applies: r.ear_applies,
                us_outcome: r.us_outcome,
                us_authorisation: r.us_authorisation,
                licences: b.licences as usize,
                burden: b.words(),
                reasons: r.reasons,
                us_reasons: r.us_reasons,
                conditions,
            },
        ));
    }
    rows.sort_by_key(|(b, order, _)| (*b, *order));
    let mut out = Vec::with_capacity(rows.len());
    let mut rank = 0;
    let mut last = None;
    for (k, (b, _, mut row)) in rows.into_iter().enumerate() {
        if last != Some(b) {
            rank = k + 1;
            last = Some(b);
        }
        row.rank = rank;
        out.push(row);
    }
    out
}
