//! The metrics of every column against the US and of every pair, and the key findings, each
//! generated from the data with its numbers and, where it rests on a determination, the two
//! rule chains behind it.

use crate::data::places::PlaceId;
use crate::engine::{Rendered, World};
use crate::error::Result;
use crate::model::{EndUse, EndUser, Outcome, Scenario};
use crate::report::grid::{Grid, Tally, pct};
use crate::report::history::History;

/// Every column against the US, and every pair of columns.
pub(crate) struct Metrics {
    /// Per column (grid column order): the column's first member against the US.
    pub vs_us: Vec<Tally>,
    /// `pairwise[a][b]`: column `a` against column `b`.
    pub pairwise: Vec<Vec<Tally>>,
}

/// Computes the metrics over the whole grid.
pub(crate) fn metrics(grid: &Grid<'_>) -> Metrics {
    let reps: Vec<usize> = grid.columns.iter().map(|c| c.members[0]).collect();
    let vs_us = reps.iter().map(|&j| grid.tally(j, grid.us)).collect();
    let mut pairwise = vec![vec![Tally::default(); reps.len()]; reps.len()];
    for a in 0..reps.len() {
        for b in a..reps.len() {
            let t = grid.tally(reps[a], reps[b]);
            pairwise[a][b] = t;
            pairwise[b][a] = Tally {
                stricter: t.looser,
                looser: t.stricter,
                ..t
            };
        }
    }
    Metrics { vs_us, pairwise }
}

/// Two determinations side by side: the US and another jurisdiction, same scenario.
pub(crate) struct Example {
    /// What the scenario is (`4A005 to Brazil, commercial end user`).
    pub label: String,
    /// The US determination.
    pub us: Rendered,
    /// The other jurisdiction's determination.
    pub other: Rendered,
    /// Regime id of the other jurisdiction (for links to its law).
    pub other_regime: String,
}

/// A key finding.
pub(crate) struct Finding {
    /// Stable id (`stricter-looser`).
    pub id: &'static str,
    /// One-line headline.
    pub title: String,
    /// The finding with its numbers.
    pub text: String,
    /// The determinations behind it.
    pub examples: Vec<Example>,
}

/// Destinations tried first when a finding needs one example.
const PREFERRED: [&str; 16] = [
    "BR", "IN", "MX", "ZA", "SA", "AE", "SG", "IL", "TR", "CN", "VN", "FR", "IT", "NL", "VE", "BY",
];

fn example(world: &World, us: usize, other: usize, s: &Scenario, label: String) -> Example {
    let du = world.evaluate(us, s);
    let dj = world.evaluate(other, s);
    let regime = &world.regimes[world.jurisdictions[other].regime];
    Example {
        label,
        us: world.render(s, &du),
        other: world.render(s, &dj),
        other_regime: regime
            .meta
            .extends
            .clone()
            .unwrap_or_else(|| regime.id.clone()),
    }
}

/// Picks one destination of `set`, preferring well-known markets.
fn pick(world: &World, set: &[PlaceId]) -> Option<PlaceId> {
    PREFERRED
        .iter()
        .filter_map(|c| world.places().by_code(c))
        .find(|p| set.contains(p))
        .or_else(|| set.first().copied())
}

fn place_name(world: &World, p: PlaceId) -> String {
    world.places().get(p).name.clone()
}

/// The member of the folded EU column used for examples: Germany when folded there.
fn eu_member(grid: &Grid<'_>) -> Option<usize> {
    let col = grid.eu_column()?;
    let de = grid.world.jurisdiction("DE");
    Some(
        de.filter(|d| col.members.contains(d))
            .unwrap_or(col.members[0]),
    )
}

fn free(o: Outcome) -> bool {
    matches!(o, Outcome::NotListed | Outcome::NoLicenceRequired)
}

/// The key findings, in reading order.
pub(crate) fn findings(grid: &Grid<'_>, m: &Metrics, history: &History) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    out.push(stricter_looser(grid, m));
    if let Some(f) = ace_design(grid) {
        out.push(f);
    }
    if let Some(f) = single_market(grid) {
        out.push(f);
    }
    if let Some(f) = ns2_gbs(grid) {
        out.push(f);
    }
    if let Some(f) = catch_all(grid) {
        out.push(f);
    }
    if let Some(f) = lag(grid, history) {
        out.push(f);
    }
    if let Some(f) = vendors(grid)? {
        out.push(f);
    }
    Ok(out)
}

fn stricter_looser(grid: &Grid<'_>, m: &Metrics) -> Finding {
    let mut ranked = Vec::new();
    let mut unranked = Vec::new();
    for (c, t) in grid.columns.iter().zip(&m.vs_us) {
        if c.members.contains(&grid.us) {
            continue;
        }
        if t.ranked() {
            ranked.push((c.label.as_str(), *t));
        } else {
            unranked.push(format!("{} ({})", c.label, pct(t.coverage())));
        }
    }
    let share = |f: fn(&Tally) -> Option<f64>| -> Vec<f64> {
        ranked.iter().filter_map(|(_, t)| f(t)).collect()
    };
    let stricter = share(Tally::stricter_share);
    let looser = share(Tally::looser_share);
    let range = |v: &[f64]| {
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
    };
    let more = ranked.iter().filter(|(_, t)| t.stricter > t.looser).count();
    let mut text = match (range(&stricter), range(&looser)) {
        (Some((slo, shi)), Some((llo, lhi))) => format!(
            "Of the {} jurisdictions ranked (coverage of at least 50 %), {} are stricter than the US more often than looser. Among the scenarios where both outcomes are established, they are stricter in {} to {} and looser in {} to {}.",
            ranked.len(),
            more,
            pct(Some(slo)),
            pct(Some(shi)),
            pct(Some(llo)),
            pct(Some(lhi)),
        ),
        _ => "No jurisdiction has enough established outcomes to be ranked.".to_string(),
    };
    if !unranked.is_empty() {
        text.push_str(&format!(
            " Not ranked, because too few of their outcomes are established (coverage in brackets): {}.",
            unranked.join(", ")
        ));
    }
    Finding {
        id: "stricter-looser",
        title: "Every established regime is stricter than the US more often than it is looser"
            .to_string(),
        text,
        examples: Vec::new(),
    }
    .retitle(more == ranked.len() && !ranked.is_empty())
}

impl Finding {
    /// Keeps the headline true when the data does not support the general claim.
    fn retitle(mut self, general: bool) -> Finding {
        if !general {
            self.title = "How often each regime is stricter or looser than the US".into();
        }
        self
    }
}

/// Outcomes of `item` (commercial end user, no stated end use) for the US and the folded EU
/// column, per destination of the universe (as in `tables/outcomes.csv`).
fn pairs(grid: &Grid<'_>, item: usize) -> Vec<(PlaceId, Outcome, Outcome)> {
    let Some(eu) = grid.eu_column() else {
        return Vec::new();
    };
    grid.rows
        .rows
        .iter()
        .map(|&p| {
            let (u, e) = (EndUser::Commercial, EndUse::Unspecified);
            (
                p,
                grid.outcome(grid.us, item, p, u, e),
                grid.column_outcome(eu, item, p, u, e),
            )
        })
        .collect()
}

fn ace_design(grid: &Grid<'_>) -> Option<Finding> {
    let world = grid.world;
    let i = grid.item("4A005")?;
    let eu = eu_member(grid)?;
    let eu_label = grid.eu_column()?.label.clone();
    let set: Vec<PlaceId> = pairs(grid, i)
        .into_iter()
        .filter(|(_, u, e)| *u == Outcome::Authorised && *e == Outcome::LicenceRequired)
        .map(|(p, ..)| p)
        .collect();
    let p = pick(world, &set)?;
    let s = Scenario::new(grid.items[i], p, EndUser::Commercial, EndUse::Unspecified);
    Some(Finding {
        id: "ace-design",
        title: "ACE authorises by exception where the EU licenses one by one".into(),
        text: format!(
            "For a commercial end user, License Exception ACE authorises intrusion-software systems (4A005) to {} of the {} destinations where the {} member states require an individual licence. ACE is a licence exception with end-user and destination bars; the EU has no general authorisation for 4A005 outside its Annex II destinations.",
            set.len(),
            grid.rows.rows.len(),
            eu_label
        ),
        examples: vec![example(
            world,
            grid.us,
            eu,
            &s,
            format!("4A005 to {}, commercial end user", place_name(world, p)),
        )],
    })
}

fn single_market(grid: &Grid<'_>) -> Option<Finding> {
    let world = grid.world;
    let i = grid.item("4A005")?;
    let eu = eu_member(grid)?;
    let set: Vec<PlaceId> = pairs(grid, i)
        .into_iter()
        .filter(|(p, u, e)| {
            world.places().get(*p).eu_customs
                && matches!(u, Outcome::Authorised | Outcome::LicenceRequired)
                && free(*e)
        })
        .map(|(p, ..)| p)
        .collect();
    let p = pick(world, &set)?;
    let s = Scenario::new(grid.items[i], p, EndUser::Commercial, EndUse::Unspecified);
    Some(Finding {
        id: "single-market",
        title: "Inside the EU single market no licence is needed; the US needs one (met by ACE)"
            .into(),
        text: format!(
            "To {} destinations inside the EU customs territory a transfer of 4A005 between member states needs no authorisation, while the US requires a licence there, which ACE then authorises for most end users.",
            set.len()
        ),
        examples: vec![example(
            world,
            grid.us,
            eu,
            &s,
            format!("4A005 to {}, commercial end user", place_name(world, p)),
        )],
    })
}

fn ns2_gbs(grid: &Grid<'_>) -> Option<Finding> {
    let world = grid.world;
    let i = grid.item("5A001.j")?;
    let eu = eu_member(grid)?;
    let eu_label = grid.eu_column()?.label.clone();
    let set: Vec<PlaceId> = pairs(grid, i)
        .into_iter()
        .filter(|(_, u, e)| {
            matches!(u, Outcome::NoLicenceRequired | Outcome::Authorised)
                && matches!(e, Outcome::LicenceRequired | Outcome::Prohibited)
        })
        .map(|(p, ..)| p)
        .collect();
    if set.is_empty() {
        return None;
    }
    let us_regime = &world.regimes[world.jurisdictions[grid.us].regime];
    let d5: Vec<PlaceId> = set
        .iter()
        .copied()
        .filter(|&p| {
            us_regime
                .groups
                .get("D5")
                .is_some_and(|g| g.sure.contains(p))
        })
        .collect();
    let mut examples = Vec::new();
    for chosen in [pick(world, &d5), pick(world, &set)].into_iter().flatten() {
        if examples.len() == 2
            || examples
                .iter()
                .any(|e: &Example| e.us.destination == world.places().code(chosen))
        {
            continue;
        }
        let s = Scenario::new(
            grid.items[i],
            chosen,
            EndUser::Commercial,
            EndUse::Unspecified,
        );
        examples.push(example(
            world,
            grid.us,
            eu,
            &s,
            format!(
                "5A001.j to {}, commercial end user",
                place_name(world, chosen)
            ),
        ));
    }
    let d5_names: Vec<String> = d5
        .iter()
        .map(|&p| world.places().code(p).to_string())
        .collect();
    Some(Finding {
        id: "ns2-gbs",
        title: "IP-network surveillance systems: US National Security Column 2 and GBS against EU licences".into(),
        text: format!(
            "For 5A001.j the US requires no licence, or authorises under License Exception GBS, to {} destinations where the {} member states require a licence. {} of them are in US Country Group D:5 (US arms embargo){}.",
            set.len(),
            eu_label,
            d5.len(),
            if d5_names.is_empty() {
                String::new()
            } else {
                format!(": {}", d5_names.join(", "))
            }
        ),
        examples,
    })
}

/// The catch-all finding's cells: every destination with the EU member's and the US outcome
/// for an unlisted cyber-surveillance item, government end user, internal repression.
pub(crate) fn catch_all_rows(grid: &Grid<'_>) -> Vec<(String, String, String)> {
    let world = grid.world;
    let (Some(item), Some(eu)) = (
        world.catalogue().lookup("unlisted-cyber-surveillance"),
        eu_member(grid),
    ) else {
        return Vec::new();
    };
    grid.rows
        .rows
        .iter()
        .map(|&p| {
            let s = Scenario::new(item, p, EndUser::Government, EndUse::InternalRepression);
            (
                world.places().code(p).to_string(),
                world.evaluate(eu, &s).outcome.as_str().to_string(),
                world.evaluate(grid.us, &s).outcome.as_str().to_string(),
            )
        })
        .collect()
}

fn catch_all(grid: &Grid<'_>) -> Option<Finding> {
    let world = grid.world;
    let item = world.catalogue().lookup("unlisted-cyber-surveillance")?;
    let eu = eu_member(grid)?;
    let rows = catch_all_rows(grid);
    let needs = |o: &str| o == "licence-required" || o == "prohibited";
    let clear = |o: &str| o == "not-listed" || o == "no-licence-required";
    let set: Vec<PlaceId> = rows
        .iter()
        .filter(|r| needs(&r.1))
        .filter_map(|r| world.places().by_code(&r.0))
        .collect();
    let us_free = rows.iter().filter(|r| needs(&r.1) && clear(&r.2)).count();
    let p = pick(world, &set)?;
    let s = Scenario::new(item, p, EndUser::Government, EndUse::InternalRepression);
    Some(Finding {
        id: "catch-all",
        title: "The EU's cyber-surveillance catch-all has no US counterpart for unlisted items"
            .into(),
        text: format!(
            "An unlisted cyber-surveillance item for a government end user, where the exporter has been informed of a risk of internal repression, needs a licence from the EU member states to {} destinations (Art. 5 of Reg. (EU) 2021/821); for {} of them the US outcome is a clearance.",
            set.len(),
            us_free
        ),
        examples: vec![example(
            world,
            grid.us,
            eu,
            &s,
            format!(
                "unlisted cyber-surveillance item to {}, government end user, internal repression",
                place_name(world, p)
            ),
        )],
    })
}

/// The earliest `cyber-controls` milestone of the regime with id `id`.
fn in_force(world: &World, id: &str) -> Option<String> {
    world
        .regimes
        .iter()
        .find(|r| r.id == id)?
        .meta
        .milestones
        .iter()
        .filter(|m| m.kind == "cyber-controls")
        .map(|m| m.date.clone())
        .min()
}

/// Years between two ISO dates.
fn years(from: &str, to: &str) -> Option<f64> {
    let (a, b) = (
        crate::model::Date::parse(from)?,
        crate::model::Date::parse(to)?,
    );
    Some(f64::from(b.days_since_epoch() - a.days_since_epoch()) / 365.25)
}

fn lag(grid: &Grid<'_>, history: &History) -> Option<Finding> {
    let world = grid.world;
    let wa = world
        .data
        .wa_list
        .history
        .iter()
        .find(|e| e.date.starts_with("2013"))
        .map(|e| e.date.clone())?;
    let us = in_force(world, "us")?;
    let eu = in_force(world, "eu")?;
    let (us_lag, eu_lag, gap) = (years(&wa, &us)?, years(&wa, &eu)?, years(&eu, &us)?);
    let unknown: Vec<&str> = history
        .lanes
        .iter()
        .enumerate()
        .filter(|(k, _)| history.cells[0][*k].iter().all(|s| s.value().is_none()))
        .map(|(_, l)| l.label.as_str())
        .collect();
    Some(Finding {
        id: "lag",
        title: format!(
            "The US put the 2013 Wassenaar entries into force {gap:.1} years after the EU"
        ),
        text: format!(
            "The Wassenaar Arrangement added intrusion software and IP-network surveillance to its list on {wa}. The EU applied the entries from {eu} ({eu_lag:.1} years later); the US controls took effect on {us} ({us_lag:.1} years later), with License Exception ACE. The charts below give each regime's dates and, computed from the dated datasets, the share of destinations needing a licence year by year.{}",
            if unknown.is_empty() {
                String::new()
            } else {
                format!(
                    " For {} the datasets do not establish the law of any year before their current list, so their series is not established.",
                    unknown.join(", ")
                )
            }
        ),
        examples: Vec::new(),
    })
}

/// The Federal Register notices that added commercial spyware and cyber-intrusion firms to
/// the US Entity List (86 FR 60759, November 2021; 88 FR 46070, July 2023).
pub(crate) const SPYWARE_NOTICES: [&str; 2] = ["86 FR 60760", "88 FR 46071"];

/// The Entity List entries of [`SPYWARE_NOTICES`]: name, address countries, date, notice.
pub(crate) fn vendor_rows(world: &World) -> Vec<(String, String, String, String)> {
    let notices = SPYWARE_NOTICES;
    let mut rows: Vec<(String, String, String, String)> = world
        .parties()
        .list
        .iter()
        .filter(|(_, p)| p.list == "entity-list" && notices.contains(&p.notice.as_str()))
        .map(|(_, p)| {
            (
                p.name.clone(),
                p.countries
                    .iter()
                    .map(|&c| world.places().code(c).to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
                p.listed_on.map(|d| d.to_string()).unwrap_or_default(),
                p.notice.clone(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
    rows
}

fn vendors(grid: &Grid<'_>) -> Result<Option<Finding>> {
    let world = grid.world;
    let rows = vendor_rows(world);
    if rows.is_empty() {
        return Ok(None);
    }
    let with_lists = world
        .data
        .regimes
        .iter()
        .filter(|r| r.parties_file.is_some())
        .count();
    let names: Vec<String> = rows
        .iter()
        .map(|r| format!("{} ({}, {})", r.0, r.1, r.2))
        .collect();
    let mut examples = Vec::new();
    if let (Some(eu), Some(i)) = (eu_member(grid), grid.item("4A005"))
        && let Some((name, country, ..)) = rows
            .iter()
            .find(|r| r.0 == "Intellexa S.A.")
            .or_else(|| rows.first())
        && let Some(p) = country
            .split_whitespace()
            .next()
            .and_then(|c| world.places().by_code(c))
    {
        let mut s = Scenario::new(grid.items[i], p, EndUser::Commercial, EndUse::Unspecified);
        s.end_user_name = Some(name.clone());
        s.hits = world.screen(name)?;
        examples.push(example(
            world,
            grid.us,
            eu,
            &s,
            format!("4A005 to {name} in {}", place_name(world, p)),
        ));
    }
    Ok(Some(Finding {
        id: "vendors",
        title: "The US lists commercial spyware vendors; the other regimes' datasets hold no party lists".into(),
        text: format!(
            "The US Entity List requires a licence for all items subject to the EAR, with a presumption of denial and no licence exception, for {} commercial spyware firms: {}. Only {} of the regimes in the datasets holds a party list, so whether other regimes list these firms is not established here; their outcomes for such a customer are those of any commercial end user.",
            rows.len(),
            names.join("; "),
            with_lists
        ),
        examples,
    }))
}
