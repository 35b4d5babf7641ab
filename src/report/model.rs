//! The report's figures as plain data, computed from the bulk tables. No drawing here.

use crate::analysis::compare::Comparison;
use crate::data::places::{PlaceId, PlaceKind};
use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::model::{EndUse, EndUser, Outcome};

/// The outcomes shown as colours, in legend order (not-applicable is drawn as empty).
pub const OUTCOMES: [Outcome; 6] = [
    Outcome::NotListed,
    Outcome::NoLicenceRequired,
    Outcome::Authorised,
    Outcome::LicenceRequired,
    Outcome::Prohibited,
    Outcome::Indeterminate,
];

/// A column of a figure: one jurisdiction, or several with identical results (EU members).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Label shown on the chart.
    pub label: String,
    /// Jurisdiction indices folded into it.
    pub members: Vec<usize>,
}

/// Destination rows, grouped by US Country Group tier.
#[derive(Debug, Clone)]
pub struct RowGroups {
    /// Destinations, in row order.
    pub rows: Vec<PlaceId>,
    /// (label, first row, last row inclusive)
    pub groups: Vec<(String, usize, usize)>,
}

/// Groups the destinations (countries, sub-national regions, Hong Kong, Macao) by the US
/// Country Group tier that drives most cyber-item differences.
pub fn destination_groups(world: &World) -> RowGroups {
    let us = world
        .jurisdiction("US")
        .map(|j| &world.regimes[world.jurisdictions[j].regime]);
    let inn = |g: &str, p: PlaceId| {
        us.and_then(|r| r.groups.get(g))
            .is_some_and(|s| s.sure.contains(p))
    };
    let tiers: [(&str, &dyn Fn(PlaceId) -> bool); 7] = [
        ("E:1/E:2 embargoed", &|p| inn("E1", p) || inn("E2", p)),
        ("Crimea, DNR/LNR", &|p| {
            world.places().get(p).kind == PlaceKind::Subnational
        }),
        ("D:1 or D:5", &|p| inn("D1", p) || inn("D5", p)),
        ("other D groups", &|p| {
            ["D2", "D3", "D4"].iter().any(|g| inn(g, p))
        }),
        ("A:1 (WA-type allies)", &|p| inn("A1", p)),
        ("other A:5/A:6", &|p| inn("A5", p) || inn("A6", p)),
        ("B and others", &|_| true),
    ];
    let candidates: Vec<PlaceId> = world
        .places()
        .ids()
        .filter(|&p| {
            let pl = world.places().get(p);
            pl.kind != PlaceKind::Territory || matches!(pl.code.as_str(), "HK" | "MO")
        })
        .collect();
    let mut taken = vec![false; world.places().len()];
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for (label, test) in tiers {
        let first = rows.len();
        for &p in &candidates {
            if !taken[p as usize] && test(p) {
                taken[p as usize] = true;
                rows.push(p);
            }
        }
        if rows.len() > first {
            groups.push((label.to_string(), first, rows.len() - 1));
        }
    }
    RowGroups { rows, groups }
}

/// Folds jurisdictions of the EU regime (and its national overlays) whose outcome vectors
/// agree (not-applicable counts as agreeing) into one column.
pub fn fold_columns(world: &World, juris: &[usize], vectors: &[Vec<Outcome>]) -> Vec<Column> {
    let eu_family = |j: usize| {
        let r = &world.regimes[world.jurisdictions[j].regime];
        r.id == "eu" || r.meta.extends.as_deref() == Some("eu")
    };
    let same = |a: &[Outcome], b: &[Outcome]| {
        a.iter()
            .zip(b)
            .all(|(x, y)| x == y || *x == Outcome::NotApplicable || *y == Outcome::NotApplicable)
    };
    let mut cols: Vec<Column> = Vec::new();
    let mut eu_groups: Vec<usize> = Vec::new(); // indices into cols
    for (k, &j) in juris.iter().enumerate() {
        if eu_family(j)
            && let Some(&c) = eu_groups.iter().find(|&&c| {
                let first = cols[c].members[0];
                let fk = juris.iter().position(|&x| x == first).unwrap_or(k);
                same(&vectors[fk], &vectors[k])
            })
        {
            cols[c].members.push(j);
            continue;
        }
        if eu_family(j) {
            eu_groups.push(cols.len());
        }
        cols.push(Column {
            label: world.jurisdictions[j].code.clone(),
            members: vec![j],
        });
    }
    for c in &mut cols {
        if c.members.len() > 1 {
            c.label = format!("EU-{}", c.members.len());
        }
    }
    cols
}

/// The value shown for a folded column: the first member's outcome that is not
/// `not-applicable`.
pub fn folded(col: &Column, juris: &[usize], vectors: &[Vec<Outcome>], cell: usize) -> Outcome {
    let mut out = Outcome::NotApplicable;
    for m in &col.members {
        if let Some(k) = juris.iter().position(|x| x == m) {
            let o = vectors[k][cell];
            if o != Outcome::NotApplicable {
                return o;
            }
            out = o;
        }
    }
    out
}

/// Which rule decides the US outcome for a cyber item (chart 4).
pub const ACE_CATEGORIES: [&str; 10] = [
    "no licence needed (Country Chart)",
    "ACE authorises",
    "ACE via favourable-treatment carve-out",
    "GBS authorises",
    "E:1/E:2 bar, 740.22(c)(1)(i)",
    "government end user in D:1-D:5, (c)(1)(ii)",
    "non-government end user in D:1/D:5, (c)(1)(iii)",
    "end-use bar, 740.22(c)(2)",
    "embargo or sanctions, Part 746",
    "indeterminate or other",
];

/// Which ACE category (index into the category labels) decides a US determination, if any.
pub fn ace_category(
    world: &World,
    bulk: &Bulk<'_>,
    det: u32,
    dest: PlaceId,
    user: EndUser,
) -> Option<usize> {
    let d = &bulk.dets[det as usize];
    if d.outcome == Outcome::NotApplicable {
        return None;
    }
    let us = world.jurisdiction("US")?;
    let regime = &world.regimes[world.jurisdictions[us].regime];
    let cites: Vec<&str> = d
        .reasons
        .iter()
        .map(|s| world.fact(s.fact).citation.as_str())
        .collect();
    let has = |p: &str| cites.iter().any(|c| c.contains(p));
    if has("15 CFR 746") {
        return Some(8);
    }
    if d.outcome == Outcome::Authorised {
        let id = d
            .authorisation
            .map(|a| regime.authorisations[a as usize].id.as_str());
        if id == Some("GBS") {
            return Some(3);
        }
        let d15 = ["D1", "D5"]
            .iter()
            .any(|g| regime.groups.get(*g).is_some_and(|s| s.sure.contains(dest)));
        let favourable = matches!(
            user,
            EndUser::Financial | EndUser::Insurance | EndUser::Health | EndUser::UsSubsidiary
        );
        return Some(if d15 && favourable { 2 } else { 1 });
    }
    if matches!(d.outcome, Outcome::NotListed | Outcome::NoLicenceRequired) {
        return Some(0);
    }
    if has("740.22(c)(1)(i)") && !has("740.22(c)(1)(ii)") && !has("740.22(c)(1)(iii)") {
        return Some(4);
    }
    if has("740.22(c)(1)(iii)") {
        return Some(6);
    }
    if has("740.22(c)(1)(ii)") {
        return Some(5);
    }
    if has("740.22(c)(2)") {
        return Some(7);
    }
    Some(9)
}

/// Scenario cell index within one item of a matrix: (destination position, end user, end use).
pub fn cell_index(dest_pos: usize, user: usize, usage: usize) -> usize {
    (dest_pos * EndUser::VALUES.len() + user) * EndUse::VALUES.len() + usage
}

/// Comparison of two outcomes, for divergence tables.
pub fn compare(a: Outcome, baseline: Outcome) -> Comparison {
    Comparison::of(a, baseline)
}
