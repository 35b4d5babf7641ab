//! Countries, territories and sub-national places (`datasets/countries.csv`).

use std::collections::HashMap;
use std::path::Path;

use crate::data::table::{Columns, Table, list};
use crate::data::{normalise_name, suggest};
use crate::engine::bitset::PlaceSet;
use crate::error::{Error, Located, Result};

pub type PlaceId = u16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Territory,
    Subnational,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: PlaceKind,
    pub parent: Option<PlaceId>,
    pub eu_customs: bool,
    pub source: String,
}

/// Every place a destination or jurisdiction can name, indexed by small integers.
#[derive(Debug, Default)]
pub struct Places {
    pub places: Vec<Place>,
    by_key: HashMap<String, PlaceId>,
    by_code: HashMap<String, PlaceId>,
}

impl Places {
    pub fn load(path: &Path) -> Result<Places> {
        let table = Table::read_path(
            path,
            &Columns {
                required: &[
                    "code",
                    "name",
                    "aliases",
                    "kind",
                    "parent",
                    "eu_customs",
                    "source",
                ],
                optional: &[],
                open: false,
            },
        )?;
        let mut places = Places::default();
        let mut parents = Vec::new();
        for row in &table.rows {
            let code = table.get(row, "code").to_string();
            if !valid_code(&code) {
                return Err(Error::dataset(
                    table
                        .err(row, "code", "not an ISO 3166 code")
                        .accepted("`DE`, `XK`, `UA-43`"),
                ));
            }
            if places.by_code.contains_key(&code) {
                return Err(Error::dataset(table.err(row, "code", "duplicate code")));
            }
            let kind = match table.get(row, "kind") {
                "country" => PlaceKind::Country,
                "territory" => PlaceKind::Territory,
                "subnational" => PlaceKind::Subnational,
                _ => {
                    return Err(Error::dataset(
                        table
                            .err(row, "kind", "unknown kind")
                            .accepted("country, territory, subnational"),
                    ));
                }
            };
            let eu_customs = match table.get(row, "eu_customs") {
                "true" => true,
                "false" | "" => false,
                _ => {
                    return Err(Error::dataset(
                        table
                            .err(row, "eu_customs", "not a boolean")
                            .accepted("true, false"),
                    ));
                }
            };
            table.cited(row)?;
            let id = places.places.len();
            if id >= PlaceSet::CAPACITY {
                return Err(Error::dataset(
                    Located::new(&table.file, "too many places for the destination bitset")
                        .line(row.line),
                ));
            }
            let id = id as PlaceId;
            parents.push((row.line, table.get(row, "parent").to_string()));
            places.by_code.insert(code.clone(), id);
            places.places.push(Place {
                code,
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
            let Some(&p) = places.by_code.get(&parent) else {
                return Err(Error::dataset(
                    Located::new(&table.file, "parent is not a code in this file")
                        .line(line)
                        .column("parent")
                        .value(parent),
                ));
            };
            places.places[id].parent = Some(p);
        }
        // Names and aliases: each key must name one place.
        for id in 0..places.places.len() {
            let place = &places.places[id];
            let mut keys = vec![normalise_name(&place.code), normalise_name(&place.name)];
            keys.extend(place.aliases.iter().map(|a| normalise_name(a)));
            for key in keys {
                if key.is_empty() {
                    continue;
                }
                if let Some(&other) = places.by_key.get(&key)
                    && other as usize != id
                {
                    return Err(Error::dataset(
                        Located::new(&table.file, "a name or alias names two places")
                            .value(key)
                            .hint(format!(
                                "`{}` and `{}`",
                                places.places[other as usize].code, place.code
                            )),
                    ));
                }
                places.by_key.insert(key, id as PlaceId);
            }
        }
        Ok(places)
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn code(&self, id: PlaceId) -> &str {
        &self.places[id as usize].code
    }

    pub fn get(&self, id: PlaceId) -> &Place {
        &self.places[id as usize]
    }

    /// Exact code lookup (`DE`, `UA-43`).
    pub fn by_code(&self, code: &str) -> Option<PlaceId> {
        self.by_code.get(code).copied()
    }

    /// Code, name or alias, ignoring case, accents and punctuation.
    pub fn resolve(&self, input: &str) -> Option<PlaceId> {
        if let Some(id) = self.by_code(input.trim()) {
            return Some(id);
        }
        self.by_key.get(&normalise_name(input)).copied()
    }

    /// The nearest names, for "did you mean" hints.
    pub fn suggest(&self, input: &str) -> Option<String> {
        let keys = self.places.iter().flat_map(|p| {
            std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(|a| a.as_str()))
        });
        suggest(input, keys)
    }

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
