//! Parquet output through polars for the small tables (`align --lists`, `compare`): dictionary-
//! encoded (categorical) columns, typed booleans, provenance as key-value metadata; and the
//! storage kind of each determination column. `matrix` and `evaluate` write their rows through
//! the crate's own writer ([`crate::output::parquet_file`]).

use std::io::Write;

use polars::prelude::*;

use crate::error::{Error, Result};

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Dictionary-encoded text (few distinct values).
    Categorical,
    /// Plain text.
    Text,
    /// A boolean (`true`, `false`, empty = null).
    Boolean,
}

/// The storage of a determination column.
///
/// The rule-chain texts (`conditions`, `reasons`, `citations`, `us_reasons`, `screening`) are
/// rendered from the datasets alone, once per distinct determination, so they repeat as much
/// as the codes do and are dictionary-encoded like them (as `matrix` writes them); only the
/// scenario id is free text.
pub fn kind_of(name: &str) -> ColumnKind {
    match name {
        "ear_applies" => ColumnKind::Boolean,
        "scenario_id" => ColumnKind::Text,
        _ => ColumnKind::Categorical,
    }
}

/// A Parquet file written batch by batch from string cells.
pub struct Batched {
    writer: Option<polars::io::parquet::write::BatchedWriter<Box<dyn Write + Send>>>,
    out: Option<Box<dyn Write + Send>>,
    kinds: Vec<(String, ColumnKind)>,
    meta: Vec<(String, String)>,
}

fn perr(e: PolarsError) -> Error {
    Error::Output {
        format: "parquet",
        message: e.to_string(),
    }
}

impl Batched {
    /// A writer for columns `kinds` with metadata `meta`.
    pub fn new(
        out: Box<dyn Write + Send>,
        kinds: Vec<(String, ColumnKind)>,
        meta: Vec<(String, String)>,
    ) -> Batched {
        Batched {
            writer: None,
            out: Some(out),
            kinds,
            meta,
        }
    }

    /// Writes one batch: `cells[column][row]`.
    pub fn write(&mut self, cells: &[Vec<&str>], rows: usize) -> Result<()> {
        let mut cols = Vec::with_capacity(self.kinds.len());
        for ((name, kind), values) in self.kinds.iter().zip(cells) {
            let col = match kind {
                ColumnKind::Boolean => {
                    let v: Vec<Option<bool>> = values
                        .iter()
                        .map(|s| match *s {
                            "true" => Some(true),
                            "false" => Some(false),
                            _ => None,
                        })
                        .collect();
                    Column::new(name.as_str().into(), v)
                }
                ColumnKind::Text => Column::new(name.as_str().into(), values.clone()),
                ColumnKind::Categorical => {
                    let cats = Categories::new(
                        PlSmallStr::from_str(name),
                        PlSmallStr::from_static("wassenaar-evaluate"),
                        CategoricalPhysical::U32,
                    );
                    Column::new(name.as_str().into(), values.clone())
                        .cast(&DataType::from_categories(cats))
                        .map_err(perr)?
                }
            };
            cols.push(col);
        }
        let df = DataFrame::new(rows, cols).map_err(perr)?;
        if self.writer.is_none() {
            let Some(out) = self.out.take() else {
                return Err(Error::Output {
                    format: "parquet",
                    message: "writer closed".into(),
                });
            };
            self.writer = Some(
                ParquetWriter::new(out)
                    .with_key_value_metadata(Some(KeyValueMetadata::from_static(self.meta.clone())))
                    .batched(df.schema())
                    .map_err(perr)?,
            );
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_batch(&df).map_err(perr)?;
        }
        Ok(())
    }

    /// Writes the footer.
    pub fn finish(self) -> Result<()> {
        if let Some(w) = self.writer {
            w.finish().map_err(perr)?;
        }
        Ok(())
    }
}
