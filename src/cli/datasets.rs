//! `wassenaar datasets list|validate|show`.

use std::path::Path;

use crate::data::validate;
use crate::engine::World;
use crate::error::{Error, Result};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Jurisdictions with list version, date, WA year, confidence and gaps
    List,
    /// Check integrity: codes resolve, countries exist, no duplicates, every row cited
    Validate,
    /// Show one jurisdiction's data: list entries, rules and gaps
    Show {
        /// ISO code of the jurisdiction (e.g. `US`, `DE`)
        code: String,
    },
}

pub fn run(dir: &Path, cmd: Command) -> Result<()> {
    let world = World::load(dir)?;
    match cmd {
        Command::List => {
            print!("{}", validate::list(&world));
            Ok(())
        }
        Command::Validate => {
            let report = validate::validate(&world);
            print!("{}", report.text);
            if report.errors > 0 {
                return Err(Error::dataset(crate::error::Located::new(
                    dir.display().to_string(),
                    format!("{} problem(s) found", report.errors),
                )));
            }
            Ok(())
        }
        Command::Show { code } => {
            let code = code.trim().to_ascii_uppercase();
            let Some(j) = world.jurisdiction(&code) else {
                return Err(crate::cli::evaluate::not_modelled(
                    &world,
                    "datasets show",
                    &code,
                ));
            };
            print!("{}", validate::show(&world, j));
            Ok(())
        }
    }
}
