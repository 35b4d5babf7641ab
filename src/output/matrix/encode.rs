//! `matrix` to Parquet through our own writer ([`crate::output::parquet_file`]): no string
//! per cell. Filling a row group costs two integers a row, read straight from the bulk tables
//! (no cells are materialised): the scenario's number (items, destination, end user, end use)
//! and the number of its "tail" (jurisdiction, local entry, outcome … confidence,
//! `ear_applies`, interned once per jurisdiction, item, destination and determination). The
//! rule chain behind a tail is rendered once per jurisdiction, item and determination for
//! every destination, the destination written in where the texts name it. At each row group the columns are gathered from those two tables, their
//! codes renumbered to the values the group uses, and encoded (dictionary page, RLE/bit-packed
//! indices) column by column in parallel on the command's threads; the chunks are then written
//! in schema order, so the file is the same whatever the thread count.

use std::io::Write;

use rayon::prelude::*;

use crate::analysis::matrix::{Cell, MatrixSpec};
use crate::engine::bulk::Bulk;
use crate::engine::{COLUMNS, DestUse};
use crate::error::{Error, Result};
use crate::model::{EndUse, EndUser};
use crate::output::Interner;
use crate::output::Target;
use crate::output::matrix::{MatrixSink, ear};
use crate::output::parquet_file::{
    Chunk, ColumnType, Writer, bool_chunk, compact, merge_runs_into, runs_of, text_chunk_runs,
};

/// Rows per row group (each group repeats the dictionaries of the values it uses).
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Overrides [`ROW_GROUP_ROWS`] (for tests that need several row groups from a small matrix).
pub const ROW_GROUP_ENV: &str = "WASSENAAR_PARQUET_ROW_GROUP_ROWS";

const NONE: u32 = u32::MAX;

/// Positions in a tail: the `COLUMNS` index each holds, then `ear_applies` (1 = true).
const TAIL_COLUMNS: [usize; 9] = [1, 3, 7, 8, 9, 10, 11, 12, 13];
const TAIL_EAR: usize = 9;
type Tail = [u32; 10];

/// Positions in a scenario: item, destination, end user, end use.
const SCENARIO_COLUMNS: [usize; 4] = [2, 4, 5, 6];

/// The `ear_applies` column.
const EAR: usize = 14;

/// Matrix rows as Parquet.
pub struct ParquetSink {
    target: Option<Target>,
    /// Row groups go to a writer thread, which encodes one while the next is computed.
    tx: Option<std::sync::mpsc::SyncSender<Group>>,
    /// Row buffers the writer is done with, back for the next group (no fresh pages).
    spent: Option<std::sync::mpsc::Receiver<Rows>>,
    worker: Option<std::thread::JoinHandle<std::io::Result<Box<dyn Write + Send>>>>,
    meta: Vec<(String, String)>,
    group_rows: usize,
    ready: bool,
    t: Tables,
}

/// The interned values and the pending row group.
#[derive(Default)]
struct Tables {
    /// Values by `COLUMNS` index (the scenario ids are made from `scenarios` when written).
    dicts: Vec<Interner>,
    /// Codes of jurisdiction (by index), item (by position), destination (by place id), end
    /// user and end use (by position); outcome and confidence by determination id.
    juris: Vec<u32>,
    items: Vec<u32>,
    dests: Vec<u32>,
    users: Vec<u32>,
    uses: Vec<u32>,
    det_codes: Vec<(u32, u32)>,
    /// Scenario number by (item, destination, end user, end use), and the scenarios' codes.
    scenario_of: Vec<u32>,
    scenarios: Vec<[u32; 4]>,
    /// Per (jurisdiction, item, destination): (determination, tail number) pairs seen there.
    tail_of: Vec<Vec<(u32, u32)>>,
    /// Per (jurisdiction, item): the determinations seen there, rendered for every destination.
    shapes_of: Vec<Vec<Shape>>,
    tails: Vec<Tail>,
    /// The pending row group: scenario and tail number per row.
    rows_scenario: Vec<u32>,
    rows_tail: Vec<u32>,
    /// How many tails, scenarios and values of each column the writer thread has been sent.
    sent_tails: usize,
    sent_scenarios: usize,
    sent_values: Vec<usize>,
}

/// A determination of one (jurisdiction, item) rendered for every destination.
struct Shape {
    det: u32,
    used: DestUse,
    /// The tail's codes; conditions and reasons are `NONE` where the destination enters them.
    codes: Tail,
    /// The tail every destination shares ([`DestUse::None`]).
    shared: u32,
    /// Conditions and reasons with `{dest}` kept (where the destination enters them).
    texts: Option<(String, String)>,
}

/// What the writer thread needs for one row group: the rows, and what was interned since the
/// previous group (so nothing is copied twice).
struct Group {
    rows_scenario: Vec<u32>,
    rows_tail: Vec<u32>,
    tails: Vec<Tail>,
    scenarios: Vec<[u32; 4]>,
    values: Vec<Vec<String>>,
}

/// A group's row buffers (scenario and tail numbers).
type Rows = (Vec<u32>, Vec<u32>);

/// The writer thread's copy of the interned tables, grown group by group.
#[derive(Default)]
struct Mirror {
    tails: Vec<Tail>,
    scenarios: Vec<[u32; 4]>,
    /// Scenario ids, written once each.
    ids: Vec<String>,
    values: Vec<Vec<String>>,
}

impl ParquetSink {
    /// A sink writing to `target`, with `meta` as key-value metadata.
    pub fn new(target: Target, meta: Vec<(String, String)>) -> ParquetSink {
        let group_rows = std::env::var(ROW_GROUP_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(ROW_GROUP_ROWS);
        ParquetSink {
            target: Some(target),
            tx: None,
            spent: None,
            worker: None,
            meta,
            group_rows,
            ready: false,
            t: Tables {
                dicts: COLUMNS.iter().map(|_| Interner::default()).collect(),
                ..Tables::default()
            },
        }
    }
}

impl Tables {
    /// Interns the small vocabularies once: jurisdictions, items, places, words, outcomes.
    fn prepare(&mut self, bulk: &Bulk<'_>) {
        let w = bulk.world;
        let places = w.places().len();
        let d = &mut self.dicts;
        self.juris = w.jurisdictions.iter().map(|j| d[1].code(&j.code)).collect();
        self.items = bulk
            .items
            .iter()
            .map(|&i| d[2].code(&w.catalogue().get(i).code))
            .collect();
        self.dests = w
            .places()
            .ids()
            .map(|p| d[4].code(w.places().code(p)))
            .collect();
        self.users = EndUser::VALUES
            .iter()
            .map(|u| d[5].code(u.as_str()))
            .collect();
        self.uses = EndUse::VALUES
            .iter()
            .map(|u| d[6].code(u.as_str()))
            .collect();
        self.det_codes = bulk
            .dets
            .iter()
            .map(|x| {
                (
                    d[7].code(x.outcome.as_str()),
                    d[13].code(x.confidence.as_str()),
                )
            })
            .collect();
        for empty in &mut d[15..] {
            empty.code("");
        }
        self.tail_of = vec![Vec::new(); w.jurisdictions.len() * bulk.items.len() * places];
        self.shapes_of = (0..w.jurisdictions.len() * bulk.items.len())
            .map(|_| Vec::new())
            .collect();
        self.scenario_of =
            vec![NONE; bulk.items.len() * places * EndUser::VALUES.len() * EndUse::VALUES.len()];
    }

    /// The tail of `c`, interned on first sight. The rule chain is rendered once per
    /// (jurisdiction, item, determination) for every destination: where the destination does
    /// not enter it, every destination shares one tail; where it enters through `{dest}`
    /// alone, the destination is written in; otherwise the cell is rendered on its own.
    fn tail(&mut self, bulk: &Bulk<'_>, c: &Cell) -> u32 {
        let places = bulk.world.places().len();
        let key = c.jurisdiction * bulk.items.len() + c.item;
        let slot = key * places + c.dest as usize;
        if let Some(&(_, t)) = self.tail_of[slot].iter().find(|(d, _)| *d == c.det) {
            return t;
        }
        let at = match self.shapes_of[key].iter().position(|s| s.det == c.det) {
            Some(at) => at,
            None => {
                let shape = self.shape(bulk, c);
                self.shapes_of[key].push(shape);
                self.shapes_of[key].len() - 1
            }
        };
        let shape = &self.shapes_of[key][at];
        let t = match &shape.texts {
            None => shape.shared,
            Some((conditions, reasons)) => {
                let w = bulk.world;
                let (conditions, reasons) = if shape.used == DestUse::Placeholders {
                    (
                        w.fill_dest(conditions, c.dest),
                        w.fill_dest(reasons, c.dest),
                    )
                } else {
                    let d = &bulk.dets[c.det as usize];
                    let p = w.render_parts(c.jurisdiction, bulk.items[c.item], c.dest, d);
                    (p.conditions, p.reasons)
                };
                let mut tail = shape.codes;
                tail[5] = self.dicts[10].code(&conditions);
                tail[6] = self.dicts[11].code(&reasons);
                let t = self.tails.len() as u32;
                self.tails.push(tail);
                t
            }
        };
        self.tail_of[slot].push((c.det, t));
        t
    }

    /// The rendering of `c`'s determination for every destination.
    fn shape(&mut self, bulk: &Bulk<'_>, c: &Cell) -> Shape {
        let d = &bulk.dets[c.det as usize];
        let (p, used) = bulk
            .world
            .render_any_dest(c.jurisdiction, bulk.items[c.item], d);
        let (outcome, confidence) = self.det_codes[c.det as usize];
        let dicts = &mut self.dicts;
        let mut codes: Tail = [
            self.juris[c.jurisdiction],
            dicts[3].code(&p.local_entry),
            outcome,
            dicts[8].code(&p.authorisation),
            dicts[9].code(&p.licence_policy),
            NONE,
            NONE,
            dicts[12].code(&p.citations),
            confidence,
            u32::from(!ear(bulk, c).is_empty()),
        ];
        if used == DestUse::None {
            codes[5] = dicts[10].code(&p.conditions);
            codes[6] = dicts[11].code(&p.reasons);
            let shared = self.tails.len() as u32;
            self.tails.push(codes);
            Shape {
                det: c.det,
                used,
                codes,
                shared,
                texts: None,
            }
        } else {
            Shape {
                det: c.det,
                used,
                codes,
                shared: NONE,
                texts: Some((p.conditions, p.reasons)),
            }
        }
    }

    fn fill(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) {
        let places = bulk.world.places().len();
        let (n_users, n_uses) = (EndUser::VALUES.len(), EndUse::VALUES.len());
        for c in cells {
            let at = ((c.item * places + c.dest as usize) * n_users + c.user) * n_uses + c.usage;
            let mut s = self.scenario_of[at];
            if s == NONE {
                s = self.scenarios.len() as u32;
                self.scenarios.push([
                    self.items[c.item],
                    self.dests[c.dest as usize],
                    self.users[c.user],
                    self.uses[c.usage],
                ]);
                self.scenario_of[at] = s;
            }
            let t = self.tail(bulk, c);
            self.rows_scenario.push(s);
            self.rows_tail.push(t);
        }
    }
}

impl Tables {
    /// Rows `[start, end)` of `spec`, read from the tables in order without materialising
    /// cells: the same rows as [`Tables::fill`] of `spec.chunk(bulk, start, end)`. Row `n` is
    /// decoded once and then counted on (jurisdiction fastest), and each jurisdiction keeps
    /// its last (determination, tail) pair, which repeats along a destination.
    fn fill_range(&mut self, bulk: &Bulk<'_>, spec: &MatrixSpec, start: u64, end: u64) {
        let (nj, ne, nu, nd) = (
            spec.jurisdictions.len(),
            spec.end_uses.len(),
            spec.end_users.len(),
            spec.destinations.len(),
        );
        if start >= end || nj == 0 || ne == 0 || nu == 0 || nd == 0 {
            return;
        }
        let places = bulk.world.places().len();
        let (n_users, n_uses) = (EndUser::VALUES.len(), EndUse::VALUES.len());
        let mut j = (start % nj as u64) as usize;
        let rest = start / nj as u64;
        let mut e = (rest % ne as u64) as usize;
        let rest = rest / ne as u64;
        let mut u = (rest % nu as u64) as usize;
        let rest = rest / nu as u64;
        let mut d = (rest % nd as u64) as usize;
        let mut i = (rest / nd as u64) as usize;
        // Per jurisdiction position: the last (determination, tail) seen at this item and
        // destination.
        let mut last: Vec<(u32, u32)> = vec![(NONE, NONE); nj];
        let line_of = |i: usize, d: usize| -> Vec<crate::engine::bulk::Line<'_>> {
            let dest = spec.destinations[d];
            spec.jurisdictions
                .iter()
                .map(|&j| bulk.line(j, i, dest))
                .collect()
        };
        let mut lines = line_of(i, d);
        let mut s = NONE;
        for _ in start..end {
            let dest = spec.destinations[d];
            let (user, usage) = (spec.end_users[u], spec.end_uses[e]);
            if s == NONE {
                let at = ((i * places + dest as usize) * n_users + user) * n_uses + usage;
                s = self.scenario_of[at];
                if s == NONE {
                    s = self.scenarios.len() as u32;
                    self.scenarios.push([
                        self.items[i],
                        self.dests[dest as usize],
                        self.users[user],
                        self.uses[usage],
                    ]);
                    self.scenario_of[at] = s;
                }
            }
            let jurisdiction = spec.jurisdictions[j];
            let det = lines[j].get(user, usage);
            let t = match last[j] {
                (known, t) if known == det => t,
                _ => {
                    let c = Cell {
                        item: i,
                        dest,
                        user,
                        usage,
                        jurisdiction,
                        det,
                    };
                    let t = self.tail(bulk, &c);
                    last[j] = (det, t);
                    t
                }
            };
            self.rows_scenario.push(s);
            self.rows_tail.push(t);
            // Count on: jurisdiction, end use, end user, destination, item.
            j += 1;
            if j == nj {
                j = 0;
                s = NONE;
                e += 1;
                if e == ne {
                    e = 0;
                    u += 1;
                    if u == nu {
                        u = 0;
                        d += 1;
                        last.fill((NONE, NONE));
                        if d == nd {
                            d = 0;
                            i += 1;
                        }
                        if i < bulk.items.len() {
                            lines = line_of(i, d);
                        }
                    }
                }
            }
        }
    }
}

impl Mirror {
    /// Takes in what `g` adds to the tables.
    fn grow(&mut self, g: &mut Group) {
        self.tails.append(&mut g.tails);
        if self.values.len() < g.values.len() {
            self.values.resize_with(g.values.len(), Vec::new);
        }
        for (mine, new) in self.values.iter_mut().zip(&mut g.values) {
            mine.append(new);
        }
        for s in g.scenarios.drain(..) {
            let v = &self.values;
            self.ids.push(format!(
                "{}/{}/{}/{}",
                v[2][s[0] as usize], v[4][s[1] as usize], v[5][s[2] as usize], v[6][s[3] as usize]
            ));
            self.scenarios.push(s);
        }
    }

    /// Column `k` of a group as a chunk, with a dictionary of the values the group uses
    /// ([`compact`]); columns that follow the tail are encoded from the
    /// group's runs of equal tails, so a run of rows costs one step, not one per row.
    fn chunk(
        &self,
        k: usize,
        rows_scenario: &[u32],
        rows_tail: &[u32],
        tail_runs: &[(u32, u32)],
    ) -> std::io::Result<Chunk> {
        if k == EAR {
            let flags: Vec<Option<bool>> = rows_tail
                .iter()
                .map(|&t| (self.tails[t as usize][TAIL_EAR] == 1).then_some(true))
                .collect();
            return bool_chunk(&flags);
        }
        if k == 0 {
            let mut runs = runs_of(rows_scenario.iter().copied());
            let dict = compact(&self.ids, &mut runs);
            return text_chunk_runs(&dict, &runs);
        }
        // One runs buffer per thread, kept from group to group.
        thread_local!(static RUNS: std::cell::RefCell<Vec<(u32, u32)>> =
            const { std::cell::RefCell::new(Vec::new()) });
        RUNS.with_borrow_mut(|runs| {
            if let Some(p) = SCENARIO_COLUMNS.iter().position(|&c| c == k) {
                merge_runs_into(
                    rows_scenario
                        .iter()
                        .map(|&s| (self.scenarios[s as usize][p], 1)),
                    runs,
                );
            } else if let Some(p) = TAIL_COLUMNS.iter().position(|&c| c == k) {
                merge_runs_into(
                    tail_runs
                        .iter()
                        .map(|&(t, n)| (self.tails[t as usize][p], n)),
                    runs,
                );
            } else {
                runs.clear();
                runs.push((0, rows_tail.len() as u32));
            }
            let dict = compact(&self.values[k], runs);
            text_chunk_runs(&dict, runs)
        })
    }
}

/// The writer thread: takes in each group's additions, encodes its columns in schema order and
/// writes them; returns the output when the groups stop coming.
fn write_groups(
    out: Box<dyn Write + Send>,
    meta: Vec<(String, String)>,
    rx: std::sync::mpsc::Receiver<Group>,
    spent: std::sync::mpsc::Sender<Rows>,
) -> std::io::Result<Box<dyn Write + Send>> {
    let columns = COLUMNS
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let t = if k == EAR {
                ColumnType::Bool
            } else {
                ColumnType::Text
            };
            ((*c).to_string(), t)
        })
        .collect();
    let mut writer = Writer::new(out, columns, meta)?;
    let mut mirror = Mirror::default();
    let mut tail_runs = Vec::new();
    for mut g in rx {
        mirror.grow(&mut g);
        merge_runs_into(g.rows_tail.iter().map(|&t| (t, 1)), &mut tail_runs);
        // Columns are encoded in parallel; written in schema order, so the file is the same
        // whatever the thread count.
        let chunks: Vec<Chunk> = (0..COLUMNS.len())
            .into_par_iter()
            .map(|k| mirror.chunk(k, &g.rows_scenario, &g.rows_tail, &tail_runs))
            .collect::<std::io::Result<_>>()?;
        writer.write_group(g.rows_tail.len() as u64, &chunks)?;
        // The filler may have stopped taking them back: then they are dropped.
        let _ = spent.send((g.rows_scenario, g.rows_tail));
    }
    writer.finish()
}

impl ParquetSink {
    /// The sending end of the writer thread (started on first use).
    fn sender(&mut self) -> Result<&std::sync::mpsc::SyncSender<Group>> {
        if self.tx.is_none() {
            let Some(target) = self.target.as_mut() else {
                return Err(closed());
            };
            let out = std::mem::replace(&mut target.out, Box::new(std::io::sink()));
            let (tx, rx) = std::sync::mpsc::sync_channel::<Group>(1);
            let meta = self.meta.clone();
            let (spent_tx, spent_rx) = std::sync::mpsc::channel::<Rows>();
            self.worker = Some(std::thread::spawn(move || {
                write_groups(out, meta, rx, spent_tx)
            }));
            self.spent = Some(spent_rx);
            self.tx = Some(tx);
        }
        self.tx.as_ref().ok_or_else(closed)
    }

    /// Sends the pending rows, and what was interned since the last group, to the writer.
    fn flush(&mut self) -> Result<()> {
        if self.worker.is_some() && self.tx.is_none() {
            // The writer stopped: its error is reported by `finish`.
            return Ok(());
        }
        let t = &mut self.t;
        if t.rows_tail.is_empty() {
            return Ok(());
        }
        t.sent_values.resize(t.dicts.len(), 0);
        let group = Group {
            rows_scenario: std::mem::take(&mut t.rows_scenario),
            rows_tail: std::mem::take(&mut t.rows_tail),
            tails: t.tails[t.sent_tails..].to_vec(),
            scenarios: t.scenarios[t.sent_scenarios..].to_vec(),
            values: t
                .dicts
                .iter()
                .zip(&t.sent_values)
                .map(|(d, &n)| d.values[n..].to_vec())
                .collect(),
        };
        t.sent_tails = t.tails.len();
        t.sent_scenarios = t.scenarios.len();
        for (n, d) in t.sent_values.iter_mut().zip(&t.dicts) {
            *n = d.values.len();
        }
        if let Some((mut a, mut b)) = self.spent.as_ref().and_then(|r| r.try_recv().ok()) {
            a.clear();
            b.clear();
            self.t.rows_scenario = a;
            self.t.rows_tail = b;
        }
        if self.sender()?.send(group).is_err() {
            // The writer stopped: its error is reported by `finish`.
            self.tx = None;
        }
        Ok(())
    }
}

fn io(e: std::io::Error) -> Error {
    Error::Output {
        format: "parquet",
        message: e.to_string(),
    }
}

fn closed() -> Error {
    Error::Output {
        format: "parquet",
        message: "writer closed".into(),
    }
}

impl MatrixSink for ParquetSink {
    fn write(&mut self, bulk: &Bulk<'_>, cells: &[Cell]) -> Result<()> {
        if !self.ready {
            self.t.prepare(bulk);
            self.ready = true;
        }
        let mut rest = cells;
        while !rest.is_empty() {
            let room = self.group_rows - self.t.rows_tail.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.t.rows_scenario.reserve(now.len());
            self.t.rows_tail.reserve(now.len());
            self.t.fill(bulk, now);
            if self.t.rows_tail.len() >= self.group_rows {
                self.flush()?;
            }
            rest = later;
        }
        Ok(())
    }

    fn write_rows(
        &mut self,
        bulk: &Bulk<'_>,
        spec: &MatrixSpec,
        start: u64,
        end: u64,
    ) -> Result<()> {
        if !self.ready {
            self.t.prepare(bulk);
            self.ready = true;
        }
        let mut at = start;
        while at < end {
            let room = (self.group_rows - self.t.rows_tail.len()) as u64;
            let to = (at + room).min(end);
            let n = (to - at) as usize;
            self.t.rows_scenario.reserve(n);
            self.t.rows_tail.reserve(n);
            self.t.fill_range(bulk, spec, at, to);
            if self.t.rows_tail.len() >= self.group_rows {
                self.flush()?;
            }
            at = to;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        // An empty matrix is still a file with its schema.
        if self.worker.is_none() {
            self.sender()?;
        }
        self.tx = None;
        if let Some(worker) = self.worker.take() {
            let out = worker
                .join()
                .map_err(|_| Error::Output {
                    format: "parquet",
                    message: "the writer thread stopped unexpectedly".into(),
                })?
                .map_err(io)?;
            if let Some(t) = self.target.as_mut() {
                t.out = out;
            }
        }
        match self.target.take() {
            Some(t) => t.finish(),
            None => Ok(()),
        }
    }
}
