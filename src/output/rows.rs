//! Streaming writer for `evaluate` rows: CSV, JSON, JSON Lines, Parquet as they come; the
//! aligned table (for people) is laid out at the end. With `--keep-going` a trailing `error`
//! column carries the problem of each bad scenario.

use std::io::Write;
use std::path::Path;

use polars::prelude::*;

use crate::engine::{COLUMNS, Rendered};
use crate::error::{Error, Result};
use crate::output::{OutputFormat, Target, explanation, neutralise};

/// One output row: a determination, or (with `--keep-going`) a scenario that could not be read.
pub enum OutRow {
    Ok(Box<Rendered>),
    Bad { scenario_id: String, error: String },
}

pub struct RowSink {
    format: OutputFormat,
    target: Option<Target>,
    errors: bool,
    explain: bool,
    rows_written: u64,
    table: Vec<OutRow>,
    parquet: Option<polars::io::parquet::write::BatchedWriter<Box<dyn Write + Send>>>,
}

fn out_err(format: &'static str) -> impl Fn(String) -> Error {
    move |message| Error::Output { format, message }
}

impl RowSink {
    pub fn open(
        format: OutputFormat,
        path: Option<&Path>,
        errors: bool,
        explain: bool,
    ) -> Result<RowSink> {
        Ok(RowSink {
            format,
            target: Some(Target::open(path)?),
            errors,
            explain,
            rows_written: 0,
            table: Vec::new(),
            parquet: None,
        })
    }

    fn columns(&self) -> Vec<&'static str> {
        let mut c = COLUMNS.to_vec();
        if self.errors {
            c.push("error");
        }
        c
    }

    fn fields(row: &OutRow) -> (Vec<&str>, &str) {
        match row {
            OutRow::Ok(r) => (r.fields().to_vec(), ""),
            OutRow::Bad { scenario_id, error } => {
                let mut v = vec![""; COLUMNS.len()];
                v[0] = scenario_id;
                (v, error.as_str())
            }
        }
    }

    pub fn write(&mut self, rows: Vec<OutRow>) -> Result<()> {
        if self.explain && self.format != OutputFormat::Table {
            let mut err = std::io::stderr().lock();
            for r in &rows {
                if let OutRow::Ok(r) = r {
                    let f = r.fields();
                    let _ = writeln!(err, "{} {} {}: {}", f[0], f[1], f[2], f[7]);
                    let _ = write!(err, "{}", explanation(&f));
                }
            }
        }
        match self.format {
            OutputFormat::Table => {
                self.table.extend(rows);
                Ok(())
            }
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
        if self.rows_written == 0 {
            w.write_record(self.columns())
                .map_err(|x| e(x.to_string()))?;
        }
        for r in rows {
            let (mut f, error) = Self::fields(r);
            if self.errors {
                f.push(error);
            }
            w.write_record(f.iter().map(|c| neutralise(c).into_owned()))
                .map_err(|x| e(x.to_string()))?;
            self.rows_written += 1;
        }
        if self.rows_written == 0 {
            self.rows_written = u64::MAX; // header written, no rows yet: keep it at most once
        }
        let buf = w.into_inner().map_err(|x| e(x.to_string()))?;
        self.out()?.write_all(&buf).map_err(|x| e(x.to_string()))
    }

    fn object(&self, r: &OutRow) -> serde_json::Map<String, serde_json::Value> {
        let (f, error) = Self::fields(r);
        let mut obj: serde_json::Map<String, serde_json::Value> = COLUMNS
            .iter()
            .zip(f)
            .map(|(k, v)| ((*k).to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        if self.errors {
            obj.insert("error".into(), serde_json::Value::String(error.to_string()));
        }
        obj
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

    fn write_parquet(&mut self, rows: &[OutRow]) -> Result<()> {
        let e = |x: PolarsError| Error::Output {
            format: "parquet",
            message: x.to_string(),
        };
        let names = self.columns();
        let cols: Vec<Column> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let v: Vec<&str> = rows
                    .iter()
                    .map(|r| {
                        let (f, error) = Self::fields(r);
                        if i < COLUMNS.len() { f[i] } else { error }
                    })
                    .collect();
                Column::new((*name).into(), v)
            })
            .collect();
        let df = DataFrame::new(rows.len(), cols).map_err(e)?;
        if self.parquet.is_none() {
            let target = self.out()?;
            let out = std::mem::replace(target, Box::new(std::io::sink()));
            self.parquet = Some(ParquetWriter::new(out).batched(df.schema()).map_err(e)?);
        }
        if let Some(w) = self.parquet.as_mut() {
            w.write_batch(&df).map_err(e)?;
        }
        self.rows_written += rows.len() as u64;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        match self.format {
            OutputFormat::Table => {
                let text = table(&self.table, self.explain, self.errors);
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
            OutputFormat::Csv if self.rows_written == 0 => self.write_csv(&[])?,
            OutputFormat::Parquet => {
                if self.parquet.is_none() {
                    self.write_parquet(&[])?;
                }
                if let Some(w) = self.parquet.take() {
                    w.finish().map_err(|x| Error::Output {
                        format: "parquet",
                        message: x.to_string(),
                    })?;
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

fn table(rows: &[OutRow], explain: bool, errors: bool) -> String {
    const SHOWN: [usize; 8] = [0, 1, 2, 4, 5, 7, 8, 13];
    let fields: Vec<(Vec<&str>, &str)> = rows.iter().map(RowSink::fields).collect();
    let mut widths: Vec<usize> = SHOWN.iter().map(|&c| COLUMNS[c].len()).collect();
    for (f, _) in &fields {
        for (w, &c) in widths.iter_mut().zip(SHOWN.iter()) {
            *w = (*w).max(f[c].chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths.iter())
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(SHOWN.iter().map(|&c| COLUMNS[c]).collect(), &mut out);
    for (r, (f, error)) in rows.iter().zip(&fields) {
        line(SHOWN.iter().map(|&c| f[c]).collect(), &mut out);
        if errors && !error.is_empty() {
            out.push_str(&format!("    error       {error}\n"));
        }
        if explain && let OutRow::Ok(r) = r {
            out.push_str(&explanation(&r.fields()));
        }
    }
    out
}
