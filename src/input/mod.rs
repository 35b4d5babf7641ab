//! Scenario files: CSV (also from standard input), TOML `[[scenario]]` tables or a JSON array,
//! chosen by extension. Header names match case-insensitively after trimming; `--map` renames
//! columns; columns outside the contract are passed through to the output unless
//! `--strict-columns` is given. Every problem is reported with file, line (or record),
//! column, the value and what is accepted.

use std::collections::BTreeMap;

pub mod stream;

use crate::data::table::{Columns, Table};
use crate::engine::World;
use crate::error::{Error, Located, Result, is_invisible, printable};
use crate::model::{Currency, EndUse, EndUser, Exporter, Scenario, Transaction, Word};

/// The scenario contract's columns, in contract order.
pub const SCENARIO_COLUMNS: [&str; 13] = [
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
    "end_user_name",
    "value",
    "currency",
];
pub(crate) const REQUIRED: [&str; 3] = ["id", "item", "destination"];

/// Columns whose values are codes: invisible and control characters are refused there.
const CODE_COLUMNS: [&str; 7] = [
    "item",
    "destination",
    "exporter",
    "end_user",
    "end_use",
    "transaction",
    "currency",
];

/// Largest scenario file read whole (bytes).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// How the input is read: column names, ids, defaults.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Renames (`OLD`, `NEW`) applied to header names, case-insensitively.
    pub map: Vec<(String, String)>,
    /// Refuse columns outside the contract instead of passing them through.
    pub strict_columns: bool,
    /// Ids may repeat (the user named the id column or asked for line ids).
    pub repeat_ids: bool,
    /// Generate ids from line numbers (`line-12`) when the file has no id column.
    pub line_ids: bool,
    /// Currency of `value` for rows that give none.
    pub currency: Option<Currency>,
}

/// One raw record: where it came from, its contract cells by column, and the passed-through
/// cells in header order.
#[derive(Debug, Clone, Default)]
pub struct RawRecord {
    /// CSV line, or the 1-based record number for TOML/JSON.
    pub line: u64,
    /// Contract cells.
    pub cells: BTreeMap<String, String>,
    /// Cells of columns outside the contract, in the order of `Header::extra`.
    pub extra: Vec<String>,
}

/// The columns of a scenario file as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// Names of the passed-through columns, as written.
    pub extra: Vec<String>,
}

/// Scenario file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// TOML `[[scenario]]` tables.
    Toml,
    /// A JSON array of objects.
    Json,
}

impl Format {
    /// The format a path's extension names (CSV by default).
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

/// The contract name a header name maps to (after folding and `--map`).
pub(crate) fn header_name(name: &str, opts: &Options) -> String {
    let folded = name.trim().to_lowercase();
    for (from, to) in &opts.map {
        if from.trim().to_lowercase() == folded {
            return to.trim().to_lowercase();
        }
    }
    folded
}

/// Splits a document's keys into contract cells and passed-through cells.
fn split_cells(
    file: &str,
    index: usize,
    pairs: Vec<(String, String)>,
    header: &mut Header,
    opts: &Options,
) -> Result<RawRecord> {
    let mut rec = RawRecord {
        line: index as u64 + 1,
        ..RawRecord::default()
    };
    let mut extra: BTreeMap<usize, String> = BTreeMap::new();
    for (k, v) in pairs {
        let name = header_name(&k, opts);
        if SCENARIO_COLUMNS.contains(&name.as_str()) {
            if rec.cells.insert(name.clone(), v).is_some() {
                return Err(Error::input(
                    Located::new(file, format!("scenario #{}: column given twice", index + 1))
                        .column(name),
                ));
            }
        } else if opts.strict_columns {
            return Err(Error::input(unknown_column(
                Located::new(file, format!("scenario #{}: unknown column", index + 1)),
                &k,
            )));
        } else {
            let pos = match header.extra.iter().position(|h| *h == k) {
                Some(p) => p,
                None => {
                    header.extra.push(k.clone());
                    header.extra.len() - 1
                }
            };
            extra.insert(pos, v);
        }
    }
    rec.extra = (0..header.extra.len())
        .map(|i| extra.remove(&i).unwrap_or_default())
        .collect();
    Ok(rec)
}

pub(crate) fn unknown_column(l: Located, name: &str) -> Located {
    let mut e = l
        .column(name.to_string())
        .value(name.to_string())
        .accepted(format!(
            "{} (or drop --strict-columns to pass other columns through)",
            SCENARIO_COLUMNS.join(", ")
        ));
    if let Some(s) = crate::data::suggest(name, SCENARIO_COLUMNS.iter().copied()) {
        e = e.hint(format!("did you mean `{s}`? (or --map {name}={s})"));
    }
    e
}

/// Parses a whole document into raw records.
pub fn parse_records(file: &str, bytes: &[u8], format: Format) -> Result<Vec<RawRecord>> {
    parse_records_with(file, bytes, format, &Options::default()).map(|(r, _)| r)
}

/// Parses a whole document into raw records and the passed-through header.
pub fn parse_records_with(
    file: &str,
    bytes: &[u8],
    format: Format,
    opts: &Options,
) -> Result<(Vec<RawRecord>, Header)> {
    let mut header = Header::default();
    match format {
        Format::Csv => {
            let table = Table::parse(
                file,
                bytes,
                &Columns {
                    required: &[],
                    optional: &[],
                    open: true,
                    fold_case: false,
                },
                Error::input,
            )?;
            let mut names: Vec<String> = Vec::new();
            let mut extra_idx = Vec::new();
            for h in &table.headers {
                let n = header_name(h, opts);
                if SCENARIO_COLUMNS.contains(&n.as_str()) {
                    names.push(n);
                } else if opts.strict_columns {
                    return Err(Error::input(unknown_column(
                        Located::new(file, "unknown column").line(1),
                        h,
                    )));
                } else {
                    names.push(String::new());
                    extra_idx.push(header.extra.len());
                    header.extra.push(h.clone());
                }
            }
            check_required(file, &names, opts)?;
            let records = table
                .rows
                .iter()
                .map(|row| {
                    let mut rec = RawRecord {
                        line: row.line,
                        ..RawRecord::default()
                    };
                    for (n, v) in names.iter().zip(&row.fields) {
                        if n.is_empty() {
                            rec.extra.push(v.clone());
                        } else {
                            rec.cells.insert(n.clone(), v.clone());
                        }
                    }
                    rec
                })
                .collect();
            Ok((records, header))
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
            let Some(list) = value.get("scenario").and_then(|v| v.as_array()) else {
                return Err(Error::input(
                    Located::new(file, "no scenarios").accepted("`[[scenario]]` tables"),
                ));
            };
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let Some(t) = v.as_table() else {
                    return Err(Error::input(Located::new(
                        file,
                        format!("scenario #{} is not a table", i + 1),
                    )));
                };
                let mut pairs = Vec::new();
                for (k, v) in t {
                    let s = match v {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(n) => n.to_string(),
                        toml::Value::Float(f) => f.to_string(),
                        toml::Value::Boolean(b) => b.to_string(),
                        _ => {
                            return Err(Error::input(
                                Located::new(
                                    file,
                                    format!(
                                        "scenario #{}: value must be text, a number or a boolean",
                                        i + 1
                                    ),
                                )
                                .column(k.clone()),
                            ));
                        }
                    };
                    pairs.push((k.clone(), s));
                }
                out.push(split_cells(file, i, pairs, &mut header, opts)?);
            }
            pad(&mut out, &header);
            Ok((out, header))
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
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let Some(obj) = v.as_object() else {
                    return Err(Error::input(Located::new(
                        file,
                        format!("scenario #{} is not an object", i + 1),
                    )));
                };
                let mut pairs = Vec::new();
                for (k, v) in obj {
                    let s = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(n) => n.to_string(),
                        serde_json::Value::Bool(b) => b.to_string(),
                        serde_json::Value::Null => String::new(),
                        _ => {
                            return Err(Error::input(
                                Located::new(
                                    file,
                                    format!(
                                        "scenario #{}: value must be text, a number or a boolean",
                                        i + 1
                                    ),
                                )
                                .column(k.clone()),
                            ));
                        }
                    };
                    pairs.push((k.clone(), s));
                }
                out.push(split_cells(file, i, pairs, &mut header, opts)?);
            }
            pad(&mut out, &header);
            Ok((out, header))
        }
    }
}

fn pad(records: &mut [RawRecord], header: &Header) {
    for r in records {
        r.extra.resize(header.extra.len(), String::new());
    }
}

/// The required columns must be present (the id only when ids are not generated).
pub(crate) fn check_required(file: &str, names: &[String], opts: &Options) -> Result<()> {
    for r in REQUIRED {
        if r == "id" && opts.line_ids {
            continue;
        }
        if !names.iter().any(|n| n == r) {
            return Err(Error::input(
                Located::new(file, "missing required column")
                    .line(1)
                    .column(r)
                    .accepted(format!("required columns: {} (names match case-insensitively; rename with --map OLD=NEW)", REQUIRED.join(", "))),
            ));
        }
    }
    Ok(())
}

fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Error::input(Located::new(file, "not valid UTF-8 text").line(line))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(pos) = text.find('\u{feff}') {
        let line = 1 + text[..pos].matches('\n').count() as u64;
        return Err(Error::input(
            Located::new(
                file,
                "a byte-order mark (U+FEFF) inside the file: it is accepted only at the start",
            )
            .line(line),
        ));
    }
    Ok(text)
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
    let opts = Options::default();
    if records.is_empty() {
        return Err(Error::input(
            Located::new(file, "no scenarios in the file").accepted("at least one scenario row"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(records.len());
    for rec in records {
        let s = resolve_one(world, file, rec, csv_lines, &opts)?;
        if !seen.insert(s.id.clone()) {
            return Err(Error::input(duplicate(file, rec, csv_lines, &s.id)));
        }
        out.push(s);
    }
    Ok(out)
}

/// The error for a repeated id, with the ways to allow it.
pub fn duplicate(file: &str, rec: &RawRecord, csv_lines: bool, id: &str) -> Located {
    at(file, rec, csv_lines, "id", "duplicate scenario id")
        .value(id)
        .hint("ids must be unique; if several rows belong to one order, say so with --id-column COLUMN (ids may repeat) or --line-ids (ids from line numbers)")
}

fn at(file: &str, rec: &RawRecord, csv_lines: bool, column: &str, message: &str) -> Located {
    if csv_lines {
        Located::new(file, message).line(rec.line).column(column)
    } else {
        Located::new(file, format!("scenario #{}: {message}", rec.line)).column(column)
    }
}

/// The first invisible or control character of `text`, if any.
fn hidden_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| (c.is_control() && c != '\t') || is_invisible(c))
}

/// Resolves one record.
pub fn resolve_one(
    world: &World,
    file: &str,
    rec: &RawRecord,
    csv_lines: bool,
    opts: &Options,
) -> Result<Scenario> {
    let err = |column: &str, message: &str| at(file, rec, csv_lines, column, message);
    let cell = |c: &str| rec.cells.get(c).map(|s| s.trim()).unwrap_or("");
    for c in CODE_COLUMNS {
        if let Some(ch) = hidden_char(cell(c)) {
            return Err(Error::input(
                err(c, &format!("the value contains the invisible or control character U+{:04X}, which would make it read differently from how it displays", ch as u32))
                    .value(printable(cell(c)))
                    .hint("retype the value without hidden characters"),
            ));
        }
    }
    for r in REQUIRED {
        if r == "id" && opts.line_ids {
            continue;
        }
        if cell(r).is_empty() {
            return Err(Error::input(err(r, "required value is empty")));
        }
    }
    let id = if opts.line_ids && cell("id").is_empty() {
        format!("line-{}", rec.line)
    } else {
        cell("id").to_string()
    };
    let item_text = cell("item");
    let Some(item) = world.catalogue().lookup(item_text) else {
        let mut e = err("item", "unknown item: no list has this code").value(item_text).accepted(
            "a list code such as `4A005`, `5A001.j`, `5D001.a(5A001.j)`, `4.A.5`, `1-4.A.5`, `8A405`, national codes such as `5A980`, or `EAR99`/`unlisted`, `unlisted-cyber-surveillance`",
        );
        if let Some(s) = world.catalogue().suggest(item_text) {
            e = e.hint(format!("did you mean `{s}`?"));
        }
        return Err(Error::input(e));
    };
    let dest_text = cell("destination");
    let Some(destination) = world.places().resolve(dest_text) else {
        let mut e = err("destination", "unknown country").value(dest_text).accepted(
            "an ISO 3166-1 alpha-2 or alpha-3 code (`DE`, `DEU`), an ISO 3166-2 code for regions the law treats apart (`UA-43`), or a country name or alias",
        );
        if let Some(s) = world.places().suggest(dest_text) {
            e = e.hint(format!("did you mean `{s}`?"));
        }
        return Err(Error::input(e));
    };
    let end_user = word::<EndUser>(cell("end_user"), EndUser::Commercial).ok_or_else(|| {
        Error::input(
            err("end_user", "unknown end user")
                .value(cell("end_user"))
                .accepted(<EndUser as Word>::accepted()),
        )
    })?;
    let end_use = word::<EndUse>(cell("end_use"), EndUse::Unspecified).ok_or_else(|| {
        Error::input(
            err("end_use", "unknown end use")
                .value(cell("end_use"))
                .accepted(<EndUse as Word>::accepted()),
        )
    })?;
    let transaction =
        word::<Transaction>(cell("transaction"), Transaction::Export).ok_or_else(|| {
            Error::input(
                err("transaction", "unknown transaction type")
                    .value(cell("transaction"))
                    .accepted(<Transaction as Word>::accepted()),
            )
        })?;
    let boolean = |c: &str| -> Result<bool> {
        match cell(c).to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "0" => Ok(false),
            "true" | "yes" | "1" => Ok(true),
            _ => Err(Error::input(
                err(c, "not a boolean")
                    .value(cell(c))
                    .accepted("true, false (also yes/no, 1/0)"),
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
    let value_text = cell("value");
    let value = if value_text.is_empty() {
        None
    } else {
        match value_text.replace([',', '_', ' '], "").parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => Some(v),
            _ => {
                return Err(Error::input(
                    err("value", "not an amount")
                        .value(value_text)
                        .accepted("a number at least 0, e.g. `4500` or `4,500.00`"),
                ));
            }
        }
    };
    let currency_text = cell("currency");
    let currency = if currency_text.is_empty() {
        opts.currency
    } else {
        match Currency::parse(&currency_text.to_ascii_uppercase()) {
            Some(c) => Some(c),
            None => {
                return Err(Error::input(
                    err("currency", "unknown currency")
                        .value(currency_text)
                        .accepted(<Currency as Word>::accepted()),
                ));
            }
        }
    };
    let exp_text = cell("exporter");
    let exporter = if exp_text.is_empty() {
        None
    } else {
        match world.places().resolve(exp_text) {
            Some(place) => Some(Exporter {
                place,
                jurisdiction: world.jurisdiction(world.places().code(place)),
            }),
            None => {
                let mut e = err("exporter", "unknown place")
                    .value(exp_text)
                    .accepted("an ISO 3166-1 code or a country name");
                if let Some(s) = world.places().suggest(exp_text) {
                    e = e.hint(format!("did you mean `{s}`?"));
                }
                return Err(Error::input(e));
            }
        }
    };
    let name = rec
        .cells
        .get("end_user_name")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let hits = match name.as_deref() {
        Some(n) => world.screen(n)?,
        None => Vec::new(),
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
        end_user_name: name,
        value,
        currency,
        hits,
        line: rec.line,
    })
}

/// A vocabulary word, case-insensitive; the default when empty.
fn word<W: Word>(text: &str, default: W) -> Option<W> {
    if text.is_empty() {
        return Some(default);
    }
    W::parse(&text.to_ascii_lowercase())
}
