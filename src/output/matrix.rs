//! Streaming writers for `matrix`: rows arrive chunk by chunk and are written at once, so
//! memory stays flat however many rows the product has. Text formats cache the expanded rule
//! chain per (determination, jurisdiction, item, destination); Parquet writes dictionary-
//! encoded (categorical) columns so that repeated texts are stored once per row group.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use polars::prelude::*;

use crate::engine::bulk::Bulk;
use crate::engine::matrix::Cell;
use crate::engine::{COLUMNS, Parts};
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser, Outcome};
use crate::output::{OutputFormat, Target, neutralise};

type Key = (u32, u16, u16, u16);

/// A destination for matrix rows.
pub trait MatrixSink {
    fn write(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Opens the sink for `format` (`None` path = standard output, not for Parquet).
pub fn open(format: OutputFormat, path: Option<&Path>) -> Result<Box<dyn MatrixSink>> {
    let target = Target::open(path)?;
    Ok(match format {
        OutputFormat::Parquet => Box::new(ParquetSink::new(target)?),
        OutputFormat::Jsonl => Box::new(TextSink::new(target, true)),
        _ => Box::new(TextSink::new(target, false)),
    })
}

fn scenario_id(bulk: &Bulk<'_>, c: &Cell) -> String {
    format!(
        "{}/{}/{}/{}",
        bulk.world.catalogue.get(bulk.items[c.item]).code,
        bulk.world.places.code(c.dest),
        EndUser::VALUES[c.user].as_str(),
        EndUse::VALUES[c.usage].as_str()
    )
}

fn ear(bulk: &Bulk<'_>, c: &Cell) -> &'static str {
    let is_us = bulk.world.jurisdictions[c.jurisdiction].code == "US";
    if is_us && bulk.outcome(c.det) != Outcome::NotApplicable {
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
            let fields: [&str; 15] = [
                &id,
                &world.jurisdictions[c.jurisdiction].code,
                &world.catalogue.get(bulk.items[c.item]).code,
                &parts.local_entry,
                world.places.code(c.dest),
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

/// One dictionary-encoded column.
struct CatColumn {
    name: &'static str,
    mapping: Arc<CategoricalMapping>,
    dtype: DataType,
    codes: Vec<u32>,
}

impl CatColumn {
    fn new(name: &'static str) -> CatColumn {
        // A fixed name keeps the file's schema metadata deterministic (a random one would
        // not); sinks run one after another, so each gets a fresh mapping.
        let cats = Categories::new(
            PlSmallStr::from_static(name),
            PlSmallStr::from_static("wassenaar-matrix"),
            CategoricalPhysical::U32,
        );
        let mapping = cats.mapping();
        CatColumn {
            name,
            mapping,
            dtype: DataType::from_categories(cats),
            codes: Vec::new(),
        }
    }

    fn code(&self, s: &str) -> Result<u32> {
        self.mapping.insert_cat(s).map_err(|e| Error::Output {
            format: "parquet",
            message: e.to_string(),
        })
    }

    fn take(&mut self) -> Column {
        let codes = std::mem::take(&mut self.codes);
        let phys = UInt32Chunked::from_vec(PlSmallStr::from_static(self.name), codes);
        // SAFETY: every code came from `insert_cat` on this column's own mapping.
        let ca = unsafe {
            Categorical32Chunked::from_cats_and_dtype_unchecked(phys, self.dtype.clone())
        };
        ca.into_column()
    }
}

struct ParquetSink {
    target: Option<Target>,
    /// Row groups go to a writer thread, so encoding overlaps with computing the next chunk.
    tx: Option<std::sync::mpsc::SyncSender<DataFrame>>,
    worker: Option<std::thread::JoinHandle<PolarsResult<()>>>,
    cols: Vec<CatColumn>,
    /// Per (jurisdiction, item, destination): the determinations seen there, with the codes of
    /// columns 3, 8, 9, 10, 11, 12 (local entry … citations). Usually one to a few entries.
    parts: Vec<Vec<(u32, [u32; 6])>>,
    /// Scenario ids by (item, destination, end user, end use).
    ids: Vec<u32>,
    /// Codes of jurisdiction (by index), item (by position), destination (by place id).
    juris: Vec<u32>,
    items: Vec<u32>,
    dests: Vec<u32>,
    /// Codes of outcome and confidence by determination id.
    det_codes: Vec<(u32, u32)>,
    users: Vec<u32>,
    uses: Vec<u32>,
    ear: [u32; 2],
    ready: bool,
    /// Rows accumulated for the next row group.
    pending: usize,
}

/// Rows per Parquet row group: each group repeats the dictionaries, so fewer is faster.
const ROW_GROUP_ROWS: usize = 1 << 20;

const NONE: u32 = u32::MAX;

impl ParquetSink {
    fn new(target: Target) -> Result<ParquetSink> {
        Ok(ParquetSink {
            target: Some(target),
            tx: None,
            worker: None,
            cols: COLUMNS.iter().map(|c| CatColumn::new(c)).collect(),
            parts: Vec::new(),
            ids: Vec::new(),
            juris: Vec::new(),
            items: Vec::new(),
            dests: Vec::new(),
            det_codes: Vec::new(),
            users: Vec::new(),
            uses: Vec::new(),
            ear: [0, 0],
            ready: false,
            pending: 0,
        })
    }

    /// Interns the small vocabularies once: jurisdictions, items, places, words, outcomes.
    fn prepare(&mut self, bulk: &Bulk<'_>) -> Result<()> {
        let w = bulk.world;
        let places = w.places.len();
        self.juris = w
            .jurisdictions
            .iter()
            .map(|j| self.cols[1].code(&j.code))
            .collect::<Result<_>>()?;
        self.items = bulk
            .items
            .iter()
            .map(|&i| self.cols[2].code(&w.catalogue.get(i).code))
            .collect::<Result<_>>()?;
        self.dests = w
            .places
            .ids()
            .map(|p| self.cols[4].code(w.places.code(p)))
            .collect::<Result<_>>()?;
        self.users = EndUser::VALUES
            .iter()
            .map(|u| self.cols[5].code(u.as_str()))
            .collect::<Result<_>>()?;
        self.uses = EndUse::VALUES
            .iter()
            .map(|u| self.cols[6].code(u.as_str()))
            .collect::<Result<_>>()?;
        self.det_codes = bulk
            .dets
            .iter()
            .map(|d| {
                Ok((
                    self.cols[7].code(d.outcome.as_str())?,
                    self.cols[13].code(d.confidence.as_str())?,
                ))
            })
            .collect::<Result<_>>()?;
        self.ear = [self.cols[14].code("")?, self.cols[14].code("true")?];
        self.parts = vec![Vec::new(); w.jurisdictions.len() * bulk.items.len() * places];
        self.ids =
            vec![NONE; bulk.items.len() * places * EndUser::VALUES.len() * EndUse::VALUES.len()];
        self.ready = true;
        Ok(())
    }
}

impl MatrixSink for ParquetSink {
    fn write(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) -> Result<()> {
        if !self.ready {
            self.prepare(bulk)?;
        }
        let world = bulk.world;
        let places = world.places.len();
        let n_items = bulk.items.len();
        let (n_users, n_uses) = (EndUser::VALUES.len(), EndUse::VALUES.len());
        for col in &mut self.cols {
            col.codes.reserve(cells.len());
        }
        for c in cells {
            let slot = (c.jurisdiction * n_items + c.item) * places + c.dest as usize;
            let parts = match self.parts[slot].iter().find(|(d, _)| *d == c.det) {
                Some((_, p)) => *p,
                None => {
                    let d = &bulk.dets[c.det as usize];
                    let p = world.render_parts(c.jurisdiction, bulk.items[c.item], c.dest, d);
                    let codes = [
                        self.cols[3].code(&p.local_entry)?,
                        self.cols[8].code(&p.authorisation)?,
                        self.cols[9].code(&p.licence_policy)?,
                        self.cols[10].code(&p.conditions)?,
                        self.cols[11].code(&p.reasons)?,
                        self.cols[12].code(&p.citations)?,
                    ];
                    self.parts[slot].push((c.det, codes));
                    codes
                }
            };
            let id_slot =
                ((c.item * places + c.dest as usize) * n_users + c.user) * n_uses + c.usage;
            let mut id = self.ids[id_slot];
            if id == NONE {
                id = self.cols[0].code(&scenario_id(bulk, c))?;
                self.ids[id_slot] = id;
            }
            let (outcome, confidence) = self.det_codes[c.det as usize];
            let row = [
                id,
                self.juris[c.jurisdiction],
                self.items[c.item],
                parts[0],
                self.dests[c.dest as usize],
                self.users[c.user],
                self.uses[c.usage],
                outcome,
                parts[1],
                parts[2],
                parts[3],
                parts[4],
                parts[5],
                confidence,
                self.ear[usize::from(!ear(bulk, c).is_empty())],
            ];
            for (col, v) in self.cols.iter_mut().zip(row) {
                col.codes.push(v);
            }
        }
        self.pending += cells.len();
        if self.pending >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        self.tx = None;
        if let Some(worker) = self.worker.take() {
            let result = worker.join().map_err(|_| Error::Output {
                format: "parquet",
                message: "the writer thread stopped unexpectedly".into(),
            })?;
            result.map_err(|e| Error::Output {
                format: "parquet",
                message: e.to_string(),
            })?;
        }
        match self.target.take() {
            Some(t) => t.finish(),
            None => Ok(()),
        }
    }
}

impl ParquetSink {
    /// Writes the accumulated rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.pending);
        let columns: Vec<Column> = self.cols.iter_mut().map(CatColumn::take).collect();
        let err = |e: PolarsError| Error::Output {
            format: "parquet",
            message: e.to_string(),
        };
        let df = DataFrame::new(rows, columns).map_err(err)?;
        if self.tx.is_none() {
            let Some(target) = self.target.as_mut() else {
                return Ok(());
            };
            let out = std::mem::replace(&mut target.out, Box::new(std::io::sink()));
            let writer = ParquetWriter::new(out)
                .with_compression(ParquetCompression::Lz4Raw)
                .with_statistics(StatisticsOptions::empty())
                .batched(df.schema())
                .map_err(err)?;
            let (tx, rx) = std::sync::mpsc::sync_channel::<DataFrame>(1);
            self.worker = Some(std::thread::spawn(move || {
                let mut writer = writer;
                for df in rx {
                    writer.write_batch(&df)?;
                }
                writer.finish()?;
                Ok(())
            }));
            self.tx = Some(tx);
        }
        if let Some(tx) = &self.tx
            && tx.send(df).is_err()
        {
            // The writer stopped: its error is reported by `finish`.
            self.tx = None;
        }
        Ok(())
    }
}
