//! Streaming writers for `matrix`: rows arrive chunk by chunk and are written at once, so
//! memory stays flat however many rows the product has. Text formats cache the expanded rule
//! chain per (determination, jurisdiction, item, destination); Parquet writes dictionary-
//! encoded (categorical) columns so that repeated texts are stored once per row group.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use polars::prelude::*;

use crate::engine::bulk::Bulk;
use crate::engine::matrix::Cell;
use crate::engine::{COLUMNS, Parts};
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser, Outcome};
use crate::output::{OutputFormat, neutralise};

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

/// A file written under a temporary name and renamed on success, or standard output.
struct Target {
    out: Box<dyn Write>,
    rename: Option<(PathBuf, PathBuf)>,
}

impl Target {
    fn open(path: Option<&Path>) -> Result<Target> {
        match path {
            None => Ok(Target {
                out: Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout())),
                rename: None,
            }),
            Some(p) => {
                let dir = p
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
                let f = std::fs::File::create(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
                Ok(Target {
                    out: Box::new(BufWriter::with_capacity(1 << 20, f)),
                    rename: Some((tmp, p.to_path_buf())),
                })
            }
        }
    }

    fn finish(mut self) -> Result<()> {
        let flushed = self.out.flush();
        drop(self.out);
        match self.rename {
            Some((tmp, path)) => {
                if let Err(e) = flushed {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(Error::io("write", &path, e));
                }
                std::fs::rename(&tmp, &path).map_err(|e| Error::io("write", &path, e))
            }
            None => flushed
                .or_else(ignore_pipe)
                .map_err(|e| Error::io("write", Path::new("<stdout>"), e)),
        }
    }
}

fn ignore_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
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
        let cats = Categories::random(
            PlSmallStr::from_static("wassenaar"),
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
    writer: Option<polars::io::parquet::write::BatchedWriter<Box<dyn Write>>>,
    cols: Vec<CatColumn>,
    /// (det, jurisdiction, item, destination) → codes of columns 3, 8, 9, 10, 11, 12.
    cache: HashMap<Key, [u32; 6]>,
    /// Codes of `jurisdiction, item, destination, end_user, end_use, outcome, confidence, ear`.
    small: HashMap<(usize, String), u32>,
    ids: HashMap<(usize, u16, usize, usize), u32>,
}

impl ParquetSink {
    fn new(target: Target) -> Result<ParquetSink> {
        Ok(ParquetSink {
            target: Some(target),
            writer: None,
            cols: COLUMNS.iter().map(|c| CatColumn::new(c)).collect(),
            cache: HashMap::new(),
            small: HashMap::new(),
            ids: HashMap::new(),
        })
    }

    fn small(&mut self, col: usize, s: &str) -> Result<u32> {
        if let Some(&c) = self.small.get(&(col, s.to_string())) {
            return Ok(c);
        }
        let c = self.cols[col].code(s)?;
        self.small.insert((col, s.to_string()), c);
        Ok(c)
    }
}

impl MatrixSink for ParquetSink {
    fn write(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) -> Result<()> {
        let world = bulk.world;
        for col in &mut self.cols {
            col.codes.reserve(cells.len());
        }
        // Per-chunk memo of the small columns by index, to avoid string hashing per row.
        let mut memo_j: HashMap<usize, u32> = HashMap::new();
        let mut memo_d: HashMap<u16, u32> = HashMap::new();
        let mut memo_det: HashMap<u32, (u32, u32)> = HashMap::new();
        let mut memo_item: HashMap<usize, u32> = HashMap::new();
        let users: Vec<u32> = EndUser::VALUES
            .iter()
            .map(|u| self.small(5, u.as_str()))
            .collect::<Result<_>>()?;
        let uses: Vec<u32> = EndUse::VALUES
            .iter()
            .map(|u| self.small(6, u.as_str()))
            .collect::<Result<_>>()?;
        let ear_true = self.small(14, "true")?;
        let ear_none = self.small(14, "")?;
        for c in cells {
            let key = (c.det, c.jurisdiction as u16, c.item as u16, c.dest);
            let parts = match self.cache.get(&key) {
                Some(p) => *p,
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
                    self.cache.insert(key, codes);
                    codes
                }
            };
            let id_key = (c.item, c.dest, c.user, c.usage);
            let id = match self.ids.get(&id_key) {
                Some(&i) => i,
                None => {
                    let i = self.cols[0].code(&scenario_id(bulk, c))?;
                    self.ids.insert(id_key, i);
                    i
                }
            };
            let j = match memo_j.get(&c.jurisdiction) {
                Some(&v) => v,
                None => {
                    let v = self.small(1, &world.jurisdictions[c.jurisdiction].code)?;
                    memo_j.insert(c.jurisdiction, v);
                    v
                }
            };
            let item = match memo_item.get(&c.item) {
                Some(&v) => v,
                None => {
                    let v = self.small(2, &world.catalogue.get(bulk.items[c.item]).code)?;
                    memo_item.insert(c.item, v);
                    v
                }
            };
            let dest = match memo_d.get(&c.dest) {
                Some(&v) => v,
                None => {
                    let v = self.small(4, world.places.code(c.dest))?;
                    memo_d.insert(c.dest, v);
                    v
                }
            };
            let (outcome, confidence) = match memo_det.get(&c.det) {
                Some(&v) => v,
                None => {
                    let d = &bulk.dets[c.det as usize];
                    let v = (
                        self.small(7, d.outcome.as_str())?,
                        self.small(13, d.confidence.as_str())?,
                    );
                    memo_det.insert(c.det, v);
                    v
                }
            };
            let row = [
                id,
                j,
                item,
                parts[0],
                dest,
                users[c.user],
                uses[c.usage],
                outcome,
                parts[1],
                parts[2],
                parts[3],
                parts[4],
                parts[5],
                confidence,
                if ear(bulk, c).is_empty() {
                    ear_none
                } else {
                    ear_true
                },
            ];
            for (col, v) in self.cols.iter_mut().zip(row) {
                col.codes.push(v);
            }
        }
        let columns: Vec<Column> = self.cols.iter_mut().map(CatColumn::take).collect();
        let err = |e: PolarsError| Error::Output {
            format: "parquet",
            message: e.to_string(),
        };
        let df = DataFrame::new(cells.len(), columns).map_err(err)?;
        if self.writer.is_none() {
            let Some(target) = self.target.as_mut() else {
                return Ok(());
            };
            let out = std::mem::replace(&mut target.out, Box::new(std::io::sink()));
            self.writer = Some(ParquetWriter::new(out).batched(df.schema()).map_err(err)?);
        }
        if let Some(w) = self.writer.as_mut() {
            w.write_batch(&df).map_err(err)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let err = |e: PolarsError| Error::Output {
            format: "parquet",
            message: e.to_string(),
        };
        if let Some(w) = self.writer.take() {
            w.finish().map_err(err)?;
            drop(w);
        }
        match self.target.take() {
            Some(t) => t.finish(),
            None => Ok(()),
        }
    }
}
