//! Reading CSV tables with located errors: file, line, column, value.

use std::path::Path;

use crate::error::{Error, Located, Result};

/// Largest cell accepted, in bytes; longer cells are an error, not a memory hazard.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A CSV table read whole, with its header and the line number of every record.
#[derive(Debug)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

/// How strictly the header is checked.
pub struct Columns<'a> {
    pub required: &'a [&'a str],
    pub optional: &'a [&'a str],
    /// Extra columns are allowed (e.g. the group columns of a country-group table).
    pub open: bool,
}

impl Table {
    pub fn read_path(path: &Path, columns: &Columns<'_>) -> Result<Table> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        Table::parse(&path.display().to_string(), &bytes, columns, Error::dataset)
    }

    /// Parses CSV bytes. `wrap` decides whether problems are input or dataset errors.
    pub fn parse(
        file: &str,
        bytes: &[u8],
        columns: &Columns<'_>,
        wrap: fn(Located) -> Error,
    ) -> Result<Table> {
        let at = |msg: &str| Located::new(file, msg);
        if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(wrap(
                at("the file is empty: a header row is required").accepted(format!(
                    "a header with the columns {}",
                    columns.required.join(", ")
                )),
            ));
        }
        if bytes.contains(&0) {
            let line = 1 + bytes
                .iter()
                .position(|&b| b == 0)
                .map(|p| bytes[..p].iter().filter(|&&b| b == b'\n').count())
                .unwrap_or(0) as u64;
            return Err(wrap(
                at("the file contains a NUL byte: it looks binary, not CSV text").line(line),
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut records = reader.byte_records();
        let header = match records.next() {
            Some(Ok(h)) => h,
            Some(Err(e)) => return Err(wrap(csv_error(file, &e))),
            None => return Err(wrap(at("the file is empty: a header row is required"))),
        };
        let mut headers = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            let name = std::str::from_utf8(raw).map_err(|_| {
                wrap(
                    at("the header is not valid UTF-8")
                        .line(1)
                        .column(format!("#{}", i + 1)),
                )
            })?;
            let name = name.trim_start_matches('\u{feff}').trim().to_string();
            if headers.contains(&name) {
                return Err(wrap(
                    at("duplicate column in the header")
                        .line(1)
                        .column(name.clone())
                        .value(name),
                ));
            }
            headers.push(name);
        }
        let known: Vec<&str> = columns
            .required
            .iter()
            .chain(columns.optional.iter())
            .copied()
            .collect();
        if !columns.open {
            for h in &headers {
                if !known.contains(&h.as_str()) {
                    let mut err = at("unknown column")
                        .line(1)
                        .column(h.clone())
                        .value(h.clone())
                        .accepted(known.join(", "));
                    if let Some(best) = crate::data::suggest(h, known.iter().copied()) {
                        err = err.hint(format!("did you mean `{best}`?"));
                    }
                    return Err(wrap(err));
                }
            }
        }
        for r in columns.required {
            if !headers.iter().any(|h| h == r) {
                return Err(wrap(
                    at("missing required column")
                        .line(1)
                        .column(*r)
                        .accepted(format!("required columns: {}", columns.required.join(", "))),
                ));
            }
        }
        let mut rows = Vec::new();
        for record in records {
            let record = record.map_err(|e| wrap(csv_error(file, &e)))?;
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty()) {
                continue; // a blank line
            }
            if record.len() != headers.len() {
                return Err(wrap(
                    at(&format!(
                        "this row has {} fields but the header has {}",
                        record.len(),
                        headers.len()
                    ))
                    .line(line),
                ));
            }
            let mut fields = Vec::with_capacity(record.len());
            for (i, raw) in record.iter().enumerate() {
                if raw.len() > MAX_FIELD_BYTES {
                    return Err(wrap(
                        at(&format!("field longer than {MAX_FIELD_BYTES} bytes"))
                            .line(line)
                            .column(headers[i].clone()),
                    ));
                }
                let text = std::str::from_utf8(raw).map_err(|_| {
                    wrap(
                        at("field is not valid UTF-8 text")
                            .line(line)
                            .column(headers[i].clone())
                            .value(String::from_utf8_lossy(raw).into_owned()),
                    )
                })?;
                fields.push(text.trim().to_string());
            }
            rows.push(Row { line, fields });
        }
        Ok(Table {
            file: file.to_string(),
            headers,
            rows,
        })
    }

    pub fn index(&self, column: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == column)
    }

    /// The cell of `row` in `column`, or "" when the column is absent.
    pub fn get<'a>(&self, row: &'a Row, column: &str) -> &'a str {
        self.index(column)
            .and_then(|i| row.fields.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// A located error for a cell.
    pub fn err(&self, row: &Row, column: &str, message: &str) -> Located {
        Located::new(&self.file, message)
            .line(row.line)
            .column(column)
            .value(self.get(row, column))
    }
}

fn csv_error(file: &str, e: &csv::Error) -> Located {
    let mut located = Located::new(file, format!("malformed CSV: {}", describe_csv(e)));
    if let Some(pos) = e.position() {
        located = located.line(pos.line());
    }
    located
}

fn describe_csv(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} fields, expected {expected_len}"),
        _ => e.to_string().to_lowercase(),
    }
}

/// Splits a `;`-separated list cell, dropping empty parts.
pub fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}
