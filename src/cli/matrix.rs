//! `wassenaar matrix`: every combination of items × destinations × end users × end uses ×
//! jurisdictions, streamed to CSV, JSON Lines or Parquet.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::data::catalogue::{ItemId, ItemKind};
use crate::data::places::PlaceId;
use crate::engine::World;
use crate::engine::bulk::Bulk;
use crate::engine::matrix::MatrixSpec;
use crate::error::{Error, Result};
use crate::model::Transaction;
use crate::output::OutputFormat;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub dims: Dimensions,
    /// Output format (csv, jsonl or parquet)
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,
    /// Output file (default: standard output; parquet needs a file)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Worker threads (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The dimensions of a matrix, shared by `matrix`, `align` and `report`.
#[derive(Debug, Clone, clap::Args)]
pub struct Dimensions {
    /// Items: `cyber` (the cybersecurity items) or a comma-separated list of codes
    #[arg(long, default_value = "cyber")]
    pub items: String,
    /// Destinations: `all` or a comma-separated list of codes or names
    #[arg(long, default_value = "all")]
    pub destinations: String,
    /// End users: `all` or a comma-separated list
    #[arg(long, default_value = "all")]
    pub end_users: String,
    /// End uses: `all` or a comma-separated list
    #[arg(long, default_value = "all")]
    pub end_uses: String,
    /// Exporting jurisdictions: `all` or a comma-separated list
    #[arg(long, default_value = "all")]
    pub jurisdictions: String,
    /// Transaction type
    #[arg(long, default_value = "export")]
    pub transaction: String,
}

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn usage(flag: &str, value: &str, accepted: &str) -> Error {
    Error::Usage(format!(
        "{flag}: `{}` is not accepted\n  accepted: {accepted}",
        crate::error::printable(value)
    ))
}

impl Dimensions {
    /// The full cyber matrix: cyber items × all destinations, end users, end uses and
    /// jurisdictions, plain exports.
    pub fn cyber() -> Dimensions {
        Dimensions {
            items: "cyber".into(),
            destinations: "all".into(),
            end_users: "all".into(),
            end_uses: "all".into(),
            jurisdictions: "all".into(),
            transaction: "export".into(),
        }
    }

    /// The catalogue items named by `--items`.
    pub fn items(&self, world: &World) -> Result<Vec<ItemId>> {
        if self.items.trim().eq_ignore_ascii_case("cyber") {
            return Ok(world
                .catalogue
                .ids()
                .filter(|&i| {
                    let it = world.catalogue.get(i);
                    it.kind == ItemKind::Wassenaar && it.has_tag("cyber")
                })
                .collect());
        }
        let mut out = Vec::new();
        for code in list(&self.items) {
            match world.catalogue.lookup(code) {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => {
                    return Err(usage(
                        "--items",
                        code,
                        "`cyber` or list codes such as `4A005,5A001.j`",
                    ));
                }
            }
        }
        if out.is_empty() {
            return Err(Error::Usage("--items: empty list".into()));
        }
        Ok(out)
    }

    pub fn spec(&self, world: &World) -> Result<MatrixSpec> {
        let destinations: Vec<PlaceId> = if self.destinations.trim().eq_ignore_ascii_case("all") {
            world.places.ids().collect()
        } else {
            let mut v = Vec::new();
            for d in list(&self.destinations) {
                match world.places.resolve(d) {
                    Some(p) if !v.contains(&p) => v.push(p),
                    Some(_) => {}
                    None => {
                        return Err(usage(
                            "--destinations",
                            d,
                            "`all` or ISO codes / country names",
                        ));
                    }
                }
            }
            v
        };
        let words = |text: &str, flag: &str, all: &[&str]| -> Result<Vec<usize>> {
            if text.trim().eq_ignore_ascii_case("all") {
                return Ok((0..all.len()).collect());
            }
            let mut v = Vec::new();
            for w in list(text) {
                match all.iter().position(|a| a.eq_ignore_ascii_case(w)) {
                    Some(i) if !v.contains(&i) => v.push(i),
                    Some(_) => {}
                    None => return Err(usage(flag, w, &format!("all, {}", all.join(", ")))),
                }
            }
            Ok(v)
        };
        let end_users = words(&self.end_users, "--end-users", crate::model::END_USERS)?;
        let end_uses = words(&self.end_uses, "--end-uses", crate::model::END_USES)?;
        let jurisdictions = crate::cli::evaluate::selection(world, &self.jurisdictions)?;
        if destinations.is_empty() || end_users.is_empty() || end_uses.is_empty() {
            return Err(Error::Usage("the matrix has an empty dimension".into()));
        }
        Ok(MatrixSpec {
            destinations,
            end_users,
            end_uses,
            jurisdictions,
        })
    }

    pub fn transaction(&self) -> Result<Transaction> {
        Transaction::parse(self.transaction.trim()).ok_or_else(|| {
            usage(
                "--transaction",
                &self.transaction,
                &crate::model::TRANSACTIONS.join(", "),
            )
        })
    }
}

/// Rows per chunk: large enough for throughput, small enough to keep memory flat.
pub const CHUNK_ROWS: u64 = 1 << 20;

pub fn run(dir: &Path, args: Args) -> Result<()> {
    if args.format == OutputFormat::Parquet && args.output.is_none() {
        return Err(Error::Usage("--format parquet needs --output FILE".into()));
    }
    if matches!(args.format, OutputFormat::Json | OutputFormat::Table) {
        return Err(Error::Usage(
            "matrix writes csv, jsonl or parquet (streamed)".into(),
        ));
    }
    crate::cli::with_threads(args.threads, || {
        let world = World::load(dir)?;
        let items = args.dims.items(&world)?;
        let spec = args.dims.spec(&world)?;
        let transaction = args.dims.transaction()?;
        let start = Instant::now();
        let bulk = Bulk::new(&world, &items, transaction);
        let total = spec.rows(items.len());
        let mut sink = crate::output::matrix::open(args.format, args.output.as_deref())?;
        let progress = std::io::stderr().is_terminal() && total > 4 * CHUNK_ROWS;
        let mut done = 0;
        while done < total {
            let end = (done + CHUNK_ROWS).min(total);
            let cells = spec.chunk(&bulk, done, end);
            sink.write(&bulk, &cells)?;
            done = end;
            if progress {
                eprint!(
                    "\r{:>5.1}% ({done}/{total} rows)",
                    100.0 * done as f64 / total as f64
                );
            }
        }
        sink.finish()?;
        let secs = start.elapsed().as_secs_f64();
        if progress {
            eprintln!();
        }
        eprintln!(
            "{total} determinations in {secs:.2} s ({:.1} million/s); {} class cells evaluated with the full rule chain",
            total as f64 / secs.max(1e-9) / 1e6,
            bulk.evaluated_cells()
        );
        Ok(())
    })
}
