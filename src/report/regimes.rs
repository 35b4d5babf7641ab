//! The regime comparison table, generated from the datasets and from determinations (so it
//! says what is evaluated, not what a summary claims).

use std::collections::BTreeSet;

use crate::model::{EndUse, EndUser, Outcome, Scenario};
use crate::report::grid::Grid;

/// One row: a chart column (a jurisdiction, or EU members with identical outcomes).
pub(crate) struct RegimeRow {
    /// Column label.
    pub label: String,
    /// Member codes.
    pub members: String,
    /// Regime id, for links.
    pub regime: String,
    /// List name, version and date.
    pub list: String,
    /// Wassenaar list year implemented, where established.
    pub wa_year: String,
    /// Confidence of the jurisdiction's data.
    pub confidence: String,
    /// 4A005 to another member of the same regime (EU: intra-EU transfer).
    pub intra_bloc: String,
    /// General authorisations that authorise a cyber item somewhere in the grid.
    pub authorisations: String,
    /// End users for whom those authorisations are barred where a commercial end user has one.
    pub end_user_limits: String,
    /// Catch-all rules (citations).
    pub catch_alls: Vec<String>,
    /// Whether a human-rights (internal repression) criterion makes an unlisted
    /// cyber-surveillance item licensable, and to how many destinations.
    pub human_rights: String,
    /// Outcome for an unlisted cyber-surveillance item to sanctioned destinations.
    pub sanctions: String,
}

/// Destinations whose sanctions regimes name surveillance goods in one or more regimes.
const SANCTIONED: [&str; 6] = ["RU", "BY", "IR", "SY", "MM", "VE"];

/// The table, one row per chart column.
pub(crate) fn rows(grid: &Grid<'_>) -> Vec<RegimeRow> {
    let world = grid.world;
    let unlisted = world.catalogue().lookup("unlisted-cyber-surveillance");
    let mut out = Vec::new();
    for col in &grid.columns {
        let j = col.members[0];
        let jur = &world.jurisdictions[j];
        let r = &world.regimes[jur.regime];
        let m = &r.meta;
        // General authorisations used, and end users they do not serve.
        let mut auths: BTreeSet<String> = BTreeSet::new();
        let mut limits: BTreeSet<&str> = BTreeSet::new();
        for i in 0..grid.items.len() {
            for &p in &grid.rows.rows {
                let com = &grid.bulk.dets
                    [grid.det(j, i, p, EndUser::Commercial, EndUse::Unspecified) as usize];
                for &u in EndUser::VALUES {
                    let d = &grid.bulk.dets[grid.det(j, i, p, u, EndUse::Unspecified) as usize];
                    if let Some(a) = d
                        .authorisation
                        .and_then(|a| r.authorisations.get(a as usize))
                    {
                        auths.insert(a.id.clone());
                    }
                    if com.outcome == Outcome::Authorised
                        && matches!(d.outcome, Outcome::LicenceRequired | Outcome::Prohibited)
                    {
                        limits.insert(u.as_str());
                    }
                }
            }
        }
        let intra = other_member(grid, j)
            .and_then(|(other, p)| {
                let i = grid.item("4A005")?;
                let o = grid.outcome(j, i, p, EndUser::Commercial, EndUse::Unspecified);
                Some(format!(
                    "4A005 to {}: {}",
                    world.jurisdictions[other].code,
                    o.as_str()
                ))
            })
            .unwrap_or_else(|| "—".into());
        let mut catch_alls: Vec<String> = r
            .catch_alls
            .iter()
            .map(|c| world.fact(c.fact).citation.clone())
            .filter(|c| !c.is_empty())
            .collect();
        catch_alls.dedup();
        let (human_rights, sanctions) = match unlisted {
            Some(item) => {
                let mut n = 0;
                for &p in &grid.rows.rows {
                    let mut s = Scenario::new(item, p, EndUser::Government, EndUse::Unspecified);
                    let base = world.evaluate(j, &s).outcome;
                    s.end_use = EndUse::InternalRepression;
                    let hr = world.evaluate(j, &s).outcome;
                    if matches!(hr, Outcome::LicenceRequired | Outcome::Prohibited)
                        && !matches!(base, Outcome::LicenceRequired | Outcome::Prohibited)
                    {
                        n += 1;
                    }
                }
                let hr = if n > 0 {
                    format!("yes: licence to {n} destinations")
                } else {
                    "none in the datasets".into()
                };
                let sanc: Vec<String> = SANCTIONED
                    .iter()
                    .filter_map(|c| world.places().by_code(c))
                    .map(|p| {
                        let s = Scenario::new(item, p, EndUser::Commercial, EndUse::Unspecified);
                        format!(
                            "{} {}",
                            world.places().code(p),
                            world.evaluate(j, &s).outcome.as_str()
                        )
                    })
                    .collect();
                (hr, sanc.join(", "))
            }
            None => (String::new(), String::new()),
        };
        out.push(RegimeRow {
            label: col.label.clone(),
            members: col
                .members
                .iter()
                .map(|&k| world.jurisdictions[k].code.clone())
                .collect::<Vec<_>>()
                .join(" "),
            regime: m.extends.clone().unwrap_or_else(|| r.id.clone()),
            list: format!("{} ({}, {})", m.list_name, m.list_version, m.list_date),
            wa_year: m
                .wa_year
                .map(|y| y.to_string())
                .unwrap_or_else(|| "not established".into()),
            confidence: jur.meta.confidence.as_str().to_string(),
            intra_bloc: intra,
            authorisations: if auths.is_empty() {
                "none".into()
            } else {
                auths.into_iter().collect::<Vec<_>>().join(", ")
            },
            end_user_limits: if limits.is_empty() {
                "—".into()
            } else {
                limits.into_iter().collect::<Vec<_>>().join(", ")
            },
            catch_alls,
            human_rights,
            sanctions,
        });
    }
    out
}

/// Another jurisdiction governed by the same regime, with its place, if any.
fn other_member(grid: &Grid<'_>, j: usize) -> Option<(usize, u16)> {
    let world = grid.world;
    let r = world.jurisdictions[j].regime;
    let family = |k: usize| {
        let a = &world.regimes[world.jurisdictions[k].regime];
        let b = &world.regimes[r];
        a.id == b.id
            || a.meta.extends.as_deref() == Some(b.id.as_str())
            || b.meta.extends.as_deref() == Some(a.id.as_str())
    };
    let preferred = ["FR", "DE", "IT", "NL"];
    preferred
        .iter()
        .filter_map(|c| world.jurisdiction(c))
        .chain(0..world.jurisdictions.len())
        .find(|&k| k != j && family(k))
        .map(|k| (k, world.jurisdictions[k].place))
}
