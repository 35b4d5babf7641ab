//! Parquet output: dictionary-encoded (categorical) columns written from interned codes, typed
//! booleans, provenance as key-value metadata. Row groups go to a writer thread.

use std::io::Write;
use std::sync::Arc;

use polars::prelude::*;

use crate::analysis::matrix::Cell;
use crate::engine::COLUMNS;
use crate::engine::bulk::Bulk;
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser};
use crate::output::Target;
use crate::output::matrix::{MatrixSink, ear, scenario_id};

/// The sending end of a Parquet writer thread and its handle.
pub(crate) type WriterThread = (
    std::sync::mpsc::SyncSender<DataFrame>,
    std::thread::JoinHandle<PolarsResult<()>>,
);

/// A Parquet writer on a thread of its own (LZ4, no statistics, `meta` as key-value metadata),
/// with the schema of `first`: row groups sent to it are encoded while the next is computed.
pub(crate) fn writer_thread(
    out: Box<dyn Write + Send>,
    first: &DataFrame,
    meta: Vec<(String, String)>,
) -> PolarsResult<WriterThread> {
    let mut writer = ParquetWriter::new(out)
        .with_compression(ParquetCompression::Lz4Raw)
        .with_statistics(StatisticsOptions::empty())
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(meta)))
        .batched(first.schema())?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<DataFrame>(1);
    let worker = std::thread::spawn(move || {
        for df in rx {
            writer.write_batch(&df)?;
        }
        writer.finish()?;
        Ok(())
    });
    Ok((tx, worker))
}

/// One dictionary-encoded column.
pub(crate) struct CatColumn {
    name: PlSmallStr,
    mapping: Arc<CategoricalMapping>,
    dtype: DataType,
    pub(crate) codes: Vec<u32>,
}

impl CatColumn {
    /// A column named `name` (a fixed name keeps the file's metadata deterministic).
    pub(crate) fn owned(name: &str) -> CatColumn {
        let cats = Categories::new(
            PlSmallStr::from_str(name),
            PlSmallStr::from_static("wassenaar"),
            CategoricalPhysical::U32,
        );
        let mapping = cats.mapping();
        CatColumn {
            name: PlSmallStr::from_str(name),
            mapping,
            dtype: DataType::from_categories(cats),
            codes: Vec::new(),
        }
    }

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
            name: PlSmallStr::from_static(name),
            mapping,
            dtype: DataType::from_categories(cats),
            codes: Vec::new(),
        }
    }

    pub(crate) fn code(&self, s: &str) -> Result<u32> {
        self.mapping.insert_cat(s).map_err(|e| Error::Output {
            format: "parquet",
            message: e.to_string(),
        })
    }

    pub(crate) fn take(&mut self) -> Column {
        let codes = std::mem::take(&mut self.codes);
        let phys = UInt32Chunked::from_vec(self.name.clone(), codes);
        Categorical32Chunked::from_cats_and_dtype(phys, self.dtype.clone()).into_column()
    }
}

/// Matrix rows as Parquet.
pub struct ParquetSink {
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
    empty: u32,
    ready: bool,
    /// Rows accumulated for the next row group.
    pending: usize,
    /// `ear_applies` per row (`None` = not computable).
    ear_flags: Vec<Option<bool>>,
    meta: Vec<(String, String)>,
}

/// Rows per Parquet row group: each group repeats the dictionaries, so fewer is faster.
const ROW_GROUP_ROWS: usize = 1 << 20;

const NONE: u32 = u32::MAX;

impl ParquetSink {
    /// A sink writing to `target`, with `meta` as key-value metadata.
    pub fn new(target: Target, meta: Vec<(String, String)>) -> ParquetSink {
        ParquetSink {
            meta,
            ear_flags: Vec::new(),
            target: Some(target),
            tx: None,
            worker: None,
            cols: COLUMNS
                .iter()
                .filter(|c| **c != "ear_applies")
                .map(|c| CatColumn::new(c))
                .collect(),
            parts: Vec::new(),
            ids: Vec::new(),
            juris: Vec::new(),
            items: Vec::new(),
            dests: Vec::new(),
            det_codes: Vec::new(),
            users: Vec::new(),
            uses: Vec::new(),
            empty: 0,
            ready: false,
            pending: 0,
        }
    }

    /// Interns the small vocabularies once: jurisdictions, items, places, words, outcomes.
    fn prepare(&mut self, bulk: &Bulk<'_>) -> Result<()> {
        let w = bulk.world;
        let places = w.places().len();
        self.juris = w
            .jurisdictions
            .iter()
            .map(|j| self.cols[1].code(&j.code))
            .collect::<Result<_>>()?;
        self.items = bulk
            .items
            .iter()
            .map(|&i| self.cols[2].code(&w.catalogue().get(i).code))
            .collect::<Result<_>>()?;
        self.dests = w
            .places()
            .ids()
            .map(|p| self.cols[4].code(w.places().code(p)))
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
        self.empty = self.cols[14].code("")?;
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
        let places = world.places().len();
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
                self.empty,
                self.empty,
                self.empty,
                self.empty,
            ];
            self.ear_flags
                .push((!ear(bulk, c).is_empty()).then_some(true));
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
        let mut columns: Vec<Column> = self.cols.iter_mut().map(CatColumn::take).collect();
        let flags = std::mem::take(&mut self.ear_flags);
        columns.insert(14, Column::new("ear_applies".into(), flags));
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
            let (tx, worker) = writer_thread(out, &df, self.meta.clone()).map_err(err)?;
            self.worker = Some(worker);
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
