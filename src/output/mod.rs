//! Writing determinations: CSV, JSON, JSON Lines, an aligned table, Parquet. Output is built
//! in memory and written to a temporary file that is renamed into place, so a failed run
//! never leaves a half-written file.

pub mod matrix;
mod parquet;

use std::io::Write;
use std::path::Path;

use crate::engine::{COLUMNS, Rendered};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Csv,
    Json,
    Jsonl,
    Table,
    Parquet,
}

/// Serialises rows in `format`.
pub fn encode(rows: &[Rendered], format: OutputFormat, explain: bool) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let csv_err = |e: csv::Error| Error::Output {
                format: "csv",
                message: e.to_string(),
            };
            w.write_record(COLUMNS).map_err(csv_err)?;
            for r in rows {
                w.write_record(r.fields().iter().map(|f| neutralise(f).into_owned()))
                    .map_err(csv_err)?;
            }
            w.into_inner().map_err(|e| Error::Output {
                format: "csv",
                message: e.to_string(),
            })
        }
        OutputFormat::Json => {
            let mut out = serde_json::to_vec_pretty(rows).map_err(|e| Error::Output {
                format: "json",
                message: e.to_string(),
            })?;
            out.push(b'\n');
            Ok(out)
        }
        OutputFormat::Jsonl => {
            let mut out = Vec::new();
            for r in rows {
                serde_json::to_writer(&mut out, r).map_err(|e| Error::Output {
                    format: "jsonl",
                    message: e.to_string(),
                })?;
                out.push(b'\n');
            }
            Ok(out)
        }
        OutputFormat::Table => Ok(table(rows, explain).into_bytes()),
        OutputFormat::Parquet => parquet::encode(rows),
    }
}

/// Cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV
/// injection guidance): `=`, `+`, `-`, `@`, tab and carriage return at the start.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn table(rows: &[Rendered], explain: bool) -> String {
    const SHOWN: [usize; 8] = [0, 1, 2, 4, 5, 7, 8, 13];
    let fields: Vec<[&str; 15]> = rows.iter().map(Rendered::fields).collect();
    let mut widths: Vec<usize> = SHOWN.iter().map(|&c| COLUMNS[c].len()).collect();
    for f in &fields {
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
    for f in &fields {
        line(SHOWN.iter().map(|&c| f[c]).collect(), &mut out);
        if explain {
            out.push_str(&explanation(f));
        }
    }
    out
}

/// The rule chain of one row, indented, for `--explain`.
pub fn explanation(f: &[&str; 15]) -> String {
    let mut out = String::new();
    for (label, idx) in [("because", 11usize), ("conditions", 10), ("citations", 12)] {
        let mut first = true;
        for part in f[idx].split("; ").filter(|p| !p.is_empty()) {
            let head = if first { label } else { "" };
            out.push_str(&format!("    {head:<11} {part}\n"));
            first = false;
        }
    }
    out
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        f.write_all(bytes)
            .map_err(|e| Error::io("write", &tmp, e))?;
        f.sync_all().map_err(|e| Error::io("write", &tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io("write", path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
