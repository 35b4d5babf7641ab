//! Small tables of text cells (alignment, comparisons, diffs) as CSV, JSON, an aligned table
//! or Parquet.

use crate::error::{Error, Result};
use crate::output::neutralise;
use crate::output::provenance::Provenance;

/// Encodes `rows` under `columns` as `format` (`csv`, `json`, `table`, `parquet`).
pub fn bytes(
    columns: &[&str],
    rows: &[Vec<String>],
    format: &str,
    provenance: Option<&Provenance>,
) -> Result<Vec<u8>> {
    // Only Parquet carries the provenance inside the file.
    #[cfg(not(feature = "polars"))]
    let _ = provenance;
    match format {
        "csv" => {
            let err = |e: csv::Error| Error::Output {
                format: "csv",
                message: e.to_string(),
            };
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(columns).map_err(err)?;
            for r in rows {
                w.write_record(r.iter().map(|c| neutralise(c).into_owned()))
                    .map_err(err)?;
            }
            w.into_inner().map_err(|e| Error::Output {
                format: "csv",
                message: e.to_string(),
            })
        }
        "json" => {
            let list: Vec<serde_json::Map<String, serde_json::Value>> = rows
                .iter()
                .map(|r| {
                    columns
                        .iter()
                        .zip(r)
                        .map(|(k, v)| {
                            (
                                (*k).to_string(),
                                serde_json::Value::String(
                                    crate::output::escape_hidden(v).into_owned(),
                                ),
                            )
                        })
                        .collect()
                })
                .collect();
            let mut v = serde_json::to_vec_pretty(&list).map_err(|e| Error::Output {
                format: "json",
                message: e.to_string(),
            })?;
            v.push(b'\n');
            Ok(v)
        }
        #[cfg(feature = "polars")]
        "parquet" => {
            use crate::output::matrix::parquet::{Batched, ColumnKind};
            let kinds = columns
                .iter()
                .map(|c| (c.to_string(), ColumnKind::Text))
                .collect();
            let shared = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let mut b = Batched::new(
                Box::new(SharedBuf(shared.clone())),
                kinds,
                provenance.map(Provenance::key_values).unwrap_or_default(),
            );
            let cells: Vec<Vec<&str>> = (0..columns.len())
                .map(|c| rows.iter().map(|r| r[c].as_str()).collect())
                .collect();
            b.write(&cells, rows.len())?;
            b.finish()?;
            let out = shared.lock().map(|v| v.clone()).unwrap_or_default();
            Ok(out)
        }
        _ => {
            let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
            let short = |s: &str| -> String {
                if s.chars().count() > 60 {
                    let mut t: String = s.chars().take(59).collect();
                    t.push('…');
                    t
                } else {
                    s.to_string()
                }
            };
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| short(&crate::output::escape_hidden(c)))
                        .collect()
                })
                .collect();
            for r in &rows {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
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
            line(columns.to_vec(), &mut out);
            for r in &rows {
                line(r.iter().map(String::as_str).collect(), &mut out);
            }
            Ok(out.into_bytes())
        }
    }
}

/// A writer into shared memory (Parquet needs an owned `Write + Send`).
#[cfg(feature = "polars")]
struct SharedBuf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

#[cfg(feature = "polars")]
impl std::io::Write for SharedBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut v) => {
                v.extend_from_slice(b);
                Ok(b.len())
            }
            Err(_) => Err(std::io::Error::other("buffer poisoned")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
