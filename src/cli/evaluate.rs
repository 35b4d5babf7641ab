//! `wassenaar evaluate`: the determination contract.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::analysis::dims::selection;
use crate::data::Source;
use crate::engine::World;
use crate::error::{Error, Located, Result};
use crate::input::stream::{IdSet, Input};
use crate::input::{self, Options, RawRecord};
use crate::model::{Currency, Scenario, Word};
use crate::output::OutputFormat;
use crate::output::rows::{OutRow, RowSink, columns};

/// Output formats of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// A JSON array.
    Json,
    /// JSON Lines.
    Jsonl,
    /// An aligned table for people.
    Table,
    /// Parquet (needs --output).
    #[cfg(feature = "polars")]
    Parquet,
}

impl Format {
    pub(crate) fn output(self) -> OutputFormat {
        match self {
            Format::Csv => OutputFormat::Csv,
            Format::Json => OutputFormat::Json,
            Format::Jsonl => OutputFormat::Jsonl,
            Format::Table => OutputFormat::Table,
            #[cfg(feature = "polars")]
            Format::Parquet => OutputFormat::Parquet,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file: CSV, TOML (`[[scenario]]`) or JSON by extension; `-` reads CSV from stdin
    scenarios: String,
    /// Exporting jurisdictions for scenarios without an `exporter`: `all` or a list (`US,DE,FR`)
    #[arg(long, default_value = "all")]
    jurisdictions: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file (default: standard output; parquet needs a file)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output columns, in this order (`scenario_id,jurisdiction,outcome`)
    #[arg(long, value_name = "COLS")]
    columns: Option<String>,
    /// Rename input columns: `OLD=NEW,...` (names match case-insensitively)
    #[arg(long, value_name = "OLD=NEW,...")]
    map: Option<String>,
    /// Refuse input columns outside the contract instead of passing them through
    #[arg(long)]
    strict_columns: bool,
    /// Take scenario ids from this column; ids may then repeat (one order, several lines)
    #[arg(long, value_name = "COLUMN")]
    id_column: Option<String>,
    /// Number scenarios by their line (`line-12`); ids may repeat or be absent
    #[arg(long)]
    line_ids: bool,
    /// Currency of `value` where a row gives none (ISO 4217: USD, EUR, …)
    #[arg(long, value_name = "CODE")]
    currency: Option<String>,
    /// Print the rule chain of every row (to standard error unless the format is `table`)
    #[arg(long)]
    explain: bool,
    /// Worker threads (default: all cores); results are identical for any number
    #[arg(long)]
    threads: Option<usize>,
    /// Evaluate the good rows and write one row with an `error` column per bad scenario
    #[arg(long)]
    keep_going: bool,
    /// Write the provenance (tool, datasets, as-of date) to this file
    #[arg(long, value_name = "FILE")]
    provenance: Option<PathBuf>,
    #[command(flatten)]
    as_of: super::AsOf,
}

/// Scenarios evaluated per chunk: memory stays flat whatever the file length.
pub const CHUNK: usize = 1 << 15;

fn options(args: &Args) -> Result<Options> {
    let mut map = Vec::new();
    if let Some(m) = &args.map {
        for pair in m.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((from, to)) = pair.split_once('=') else {
                return Err(Error::flag(
                    "--map",
                    pair,
                    "not a rename",
                    "OLD=NEW pairs separated by commas, e.g. `Order_No=id,customer_name=end_user_name`",
                ));
            };
            let to = to.trim().to_lowercase();
            if !input::SCENARIO_COLUMNS.contains(&to.as_str()) {
                return Err(Error::flag(
                    "--map",
                    pair,
                    "the new name is not a scenario column",
                    &input::SCENARIO_COLUMNS.join(", "),
                ));
            }
            map.push((from.trim().to_string(), to));
        }
    }
    let mut repeat_ids = args.line_ids;
    if let Some(c) = &args.id_column {
        if !c.trim().eq_ignore_ascii_case("id") {
            map.push((c.trim().to_string(), "id".to_string()));
        }
        repeat_ids = true;
    }
    let currency = match &args.currency {
        None => None,
        Some(c) => Some(
            Currency::parse(&c.trim().to_ascii_uppercase()).ok_or_else(|| {
                Error::flag(
                    "--currency",
                    c,
                    "unknown currency",
                    &<Currency as Word>::accepted(),
                )
            })?,
        ),
    };
    Ok(Options {
        map,
        strict_columns: args.strict_columns,
        repeat_ids,
        line_ids: args.line_ids,
        currency,
    })
}

/// The determinations of one scenario under the jurisdictions it targets.
pub(crate) fn determinations(
    world: &World,
    s: &Scenario,
    selection: &[usize],
) -> Vec<crate::engine::Determination> {
    match s.exporter {
        Some(e) => vec![match e.jurisdiction {
            Some(j) => world.evaluate(j, s),
            None => world.evaluate_unmodelled(e.place, s),
        }],
        None => selection.iter().map(|&j| world.evaluate(j, s)).collect(),
    }
}

pub fn run(source: Source, args: Args) -> Result<()> {
    let format = args.format.output();
    if format.is_parquet() && args.output.is_none() {
        return Err(Error::Usage("--format parquet needs --output FILE".into()));
    }
    let opts = options(&args)?;
    let world = super::world(source, &args.as_of)?;
    let selection = selection(&world, &args.jurisdictions, "--jurisdictions")?;
    let selected_cols: Option<Vec<String>> = args.columns.as_ref().map(|c| {
        c.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect()
    });
    let input = Input::open(&args.scenarios, opts.clone())?;
    let csv_lines = input.csv_lines();
    // Pass 1: every row must be good before anything is written (unless --keep-going).
    let (records, header) = input.records()?;
    if !args.keep_going {
        let mut ids = IdSet::default();
        let mut n = 0u64;
        for rec in records {
            let rec = rec?;
            let s = input::resolve_one(&world, &input.name, &rec, csv_lines, &opts)?;
            if !opts.repeat_ids && !ids.insert(&s.id) {
                return Err(Error::input(input::duplicate(
                    &input.name,
                    &rec,
                    csv_lines,
                    &s.id,
                )));
            }
            n += 1;
        }
        if n == 0 {
            return Err(Error::input(
                Located::new(&input.name, "no scenarios in the file")
                    .accepted("at least one scenario row"),
            ));
        }
    } else {
        drop(records);
    }
    let (cols, names) = columns(&header.extra, args.keep_going, selected_cols.as_deref())?;
    // Pass 2: evaluate chunk by chunk, in parallel, and stream the rows out.
    super::with_threads(args.threads, || {
        let prov = crate::output::provenance::Provenance::of(&world, "evaluate");
        let mut sink = RowSink::open(
            format,
            args.output.as_deref(),
            cols,
            names,
            args.explain,
            prov.clone(),
        )?;
        let mut ids = IdSet::default();
        let mut bad = 0u64;
        let (mut records, _) = input.records()?;
        loop {
            let mut chunk: Vec<
                std::result::Result<(Scenario, Vec<String>), (String, String, Vec<String>)>,
            > = Vec::with_capacity(CHUNK);
            for rec in records.by_ref().take(CHUNK) {
                let item = match rec {
                    Ok(rec) => resolve(&world, &input.name, &rec, csv_lines, &opts, &mut ids),
                    Err(e) if args.keep_going => Err((String::new(), one_line(&e), Vec::new())),
                    Err(e) => return Err(e),
                };
                if let Err((_, message, _)) = &item {
                    if !args.keep_going {
                        return Err(Error::input(Located::new(
                            &input.name,
                            format!("input changed while it was read: {message}"),
                        )));
                    }
                    bad += 1;
                }
                chunk.push(item);
            }
            if chunk.is_empty() {
                break;
            }
            let rows: Vec<Vec<OutRow>> = chunk
                .par_iter()
                .with_min_len(64)
                .map(|item| match item {
                    Ok((s, extra)) => determinations(&world, s, &selection)
                        .iter()
                        .map(|d| OutRow::Ok(Box::new(world.render(s, d)), extra.clone()))
                        .collect(),
                    Err((id, message, extra)) => vec![OutRow::Bad {
                        scenario_id: id.clone(),
                        error: message.clone(),
                        extra: extra.clone(),
                    }],
                })
                .collect();
            sink.write(rows.into_iter().flatten().collect())?;
        }
        sink.finish()?;
        crate::output::provenance::write(
            &prov,
            args.output.as_deref(),
            args.provenance.as_deref(),
            format.is_parquet(),
        )?;
        if bad > 0 {
            eprintln!("warning: {bad} scenario(s) could not be evaluated; see the `error` column");
        }
        Ok(())
    })
}

type Resolved = std::result::Result<(Scenario, Vec<String>), (String, String, Vec<String>)>;

fn resolve(
    world: &World,
    file: &str,
    rec: &RawRecord,
    csv_lines: bool,
    opts: &Options,
    ids: &mut IdSet,
) -> Resolved {
    match input::resolve_one(world, file, rec, csv_lines, opts) {
        Ok(s) if opts.repeat_ids || ids.insert(&s.id) => Ok((s, rec.extra.clone())),
        Ok(s) => Err((
            s.id.clone(),
            input::duplicate(file, rec, csv_lines, &s.id).to_string(),
            rec.extra.clone(),
        )),
        Err(e) => Err((
            rec.cells.get("id").cloned().unwrap_or_default(),
            one_line(&e),
            rec.extra.clone(),
        )),
    }
}

/// An error as one line, for the `error` column.
fn one_line(e: &Error) -> String {
    e.to_string()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ")
}
