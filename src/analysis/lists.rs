//! How the control lists line up with the Wassenaar list, entry by entry: per jurisdiction,
//! the Wassenaar entries implemented, missing or unknown, the entries beyond the Wassenaar
//! list by origin, and the Wassenaar list year implemented.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::describe::wa_list_year;
use crate::data::catalogue::ItemKind;
use crate::engine::World;
use crate::model::Confidence;

/// One jurisdiction's list against the Wassenaar list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListRow {
    /// Jurisdiction.
    pub jurisdiction: String,
    /// Regime.
    pub regime: String,
    /// List version held.
    pub list_version: String,
    /// Its date.
    pub list_date: String,
    /// Wassenaar entries (entry level) in the catalogue.
    pub wa_entries: usize,
    /// Implemented, read from the national text (primary or secondary rows).
    pub implemented: usize,
    /// Implemented by inference (rows of confidence `assumed`: the text was not read).
    pub inferred: usize,
    /// Recorded as not implemented.
    pub missing: usize,
    /// Not established (no row, an unverified listing, or a category not in the datasets).
    pub unknown: usize,
    /// Entries beyond the Wassenaar list.
    pub beyond_wa: usize,
    /// Those by origin: `mtcr (12); national (3)`.
    pub beyond_by_origin: String,
    /// Wassenaar list year implemented, where established.
    pub wa_year: String,
    /// Years behind the current Wassenaar list.
    pub years_behind: String,
}

/// Columns of `align --lists`.
pub const COLUMNS: [&str; 13] = [
    "jurisdiction",
    "regime",
    "list_version",
    "list_date",
    "wa_entries",
    "implemented",
    "inferred",
    "missing",
    "unknown",
    "beyond_wa",
    "beyond_by_origin",
    "wa_year",
    "years_behind",
];

impl ListRow {
    /// The cells, in `COLUMNS` order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.jurisdiction.clone(),
            self.regime.clone(),
            self.list_version.clone(),
            self.list_date.clone(),
            self.wa_entries.to_string(),
            self.implemented.to_string(),
            self.inferred.to_string(),
            self.missing.to_string(),
            self.unknown.to_string(),
            self.beyond_wa.to_string(),
            self.beyond_by_origin.clone(),
            self.wa_year.clone(),
            self.years_behind.clone(),
        ]
    }
}

/// The entry of a list code: the code up to its first paragraph, blank or bracket (`0A501` for
/// `0A501.y`, `4A001` for `4A001.a (meeting …)`).
pub fn entry_key(code: &str) -> &str {
    let end = code.find(['.', ' ', '(']).unwrap_or(code.len());
    &code[..end]
}

/// The entries of a regime's list beyond the Wassenaar list, by origin of the control: distinct
/// entry codes of its national-only rows that are not Wassenaar entries (paragraphs such as the
/// US `.z` variants of Wassenaar entries are not counted as entries of their own).
pub fn beyond_wa(world: &World, r: &crate::engine::Regime) -> BTreeMap<String, usize> {
    let cat = world.catalogue();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for e in &r.entries {
        let it = cat.get(e.item);
        if it.kind != ItemKind::National {
            continue;
        }
        let key = entry_key(&it.code);
        if cat
            .lookup(key)
            .is_some_and(|i| cat.get(i).kind == ItemKind::Wassenaar)
        {
            continue;
        }
        let origin = cat
            .lookup(key)
            .map_or_else(|| it.origin.clone(), |i| cat.get(i).origin.clone());
        seen.entry(key.to_string()).or_insert(origin);
    }
    let mut by_origin: BTreeMap<String, usize> = BTreeMap::new();
    for o in seen.into_values() {
        *by_origin.entry(o).or_default() += 1;
    }
    by_origin
}

/// The alignment of every jurisdiction in `selection`.
pub fn align_lists(world: &World, selection: &[usize]) -> Vec<ListRow> {
    let cat = world.catalogue();
    let wa_entries: Vec<u32> = cat
        .ids()
        .filter(|&i| {
            let it = cat.get(i);
            it.kind == ItemKind::Wassenaar
                && it.parent.is_none()
                && !it.code.contains('(')
                && !it.has_tag("unused")
        })
        .collect();
    let current = wa_list_year(world);
    let mut out = Vec::new();
    for &j in selection {
        let jur = &world.jurisdictions[j];
        let r = &world.regimes[jur.regime];
        let (mut implemented, mut inferred, mut missing, mut unknown) = (0, 0, 0, 0);
        for &e in &wa_entries {
            let plan = &r.plans[e as usize];
            // The entry's own rows, or rows of its paragraphs.
            let rows: Vec<&crate::engine::Entry> = r
                .entries
                .iter()
                .filter(|x| cat.is_within(x.item, e))
                .collect();
            if rows.is_empty() {
                if plan.unlisted_fact.is_some() {
                    missing += 1;
                } else {
                    unknown += 1;
                }
                continue;
            }
            let listed: Vec<_> = rows
                .iter()
                .filter(|x| !x.tags.iter().any(|t| t == "not-listed"))
                .collect();
            if listed.is_empty() {
                missing += 1;
            } else if listed
                .iter()
                .any(|x| x.tags.iter().any(|t| t == "unverified-listing"))
            {
                unknown += 1;
            } else if listed.iter().all(|x| {
                x.confidence == Confidence::Assumed
                    || x.tags.iter().any(|t| t == "inferred-listing")
            }) {
                inferred += 1;
            } else {
                implemented += 1;
            }
        }
        let by_origin = beyond_wa(world, r);
        let beyond: usize = by_origin.values().sum();
        out.push(ListRow {
            jurisdiction: jur.code.clone(),
            regime: r.id.clone(),
            list_version: r.meta.list_version.clone(),
            list_date: r.meta.list_date.to_string(),
            wa_entries: wa_entries.len(),
            implemented,
            inferred,
            missing,
            unknown,
            beyond_wa: beyond,
            beyond_by_origin: by_origin
                .iter()
                .map(|(o, n)| format!("{o} ({n})"))
                .collect::<Vec<_>>()
                .join("; "),
            wa_year: r.meta.wa_year.map(|y| y.to_string()).unwrap_or_default(),
            years_behind: match (r.meta.wa_year, current) {
                (Some(y), Some(c)) => c.saturating_sub(y).to_string(),
                _ => String::new(),
            },
        });
    }
    out
}
