//! `wassenaar compare`: one item under a baseline and other jurisdictions, destination by end
//! user by end use, with both outcomes and both rule chains.

use std::path::PathBuf;

use crate::analysis::dims::{Dimensions, selection};
use crate::analysis::versus::{COLUMNS, Filter, compare};
use crate::data::Source;
use crate::error::{Error, Result};

/// Which rows to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Where {
    /// The other jurisdiction is looser than the baseline.
    Looser,
    /// The other jurisdiction is stricter than the baseline.
    Stricter,
    /// Looser or stricter.
    Differs,
    /// Every scenario.
    All,
}

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
    /// Parquet (needs --output).
    #[cfg(feature = "polars")]
    Parquet,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Item(s) to compare (any numbering), comma-separated
    #[arg(long)]
    item: String,
    /// The jurisdiction to compare with
    #[arg(long, default_value = "US")]
    baseline: String,
    /// The jurisdictions compared with the baseline (`DE,GB`)
    #[arg(long)]
    against: String,
    /// Destinations: `all` or a list
    #[arg(long, default_value = "all")]
    destinations: String,
    /// End users: `all` or a list
    #[arg(long, default_value = "all")]
    end_users: String,
    /// End uses: `all` or a list
    #[arg(long, default_value = "all")]
    end_uses: String,
    /// Transaction type
    #[arg(long, default_value = "export")]
    transaction: String,
    /// Which scenarios to list: where the other jurisdiction is looser, stricter, differs, or all
    #[arg(long = "where", value_enum, default_value_t = Where::Differs)]
    filter: Where,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Output file (default: standard output)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write the provenance to this file (default: a sidecar next to the output file)
    #[arg(long, value_name = "FILE")]
    provenance: Option<PathBuf>,
    #[command(flatten)]
    as_of: super::AsOf,
}

pub fn run(source: Source, args: Args) -> Result<()> {
    let world = super::world(source, &args.as_of)?;
    let dims = Dimensions {
        items: args.item.clone(),
        destinations: args.destinations.clone(),
        end_users: args.end_users.clone(),
        end_uses: args.end_uses.clone(),
        jurisdictions: args.against.clone(),
        transaction: args.transaction.clone(),
    };
    let items = dims.items(&world).map_err(|e| match e {
        Error::Usage(m) => Error::Usage(m.replace("--items", "--item")),
        e => e,
    })?;
    let spec = dims.spec(&world).map_err(|e| match e {
        Error::Usage(m) => Error::Usage(m.replace("--jurisdictions", "--against")),
        e => e,
    })?;
    let baseline = selection(&world, &args.baseline, "--baseline")?;
    let [baseline] = baseline.as_slice() else {
        return Err(Error::Usage("--baseline takes one jurisdiction".into()));
    };
    let filter = match args.filter {
        Where::Looser => Filter::Looser,
        Where::Stricter => Filter::Stricter,
        Where::Differs => Filter::Differs,
        Where::All => Filter::All,
    };
    let rows = compare(
        &world,
        &items,
        &spec,
        *baseline,
        filter,
        dims.transaction()?,
    );
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.cells().iter().map(|c| c.to_string()).collect())
        .collect();
    let (fmt, parquet) = match args.format {
        Format::Table => ("table", false),
        Format::Csv => ("csv", false),
        Format::Json => ("json", false),
        #[cfg(feature = "polars")]
        Format::Parquet => ("parquet", true),
    };
    if parquet && args.output.is_none() {
        return Err(Error::Usage("--format parquet needs --output FILE".into()));
    }
    let bytes = crate::output::table::bytes(
        &COLUMNS,
        &cells,
        fmt,
        Some(&crate::output::provenance::Provenance::of(
            &world, "compare",
        )),
    )?;
    crate::output::emit(args.output.as_deref(), &bytes)?;
    super::provenance(
        &world,
        "compare",
        args.output.as_deref(),
        args.provenance.as_deref(),
        parquet,
    )?;
    if fmt == "table" && args.output.is_none() {
        eprintln!("{} scenario(s) listed", rows.len());
    }
    Ok(())
}
