//! Streaming writer for `evaluate` rows: CSV, JSON, JSON Lines and Parquet as they come; the
//! aligned table (for people) is laid out at the end. Columns: the contract columns, the
//! appended ones, passed-through input columns, then `error` (with `--keep-going`);
//! `--columns` selects and orders them.

use std::io::Write;
use std::path::Path;

use crate::engine::{COLUMNS, Rendered};
use crate::error::{Error, Result};
use crate::output::provenance::Provenance;
use crate::output::{OutputFormat, Target, explanation, neutralise};

/// One output row: a determination, or (with `--keep-going`) a scenario that could not be read.
pub enum OutRow {
    /// A determination, with the passed-through cells of its scenario.
    Ok(Box<Rendered>, Vec<String>),
    /// A bad scenario.
    Bad {
        /// Its id, where readable.
        scenario_id: String,
        /// The problem.
        error: String,
        /// Passed-through cells.
        extra: Vec<String>,
    },
}

/// A column of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// A determination column (`COLUMNS` index).
    Contract(usize),
    /// A passed-through input column.
    Extra(usize),
    /// The `error` column.
    Error,
}

/// The output columns: by default every contract column, the passed-through ones and
/// `error`; `selected` (`--columns`) picks and orders them.
pub fn columns(
    extra: &[String],
    errors: bool,
    selected: Option<&[String]>,
) -> Result<(Vec<Col>, Vec<String>)> {
    let all_names = || {
        let mut v: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        v.extend(extra.iter().cloned());
        if errors {
            v.push("error".into());
        }
        v
    };
    let lookup = |name: &str| -> Option<Col> {
        if let Some(i) = COLUMNS.iter().position(|c| *c == name) {
            return Some(Col::Contract(i));
        }
        if let Some(i) = extra
            .iter()
            .position(|c| c == name || c.to_lowercase() == name.to_lowercase())
        {
            return Some(Col::Extra(i));
        }
        (name == "error" && errors).then_some(Col::Error)
    };
    match selected {
        None => {
            let names = all_names();
            let cols = names.iter().filter_map(|n| lookup(n)).collect();
            Ok((cols, names))
        }
        Some(sel) => {
            let mut cols = Vec::new();
            let mut names = Vec::new();
            for s in sel {
                match lookup(s) {
                    Some(c) if !cols.contains(&c) => {
                        cols.push(c);
                        names.push(s.clone());
                    }
                    Some(_) => {}
                    None => {
                        return Err(Error::flag(
                            "--columns",
                            s,
                            "not an output column",
                            &all_names().join(", "),
                        ));
                    }
                }
            }
            if cols.is_empty() {
                return Err(Error::Usage("--columns: empty list".into()));
            }
            Ok((cols, names))
        }
    }
}

/// Writes rows as they come.
pub struct RowSink {
    format: OutputFormat,
    target: Option<Target>,
    cols: Vec<Col>,
    names: Vec<String>,
    explain: bool,
    rows_written: u64,
    header_written: bool,
    table: Vec<Vec<String>>,
    table_explain: Vec<String>,
    #[cfg(feature = "polars")]
    parquet: Option<crate::output::matrix::parquet::Batched>,
    provenance: Provenance,
}

fn out_err(format: &'static str) -> impl Fn(String) -> Error {
    move |message| Error::Output { format, message }
}

impl RowSink {
    /// Opens the sink.
    pub fn open(
        format: OutputFormat,
        path: Option<&Path>,
        cols: Vec<Col>,
        names: Vec<String>,
        explain: bool,
        provenance: Provenance,
    ) -> Result<RowSink> {
        Ok(RowSink {
            format,
            target: Some(Target::open(path)?),
            cols,
            names,
            explain,
            rows_written: 0,
            header_written: false,
            table: Vec::new(),
            table_explain: Vec::new(),
            #[cfg(feature = "polars")]
            parquet: None,
            provenance,
        })
    }

    fn cell<'a>(row: &'a OutRow, c: Col) -> &'a str {
        match (row, c) {
            (OutRow::Ok(r, _), Col::Contract(i)) => r.fields()[i],
            (OutRow::Ok(_, extra), Col::Extra(i)) => extra.get(i).map(String::as_str).unwrap_or(""),
            (OutRow::Ok(..), Col::Error) => "",
            (OutRow::Bad { scenario_id, .. }, Col::Contract(0)) => scenario_id,
            (OutRow::Bad { .. }, Col::Contract(_)) => "",
            (OutRow::Bad { extra, .. }, Col::Extra(i)) => {
                extra.get(i).map(String::as_str).unwrap_or("")
            }
            (OutRow::Bad { error, .. }, Col::Error) => error,
        }
    }

    /// Writes a chunk of rows.
    pub fn write(&mut self, rows: Vec<OutRow>) -> Result<()> {
        if self.explain && self.format != OutputFormat::Table {
            let mut err = std::io::stderr().lock();
            for r in &rows {
                if let OutRow::Ok(r, _) = r {
                    let _ = writeln!(
                        err,
                        "{} {} {}: {}",
                        r.scenario_id, r.jurisdiction, r.item, r.outcome
                    );
                    let _ = write!(
                        err,
                        "{}",
                        explanation(&r.reasons, &r.conditions, &r.citations, &r.us_reasons)
                    );
                }
            }
        }
        match self.format {
            OutputFormat::Table => {
                for r in &rows {
                    self.table.push(
                        self.cols
                            .iter()
                            .map(|&c| Self::cell(r, c).to_string())
                            .collect(),
                    );
                    self.table_explain.push(match r {
                        OutRow::Ok(x, _) if self.explain => {
                            explanation(&x.reasons, &x.conditions, &x.citations, &x.us_reasons)
                        }
                        OutRow::Bad { error, .. } => format!("    error        {error}\n"),
                        _ => String::new(),
                    });
                }
                Ok(())
            }
            #[cfg(feature = "polars")]
            OutputFormat::Parquet => self.write_parquet(&rows),
            OutputFormat::Csv => self.write_csv(&rows),
            OutputFormat::Json | OutputFormat::Jsonl => self.write_json(&rows),
        }
    }

    fn out(&mut self) -> Result<&mut Box<dyn Write + Send>> {
        match self.target.as_mut() {
            Some(t) => Ok(&mut t.out),
            None => Err(Error::Output {
                format: "output",
                message: "already finished".into(),
            }),
        }
    }

    fn write_csv(&mut self, rows: &[OutRow]) -> Result<()> {
        let e = out_err("csv");
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(1 << 16));
        if !self.header_written {
            w.write_record(&self.names).map_err(|x| e(x.to_string()))?;
            self.header_written = true;
        }
        for r in rows {
            w.write_record(
                self.cols
                    .iter()
                    .map(|&c| neutralise(Self::cell(r, c)).into_owned()),
            )
            .map_err(|x| e(x.to_string()))?;
            self.rows_written += 1;
        }
        let buf = w.into_inner().map_err(|x| e(x.to_string()))?;
        self.out()?.write_all(&buf).map_err(|x| e(x.to_string()))
    }

    fn object(&self, r: &OutRow) -> serde_json::Map<String, serde_json::Value> {
        self.cols
            .iter()
            .zip(&self.names)
            .map(|(&c, name)| {
                let v = Self::cell(r, c);
                let value = match c {
                    Col::Contract(14) => match v {
                        "true" => serde_json::Value::Bool(true),
                        "false" => serde_json::Value::Bool(false),
                        _ => serde_json::Value::Null,
                    },
                    _ => serde_json::Value::String(crate::output::escape_hidden(v).into_owned()),
                };
                (name.clone(), value)
            })
            .collect()
    }

    fn write_json(&mut self, rows: &[OutRow]) -> Result<()> {
        let e = out_err("json");
        let mut buf = Vec::new();
        for r in rows {
            let obj = self.object(r);
            if self.format == OutputFormat::Jsonl {
                serde_json::to_writer(&mut buf, &obj).map_err(|x| e(x.to_string()))?;
                buf.push(b'\n');
            } else {
                buf.extend_from_slice(if self.rows_written == 0 {
                    b"[\n"
                } else {
                    b",\n"
                });
                let pretty = serde_json::to_string_pretty(&obj).map_err(|x| e(x.to_string()))?;
                for (k, line) in pretty.lines().enumerate() {
                    if k > 0 {
                        buf.push(b'\n');
                    }
                    buf.extend_from_slice(b"  ");
                    buf.extend_from_slice(line.as_bytes());
                }
            }
            self.rows_written += 1;
        }
        self.out()?.write_all(&buf).map_err(|x| e(x.to_string()))
    }

    #[cfg(feature = "polars")]
    fn write_parquet(&mut self, rows: &[OutRow]) -> Result<()> {
        use crate::output::matrix::parquet::{Batched, ColumnKind, kind_of};
        if self.parquet.is_none() {
            let kinds: Vec<(String, ColumnKind)> = self
                .cols
                .iter()
                .zip(&self.names)
                .map(|(&c, n)| {
                    (
                        n.clone(),
                        match c {
                            Col::Contract(i) => kind_of(COLUMNS[i]),
                            _ => ColumnKind::Text,
                        },
                    )
                })
                .collect();
            let target = self.out()?;
            let out = std::mem::replace(target, Box::new(std::io::sink()));
            self.parquet = Some(Batched::new(out, kinds, self.provenance.key_values()));
        }
        let cols = self.cols.clone();
        if let Some(p) = self.parquet.as_mut() {
            let cells: Vec<Vec<&str>> = cols
                .iter()
                .map(|&c| rows.iter().map(|r| Self::cell(r, c)).collect())
                .collect();
            p.write(&cells, rows.len())?;
        }
        self.rows_written += rows.len() as u64;
        Ok(())
    }

    /// Finishes the output (and renames it into place).
    pub fn finish(mut self) -> Result<()> {
        match self.format {
            OutputFormat::Table => {
                let text = table(&self.names, &self.table, &self.table_explain);
                self.out()?
                    .write_all(text.as_bytes())
                    .map_err(|x| Error::Output {
                        format: "table",
                        message: x.to_string(),
                    })?;
            }
            OutputFormat::Json => {
                let tail: &[u8] = if self.rows_written == 0 {
                    b"[]\n"
                } else {
                    b"\n]\n"
                };
                self.out()?.write_all(tail).map_err(|x| Error::Output {
                    format: "json",
                    message: x.to_string(),
                })?;
            }
            OutputFormat::Csv if !self.header_written => self.write_csv(&[])?,
            #[cfg(feature = "polars")]
            OutputFormat::Parquet => {
                if self.parquet.is_none() {
                    self.write_parquet(&[])?;
                }
                if let Some(w) = self.parquet.take() {
                    w.finish()?;
                }
            }
            _ => {}
        }
        match self.target.take() {
            Some(t) => t.finish(),
            None => Ok(()),
        }
    }
}

/// The columns a person reads first, when present.
const SHOWN: [&str; 10] = [
    "scenario_id",
    "jurisdiction",
    "item",
    "destination",
    "end_user",
    "outcome",
    "authorisation",
    "confidence",
    "ear_applies",
    "us_outcome",
];

fn table(names: &[String], rows: &[Vec<String>], notes: &[String]) -> String {
    let idx: Vec<usize> = if names.len() > SHOWN.len() {
        SHOWN
            .iter()
            .filter_map(|s| names.iter().position(|n| n == s))
            .collect()
    } else {
        (0..names.len()).collect()
    };
    let mut widths: Vec<usize> = idx.iter().map(|&c| names[c].chars().count()).collect();
    for r in rows {
        for (w, &c) in widths.iter_mut().zip(&idx) {
            *w = (*w).max(r[c].chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(idx.iter().map(|&c| names[c].as_str()).collect(), &mut out);
    for (r, note) in rows.iter().zip(notes) {
        line(
            idx.iter()
                .map(|&c| crate::output::escape_hidden(&r[c]).into_owned())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .collect(),
            &mut out,
        );
        out.push_str(note);
    }
    out
}
