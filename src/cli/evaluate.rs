//! `wassenaar evaluate`: the determination contract.

use std::path::PathBuf;

use std::io::IsTerminal;

use crate::analysis::dims::selection;
use crate::data::Source;
use crate::error::{Error, Result};
use crate::input::stream::Input;
use crate::input::{self, Options};
use crate::model::{Currency, Word};
use crate::output::OutputFormat;
use crate::output::pipeline::Plan;
use crate::output::rows::columns;

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
    let (_, header) = input.records()?;
    let (cols, names) = columns(&header.extra, args.keep_going, selected_cols.as_deref())?;
    let result = super::with_threads(args.threads, || {
        let prov = crate::output::provenance::Provenance::of(&world, "evaluate");
        let plan = Plan {
            format,
            cols,
            names,
            selection: &selection,
            keep_going: args.keep_going,
            explain: args.explain,
            output: args.output.as_deref(),
            provenance: &prov,
            progress: std::io::stderr().is_terminal(),
        };
        let stats = crate::output::pipeline::run(&world, &input, &opts, &plan)?;
        crate::output::provenance::write(
            &prov,
            args.output.as_deref(),
            args.provenance.as_deref(),
            format.is_parquet(),
        )?;
        if stats.bad > 0 {
            eprintln!(
                "warning: {} scenario(s) could not be evaluated; see the `error` column",
                stats.bad
            );
        }
        Ok(())
    });
    // The process ends here: freeing the compiled tables one by one would only cost time.
    std::mem::forget(world);
    result
}
