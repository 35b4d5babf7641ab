//! The `evaluate` pipeline: scenario rows in, determination rows out, at the speed of the
//! compiled tables.
//!
//! Each distinct scenario (the cells of every contract column but `id`) is resolved once, and
//! each distinct (scenario, jurisdiction) is evaluated and rendered once; a row is then its id
//! and pre-rendered cells copied into a large output buffer. CSV rows are read without
//! allocating per field. Caches are bounded, so memory stays flat for files of any length, and
//! the output does not depend on them. Files are read twice: once to check every row (and find
//! repeated ids in bounded memory), once to write.

use rustc_hash::FxHashMap;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::engine::{COLUMNS, Chain, Determination, World};
use crate::error::{Error, Located, Result};
use crate::input::stream::{Input, Records};
use crate::input::{self, Options, RawRecord, SCENARIO_COLUMNS};
use crate::model::{PartyHit, Scenario};
use crate::output::provenance::Provenance;
use crate::output::rows::Col;
use crate::output::{OutputFormat, Target, explanation};

/// Distinct scenarios kept resolved (then the cache starts afresh).
const MAX_TEMPLATES: usize = 1 << 18;
/// Distinct rendered (scenario, jurisdiction) rows kept.
const MAX_RENDERED: usize = 1 << 18;
/// Rows handled per batch.
const BATCH: usize = 1 << 15;
/// Output buffer flushed at this size.
const FLUSH: usize = 1 << 22;

/// What to write.
pub struct Plan<'a> {
    /// Output format.
    pub format: OutputFormat,
    /// Output columns.
    pub cols: Vec<Col>,
    /// Their names.
    pub names: Vec<String>,
    /// Jurisdictions for scenarios without an exporter.
    pub selection: &'a [usize],
    /// Bad rows become error rows instead of failing the run.
    pub keep_going: bool,
    /// Print rule chains.
    pub explain: bool,
    /// Output file (`None`: standard output).
    pub output: Option<&'a Path>,
    /// Provenance (Parquet metadata).
    pub provenance: &'a Provenance,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// Counts of a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Scenario rows read.
    pub scenarios: u64,
    /// Output rows written.
    pub rows: u64,
    /// Bad scenario rows (with `--keep-going`).
    pub bad: u64,
    /// Distinct scenarios resolved.
    pub distinct: u64,
}

/// Where each input column goes.
struct Layout {
    /// Field index of each contract column (`SCENARIO_COLUMNS` order).
    contract: [Option<usize>; SCENARIO_COLUMNS.len()],
    /// Field indices of passed-through columns.
    extra: Vec<usize>,
}

/// One input row, borrowed.
struct RowRef<'r> {
    line: u64,
    cells: [&'r [u8]; SCENARIO_COLUMNS.len()],
    extra: Vec<&'r [u8]>,
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map(|i| i + 1)
        .unwrap_or(start);
    &b[start..end.max(start)]
}

const ID: usize = 0;

/// Position of `end_user_name` in `SCENARIO_COLUMNS`.
const NAME: usize = column_index("end_user_name");

const fn column_index(name: &str) -> usize {
    let mut i = 0;
    while i < SCENARIO_COLUMNS.len() {
        let (a, b) = (SCENARIO_COLUMNS[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut k = 0;
            while k < a.len() && a[k] == b[k] {
                k += 1;
            }
            if k == a.len() {
                return i;
            }
        }
        i += 1;
    }
    // Not a column: nothing is ever at this position.
    usize::MAX
}

/// A name cell that is blank once trimmed: no name.
const NO_NAME: u32 = u32::MAX;

/// Screened names kept (then that cache starts afresh).
const MAX_NAMES: usize = 1 << 16;

/// A scenario resolved once, kept by the bytes of its cells.
///
/// The end-user name is kept apart: a scenario is resolved once without it (the *base*), each
/// distinct name is screened once, and the named scenario is the base with the name's
/// party-list hits. The engine reads a name only through its hits (and whether one was given),
/// so every name with the same hits shares one template, and one evaluation per jurisdiction.
struct Cache {
    /// Base templates by their cells (all but `id` and `end_user_name`).
    index: FxHashMap<Vec<u8>, u32>,
    /// Named templates by (base, hit list).
    named: FxHashMap<(u32, u32), u32>,
    /// Named templates without hits, by base (`u32::MAX`: none yet): the common case, kept
    /// in an array.
    unlisted: Vec<u32>,
    /// Per template: the base template it adds a name to (`u32::MAX`: none, as for every
    /// template beyond its end).
    bases: Vec<u32>,
    /// Distinct hit lists, and their index.
    hit_lists: Vec<Vec<PartyHit>>,
    hit_index: FxHashMap<Vec<PartyHit>, u32>,
    /// Screened names (the cells as read) and their hit list ([`NO_NAME`]: blank).
    names: FxHashMap<Box<[u8]>, u32>,
    templates: Vec<Scenario>,
    key: Vec<u8>,
}

impl Cache {
    fn new() -> Cache {
        Cache {
            index: FxHashMap::default(),
            named: FxHashMap::default(),
            unlisted: Vec::new(),
            bases: Vec::new(),
            hit_lists: Vec::new(),
            hit_index: FxHashMap::default(),
            names: FxHashMap::default(),
            templates: Vec::new(),
            key: Vec::with_capacity(256),
        }
    }

    fn key(&mut self, row: &RowRef<'_>) {
        self.key.clear();
        for (i, c) in row.cells.iter().enumerate() {
            if i != ID && i != NAME {
                self.key.extend_from_slice(c);
                self.key.push(0x1f);
            }
        }
    }

    /// The template whose determination under jurisdiction `j` is that of template `t`: its
    /// base where `t` only adds a name that no list holds and `j`'s law reads a name only
    /// through its hits ([`World::name_read_only_through_hits`]).
    fn evaluated_as(&self, world: &World, t: u32, j: usize) -> u32 {
        let b = self.base_of(t);
        if b != t
            && self.templates[t as usize].hits.is_empty()
            && world.name_read_only_through_hits(j)
        {
            b
        } else {
            t
        }
    }

    /// The template without the end-user name of template `t` (`t` itself if it has none):
    /// the two share their rule chain up to the party-list hits.
    fn base_of(&self, t: u32) -> u32 {
        match self.bases.get(t as usize) {
            Some(&b) if b != u32::MAX => b,
            _ => t,
        }
    }

    /// Starts afresh when full. Only where no row refers to a template (between batches).
    fn bound(&mut self) -> bool {
        if self.templates.len() > MAX_TEMPLATES || self.hit_lists.len() > MAX_TEMPLATES {
            self.templates.clear();
            self.index.clear();
            self.named.clear();
            self.unlisted.clear();
            self.bases.clear();
            self.hit_lists.clear();
            self.hit_index.clear();
            self.names.clear();
            return true;
        }
        false
    }
}

fn raw_record(file: &str, row: &RowRef<'_>) -> Result<RawRecord> {
    let mut rec = RawRecord {
        line: row.line,
        ..RawRecord::default()
    };
    for (i, c) in row.cells.iter().enumerate() {
        let text = cell_text(file, row.line, SCENARIO_COLUMNS[i], c)?;
        if !text.is_empty() || i == ID {
            rec.cells
                .insert(SCENARIO_COLUMNS[i].to_string(), text.to_string());
        }
    }
    Ok(rec)
}

/// A cell as text: UTF-8, no NUL, no byte-order mark, within the size limit.
fn cell_text<'c>(file: &str, line: u64, column: &str, c: &'c [u8]) -> Result<&'c str> {
    let at = |m: &str| Error::input(Located::new(file, m).line(line).column(column));
    if c.len() > crate::data::table::MAX_FIELD_BYTES {
        return Err(at(&format!(
            "field longer than {} bytes",
            crate::data::table::MAX_FIELD_BYTES
        )));
    }
    // ASCII without NUL (the common case, checked in one pass) has no NUL and no byte-order
    // mark; only other cells need those searches.
    let plain_ascii = c
        .iter()
        .fold(true, |ok, &b| ok & (b.wrapping_sub(1) < 0x7f));
    if !plain_ascii && c.contains(&0) {
        return Err(at(
            "the row contains a NUL byte: it looks binary, not CSV text",
        ));
    }
    let t = std::str::from_utf8(c).map_err(|_| at("field is not valid UTF-8 text"))?;
    if !plain_ascii && t.contains('\u{feff}') {
        return Err(at(
            "a byte-order mark (U+FEFF) inside the file: it is accepted only at the start",
        ));
    }
    Ok(t)
}

/// Repeated ids in bounded memory: 64-bit hashes with their lines, sorted in runs that spill
/// to temporary files beyond a few million rows, then merged.
struct Duplicates {
    run: Vec<(u64, u64)>,
    spilled: Vec<tempfile::NamedTempFile>,
}

const RUN: usize = 1 << 23;

impl Duplicates {
    fn new() -> Duplicates {
        Duplicates {
            run: Vec::new(),
            spilled: Vec::new(),
        }
    }

    fn push(&mut self, id: &[u8], line: u64) -> Result<()> {
        use std::hash::{BuildHasher, Hasher};
        let mut h =
            std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
                .build_hasher();
        h.write(id);
        self.run.push((h.finish(), line));
        if self.run.len() >= RUN {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        self.run.sort_unstable();
        let mut f = tempfile::NamedTempFile::new()
            .map_err(|e| Error::io("create", &std::env::temp_dir(), e))?;
        {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f.as_file_mut());
            for (h, l) in &self.run {
                w.write_all(&h.to_le_bytes())
                    .and_then(|_| w.write_all(&l.to_le_bytes()))
                    .map_err(|e| Error::io("write", &std::env::temp_dir(), e))?;
            }
            w.flush()
                .map_err(|e| Error::io("write", &std::env::temp_dir(), e))?;
        }
        self.spilled.push(f);
        self.run.clear();
        Ok(())
    }

    /// Lines whose id appeared on an earlier line (each with that earlier line), by line.
    fn finish(mut self) -> Result<Vec<(u64, u64)>> {
        let sorted: Box<dyn Iterator<Item = (u64, u64)>> = if self.spilled.is_empty() {
            self.run.sort_unstable();
            Box::new(std::mem::take(&mut self.run).into_iter())
        } else {
            if !self.run.is_empty() {
                self.spill()?;
            }
            let mut readers = Vec::new();
            for f in &self.spilled {
                let file = f.reopen().map_err(|e| Error::io("read", f.path(), e))?;
                readers.push(std::io::BufReader::with_capacity(1 << 16, file));
            }
            Box::new(Merge::new(readers))
        };
        let mut out = Vec::new();
        let mut group: Vec<u64> = Vec::new();
        let mut last: Option<u64> = None;
        for (h, l) in sorted {
            if last != Some(h) {
                close(&mut group, &mut out);
                last = Some(h);
            }
            group.push(l);
        }
        close(&mut group, &mut out);
        out.sort_unstable();
        Ok(out)
    }
}

/// Records the later lines of a group of equal hashes against its first line.
fn close(group: &mut Vec<u64>, out: &mut Vec<(u64, u64)>) {
    if group.len() > 1 {
        group.sort_unstable();
        for &l in &group[1..] {
            out.push((l, group[0]));
        }
    }
    group.clear();
}

/// A k-way merge of sorted runs of (hash, line) pairs.
struct Merge {
    readers: Vec<std::io::BufReader<std::fs::File>>,
    heads: Vec<Option<(u64, u64)>>,
}

impl Merge {
    fn new(mut readers: Vec<std::io::BufReader<std::fs::File>>) -> Merge {
        let heads = readers.iter_mut().map(read_pair).collect();
        Merge { readers, heads }
    }
}

fn read_pair(r: &mut std::io::BufReader<std::fs::File>) -> Option<(u64, u64)> {
    use std::io::Read;
    let mut b = [0u8; 16];
    r.read_exact(&mut b).ok()?;
    let mut h = [0u8; 8];
    let mut l = [0u8; 8];
    h.copy_from_slice(&b[..8]);
    l.copy_from_slice(&b[8..]);
    Some((u64::from_le_bytes(h), u64::from_le_bytes(l)))
}

impl Iterator for Merge {
    type Item = (u64, u64);

    fn next(&mut self) -> Option<(u64, u64)> {
        let (k, v) = self
            .heads
            .iter()
            .enumerate()
            .filter_map(|(i, h)| h.map(|x| (i, x)))
            .min_by_key(|(_, x)| *x)?;
        self.heads[k] = read_pair(&mut self.readers[k]);
        Some(v)
    }
}

/// A rendered determination row (all columns but the scenario id), with its encodings.
struct Tail {
    cells: Vec<String>,
    csv: Vec<Vec<u8>>,
    json: Vec<String>,
    explain: String,
    #[cfg(feature = "polars")]
    codes: Vec<u32>,
}

/// CSV encoding of a cell: formula prefix neutralised, hidden characters escaped, quoted
/// when needed.
fn csv_cell(s: &str, out: &mut Vec<u8>) {
    let s = crate::output::neutralise(s);
    let needs = s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if needs {
        out.push(b'"');
        let mut parts = s.split('"');
        if let Some(first) = parts.next() {
            out.extend_from_slice(first.as_bytes());
        }
        for p in parts {
            out.extend_from_slice(b"\"\"");
            out.extend_from_slice(p.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(&crate::output::escape_hidden(s)).unwrap_or_else(|_| "\"\"".into())
}

impl Tail {
    /// The cells of `r` with the encodings `format` writes (CSV or JSON; the others use the
    /// cells).
    fn new(r: crate::engine::Rendered, explain: bool, format: OutputFormat) -> Tail {
        let explain_text = if explain {
            explanation(&r.reasons, &r.conditions, &r.citations, &r.us_reasons)
        } else {
            String::new()
        };
        let cells: Vec<String> = r.into_fields().into();
        let csv = if format != OutputFormat::Csv {
            Vec::new()
        } else {
            cells
                .iter()
                .map(|c| {
                    let mut v = Vec::with_capacity(c.len() + 2);
                    csv_cell(c, &mut v);
                    v
                })
                .collect()
        };
        let json = if !matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
            Vec::new()
        } else {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if COLUMNS[i] == "ear_applies" {
                        match c.as_str() {
                            "true" => "true".into(),
                            "false" => "false".into(),
                            _ => "null".into(),
                        }
                    } else {
                        json_string(c)
                    }
                })
                .collect()
        };
        Tail {
            cells,
            csv,
            json,
            explain: explain_text,
            #[cfg(feature = "polars")]
            codes: Vec::new(),
        }
    }
}

/// One output row before encoding.
enum Line<'t> {
    Ok {
        id: &'t str,
        tail: u32,
        extra: Vec<&'t str>,
    },
    Bad {
        id: String,
        error: String,
        extra: Vec<String>,
    },
}

/// A batch of rows waiting to be written: their id and passed-through cells in one arena.
#[derive(Default)]
struct Batch {
    arena: Vec<u8>,
    bounds: Vec<(usize, usize)>,
    rows: Vec<(usize, usize, Result<u32, String>)>,
}

impl Batch {
    fn push(&mut self, row: &RowRef<'_>, r: Result<u32, String>, line_ids: bool) {
        let first = self.bounds.len();
        let generated;
        let id: &[u8] = if line_ids && row.cells[ID].is_empty() {
            generated = format!("line-{}", row.line);
            generated.as_bytes()
        } else {
            row.cells[ID]
        };
        for c in std::iter::once(id).chain(row.extra.iter().copied()) {
            let start = self.arena.len();
            self.arena.extend_from_slice(c);
            self.bounds.push((start, self.arena.len()));
        }
        self.rows.push((first, self.bounds.len() - first, r));
    }

    fn cell(&self, i: usize) -> &str {
        let (a, b) = self.bounds[i];
        std::str::from_utf8(&self.arena[a..b]).unwrap_or("")
    }

    fn clear(&mut self) {
        self.arena.clear();
        self.bounds.clear();
        self.rows.clear();
    }
}

/// The state of the writing pass.
struct Writer<'p> {
    plan: &'p Plan<'p>,
    enc: Encoder,
    target: Target,
    tails: Vec<Tail>,
    memo: FxHashMap<(u32, usize), u32>,
    /// Rule chains by (template without the name, jurisdiction), kept as long as `memo`.
    chains: FxHashMap<(u32, usize), Chain>,
    batch: Batch,
}

impl Writer<'_> {
    /// Evaluates what the batch needs (new determinations in parallel) and writes it.
    fn flush(&mut self, world: &World, cache: &mut Cache, stats: &mut Stats) -> Result<()> {
        let plan = self.plan;
        let mut missing: Vec<(u32, usize)> = Vec::new();
        // New (template, jurisdiction) pairs get a placeholder until rendered below.
        let next = self.tails.len();
        for (_, _, t) in &self.batch.rows {
            if let Ok(t) = t {
                for &j in targets(&cache.templates[*t as usize], plan.selection).as_slice() {
                    let e = cache.evaluated_as(world, *t, j);
                    if let std::collections::hash_map::Entry::Vacant(v) = self.memo.entry((e, j)) {
                        v.insert((next + missing.len()) as u32);
                        missing.push((e, j));
                    }
                }
            }
        }
        // With end-user names, the rule chains they rest on, once per (template without the
        // name, jurisdiction): a line with a listed customer then costs only its party-list
        // step.
        let named = !cache.bases.is_empty();
        let mut chains_needed: Vec<(u32, usize)> = missing
            .iter()
            .filter(|&&(_, j)| named && j != usize::MAX)
            .map(|&(t, j)| (cache.base_of(t), j))
            .filter(|k| !self.chains.contains_key(k))
            .collect();
        chains_needed.sort_unstable();
        chains_needed.dedup();
        let made: Vec<((u32, usize), Chain)> = chains_needed
            .par_iter()
            .with_min_len(8)
            .map(|&(b, j)| ((b, j), world.chain(j, &cache.templates[b as usize])))
            .collect();
        self.chains.extend(made);
        let chains = &self.chains;
        let rendered: Vec<Tail> = missing
            .par_iter()
            .with_min_len(8)
            .map(|&(t, j)| {
                let s = &cache.templates[t as usize];
                let d = match chains.get(&(cache.base_of(t), j)) {
                    Some(c) => world.evaluate_with(j, c, s),
                    None => determination(world, s, j),
                };
                Tail::new(world.render(s, &d), plan.explain, plan.format)
            })
            .collect();
        self.tails.extend(rendered);
        let batch = &self.batch;
        let mut lines: Vec<Line<'_>> = Vec::with_capacity(batch.rows.len());
        for (first, n, t) in &batch.rows {
            let id = batch.cell(*first);
            let extra: Vec<&str> = (first + 1..first + n).map(|i| batch.cell(i)).collect();
            match t {
                Ok(t) => {
                    for &j in targets(&cache.templates[*t as usize], plan.selection).as_slice() {
                        let e = cache.evaluated_as(world, *t, j);
                        let tail = self.memo.get(&(e, j)).copied().unwrap_or(0);
                        lines.push(Line::Ok {
                            id,
                            tail,
                            extra: extra.clone(),
                        });
                    }
                }
                Err(e) => lines.push(Line::Bad {
                    id: id.to_string(),
                    error: e.clone(),
                    extra: extra.iter().map(|s| s.to_string()).collect(),
                }),
            }
        }
        stats.rows += lines.len() as u64;
        self.enc.write(&lines, &mut self.tails, &mut self.target)?;
        drop(lines);
        self.batch.clear();
        // Rendered rows are kept by template index: when the templates start afresh, so do
        // they.
        if cache.bound() || self.tails.len() > MAX_RENDERED {
            self.tails.clear();
            self.memo.clear();
            self.chains.clear();
        }
        Ok(())
    }
}

fn duplicate_error(input: &Input, line: u64, first: u64) -> Error {
    let l = Located::new(&input.name, format!("duplicate scenario id (first on line {first})")).column("id").hint(
        "ids must be unique; if several rows belong to one order, say so with --id-column COLUMN (ids may repeat) or --line-ids (ids from line numbers)",
    );
    Error::input(if input.csv_lines() { l.line(line) } else { l })
}

fn no_scenarios(input: &Input) -> Error {
    Error::input(
        Located::new(&input.name, "no scenarios in the file").accepted("at least one scenario row"),
    )
}

/// Runs `evaluate` over `input`. Written to a file without `--keep-going`, the input is read
/// once: a problem discards the half-written temporary file. To standard output (which cannot
/// be taken back), or with `--keep-going` (which marks repeated ids in the output), it is read
/// twice: first to check every row and find repeated ids, then to write.
pub fn run(world: &World, input: &Input, opts: &Options, plan: &Plan<'_>) -> Result<Stats> {
    let mut stats = Stats::default();
    let mut cache = Cache::new();
    let total_bytes = input.len();
    let single = plan.output.is_some() && !plan.keep_going;
    let mut repeated: FxHashMap<u64, u64> = FxHashMap::default();
    if !single {
        let mut dups = Duplicates::new();
        let mut first_error: Option<Error> = None;
        let bar = Progress::new(plan.progress, total_bytes, "checking");
        for_each_row(input, |row, pos| {
            bar.set(pos);
            stats.scenarios += 1;
            // No row refers to a template in this pass: the caches may start afresh anywhere.
            cache.bound();
            let checked = resolve(world, &input.name, input.csv_lines(), opts, row, &mut cache)
                .and_then(|_| check_free_text(&input.name, row));
            if let Err(e) = checked
                && !plan.keep_going
            {
                first_error = Some(e);
                return false;
            }
            if !opts.repeat_ids
                && let Err(e) = dups.push(row.cells[ID], row.line)
            {
                first_error = Some(e);
                return false;
            }
            true
        })?;
        bar.finish();
        if let Some(e) = first_error {
            return Err(e);
        }
        if stats.scenarios == 0 {
            return Err(no_scenarios(input));
        }
        let found = dups.finish()?;
        if !plan.keep_going
            && let Some(&(line, first)) = found.first()
        {
            return Err(duplicate_error(input, line, first));
        }
        repeated = found.into_iter().collect();
        stats.scenarios = 0;
    }
    let mut w = Writer {
        plan,
        enc: Encoder::new(plan)?,
        target: Target::open(plan.output)?,
        tails: Vec::new(),
        memo: FxHashMap::default(),
        chains: FxHashMap::default(),
        batch: Batch::default(),
    };
    let mut dups = Duplicates::new();
    let bar = Progress::new(plan.progress, total_bytes, "evaluating");
    let mut failure: Option<Error> = None;
    for_each_row(input, |row, pos| {
        bar.set(pos);
        stats.scenarios += 1;
        let r = match repeated.get(&row.line) {
            Some(first) if !opts.repeat_ids => Err(Error::input(
                Located::new(
                    &input.name,
                    format!("duplicate scenario id (first on line {first})"),
                )
                .line(row.line)
                .column("id"),
            )),
            _ => resolve(world, &input.name, input.csv_lines(), opts, row, &mut cache)
                .and_then(|t| check_free_text(&input.name, row).map(|()| t)),
        };
        let r = match r {
            Ok(t) => Ok(t),
            Err(e) if plan.keep_going => {
                stats.bad += 1;
                Err(one_line(&e))
            }
            Err(e) => {
                failure = Some(e);
                return false;
            }
        };
        if single
            && !opts.repeat_ids
            && let Err(e) = dups.push(row.cells[ID], row.line)
        {
            failure = Some(e);
            return false;
        }
        w.batch.push(row, r, opts.line_ids);
        if w.batch.rows.len() >= BATCH
            && let Err(e) = w.flush(world, &mut cache, &mut stats)
        {
            failure = Some(e);
            return false;
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    if stats.scenarios == 0 {
        return Err(no_scenarios(input));
    }
    if single && let Some(&(line, first)) = dups.finish()?.first() {
        return Err(duplicate_error(input, line, first));
    }
    w.flush(world, &mut cache, &mut stats)?;
    stats.distinct = cache.templates.len() as u64;
    let Writer {
        enc,
        mut target,
        tails,
        ..
    } = w;
    enc.finish(&tails, &mut target)?;
    target.finish()?;
    bar.finish();
    Ok(stats)
}

fn one_line(e: &Error) -> String {
    e.to_string()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The jurisdictions a scenario is evaluated under: its exporter's, or the selection
/// (`usize::MAX` = an exporter whose law is not modelled).
fn targets<'s>(s: &Scenario, selection: &'s [usize]) -> Targets<'s> {
    match s.exporter {
        Some(e) => Targets::One([e.jurisdiction.unwrap_or(usize::MAX)]),
        None => Targets::Selection(selection),
    }
}

/// The jurisdictions of one scenario, without allocating.
enum Targets<'s> {
    One([usize; 1]),
    Selection(&'s [usize]),
}

impl Targets<'_> {
    fn as_slice(&self) -> &[usize] {
        match self {
            Targets::One(j) => j,
            Targets::Selection(s) => s,
        }
    }
}

fn determination(world: &World, s: &Scenario, j: usize) -> Determination {
    match (j, s.exporter) {
        (usize::MAX, Some(e)) => world.evaluate_unmodelled(e.place, s),
        _ => world.evaluate(j, s),
    }
}

/// Free-text cells (id, passed-through columns) must be text; hidden characters are kept.
fn check_free_text(file: &str, row: &RowRef<'_>) -> Result<()> {
    cell_text(file, row.line, "id", row.cells[ID])?;
    for e in &row.extra {
        cell_text(file, row.line, "(passed-through column)", e)?;
    }
    Ok(())
}

/// The template of a row: resolved once per distinct set of cells (the end-user name apart,
/// see [`Cache`]). Errors are those of resolving the whole row at once, in the same order.
fn resolve(
    world: &World,
    file: &str,
    csv_lines: bool,
    opts: &Options,
    row: &RowRef<'_>,
    cache: &mut Cache,
) -> Result<u32> {
    cache.key(row);
    let raw_name: &[u8] = if NAME < SCENARIO_COLUMNS.len() {
        row.cells[NAME]
    } else {
        &[]
    };
    // A name seen before was a valid cell then: it is not checked again.
    let seen = if raw_name.is_empty() {
        Some(NO_NAME)
    } else {
        cache.names.get(raw_name).copied()
    };
    let base = if let Some(&t) = cache.index.get(cache.key.as_slice()) {
        // Every other cell is that of a row already resolved: only the name is new.
        if seen.is_none() {
            cell_text(file, row.line, SCENARIO_COLUMNS[NAME], raw_name)?;
        }
        if !opts.line_ids && row.cells[ID].is_empty() {
            return Err(Error::input(
                Located::new(file, "required value is empty")
                    .line(row.line)
                    .column("id"),
            ));
        }
        t
    } else {
        let mut rec = raw_record(file, row)?;
        rec.cells.remove("end_user_name");
        let mut s = input::resolve_one(world, file, &rec, csv_lines, opts)?;
        s.id = String::new();
        let t = cache.templates.len() as u32;
        cache.templates.push(s);
        cache.index.insert(cache.key.clone(), t);
        t
    };
    let list = match seen {
        Some(NO_NAME) => return Ok(base),
        Some(l) => l,
        None => {
            let name = cell_text(file, row.line, SCENARIO_COLUMNS[NAME], raw_name)?.trim();
            let l = if name.is_empty() {
                NO_NAME
            } else {
                let hits = world.screen(name)?;
                match cache.hit_index.get(&hits) {
                    Some(&l) => l,
                    None => {
                        let l = cache.hit_lists.len() as u32;
                        cache.hit_lists.push(hits.clone());
                        cache.hit_index.insert(hits, l);
                        l
                    }
                }
            };
            if cache.names.len() >= MAX_NAMES {
                cache.names.clear();
            }
            cache.names.insert(raw_name.into(), l);
            if l == NO_NAME {
                return Ok(base);
            }
            l
        }
    };
    let unlisted = cache.hit_lists.get(list as usize).is_none_or(Vec::is_empty);
    if unlisted {
        if let Some(&t) = cache.unlisted.get(base as usize)
            && t != u32::MAX
        {
            return Ok(t);
        }
    } else if let Some(&t) = cache.named.get(&(base, list)) {
        return Ok(t);
    }
    let hits = cache
        .hit_lists
        .get(list as usize)
        .cloned()
        .unwrap_or_default();
    let mut s = cache.templates[base as usize].clone();
    // The cell was valid text when first read.
    s.end_user_name = Some(String::from_utf8_lossy(raw_name).trim().to_string());
    s.hits = hits;
    let t = cache.templates.len() as u32;
    cache.templates.push(s);
    cache.bases.resize(t as usize, u32::MAX);
    cache.bases.push(base);
    if unlisted {
        if cache.unlisted.len() <= base as usize {
            cache.unlisted.resize(base as usize + 1, u32::MAX);
        }
        cache.unlisted[base as usize] = t;
    } else {
        cache.named.insert((base, list), t);
    }
    Ok(t)
}

/// Calls `f` for every row of `input` with its byte position; `f` returns `false` to stop.
fn for_each_row(input: &Input, mut f: impl FnMut(&RowRef<'_>, u64) -> bool) -> Result<()> {
    let (records, header) = input.records()?;
    match records {
        Records::Csv(mut stream, names) => {
            let mut layout = Layout {
                contract: [None; SCENARIO_COLUMNS.len()],
                extra: Vec::new(),
            };
            for (i, n) in names.iter().enumerate() {
                match SCENARIO_COLUMNS.iter().position(|c| c == n) {
                    Some(k) => layout.contract[k] = Some(i),
                    None => layout.extra.push(i),
                }
            }
            let _ = header;
            while let Some(next) = stream.next_bytes() {
                let (line, rec) = next?;
                let pos = rec.position().map(|p| p.byte()).unwrap_or(0);
                let mut cells: [&[u8]; SCENARIO_COLUMNS.len()] = [&[]; SCENARIO_COLUMNS.len()];
                for (k, idx) in layout.contract.iter().enumerate() {
                    if let Some(i) = idx {
                        cells[k] = trim(rec.get(*i).unwrap_or(&[]));
                    }
                }
                let extra: Vec<&[u8]> = layout
                    .extra
                    .iter()
                    .map(|&i| trim(rec.get(i).unwrap_or(&[])))
                    .collect();
                let row = RowRef { line, cells, extra };
                if !f(&row, pos) {
                    break;
                }
            }
        }
        Records::Whole(records) => {
            for rec in records {
                let mut cells: [&[u8]; SCENARIO_COLUMNS.len()] = [&[]; SCENARIO_COLUMNS.len()];
                for (k, c) in SCENARIO_COLUMNS.iter().enumerate() {
                    if let Some(v) = rec.cells.get(*c) {
                        cells[k] = v.trim().as_bytes();
                    }
                }
                let extra: Vec<&[u8]> = rec.extra.iter().map(|e| e.trim().as_bytes()).collect();
                let row = RowRef {
                    line: rec.line,
                    cells,
                    extra,
                };
                if !f(&row, 0) {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// Writes rows in one format.
struct Encoder {
    format: OutputFormat,
    cols: Vec<Col>,
    names: Vec<String>,
    buf: Vec<u8>,
    rows: u64,
    explain: bool,
    table: Vec<Vec<String>>,
    table_notes: Vec<String>,
    #[cfg(feature = "polars")]
    parquet: Option<parquet::Rows>,
    /// Provenance as Parquet key-value metadata.
    #[cfg(feature = "polars")]
    meta: Vec<(String, String)>,
    spool: Option<Spool>,
}

impl Encoder {
    fn new(plan: &Plan<'_>) -> Result<Encoder> {
        let mut e = Encoder {
            format: plan.format,
            cols: plan.cols.clone(),
            names: plan.names.clone(),
            buf: Vec::with_capacity(FLUSH + (1 << 16)),
            rows: 0,
            explain: plan.explain,
            table: Vec::new(),
            table_notes: Vec::new(),
            #[cfg(feature = "polars")]
            parquet: None,
            spool: None,
            #[cfg(feature = "polars")]
            meta: plan.provenance.key_values(),
        };
        if e.format == OutputFormat::Csv {
            for (i, n) in e.names.iter().enumerate() {
                if i > 0 {
                    e.buf.push(b',');
                }
                csv_cell(n, &mut e.buf);
            }
            e.buf.push(b'\n');
        }
        Ok(e)
    }

    fn cell<'a>(line: &'a Line<'_>, c: Col, tails: &'a [Tail]) -> &'a str {
        match (line, c) {
            (Line::Ok { id, .. }, Col::Contract(0)) => id,
            (Line::Ok { tail, .. }, Col::Contract(i)) => &tails[*tail as usize].cells[i],
            (Line::Ok { extra, .. }, Col::Extra(i)) => extra.get(i).copied().unwrap_or(""),
            (Line::Ok { .. }, Col::Error) => "",
            (Line::Bad { id, .. }, Col::Contract(0)) => id,
            (Line::Bad { .. }, Col::Contract(_)) => "",
            (Line::Bad { extra, .. }, Col::Extra(i)) => {
                extra.get(i).map(String::as_str).unwrap_or("")
            }
            (Line::Bad { error, .. }, Col::Error) => error,
        }
    }

    fn write(&mut self, lines: &[Line<'_>], tails: &mut [Tail], target: &mut Target) -> Result<()> {
        if self.explain && self.format != OutputFormat::Table {
            let mut err = std::io::stderr().lock();
            for l in lines {
                if let Line::Ok { id, tail, .. } = l {
                    let t = &tails[*tail as usize];
                    let _ = writeln!(err, "{id} {} {}: {}", t.cells[1], t.cells[2], t.cells[7]);
                    let _ = write!(err, "{}", t.explain);
                }
            }
        }
        match self.format {
            OutputFormat::Csv => {
                for l in lines {
                    for (k, &c) in self.cols.iter().enumerate() {
                        if k > 0 {
                            self.buf.push(b',');
                        }
                        match (l, c) {
                            (Line::Ok { tail, .. }, Col::Contract(i)) if i > 0 => {
                                self.buf.extend_from_slice(&tails[*tail as usize].csv[i])
                            }
                            _ => csv_cell(Self::cell(l, c, tails), &mut self.buf),
                        }
                    }
                    self.buf.push(b'\n');
                    self.rows += 1;
                    if self.buf.len() >= FLUSH {
                        self.flush(target)?;
                    }
                }
            }
            OutputFormat::Json | OutputFormat::Jsonl => {
                for l in lines {
                    if self.format == OutputFormat::Json {
                        self.buf.extend_from_slice(if self.rows == 0 {
                            b"[\n  {"
                        } else {
                            b",\n  {"
                        });
                    } else {
                        self.buf.push(b'{');
                    }
                    for (k, (&c, name)) in self.cols.iter().zip(&self.names).enumerate() {
                        if k > 0 {
                            self.buf.push(b',');
                        }
                        self.buf.extend_from_slice(json_string(name).as_bytes());
                        self.buf.push(b':');
                        match (l, c) {
                            (Line::Ok { tail, .. }, Col::Contract(i)) if i > 0 => self
                                .buf
                                .extend_from_slice(tails[*tail as usize].json[i].as_bytes()),
                            _ => self
                                .buf
                                .extend_from_slice(json_string(Self::cell(l, c, tails)).as_bytes()),
                        }
                    }
                    self.buf.push(b'}');
                    if self.format == OutputFormat::Jsonl {
                        self.buf.push(b'\n');
                    }
                    self.rows += 1;
                    if self.buf.len() >= FLUSH {
                        self.flush(target)?;
                    }
                }
            }
            OutputFormat::Table => {
                for l in lines {
                    self.table.push(
                        self.cols
                            .iter()
                            .map(|&c| Self::cell(l, c, tails).to_string())
                            .collect(),
                    );
                    self.table_notes.push(match l {
                        Line::Ok { tail, .. } if self.explain => {
                            tails[*tail as usize].explain.clone()
                        }
                        Line::Bad { error, .. } => format!("    error        {error}\n"),
                        _ => String::new(),
                    });
                }
            }
            #[cfg(feature = "polars")]
            OutputFormat::Parquet => {
                if self.parquet.is_none() {
                    let out = std::mem::replace(&mut target.out, Box::new(std::io::sink()));
                    self.parquet = Some(parquet::Rows::new(
                        out,
                        &self.cols,
                        &self.names,
                        self.meta.clone(),
                    )?);
                }
                if let Some(p) = self.parquet.as_mut() {
                    p.write(lines, tails)?;
                }
                self.rows += lines.len() as u64;
            }
        }
        Ok(())
    }

    /// Hands the full buffer to the output thread and goes on with an empty one.
    fn flush(&mut self, target: &mut Target) -> Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let spool = match &mut self.spool {
            Some(s) => s,
            None => self.spool.insert(Spool::start(std::mem::replace(
                &mut target.out,
                Box::new(std::io::sink()),
            ))),
        };
        let next = spool
            .back
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(FLUSH + (1 << 16)));
        let full = std::mem::replace(&mut self.buf, next);
        if spool.tx.as_ref().is_none_or(|tx| tx.send(full).is_err()) {
            // The output thread stopped on an error: report it.
            if let Some(s) = self.spool.take() {
                s.finish(target)?;
            }
            return Err(output_error("the output thread stopped"));
        }
        Ok(())
    }

    fn finish(mut self, _tails: &[Tail], target: &mut Target) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                self.buf
                    .extend_from_slice(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })
            }
            OutputFormat::Table => {
                let text = crate::output::rows::table(&self.names, &self.table, &self.table_notes);
                self.buf.extend_from_slice(text.as_bytes());
            }
            #[cfg(feature = "polars")]
            OutputFormat::Parquet => {
                let p = match self.parquet.take() {
                    Some(p) => p,
                    None => {
                        let out = std::mem::replace(&mut target.out, Box::new(std::io::sink()));
                        parquet::Rows::new(out, &self.cols, &self.names, self.meta.clone())?
                    }
                };
                p.finish()?;
            }
            _ => {}
        }
        self.flush(target)?;
        match self.spool.take() {
            Some(s) => s.finish(target),
            None => Ok(()),
        }
    }
}

fn output_error(message: impl ToString) -> Error {
    Error::Output {
        format: "output",
        message: message.to_string(),
    }
}

/// The output's bytes written on a thread of their own, in order, so that copying them into
/// the file (the kernel's share of a run) overlaps with evaluating and encoding the next rows.
/// Buffers come back empty for reuse.
struct Spool {
    tx: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    back: std::sync::mpsc::Receiver<Vec<u8>>,
    worker: Option<std::thread::JoinHandle<Written>>,
}

/// What the output thread hands back: the output, and how writing to it ended.
type Written = (Box<dyn Write + Send>, std::io::Result<()>);

impl Spool {
    fn start(out: Box<dyn Write + Send>) -> Spool {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let (back_tx, back) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let worker = std::thread::spawn(move || {
            let mut out = out;
            for mut buf in rx {
                if let Err(e) = out.write_all(&buf) {
                    return (out, Err(e));
                }
                buf.clear();
                let _ = back_tx.try_send(buf);
            }
            (out, Ok(()))
        });
        Spool {
            tx: Some(tx),
            back,
            worker: Some(worker),
        }
    }

    /// Waits for every buffer to be written and gives the output back to `target`.
    fn finish(mut self, target: &mut Target) -> Result<()> {
        self.tx = None;
        let Some(worker) = self.worker.take() else {
            return Ok(());
        };
        let (out, result) = worker
            .join()
            .map_err(|_| output_error("the output thread stopped unexpectedly"))?;
        target.out = out;
        result.map_err(output_error)
    }
}

/// A progress bar on standard error, for long runs on a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(on: bool, total: u64, what: &str) -> Progress {
        if !on || total < (64 << 20) {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        Progress(Some(bar))
    }

    fn set(&self, pos: u64) {
        if let Some(b) = &self.0
            && pos & 0xffff < 512
        {
            b.set_position(pos);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

#[cfg(feature = "polars")]
mod parquet {
    //! Determination rows as Parquet, through the crate's own writer
    //! ([`crate::output::parquet_file`]): the contract's repeated columns dictionary-encoded from
    //! codes given once per rendered determination (a tail), free text (the scenario id, passed
    //! through columns, errors) with a dictionary of its own per row group, `ear_applies` as a
    //! boolean, provenance as key-value metadata. No string is built per cell.

    use std::io::Write;

    use rustc_hash::FxHashMap;

    use super::{Line, Tail};
    use crate::engine::COLUMNS;
    use crate::error::{Error, Result};
    use crate::output::matrix::parquet::{ColumnKind, kind_of};
    use crate::output::parquet_file::{self, Chunk, ColumnType, Writer};
    use crate::output::rows::Col;

    /// Rows in one row group.
    const GROUP: usize = 1 << 20;

    /// The values of one column in the current row group.
    enum Store {
        /// Codes into a dictionary kept for the whole run (repeated texts).
        Dict {
            dict: Vec<String>,
            index: FxHashMap<String, u32>,
            codes: Vec<u32>,
        },
        /// Free text: the bytes of the group's values end to end, equal neighbours stored once.
        Free {
            bytes: String,
            ends: Vec<usize>,
            codes: Vec<u32>,
        },
        /// A boolean that may be empty.
        Bool(Vec<Option<bool>>),
    }

    impl Store {
        fn of(c: Col) -> Store {
            match c {
                Col::Contract(i) => match kind_of(COLUMNS[i]) {
                    ColumnKind::Categorical => Store::Dict {
                        dict: Vec::new(),
                        index: FxHashMap::default(),
                        codes: Vec::with_capacity(GROUP),
                    },
                    ColumnKind::Boolean => Store::Bool(Vec::with_capacity(GROUP)),
                    ColumnKind::Text => Store::free(),
                },
                _ => Store::free(),
            }
        }

        fn free() -> Store {
            Store::Free {
                bytes: String::new(),
                ends: Vec::new(),
                codes: Vec::with_capacity(GROUP),
            }
        }

        fn column_type(&self) -> ColumnType {
            match self {
                Store::Bool(_) => ColumnType::Bool,
                _ => ColumnType::Text,
            }
        }
    }

    /// The run-wide code of `s` in `dict`.
    fn intern(dict: &mut Vec<String>, index: &mut FxHashMap<String, u32>, s: &str) -> Result<u32> {
        if let Some(&c) = index.get(s) {
            return Ok(c);
        }
        let c = u32::try_from(dict.len()).map_err(|_| perr("more than 2^32 distinct values"))?;
        dict.push(s.to_string());
        index.insert(s.to_string(), c);
        Ok(c)
    }

    fn perr(message: impl Into<String>) -> Error {
        Error::Output {
            format: "parquet",
            message: message.into(),
        }
    }

    pub(super) struct Rows {
        cols: Vec<Col>,
        stores: Vec<Store>,
        writer: Option<Writer<Box<dyn Write + Send>>>,
        pending: usize,
    }

    impl Rows {
        pub(super) fn new(
            out: Box<dyn Write + Send>,
            cols: &[Col],
            names: &[String],
            meta: Vec<(String, String)>,
        ) -> Result<Rows> {
            let stores: Vec<Store> = cols.iter().map(|&c| Store::of(c)).collect();
            let schema = names
                .iter()
                .zip(&stores)
                .map(|(n, s)| (n.clone(), s.column_type()))
                .collect();
            let writer = Writer::new(out, schema, meta).map_err(|e| perr(e.to_string()))?;
            Ok(Rows {
                cols: cols.to_vec(),
                stores,
                writer: Some(writer),
                pending: 0,
            })
        }

        pub(super) fn write(&mut self, lines: &[Line<'_>], tails: &mut [Tail]) -> Result<()> {
            for (k, &c) in self.cols.iter().enumerate() {
                match &mut self.stores[k] {
                    Store::Dict {
                        dict, index, codes, ..
                    } => {
                        for l in lines {
                            let code = match (l, c) {
                                (Line::Ok { tail, .. }, Col::Contract(i)) => {
                                    let t = &mut tails[*tail as usize];
                                    if t.codes.is_empty() {
                                        t.codes = vec![u32::MAX; COLUMNS.len()];
                                    }
                                    if t.codes[i] == u32::MAX {
                                        t.codes[i] = intern(dict, index, &t.cells[i])?;
                                    }
                                    t.codes[i]
                                }
                                _ => intern(dict, index, super::Encoder::cell(l, c, tails))?,
                            };
                            codes.push(code);
                        }
                    }
                    Store::Free { bytes, ends, codes } => {
                        for l in lines {
                            let v = super::Encoder::cell(l, c, tails);
                            let start = ends.len().checked_sub(2).map_or(0, |i| ends[i]);
                            let same = ends.last().is_some_and(|&e| bytes[start..e] == *v);
                            if !same {
                                bytes.push_str(v);
                                ends.push(bytes.len());
                            }
                            codes.push(ends.len() as u32 - 1);
                        }
                    }
                    Store::Bool(b) => {
                        for l in lines {
                            b.push(match super::Encoder::cell(l, c, tails) {
                                "true" => Some(true),
                                "false" => Some(false),
                                _ => None,
                            });
                        }
                    }
                }
            }
            self.pending += lines.len();
            if self.pending >= GROUP {
                self.flush()?;
            }
            Ok(())
        }

        /// Encodes the pending rows as one row group.
        fn flush(&mut self) -> Result<()> {
            let rows = std::mem::take(&mut self.pending);
            let mut chunks: Vec<Chunk> = Vec::with_capacity(self.stores.len());
            for s in &mut self.stores {
                let chunk = match s {
                    Store::Dict { dict, codes, .. } => {
                        // The group's own dictionary: the values it uses, in order of first use.
                        let mut runs = parquet_file::runs_of(codes.drain(..));
                        let used = parquet_file::compact(dict, &mut runs);
                        parquet_file::text_chunk_runs(&used, &runs)
                    }
                    Store::Free { bytes, ends, codes } => {
                        let mut start = 0;
                        let values: Vec<&str> = ends
                            .iter()
                            .map(|&e| {
                                let v = &bytes[start..e];
                                start = e;
                                v
                            })
                            .collect();
                        let chunk = parquet_file::text_chunk(&values, codes);
                        bytes.clear();
                        ends.clear();
                        codes.clear();
                        chunk
                    }
                    Store::Bool(b) => {
                        let chunk = parquet_file::bool_chunk(b);
                        b.clear();
                        chunk
                    }
                };
                chunks.push(chunk.map_err(|e| perr(e.to_string()))?);
            }
            match self.writer.as_mut() {
                Some(w) => w
                    .write_group(rows as u64, &chunks)
                    .map_err(|e| perr(e.to_string())),
                None => Err(perr("writer closed")),
            }
        }

        pub(super) fn finish(mut self) -> Result<()> {
            if self.pending > 0 {
                self.flush()?;
            }
            match self.writer.take() {
                Some(w) => w.finish().map(|_| ()).map_err(|e| perr(e.to_string())),
                None => Err(perr("writer closed")),
            }
        }
    }
}
