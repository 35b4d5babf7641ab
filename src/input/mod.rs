//! Scenario files: CSV (also from standard input), TOML `[[scenario]]` tables or a JSON array,
//! chosen by extension. Every problem is reported with file, line (or record), column, the
//! value and what is accepted.

use std::collections::{BTreeMap, HashSet};

pub mod stream;

use crate::data::table::{Columns, Table};
use crate::engine::World;
use crate::error::{Error, Located, Result};
use crate::model::{END_USERS, END_USES, EndUse, EndUser, Scenario, TRANSACTIONS, Transaction};

/// The scenario contract's columns (DESIGN.md "Scenarios").
pub const SCENARIO_COLUMNS: [&str; 10] = [
    "id",
    "item",
    "destination",
    "end_user",
    "end_use",
    "exporter",
    "deemed",
    "us_content_pct",
    "us_origin_software",
    "transaction",
];
pub(crate) const REQUIRED: [&str; 3] = ["id", "item", "destination"];

/// Largest scenario file read whole (bytes).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// One raw record: where it came from and its cells by column.
#[derive(Debug)]
pub struct RawRecord {
    /// CSV line, or the 1-based record number for TOML/JSON.
    pub line: u64,
    pub cells: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Toml,
    Json,
}

impl Format {
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Format::Toml
        } else if lower.ends_with(".json") {
            Format::Json
        } else {
            Format::Csv
        }
    }
}

pub fn parse_records(file: &str, bytes: &[u8], format: Format) -> Result<Vec<RawRecord>> {
    match format {
        Format::Csv => {
            let table = Table::parse(
                file,
                bytes,
                &Columns {
                    required: &REQUIRED,
                    optional: &SCENARIO_COLUMNS[3..],
                    open: false,
                },
                Error::input,
            )?;
            Ok(table
                .rows
                .iter()
                .map(|row| RawRecord {
                    line: row.line,
                    cells: table
                        .headers
                        .iter()
                        .cloned()
                        .zip(row.fields.iter().cloned())
                        .collect(),
                })
                .collect())
        }
        Format::Toml => {
            let text = utf8(file, bytes)?;
            if nesting_depth(text) > 16 {
                return Err(Error::input(Located::new(
                    file,
                    "TOML nested too deeply for a scenario file",
                )));
            }
            let value: toml::Table = toml::from_str(text).map_err(|e| {
                let mut l = Located::new(
                    file,
                    format!("malformed TOML: {}", e.message().to_lowercase()),
                );
                if let Some(span) = e.span() {
                    l = l.line(1 + text[..span.start.min(text.len())].matches('\n').count() as u64);
                }
                Error::input(l)
            })?;
            for key in value.keys() {
                if key != "scenario" {
                    return Err(Error::input(
                        Located::new(file, "unknown top-level key")
                            .value(key.clone())
                            .accepted("`[[scenario]]` tables"),
                    ));
                }
            }
            let Some(list) = value.get("scenario") else {
                return Err(Error::input(
                    Located::new(file, "no scenarios").accepted("`[[scenario]]` tables"),
                ));
            };
            let Some(list) = list.as_array() else {
                return Err(Error::input(
                    Located::new(file, "`scenario` must be an array of tables")
                        .accepted("`[[scenario]]` tables"),
                ));
            };
            list.iter()
                .enumerate()
                .map(|(i, v)| {
                    let Some(t) = v.as_table() else {
                        return Err(Error::input(
                            Located::new(file, format!("scenario #{} is not a table", i + 1)),
                        ));
                    };
                    let mut cells = BTreeMap::new();
                    for (k, v) in t {
                        let s = match v {
                            toml::Value::String(s) => s.clone(),
                            toml::Value::Integer(n) => n.to_string(),
                            toml::Value::Float(f) => f.to_string(),
                            toml::Value::Boolean(b) => b.to_string(),
                            _ => {
                                return Err(Error::input(
                                    Located::new(file, format!("scenario #{}: value must be text, a number or a boolean", i + 1))
                                        .column(k.clone()),
                                ));
                            }
                        };
                        cells.insert(k.clone(), s);
                    }
                    Ok(RawRecord {
                        line: i as u64 + 1,
                        cells,
                    })
                })
                .collect()
        }
        Format::Json => {
            let text = utf8(file, bytes)?;
            let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
                Error::input(
                    Located::new(file, format!("malformed JSON: {e}").to_lowercase())
                        .line(e.line() as u64),
                )
            })?;
            let Some(list) = value.as_array() else {
                return Err(Error::input(Located::new(
                    file,
                    "expected a JSON array of scenario objects",
                )));
            };
            list.iter()
                .enumerate()
                .map(|(i, v)| {
                    let Some(obj) = v.as_object() else {
                        return Err(Error::input(
                            Located::new(file, format!("scenario #{} is not an object", i + 1)),
                        ));
                    };
                    let mut cells = BTreeMap::new();
                    for (k, v) in obj {
                        let s = match v {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Number(n) => n.to_string(),
                            serde_json::Value::Bool(b) => b.to_string(),
                            serde_json::Value::Null => String::new(),
                            _ => {
                                return Err(Error::input(
                                    Located::new(file, format!("scenario #{}: value must be text, a number or a boolean", i + 1))
                                        .column(k.clone()),
                                ));
                            }
                        };
                        cells.insert(k.clone(), s);
                    }
                    Ok(RawRecord {
                        line: i as u64 + 1,
                        cells,
                    })
                })
                .collect()
        }
    }
}

fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Error::input(Located::new(file, "not valid UTF-8 text").line(line))
    })?;
    Ok(text.trim_start_matches('\u{feff}'))
}

fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Resolves raw records into scenarios: every value checked, ids unique.
pub fn resolve(
    world: &World,
    file: &str,
    records: &[RawRecord],
    csv_lines: bool,
) -> Result<Vec<Scenario>> {
    if records.is_empty() {
        return Err(Error::input(
            Located::new(file, "no scenarios in the file").accepted("at least one scenario row"),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(records.len());
    for rec in records {
        let s = resolve_one(world, file, rec, csv_lines)?;
        if !seen.insert(s.id.clone()) {
            return Err(Error::input(
                at(file, rec, csv_lines, "id", "duplicate scenario id").value(s.id),
            ));
        }
        out.push(s);
    }
    Ok(out)
}

fn at(file: &str, rec: &RawRecord, csv_lines: bool, column: &str, message: &str) -> Located {
    if csv_lines {
        Located::new(file, message).line(rec.line).column(column)
    } else {
        Located::new(file, format!("scenario #{}: {message}", rec.line)).column(column)
    }
}

pub fn resolve_one(
    world: &World,
    file: &str,
    rec: &RawRecord,
    csv_lines: bool,
) -> Result<Scenario> {
    let err = |column: &str, message: &str| at(file, rec, csv_lines, column, message);
    for key in rec.cells.keys() {
        if !SCENARIO_COLUMNS.contains(&key.as_str()) {
            let mut e = err(key, "unknown column")
                .value(key.clone())
                .accepted(SCENARIO_COLUMNS.join(", "));
            if let Some(s) = crate::data::suggest(key, SCENARIO_COLUMNS.iter().copied()) {
                e = e.hint(format!("did you mean `{s}`?"));
            }
            return Err(Error::input(e));
        }
    }
    let cell = |c: &str| rec.cells.get(c).map(|s| s.trim()).unwrap_or("");
    for r in REQUIRED {
        if cell(r).is_empty() {
            return Err(Error::input(err(r, "required value is empty")));
        }
    }
    let id = cell("id").to_string();
    let item_text = cell("item");
    let Some(item) = world.catalogue.lookup(item_text) else {
        let mut e = err("item", "unknown item: no list has this code")
            .value(item_text)
            .accepted("a list code such as `4A005`, `5A001.j`, `5D001.a(5A001.j)`, `4.A.5`, `1-4.A.5`, `8A405`, or `unlisted-cyber-surveillance`, `unlisted`");
        if let Some(s) = world.catalogue.suggest(item_text) {
            e = e.hint(format!("did you mean `{s}`?"));
        }
        return Err(Error::input(e));
    };
    let dest_text = cell("destination");
    let Some(destination) = world.places.resolve(dest_text) else {
        let mut e = err("destination", "unknown country")
            .value(dest_text)
            .accepted("an ISO 3166-1 alpha-2 code (`DE`), an ISO 3166-2 code for regions the law treats apart (`UA-43`), or a country name or alias");
        if let Some(s) = world.places.suggest(dest_text) {
            e = e.hint(format!("did you mean `{s}`?"));
        }
        return Err(Error::input(e));
    };
    let word = |c: &str, default: &str| {
        let v = cell(c);
        if v.is_empty() {
            default.to_string()
        } else {
            v.to_ascii_lowercase()
        }
    };
    let end_user_text = word("end_user", "commercial");
    let Some(end_user) = EndUser::parse(&end_user_text) else {
        return Err(Error::input(
            err("end_user", "unknown end user")
                .value(cell("end_user"))
                .accepted(END_USERS.join(", ")),
        ));
    };
    let end_use_text = word("end_use", "unspecified");
    let Some(end_use) = EndUse::parse(&end_use_text) else {
        return Err(Error::input(
            err("end_use", "unknown end use")
                .value(cell("end_use"))
                .accepted(END_USES.join(", ")),
        ));
    };
    let tx_text = word("transaction", "export");
    let Some(transaction) = Transaction::parse(&tx_text) else {
        return Err(Error::input(
            err("transaction", "unknown transaction type")
                .value(cell("transaction"))
                .accepted(TRANSACTIONS.join(", ")),
        ));
    };
    let boolean = |c: &str| -> Result<bool> {
        match cell(c).to_ascii_lowercase().as_str() {
            "" | "false" => Ok(false),
            "true" => Ok(true),
            _ => Err(Error::input(
                err(c, "not a boolean")
                    .value(cell(c))
                    .accepted("true, false"),
            )),
        }
    };
    let deemed = boolean("deemed")?;
    let us_origin_software = boolean("us_origin_software")?;
    let pct_text = cell("us_content_pct");
    let us_content_pct = if pct_text.is_empty() {
        None
    } else {
        match pct_text.trim_end_matches('%').trim().parse::<f64>() {
            Ok(p) if (0.0..=100.0).contains(&p) => Some(p),
            _ => {
                return Err(Error::input(
                    err("us_content_pct", "not a percentage")
                        .value(pct_text)
                        .accepted("a number from 0 to 100"),
                ));
            }
        }
    };
    let exp_text = cell("exporter");
    let exporter = if exp_text.is_empty() {
        None
    } else {
        let code = world
            .places
            .resolve(exp_text)
            .map(|p| world.places.code(p).to_string());
        match code.as_deref().and_then(|c| world.jurisdiction(c)) {
            Some(j) => Some(j),
            None => {
                let modelled: Vec<&str> = world
                    .jurisdictions
                    .iter()
                    .map(|j| j.code.as_str())
                    .collect();
                return Err(Error::input(
                    err(
                        "exporter",
                        "exporter is not a jurisdiction the datasets model",
                    )
                    .value(exp_text)
                    .accepted(modelled.join(", ")),
                ));
            }
        }
    };
    Ok(Scenario {
        id,
        item,
        destination,
        end_user,
        end_use,
        exporter,
        deemed,
        us_content_pct,
        us_origin_software,
        transaction,
        line: rec.line,
    })
}
