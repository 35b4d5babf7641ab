//! Reading CSV tables with located errors: file, line, column, value. `CsvStream` reads one
//! record at a time (scenario files of any length); `Table` reads a whole dataset file.

use std::io::Read;
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

/// A CSV file read record by record: the header is checked on open, each record when read.
pub struct CsvStream<R: Read> {
    pub file: String,
    pub headers: Vec<String>,
    reader: csv::Reader<R>,
    record: csv::ByteRecord,
    wrap: fn(Located) -> Error,
    /// The csv reader counts lines one short after a CRLF header; corrected here.
    crlf: bool,
}

/// Whether the text's first line ends with CRLF (judged from a prefix of the file).
pub fn starts_crlf(prefix: &[u8]) -> bool {
    prefix
        .iter()
        .position(|&b| b == b'\n')
        .is_some_and(|i| i > 0 && prefix[i - 1] == b'\r')
}

impl<R: Read> CsvStream<R> {
    pub fn new(
        file: &str,
        input: R,
        columns: &Columns<'_>,
        wrap: fn(Located) -> Error,
        crlf: bool,
    ) -> Result<Self> {
        let at = |msg: &str| Located::new(file, msg);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut header = csv::ByteRecord::new();
        match reader.read_byte_record(&mut header) {
            Ok(true) => {}
            Ok(false) => {
                return Err(wrap(
                    at("the file is empty: a header row is required").accepted(format!(
                        "a header with the columns {}",
                        columns.required.join(", ")
                    )),
                ));
            }
            Err(e) => return Err(wrap(csv_error(file, &e))),
        }
        if header.len() == 1
            && header
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            return Err(wrap(
                at("the file is empty: a header row is required")
                    .line(1)
                    .accepted(format!(
                        "a header with the columns {}",
                        columns.required.join(", ")
                    )),
            ));
        }
        let mut headers = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            if raw.contains(&0) {
                return Err(wrap(
                    at("the file contains a NUL byte: it looks binary, not CSV text").line(1),
                ));
            }
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
        Ok(CsvStream {
            file: file.to_string(),
            headers,
            reader,
            record: csv::ByteRecord::new(),
            wrap,
            crlf,
        })
    }

    /// The next non-blank record, checked: field count, UTF-8, NUL bytes, field size.
    pub fn next_row(&mut self) -> Option<Result<Row>> {
        let wrap = self.wrap;
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => return Some(Err(wrap(csv_error(&self.file, &e)))),
                Ok(true) => {}
            }
            let r = &self.record;
            let line = r.position().map(|p| p.line()).unwrap_or(0) + u64::from(self.crlf);
            if r.len() == 1
                && r.get(0)
                    .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue; // a blank line
            }
            return Some(self.check(line));
        }
    }

    fn check(&self, line: u64) -> Result<Row> {
        let wrap = self.wrap;
        let r = &self.record;
        let at = |msg: &str| Located::new(&self.file, msg).line(line);
        if r.iter().any(|f| f.contains(&0)) {
            return Err(wrap(at(
                "the row contains a NUL byte: it looks binary, not CSV text",
            )));
        }
        if r.len() != self.headers.len() {
            return Err(wrap(at(&format!(
                "this row has {} fields but the header has {}",
                r.len(),
                self.headers.len()
            ))));
        }
        let mut fields = Vec::with_capacity(r.len());
        for (i, raw) in r.iter().enumerate() {
            if raw.len() > MAX_FIELD_BYTES {
                return Err(wrap(
                    at(&format!("field longer than {MAX_FIELD_BYTES} bytes"))
                        .column(self.headers[i].clone()),
                ));
            }
            let text = std::str::from_utf8(raw).map_err(|_| {
                wrap(
                    at("field is not valid UTF-8 text")
                        .column(self.headers[i].clone())
                        .value(String::from_utf8_lossy(raw).into_owned()),
                )
            })?;
            fields.push(text.trim().to_string());
        }
        Ok(Row { line, fields })
    }
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
        let mut stream = CsvStream::new(file, bytes, columns, wrap, starts_crlf(bytes))?;
        let mut rows = Vec::new();
        while let Some(row) = stream.next_row() {
            rows.push(row?);
        }
        Ok(Table {
            file: file.to_string(),
            headers: stream.headers,
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

    /// Every dataset row names its legal source.
    pub fn cited(&self, row: &Row) -> Result<()> {
        if self.get(row, "source").is_empty() {
            return Err(Error::dataset(self.err(
                row,
                "source",
                "every row must cite its source",
            )));
        }
        Ok(())
    }

    /// The cell must be a code of `countries.csv`.
    pub fn known_place(
        &self,
        row: &Row,
        column: &str,
        places: &crate::data::places::Places,
    ) -> Result<()> {
        if places.by_code(self.get(row, column)).is_none() {
            return Err(Error::dataset(self.err(
                row,
                column,
                "unknown country code",
            )));
        }
        Ok(())
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
        } => {
            format!("row has {len} fields, expected {expected_len}")
        }
        _ => e.to_string().to_lowercase(),
    }
}

/// Splits a `;`-separated list cell, dropping empty parts.
pub fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}
