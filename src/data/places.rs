//! Countries, territories and sub-national places (`countries.csv`).

use std::collections::HashMap;

use crate::data::source::Source;
use crate::data::table::{Columns, Table, list};
use crate::data::{normalise_name, suggest};
use crate::error::{Code, Diagnostics, Located};
use crate::model::PlaceSet;

/// Index of a place.
pub type PlaceId = u16;

/// What kind of place a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A sovereign state.
    Country,
    /// A dependent territory.
    Territory,
    /// A sub-national region the law treats apart (ISO 3166-2).
    Subnational,
}

/// One place.
#[derive(Debug, Clone)]
pub struct Place {
    /// ISO 3166-1 alpha-2, `XK`, or ISO 3166-2.
    pub code: String,
    /// ISO 3166-1 alpha-3, where the place has one.
    pub alpha3: String,
    /// English short name.
    pub name: String,
    /// Other accepted names.
    pub aliases: Vec<String>,
    /// Country, territory or sub-national region.
    pub kind: PlaceKind,
    /// The sovereign of a territory or region.
    pub parent: Option<PlaceId>,
    /// Inside the customs territory of the Union today.
    pub eu_customs: bool,
    /// Legal source of the row.
    pub source: String,
}

/// Every place a destination or jurisdiction can name, indexed by small integers.
#[derive(Debug, Default)]
pub struct Places {
    /// The places, in file order.
    pub places: Vec<Place>,
    by_key: HashMap<String, PlaceId>,
    by_code: HashMap<String, PlaceId>,
}

const COLUMNS: Columns<'static> = Columns::exact(
    &[
        "code",
        "name",
        "aliases",
        "kind",
        "parent",
        "eu_customs",
        "source",
    ],
    &["alpha3"],
);

impl Places {
    /// Loads `countries.csv`; problems go to `diag`.
    pub fn load(source: &Source, diag: &mut Diagnostics) -> Places {
        let mut places = Places::default();
        let Some(table) = Table::load(source, "countries.csv", &COLUMNS, diag) else {
            return places;
        };
        let mut parents = Vec::new();
        for row in &table.rows {
            let code = table.get(row, "code").to_string();
            if !valid_code(&code) {
                diag.push(
                    table
                        .err(row, "code", Code::UnknownPlace, "not an ISO 3166 code")
                        .accepted("`DE`, `XK`, `UA-43`"),
                );
                continue;
            }
            if places.by_code.contains_key(&code) {
                diag.push(table.err(row, "code", Code::Duplicate, "duplicate code"));
                continue;
            }
            let kind = match table.get(row, "kind") {
                "country" => PlaceKind::Country,
                "territory" => PlaceKind::Territory,
                "subnational" => PlaceKind::Subnational,
                _ => {
                    diag.push(
                        table
                            .err(row, "kind", Code::UnknownWord, "unknown kind")
                            .accepted("country, territory, subnational"),
                    );
                    continue;
                }
            };
            let eu_customs = match table.get(row, "eu_customs") {
                "true" => true,
                "false" | "" => false,
                _ => {
                    diag.push(
                        table
                            .err(row, "eu_customs", Code::UnknownWord, "not a boolean")
                            .accepted("true, false"),
                    );
                    false
                }
            };
            let alpha3 = table.get(row, "alpha3").to_string();
            let well_formed = alpha3.len() == 3 && alpha3.bytes().all(|b| b.is_ascii_uppercase());
            if !alpha3.is_empty() && !well_formed {
                diag.push(
                    table
                        .err(
                            row,
                            "alpha3",
                            Code::UnknownPlace,
                            "not an ISO 3166-1 alpha-3 code",
                        )
                        .accepted("three capital letters, e.g. `VNM`"),
                );
            }
            table.cited(row, diag);
            let id = places.places.len();
            if id >= PlaceSet::CAPACITY {
                diag.push(
                    Located::new(&table.file, "too many places for the destination bitset")
                        .line(row.line)
                        .code(Code::BadNumber),
                );
                break;
            }
            parents.push((row.line, table.get(row, "parent").to_string()));
            places.by_code.insert(code.clone(), id as PlaceId);
            places.places.push(Place {
                code,
                alpha3,
                name: table.get(row, "name").to_string(),
                aliases: list(table.get(row, "aliases"))
                    .map(str::to_string)
                    .collect(),
                kind,
                parent: None,
                eu_customs,
                source: table.get(row, "source").to_string(),
            });
        }
        for (id, (line, parent)) in parents.into_iter().enumerate() {
            if parent.is_empty() {
                continue;
            }
            match places.by_code.get(&parent) {
                Some(&p) => places.places[id].parent = Some(p),
                None => diag.push(
                    Located::new(&table.file, "parent is not a code in this file")
                        .line(line)
                        .column("parent")
                        .value(parent)
                        .code(Code::BadReference),
                ),
            }
        }
        // Names, aliases and alpha-3 codes: each key must name one place.
        for id in 0..places.places.len() {
            let place = &places.places[id];
            let mut keys = vec![normalise_name(&place.code), normalise_name(&place.name)];
            if !place.alpha3.is_empty() {
                keys.push(normalise_name(&place.alpha3));
            }
            keys.extend(place.aliases.iter().map(|a| normalise_name(a)));
            for key in keys {
                if key.is_empty() {
                    continue;
                }
                if let Some(&other) = places.by_key.get(&key)
                    && other as usize != id
                {
                    diag.push(
                        Located::new(&table.file, "a name or alias names two places")
                            .value(key)
                            .hint(format!(
                                "`{}` and `{}`",
                                places.places[other as usize].code, place.code
                            ))
                            .code(Code::Duplicate),
                    );
                    continue;
                }
                places.by_key.insert(key, id as PlaceId);
            }
        }
        places
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether there are no places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The code of place `id`.
    pub fn code(&self, id: PlaceId) -> &str {
        &self.places[id as usize].code
    }

    /// Place `id`.
    pub fn get(&self, id: PlaceId) -> &Place {
        &self.places[id as usize]
    }

    /// Exact code lookup (`DE`, `UA-43`).
    pub fn by_code(&self, code: &str) -> Option<PlaceId> {
        self.by_code.get(code).copied()
    }

    /// Code, alpha-3 code, name or alias, ignoring case, accents and punctuation.
    pub fn resolve(&self, input: &str) -> Option<PlaceId> {
        let t = input.trim();
        if let Some(id) = self.by_code(t) {
            return Some(id);
        }
        if t.len() == 2
            && t.is_ascii()
            && let Some(id) = self.by_code(&t.to_ascii_uppercase())
        {
            return Some(id);
        }
        let key = normalise_name(t);
        if let Some(&id) = self.by_key.get(&key) {
            return Some(id);
        }
        // Initials written with dots or spaces (`U.A.E.`, `U S A`) are one word.
        if key.contains(' ') && key.split(' ').all(|w| w.len() == 1) {
            return self.by_key.get(&key.replace(' ', "")).copied();
        }
        None
    }

    /// The nearest names, for "did you mean" hints.
    pub fn suggest(&self, input: &str) -> Option<String> {
        let keys = self.places.iter().flat_map(|p| {
            std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(|a| a.as_str()))
        });
        suggest(input, keys)
    }

    /// Every place id.
    pub fn ids(&self) -> impl Iterator<Item = PlaceId> + '_ {
        (0..self.places.len()).map(|i| i as PlaceId)
    }
}

fn valid_code(code: &str) -> bool {
    let b = code.as_bytes();
    let iso2 = |s: &[u8]| s.len() == 2 && s.iter().all(u8::is_ascii_uppercase);
    match b.len() {
        2 => iso2(b),
        4..=6 => iso2(&b[..2]) && b[2] == b'-' && b[3..].iter().all(|c| c.is_ascii_alphanumeric()),
        _ => false,
    }
}
