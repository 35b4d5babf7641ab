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

/// The entries of a regime's list beyond the Wassenaar list: distinct entry codes of its
/// national-only rows that are not Wassenaar entries (paragraphs such as the US `.z` variants of
/// Wassenaar entries are not entries of their own), with the origin of the control and the
/// catalogue item that names the entry (or its first row's item), in code order.
pub fn beyond_entries(world: &World, r: &crate::engine::Regime) -> Vec<(String, String, u32)> {
    let cat = world.catalogue();
    let mut seen: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for e in &r.entries {
        let it = cat.get(e.item);
        if it.kind != ItemKind::National {
            continue;
        }
        let key = entry_key(&it.code);
        let named = cat.lookup(key);
        if named.is_some_and(|i| cat.get(i).kind == ItemKind::Wassenaar) {
            continue;
        }
        let id = named.unwrap_or(e.item);
        seen.entry(key.to_string())
            .or_insert_with(|| (cat.get(id).origin.clone(), id));
    }
    seen.into_iter().map(|(k, (o, i))| (k, o, i)).collect()
}

/// The number of entries beyond the Wassenaar list, by origin of the control.
pub fn beyond_wa(world: &World, r: &crate::engine::Regime) -> BTreeMap<String, usize> {
    let mut by_origin: BTreeMap<String, usize> = BTreeMap::new();
    for (_, o, _) in beyond_entries(world, r) {
        *by_origin.entry(o).or_default() += 1;
    }
    by_origin
}

/// How a regime's list stands to one Wassenaar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Listed, read from the national text (primary or secondary rows).
    Implemented,
    /// Listed by inference from the Wassenaar list (rows of confidence `assumed` or tagged
    /// `inferred-listing`: the national text was not read).
    Inferred,
    /// Recorded as not listed.
    Missing,
    /// Not established (no row, or an unverified listing).
    Unknown,
}

impl Status {
    /// The word used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Implemented => "implemented",
            Status::Inferred => "inferred",
            Status::Missing => "missing",
            Status::Unknown => "unknown",
        }
    }
}

/// The Wassenaar entries (entry level, in use) of the catalogue, in catalogue order.
pub fn wa_entries(world: &World) -> Vec<u32> {
    let cat = world.catalogue();
    cat.ids()
        .filter(|&i| {
            let it = cat.get(i);
            it.kind == ItemKind::Wassenaar
                && it.parent.is_none()
                && !it.code.contains('(')
                && !it.has_tag("unused")
        })
        .collect()
}

/// How regime `r` stands to Wassenaar entry `e`, with the rows that say so (the entry's own
/// rows and those of its paragraphs).
pub fn status<'a>(
    world: &World,
    r: &'a crate::engine::Regime,
    e: u32,
) -> (Status, Vec<&'a crate::engine::Entry>) {
    let cat = world.catalogue();
    let rows: Vec<&crate::engine::Entry> = r
        .entries
        .iter()
        .filter(|x| cat.is_within(x.item, e))
        .collect();
    if rows.is_empty() {
        let s = if r.plans[e as usize].unlisted_fact.is_some() {
            Status::Missing
        } else {
            Status::Unknown
        };
        return (s, rows);
    }
    let listed: Vec<_> = rows
        .iter()
        .filter(|x| !x.tags.iter().any(|t| t == "not-listed"))
        .collect();
    let s = if listed.is_empty() {
        Status::Missing
    } else if listed
        .iter()
        .any(|x| x.tags.iter().any(|t| t == "unverified-listing"))
    {
        Status::Unknown
    } else if listed.iter().all(|x| {
        x.confidence == Confidence::Assumed || x.tags.iter().any(|t| t == "inferred-listing")
    }) {
        Status::Inferred
    } else {
        Status::Implemented
    };
    (s, rows)
}

/// The alignment of every jurisdiction in `selection`.
pub fn align_lists(world: &World, selection: &[usize]) -> Vec<ListRow> {
    let wa = wa_entries(world);
    let current = wa_list_year(world);
    let mut out = Vec::new();
    for &j in selection {
        let jur = &world.jurisdictions[j];
        let r = &world.regimes[jur.regime];
        let (mut implemented, mut inferred, mut missing, mut unknown) = (0, 0, 0, 0);
        for &e in &wa {
            match status(world, r, e).0 {
                Status::Implemented => implemented += 1,
                Status::Inferred => inferred += 1,
                Status::Missing => missing += 1,
                Status::Unknown => unknown += 1,
            }
        }
        let by_origin = beyond_wa(world, r);
        let beyond: usize = by_origin.values().sum();
        out.push(ListRow {
            jurisdiction: jur.code.clone(),
            regime: r.id.clone(),
            list_version: r.meta.list_version.clone(),
            list_date: r.meta.list_date.to_string(),
            wa_entries: wa.len(),
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
