//! Reading CSV with located errors: file, line, column, value. [`CsvStream`] reads one record
//! at a time (scenario files of any length); [`Table`] reads a whole dataset file.

use std::io::Read;

use crate::data::source::Source;
use crate::error::{Code, Diagnostics, Error, Located, Result};

/// Largest cell accepted, in bytes; longer cells are an error, not a memory hazard.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A CSV table read whole, with its header and the line number of every record.
#[derive(Debug)]
pub struct Table {
    /// The file, as named in messages.
    pub file: String,
    /// Column names as written (after trimming).
    pub headers: Vec<String>,
    /// The records, blank lines skipped.
    pub rows: Vec<Row>,
}

/// One CSV record.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The cells, trimmed.
    pub fields: Vec<String>,
}

/// How strictly the header is checked.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    /// Columns that must be present.
    pub required: &'a [&'a str],
    /// Columns that may be present.
    pub optional: &'a [&'a str],
    /// Extra columns are allowed (e.g. the group columns of a country-group table).
    pub open: bool,
    /// Header names match case-insensitively (scenario files); they are folded to lowercase.
    pub fold_case: bool,
}

impl<'a> Columns<'a> {
    /// Exactly these columns, case-sensitive (dataset files).
    pub const fn exact(required: &'a [&'a str], optional: &'a [&'a str]) -> Columns<'a> {
        Columns {
            required,
            optional,
            open: false,
            fold_case: false,
        }
    }
}

/// A CSV file read record by record: the header is checked on open, each record when read.
pub struct CsvStream<R: Read> {
    /// The file, as named in messages.
    pub file: String,
    /// Column names (folded to lowercase when the columns say so).
    pub headers: Vec<String>,
    /// Column names exactly as written in the file.
    pub raw_headers: Vec<String>,
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
    /// Opens a stream and checks the header. `rename` maps header names (after folding)
    /// to contract names before they are checked.
    pub fn new(
        file: &str,
        input: R,
        columns: &Columns<'_>,
        wrap: fn(Located) -> Error,
        crlf: bool,
        rename: &[(String, String)],
    ) -> Result<Self> {
        let at = |msg: &str| Located::new(file, msg).code(Code::Header);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut header = csv::ByteRecord::new();
        let empty = || {
            wrap(
                at("the file is empty: a header row is required").accepted(format!(
                    "a header with the columns {}",
                    columns.required.join(", ")
                )),
            )
        };
        match reader.read_byte_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(empty()),
            Err(e) => return Err(wrap(csv_error(file, &e))),
        }
        if header.len() == 1
            && header
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            return Err(empty());
        }
        let mut headers = Vec::with_capacity(header.len());
        let mut raw_headers = Vec::with_capacity(header.len());
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
            // A byte-order mark is accepted only at the very start of the file.
            let name = if i == 0 {
                name.strip_prefix('\u{feff}').unwrap_or(name)
            } else {
                name
            };
            let written = name.trim().to_string();
            if written
                .chars()
                .any(|c| c.is_control() || crate::error::is_invisible(c))
            {
                return Err(wrap(
                    at("a column name contains an invisible or control character")
                        .line(1)
                        .column(format!("#{}", i + 1))
                        .value(written),
                ));
            }
            let mut name = if columns.fold_case {
                written.to_lowercase()
            } else {
                written.clone()
            };
            if let Some((_, to)) = rename.iter().find(|(from, _)| {
                if columns.fold_case {
                    from.to_lowercase() == name
                } else {
                    *from == name
                }
            }) {
                name = to.clone();
            }
            if headers.contains(&name) {
                return Err(wrap(
                    at("duplicate column in the header")
                        .line(1)
                        .column(name.clone())
                        .value(written),
                ));
            }
            headers.push(name);
            raw_headers.push(written);
        }
        let known: Vec<&str> = columns
            .required
            .iter()
            .chain(columns.optional.iter())
            .copied()
            .collect();
        if !columns.open {
            for (h, raw) in headers.iter().zip(&raw_headers) {
                if !known.contains(&h.as_str()) {
                    let mut err = at("unknown column")
                        .line(1)
                        .column(raw.clone())
                        .value(raw.clone())
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
            raw_headers,
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
            if r.len() == 1
                && r.get(0)
                    .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue; // a blank line
            }
            return Some(self.check(self.line()));
        }
    }

    /// The next non-blank record as raw bytes, checked for field count only (the fast path
    /// of `evaluate`); the caller checks UTF-8 of the cells it uses.
    pub fn next_bytes(&mut self) -> Option<Result<(u64, &csv::ByteRecord)>> {
        let wrap = self.wrap;
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => return Some(Err(wrap(csv_error(&self.file, &e)))),
                Ok(true) => {}
            }
            let r = &self.record;
            if r.len() == 1
                && r.get(0)
                    .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            let line = self.line();
            if r.len() != self.headers.len() {
                return Some(Err(wrap(self.width_error(line))));
            }
            return Some(Ok((line, &self.record)));
        }
    }

    fn line(&self) -> u64 {
        self.record.position().map(|p| p.line()).unwrap_or(0) + u64::from(self.crlf)
    }

    fn width_error(&self, line: u64) -> Located {
        Located::new(
            &self.file,
            format!(
                "this row has {} fields but the header has {}",
                self.record.len(),
                self.headers.len()
            ),
        )
        .line(line)
        .code(Code::Syntax)
    }

    fn check(&self, line: u64) -> Result<Row> {
        let wrap = self.wrap;
        let r = &self.record;
        let at = |msg: &str| Located::new(&self.file, msg).line(line).code(Code::Syntax);
        if r.iter().any(|f| f.contains(&0)) {
            return Err(wrap(at(
                "the row contains a NUL byte: it looks binary, not CSV text",
            )));
        }
        if r.len() != self.headers.len() {
            return Err(wrap(self.width_error(line)));
        }
        let mut fields = Vec::with_capacity(r.len());
        for (i, raw) in r.iter().enumerate() {
            if raw.len() > MAX_FIELD_BYTES {
                return Err(wrap(
                    at(&format!("field longer than {MAX_FIELD_BYTES} bytes"))
                        .column(self.raw_headers[i].clone()),
                ));
            }
            let text = std::str::from_utf8(raw).map_err(|_| {
                wrap(
                    at("field is not valid UTF-8 text")
                        .column(self.raw_headers[i].clone())
                        .value(String::from_utf8_lossy(raw).into_owned()),
                )
            })?;
            if text.contains('\u{feff}') {
                return Err(wrap(
                    at("a byte-order mark (U+FEFF) inside the file: it is accepted only at the start")
                        .column(self.raw_headers[i].clone())
                        .value(text),
                ));
            }
            fields.push(text.trim().to_string());
        }
        Ok(Row { line, fields })
    }
}

impl Table {
    /// Reads dataset file `rel` of `source`; problems go to `diag`. `None` when the file is
    /// missing or its header is unusable; bad rows are reported and skipped.
    pub fn load(
        source: &Source,
        rel: &str,
        columns: &Columns<'_>,
        diag: &mut Diagnostics,
    ) -> Option<Table> {
        let bytes = diag.take(source.require(rel))?;
        Table::parse_collect(&source.display(rel), &bytes, columns, diag)
    }

    /// Parses CSV bytes, reporting bad rows to `diag` and keeping the good ones.
    pub fn parse_collect(
        file: &str,
        bytes: &[u8],
        columns: &Columns<'_>,
        diag: &mut Diagnostics,
    ) -> Option<Table> {
        let mut stream = diag.take(CsvStream::new(
            file,
            bytes,
            columns,
            Error::dataset,
            starts_crlf(bytes),
            &[],
        ))?;
        let mut rows = Vec::new();
        while let Some(row) = stream.next_row() {
            match row {
                Ok(r) => rows.push(r),
                Err(e) => {
                    let fatal =
                        matches!(&e, Error::Dataset(l) if l.message.starts_with("malformed"));
                    diag.absorb(e);
                    if fatal {
                        break;
                    }
                }
            }
        }
        Some(Table {
            file: file.to_string(),
            headers: stream.headers,
            rows,
        })
    }

    /// Parses CSV bytes; the first problem is the error. `wrap` decides whether problems are
    /// input or dataset errors.
    pub fn parse(
        file: &str,
        bytes: &[u8],
        columns: &Columns<'_>,
        wrap: fn(Located) -> Error,
    ) -> Result<Table> {
        let mut stream = CsvStream::new(file, bytes, columns, wrap, starts_crlf(bytes), &[])?;
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

    /// Position of `column` in the header.
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

    /// A located problem for a cell.
    pub fn err(&self, row: &Row, column: &str, code: Code, message: &str) -> Located {
        let value = self.get(row, column);
        let mut l = Located::new(&self.file, message)
            .line(row.line)
            .column(column)
            .code(code);
        if !value.is_empty() {
            l = l.value(value);
        }
        l
    }

    /// Every dataset row names its legal source, and it is an official one.
    pub fn cited(&self, row: &Row, diag: &mut Diagnostics) -> bool {
        let source = self.get(row, "source");
        if source.is_empty() {
            diag.push(self.err(
                row,
                "source",
                Code::Uncited,
                "every row must cite its legal source",
            ));
            return false;
        }
        if let Some(why) = crate::data::unofficial(source) {
            diag.push(self.err(row, "source", Code::UnofficialSource, why));
            return false;
        }
        true
    }
}

fn csv_error(file: &str, e: &csv::Error) -> Located {
    let mut located =
        Located::new(file, format!("malformed CSV: {}", describe_csv(e))).code(Code::Syntax);
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
