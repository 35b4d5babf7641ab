//! `wassenaar align`: agreement with a baseline over the matrix, or (`--lists`) how the
//! control lists line up with the Wassenaar list.

use std::path::PathBuf;

use crate::analysis::dims::selection;
use crate::data::Source;
use crate::error::{Error, Result};

/// Output formats of `align`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// An aligned table.
    Table,
    /// Parquet (`--lists` only; needs --output).
    #[cfg(feature = "polars")]
    Parquet,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The jurisdiction the others are compared with
    #[arg(long, default_value = "US")]
    baseline: String,
    #[command(flatten)]
    dims: super::Dims,
    /// Also write the pairwise agreement matrix of the selected jurisdictions
    #[arg(long)]
    pairwise: bool,
    /// Compare the control lists entry by entry with the Wassenaar list instead
    #[arg(long)]
    lists: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Output file (default: standard output)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores)
    #[arg(long)]
    threads: Option<usize>,
    /// Write the provenance to this file (default: a sidecar next to the output file)
    #[arg(long, value_name = "FILE")]
    provenance: Option<PathBuf>,
    #[command(flatten)]
    as_of: super::AsOf,
}

pub fn run(source: Source, args: Args) -> Result<()> {
    let world = super::world(source, &args.as_of)?;
    super::with_threads(args.threads, || {
        if args.lists {
            let sel = selection(&world, &args.dims.jurisdictions, "--jurisdictions")?;
            let rows = crate::analysis::lists::align_lists(&world, &sel);
            let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells()).collect();
            let bytes = crate::output::table::bytes(
                &crate::analysis::lists::COLUMNS,
                &cells,
                lists_format(args.format),
                Some(&crate::output::provenance::Provenance::of(
                    &world,
                    "align --lists",
                )),
            )?;
            crate::output::emit(args.output.as_deref(), &bytes)?;
            let parquet = lists_format(args.format) == "parquet";
            return super::provenance(
                &world,
                "align --lists",
                args.output.as_deref(),
                args.provenance.as_deref(),
                parquet,
            );
        }
        #[cfg(feature = "polars")]
        {
            use crate::analysis::align::{AlignFormat, align, encode};
            let baseline = selection(&world, &args.baseline, "--baseline")?;
            let [baseline] = baseline.as_slice() else {
                return Err(Error::Usage("--baseline takes one jurisdiction".into()));
            };
            let format = match args.format {
                Format::Csv => AlignFormat::Csv,
                Format::Json => AlignFormat::Json,
                Format::Table => AlignFormat::Table,
                Format::Parquet => {
                    return Err(Error::Usage(
                        "--format parquet is for `align --lists`".into(),
                    ));
                }
            };
            let a = align(&world, &args.dims.plain(), *baseline, args.pairwise)?;
            let bytes = encode(&a, format)?;
            crate::output::emit(args.output.as_deref(), &bytes)?;
            super::provenance(
                &world,
                "align",
                args.output.as_deref(),
                args.provenance.as_deref(),
                false,
            )
        }
        #[cfg(not(feature = "polars"))]
        {
            let _ = (&args.baseline, args.pairwise);
            Err(Error::Usage("alignment over the matrix needs the `polars` feature (built by default); `align --lists` works without it".into()))
        }
    })
}

fn lists_format(f: Format) -> &'static str {
    match f {
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Table => "table",
        #[cfg(feature = "polars")]
        Format::Parquet => "parquet",
    }
}
