//! The command line: argument parsing and output only; the work is in the library.

pub mod align;
mod datasets;
pub mod evaluate;
pub mod matrix;
pub mod report;
pub mod route;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};

#[derive(Debug, Parser)]
#[command(
    name = "wassenaar",
    version,
    about = "Compare the export-control regimes of the Wassenaar Arrangement participants",
    long_about = "Compare the export-control regimes of the Wassenaar Arrangement participants.\n\n\
        Exit status: 0 success; 1 bad input or bad datasets (nothing written); 2 usage error."
)]
pub struct Cli {
    /// Datasets folder [default: $WASSENAAR_DATASETS, ./datasets, or the built-in path]
    #[arg(long, global = true, value_name = "DIR")]
    pub datasets: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Determine the outcome of each scenario under each selected jurisdiction
    Evaluate(evaluate::Args),
    /// Evaluate items × destinations × end users × end uses × jurisdictions (streamed)
    Matrix(matrix::Args),
    /// Agreement of each jurisdiction with a baseline (default US) over the matrix
    Align(align::Args),
    /// Rank shipping entities by licensing burden, with EAR reach
    Route(route::Args),
    /// Write the cybersecurity-items comparison report (HTML, Markdown, charts, tables)
    Report(report::Args),
    /// List, validate or show the datasets
    #[command(subcommand)]
    Datasets(datasets::Command),
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
    let dir = cli.datasets.unwrap_or_else(crate::data::default_dir);
    match cli.command {
        Command::Evaluate(args) => evaluate::run(&dir, args),
        Command::Datasets(cmd) => datasets::run(&dir, cmd),
        Command::Matrix(args) => matrix::run(&dir, args),
        Command::Align(args) => align::run(&dir, args),
        Command::Route(args) => route::run(&dir, args),
        Command::Report(args) => report::run(&dir, args),
    }
}

/// Runs `work` on a pool of `threads` workers (default: the global pool).
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    match threads {
        None => work(),
        Some(0) => Err(Error::Usage("--threads must be at least 1".into())),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Usage(format!("--threads: {e}")))?
            .install(work),
    }
}

/// Writes `bytes` to `path` (atomically) or to standard output.
pub fn emit(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    match path {
        Some(p) => crate::output::write_atomic(p, bytes),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .or_else(|e| {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| Error::io("write", std::path::Path::new("<stdout>"), e))
        }
    }
}
