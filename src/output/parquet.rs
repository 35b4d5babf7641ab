//! Parquet output through polars (kept out of the engine).

use polars::prelude::*;

use crate::engine::{COLUMNS, Rendered};
use crate::error::{Error, Result};

pub fn encode(rows: &[Rendered]) -> Result<Vec<u8>> {
    let columns: Vec<Column> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<&str> = rows.iter().map(|r| r.fields()[i]).collect();
            Column::new((*name).into(), values)
        })
        .collect();
    let err = |e: PolarsError| Error::Output {
        format: "parquet",
        message: e.to_string(),
    };
    let mut df = DataFrame::new(rows.len(), columns).map_err(err)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).finish(&mut df).map_err(err)?;
    Ok(out)
}
