//! Scenario files read one record at a time, so a file of any length is evaluated in bounded
//! memory. Standard input is first copied to a temporary file, so it can be read twice (once to
//! check every row, once to evaluate).

use std::collections::HashSet;
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufReader, Read};
use std::path::PathBuf;

use crate::data::table::{Columns, CsvStream};
use crate::error::{Error, Located, Result};
use crate::input::{
    Format, Header, MAX_INPUT_BYTES, Options, RawRecord, SCENARIO_COLUMNS, check_required,
    header_name, parse_records_with, unknown_column,
};

/// Largest TOML or JSON scenario file (they are parsed whole); use CSV for more.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Where scenarios come from: a path, or standard input spooled to a temporary file.
pub struct Input {
    /// The name used in messages.
    pub name: String,
    /// The format.
    pub format: Format,
    /// How to read it.
    pub options: Options,
    path: PathBuf,
    _spool: Option<tempfile::NamedTempFile>,
}

impl Input {
    /// Opens `arg` (`-` = standard input, read as CSV).
    pub fn open(arg: &str, options: Options) -> Result<Input> {
        let format = Format::from_path(arg);
        if arg == "-" {
            let mut spool = tempfile::NamedTempFile::new()
                .map_err(|e| Error::io("create", &std::env::temp_dir(), e))?;
            let copied = std::io::copy(
                &mut std::io::stdin().lock().take(MAX_INPUT_BYTES + 1),
                spool.as_file_mut(),
            )
            .map_err(|e| Error::io("read", std::path::Path::new("<stdin>"), e))?;
            if copied > MAX_INPUT_BYTES {
                return Err(Error::input(Located::new(
                    "<stdin>",
                    format!("input larger than {MAX_INPUT_BYTES} bytes"),
                )));
            }
            return Ok(Input {
                name: "<stdin>".into(),
                format: Format::Csv,
                options,
                path: spool.path().to_path_buf(),
                _spool: Some(spool),
            });
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|e| Error::io("read", &path, e))?;
        if meta.is_dir() {
            return Err(Error::input(Located::new(
                arg,
                "is a folder, not a scenario file",
            )));
        }
        if format != Format::Csv && meta.len() > MAX_DOCUMENT_BYTES {
            return Err(Error::input(Located::new(
                arg,
                format!(
                    "TOML and JSON scenario files are limited to {MAX_DOCUMENT_BYTES} bytes; use CSV for larger batches"
                ),
            )));
        }
        Ok(Input {
            name: arg.to_string(),
            format,
            options,
            path,
            _spool: None,
        })
    }

    /// Size of the file in bytes (for progress).
    pub fn len(&self) -> u64 {
        std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A fresh reader over the records, with the passed-through header.
    pub fn records(&self) -> Result<(Records, Header)> {
        let mut file = File::open(&self.path).map_err(|e| Error::io("read", &self.path, e))?;
        match self.format {
            Format::Csv => {
                let mut prefix = vec![0u8; 1 << 16];
                let n = read_prefix(&mut file, &mut prefix)
                    .map_err(|e| Error::io("read", &self.path, e))?;
                let crlf = crate::data::table::starts_crlf(&prefix[..n]);
                let file = File::open(&self.path).map_err(|e| Error::io("read", &self.path, e))?;
                let columns = Columns {
                    required: &[],
                    optional: &[],
                    open: true,
                    fold_case: false,
                };
                let stream = CsvStream::new(
                    &self.name,
                    BufReader::with_capacity(1 << 16, file),
                    &columns,
                    Error::input,
                    crlf,
                    &[],
                )?;
                let mut names = Vec::new();
                let mut header = Header::default();
                for raw in &stream.headers {
                    let n = header_name(raw, &self.options);
                    if SCENARIO_COLUMNS.contains(&n.as_str()) {
                        if names.contains(&n) {
                            return Err(Error::input(
                                Located::new(&self.name, "two columns name the same contract column (after folding case and --map)")
                                    .line(1)
                                    .column(raw.clone())
                                    .value(n),
                            ));
                        }
                        names.push(n);
                    } else if self.options.strict_columns {
                        return Err(Error::input(unknown_column(
                            Located::new(&self.name, "unknown column").line(1),
                            raw,
                        )));
                    } else {
                        names.push(String::new());
                        header.extra.push(raw.clone());
                    }
                }
                check_required(&self.name, &names, &self.options)?;
                Ok((Records::Csv(Box::new(stream), names), header))
            }
            _ => {
                let mut bytes = Vec::new();
                file.take(MAX_DOCUMENT_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io("read", &self.path, e))?;
                let (records, header) =
                    parse_records_with(&self.name, &bytes, self.format, &self.options)?;
                Ok((Records::Whole(records.into_iter()), header))
            }
        }
    }

    /// Whether records are numbered by CSV line.
    pub fn csv_lines(&self) -> bool {
        self.format == Format::Csv
    }
}

/// Records of a scenario file.
pub enum Records {
    /// Streamed CSV, with the contract name of each column (empty = passed through).
    Csv(Box<CsvStream<BufReader<File>>>, Vec<String>),
    /// A parsed document.
    Whole(std::vec::IntoIter<RawRecord>),
}

impl Iterator for Records {
    type Item = Result<RawRecord>;

    fn next(&mut self) -> Option<Result<RawRecord>> {
        match self {
            Records::Whole(it) => it.next().map(Ok),
            Records::Csv(s, names) => s.next_row().map(|r| {
                r.map(|row| {
                    let mut rec = RawRecord {
                        line: row.line,
                        ..RawRecord::default()
                    };
                    for (n, v) in names.iter().zip(row.fields) {
                        if n.is_empty() {
                            rec.extra.push(v);
                        } else {
                            rec.cells.insert(n.clone(), v);
                        }
                    }
                    rec
                })
            }),
        }
    }
}

/// Detects repeated scenario ids in bounded memory: 8 bytes per id (a 64-bit hash; a false
/// "duplicate" needs a hash collision, odds about n²/2⁶⁵).
#[derive(Default)]
pub struct IdSet(HashSet<u64>);

impl IdSet {
    /// `false` when the id was seen before.
    pub fn insert(&mut self, id: &str) -> bool {
        let mut h = DefaultHasher::new();
        id.hash(&mut h);
        self.0.insert(h.finish())
    }
}

fn read_prefix(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
