//! `wassenaar evaluate`: the determination contract of DESIGN.md.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::engine::World;
use crate::error::{Error, Result};
use crate::input::{self, stream::IdSet, stream::Input};
use crate::model::Scenario;
use crate::output::OutputFormat;
use crate::output::rows::{OutRow, RowSink};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file: CSV, TOML (`[[scenario]]`) or JSON by extension; `-` reads CSV from stdin
    pub scenarios: String,
    /// Exporting jurisdictions for scenarios without an `exporter`: `all` or a list (`US,DE,FR`)
    #[arg(long, default_value = "all")]
    pub jurisdictions: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
    /// Output file (default: standard output; parquet needs a file)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print the rule chain of every row (to standard error unless the format is `table`)
    #[arg(long)]
    pub explain: bool,
    /// Worker threads (default: all cores); results are identical for any number
    #[arg(long)]
    pub threads: Option<usize>,
    /// Evaluate the good rows and write one row with an `error` column per bad scenario
    #[arg(long)]
    pub keep_going: bool,
}

/// Parses `--jurisdictions`: `all`, or codes/names separated by commas.
pub fn selection(world: &World, text: &str) -> Result<Vec<usize>> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok((0..world.jurisdictions.len()).collect());
    }
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let code = world
            .places
            .resolve(part)
            .map(|p| world.places.code(p).to_string());
        let Some(j) = code.as_deref().and_then(|c| world.jurisdiction(c)) else {
            return Err(not_modelled(world, "--jurisdictions", part));
        };
        if !out.contains(&j) {
            out.push(j);
        }
    }
    if out.is_empty() {
        return Err(Error::Usage("--jurisdictions: empty list".into()));
    }
    Ok(out)
}

/// Usage error for a jurisdiction the datasets do not model, listing those they do.
pub fn not_modelled(world: &World, flag: &str, value: &str) -> Error {
    let modelled: Vec<&str> = world
        .jurisdictions
        .iter()
        .map(|j| j.code.as_str())
        .collect();
    Error::Usage(format!(
        "{flag}: `{}` is not a modelled jurisdiction\n  accepted: all, or a list of {}",
        crate::error::printable(value),
        modelled.join(", ")
    ))
}

/// Scenarios evaluated per chunk: memory stays flat whatever the file length.
pub const CHUNK: usize = 1 << 15;

pub fn run(dir: &Path, args: Args) -> Result<()> {
    if args.format == OutputFormat::Parquet && args.output.is_none() {
        return Err(Error::Usage("--format parquet needs --output FILE".into()));
    }
    let world = World::load(dir)?;
    let selection = selection(&world, &args.jurisdictions)?;
    let input = Input::open(&args.scenarios)?;
    let csv_lines = input.csv_lines();
    // Pass 1: every row must be good before anything is written (unless --keep-going).
    if !args.keep_going {
        let mut ids = IdSet::default();
        let mut n = 0u64;
        for rec in input.records()? {
            let rec = rec?;
            let s = input::resolve_one(&world, &input.name, &rec, csv_lines)?;
            if !ids.insert(&s.id) {
                return Err(Error::input(duplicate(&input.name, &rec, csv_lines, &s.id)));
            }
            n += 1;
        }
        if n == 0 {
            return Err(Error::input(
                crate::error::Located::new(&input.name, "no scenarios in the file")
                    .accepted("at least one scenario row"),
            ));
        }
    }
    // Pass 2: evaluate chunk by chunk, in parallel, and stream the rows out.
    crate::cli::with_threads(args.threads, || {
        let mut sink = RowSink::open(
            args.format,
            args.output.as_deref(),
            args.keep_going,
            args.explain,
        )?;
        let mut ids = IdSet::default();
        let mut bad = 0u64;
        let mut records = input.records()?;
        loop {
            let mut chunk: Vec<std::result::Result<Scenario, (String, String)>> =
                Vec::with_capacity(CHUNK);
            for rec in records.by_ref().take(CHUNK) {
                let item = match rec {
                    Ok(rec) => match input::resolve_one(&world, &input.name, &rec, csv_lines) {
                        Ok(s) if ids.insert(&s.id) => Ok(s),
                        Ok(s) => Err((
                            s.id.clone(),
                            duplicate(&input.name, &rec, csv_lines, &s.id).to_string(),
                        )),
                        Err(e) => Err((
                            rec.cells.get("id").cloned().unwrap_or_default(),
                            one_line(&e),
                        )),
                    },
                    Err(e) if args.keep_going => Err((String::new(), one_line(&e))),
                    Err(e) => return Err(e),
                };
                if let Err((_, message)) = &item {
                    if !args.keep_going {
                        return Err(Error::input(crate::error::Located::new(
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
                    Ok(s) => world
                        .targets(s, &selection)
                        .iter()
                        .map(|&j| OutRow::Ok(Box::new(world.render(s, &world.evaluate(j, s)))))
                        .collect(),
                    Err((id, message)) => vec![OutRow::Bad {
                        scenario_id: id.clone(),
                        error: message.clone(),
                    }],
                })
                .collect();
            sink.write(rows.into_iter().flatten().collect())?;
        }
        sink.finish()?;
        if bad > 0 {
            eprintln!("warning: {bad} scenario(s) could not be evaluated; see the `error` column");
        }
        Ok(())
    })
}

fn duplicate(
    file: &str,
    rec: &input::RawRecord,
    csv_lines: bool,
    id: &str,
) -> crate::error::Located {
    let l = crate::error::Located::new(file, "duplicate scenario id")
        .column("id")
        .value(id);
    if csv_lines { l.line(rec.line) } else { l }
}

/// An error as one line, for the `error` column.
fn one_line(e: &Error) -> String {
    e.to_string()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ")
}
