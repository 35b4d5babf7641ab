//! `wassenaar datasets list|validate|show|diff`.

use std::path::PathBuf;

use crate::analysis::describe::{self, ShowParts};
use crate::analysis::dims::not_modelled;
use crate::data::{Datasets, Source};
use crate::engine::World;
use crate::error::{Error, Located, Result};
use crate::model::Date;

/// Output formats of `datasets diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table.
    Table,
    /// CSV.
    Csv,
    /// JSON.
    Json,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Jurisdictions with list version, date, WA year (and years behind), confidence and gaps
    List {
        #[command(flatten)]
        as_of: super::AsOf,
    },
    /// Check every dataset file; every problem with file, line, column, code and value
    Validate,
    /// Show one jurisdiction: its data version, list rows and rules (`US`, `Germany`)
    Show {
        /// ISO code or name of the jurisdiction
        jurisdiction: String,
        /// Only the list rows
        #[arg(long)]
        entries: bool,
        /// Only the rules
        #[arg(long)]
        rules: bool,
        #[command(flatten)]
        as_of: super::AsOf,
    },
    /// What changed: between two dates (--from, --to), or between two dataset folders
    Diff {
        /// Earlier date (YYYY-MM-DD)
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Later date (YYYY-MM-DD)
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// Jurisdictions whose regimes to list: `all` or a list
        #[arg(long, default_value = "all")]
        jurisdictions: String,
        /// Two dataset folders to compare (instead of dates)
        #[arg(num_args = 0..=2, value_name = "DIR")]
        folders: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

fn date(flag: &str, t: &str) -> Result<Date> {
    Date::parse(t.trim())
        .ok_or_else(|| Error::flag(flag, t, "not a date", "a calendar date written YYYY-MM-DD"))
}

pub fn run(source: Source, cmd: Command) -> Result<()> {
    match cmd {
        Command::List { as_of } => {
            let world = super::world(source, &as_of)?;
            print!("{}", describe::list(&world));
            Ok(())
        }
        Command::Validate => {
            let (data, mut diag) = Datasets::check(source.clone());
            if let Some(d) = &data {
                for r in 0..d.regimes.len() {
                    d.parties(r, &mut diag);
                }
            }
            let world = match (data, diag.errors()) {
                (Some(d), 0) => {
                    let day = crate::engine::datasets_date(&d);
                    match World::compile(std::sync::Arc::new(d), day) {
                        Ok(w) => Some(w),
                        Err(e) => {
                            diag.absorb(e);
                            None
                        }
                    }
                }
                _ => None,
            };
            if let Some(w) = &world {
                describe::check(w, &mut diag);
            }
            print!("{}", describe::report(world.as_ref(), &diag));
            let errors = diag.errors();
            if errors > 0 {
                return Err(Error::dataset(Located::new(
                    source.describe(),
                    format!("{errors} problem(s) found"),
                )));
            }
            Ok(())
        }
        Command::Show {
            jurisdiction,
            entries,
            rules,
            as_of,
        } => {
            let world = super::world(source, &as_of)?;
            let code = world
                .places()
                .resolve(&jurisdiction)
                .map(|p| world.places().code(p).to_string());
            let Some(j) = code.as_deref().and_then(|c| world.jurisdiction(c)) else {
                return Err(not_modelled(&world, "datasets show", &jurisdiction));
            };
            let parts = if entries || rules {
                ShowParts { entries, rules }
            } else {
                ShowParts {
                    entries: true,
                    rules: true,
                }
            };
            print!("{}", describe::show(&world, j, parts));
            Ok(())
        }
        Command::Diff {
            from,
            to,
            jurisdictions,
            folders,
            format,
        } => {
            let fmt = match format {
                Format::Table => "table",
                Format::Csv => "csv",
                Format::Json => "json",
            };
            let changes = match (from, to, folders.as_slice()) {
                (Some(f), Some(t), []) => {
                    let (f, t) = (date("--from", &f)?, date("--to", &t)?);
                    let world = World::load(source)?;
                    let sel = crate::analysis::dims::selection(
                        &world,
                        &jurisdictions,
                        "--jurisdictions",
                    )?;
                    let regimes: Vec<String> = sel
                        .iter()
                        .map(|&j| world.regimes[world.jurisdictions[j].regime].id.clone())
                        .collect();
                    crate::data::diff::between(&world.data, f, t, &|r| regimes.contains(&r.id))
                }
                (None, None, [a, b]) => {
                    let da = Datasets::load(Source::Folder(a.clone()))?;
                    let db = Datasets::load(Source::Folder(b.clone()))?;
                    crate::data::diff::folders(&da, &db)
                }
                _ => {
                    return Err(Error::Usage(
                        "datasets diff takes --from DATE --to DATE [--jurisdictions LIST], or two dataset folders DIR_A DIR_B".into(),
                    ));
                }
            };
            let rows: Vec<Vec<String>> = changes
                .iter()
                .map(|c| c.cells().iter().map(|x| x.to_string()).collect())
                .collect();
            let bytes = crate::output::table::bytes(&crate::data::diff::COLUMNS, &rows, fmt, None)?;
            crate::output::emit(None, &bytes)
        }
    }
}
