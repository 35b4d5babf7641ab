//! Streaming writers for `matrix`: rows arrive chunk by chunk and are written at once, so
//! memory stays flat however many rows the product has. Text formats cache the expanded rule
//! chain per (determination, jurisdiction, item, destination); Parquet (feature `polars` for
//! the command-line format; the writer itself needs no polars) writes dictionary-encoded
//! columns straight from interned codes.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use crate::analysis::matrix::{Cell, MatrixSpec};
use crate::engine::bulk::Bulk;
use crate::engine::{COLUMNS, Parts};
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser, Outcome};
use crate::output::provenance::Provenance;
use crate::output::{OutputFormat, Target, neutralise};

pub mod encode;
#[cfg(feature = "polars")]
pub mod parquet;

type Key = (u32, u16, u16, u16);

/// A destination for matrix rows.
pub trait MatrixSink {
    /// Writes a chunk of cells.
    fn write(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) -> Result<()>;
    /// Writes rows `[start, end)` of `spec`, in order. By default the rows are computed as
    /// cells and passed to [`MatrixSink::write`]; a sink may read the tables itself instead.
    fn write_rows(
        &mut self,
        bulk: &Bulk<'_>,
        spec: &MatrixSpec,
        start: u64,
        end: u64,
    ) -> Result<()> {
        let cells = spec.chunk(bulk, start, end);
        self.write(bulk, &cells)
    }
    /// Finishes the output.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Opens the sink for `format` (`None` path = standard output, not for Parquet).
pub fn open(
    format: OutputFormat,
    path: Option<&Path>,
    provenance: &Provenance,
) -> Result<Box<dyn MatrixSink>> {
    let target = Target::open(path)?;
    let _ = provenance;
    Ok(match format {
        #[cfg(feature = "polars")]
        OutputFormat::Parquet => {
            Box::new(encode::ParquetSink::new(target, provenance.key_values()))
        }
        OutputFormat::Jsonl => Box::new(TextSink::new(target, true)),
        _ => Box::new(TextSink::new(target, false)),
    })
}

pub(crate) fn scenario_id(bulk: &Bulk<'_>, c: &Cell) -> String {
    format!(
        "{}/{}/{}/{}",
        bulk.world.catalogue().get(bulk.items[c.item]).code,
        bulk.world.places().code(c.dest),
        EndUser::VALUES[c.user].as_str(),
        EndUse::VALUES[c.usage].as_str()
    )
}

/// `ear_applies` of a matrix cell: the reaching regime's own exports follow its law; for
/// others the matrix has no content facts.
pub(crate) fn ear(bulk: &Bulk<'_>, c: &Cell) -> &'static str {
    if bulk.world.reach == Some(c.jurisdiction) && bulk.outcome(c.det) != Outcome::NotApplicable {
        "true"
    } else {
        ""
    }
}

struct TextSink {
    target: Option<Target>,
    jsonl: bool,
    cache: HashMap<Key, Rc<Parts>>,
    header: bool,
}

impl TextSink {
    fn new(target: Target, jsonl: bool) -> TextSink {
        TextSink {
            target: Some(target),
            jsonl,
            cache: HashMap::new(),
            header: false,
        }
    }
}

impl MatrixSink for TextSink {
    fn write(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) -> Result<()> {
        let Some(target) = self.target.as_mut() else {
            return Ok(());
        };
        let w = &mut target.out;
        let io = |e: std::io::Error| Error::Output {
            format: "matrix",
            message: e.to_string(),
        };
        if !self.jsonl && !self.header {
            writeln!(w, "{}", COLUMNS.join(",")).map_err(io)?;
            self.header = true;
        }
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(1 << 16));
        for c in cells {
            let key = (c.det, c.jurisdiction as u16, c.item as u16, c.dest);
            let parts = self
                .cache
                .entry(key)
                .or_insert_with(|| {
                    let d = &bulk.dets[c.det as usize];
                    Rc::new(
                        bulk.world
                            .render_parts(c.jurisdiction, bulk.items[c.item], c.dest, d),
                    )
                })
                .clone();
            let d = &bulk.dets[c.det as usize];
            let world = bulk.world;
            let id = scenario_id(bulk, c);
            let fields: [&str; 19] = [
                &id,
                &world.jurisdictions[c.jurisdiction].code,
                &world.catalogue().get(bulk.items[c.item]).code,
                &parts.local_entry,
                world.places().code(c.dest),
                EndUser::VALUES[c.user].as_str(),
                EndUse::VALUES[c.usage].as_str(),
                d.outcome.as_str(),
                &parts.authorisation,
                &parts.licence_policy,
                &parts.conditions,
                &parts.reasons,
                &parts.citations,
                d.confidence.as_str(),
                ear(bulk, c),
                "",
                "",
                "",
                "",
            ];
            if self.jsonl {
                let obj: serde_json::Map<String, serde_json::Value> = COLUMNS
                    .iter()
                    .zip(fields.iter())
                    .map(|(k, v)| {
                        (
                            (*k).to_string(),
                            serde_json::Value::String((*v).to_string()),
                        )
                    })
                    .collect();
                serde_json::to_writer(&mut *w, &obj).map_err(|e| Error::Output {
                    format: "jsonl",
                    message: e.to_string(),
                })?;
                w.write_all(b"\n").map_err(io)?;
            } else {
                csv.write_record(fields.iter().map(|f| neutralise(f).into_owned()))
                    .map_err(|e| Error::Output {
                        format: "csv",
                        message: e.to_string(),
                    })?;
            }
        }
        if !self.jsonl {
            let buf = csv.into_inner().map_err(|e| Error::Output {
                format: "csv",
                message: e.to_string(),
            })?;
            w.write_all(&buf).map_err(io)?;
        }
        if self.cache.len() > 1 << 20 {
            self.cache.clear();
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        match self.target.take() {
            Some(t) => t.finish(),
            None => Ok(()),
        }
    }
}
