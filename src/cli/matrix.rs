//! `wassenaar matrix`: every combination of items × destinations × end users × end uses ×
//! jurisdictions, streamed to CSV, JSON Lines or Parquet.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use crate::data::Source;
use crate::engine::bulk::Bulk;
use crate::error::{Error, Result};
use crate::output::OutputFormat;

/// Output formats of `matrix` (streamed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV.
    Csv,
    /// JSON Lines.
    Jsonl,
    /// Parquet (needs --output).
    #[cfg(feature = "polars")]
    Parquet,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    dims: super::Dims,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file (default: standard output; parquet needs a file)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores)
    #[arg(long)]
    threads: Option<usize>,
    /// Write the provenance to this file (default: a sidecar next to a CSV/JSONL file)
    #[arg(long, value_name = "FILE")]
    provenance: Option<PathBuf>,
    #[command(flatten)]
    as_of: super::AsOf,
}

/// Rows per chunk: large enough for throughput, small enough to keep memory flat.
pub const CHUNK_ROWS: u64 = 1 << 20;

pub fn run(source: Source, args: Args) -> Result<()> {
    let format = match args.format {
        Format::Csv => OutputFormat::Csv,
        Format::Jsonl => OutputFormat::Jsonl,
        #[cfg(feature = "polars")]
        Format::Parquet => OutputFormat::Parquet,
    };
    if format.is_parquet() && args.output.is_none() {
        return Err(Error::Usage("--format parquet needs --output FILE".into()));
    }
    let world = super::world(source, &args.as_of)?;
    super::with_threads(args.threads, || {
        let dims = args.dims.plain();
        let items = dims.items(&world)?;
        let spec = dims.spec(&world)?;
        let transaction = dims.transaction()?;
        let start = Instant::now();
        let bulk = Bulk::new(&world, &items, transaction);
        let total = spec.rows(items.len());
        let prov = crate::output::provenance::Provenance::of(&world, "matrix");
        let mut sink = crate::output::matrix::open(format, args.output.as_deref(), &prov)?;
        let bar = (std::io::stderr().is_terminal() && total > 4 * CHUNK_ROWS).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "matrix [{bar:40}] {human_pos}/{human_len} rows ({eta} left)",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        let mut done = 0;
        while done < total {
            let end = (done + CHUNK_ROWS).min(total);
            sink.write_rows(&bulk, &spec, done, end)?;
            done = end;
            if let Some(b) = &bar {
                b.set_position(done);
            }
        }
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        sink.finish()?;
        crate::output::provenance::write(
            &prov,
            args.output.as_deref(),
            args.provenance.as_deref(),
            format.is_parquet(),
        )?;
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "{total} determinations in {secs:.2} s ({:.1} million/s); {} class cells evaluated with the full rule chain; law as of {}",
            total as f64 / secs.max(1e-9) / 1e6,
            bulk.evaluated_cells(),
            world.as_of
        );
        Ok(())
    })
}
