//! The command line: argument parsing and output only; the work is in the library.

mod align;
mod compare;
mod datasets;
mod evaluate;
mod matrix;
#[cfg(feature = "report")]
mod report;
mod route;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::data::Source;
use crate::engine::World;
use crate::error::{Error, Result};
use crate::model::Date;

#[derive(Debug, Parser)]
#[command(
    name = "wassenaar",
    version,
    about = "Compare the export-control regimes of the Wassenaar Arrangement participants",
    long_about = "Compare the export-control regimes of the Wassenaar Arrangement participants.\n\n\
        The datasets are built into the binary; --datasets DIR or $WASSENAAR_DATASETS reads a folder instead.\n\n\
        Exit status: 0 success; 1 bad input or bad datasets (nothing written); 2 usage error."
)]
struct Cli {
    /// Datasets folder to read instead of the built-in datasets [env: WASSENAAR_DATASETS]
    #[arg(long, global = true, value_name = "DIR")]
    datasets: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Determine the outcome of each scenario under each selected jurisdiction
    Evaluate(evaluate::Args),
    /// Evaluate items × destinations × end users × end uses × jurisdictions (streamed)
    Matrix(matrix::Args),
    /// Agreement of each jurisdiction with a baseline (default US), or of the lists (--lists)
    Align(align::Args),
    /// Rank shipping entities by combined licensing burden, with the US re-export answer
    Route(route::Args),
    /// One item under a baseline and other jurisdictions, with both rule chains
    Compare(compare::Args),
    /// Write a report (cyber items, or how the lists line up)
    #[cfg(feature = "report")]
    Report(report::Args),
    /// List, validate, show or diff the datasets
    #[command(subcommand)]
    Datasets(datasets::Command),
}

/// The date the law is taken as of (`--as-of`), shared by the commands that evaluate.
#[derive(Debug, Clone, clap::Args)]
pub struct AsOf {
    /// Answer under the law in force on this day (YYYY-MM-DD) [default: the datasets' current date]
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

impl AsOf {
    /// The day, if given; a malformed date is a usage error.
    pub fn day(&self) -> Result<Option<Date>> {
        match &self.as_of {
            None => Ok(None),
            Some(t) => Date::parse(t.trim()).map(Some).ok_or_else(|| {
                Error::flag(
                    "--as-of",
                    t,
                    "not a date",
                    "a calendar date written YYYY-MM-DD, e.g. 2022-04-01",
                )
            }),
        }
    }
}

/// Runs the command line; returns the process exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    let source = match cli.datasets {
        Some(dir) => Source::Folder(dir),
        None => Source::from_env(),
    };
    match cli.command {
        Command::Evaluate(args) => evaluate::run(source, args),
        Command::Datasets(cmd) => datasets::run(source, cmd),
        Command::Matrix(args) => matrix::run(source, args),
        Command::Align(args) => align::run(source, args),
        Command::Route(args) => route::run(source, args),
        Command::Compare(args) => compare::run(source, args),
        #[cfg(feature = "report")]
        Command::Report(args) => report::run(source, args),
    }
}

/// Loads the datasets and compiles them for `--as-of` (checked first: a bad date is a usage
/// error even when the datasets are bad).
pub(crate) fn world(source: Source, as_of: &AsOf) -> Result<World> {
    let day = as_of.day()?;
    let w = World::load(source)?;
    match day {
        Some(d) if d != w.as_of => w.at(d),
        _ => Ok(w),
    }
}

/// Runs `work` on a pool of `threads` workers (default: the global pool).
pub(crate) fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    match threads {
        None => work(),
        Some(0) => Err(Error::flag(
            "--threads",
            "0",
            "must be at least 1",
            "a number of worker threads, 1 or more",
        )),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Usage(format!("--threads: {e}")))?
            .install(work),
    }
}

/// The matrix dimensions as flags, shared by `matrix`, `align` and `compare`.
#[derive(Debug, Clone, clap::Args)]
pub struct Dims {
    /// Items: `cyber` (the cybersecurity items), `all`, or a comma-separated list of codes
    #[arg(long, default_value = "cyber")]
    items: String,
    /// Destinations: `all` or a comma-separated list of codes or names
    #[arg(long, default_value = "all")]
    destinations: String,
    /// End users: `all` or a comma-separated list
    #[arg(long, default_value = "all")]
    end_users: String,
    /// End uses: `all` or a comma-separated list
    #[arg(long, default_value = "all")]
    end_uses: String,
    /// Exporting jurisdictions: `all` or a comma-separated list
    #[arg(long, default_value = "all")]
    jurisdictions: String,
    /// Transaction type
    #[arg(long, default_value = "export")]
    transaction: String,
}

impl Dims {
    fn plain(&self) -> crate::analysis::dims::Dimensions {
        crate::analysis::dims::Dimensions {
            items: self.items.clone(),
            destinations: self.destinations.clone(),
            end_users: self.end_users.clone(),
            end_uses: self.end_uses.clone(),
            jurisdictions: self.jurisdictions.clone(),
            transaction: self.transaction.clone(),
        }
    }
}

/// Writes the provenance sidecar (or `--provenance FILE`) of an output.
pub(crate) fn provenance(
    world: &World,
    command: &str,
    output: Option<&std::path::Path>,
    explicit: Option<&std::path::Path>,
    parquet: bool,
) -> Result<()> {
    let p = crate::output::provenance::Provenance::of(world, command);
    crate::output::provenance::write(&p, output, explicit, parquet)
}
